# civreport query on the generated sample: the figures are independent of
# the thread count; at scale 1 (make test-full) the seed's relief figures
# come out of the right expressions (26.7万 persons, 3.5亿元, 5717 new, 1571,
# 802/96/370).
. "$ROOT/tests/e2e/lib.sh"
use_sample
IN=$SAMPLE

"$BIN" query --year 2021 --input "$IN" --format csv --threads 1 'relief.persons by 区县' 'relief.amount by 发放年月' >one.csv
"$BIN" query --year 2021 --input "$IN" --format csv --threads 2 'relief.persons by 区县' 'relief.amount by 发放年月' >two.csv
[ -s one.csv ] || fail "no figures"
cmp one.csv two.csv || fail "thread count changed the figures"

if ! full_scale; then
	echo "the seed's figures: only at scale 1 (make test-full)"
	exit 0
fi

expect_exit 0 "$BIN" query --year 2021 --input "$IN" --format csv \
	'relief.persons[救助类别=城市低保,农村低保]' \
	'relief.amount[救助类别=城市低保,农村低保]' \
	'relief.persons[纳入日期=$year; 救助类别=城市低保,农村低保]' \
	'relief.persons[纳入日期=$year; 救助类别=城市低保,农村低保; 纳入方式=重残重病单独纳入]' \
	'relief.persons[纳入日期=$year; 纳入方式=回头看排查] by 救助类别' \
	'relief.persons[纳入日期=$year; 纳入方式=回头看排查]'
cat out.txt
$PY - out.txt <<'PYEOF' || fail "seed figures"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
v = {(r["expression"], r["key"]): r["value"] for r in rows}
persons = int(v[("relief.persons[救助类别=城市低保,农村低保]", "")])
amount = float(v[("relief.amount[救助类别=城市低保,农村低保]", "")])
assert 266500 <= persons < 267000, persons              # 26.7万
assert 345_000_000 <= amount < 355_000_000, amount        # 3.5亿元
assert v[("relief.persons[纳入日期=$year; 救助类别=城市低保,农村低保]", "")] == "5717"
assert v[("relief.persons[纳入日期=$year; 救助类别=城市低保,农村低保; 纳入方式=重残重病单独纳入]", "")] == "1571"
g = "relief.persons[纳入日期=$year; 纳入方式=回头看排查] by 救助类别"
low = int(v[(g, "城市低保")]) + int(v[(g, "农村低保")])
assert low == 802, low
assert v[(g, "特困供养")] == "96" and v[(g, "临时救助")] == "370"
assert v[("relief.persons[纳入日期=$year; 纳入方式=回头看排查]", "")] == "1268"
print("seed figures ok")
PYEOF
