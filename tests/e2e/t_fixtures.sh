# civreport check on every ingest fixture folder (one CSV quirk each, see
# tests/fixtures/ingest/README.md): the data-quality summary and the exit
# code are compared with the folder's expected.txt, and rejects written by
# run are checked for file, line, column and reason.
#
# Each folder is checked as a copy without its expected.txt: a .txt file in
# the input folder is named as a file not read (README, "未读取的文件").  To
# write one folder's expected.txt after a deliberate change, likewise:
#   d=tests/fixtures/ingest/NAME t=$(mktemp -d) && cp -a "$d"/. "$t" && rm "$t/expected.txt"
#   build/civreport check --year 2021 --input "$t" --max-reject-rate 1 --no-progress >"$d/expected.txt"
#   echo "exit $?" >>"$d/expected.txt"
. "$ROOT/tests/e2e/lib.sh"

status=0
for dir in "$ROOT"/tests/fixtures/ingest/*/; do
	name=$(basename "$dir")
	mkdir -p fx
	cp -a "$dir" "fx/$name" || fail "copy $dir"
	rm -f "fx/$name/expected.txt"
	"$BIN" check --year 2021 --input "fx/$name" --max-reject-rate 1 --no-progress >got.txt 2>err.txt
	echo "exit $?" >>got.txt
	if ! diff -u "$dir/expected.txt" got.txt >diff.txt; then
		echo "== $name"
		cat diff.txt err.txt
		status=1
	fi
done
[ "$status" -eq 0 ] || fail "data-quality summaries differ from expected.txt"

# rejects.csv of a run: file, sheet (empty for a CSV), 1-based line, cell, column, reason; PII masked
expect_exit 0 "$BIN" run --year 2021 --input "$ROOT/tests/fixtures/ingest/quoted" --output out \
	--max-reject-rate 1 --quiet
contains out/2021/rejects.csv "relief.csv,,7,,relief,发放年月,发放年月：年月无效（月份应为1到12）"
contains out/2021/rejects.csv "relief.csv,,10,,relief,发放金额,"
lacks out/2021/rejects.csv "511602198001150012"
