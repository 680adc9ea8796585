#!/bin/sh
# tests/bench/reports.sh - `make bench`, third part: whole reports, not
# queries.  Times `civreport run` on the sample at BENCH_REPORT_SCALE
# (default 1) for one year, one quarter (--period 2021Q3), and the whole
# report plus one per 区县 (--period 2021H2 --each 区县, 7 reports from one
# pass), and prints each one's wall time and peak memory against the single
# half-year report's (issue 11: --each should cost at most 1.5x of one).
# Best of BENCH_RUNS; never fails because of a time.
#
#   sh tests/bench/reports.sh /abs/path/to/civreport
set -eu

BIN=${1:?usage: sh tests/bench/reports.sh /abs/path/to/civreport}
HERE=$(cd "$(dirname "$0")" && pwd)
CIVREPORT_DATADIR=$(cd "$HERE/../.." && pwd)/templates
export CIVREPORT_DATADIR
SCALE=${BENCH_REPORT_SCALE:-1}
RUNS=${BENCH_RUNS:-1}
DATA=$HERE/data/reports-scale$SCALE
OUT=$(mktemp -d "${TMPDIR:-/tmp}/civreport-bench-reports.XXXXXX")
trap 'rm -rf "$OUT"' EXIT

# the sample once, kept beside run.sh's data (a folder only when whole)
if [ ! -d "$DATA" ]; then
	"$BIN" sample --scale "$SCALE" --out "$DATA.tmp" --quiet
	mv "$DATA.tmp" "$DATA"
fi

# best NAME ARGS...: the fastest of RUNS runs as "wall_s peak_kb"
best() {
	name=$1
	shift
	: >"$OUT/$name.times"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		i=$((i + 1))
		rm -rf "$OUT/o"
		/usr/bin/time -f "%e %M" -o "$OUT/$name.time" "$BIN" run --no-cache --input "$DATA" \
			--output "$OUT/o" --quiet --no-progress "$@" 2>"$OUT/$name.err" ||
			{ echo "bench: civreport run $* failed:" >&2; cat "$OUT/$name.err" >&2; exit 1; }
		cat "$OUT/$name.time" >>"$OUT/$name.times"
	done
	sort -n "$OUT/$name.times" | head -n 1
}

year=$(best year --period 2021)
quarter=$(best quarter --period 2021Q3)
half=$(best half --period 2021H2)
each=$(best each --period 2021H2 --each 区县)
nreports=$(find "$OUT/o/2021H2/" -name '*.pdf' | wc -l)

echo
echo "civreport run, sample scale $SCALE, best of $RUNS, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| report                               |  wall s | peak MB | vs 2021H2 |"
echo "|--------------------------------------|--------:|--------:|----------:|"
printf '%s\n%s\n%s\n%s\n' "--period 2021|$year" "--period 2021Q3|$quarter" \
	"--period 2021H2|$half" "--period 2021H2 --each 区县 ($nreports PDFs)|$each" |
	awk -F'|' -v h="$half" 'BEGIN { split(h, b, " ") }
	{ split($2, v, " "); printf "| %-36s | %7.2f | %7.0f | %4.2fx, %4.2fx |\n", $1, v[1], v[2] / 1024, v[1] / b[1], v[2] / b[2] }'
echo "(vs 2021H2: wall time and peak memory against the single --period 2021H2 report)"
