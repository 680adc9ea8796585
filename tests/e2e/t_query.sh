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
