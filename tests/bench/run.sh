#!/bin/sh
# tests/bench/run.sh - `make bench`: civreport against DuckDB on the same CSV
# files, side by side in one run (see README.md in this folder).
#
#   sh tests/bench/run.sh /abs/path/to/build/civreport
#
# For each scale (BENCH_SCALES, default "1 10"): prepare the sample data set
# once (generated, its GB18030 export converted to UTF-8), then time on the
# same files, from a warm page cache:
#   wc -l                       the floor: reading every byte once
#   civreport query             every figure of figures.txt in one invocation
#   civreport query --threads 1 for reference
#   DuckDB (node, 2 threads)    the same figures from the same files, same rules
#   DuckDB read_csv only        parsing the files, no typing or rules (its floor)
# and compare every figure and every group of every series.  Exits 1 when a
# figure differs or a tool fails, never because of a time.
#
# Then the parse cache (issue 14), on a hard-linked copy of the same files:
#   civreport run --no-cache      the default report, every file parsed
#   civreport run, cold cache     the same, writing the cache
#   civreport run, warm cache     every file from the cache
#   civreport query, warm cache   every figure of figures.txt; and one figure
#   civreport run, 1 file changed one of the nine files changed (a copy with
#                                 one more line): that one parsed, 8 cached
# and check that the warm outputs are the --no-cache ones, byte for byte.
#
# Environment: BENCH_SCALES="1 10", BENCH_RUNS=1 (the fastest of N runs is
# reported), BENCH_YEAR=2021.

set -eu

. "$(dirname "$0")/common.sh"
SCALES=${BENCH_SCALES:-1 10}
RUNS=${BENCH_RUNS:-1}
DUCKDB_THREADS=2
FIGURES=$HERE/figures.txt
# the schema of this checkout, whatever the current directory
CIVREPORT_DATADIR=$ROOT/templates
export CIVREPORT_DATADIR

say() { printf '%s\n' "bench: $*" >&2; }
die() { say "$*"; exit 2; }

for tool in node npm iconv awk /usr/bin/time; do
	command -v "$tool" >/dev/null 2>&1 || die "missing $tool"
done
mkdir -p "$DATA" "$RESULTS"

# ------------------------------------------------------------------ data

# Whether a file is valid UTF-8 (civreport's own test: else it is GB18030).
is_utf8() { iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1; }

# data/scale$1: the sample at that scale, with every export that is not UTF-8
# converted once from GB18030 (DuckDB's core CSV reader has no GB18030;
# civreport reads either).  Built in a temporary folder, renamed when whole.
prepare() {
	scale=$1
	dir=$DATA/scale$scale
	[ -d "$dir" ] && return 0
	tmp=$DATA/.scale$scale.tmp
	rm -rf "$tmp"
	# about 375 MB per unit of scale (with a margin), plus one converted file in flight
	need_kb=$(awk -v s="$scale" 'BEGIN { printf "%d", s * 420 * 1024 + 200 * 1024 }')
	free_kb=$(df -Pk "$DATA" | awk 'NR == 2 { print $4 }')
	if [ "$free_kb" -lt "$need_kb" ]; then
		die "scale $scale needs about $((need_kb / 1024)) MB in $DATA, only $((free_kb / 1024)) MB free"
	fi
	say "generating the sample at scale $scale into $dir"
	"$BIN" sample --year "$YEAR" --out "$tmp" --scale "$scale" --quiet ||
		die "civreport sample failed"
	for f in "$tmp"/*.csv; do
		is_utf8 "$f" && continue
		say "converting $(basename "$f") from GB18030 to UTF-8 (for both tools)"
		iconv -f GB18030 -t UTF-8 "$f" >"$f.utf8" || die "iconv failed on $f"
		mv "$f.utf8" "$f"
		basename "$f" >>"$tmp/CONVERTED-FROM-GB18030.txt"
	done
	mv "$tmp" "$dir"
}

# ---------------------------------------------------------------- DuckDB

if [ ! -d "$HERE/node_modules/@duckdb/node-api" ]; then
	say "installing DuckDB for Node (npm, into tests/bench/node_modules)"
	(cd "$HERE" && npm install --no-audit --no-fund --loglevel=error) ||
		die "npm install failed"
fi

# ---------------------------------------------------------------- figures

# The expressions, one argument each.
set --
while IFS= read -r line || [ -n "$line" ]; do
	case $line in '' | '#'*) continue ;; esac
	set -- "$@" "$line"
done <"$FIGURES"
[ $# -ge 40 ] || die "figures.txt holds only $# expressions"
NFIG=$#

# ----------------------------------------------------------------- timing

# timed NAME CMD...: run CMD once, stdout to $RESULTS/NAME.out, stderr to
# NAME.err, and add "wall_s peak_kb" to NAME.times.
timed() {
	name=$1
	shift
	if ! /usr/bin/time -f "%e %M" -o "$RESULTS/$name.time" "$@" \
		>"$RESULTS/$name.out" 2>"$RESULTS/$name.err"; then
		say "$name failed:"
		tail -n 20 "$RESULTS/$name.err" >&2
		exit 1
	fi
	cat "$RESULTS/$name.time" >>"$RESULTS/$name.times"
}

# best NAME: the fastest run of NAME as "wall_s peak_kb"
best() { sort -n "$RESULTS/$1.times" | head -n 1; }

TABLE=$RESULTS/table.txt
: >"$TABLE"
CACHE_TABLE=$RESULTS/cache-table.txt
: >"$CACHE_TABLE"
crow() { # what scale wall peak_kb base_wall base_label
	awk -v t="$1" -v s="$2" -v w="$3" -v k="$4" -v b="$5" -v l="$6" 'BEGIN {
		printf "| %-34s | %5s | %8.2f | %8.0f | %6.2f | %-16s |\n", t, s, w, k / 1024, w / b, l
	}' >>"$CACHE_TABLE"
}

# cache_bench SCALE DIR EXPRESSION...: the parse cache's times at one scale,
# on DIR's files hard-linked into a work folder (a changed file is a copy:
# the data set itself never changes)
cache_bench() {
	scale=$1
	src=$2
	shift 2
	work=$DATA/cache-work-$scale
	cache=$work.cache
	changed=relief-华蓥市.csv
	rm -rf "$work" "$cache" "$work.out"
	mkdir -p "$work"
	for f in "$src"/*.csv; do
		ln "$f" "$work/" 2>/dev/null || cp "$f" "$work/"
	done
	for t in run-nocache run-cold run-warm query-warm query1-warm run-changed; do
		rm -f "$RESULTS/$t-$scale.times"
	done
	crun() { # NAME ARGS...: the default report of the work folder
		name=$1
		shift
		rm -rf "$work.out"
		timed "$name-$scale" "$BIN" run --year "$YEAR" --input "$work" --output "$work.out" \
			--no-progress "$@"
	}
	round=0
	while [ "$round" -lt "$RUNS" ]; do
		round=$((round + 1))
		rm -rf "$cache"
		rm -f "$work/$changed"
		ln "$src/$changed" "$work/" 2>/dev/null || cp "$src/$changed" "$work/"
		crun run-nocache --no-cache --quiet
		cp "$work.out/$YEAR/metrics.json" "$RESULTS/cache-plain-$scale.json"
		crun run-cold --cache "$cache" --quiet
		crun run-warm --cache "$cache"
		grep -q "取自缓存 9 个" "$RESULTS/run-warm-$scale.err" ||
			{ say "scale $scale: the warm run did not take the nine files from the cache"; status=1; }
		if ! cmp -s "$work.out/$YEAR/metrics.json" "$RESULTS/cache-plain-$scale.json"; then
			say "scale $scale: MISMATCH metrics.json from the cache differs from --no-cache"
			status=1
		fi
		timed "query-warm-$scale" "$BIN" query --year "$YEAR" --input "$work" --format csv \
			--quiet --cache "$cache" "$@"
		if ! cmp -s "$RESULTS/query-warm-$scale.out" "$RESULTS/civreport-$scale.out"; then
			say "scale $scale: MISMATCH query from the cache differs from --no-cache"
			status=1
		fi
		timed "query1-warm-$scale" "$BIN" query --year "$YEAR" --input "$work" --format csv \
			--quiet --cache "$cache" 'relief.amount by 区县'
		# one of nine files changed: a copy with one more line than any round before
		rm -f "$work/$changed"
		cp "$src/$changed" "$work/$changed"
		i=0
		while [ "$i" -lt "$round" ]; do
			printf '\n' >>"$work/$changed"
			i=$((i + 1))
		done
		crun run-changed --cache "$cache"
		grep -q "取自缓存 8 个.*重新读取 1 个（$changed）" "$RESULTS/run-changed-$scale.err" ||
			{ say "scale $scale: the changed run did not read exactly $changed again"; status=1; }
	done
	cache_kb=$(du -sk "$cache" | cut -f1)
	base_run=$(best "run-nocache-$scale" | cut -d' ' -f1)
	base_query=$(best "civreport-$scale" | cut -d' ' -f1)
	# shellcheck disable=SC2046 # two numbers
	{
		crow "run --no-cache" "$scale" $(best "run-nocache-$scale") "$base_run" "run --no-cache"
		crow "run, cold cache (writes it)" "$scale" $(best "run-cold-$scale") "$base_run" "run --no-cache"
		crow "run, warm cache" "$scale" $(best "run-warm-$scale") "$base_run" "run --no-cache"
		crow "run, 1 of 9 files changed" "$scale" $(best "run-changed-$scale") "$base_run" "run --no-cache"
		crow "query $NFIG figures, warm cache" "$scale" $(best "query-warm-$scale") "$base_query" "query --no-cache"
		crow "query 1 figure, warm cache" "$scale" $(best "query1-warm-$scale") "$base_query" "query --no-cache"
	}
	echo "scale $scale: the cache holds $((cache_kb / 1024)) MB" >>"$RESULTS/cache-sizes.txt"
	rm -rf "$work" "$cache" "$work.out"
}
row() { # tool scale wall peak_kb bytes civreport_wall
	awk -v t="$1" -v s="$2" -v w="$3" -v k="$4" -v b="$5" -v c="$6" 'BEGIN {
		mbs = w > 0 ? b / 1048576 / w : 0
		printf "| %-28s | %5s | %8.2f | %8.0f | %7.0f | %6.2f |\n", t, s, w, k / 1024, mbs, w / c
	}' >>"$TABLE"
}

status=0
rm -f "$RESULTS/cache-sizes.txt"
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
for scale in $SCALES; do
	prepare "$scale"
	dir=$DATA/scale$scale
	# reading them once also puts the files in the page cache for every tool alike
	bytes=$(cat "$dir"/*.csv | wc -c)

	# BENCH_RUNS rounds, each tool once per round, so that a burst of load
	# from other processes does not hit all the runs of one tool
	for tool in wc civreport civreport-t1 duckdb duckdb-scan; do
		rm -f "$RESULTS/$tool-$scale.times"
	done
	round=0
	while [ "$round" -lt "$RUNS" ]; do
		round=$((round + 1))
		timed "wc-$scale" wc -l "$dir"/*.csv
		timed "civreport-$scale" "$BIN" query --no-cache --year "$YEAR" --input "$dir" --format csv \
			--quiet "$@"
		timed "civreport-t1-$scale" "$BIN" query --no-cache --year "$YEAR" --input "$dir" --format csv --quiet \
			--threads 1 "$@"
		timed "duckdb-$scale" node "$HERE/duckdb_figures.mjs" run --year "$YEAR" --input "$dir" \
			--figures "$FIGURES" --schema "$ROOT/templates/schema.ini" --threads "$DUCKDB_THREADS" --timings
		timed "duckdb-scan-$scale" node "$HERE/duckdb_figures.mjs" scan --input "$dir" \
			--threads "$DUCKDB_THREADS"
	done
	lines=$(tail -n 1 "$RESULTS/wc-$scale.out" | awk '{ print $1 }')
	nfiles=$(set -- "$dir"/*.csv && echo $#)
	say "scale $scale: $nfiles files, $bytes bytes, $lines lines; $NFIG expressions"

	civ_wall=$(best "civreport-$scale" | cut -d' ' -f1)
	for tool in wc civreport civreport-t1 duckdb duckdb-scan; do
		case $tool in
		wc) label="wc -l (floor)" ;;
		civreport) label="civreport query" ;;
		civreport-t1) label="civreport query --threads 1" ;;
		duckdb) label="DuckDB, $DUCKDB_THREADS threads (node)" ;;
		duckdb-scan) label="DuckDB read_csv only" ;;
		esac
		# shellcheck disable=SC2046 # two numbers
		row "$label" "$scale" $(best "$tool-$scale") "$bytes" "$civ_wall"
	done

	say "scale $scale: DuckDB's own split of its time:"
	grep '^duckdb: [^ ]' "$RESULTS/duckdb-$scale.err" | sed 's/^/    /' >&2 || true

	# every figure, every group: civreport vs DuckDB, and civreport vs itself
	if ! node "$HERE/duckdb_figures.mjs" compare "$RESULTS/civreport-$scale.out" \
		"$RESULTS/duckdb-$scale.out" >"$RESULTS/compare-$scale.txt"; then
		status=1
	fi
	sed "s/^/bench: scale $scale: /" "$RESULTS/compare-$scale.txt" >&2
	if ! cmp -s "$RESULTS/civreport-$scale.out" "$RESULTS/civreport-t1-$scale.out"; then
		say "scale $scale: MISMATCH civreport --threads 1 differs from the default:"
		diff "$RESULTS/civreport-$scale.out" "$RESULTS/civreport-t1-$scale.out" | head -20 >&2 || true
		status=1
	fi
	say "scale $scale: the parse cache"
	cache_bench "$scale" "$dir" "$@"
done

cpus=$(nproc 2>/dev/null || echo '?')
load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
cat <<EOF

civreport vs DuckDB $(node -p "require('$HERE/node_modules/@duckdb/node-api/package.json').version" 2>/dev/null || echo '?'), $NFIG expressions, report year $YEAR, $(date '+%Y-%m-%d'), $cpus CPUs, warm page cache
(best of $RUNS run(s); MB = 2^20 bytes; MB/s = input bytes / wall; ratio = wall / civreport query's wall;
load average before $load_before, after $load_after: other processes on the machine skew every time)

| tool                         | scale |   wall s |  peak MB |    MB/s |  ratio |
|------------------------------|------:|---------:|---------:|--------:|-------:|
$(cat "$TABLE")

The parse cache (issue 14): the default report (\`run\`, PDF, DOCX, XLSX) and queries, every file
parsed or taken from the cache; ratio = wall / the same without the cache; $(cat "$RESULTS/cache-sizes.txt" 2>/dev/null | tr '\n' ';')

| civreport                          | scale |   wall s |  peak MB |  ratio | of               |
|------------------------------------|------:|---------:|---------:|-------:|------------------|
$(cat "$CACHE_TABLE")

EOF
if [ "$status" -ne 0 ]; then
	echo "bench: A CHECK FAILED: figures differ or the cache misbehaved (see above and $RESULTS/compare-*.txt)"
else
	echo "bench: every figure of civreport and DuckDB is equal"
fi
exit "$status"
