# civreport sample at scale 1 meets every figure of the 2021 summary, as
# counted by an independent Python oracle, and civreport check reconciles
# its rows (the planted bad rows are rejected, nothing else).
. "$ROOT/tests/e2e/lib.sh"
IN=$(full_sample)

$PY "$ROOT/tests/e2e/check_sample.py" --expect-seed "$IN" >oracle.txt 2>&1 || { cat oracle.txt; fail "oracle"; }
tail -1 oracle.txt
expect_exit 0 "$BIN" check --year 2021 --input "$IN"
grep -Eq '^社会救助发放明细 +3,228,527 +3,228,517 +10 +0$' out.txt || { cat out.txt; fail "relief: 3,228,527 rows read, 10 rejected"; }
contains out.txt "合计：读取 3,258,945 = 接收 3,244,257 + 拒收 12 + 年度外 14,676"
# same seed, same bytes
"$BIN" sample --year 2021 --out small1 --scale 0.01 --quiet
"$BIN" sample --year 2021 --out small2 --scale 0.01 --quiet
diff -r small1 small2 || fail "sample is not deterministic"
