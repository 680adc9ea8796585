# Excel workbooks in the input folder (issue 12): each worksheet that holds
# a dataset's header is read like a CSV export of it, so a workbook gives
# the same figures, to the fen, as the CSV it was made from.  The workbooks
# are written here by Debian's openpyxl (and xlwt for .xls) the way officers'
# files look: a merged title row above the header, money as numbers, dates
# as dates, a sheet of notes, a hidden sheet, a formula saved without its
# result, an ID column Excel turned into numbers.
. "$ROOT/tests/e2e/lib.sh"

"$BIN" sample --year 2021 --out s --scale 0.01 --quiet 2>/dev/null || fail "sample"
mkdir csv book
cp s/charity.csv s/children.csv csv/

# charity.csv -> charity.xlsx: the first rows on a visible sheet under a
# merged title, the last five on a hidden sheet; a notes sheet beside them
$PY - s/charity.csv book/charity.xlsx <<'EOF' || fail "openpyxl"
import csv, datetime, re, sys
from openpyxl import Workbook
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
head, data = rows[0], rows[1:]
def cell(name, v):
    if name == "金额" and re.fullmatch(r"-?\d+(\.\d+)?", v):
        return float(v)          # money as Excel keeps it: a double
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", v)
    if name == "日期" and m:
        return datetime.date(*map(int, m.groups()))  # a date cell
    if name == "受益人次" and v.isdigit():
        return int(v)
    return v
wb = Workbook()
ws = wb.active
ws.title = "慈善收支"
ws.append(["广安市2021年慈善收支明细表"])
ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(head))
ws.append(head)
for r in data[:-5]:
    ws.append([cell(h, v) for h, v in zip(head, r)])
hidden = wb.create_sheet("补录")
hidden.sheet_state = "hidden"
hidden.append(head)
for r in data[-5:]:
    hidden.append([cell(h, v) for h, v in zip(head, r)])
notes = wb.create_sheet("填表说明")
notes.append(["金额单位：元"])
notes.append(["日期按发放日填写"])
wb.save(sys.argv[2])
EOF

# children.csv -> children.xls (Excel 97-2003), money as numbers
$PY - s/children.csv book/children.xls <<'EOF' || fail "xlwt"
import csv, re, sys, xlwt
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
wb = xlwt.Workbook(encoding="utf-8")
ws = wb.add_sheet("儿童")
for i, r in enumerate(rows):
    for j, v in enumerate(r):
        if i > 0 and rows[0][j] == "金额" and re.fullmatch(r"-?\d+(\.\d+)?", v):
            ws.write(i, j, float(v))
        else:
            ws.write(i, j, v)
wb.save(sys.argv[2])
EOF

q='charity.amount charity.rows charity.amount[收支类型=捐赠收入] children.amount children.persons'
# shellcheck disable=SC2086
expect_exit 0 "$BIN" query --year 2021 --input csv --format csv --max-reject-rate 1 $q
mv out.txt csv.txt
# shellcheck disable=SC2086
expect_exit 0 "$BIN" query --year 2021 --input book --format csv --max-reject-rate 1 $q
cmp csv.txt out.txt || { diff csv.txt out.txt; fail "the workbooks' figures differ from the CSVs'"; }
contains err.txt "工作表“填表说明”"
contains err.txt "是隐藏的工作表，已读取"

# check: one line per sheet read, the counts reconcile, the same totals as the CSVs
expect_exit 0 "$BIN" check --year 2021 --input csv --max-reject-rate 1 --no-progress
grep '合计' out.txt | tr -s ' ' >csv-total.txt
expect_exit 0 "$BIN" check --year 2021 --input book --max-reject-rate 1 --no-progress
contains out.txt "charity.xlsx 工作表“慈善收支”"
contains out.txt "charity.xlsx 工作表“补录”"
contains out.txt "children.xls 工作表“儿童”"
contains out.txt "xlsx"
grep '合计' out.txt | tr -s ' ' >book-total.txt
# the title row is not a row read: the totals are the CSVs'
cmp csv-total.txt book-total.txt || { diff csv-total.txt book-total.txt; fail "totals differ"; }

# rejects point to the sheet, the row and the cell; a formula without a
# result and an ID stored as a number are rejects with their own reasons
$PY - book/charity.xlsx <<'EOF' || fail "openpyxl edit"
import sys
from openpyxl import load_workbook
wb = load_workbook(sys.argv[1])
ws = wb["慈善收支"]
ws["A5"] = "2021-13-01"      # row 5: a month 13
ws["E7"] = "=E3+E4"          # row 7: a formula, saved without its result
wb.save(sys.argv[1])
EOF
expect_exit 0 "$BIN" run --year 2021 --input book --output o --max-reject-rate 1 --quiet --no-progress
contains o/2021/rejects.csv "文件,工作表,行号,单元格,数据集,列,原因"
contains o/2021/rejects.csv "charity.xlsx,慈善收支,5,A5,charity,日期,"
contains o/2021/rejects.csv 'charity.xlsx,慈善收支,7,E7,charity,金额,金额：单元格是公式，文件中没有保存计算结果'
# the rest of that row is masked by column (a sheet's short row is not a shifted one)
grep '^charity.xlsx,慈善收支,7,' o/2021/rejects.csv | grep -q '（公式，无计算结果）' ||
	fail "the formula cell is not shown as such"
contains o/2021/manifest.json '"sheet": "补录"'
pdftotext o/2021/annual-report-2021.pdf r.txt || fail "pdftotext"
tr -d '\n' <r.txt >r.flat
contains r.flat "charity.xlsx 工作表“慈善收支” A5"
contains r.flat "单元格是公式"

# an ID column Excel turned into numbers: rejected with its own reason,
# masked in every output
mkdir ids
$PY - s/relief-华蓥市.csv ids/relief.xlsx <<'EOF' || fail "openpyxl ids"
import csv, sys
from openpyxl import Workbook
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
head = rows[0]
k = head.index("身份证号码")
wb = Workbook()
ws = wb.active
ws.append(head)
for n, r in enumerate(rows[1:40]):
    if n < 3 and r[k].isdigit():
        r = list(r)
        r[k] = int(r[k])        # Excel keeps 15 digits: 5.11621197806059E+17
    ws.append(r)
wb.save(sys.argv[2])
EOF
expect_exit 0 "$BIN" check --year 2021 --input ids --max-reject-rate 1 --no-progress
contains out.txt "身份证号被存成了数字，末几位已丢失，请在导出时把该列设为文本"
expect_exit 0 "$BIN" run --year 2021 --input ids --output oi --max-reject-rate 1 --quiet --no-progress
contains oi/2021/rejects.csv "身份证号被存成了数字"
if grep -aE '[0-9]{15}' oi/2021/rejects.csv | grep -vE '[0-9]{6}\*{8}'; then
	fail "an ID reached rejects.csv unmasked"
fi

# an ID number in the name of a file that is read: masked in every output
# and message, as in the names of files not read (synthetic ID,
# tests/fixtures/ingest/README.md)
mkdir named
cp ids/relief.xlsx named/511602198001150012补发.xlsx
expect_exit 0 "$BIN" run --year 2021 --input named --output on --max-reject-rate 1 --no-progress
cat out.txt err.txt >named.log
contains named.log "511602********0012补发.xlsx"
lacks named.log "511602198001150012"
pdftotext on/2021/annual-report-2021.pdf on.txt || fail "pdftotext"
for f in on/2021/rejects.csv on/2021/manifest.json on/2021/metrics.json on.txt; do
	lacks "$f" "511602198001150012"
done
contains on/2021/rejects.csv "511602********0012补发.xlsx"
# the manifest shows the name masked; --if-changed still knows the report is current
expect_exit 0 "$BIN" run --year 2021 --input named --output on --max-reject-rate 1 --no-progress --if-changed
contains out.txt "up to date"

# a workbook with no data sheet, and a damaged one: the run fails naming them
mkdir nodata broken
cp s/charity.csv nodata/ && cp s/charity.csv broken/
$PY - nodata/说明.xlsx <<'EOF' || fail "openpyxl notes"
import sys
from openpyxl import Workbook
wb = Workbook()
wb.active.title = "填表说明"
wb.active.append(["本表由各区县民政局填报"])
wb.save(sys.argv[1])
EOF
expect_exit 1 "$BIN" check --year 2021 --input nodata --no-progress
contains err.txt "说明.xlsx: 没有一个工作表是数据表"
printf 'PK\003\004 not a zip at all' >broken/低保.xlsx
expect_exit 1 "$BIN" check --year 2021 --input broken --no-progress
contains err.txt "低保.xlsx"
head -c 600 book/charity.xlsx >broken/截断.xlsx
expect_exit 1 "$BIN" check --year 2021 --input broken --no-progress
contains err.txt "截断.xlsx"
exit 0
