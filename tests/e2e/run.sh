#!/bin/sh
# run.sh SCRIPT: runs one end-to-end test, tests/e2e/t_*.sh, in a fresh
# temporary folder ($WORK, also its working directory), with $BIN the
# civreport binary under test and $ROOT the checkout; XDG_CACHE_HOME is a
# folder of its own (the parse cache's default).  Exits with the
# script's status; the folder is removed when the script passed and kept,
# and named, when it failed.
#
# make test runs each script through tests/run-one.sh (one line per test)
# with E2E_SAMPLE naming the generated sample the scripts share (see lib.sh).
set -u
: "${BIN:?BIN must name the civreport binary}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export BIN ROOT
# the binary under test reads the checkout's schema and templates
CIVREPORT_DATADIR=${CIVREPORT_DATADIR:-$ROOT/templates}
export CIVREPORT_DATADIR
case $1 in /*) script=$1 ;; *) script=$ROOT/$1 ;; esac
WORK=$(mktemp -d "${TMPDIR:-/tmp}/civreport-e2e.XXXXXX") || exit 1
export WORK
# the parse cache's default folder, one per test: never the user's (or
# root's /var/cache/civreport), never shared by tests running side by side
XDG_CACHE_HOME=$(mktemp -d "${TMPDIR:-/tmp}/civreport-e2e-cache.XXXXXX") || exit 1
export XDG_CACHE_HOME
(cd "$WORK" && sh "$script")
rc=$?
rm -rf "$XDG_CACHE_HOME"
if [ "$rc" -eq 0 ]; then
	rm -rf "$WORK"
else
	echo "(exit $rc; the test's folder is kept: $WORK)"
fi
exit "$rc"
