#!/bin/sh
# tests/bench/xlsx.sh - `make bench`, the Excel part (issue 12): reading the
# same relief rows as CSV and as .xlsx, by civreport and by openpyxl.
#
#   sh tests/bench/xlsx.sh /abs/path/to/civreport
#
# Prepares once, at BENCH_XLSX_SCALE (default 1), in tests/bench/data/:
#   scale1-xlsx        civreport sample --format xlsx: the six relief workbooks
#                      (libxlsxwriter constant_memory; the other datasets removed)
#   scale1-relief-csv  civreport sample: the same six relief exports as CSV
#                      (GB18030 and all, as civreport reads them)
# and notes the generation's time and size in scale1-xlsx.txt beside them
# (not inside: civreport names every file of an input folder it cannot read).
# Then times, from a warm page cache (BENCH_RUNS rounds, the fastest kept):
#   civreport check on the CSV folder      relief rows read per second
#   civreport check on the .xlsx folder    the same rows from the workbooks
#   openpyxl read_only, values_only        /usr/bin/python3 iterating every row
#                                          of every sheet of the same workbooks
# and prints rows/s for each and civreport / openpyxl on the .xlsx (goal: at
# least 10x).  civreport must read as many relief rows from the workbooks as
# from the CSV files, else the script exits 1; never because of a time.
#
# BENCH_XLSX_PARTS="civreport openpyxl" (default both) runs one part alone:
# the civreport part needs a civreport that reads .xlsx (the reader of
# issue 12); openpyxl's does not.
set -eu

. "$(dirname "$0")/common.sh"
SCALE=${BENCH_XLSX_SCALE:-1}
RUNS=${BENCH_RUNS:-1}
PARTS=${BENCH_XLSX_PARTS:-civreport openpyxl}
PY=/usr/bin/python3
XDIR=$DATA/scale$SCALE-xlsx
CDIR=$DATA/scale$SCALE-relief-csv
CIVREPORT_DATADIR=$ROOT/templates
export CIVREPORT_DATADIR

say() { printf '%s\n' "bench: $*" >&2; }
die() { say "$*"; exit 2; }
has_part() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }

command -v /usr/bin/time >/dev/null 2>&1 || die "missing /usr/bin/time"
$PY -c 'import openpyxl' 2>/dev/null || die "missing python3-openpyxl (apt-get install python3-openpyxl)"
mkdir -p "$DATA" "$RESULTS"

# ------------------------------------------------------------------ data

# gen DIR FORMAT: the sample's relief exports alone, in DIR (built under
# another name, renamed when whole), with the generation's wall time, peak
# memory and sizes in DIR.txt.
gen() {
	dir=$1 format=$2
	[ -d "$dir" ] && return 0
	tmp=$(dirname "$dir")/.$(basename "$dir").tmp
	rm -rf "$tmp"
	need_kb=$(awk -v s="$SCALE" 'BEGIN { printf "%d", s * 800 * 1024 }')
	free_kb=$(df -Pk "$DATA" | awk 'NR == 2 { print $4 }')
	[ "$free_kb" -ge "$need_kb" ] ||
		die "scale $SCALE needs about $((need_kb / 1024)) MB in $DATA, only $((free_kb / 1024)) MB free"
	say "generating the relief exports as $format at scale $SCALE into $dir"
	/usr/bin/time -f "%e %M" -o "$DATA/.gen-$format.time" \
		"$BIN" sample --year "$YEAR" --scale "$SCALE" --format "$format" --out "$tmp" --quiet ||
		die "civreport sample --format $format failed"
	rm -f "$tmp/children.csv" "$tmp/elderly.csv" "$tmp/charity.csv"
	read -r wall kb <"$DATA/.gen-$format.time"
	rm -f "$DATA/.gen-$format.time"
	{
		echo "civreport sample --year $YEAR --scale $SCALE --format $format (relief only kept)"
		echo "generated in $wall s wall, peak $((kb / 1024)) MB, by $BIN"
		echo "$(cat "$tmp"/relief-* | wc -c) bytes in $(ls "$tmp" | grep -c '^relief-') files:"
		ls -l "$tmp" | awk '/relief-/ { print "  " $5 "  " $NF }'
	} >"$dir.txt"
	mv "$tmp" "$dir"
}

gen "$XDIR" xlsx
has_part civreport && gen "$CDIR" csv
sed 's/^/bench: /' "$XDIR.txt" >&2

# ---------------------------------------------------------------- timing

# timed NAME MAXRC CMD...: stdout to $RESULTS/NAME.out, stderr to NAME.err,
# and "wall_s peak_kb" appended to NAME.times; an exit status above MAXRC
# fails (civreport check exits 1 when the data fail the checks: the rows
# are still counted).
timed() {
	name=$1 maxrc=$2
	shift 2
	rc=0
	/usr/bin/time -f "%e %M" -o "$RESULTS/$name.time" "$@" \
		>"$RESULTS/$name.out" 2>"$RESULTS/$name.err" || rc=$?
	if [ "$rc" -gt "$maxrc" ]; then
		say "$name failed (exit $rc):"
		case $name in xlsx-civreport-xlsx-*)
			say "(a civreport without the .xlsx reader of issue 12 reads no .xlsx: BENCH_XLSX_PARTS=openpyxl runs the rest)" ;;
		esac
		tail -n 20 "$RESULTS/$name.err" >&2
		exit 1
	fi
	tail -n 1 "$RESULTS/$name.time" >>"$RESULTS/$name.times"
}

best() { sort -n "$RESULTS/$1.times" | head -n 1; }

# the relief rows civreport read: 社会救助发放明细's row of the per-dataset table
relief_rows() {
	sed -n 's/^社会救助发放明细 *\([0-9,]*\) .*/\1/p' "$RESULTS/$1.out" | tr -d , | head -n 1
}

# the openpyxl reader: every row of every sheet, as values; prints data
# rows (less each sheet's title and header), cells and sheets
cat >"$RESULTS/openpyxl_read.py" <<'EOF'
import sys
import openpyxl

rows = cells = sheets = 0
for path in sys.argv[1:]:
    wb = openpyxl.load_workbook(path, read_only=True)
    for ws in wb.worksheets:
        sheets += 1
        n = 0
        for row in ws.iter_rows(values_only=True):
            n += 1
            cells += sum(v is not None for v in row)
        rows += n - 2
    wb.close()
print(rows, cells, sheets)
EOF

for t in civreport-csv civreport-xlsx openpyxl; do
	rm -f "$RESULTS/xlsx-$t-$SCALE.times"
done
cat "$XDIR"/relief-*.xlsx >/dev/null
has_part civreport && cat "$CDIR"/relief-*.csv >/dev/null
round=0
while [ "$round" -lt "$RUNS" ]; do
	round=$((round + 1))
	if has_part civreport; then
		timed "xlsx-civreport-csv-$SCALE" 1 "$BIN" check --no-cache --year "$YEAR" --input "$CDIR"
		timed "xlsx-civreport-xlsx-$SCALE" 1 "$BIN" check --no-cache --year "$YEAR" --input "$XDIR"
	fi
	if has_part openpyxl; then
		say "openpyxl read_only over $(ls "$XDIR"/relief-*.xlsx | wc -l) workbooks (round $round; minutes at scale 1)"
		timed "xlsx-openpyxl-$SCALE" 0 $PY "$RESULTS/openpyxl_read.py" "$XDIR"/relief-*.xlsx
	fi
done

# ---------------------------------------------------------------- result

status=0
TABLE=$RESULTS/xlsx-table-$SCALE.txt
: >"$TABLE"
row() { # reader input rows wall peak_kb
	awk -v t="$1" -v i="$2" -v r="$3" -v w="$4" -v k="$5" 'BEGIN {
		printf "| %-26s | %-22s | %10d | %7.2f | %7.0f | %9.0f |\n", t, i, r, w, k / 1024, (w > 0 ? r / w : 0)
	}' >>"$TABLE"
}
xbytes=$(cat "$XDIR"/relief-*.xlsx | wc -c)
xmb=$(awk -v b="$xbytes" 'BEGIN { printf "%.0f", b / 1048576 }')
civ_rate="" py_rate=""

if has_part civreport; then
	csv_rows=$(relief_rows "xlsx-civreport-csv-$SCALE")
	xlsx_rows=$(relief_rows "xlsx-civreport-xlsx-$SCALE")
	cbytes=$(cat "$CDIR"/relief-*.csv | wc -c)
	cmb=$(awk -v b="$cbytes" 'BEGIN { printf "%.0f", b / 1048576 }')
	if [ -z "$csv_rows" ] || [ "${xlsx_rows:-0}" != "$csv_rows" ]; then
		say "MISMATCH civreport read ${xlsx_rows:-no} relief rows from the workbooks, ${csv_rows:-no} from the CSV files"
		say "(a civreport without the .xlsx reader of issue 12 reads none: BENCH_XLSX_PARTS=openpyxl runs the rest)"
		status=1
	fi
	# shellcheck disable=SC2046 # two numbers
	row "civreport check" "CSV, $cmb MB" "${csv_rows:-0}" $(best "xlsx-civreport-csv-$SCALE")
	# shellcheck disable=SC2046
	row "civreport check" ".xlsx, $xmb MB" "${xlsx_rows:-0}" $(best "xlsx-civreport-xlsx-$SCALE")
	civ_rate=$(best "xlsx-civreport-xlsx-$SCALE" | awk -v r="${xlsx_rows:-0}" '{ print ($1 > 0 ? r / $1 : 0) }')
fi
if has_part openpyxl; then
	read -r py_rows py_cells py_sheets <"$RESULTS/xlsx-openpyxl-$SCALE.out"
	# shellcheck disable=SC2046
	row "openpyxl read_only" ".xlsx, $xmb MB" "$py_rows" $(best "xlsx-openpyxl-$SCALE")
	py_rate=$(best "xlsx-openpyxl-$SCALE" | awk -v r="$py_rows" '{ print ($1 > 0 ? r / $1 : 0) }')
	if has_part civreport && [ "${xlsx_rows:-0}" != "$py_rows" ]; then
		say "MISMATCH openpyxl read $py_rows data rows, civreport ${xlsx_rows:-no}"
		status=1
	fi
fi

cat <<EOF

Reading the relief rows as CSV and as .xlsx, scale $SCALE, report year $YEAR, $(date '+%Y-%m-%d'), $(nproc 2>/dev/null || echo '?') CPUs, warm page cache
(best of $RUNS run(s); rows = relief data rows read, both years; MB = 2^20 bytes; openpyxl $($PY -c 'import openpyxl; print(openpyxl.__version__)'))

| reader                     | input                  |       rows |  wall s | peak MB |    rows/s |
|----------------------------|------------------------|-----------:|--------:|--------:|----------:|
$(cat "$TABLE")
EOF
[ -n "$py_rate" ] && echo "openpyxl: $py_rows rows, $py_cells cells, $py_sheets sheets"
if [ -n "$civ_rate" ] && [ -n "$py_rate" ]; then
	awk -v c="$civ_rate" -v p="$py_rate" 'BEGIN {
		printf "civreport / openpyxl on the same .xlsx: %.1fx (goal: at least 10x)\n", (p > 0 ? c / p : 0)
	}'
fi
exit "$status"
