# The generated sample, read by an independent Python oracle
# (check_sample.py) and by civreport: every figure the oracle counts is the
# figure civreport's query computes, and civreport check's rows accepted and
# rejected per dataset, and each file's encoding, are the oracle's
# (oracle_query.py).  At scale 1 (make test-full) the oracle also finds every
# figure of the 2021 summary (--expect-seed), and check the exact counts of
# the seed.  The generator is deterministic: same seed, same bytes.
. "$ROOT/tests/e2e/lib.sh"
use_sample

seed=""
full_scale && seed=--expect-seed
$PY "$ROOT/tests/e2e/check_sample.py" $seed "$SAMPLE" >oracle.txt 2>&1 || { cat oracle.txt; fail "oracle"; }
tail -1 oracle.txt

# one query for every figure the oracle has
set --
while IFS= read -r e; do set -- "$@" "$e"; done <<EOF2
$($PY "$ROOT/tests/e2e/oracle_query.py" expressions)
EOF2
[ "$#" -gt 50 ] || fail "only $# expressions to compare"
expect_exit 0 "$BIN" query --year 2021 --input "$SAMPLE" --format csv "$@"
mv out.txt query.csv
expect_exit 0 "$BIN" check --year 2021 --input "$SAMPLE"
mv out.txt check.txt
$PY "$ROOT/tests/e2e/oracle_query.py" compare oracle.txt query.csv check.txt ||
	fail "civreport and the oracle disagree (scale $E2E_SAMPLE_SCALE)"

if full_scale; then
	# relief: 3,228,517 rows of 2021 accepted, 10 rejected, and 3,148,365 of 2020
	grep -Eq '^社会救助发放明细 +6,376,892 +3,228,517 +10 +3,148,365$' check.txt || { cat check.txt; fail "relief: 6,376,892 rows read, 10 rejected, 3,148,365 of 2020"; }
	contains check.txt "合计：读取 6,407,310 = 接收 3,244,257 + 拒收 12 + 年度外 3,163,041"
else
	echo "the seed's own figures: only at scale 1 (make test-full)"
fi

# same seed, same bytes
"$BIN" sample --year 2021 --out small1 --scale 0.01 --quiet
"$BIN" sample --year 2021 --out small2 --scale 0.01 --quiet
diff -r small1 small2 || fail "sample is not deterministic"
