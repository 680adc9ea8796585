# civreport sample at scale 1 meets every figure of the 2021 summary, as
# counted by an independent Python oracle, and civreport check reconciles
# its rows (the planted bad rows are rejected, nothing else).
. "$ROOT/tests/e2e/lib.sh"
IN=$(full_sample)

$PY "$ROOT/tests/e2e/check_sample.py" --expect-seed "$IN" >oracle.txt 2>&1 || { cat oracle.txt; fail "oracle"; }
tail -1 oracle.txt
expect_exit 0 "$BIN" check --year 2021 --input "$IN"
contains out.txt "relief     社会救助发放明细  读取 3228527 = 接收 3228517 + 拒收 10 + 年度外 0"
contains out.txt "拒收 12"
# same seed, same bytes
"$BIN" sample --year 2021 --out small1 --scale 0.01 --quiet
"$BIN" sample --year 2021 --out small2 --scale 0.01 --quiet
diff -r small1 small2 || fail "sample is not deterministic"
