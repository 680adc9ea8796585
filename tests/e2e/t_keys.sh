# Group keys are structured values end to end (issue 10 item 8): values that
# hold "/" or "|" (助学/甲, 助学/乙, 帮扶|一) stay groups of their own in the
# PDF's chart and table, the workbook's chart data, metrics.json and query,
# by one column and by two (an enum value with a "/", from a private schema).
. "$ROOT/tests/e2e/lib.sh"
FIX="$ROOT/tests/fixtures/keys"

expect_exit 0 "$BIN" run --year 2021 --input "$FIX" --template "$FIX/template.md" \
	--output out --dump-doc doc.txt --quiet

# the chart: five categories with their own values (was 助学 = 380, 帮扶 = 15)
contains doc.txt 'value 1 "助学/乙" raw=20000'
contains doc.txt 'value 2 "助学/甲" raw=13000'
contains doc.txt 'value 0 "助学" raw=5000'
contains doc.txt 'value 3 "帮扶|一" raw=700'
lacks doc.txt 'raw=38000'

# the PDF: each label twice (chart axis and table), never a merged bar
pdftotext -layout out/2021/k.pdf pdf.txt || fail "pdftotext"
for k in '助学/甲' '助学/乙' '帮扶|一' '帮扶|二'; do
	n=$(grep -oF -- "$k" pdf.txt | wc -l)
	[ "$n" -eq 2 ] || fail "PDF shows $k $n times, want 2 (chart and table)"
done
lacks pdf.txt '380'

# the workbook's chart data (the chart sheet holds its categories and values)
$PY "$ROOT/tests/unit/xlsx_read.py" out/2021/k.xlsx >xlsx.txt || fail "xlsx_read"
contains xlsx.txt "$(printf 'CELL\t图1 各项目金额\tB2\t各项目金额（元）')"
contains xlsx.txt "$(printf 'CELL\t图1 各项目金额\tA4\t助学/乙')"
contains xlsx.txt "$(printf 'CELL\t图1 各项目金额\tB4\t200')"
contains xlsx.txt "$(printf 'CELL\t图1 各项目金额\tA5\t助学/甲')"
contains xlsx.txt "$(printf 'CELL\t图1 各项目金额\tB5\t130')"

# metrics.json: one group per value
$PY - out/2021/metrics.json <<'PYEOF' || fail "metrics.json groups"
import json, sys
figs = json.load(open(sys.argv[1]))["figures"]
g = {x["key"]: x["value"] for f in figs if f["expression"] == "charity.amount by 项目名称" for x in f["groups"]}
assert g == {"助学": 5000, "助学/乙": 20000, "助学/甲": 13000, "帮扶|一": 700, "帮扶|二": 800}, g
PYEOF

# by two columns, an enum value holding "/": a private schema says so
mkdir data
cp "$ROOT"/templates/* data/ 2>/dev/null
sed -i 's|^values   = 捐赠收入, 项目支出, 慰问金(品)$|values   = 捐赠收入, 项目支出, 慰问金(品), 捐赠/定向|' data/schema.ini
grep -q '捐赠/定向' data/schema.ini || fail "schema not patched"
mkdir in2
sed -e 's|^2021-03-03,捐赠收入,|2021-03-03,捐赠/定向,|' "$FIX/charity.csv" >in2/charity.csv
CIVREPORT_DATADIR=$WORK/data expect_exit 0 "$BIN" query --year 2021 --input in2 --format csv \
	'charity.amount by 收支类型, 区县' 'charity.amount by 项目名称'
cat out.txt
contains out.txt '"charity.amount by 收支类型, 区县",捐赠/定向,前锋区,50.00'
contains out.txt '"charity.amount by 收支类型, 区县",捐赠收入,前锋区,315.00'
contains out.txt 'charity.amount by 项目名称,助学/甲,,130.00'
CIVREPORT_DATADIR=$WORK/data expect_exit 0 "$BIN" query --year 2021 --input in2 --format json \
	'charity.amount by 收支类型, 区县'
$PY - out.txt <<'PYEOF' || fail "query json keys"
import json, sys
g = {tuple(x["key"]): x["value"] for x in json.load(open(sys.argv[1]))["figures"][0]["groups"]}
assert g[("捐赠/定向", "前锋区")] == 5000 and g[("捐赠收入", "前锋区")] == 31500, g
PYEOF
CIVREPORT_DATADIR=$WORK/data expect_exit 0 "$BIN" query --year 2021 --input in2 \
	'charity.amount by 收支类型, 区县'
cat out.txt
grep -E '^  捐赠/定向 +前锋区 +50\.00$' out.txt >/dev/null || fail "query table: 捐赠/定向 前锋区"

# a stacked chart by those two columns: the category is the whole value
cat >t2.md <<'MD'
---
title: 键
pdf: k2.pdf
xlsx: k2.xlsx
---

```chart
type: stacked
title: 收支
series: charity.amount by 收支类型, 区县
unit: 元
```
MD
CIVREPORT_DATADIR=$WORK/data expect_exit 0 "$BIN" run --year 2021 --input in2 --template t2.md \
	--output out2 --dump-doc doc2.txt --quiet
contains doc2.txt 'category 3 "捐赠/定向"'
contains doc2.txt 'series 1 "前锋区"'
lacks doc2.txt '定向-'
echo "keys ok"
