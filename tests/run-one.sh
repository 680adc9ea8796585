#!/bin/sh
# run-one.sh RESULTS NAME LABEL COMMAND [ARG...]: one test of make test.
#
# Runs COMMAND with its output in RESULTS/NAME.log and prints one line,
# "ok   LABEL (1.2 s)" or "FAIL LABEL (...)", which it also keeps in
# RESULTS/NAME.ok or RESULTS/NAME.fail for tests/summary.sh (that prints
# the failures' logs once every test is over).  It exits 0 either way, so
# that make goes on with the other tests.
#
# A test still running after TEST_TIMEOUT seconds (default 900) is killed
# with everything it started: a guard against a hang, never a measure of
# speed (a loaded machine is slow, and that is no failure).
set -u
results=$1
name=$2
label=$3
shift 3
log="$results/$name.log"
mkdir -p "$(dirname "$log")" || exit 1
rm -f "$results/$name.ok" "$results/$name.fail"

start=$(date +%s%N)
# timeout puts the test in a process group of its own and signals all of
# it; make's SIGINT/SIGTERM is passed on the same way
timeout -k 10 "${TEST_TIMEOUT:-900}" "$@" >"$log" 2>&1 </dev/null &
tpid=$!
trap 'kill -TERM "$tpid" 2>/dev/null' INT TERM HUP
wait "$tpid"
rc=$?
while kill -0 "$tpid" 2>/dev/null; do # woken by a trapped signal: wait on
	wait "$tpid"
	rc=$?
done
ms=$((($(date +%s%N) - start) / 1000000))
took="$((ms / 1000)).$((ms % 1000 / 100)) s"

if [ "$rc" -eq 0 ]; then
	line="ok   $label ($took)"
	echo "$line" >"$results/$name.ok"
else
	case $rc in
	124) why="timed out after ${TEST_TIMEOUT:-900} s" ;;
	*) why="exit $rc" ;;
	esac
	line="FAIL $label ($took, $why; log: $log)"
	echo "$line" >"$results/$name.fail"
fi
echo "$line"
