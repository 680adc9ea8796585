#!/bin/sh
# End-to-end test runner: runs each tests/e2e/t_*.sh with $BIN set to the
# civreport binary under test, in a fresh temporary folder, and prints one
# closing line "N passed, N failed".  A script passes when it exits 0.
set -u
: "${BIN:?BIN must name the civreport binary}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export BIN ROOT
# the binary under test reads the checkout's schema and templates
CIVREPORT_DATADIR=${CIVREPORT_DATADIR:-$ROOT/templates}
export CIVREPORT_DATADIR
passed=0
failed=0
failures=""
for t in "$@"; do
	name=$(basename "$t" .sh)
	work=$(mktemp -d "${TMPDIR:-/tmp}/civreport-e2e.XXXXXX")
	start=$(date +%s)
	if (cd "$work" && WORK="$work" sh "$ROOT/$t") >"$work.log" 2>&1; then
		passed=$((passed + 1))
		echo "ok   $name ($(( $(date +%s) - start ))s)"
	else
		failed=$((failed + 1))
		failures="$failures $name"
		echo "FAIL $name"
		sed 's/^/     | /' "$work.log" | tail -40
	fi
	rm -rf "$work" "$work.log"
done
echo "e2e: $passed passed, $failed failed"
[ -z "$failures" ] || echo "failed:$failures"
[ "$failed" -eq 0 ]
