# civreport query on a small hand-checked fixture: single figures, series,
# CSV and JSON output, and the reconciled counts of civreport check.
. "$ROOT/tests/e2e/lib.sh"
IN="$ROOT/tests/fixtures/small"

expect_exit 0 "$BIN" query --year 2021 --input "$IN" --format csv \
	'relief.persons' 'relief.amount by 区县' 'relief.rows[救助类别=临时救助]' \
	'relief.persons[纳入日期=$year; 纳入方式=回头看排查]'
cat out.txt
contains out.txt "expression,key,key2,value"
contains out.txt "relief.persons,,,3"
contains out.txt "relief.amount by 区县,广安区,,2469.00"
contains out.txt "relief.amount by 区县,前锋区,,650.00"
contains out.txt "relief.amount by 区县,华蓥市,,0.00"
contains out.txt "relief.rows[救助类别=临时救助],,,1"
contains out.txt "relief.persons[纳入日期=\$year; 纳入方式=回头看排查],,,1"

expect_exit 0 "$BIN" query --year 2021 --input "$IN" --format json 'relief.amount by 区县'
$PY -c 'import json,sys; d=json.load(open("out.txt")); g=d["figures"][0]["groups"]; assert g[0]=={"key":"广安区","value":246900}, g; print("json ok")' || fail "json"

# the same figures whatever the thread count
"$BIN" query --year 2021 --input "$IN" --format csv --threads 1 'relief.amount by 发放年月' >t1.csv
"$BIN" query --year 2021 --input "$IN" --format csv --threads 4 'relief.amount by 发放年月' >t4.csv
cmp t1.csv t4.csv || fail "thread count changed the result"
contains t1.csv "relief.amount by 发放年月,2021-12,,50.50"

expect_exit 1 "$BIN" check --year 2021 --input "$IN"
contains out.txt "合计：读取 8 = 接收 4 + 拒收 3 + 年度外 1"
contains err.txt "拒收比例过高"
expect_exit 0 "$BIN" check --year 2021 --input "$IN" --max-reject-rate 0.5

# a sum over rows none of which hold the column has no meaning: "—", not 0,
# as in the report (受益人次 of 捐赠收入); a 0 that was read stays 0
mkdir -p ch
cat >ch/charity.csv <<'CSV'
日期,收支类型,项目名称,区县,金额,受益人次,捐赠方
2021-05-06,捐赠收入,测试项目,岳池县,1000.00,,某单位
2021-05-07,捐赠收入,测试项目,岳池县,999.99,,某单位
2021-05-08,项目支出,测试项目,岳池县,"1,000.00",10,
2021-05-09,慰问金(品),测试项目,岳池县,200.00,0,
CSV
expect_exit 0 "$BIN" query --year 2021 --input ch 'charity.sum(受益人次)[收支类型=捐赠收入]' \
	'charity.sum(受益人次) by 收支类型' 'charity.sum(受益人次)[收支类型=捐赠收入] / charity.rows'
contains out.txt "  —（这些记录都没有填写“受益人次”）"
grep -E '^  捐赠收入 +—$' out.txt >/dev/null || fail "query table: 捐赠收入 —"
grep -E '^  慰问金\(品\) +0$' out.txt >/dev/null || fail "query table: 慰问金(品) 0"
grep -E '^  合计 +10$' out.txt >/dev/null || fail "query table: 合计 10"
contains out.txt "  —：该组有记录，但都没有填写“受益人次”"
contains out.txt "  —（没有数据或除数为0）"
expect_exit 0 "$BIN" query --year 2021 --input ch --format csv \
	'charity.sum(受益人次)[收支类型=捐赠收入]' 'charity.sum(受益人次) by 收支类型'
contains out.txt "charity.sum(受益人次)[收支类型=捐赠收入],,,—"
contains out.txt "charity.sum(受益人次) by 收支类型,捐赠收入,,—"
contains out.txt "charity.sum(受益人次) by 收支类型,项目支出,,10"
contains out.txt "charity.sum(受益人次) by 收支类型,慰问金(品),,0"
expect_exit 0 "$BIN" query --year 2021 --input ch --format json \
	'charity.sum(受益人次)[收支类型=捐赠收入]' 'charity.sum(受益人次) by 收支类型'
$PY - out.txt <<'PY' || fail "query json: empty figures"
import json, sys
f = json.load(open(sys.argv[1], encoding="utf-8"))["figures"]
assert f[0]["empty"] is True and f[0]["value"] == 0 and f[0]["text"] == "—", f[0]
assert "empty" not in f[1], f[1]
g = {x["key"]: x for x in f[1]["groups"]}
assert g["捐赠收入"].get("empty") is True, g
assert "empty" not in g["慰问金(品)"] and g["慰问金(品)"]["value"] == 0, g
print("json empty ok")
PY
