# Threads change the speed, never a byte: the default report (PDF, XLSX,
# DOCX, metrics.json, rejects.csv) and 20 figures with households, distinct
# text values and text groups (which cross the person shards) are the same
# with --threads 1, 2, 3 and 8, parsed and from the parse cache; the sample
# has duplicate payments (found per shard), rejects and prior-year rows.
# When the system refuses threads the run goes on with fewer (a warning,
# the same figures), down to the reading thread alone; pthread_create is
# made to fail by an LD_PRELOAD shim.
. "$ROOT/tests/e2e/lib.sh"
set -u

SCALE=0.02
[ "${E2E_SANITIZE:-0}" = 1 ] && SCALE=0.01
"$BIN" sample --year 2021 --scale "$SCALE" --out in --quiet >/dev/null || fail "sample"
OUTS="annual-report-2021.pdf annual-report-2021.xlsx annual-report-2021.docx metrics.json rejects.csv"
set -- 'relief.persons' 'relief.households' 'relief.rows' 'relief.amount' \
	'relief.persons by 区县' 'relief.households by 区县' 'relief.amount by 发放年月' \
	'relief.persons by 救助类别' 'relief.persons@prev' 'relief.amount@prev by 区县' \
	'relief.distinct(乡镇(街道))' 'relief.rows by 乡镇(街道)' 'relief.households by 乡镇(街道)' \
	'children.persons' 'children.persons by 儿童类别' 'children.persons@prev' 'elderly.rows' \
	'elderly.amount by 项目类型' 'charity.distinct(项目名称)' 'charity.amount by 项目名称' \
	'relief.persons[区县=岳池县]'

for t in 1 2 3 8; do
	"$BIN" run --year 2021 --input in --output "run$t" --no-cache --threads "$t" \
		>"run$t.out" 2>"run$t.err" || { cat "run$t.err" >&2; fail "run --threads $t"; }
	expect_exit 0 "$BIN" query --year 2021 --input in --format csv --no-cache --threads "$t" "$@"
	mv out.txt "q$t.csv"
	expect_exit 0 "$BIN" query --year 2021 --input in --format csv --cache cache --threads "$t" "$@"
	cmp -s out.txt "q$t.csv" || fail "the cache gave other figures with --threads $t"
done
grep -q '重复记录' run1/2021/rejects.csv || fail "the sample has no duplicate to find"
for t in 2 3 8; do
	for f in $OUTS; do
		cmp -s "run1/2021/$f" "run$t/2021/$f" || fail "$f differs between --threads 1 and $t"
	done
	cmp -s q1.csv "q$t.csv" || fail "the figures differ between --threads 1 and $t"
done
echo "threads 1, 2, 3, 8: the same report and figures, parsed and cached"

cc -shared -fPIC -o failthr.so "$ROOT/tests/e2e/failthr.c" -ldl || fail "cannot build the shim"
# the sanitizer runtime wants to be first; the shim only forwards to it
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

expect_exit 0 env CIVREPORT_TEST_THREADS=0 LD_PRELOAD="$PWD/failthr.so" "$BIN" query --year 2021 --input in --format csv --no-cache --threads 2 "$@"
contains err.txt "只能创建 1 个读取线程（要求 2 个）"
cmp -s out.txt q1.csv || fail "the reading thread alone gave other figures"

expect_exit 0 env CIVREPORT_TEST_THREADS=1 LD_PRELOAD="$PWD/failthr.so" "$BIN" query --year 2021 --input in --format csv --no-cache --threads 3 "$@"
contains err.txt "只能创建 2 个读取线程（要求 3 个）"
cmp -s out.txt q1.csv || fail "two threads of three gave other figures"
