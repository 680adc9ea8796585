# ID numbers that Excel turned into numbers (issue 12): a CSV opened and
# saved in Excel carries 5.11621E+17, or the ID with only 15 significant
# digits kept (…059000).  Such rows are rejected with their own reason,
# counted apart from ordinary check errors, and never shown unmasked.
. "$ROOT/tests/e2e/lib.sh"

"$BIN" sample --year 2021 --out in --scale 0.01 --quiet 2>/dev/null || fail "sample"
f=in/relief-华蓥市.csv
# rows 2-4: 5.11621E+17; rows 5-7: the last three digits turned to 000
awk -F, 'BEGIN { OFS = "," }
NR >= 2 && NR <= 4 { $1 = "5.11621E+17" }
NR >= 5 && NR <= 7 { $1 = substr($1, 1, 15) "000" }
{ print }' "$f" >t.csv && mv t.csv "$f"

expect_exit 0 "$BIN" check --year 2021 --input in --max-reject-rate 1 --no-progress
cat out.txt | sed -n '/拒收原因/,/合计/p'
contains out.txt "身份证号被存成了数字，末几位已丢失，请在导出时把该列设为文本"
grep -F "身份证号被存成了数字" out.txt | grep -qE " 6  relief-[^ ]+\.csv 第[0-9]+行$" || fail "want 6 rows of IDs saved as numbers, and where the first is"
# the damaged IDs of rejects: masked like any ID, the reason on each
expect_exit 0 "$BIN" run --year 2021 --input in --output o --max-reject-rate 1 --quiet --no-progress
[ "$(grep -c '身份证号被存成了数字' o/2021/rejects.csv)" -eq 6 ] || fail "rejects.csv lacks the 6 rows"
if grep -aE '[0-9]{15}000' o/2021/rejects.csv; then fail "an ID reached rejects.csv unmasked"; fi
pdftotext o/2021/annual-report-2021.pdf r.txt
tr -d '\n' <r.txt >r.flat
contains r.flat "身份证号被存成了数字"
echo "IDs saved as numbers: 6 rows rejected with their own reason"
