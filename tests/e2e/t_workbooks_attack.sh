# Hostile and unlucky workbooks (issue 12): what an officer's folder or a
# crafted file can do to the workbook readers, each case with what the run
# must say.  t_workbooks.sh covers the ordinary files.
. "$ROOT/tests/e2e/lib.sh"

"$BIN" sample --year 2021 --out s --scale 0.01 --format xlsx --quiet 2>/dev/null ||
	fail "sample --format xlsx"

# A workbook saved again (in place) while its sheet is being read: the zip
# read then fails on bytes that are no longer the ones listed.  The officer
# must be told the file changed, not that a good file is damaged.  The run
# is held at the scan hook, after the first chunk of the sheet (more than
# 1 MiB of rows) went to the parsers, and the file is overwritten then.
mkdir changed
cp s/relief-岳池县.xlsx changed/r.xlsx
rm -f hook.fifo && mkfifo hook.fifo || fail "mkfifo"
trap 'kill -9 "${pid:-}" 2>/dev/null' EXIT
CIVREPORT_TEST_PAUSE=scan CIVREPORT_TEST_FIFO=$WORK/hook.fifo \
	"$BIN" check --year 2021 --input changed --threads 1 --max-reject-rate 1 --no-progress \
	>bg.out 2>bg.err 9>hook.fifo 3<&- &
pid=$!
exec 3<hook.fifo
read -r at atpid <&3 || { exec 3<&-; wait "$pid"; cat bg.err; fail "the held run ended first"; }
[ "$at $atpid" = "scan $pid" ] || fail "test hook: '$at $atpid'"
cat s/relief-邻水县.xlsx >changed/r.xlsx # same inode, other bytes
exec 3<&-
wait "$pid"
rc=$?
pid=
[ "$rc" -eq 1 ] || { cat bg.err; fail "exit $rc, want 1 for a workbook changed while read"; }
contains bg.err "r.xlsx 工作表“岳池县”: 文件在读取过程中被修改"
lacks bg.err "文件已损坏"
# An .xls whose shared string spans three or more BIFF records (a cell of
# 9,000 Chinese characters, as a pasted document makes): libfreexl 1.0.6
# then reads past its record buffer (AddressSanitizer: heap-buffer-overflow
# in freexl_open) and may read garbage.  Such a workbook is refused before
# libfreexl sees it, naming the cure; a string over two records (4,000
# characters) is still read, to the fen the CSV's figures.
mkdir xls2 xls3 csv3
$PY - s/charity.csv <<'EOF' || fail "xlwt"
import csv, sys, xlwt
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
def save(path, text):
    rows[3][2] = text
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("慈善")
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            ws.write(i, j, v)
    wb.save(path)
save("xls3/long.xls", "慈" * 9000 + "尾")
save("xls2/long.xls", "慈" * 4000 + "尾")
csv.writer(open("csv3/charity.csv", "w", encoding="utf-8")).writerows(rows)
EOF
expect_exit 1 "$BIN" check --year 2021 --input xls3 --max-reject-rate 1 --no-progress
contains err.txt "long.xls: "
contains err.txt "另存为.xlsx"
q='charity.amount charity.rows charity.amount[项目名称=慈善济困]'
# shellcheck disable=SC2086
expect_exit 0 "$BIN" query --year 2021 --input csv3 --format csv --max-reject-rate 1 $q
mv out.txt csv3.txt
# shellcheck disable=SC2086
expect_exit 0 "$BIN" query --year 2021 --input xls2 --format csv --max-reject-rate 1 $q
cmp csv3.txt out.txt || { diff csv3.txt out.txt; fail "a two-record string changed the figures"; }

exit 0
