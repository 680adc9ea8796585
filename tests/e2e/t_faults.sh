# Faults during a run: whatever happens to a run (SIGKILL, SIGTERM/SIGHUP, a
# read-only or full output folder, an input file cut or deleted under it, a
# second run at the same time), the previous outputs in output/2021/ stay
# exactly as they were (same SHA-256) unless the run really finished, and no
# temporary file (".civreport-tmp-*") is left behind once the next run is
# over (after a catchable signal or an error: at once).
#
# Every moment is made, not waited for: a run is stopped at a named point by
# the test hook (src/util/testhook.h), acted on there, and then let go or
# killed; no sleep, no timing guess, so a loaded machine only makes it slower.
#
# Inputs: in1 (scale 0.01, the baseline), in2 (scale 0.01, another seed, so a
# run that wrongly replaced an output would change its hash), and one relief
# file of the shared sample (several 1 MiB chunks) for a file cut mid-read.
. "$ROOT/tests/e2e/lib.sh"
set -u

# The binary under test finds schema.ini and the default template here (run.sh
# sets it; the default is for running this script by hand: build/san/civreport
# does not find ../templates from a temporary folder by itself).
: "${CIVREPORT_DATADIR:=$ROOT/templates}"
export CIVREPORT_DATADIR

OUT=output/2021
OUTPUTS="annual-report-2021.pdf annual-report-2021.xlsx annual-report-2021.docx metrics.json rejects.csv manifest.json"

now_ms() { date +%s%3N; }

# snap DIR FILE: record the outputs' hashes; intact DIR FILE WHAT: compare
# (FILE relative to $WORK)
snap() { (cd "$1" && sha256sum $OUTPUTS) >"$WORK/$2" || fail "snap $1"; }
intact() {
	(cd "$1" && sha256sum -c --quiet "$WORK/$2") >/dev/null 2>&1 && return 0
	(cd "$1" && sha256sum -c "$WORK/$2") >&2
	fail "$3: the previous outputs in $1 were changed"
}

# temps [DIR]: the temporary files left anywhere under DIR (default $WORK);
# a run's are in its new set folder, output/.2021.set-*, beside the link
# output/2021 (src/deliver/outset.h), so they are looked for under output
temps() { find "${1:-$WORK}" -name '.civreport-tmp-*' 2>/dev/null; }
# sets: how many set folders output/ holds (the current one, and those of
# killed runs until the next run clears them)
sets() { find output -maxdepth 1 -name '.2021.set-*' -type d | wc -l; }
no_temps() {
	_t=$(temps)
	[ -z "$_t" ] || fail "$1: temporary files left: $_t"
}

# valid_outputs DIR: every output is there and complete
valid_outputs() {
	for _o in $OUTPUTS; do [ -s "$1/$_o" ] || fail "$1/$_o missing or empty"; done
	[ "$(head -c 5 "$1/annual-report-2021.pdf")" = "%PDF-" ] || fail "$1: PDF header"
	tail -c 64 "$1/annual-report-2021.pdf" | grep -q '%%EOF' || fail "$1: PDF is truncated"
	unzip -tqq "$1/annual-report-2021.xlsx" >/dev/null || fail "$1: XLSX is not a valid zip"
	unzip -tqq "$1/annual-report-2021.docx" >/dev/null || fail "$1: DOCX is not a valid zip"
	$PY -c 'import json,sys; [json.load(open(p)) for p in sys.argv[1:]]' \
		"$1/metrics.json" "$1/manifest.json" || fail "$1: JSON outputs do not parse"
}

# run_at SLOT POINT INPUT [args...]: a run of INPUT into output/ in the
# background, stopped at the test hook POINT; returns once it is there, its
# PID in $pid, its stderr in bgSLOT.err.  SLOT (3 or 4, two runs can be held
# at once) is the shell's file descriptor on the FIFO hookSLOT.fifo: `go
# SLOT` closes it and the run goes on; a signal meanwhile is handled as
# anywhere else.  The run also holds the FIFO's writing end from its start
# (fd 9), so that if it ends before reaching POINT the read here sees end of
# file instead of blocking; it must not inherit a slot (a reader of another
# run's FIFO would keep that run held).
bg_pids=""
run_at() {
	_slot=$1 _point=$2 _in=$3
	shift 3
	_fifo=$WORK/hook$_slot.fifo
	rm -f "$_fifo" && mkfifo "$_fifo" || fail "mkfifo $_fifo"
	CIVREPORT_TEST_PAUSE=$_point CIVREPORT_TEST_FIFO=$_fifo \
		"$BIN" run --year 2021 --input "$_in" --output output --quiet "$@" \
		>"bg$_slot.out" 2>"bg$_slot.err" 9>"$_fifo" 3<&- 4<&- &
	pid=$!
	bg_pids="$bg_pids $pid"
	eval "exec $_slot<\"\$_fifo\""
	if ! eval "read -r _at _atpid <&$_slot"; then
		go "$_slot"
		wait_rc "$pid"
		cat "bg$_slot.err"
		fail "the run ended (exit $rc) before reaching the point $_point"
	fi
	[ "$_at $_atpid" = "$_point $pid" ] || fail "test hook: '$_at $_atpid', want '$_point $pid'"
}
go() { eval "exec $1<&-"; }

# wait_rc PID: its exit status in $rc
wait_rc() {
	wait "$1"
	rc=$?
}

# whatever happens to this script, no run of ours outlives it (a held run
# would otherwise wait forever)
kill_ours() {
	for _p in $bg_pids; do
		# only while it is still our child: a reaped PID may be someone else's now
		read -r _st 2>/dev/null <"/proc/$_p/stat" || continue
		_st=${_st##*) }
		set -- $_st
		[ "$2" = "$$" ] && kill -9 "$_p" 2>/dev/null
	done
}
trap kill_ours EXIT

late_failures=""
t0=$(now_ms)
section() { echo "== $* ($(($(now_ms) - t0)) ms)"; }

"$BIN" sample --year 2021 --out in1 --scale 0.01 2>/dev/null || fail "sample in1"
"$BIN" sample --year 2021 --out in2 --scale 0.01 --seed 7 2>/dev/null || fail "sample in2"

expect_exit 0 "$BIN" run --year 2021 --input in1 --output output --quiet
valid_outputs "$OUT"
snap "$OUT" base-in1.sha
cp base-in1.sha base.sha

# ---------------------------------------------------------------------------
section "(a) SIGKILL at every point of a run; the next run cleans up"
# point:temporary files then (a run removes the stale ones of the run before
# it as soon as it holds the lock, so they never pile up)
for case in locked:1 scan:1 render-pdf:2 render-xlsx:3 render-docx:4 commit:6; do
	point=${case%:*}
	run_at 3 "$point" in2
	kill -9 "$pid"
	wait_rc "$pid"
	go 3
	[ "$rc" -eq 137 ] || fail "SIGKILL at $point: exit $rc, want 137 (killed)"
	intact "$OUT" base.sha "SIGKILL at $point"
	n=$(temps output | wc -l)
	echo "killed at $point; temporary files left: $n"
	[ "$n" -eq "${case#*:}" ] || { temps output; fail "SIGKILL at $point: $n temporary files, want ${case#*:}"; }
	[ "$(sets)" -eq 2 ] || fail "SIGKILL at $point: $(sets) set folders, want 2 (the current one, the killed run's)"
done
# a foreign file that merely looks alike in another folder is not touched
mkdir -p keep && : >keep/.civreport-tmp-not-ours
expect_exit 0 "$BIN" run --year 2021 --input in1 --output output --quiet
[ -e keep/.civreport-tmp-not-ours ] || fail "a run removed a file outside its output folder"
rm -r keep
no_temps "the run after SIGKILLs"
[ "$(sets)" -eq 1 ] || fail "the run after SIGKILLs left $(sets) set folders"
intact "$OUT" base-in1.sha "the run after SIGKILLs (same input as the baseline)"
valid_outputs "$OUT"

# ---------------------------------------------------------------------------
section "(b) SIGTERM or SIGHUP at every point: no temporary file even before the next run"
for case in TERM:locked:143 TERM:scan:143 HUP:render-pdf:129 TERM:render-xlsx:143 \
	HUP:render-docx:129 HUP:commit:129; do
	sig=${case%%:*}
	point=${case#*:}
	point=${point%:*}
	run_at 3 "$point" in2
	kill "-$sig" "$pid"
	wait_rc "$pid"
	go 3
	[ "$rc" -eq "${case##*:}" ] || { cat bg3.err; fail "SIG$sig at $point: exit $rc, want ${case##*:} (died of SIG$sig)"; }
	no_temps "SIG$sig at $point"
	[ "$(sets)" -eq 1 ] || fail "SIG$sig at $point: its set folder was left"
	intact "$OUT" base.sha "SIG$sig at $point"
done

# ---------------------------------------------------------------------------
section "(c) read-only output folder (as user nobody)"
if [ "$(id -u)" -eq 0 ]; then
	# nobody must reach the inputs in $WORK (mktemp made it 0700)
	chmod 0711 "$WORK"
	as_user() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
else
	as_user() { "$@"; }
fi
mkdir -p ro1/output/2021 ro2/output/2021 ro3/output
for d in ro1 ro2; do
	(cd "$OUT" && cp -p $OUTPUTS "$WORK/$d/output/2021/") || fail "copy to $d"
done
# ro2: the lock file (beside output/2021) is there and writable (the folder
# was made read-only later); ro1: it cannot be created
: >ro2/output/.2021.lock
chmod 0666 ro2/output/.2021.lock
chmod 0555 ro1/output/2021 ro2/output/2021 ro3/output
for d in ro1 ro2; do
	expect_exit 3 as_user "$BIN" run --year 2021 --input in2 --output "$d/output"
	cat err.txt
	contains err.txt "$d/output/2021"
	contains err.txt "Permission denied"
	intact "$d/output/2021" base.sha "read-only folder $d"
done
# ro3: output/2021 does not exist and cannot be created
expect_exit 3 as_user "$BIN" run --year 2021 --input in2 --output ro3/output
contains err.txt "ro3/output/2021"
contains err.txt "Permission denied"
no_temps "read-only folders"
chmod 0755 ro1/output/2021 ro2/output/2021 ro3/output
rm -rf ro1 ro2 ro3

# ---------------------------------------------------------------------------
section "(d) disk full: ulimit -f (EFBIG), then a small tmpfs (ENOSPC) if mount works"
for blocks in 200 1; do
	# stderr through a pipe: the limit would cut a log file too
	{
		(
			trap '' XFSZ
			ulimit -f "$blocks"
			exec "$BIN" run --year 2021 --input in2 --output output
		) 2>&1 >/dev/null
		echo $? >rc.txt
	} | cat >err.txt
	rc=$(cat rc.txt)
	[ "$rc" -eq 3 ] || { tail -5 err.txt; fail "ulimit -f $blocks: exit $rc, want 3"; }
	contains err.txt "File too large"
	intact "$OUT" base.sha "ulimit -f $blocks"
	no_temps "ulimit -f $blocks"
done

# A real full file system: tmpfs in a private mount namespace (gone with the
# namespace).  Its size is chosen from the outputs' sizes so that the disk
# fills up while the PDF is written, while the XLSX is, while the DOCX is,
# and then at every
# page through the small files written last and the commit (metrics.json,
# manifest.json, the buffered rejects.csv): each time either the run fails
# with exit 3 and the old outputs are all intact, or it succeeded.  In that
# last sweep the old outputs are also hard-linked elsewhere on the same file
# system (a backup, or a reader that holds a file open), so that replacing
# one frees no space for the next.
# disk_full PAGES WHAT [linked]: one run of in2 on a tmpfs of PAGES 4-KiB
# pages that holds a copy of the current outputs; sets run_rc
disk_full() {
	cat >tmpfs.sh <<-EOF
		set -u
		mount -t tmpfs -o size=$(($1 * 4))k tmpfs "$WORK/tiny" || exit 97
		mkdir -p "$WORK/tiny/output/2021"
		(cd "$WORK/$OUT" && cp -p $OUTPUTS "$WORK/tiny/output/2021/")
		if [ "${3:-}" = linked ]; then
			mkdir "$WORK/tiny/backup"
			(cd "$WORK/tiny/output/2021" && ln $OUTPUTS "$WORK/tiny/backup/")
		fi
		timeout 120 "$BIN" run --year 2021 --input "$WORK/in2" --output "$WORK/tiny/output" >"$WORK/tiny.out" 2>"$WORK/tiny.err"
		echo \$? >"$WORK/tiny.rc"
		(cd "$WORK/tiny/output/2021" && sha256sum -c "$WORK/base.sha") >"$WORK/tiny.check" 2>&1
		echo \$? >>"$WORK/tiny.rc"
		(cd "$WORK/tiny/output/2021" && sha256sum -c "$WORK/ref.sha") >"$WORK/tiny.refcheck" 2>&1
		echo \$? >>"$WORK/tiny.rc"
		find "$WORK/tiny" -name '.civreport-tmp-*' >"$WORK/tiny.temps"
		ls -la "$WORK/tiny/output/2021" >"$WORK/tiny.ls"
	EOF
	mkdir -p tiny
	unshare -m sh tmpfs.sh
	_st=$?
	rmdir tiny
	[ "$_st" -ne 97 ] || return 97
	run_rc=$(sed -n 1p tiny.rc)
	check_rc=$(sed -n 2p tiny.rc)
	ref_rc=$(sed -n 3p tiny.rc)
	_what="disk full ($1 pages of tmpfs, $2)"
	echo "$_what: exit $run_rc; $(grep -E '^[0-9T:-]+ ERROR' tiny.err | head -1 | cut -c 21-)"
	if [ -s tiny.temps ]; then
		cat tiny.temps tiny.ls >&2
		fail "$_what: temporary files left"
	fi
	case "$run_rc" in
	0) [ "$ref_rc" -eq 0 ] || { cat tiny.refcheck tiny.ls >&2; fail "$_what: exit 0 but the outputs are not the new report"; } ;;
	3) contains tiny.err "No space left on device"
	   if [ "$check_rc" -ne 0 ]; then
		# reported at the end, so that the other cases still run
		grep FAILED tiny.check >&2
		tail -2 tiny.err >&2
		echo "FAIL: $_what: exit 3 but the previous outputs were changed" >&2
		late_failures="$late_failures
$_what: exit 3 but the previous outputs were changed (replaced: $(grep FAILED tiny.check | cut -d: -f1 | tr '\n' ' '))"
	   fi ;;
	*) tail -5 tiny.err >&2; fail "$_what: exit $run_rc, want 3 (or 0)" ;;
	esac
}
if unshare -m true 2>/dev/null; then
	expect_exit 0 "$BIN" run --year 2021 --input in2 --output ref --quiet
	snap ref/2021 ref.sha
	pages() { echo $((($(stat -c %s "$1") + 4095) / 4096)); }
	old=0
	for o in $OUTPUTS; do old=$((old + $(pages "$OUT/$o"))); done
	new_pdf=$(pages ref/2021/annual-report-2021.pdf)
	new_xlsx=$(pages ref/2021/annual-report-2021.xlsx)
	new_docx=$(pages ref/2021/annual-report-2021.docx)
	small=0
	for o in rejects.csv metrics.json manifest.json; do small=$((small + $(pages "ref/2021/$o"))); done
	# +1: the lock file, which holds the PID while the run is on
	base=$((old + 1))
	if disk_full $((base + new_pdf / 2)) "PDF"; then
		disk_full $((base + new_pdf + new_xlsx / 2)) "XLSX"
		disk_full $((base + new_pdf + new_xlsx + new_docx / 2)) "DOCX"
		k=0
		while [ "$k" -le $((small + 1)) ]; do
			disk_full $((base + new_pdf + new_xlsx + new_docx + k)) \
				"$k pages left for the small files, old outputs linked" linked
			[ "$run_rc" -eq 0 ] && break
			k=$((k + 1))
		done
		[ "$run_rc" -eq 0 ] || fail "disk full: the run with room for everything failed"
	else
		echo "mount -t tmpfs failed: only the ulimit cases ran"
	fi
	rm -rf ref
else
	echo "unshare -m not permitted: only the ulimit cases ran"
fi

# ---------------------------------------------------------------------------
section "(e) an input file cut or deleted while the run reads the data"
# vanish: the small sample, with its 岳池县 relief file replaced by the
# shared sample's (several 1 MiB chunks), named to be read first: at the
# point "scan" the run has handed on its first chunk and has it open.
# These runs read the files: --no-cache (the parse cache's case is last)
use_sample
mkinput() {
	rm -rf vanish
	cp -R in1 vanish
	rm vanish/relief-岳池县.csv
	cp "$SAMPLE/relief-岳池县.csv" "vanish/0-relief-岳池县.csv"
}
big_file="$WORK/vanish/0-relief-岳池县.csv"
# read_offset PID FILE: where PID reads FILE now (it must have it open)
read_offset() {
	for _fd in /proc/"$1"/fd/*; do
		if [ "$(readlink "$_fd")" = "$2" ]; then
			sed -n 's/^pos:[[:space:]]*//p' "/proc/$1/fdinfo/${_fd##*/}"
			return
		fi
	done
	fail "the run held at scan does not have $2 open"
}

mkinput
big_size=$(stat -c %s "$big_file")
run_at 3 scan vanish --no-cache
pos=$(read_offset "$pid" "$big_file")
[ "$pos" -lt "$big_size" ] || fail "held at scan, the run has read all of $big_file ($pos bytes)"
truncate -s $((big_size / 2)) "$big_file"
go 3
wait_rc "$pid"
echo "cut to half its $big_size bytes after $pos were read: exit $rc"
# a file changed while being read fails the run, whatever it read of it
[ "$rc" -eq 1 ] || { cat bg3.err; fail "a file cut while being read: exit $rc, want 1"; }
contains bg3.err "文件在读取过程中被修改"
intact "$OUT" base.sha "relief file cut while being read"
no_temps "relief file cut while being read"

# deleted while being read: the run still reads the whole file it opened
mkinput
run_at 3 scan vanish --no-cache
rm "$big_file"
go 3
wait_rc "$pid"
echo "the file being read deleted: exit $rc"
[ "$rc" -eq 0 ] || { cat bg3.err; fail "the file being read deleted: exit $rc, want 0"; }
valid_outputs "$OUT"
no_temps "the file being read deleted"
snap "$OUT" base.sha

# deleted before the run gets to it: the run fails, the outputs stay
mkinput
run_at 3 scan vanish --no-cache
rm "vanish/relief-邻水县.csv"
go 3
wait_rc "$pid"
echo "a file not read yet deleted: exit $rc"
[ "$rc" -eq 1 ] || { cat bg3.err; fail "a file not read yet deleted: exit $rc, want 1"; }
contains bg3.err "relief-邻水县.csv"
intact "$OUT" base.sha "a file not read yet deleted"
no_temps "a file not read yet deleted"

# the same with its parse in the cache: its content was hashed (a new copy,
# so the stat cannot vouch) when the run began, and the cached parse of that
# content is used: the report is of the folder as it was then
mkinput
"$BIN" run --year 2021 --input vanish --output cached-out --quiet --cache "$WORK/vanish-cache" ||
	fail "a run to fill the cache"
mkinput
run_at 3 scan vanish --cache "$WORK/vanish-cache"
rm "vanish/relief-邻水县.csv"
go 3
wait_rc "$pid"
echo "a file not read yet deleted, its parse in the cache: exit $rc"
[ "$rc" -eq 0 ] || { cat bg3.err; fail "a file in the cache deleted: exit $rc, want 0"; }
valid_outputs "$OUT"
no_temps "a file in the cache deleted"
rm -rf vanish

# ---------------------------------------------------------------------------
section "(f) a second run on the same folder: exit 4 at once, or --wait"
# The holder is held at the point "locked": it keeps the lock until let go.
run_at 3 locked in2
holder=$pid
held=$(temps output)
[ -n "$held" ] || fail "the holder has no temporary file"
# without --wait: exit 4 at once, never waiting for the lock
expect_exit 4 env CIVREPORT_TEST_PAUSE=lock-wait "$BIN" run --year 2021 --input in1 --output output
cat err.txt
contains err.txt "进程 $holder"
contains err.txt "--wait"
lacks err.txt "test hook: lock-wait"
for f in $held; do [ -e "$f" ] || fail "the locked-out run removed the holder's $f"; done
# a bounded wait that runs out: waits, then exit 4 after about a second
s=$(now_ms)
expect_exit 4 env CIVREPORT_TEST_PAUSE=lock-wait "$BIN" run --year 2021 --input in1 --output output --wait 1
ms=$(($(now_ms) - s))
contains err.txt "test hook: lock-wait"
[ "$ms" -ge 900 ] || fail "--wait 1 gave up after $ms ms"
contains err.txt "进程 $holder"
# --wait: held where it found the folder locked and is about to wait; it
# goes on once the holder is gone, and then gets the lock
run_at 4 lock-wait in1 --wait 600
waiter=$pid
kill -TERM "$holder"
wait_rc "$holder"
go 3
[ "$rc" -eq 143 ] || fail "holder: exit $rc, want 143"
go 4
wait_rc "$waiter"
[ "$rc" -eq 0 ] || { cat bg4.err; fail "--wait: exit $rc, want 0"; }
intact "$OUT" base-in1.sha "the --wait run"
no_temps "--wait"
# the holder finishing normally: the waiter runs after it, so its outputs win
run_at 3 locked in2
holder=$pid
run_at 4 lock-wait in1 --wait 600
waiter=$pid
go 3
wait_rc "$holder"
[ "$rc" -eq 0 ] || { cat bg3.err; fail "holder (in2): exit $rc"; }
go 4
wait_rc "$waiter"
[ "$rc" -eq 0 ] || { cat bg4.err; fail "the run that waited for a finishing holder: exit $rc"; }
intact "$OUT" base-in1.sha "the run that waited for a finishing holder"
valid_outputs "$OUT"
no_temps "end"
section "done"
[ -z "$late_failures" ] || fail "$late_failures"
