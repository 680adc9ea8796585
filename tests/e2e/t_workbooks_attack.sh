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
exit 0
