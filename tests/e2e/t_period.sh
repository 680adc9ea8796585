# Periods and areas on a generated sample, exact to the fen: civreport query's
# figures for quarters, halves, months, districts (--where), comparisons
# (@prev, @last), range filters and averages (A / B) are those of an
# independent count (oracle_period.py), and they add up: the four quarters
# make the year, the six districts make the whole, Q1@last is the Q4
# before.  --period 2021 writes the bytes --year 2021 writes; check
# --period reconciles read = accepted + rejected + outside; bad periods and
# areas are refused with exit 2 and a Chinese message.
. "$ROOT/tests/e2e/lib.sh"

# a small sample of its own: the checks are exact at any scale
"$BIN" sample --year 2021 --scale 0.01 --out s --quiet || fail "sample generation"
# and rows on the edges of the schema's rules (synthetic IDs), most in 岳池县
# and 2021Q3, so that the question below depends on them: a payment of exactly
# the ceiling (kept), one fen above it, a month and an enrolment date after
# today, a duplicate; a row after a refused one with the same person and
# month (kept: a refused row is no payment); charity on both sides of 1000
cat >s/relief-extra.csv <<'EOF'
身份证号,姓名,区县,乡镇（街道）,救助类别,发放年月,发放金额,户号,纳入日期,纳入方式
511621198001019013,甲某,岳池县,九龙街道,城市低保,2021-08,1000000.00,GA-T1,2021-08-02,常规申请
511621198001019013,甲某,岳池县,九龙街道,城市低保,2021-08,500.00,GA-T1,2021-08-02,常规申请
511621198001019021,乙某,岳池县,九龙街道,农村低保,2021-09,1000000.01,GA-T2,2021-08-02,常规申请
51162119800101903X,丙某,岳池县,九龙街道,临时救助,2099-08,300.00,GA-T3,2021-08-02,常规申请
511621198001019048,丁某,岳池县,九龙街道,农村低保,2021-07,250.50,GA-T4,2099-01-01,常规申请
511621198001019048,丁某,岳池县,九龙街道,农村低保,2021-07,250.50,GA-T4,2021-07-01,常规申请
EOF
cat >s/charity-extra.csv <<'EOF'
日期,收支类型,项目名称,区县,金额,受益人次,捐赠方
2021-05-06,捐赠收入,测试项目,岳池县,1000.00,,某单位
2021-05-07,捐赠收入,测试项目,岳池县,999.99,,某单位
2021-05-08,项目支出,测试项目,岳池县,"1,000.00",10,
EOF
ORACLE=$ROOT/tests/e2e/oracle_period.py
DISTRICTS="广安区 前锋区 华蓥市 岳池县 武胜县 邻水县"

# ask PERIOD WHERE EXPR...: civreport query's answers, one line each in
# civ.tsv as "PERIOD|WHERE|EXPR<TAB>VALUE" ("-" where it prints no value)
: >civ.tsv
ask() {
	p=$1 w=$2
	shift 2
	if [ -n "$w" ]; then
		expect_exit 0 "$BIN" query --period "$p" --where "$w" --input s --format csv "$@"
	else
		expect_exit 0 "$BIN" query --period "$p" --input s --format csv "$@"
	fi
	$PY - out.txt "$p|$w|" "$@" >>civ.tsv <<'PYEOF' || fail "query output: $p $w $*"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
got = {r["expression"]: r["value"] for r in rows if r["key"] == "" and r["key2"] == ""}
assert len(got) == len(rows), rows
for e in sys.argv[3:]:
    print("%s%s\t%s" % (sys.argv[2], e, got.pop(e, "-")))
assert not got, got
PYEOF
}

base="relief.amount relief.rows relief.persons children.amount children.rows"
for p in 2021 2021Q1 2021Q2 2021Q3 2021Q4 2021H1 2021H2 2020Q3 2020Q4 2020-12 2021-01; do
	# shellcheck disable=SC2086
	ask "$p" "" $base
done
ask 2021Q1 "" relief.amount@last relief.rows@last children.amount@last
ask 2021-01 "" relief.amount@last children.amount@last
ask 2021H2 "" relief.amount@last relief.rows@last children.amount@last
ask 2021Q3 "" relief.amount@prev children.amount@prev charity.amount@prev elderly.amount@prev
ask 2020Q3 "" charity.amount elderly.amount
for d in $DISTRICTS; do
	ask 2021 "区县=$d" relief.rows relief.persons relief.amount
done
# the question of issue 11, word for word
ask 2021Q3 "区县=岳池县" 'relief.amount' 'relief.amount@prev' 'relief.amount@last' \
	'relief.amount / relief.persons'
ask 2021 "" 'relief.rows[发放年月=2021-07..2021-09]' 'relief.rows[发放年月>=2021-10]' \
	'charity.rows[金额>=1000]' 'charity.amount[金额>=1000]' 'charity.rows[金额<1000]' \
	'relief.rows / relief.persons' 'children.amount / children.persons'

# every figure is the oracle's
cut -f1 civ.tsv | $PY "$ORACLE" figures s >oracle.tsv || fail "oracle"
diff civ.tsv oracle.tsv >diff.txt || { cat diff.txt >&2; fail "civreport (<) and the oracle (>) disagree"; }
echo "$(wc -l <civ.tsv) figures equal the oracle's"

# and they add up
$PY - civ.tsv "$DISTRICTS" <<'PYEOF' || fail "the figures do not add up"
import sys
v = {}
for line in open(sys.argv[1], encoding="utf-8"):
    spec, value = line.rstrip("\n").split("\t")
    v[spec] = value
def n(spec):
    """An exact number (fen for money), or None for no value."""
    t = v[spec]
    if t == "-":
        return None
    if "." in t:
        whole, frac = t.split(".")
        assert len(frac) == 2, t
        return int(whole) * 100 + int(frac)
    return int(t)
bad = []
def same(what, a, b):
    if a != b:
        bad.append("%s: %s != %s" % (what, a, b))
    else:
        print("ok %s: %s" % (what, a))
quarters = ["2021Q%d" % q for q in (1, 2, 3, 4)]
for e in ("relief.amount", "relief.rows", "children.amount"):
    same("four quarters' %s = the year's" % e, sum(n(q + "||" + e) for q in quarters), n("2021||" + e))
    same("H1 + H2 %s = the year's" % e, n("2021H1||" + e) + n("2021H2||" + e), n("2021||" + e))
districts = sys.argv[2].split()
same("the districts' relief.rows = the whole's",
     sum(n("2021|区县=%s|relief.rows" % d) for d in districts), n("2021||relief.rows"))
same("the districts' relief.amount = the whole's",
     sum(n("2021|区县=%s|relief.amount" % d) for d in districts), n("2021||relief.amount"))
whole = n("2021||relief.persons")
for d in districts:
    p = n("2021|区县=%s|relief.persons" % d)
    if not 0 < p <= whole:
        bad.append("%s has %s distinct persons, the whole %s" % (d, p, whole))
total = sum(n("2021|区县=%s|relief.persons" % d) for d in districts)
if total < whole:
    bad.append("the districts' distinct persons sum to %d < the whole's %d" % (total, whole))
print("ok each district's persons <= %d <= their sum %d" % (whole, total))

# @last: the period of the same length just before; with no rows there
# (no relief in 2020 in the sample yet) no value at all, never 0
def compared(what, spec, base, ds_rows):
    if n(ds_rows) == 0:
        same(what + " (no rows there: no value)", v[spec], "-")
    else:
        same(what, n(spec), n(base))
for e in ("relief.amount", "relief.rows", "children.amount"):
    ds = e.split(".")[0]
    compared("2021Q1 %s@last = 2020Q4" % e, "2021Q1||%s@last" % e, "2020Q4||" + e, "2020Q4||%s.rows" % ds)
    compared("2021H2 %s@last = 2021H1" % e, "2021H2||%s@last" % e, "2021H1||" + e, "2021H1||%s.rows" % ds)
for e in ("relief.amount", "children.amount"):
    ds = e.split(".")[0]
    compared("2021-01 %s@last = 2020-12" % e, "2021-01||%s@last" % e, "2020-12||" + e, "2020-12||%s.rows" % ds)
# @prev: the same months a year earlier; children, charity and elderly
# have both years, so their comparison must have a value
compared("2021Q3 relief.amount@prev = 2020Q3", "2021Q3||relief.amount@prev", "2020Q3||relief.amount",
         "2020Q3||relief.rows")
for e in ("children.amount", "charity.amount", "elderly.amount"):
    if v["2021Q3||%s@prev" % e] == "-" or n("2021Q3||%s@prev" % e) == 0:
        bad.append("2021Q3 %s@prev has no value: the sample has no 2020 data" % e)
    same("2021Q3 %s@prev = 2020Q3" % e, n("2021Q3||%s@prev" % e), n("2020Q3||" + e))

# range filters and comparisons on the month column
same("relief.rows[发放年月=2021-07..2021-09] of 2021 = 2021Q3's",
     n("2021||relief.rows[发放年月=2021-07..2021-09]"), n("2021Q3||relief.rows"))
same("relief.rows[发放年月>=2021-10] of 2021 = 2021Q4's",
     n("2021||relief.rows[发放年月>=2021-10]"), n("2021Q4||relief.rows"))
# and on money
big, small = n("2021||charity.rows[金额>=1000]"), n("2021||charity.rows[金额<1000]")
if not 0 < big < big + small:
    bad.append("charity.rows[金额>=1000] = %s, [金额<1000] = %s: the sample does not test the filter"
               % (big, small))
for b in bad:
    print("WRONG " + b)
sys.exit(1 if bad else 0)
PYEOF

# --period 2021 is --year 2021, byte for byte (the default template; the
# planted file has four of six rows refused, hence --max-reject-rate 1)
expect_exit 0 "$BIN" run --year 2021 --input s --output by-year --max-reject-rate 1 --quiet
expect_exit 0 "$BIN" run --period 2021 --input s --output by-period --max-reject-rate 1 --quiet
for f in annual-report-2021.pdf annual-report-2021.xlsx metrics.json rejects.csv; do
	[ -s "by-year/2021/$f" ] || fail "--year 2021 wrote no $f"
	cmp "by-year/2021/$f" "by-period/2021/$f" || fail "$f: --period 2021 differs from --year 2021"
done
echo "--period 2021 writes the bytes of --year 2021"

# check --period 2021Q3: read = accepted + rejected + outside, per file, per
# dataset and in total; read and accepted are the oracle's, and rejected
# holds every row that fails validation (in the period or not)
expect_exit 0 "$BIN" check --period 2021Q3 --input s --max-reject-rate 1 --no-progress
mv out.txt check.txt
$PY "$ORACLE" check s 2021Q3 >oracle-check.tsv || fail "oracle"
# the oracle applies the rules: of the six planted rows, two kept, three
# invalid (ceiling, future month, future date), one duplicate
grep -qx "$(printf 'relief-extra.csv\t6\t2\t3\t1')" oracle-check.tsv ||
	{ cat oracle-check.tsv >&2; fail "the oracle misreads the planted rows"; }
$PY - check.txt oracle-check.tsv <<'PYEOF' || { cat check.txt >&2; fail "check --period 2021Q3 does not reconcile"; }
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
def counts(line):
    return [int(x.replace(",", "")) for x in re.findall(r"(?<![\w.-])\d[\d,]*(?![\w.-])", line)]
bad = []
files = 0
for o in open(sys.argv[2], encoding="utf-8"):
    name, records, accepted, invalid, dups = o.rstrip("\n").split("\t")
    records, accepted, invalid, dups = int(records), int(accepted), int(invalid), int(dups)
    line = [l for l in lines if l.startswith(name + " ")]
    if len(line) != 1:
        bad.append("%s: %d lines in check's table" % (name, len(line)))
        continue
    c = counts(line[0][len(name):])
    if len(c) != 4:
        bad.append("%s: not four counts: %s" % (name, line[0]))
        continue
    read, acc, rej, out = c
    files += 1
    if read != acc + rej + out:
        bad.append("%s: read %d != accepted %d + rejected %d + outside %d" % (name, read, acc, rej, out))
    if read != records:
        bad.append("%s: civreport read %d rows, the oracle %d" % (name, read, records))
    if acc != accepted:
        bad.append("%s: civreport accepted %d rows of 2021Q3, the oracle %d" % (name, acc, accepted))
    if not invalid <= rej <= invalid + dups:
        bad.append("%s: civreport rejected %d rows; the oracle has %d invalid, %d duplicates"
                   % (name, rej, invalid, dups))
total = [l for l in lines if l.startswith("合计：读取") or l.startswith("合计:读取")]
if len(total) != 1:
    bad.append("no total line 合计：读取 ...")
else:
    read, acc, rej, out = counts(total[0])
    if read != acc + rej + out:
        bad.append("total: %s" % total[0])
    sums = [0, 0, 0, 0]
    for l in lines:
        if re.match(r"^\S+\.csv\s", l):
            sums = [a + b for a, b in zip(sums, counts(l[l.index(".csv ") + 5:]))]
    if sums != [read, acc, rej, out]:
        bad.append("the files' counts %s do not sum to the total %s" % (sums, [read, acc, rej, out]))
for b in bad:
    print("WRONG " + b)
print("check --period 2021Q3: %d files reconciled with the oracle, %d problems" % (files, len(bad)))
sys.exit(1 if bad or files == 0 else 0)
PYEOF

# bad input: exit 2, and a message in Chinese that names what is wrong
refused() {
	what=$1
	shift
	expect_exit 2 "$@"
	contains err.txt "$what"
	$PY -c 'import re,sys; sys.exit(0 if re.search("[\u4e00-\u9fff]", open(sys.argv[1], encoding="utf-8").read()) else 1)' err.txt ||
		{ cat err.txt >&2; fail "not a Chinese message: $*"; }
}
for c in "query --input s relief.rows" "check --input s" "run --input s --output o"; do
	# shellcheck disable=SC2086
	set -- $c
	refused 2021Q5 "$BIN" "$@" --period 2021Q5
	refused 2021-09..2021-01 "$BIN" "$@" --period 2021-09..2021-01
	refused 区县 "$BIN" "$@" --period 2021 --where 区县
	refused 2021Q3 "$BIN" "$@" --year 2021 --period 2021Q3
done
refused 不存在的列 "$BIN" query --period 2021 --where 不存在的列=1 --input s relief.rows
refused 不存在的列 "$BIN" run --period 2021 --where 不存在的列=1 --input s --output o
echo "bad periods and areas refused"

# the reject rate is of the rows that count for the period (the period's and
# the rejected), not of every row read: an export of 2020 and 2021 whose
# 2021 rows are 7% bad is over 5% for 2021, though only ~3.5% of its rows
mkdir rr
f=s/relief-华蓥市.csv
head -n 1 "$f" >rr/relief.csv
# its month column (the 6th) in any spelling starts with the year
awk -F, 'NR > 1 && $6 ~ /^2020/' "$f" >>rr/relief.csv
awk -F, 'NR > 1 && $6 ~ /^2021/' "$f" >y2021.csv
n=$(wc -l <y2021.csv)
[ "$n" -ge 100 ] || fail "too few 2021 rows in $f: $n"
bad=$((n * 7 / 100 + 1))
head -n "$bad" y2021.csv | sed 's/^[^,]*,/511602XX,/' >>rr/relief.csv
tail -n +"$((bad + 1))" y2021.csv >>rr/relief.csv
expect_exit 1 "$BIN" check --period 2021 --input rr
contains err.txt "拒收比例过高"
expect_exit 0 "$BIN" check --period 2021 --input rr --max-reject-rate 0.1
echo "reject rate of the period's rows: $bad of $n bad rows fail the 5% limit"
