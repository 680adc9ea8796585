# civreport check on every ingest fixture folder (one CSV quirk each, see
# tests/fixtures/ingest/README.md): the data-quality summary and the exit
# code are compared with the folder's expected.txt, and rejects written by
# run are checked for file, line, column and reason.
. "$ROOT/tests/e2e/lib.sh"

status=0
for dir in "$ROOT"/tests/fixtures/ingest/*/; do
	name=$(basename "$dir")
	"$BIN" check --year 2021 --input "$dir" --max-reject-rate 1 --no-progress >got.txt 2>err.txt
	echo "exit $?" >>got.txt
	if ! diff -u "$dir/expected.txt" got.txt >diff.txt; then
		echo "== $name"
		cat diff.txt err.txt
		status=1
	fi
done
[ "$status" -eq 0 ] || fail "data-quality summaries differ from expected.txt"

# rejects.csv of a run: file, 1-based line, column, reason; PII masked
expect_exit 0 "$BIN" run --year 2021 --input "$ROOT/tests/fixtures/ingest/quoted" --output out \
	--max-reject-rate 1 --quiet
contains out/2021/rejects.csv "relief.csv,7,relief,发放年月,发放年月:年月无效(月份应为1到12)"
contains out/2021/rejects.csv "relief.csv,10,relief,发放金额,"
lacks out/2021/rejects.csv "511602198001150012"
