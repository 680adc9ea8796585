# The sample's year before (2020) for relief, as for the other datasets:
# a sample of its own at scale 0.01 gives 同比 for relief (relief.amount@prev
# and relief.persons@prev are there and a little smaller than 2021's); the
# oracle's 2020 (check_sample.py --year 2020) is civreport's (query and check
# --year 2020); each relief file holds the twelve months of both years, the
# 2020 rows first, and the persons paid in both years keep their name,
# category, township and household.
. "$ROOT/tests/e2e/lib.sh"

expect_exit 0 "$BIN" sample --year 2021 --scale 0.01 --out s --quiet

# 同比 for the relief figures of the report year
expect_exit 0 "$BIN" query --year 2021 --input s --format csv \
	'relief.amount' 'relief.amount@prev' 'relief.persons' 'relief.persons@prev' \
	'relief.amount[救助类别=城市低保,农村低保]' 'relief.amount[救助类别=城市低保,农村低保]@prev' \
	'relief.persons by 区县' 'relief.persons@prev by 区县'
cat out.txt
$PY - out.txt <<'PYEOF' || fail "relief has no plausible year before"
import csv, sys
v = {(r["expression"], r["key"]): r["value"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
def ratio(expr, key="", lo=0.85, hi=0.995):
    cur, prev = v.get((expr, key)), v.get((expr + "@prev", key))
    assert prev not in (None, "", "0", "0.00"), "%s@prev %s: no year before" % (expr, key)
    r = float(prev) / float(cur)
    assert lo <= r <= hi, "%s %s: 2020 %s against 2021 %s (%.3f)" % (expr, key, prev, cur, r)
    print("%s %s: 2020/2021 = %.3f" % (expr, key, r))
ratio("relief.amount")
ratio("relief.persons", lo=0.95)
ratio("relief.amount[救助类别=城市低保,农村低保]")
for d in ("广安区", "前锋区", "华蓥市", "岳池县", "武胜县", "邻水县"):
    cur, prev = v.get(("relief.persons by 区县", d)), v.get(("relief.persons@prev by 区县", d))
    assert prev and cur and 0.9 <= int(prev) / int(cur) < 1, "%s: 2020 %s, 2021 %s" % (d, prev, cur)
PYEOF

# the oracle of 2020 against civreport's 2020, figure by figure
$PY "$ROOT/tests/e2e/check_sample.py" --year 2020 s >oracle.txt 2>&1 || { cat oracle.txt; fail "oracle"; }
grep -q '^relief.persons\[城乡低保\] [1-9]' oracle.txt || fail "the oracle finds no dibao persons in 2020"
set --
while IFS= read -r e; do set -- "$@" "$e"; done <<EOF2
$($PY "$ROOT/tests/e2e/oracle_query.py" expressions)
EOF2
expect_exit 0 "$BIN" query --year 2020 --input s --format csv "$@"
mv out.txt query.csv
expect_exit 0 "$BIN" check --year 2020 --input s
mv out.txt check.txt
$PY "$ROOT/tests/e2e/oracle_query.py" compare oracle.txt query.csv check.txt ||
	fail "civreport and the oracle disagree on 2020"

# the files: both years' twelve months, 2020 first; continuing persons alike
$PY - s <<'PYEOF' || fail "relief files"
import csv, glob, os, sys
sys.path.insert(0, os.path.join(os.environ["ROOT"], "tests/e2e"))
from check_sample import header_map, parse_month, sniff_encoding
for path in sorted(glob.glob(os.path.join(sys.argv[1], "relief-*.csv"))):
    with open(path, newline="", encoding=sniff_encoding(path)) as f:
        rows = csv.reader(f)
        _, keys = header_map(next(rows))
        col = {k: i for i, k in enumerate(keys) if k}
        months, last, seen, same, moved = {}, 0, {}, 0, 0
        for row in rows:
            m = parse_month(row[col["month"]])
            if m is None:
                continue  # the planted bad month
            y = m // 100
            months.setdefault(y, set()).add(m % 100)
            assert y >= last, "%s: a %d row after %d rows" % (path, y, last)
            last = y
            who = tuple(row[col[k]] for k in ("name", "category", "township", "household"))
            pid = row[col["id"]]
            if y == 2020:
                seen[pid] = who
            elif pid in seen:
                if seen.pop(pid) == who:
                    same += 1
                else:
                    moved += 1
    assert sorted(months) == [2020, 2021], (path, sorted(months))
    for y in (2020, 2021):
        assert months[y] == set(range(1, 13)), (path, y, sorted(months[y]))
    assert same > 0 and moved == 0, "%s: %d persons alike in both years, %d not" % (path, same, moved)
    print("%s: 24 months, 2020 first, %d persons paid in both years, alike" % (os.path.basename(path), same))
PYEOF
