# tests/bench/common.sh - sourced by run.sh and xlsx.sh: the civreport binary
# under test (the first argument, made absolute) and the bench's folders.
BIN=${1:-}
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
	echo "usage: sh $0 /abs/path/to/civreport (not executable: '${BIN}')" >&2
	exit 2
fi
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DATA=$HERE/data
RESULTS=$DATA/results
YEAR=${BENCH_YEAR:-2021}
