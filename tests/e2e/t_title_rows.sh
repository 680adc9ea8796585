# Rows above the header (issue 12): exports often start with a title
# ("广安市2021年慈善收支明细表", a merged cell saved as one field and empty
# ones), a unit line and blank rows.  The header is looked for in the first
# ten rows; the rows above it are skipped with a warning, the figures are
# those of the file without them, and rejects keep their physical lines.
# A file whose first ten rows name no column is refused as before.
. "$ROOT/tests/e2e/lib.sh"

"$BIN" sample --year 2021 --out s --scale 0.01 --quiet 2>/dev/null || fail "sample"
mkdir plain titled
cp s/charity.csv plain/charity.csv
{
	printf '广安市2021年慈善收支明细表,,,,,,\r\n单位：元,,,,制表日期：2022年1月5日,,\r\n,,,,,,\r\n'
	# the sample's charity.csv starts with a BOM: not in the middle of a file
	sed '1s/^\xEF\xBB\xBF//' s/charity.csv
} >titled/charity.csv

expect_exit 0 "$BIN" query --year 2021 --input plain --format csv 'charity.amount' 'charity.rows'
mv out.txt plain.txt
expect_exit 0 "$BIN" query --year 2021 --input titled --format csv 'charity.amount' 'charity.rows'
cmp plain.txt out.txt || fail "rows above the header changed the figures"
contains err.txt "跳过了表头之前的3行"

# a rejected row keeps its physical line: 3 rows above, the header, then data
awk 'NR == 6 { sub(/^[^,]*,/, "2021-13-01,") } { print }' titled/charity.csv >t.csv
mv t.csv titled/charity.csv
expect_exit 0 "$BIN" run --year 2021 --input titled --output o --max-reject-rate 1 --quiet --no-progress
grep -q '^charity.csv,,6,,charity,日期,' o/2021/rejects.csv || { cat o/2021/rejects.csv; fail "the reject is not on line 6"; }

# eleven rows that name no column: not a header within ten rows
mkdir notitle
{
	i=0
	while [ "$i" -lt 11 ]; do echo "说明第$i行,,,"; i=$((i + 1)); done
	sed '1s/^\xEF\xBB\xBF//' s/charity.csv
} >notitle/charity.csv
expect_exit 1 "$BIN" check --year 2021 --input notitle --no-progress
contains err.txt "无法识别文件属于哪类数据"
echo "rows above the header: skipped, counted, lines kept"
