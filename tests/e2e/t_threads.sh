# When the system refuses threads: no worker at all is an I/O error (exit
# 3) that says why, never a hang; fewer workers than asked is a warning and
# the same figures.  pthread_create is made to fail by an LD_PRELOAD shim.
. "$ROOT/tests/e2e/lib.sh"

cc -shared -fPIC -o failthr.so "$ROOT/tests/e2e/failthr.c" -ldl || fail "cannot build the shim"
# the sanitizer runtime wants to be first; the shim only forwards to it
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
IN="$ROOT/tests/fixtures/ingest/quoted"

expect_exit 0 "$BIN" query --year 2021 --input "$IN" --format csv --threads 2 'relief.amount by 发放年月'
cp out.txt want.csv

expect_exit 3 env CIVREPORT_TEST_THREADS=0 LD_PRELOAD="$PWD/failthr.so" "$BIN" query --year 2021 --input "$IN" --format csv --threads 2 'relief.amount by 发放年月'
contains err.txt "无法创建读取线程"

expect_exit 0 env CIVREPORT_TEST_THREADS=1 LD_PRELOAD="$PWD/failthr.so" "$BIN" query --year 2021 --input "$IN" --format csv --threads 2 'relief.amount by 发放年月'
contains err.txt "只能创建 1 个读取线程（要求 2 个）"
cmp out.txt want.csv || fail "one worker gave other figures than two"
