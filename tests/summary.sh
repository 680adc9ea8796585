#!/bin/sh
# summary.sh RESULT...: the end of make test.  Each RESULT is a test's
# results path without its suffix (RESULTS/NAME, see tests/run-one.sh).
# Prints the log of every failed test (its last 60 lines), then one line
# "tests: N passed, N failed", and exits 1 when a test failed or never ran
# (a build error stops make before some tests).
set -u
passed=0
failed=0
missing=""
for r in "$@"; do
	if [ -f "$r.ok" ]; then
		passed=$((passed + 1))
	elif [ -f "$r.fail" ]; then
		failed=$((failed + 1))
		echo
		cat "$r.fail"
		tail -n 60 "$r.log" | sed 's/^/     | /'
	else
		missing="$missing $r"
	fi
done
nmissing=$(echo $missing | wc -w)
echo
if [ "$nmissing" -gt 0 ]; then
	echo "$nmissing tests did not run (see make's errors above):$(echo $missing | tr ' ' '\n' | head -5 | sed 's/^/ /' | tr -d '\n')$([ "$nmissing" -gt 5 ] && echo ' ...')"
fi
echo "tests: $passed passed, $failed failed$([ "$nmissing" -gt 0 ] && echo ", $nmissing did not run")"
[ "$failed" -eq 0 ] && [ "$nmissing" -eq 0 ]
