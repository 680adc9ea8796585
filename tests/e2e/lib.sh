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

# full_sample: the scale-1 sample (about 350 MB), generated once per
# checkout into build/e2e-sample and shared by the tests that need the
# seed's figures.  Prints its path.
full_sample() {
	dir="$ROOT/build/e2e-sample-2021"
	if [ ! -f "$dir/.complete" ]; then
		rm -rf "$dir"
		"$BIN" sample --year 2021 --out "$dir" --quiet >/dev/null || fail "sample generation"
		touch "$dir/.complete"
	fi
	echo "$dir"
}
