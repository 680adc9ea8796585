# Faults during a run: whatever happens to a run (SIGKILL, SIGTERM/SIGHUP, a
# read-only or full output folder, an input file vanishing under it, a second
# run at the same time), the previous outputs in output/2021/ stay exactly as
# they were (same SHA-256) unless the run really finished, and no temporary
# file (".civreport-tmp-*") is left behind once the next run is over (after a
# catchable signal or an error: at once).
#
# Inputs: in1 (scale 0.01, the baseline), in2 (scale 0.01, another seed, so a
# run that wrongly replaced an output would change its hash), big (scale 0.3,
# a run that lasts a few seconds: the one that gets killed mid-scan).
. "$ROOT/tests/e2e/lib.sh"
set -u

# The binary under test finds schema.ini and the default template here (run.sh
# sets it; the default is for running this script by hand: build/san/civreport
# does not find ../templates from a temporary folder by itself).
: "${CIVREPORT_DATADIR:=$ROOT/templates}"
export CIVREPORT_DATADIR

OUT=output/2021
OUTPUTS="annual-report-2021.pdf annual-report-2021.xlsx metrics.json rejects.csv manifest.json"

now_ms() { date +%s%3N; }

# alive PID: still running (not exited, not a zombie waiting for `wait`)
alive() {
	[ -r "/proc/$1/stat" ] || return 1
	read -r _stat 2>/dev/null <"/proc/$1/stat" || return 1
	case "$_stat" in *") Z "* | *") X "*) return 1 ;; esac
	return 0
}

# wait_glob PID PATTERN MS: wait until a file matching PATTERN exists, while
# PID runs, at most MS milliseconds.  Status 0 when it appeared.
wait_glob() {
	_deadline=$(($(now_ms) + $3))
	while :; do
		for _f in $2; do [ -e "$_f" ] && return 0; done
		alive "$1" || return 1
		[ "$(now_ms)" -lt "$_deadline" ] || return 1
		sleep 0.005
	done
}

# snap DIR FILE: record the outputs' hashes; intact DIR FILE WHAT: compare
# (FILE relative to $WORK)
snap() { (cd "$1" && sha256sum $OUTPUTS) >"$WORK/$2" || fail "snap $1"; }
intact() {
	(cd "$1" && sha256sum -c --quiet "$WORK/$2") >/dev/null 2>&1 && return 0
	(cd "$1" && sha256sum -c "$WORK/$2") >&2
	fail "$3: the previous outputs in $1 were changed"
}

# temps [DIR]: the temporary files left anywhere under DIR (default $WORK)
temps() { find "${1:-$WORK}" -name '.civreport-tmp-*' 2>/dev/null; }
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
	$PY -c 'import json,sys; [json.load(open(p)) for p in sys.argv[1:]]' \
		"$1/metrics.json" "$1/manifest.json" || fail "$1: JSON outputs do not parse"
}

run_bg() { # run_bg INPUT [args...]: a run in the background; PID in $pid
	_in=$1
	shift
	"$BIN" run --year 2021 --input "$_in" --output output --quiet "$@" >bg.out 2>bg.err &
	pid=$!
	bg_pids="$bg_pids $pid"
}
# whatever happens to this script, no run of ours outlives it (a stopped
# holder in (f) would otherwise wait forever)
bg_pids=""
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

# wait_rc PID: its exit status in $rc (bounded: a hung run is killed)
wait_rc() {
	_deadline=$(($(now_ms) + 120000))
	while alive "$1" && [ "$(now_ms)" -lt "$_deadline" ]; do sleep 0.02; done
	alive "$1" && { kill -9 "$1"; fail "run $1 still going after 120 s"; }
	wait "$1"
	rc=$?
}

late_failures=""
# signal_rendering SIG: a run of in2 gets SIG as soon as its PDF's temporary
# file appears (rendering lasts about 0.2 s of a small run).  Sets rc; 0 means
# the run finished before the signal landed: the case proved nothing, and the
# new outputs are the baseline until restore_baseline.
signal_rendering() {
	run_bg in2
	if wait_glob "$pid" "$OUT/.civreport-tmp-annual-report-2021.pdf-*" 20000; then
		kill "-$1" "$pid" 2>/dev/null
	fi
	wait_rc "$pid"
	if [ "$rc" -eq 0 ]; then
		echo "note: the run finished before SIG$1 landed: case inconclusive"
		snap "$OUT" base.sha
	fi
}
# restore_baseline: output/2021 made from in1 again
restore_baseline() {
	cmp -s base.sha base-in1.sha && return 0
	expect_exit 0 "$BIN" run --year 2021 --input in1 --output output --quiet
	intact "$OUT" base-in1.sha "restoring the baseline"
	cp base-in1.sha base.sha
}

t0=$(now_ms)
section() { echo "== $* ($(($(now_ms) - t0)) ms)"; }

"$BIN" sample --year 2021 --out in1 --scale 0.01 2>/dev/null || fail "sample in1"
"$BIN" sample --year 2021 --out in2 --scale 0.01 --seed 7 2>/dev/null || fail "sample in2"
"$BIN" sample --year 2021 --out big --scale 0.3 2>/dev/null || fail "sample big"

expect_exit 0 "$BIN" run --year 2021 --input in1 --output output --quiet
valid_outputs "$OUT"
snap "$OUT" base-in1.sha
cp base-in1.sha base.sha

# ---------------------------------------------------------------------------
section "(a) SIGKILL at several points; the next run cleans up"
# while rendering: killed as soon as the PDF's temporary file appears
signal_rendering KILL
if [ "$rc" -ne 0 ]; then
	[ "$rc" -eq 137 ] || fail "SIGKILL while rendering: exit $rc, want 137"
	intact "$OUT" base.sha "SIGKILL while rendering the PDF"
	echo "killed while rendering; temporary files left: $(temps "$OUT" | wc -l)"
fi
# at fixed times, then mid-scan counted from when the run holds the lock
for d in 0.05 0.2 0.5 mid-scan; do
	run_bg big
	if [ "$d" = mid-scan ]; then
		wait_glob "$pid" "$OUT/.civreport-tmp-rejects.csv-*" 20000 || { wait_rc "$pid"; fail "no temporary rejects.csv (exit $rc)"; }
		sleep 0.3
	else
		sleep "$d"
	fi
	alive "$pid" || { wait_rc "$pid"; cat bg.err; fail "the big run ended (exit $rc) before the kill at $d: use a bigger sample"; }
	kill -9 "$pid"
	wait_rc "$pid"
	[ "$rc" -eq 137 ] || fail "SIGKILL at $d: exit $rc, want 137 (killed)"
	intact "$OUT" base.sha "SIGKILL at $d"
	echo "killed at $d; temporary files left: $(temps "$OUT" | wc -l)"
done
stale=$(temps "$OUT" | wc -l)
[ "$stale" -ge 1 ] || fail "a SIGKILLed run should have left temporary files to clean"
# a foreign file that merely looks alike in another folder is not touched
mkdir -p keep && : >keep/.civreport-tmp-not-ours
expect_exit 0 "$BIN" run --year 2021 --input in1 --output output --quiet
[ -e keep/.civreport-tmp-not-ours ] || fail "a run removed a file outside its output folder"
rm -r keep
no_temps "the run after SIGKILLs ($stale stale files before)"
intact "$OUT" base-in1.sha "the run after SIGKILLs (same input as the baseline)"
valid_outputs "$OUT"
cp base-in1.sha base.sha

# ---------------------------------------------------------------------------
section "(b) SIGTERM mid-scan, SIGHUP mid-render: no temporary file even before the next run"
run_bg big
wait_glob "$pid" "$OUT/.civreport-tmp-rejects.csv-*" 20000 || { wait_rc "$pid"; fail "no temporary rejects.csv (exit $rc)"; }
sleep 0.2
alive "$pid" || fail "the big run ended before SIGTERM"
kill -TERM "$pid"
wait_rc "$pid"
[ "$rc" -eq 143 ] || { cat bg.err; fail "SIGTERM: exit $rc, want 143 (died of SIGTERM)"; }
no_temps "SIGTERM mid-scan"
intact "$OUT" base.sha "SIGTERM mid-scan"

signal_rendering HUP
if [ "$rc" -ne 0 ]; then
	[ "$rc" -eq 129 ] || { cat bg.err; fail "SIGHUP while rendering: exit $rc, want 129"; }
	no_temps "SIGHUP while rendering"
	intact "$OUT" base.sha "SIGHUP while rendering"
fi
restore_baseline

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
# ro2: the lock file is there and writable (the folder was made read-only later)
: >ro2/output/2021/.civreport.lock
chmod 0666 ro2/output/2021/.civreport.lock
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
contains err.txt "无法创建输出目录 ro3/output/2021"
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
# fills up while the PDF is written, while the XLSX is, and then at every
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
	small=0
	for o in rejects.csv metrics.json manifest.json; do small=$((small + $(pages "ref/2021/$o"))); done
	# +1: the lock file, which holds the PID while the run is on
	base=$((old + 1))
	if disk_full $((base + new_pdf / 2)) "PDF"; then
		disk_full $((base + new_pdf + new_xlsx / 2)) "XLSX"
		k=0
		while [ "$k" -le $((small + 1)) ]; do
			disk_full $((base + new_pdf + new_xlsx + k)) "$k pages left for the small files, old outputs linked" linked
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
section "(e) an input file truncated or deleted while the run reads the data"
# vanish: the small sample with one big relief file (about 28 MB) among it
mkinput() {
	rm -rf vanish
	cp -R in1 vanish
	cp "big/relief-岳池县.csv" vanish/
}
# after: the run either finished (all outputs new and whole) or failed
# cleanly (exit 1 or 3, old outputs intact); never a temporary file
after_vanish() {
	case "$rc" in
	0) valid_outputs "$OUT" ;;
	1 | 3) intact "$OUT" base.sha "$1" ;;
	*) cat bg.err; fail "$1: exit $rc, want 0, 1 or 3" ;;
	esac
	no_temps "$1"
	snap "$OUT" base.sha
}
# truncate_while_read PID FILE SIZE: as soon as PID has FILE open (a tight
# poll of /proc: a big file is read in a few tens of milliseconds), cut it
# to SIZE bytes; prints the read offset it had then
cat >truncate_while_read.py <<'EOF'
import os, sys, time
pid, path, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
deadline = time.monotonic() + 30
pos = None
while pos is None and time.monotonic() < deadline:
    try:
        fds = os.listdir("/proc/%s/fd" % pid)
    except OSError:
        break  # the run is over
    for fd in fds:
        try:
            if os.readlink("/proc/%s/fd/%s" % (pid, fd)) == path:
                os.truncate(path, size)
                with open("/proc/%s/fdinfo/%s" % (pid, fd)) as f:
                    pos = f.readline().split()[1]
                break
        except OSError:
            pass
if pos is None:
    os.truncate(path, size)
print(pos or "never seen open")
EOF
mkinput
big_file="$WORK/vanish/relief-岳池县.csv"
big_size=$(stat -c %s "$big_file")
run_bg vanish
pos=$($PY truncate_while_read.py "$pid" "$big_file" 2000000)
wait_rc "$pid"
echo "cut to 2000000 bytes while being read (read offset then: $pos of $big_size): exit $rc"
# A run that says it succeeded must have read a whole, consistent file:
# manifest.json then records the size and SHA-256 of the file as it is.  (A
# run that read part of a file that changed under it should fail, exit 1.)
if [ "$rc" -eq 0 ]; then
	$PY - "$OUT/manifest.json" "$big_file" >manifest-check.txt 2>&1 <<'EOF'
import hashlib, json, os, sys
m = json.load(open(sys.argv[1]))
path = sys.argv[2]
entry = [e for e in m["inputs"] if os.path.basename(e["path"]) == os.path.basename(path)][0]
size = os.path.getsize(path)
sha = hashlib.sha256(open(path, "rb").read()).hexdigest()
print("manifest: size %d rows %d; the file now: size %d; SHA-256 %s" % (
    entry["size"], entry["rows"], size, "equal" if entry["sha256"] == sha else "differs"))
sys.exit(0 if (entry["size"], entry["sha256"]) == (size, sha) else 1)
EOF
	mrc=$?
	cat manifest-check.txt
	if [ "$mrc" -ne 0 ]; then
		echo "FAIL: exit 0 from a file cut while being read, and manifest.json describes no such file" >&2
		late_failures="$late_failures
a relief file cut while being read (at $pos of $big_size bytes): exit 0, and manifest.json records $(cat manifest-check.txt)"
	fi
fi
after_vanish "relief file truncated mid-scan"

mkinput
run_bg vanish
wait_glob "$pid" "$OUT/.civreport-tmp-rejects.csv-*" 20000 || true
rm "vanish/relief-邻水县.csv"
wait_rc "$pid"
echo "a file deleted mid-scan: exit $rc"
after_vanish "relief file deleted mid-scan"
rm -rf vanish

# ---------------------------------------------------------------------------
section "(f) a second run on the same folder: exit 4 at once, or --wait"
# The holder is stopped (SIGSTOP) once it holds the lock: it keeps the lock
# however fast or slow the build, until it is let go.
run_bg big
holder=$pid
wait_glob "$holder" "$OUT/.civreport-tmp-rejects.csv-*" 20000 || { wait_rc "$holder"; fail "holder: no temporary rejects.csv (exit $rc)"; }
kill -STOP "$holder"
held=$(temps "$OUT")
s=$(now_ms)
expect_exit 4 timeout 20 "$BIN" run --year 2021 --input in1 --output output
ms=$(($(now_ms) - s))
cat err.txt
contains err.txt "进程 $holder"
contains err.txt "--wait"
[ "$ms" -lt 5000 ] || fail "the locked-out run took $ms ms, not at once"
for f in $held; do [ -e "$f" ] || fail "the locked-out run removed the holder's $f"; done
# a bounded wait that runs out: exit 4 after about a second
s=$(now_ms)
expect_exit 4 timeout 20 "$BIN" run --year 2021 --input in1 --output output --wait 1
ms=$(($(now_ms) - s))
[ "$ms" -ge 900 ] || fail "--wait 1 gave up after $ms ms"
contains err.txt "进程 $holder"
# --wait 10: waits while the holder runs, then goes on once it is gone
"$BIN" run --year 2021 --input in1 --output output --quiet --wait 10 >w.out 2>w.err &
waiter=$!
bg_pids="$bg_pids $waiter"
sleep 0.5
alive "$waiter" || { wait_rc "$waiter"; cat w.err; fail "the --wait run did not wait (exit $rc)"; }
kill -TERM "$holder"
kill -CONT "$holder"
wait_rc "$holder"
[ "$rc" -eq 143 ] || fail "holder: exit $rc, want 143"
wait_rc "$waiter"
[ "$rc" -eq 0 ] || { cat w.err; fail "--wait 10: exit $rc, want 0"; }
intact "$OUT" base-in1.sha "the --wait run"
no_temps "--wait"
# the holder finishing normally: the waiter runs after it, so its outputs win
run_bg in2
holder=$pid
wait_glob "$holder" "$OUT/.civreport-tmp-rejects.csv-*" 20000 || true
expect_exit 0 timeout 60 "$BIN" run --year 2021 --input in1 --output output --quiet --wait 10
wait_rc "$holder"
[ "$rc" -eq 0 ] || { cat bg.err; fail "holder (in2): exit $rc"; }
intact "$OUT" base-in1.sha "the run that waited for a finishing holder"
valid_outputs "$OUT"
no_temps "end"
section "done"
[ -z "$late_failures" ] || fail "$late_failures"
