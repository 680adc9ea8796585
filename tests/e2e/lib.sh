# Helpers for end-to-end tests: source it, then call the checks.  Each check
# prints what it compared and exits the test with status 1 on a mismatch.

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect_exit CODE command...: run the command, compare its exit status
expect_exit() {
	want=$1
	shift
	"$@" >out.txt 2>err.txt
	got=$?
	[ "$got" -eq "$want" ] || { cat out.txt err.txt >&2; fail "exit $got, want $want: $*"; }
}

# contains FILE TEXT: FILE holds TEXT (fixed string)
contains() {
	grep -qF -- "$2" "$1" || { echo "--- $1:" >&2; head -50 "$1" >&2; fail "$1 lacks: $2"; }
}

lacks() {
	! grep -qF -- "$2" "$1" || fail "$1 should not contain: $2"
}

# Debian's python3 has openpyxl; another python3 may come first on PATH
PY=/usr/bin/python3

# The generated sample (civreport sample --year 2021) the tests share, and
# never change: make generates it once per build folder before any test
# starts and names it in E2E_SAMPLE, at the scale E2E_SAMPLE_SCALE (0.1 for
# make test; 1, the seed's figures of the 2021 Guang'an summary, for make
# test-full).  A script run by hand without it makes a private one.
: "${E2E_SAMPLE_SCALE:=0.1}"

# use_sample: sets SAMPLE to the shared sample's folder
use_sample() {
	if [ -n "${E2E_SAMPLE:-}" ]; then
		[ -f "$E2E_SAMPLE/.complete" ] || fail "no sample in $E2E_SAMPLE (make test generates it)"
		SAMPLE=$E2E_SAMPLE
		return
	fi
	SAMPLE=$WORK/sample
	[ -d "$SAMPLE" ] ||
		"$BIN" sample --year 2021 --scale "$E2E_SAMPLE_SCALE" --out "$SAMPLE" --quiet >/dev/null ||
		fail "sample generation"
}

# full_scale: the sample is the scale-1 one, whose figures are the seed's
full_scale() {
	[ "$E2E_SAMPLE_SCALE" = 1 ]
}

# fault_step: how far apart the failure points of a fault-injection loop
# are (k = 1, 1 + step, ...): every one in the normal build; under the
# sanitizers, where each run costs several times as much, every third (the
# sanitizer build looks for memory faults on the failure paths; the normal
# build checks every one of them)
fault_step() {
	if [ "${E2E_SANITIZE:-0}" = 1 ]; then echo 3; else echo 1; fi
}
