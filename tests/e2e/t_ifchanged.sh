# run --if-changed: skipped ("up to date", exit 0, nothing written, no data
# read) while the inputs, template and settings are those recorded in
# manifest.json and every output is there; a full run otherwise.  Whether a
# run read data shows on its stderr: the test hook marks the point "scan"
# (src/util/testhook.h), and where the file system keeps access times, in
# the input files' atimes.
#
# The fingerprint covers each input file's SHA-256 (its content: a file
# touched or copied again unchanged changes nothing; one whose size and
# nanosecond mtime are those recorded is not even read, as git's index
# does), the template's and schema.ini's SHA-256, the settings that change
# figures, and civreport's version.  With --quiet, "up to date" is not
# printed (cron mails any stdout).  A second run gives up (exit 4) before it
# reads any data, also with --year latest.
. "$ROOT/tests/e2e/lib.sh"
set -u

: "${CIVREPORT_DATADIR:=$ROOT/templates}"
export CIVREPORT_DATADIR
# every run below says on stderr when it starts reading data
CIVREPORT_TEST_PAUSE=scan
export CIVREPORT_TEST_PAUSE

OUT=output/2021
OUTPUTS="annual-report-2021.pdf annual-report-2021.xlsx metrics.json rejects.csv manifest.json"

now_ms() { date +%s%3N; }
mtimes() { (cd "$OUT" && stat -c '%n %y' $OUTPUTS 2>/dev/null); }

"$BIN" sample --year 2021 --out in --scale 0.01 2>/dev/null || fail "sample"
cp "$ROOT/templates/annual-summary.md" tpl.md
run() { "$BIN" run --year 2021 --input in --output output --template tpl.md "$@"; }

# expect_skip WHAT: --if-changed does nothing
expect_skip() {
	mtimes >before.txt
	ls -A "$OUT" >files-before.txt
	s=$(now_ms)
	expect_exit 0 run --if-changed
	ms=$(($(now_ms) - s))
	echo "$1: up to date in $ms ms"
	[ "$(cat out.txt)" = "up to date" ] || { cat out.txt; fail "$1: stdout is not \"up to date\""; }
	lacks err.txt "test hook: scan"
	mtimes >after.txt
	cmp -s before.txt after.txt || { diff before.txt after.txt; fail "$1: --if-changed rewrote outputs"; }
	ls -A "$OUT" >files-after.txt
	cmp -s files-before.txt files-after.txt || { diff files-before.txt files-after.txt; fail "$1: --if-changed left files"; }
}

# expect_full WHAT: --if-changed does a full run, every output rewritten
expect_full() {
	mtimes >before.txt
	expect_exit 0 run --if-changed
	lacks out.txt "up to date"
	contains err.txt "test hook: scan"
	contains err.txt "完成"
	for o in $OUTPUTS; do
		[ -s "$OUT/$o" ] || fail "$1: $o missing after the full run"
		b=$(grep "^$o " before.txt | cut -d' ' -f2-)
		a=$(stat -c %y "$OUT/$o")
		[ "$a" != "$b" ] || fail "$1: $o was not rewritten (mtime $a)"
	done
	echo "$1: full run"
	# and now it is up to date again
	expect_skip "$1, then again"
}

expect_exit 0 run
full_ms=$(grep -o '完成：.*，用时 [0-9.]* 秒' err.txt)
echo "first run: $full_ms"
for o in $OUTPUTS; do [ -s "$OUT/$o" ] || fail "$o missing"; done
contains "$OUT/manifest.json" '"fingerprint"'

expect_skip "unchanged"

# --quiet: nothing at all on stdout, which cron would mail every night
expect_exit 0 run --if-changed --quiet
[ ! -s out.txt ] || { cat out.txt; fail "--if-changed --quiet printed: $(cat out.txt)"; }
lacks err.txt "test hook: scan"

# ... and it reads no data file: with every input's access time set back to
# 2000 (mtime and size, the fingerprint, unchanged), a read would move it
# (relatime updates an atime older than the mtime).  Only where the file
# system updates access times at all: a control read shows it.
atimes() { stat -c '%x %n' in/*.csv; }
touch -a -d 2000-01-01 in/*.csv
cat in/charity.csv >/dev/null
if [ "$(stat -c %X in/charity.csv)" -gt 946684800 ]; then
	touch -a -d 2000-01-01 in/*.csv
	expect_skip "unchanged, access times set back"
	atimes | grep -v '^2000-01-01' >read.txt
	[ ! -s read.txt ] || { cat read.txt; fail "--if-changed read data files to find nothing to do"; }
	# --year latest: "latest" is part of the recorded settings, so the first
	# such run is a full one (it reads the data to find the year); the next
	# finds its manifest without reading any data file
	expect_exit 0 "$BIN" run --year latest --input in --output output --template tpl.md --if-changed
	[ "$(cat out.txt)" != "up to date" ] || fail "--year latest after --year 2021 skipped"
	touch -a -d 2000-01-01 in/*.csv
	expect_exit 0 "$BIN" run --year latest --input in --output output --template tpl.md --if-changed
	[ "$(cat out.txt)" = "up to date" ] || fail "--year latest --if-changed: not up to date"
	lacks err.txt "test hook: scan"
	atimes | grep -v '^2000-01-01' >read.txt
	[ ! -s read.txt ] || { cat read.txt; fail "--year latest --if-changed read data files"; }
	touch -a -d 2000-01-01 in/*.csv
else
	echo "access times are not updated here (noatime): the no-read check is skipped"
fi
# --if-changed with --mail would not mail either: nothing ran (see t_mail.sh
# for the mail itself); the plain run without --if-changed always runs
mtimes >before.txt
expect_exit 0 run --quiet
lacks out.txt "up to date"
mtimes >after.txt
! cmp -s before.txt after.txt || fail "a run without --if-changed skipped"
expect_skip "after a plain run"

# --quiet, the class: no subcommand cron may run prints on stdout with it
# (check's table, lint's "passed" line did); query and --dump-doc - are
# asked for their output, and keep it
expect_exit 0 "$BIN" check --year 2021 --input in --quiet
[ ! -s out.txt ] || { head -5 out.txt; fail "check --quiet printed on stdout"; }
expect_exit 0 "$BIN" lint --template tpl.md --quiet
[ ! -s out.txt ] || { cat out.txt; fail "lint --quiet printed on stdout"; }
expect_exit 0 "$BIN" run --year 2021 --input in --output output-quiet --template tpl.md --quiet
[ ! -s out.txt ] || { cat out.txt; fail "run --quiet printed on stdout"; }

# touched, or copied again unchanged (new mtime, new inode): same content,
# still up to date, and no report, so no mail (they are read and
# hashed to find that out)
touch in/*.csv
expect_skip "every input touched"
f="in/relief-广安区.csv"
cp "$f" copy.tmp && mv copy.tmp "$f"
expect_skip "an input copied again"

# one byte of one input file changed, same size
f="in/relief-广安区.csv"
size=$(stat -c %s "$f")
$PY - "$f" <<'EOF' || fail "patching $f"
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
# a digit in the middle of the file becomes another digit
i = len(b) // 2
while not (0x31 <= b[i] <= 0x38):
    i += 1
b[i] += 1
open(p, "r+b").write(b)
EOF
[ "$(stat -c %s "$f")" -eq "$size" ] || fail "the patch changed the size"
expect_full "one byte of $f changed"

# the template: touched only -> same content, same report: still up to date
touch tpl.md
expect_skip "template touched (content unchanged)"
# the template edited (one line added) -> full run
printf '\n补充说明:本段由测试加入。\n' >>tpl.md
expect_full "template edited"

# an output deleted -> full run
rm "$OUT/annual-report-2021.pdf"
expect_full "PDF deleted"
rm "$OUT/manifest.json"
expect_full "manifest deleted"

# a setting that changes figures -> full run
mtimes >before.txt
expect_exit 0 run --if-changed --max-reject-rate 0.5
lacks out.txt "up to date"
expect_exit 0 run --if-changed --max-reject-rate 0.5
[ "$(cat out.txt)" = "up to date" ] || fail "same settings again: not up to date"
expect_full "--max-reject-rate back to the default"

# an input file added, and one removed -> full run
cp in/charity.csv in/charity-copy.csv
expect_full "input file added"
rm in/charity-copy.csv
expect_full "input file removed"

# A second run gives up before it reads any data (issue 10 item 24): held
# while it reads (the test hook "scan"), a run holds the lock; another run
# exits 4 at once, never reaching "scan".  With --year latest too, whose
# year only the data tell (it held no lock while finding it out, and a
# second run validated everything before its exit 4).
# hold_at POINT ARGS...: a run in the background held at POINT ($pid)
hold_at() {
	_point=$1
	shift
	rm -f hook.fifo && mkfifo hook.fifo || fail "mkfifo"
	CIVREPORT_TEST_PAUSE=$_point CIVREPORT_TEST_FIFO=$WORK/hook.fifo \
		"$BIN" run --input in --output output --template tpl.md --quiet "$@" \
		>bg.out 2>bg.err 9>hook.fifo 3<&- &
	pid=$!
	exec 3<hook.fifo
	read -r _at _atpid <&3 || { exec 3<&-; wait "$pid"; cat bg.err; fail "the held run ended first"; }
	[ "$_at $_atpid" = "$_point $pid" ] || fail "test hook: '$_at $_atpid'"
}
trap 'kill -9 "${pid:-}" 2>/dev/null' EXIT
touch in/*.csv # the holder reads them all
for year in 2021 latest; do
	hold_at scan --year "$year"
	s=$(now_ms)
	expect_exit 4 run --year "$year"
	echo "--year $year: exit 4 after $(($(now_ms) - s)) ms"
	contains err.txt "进程 $pid"
	lacks err.txt "test hook: scan"
	exec 3<&-
	wait "$pid" || { cat bg.err; fail "the held run failed"; }
done
