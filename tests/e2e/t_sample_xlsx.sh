# civreport sample --format xlsx (issue 12): the relief exports as Excel
# workbooks, read back with Debian's openpyxl (read-only, as another program
# would) against the CSV sample of the same year, scale and seed
# (check_sample_xlsx.py): a title row merged above the header, the header in
# row 2, the same rows with the same cell texts, amounts as numbers where the
# CSV has a plain decimal (equal to the fen), the bad rows bad the same way;
# the other datasets the same CSV bytes.  Two runs write the same bytes, and
# leave no temporary file.  --format takes csv (the default) or xlsx.
. "$ROOT/tests/e2e/lib.sh"
set -u

gen() { # gen DIR SEED [options]: a small sample
	d=$1 s=$2
	shift 2
	expect_exit 0 "$BIN" sample --year 2021 --scale 0.01 --seed "$s" --out "$d" --quiet "$@"
}

gen csv 7
gen x1 7 --format xlsx
gen x2 7 --format XLSX

# the workbooks hold the CSV sample's rows
$PY "$ROOT/tests/e2e/check_sample_xlsx.py" x1 csv >check.txt 2>&1 || { cat check.txt; fail "the workbooks are not the CSV sample"; }
cat check.txt

# ... and the check sees a difference: the rows of another seed are not these
gen other 8
if $PY "$ROOT/tests/e2e/check_sample_xlsx.py" x1 other >other.txt 2>&1; then
	fail "check_sample_xlsx.py found no difference from another seed's sample"
fi
contains other.txt "FAIL:"

# same options, same bytes; nothing else in the folder (no temporary file:
# libxlsxwriter's go into the output folder, unlinked, and the workbook is
# renamed into place)
diff -r x1 x2 || fail "two --format xlsx runs differ"
[ "$(ls -A x1 | grep -c '^\.')" -eq 0 ] || { ls -A x1; fail "a hidden file left in the output folder"; }
[ "$(ls x1 | wc -l)" -eq 9 ] || { ls x1; fail "want 6 workbooks and 3 CSV files"; }

# the workbook is dated from the data, never from the clock
$PY - x1 <<'EOF' || fail "workbook properties"
import datetime, glob, sys
import openpyxl
for p in sorted(glob.glob(sys.argv[1] + "/relief-*.xlsx")):
    wb = openpyxl.load_workbook(p, read_only=True)
    c = wb.properties.created
    assert c == datetime.datetime(2022, 1, 1), (p, c)
    assert wb.properties.title.startswith("广安市") and "2020—2021年" in wb.properties.title, p
print("created 2022-01-01 (after the year 2021 they hold), titled")
EOF

# the default is CSV: the same bytes as --format csv
gen dflt 7 --format csv
diff -r csv dflt || fail "--format csv differs from the default"

# --format: csv or xlsx; xls is refused with its reason; both exit 2
expect_exit 2 "$BIN" sample --year 2021 --scale 0.01 --out bad --format pdf
contains err.txt "--format 应为 csv 或 xlsx：pdf"
expect_exit 2 "$BIN" sample --year 2021 --scale 0.01 --out bad --format xls
contains err.txt "不生成 .xls"
contains err.txt "应为 csv 或 xlsx"
expect_exit 2 "$BIN" sample --year 2021 --scale 0.01 --out bad --format table
contains err.txt "--format 应为 csv 或 xlsx：table"
# query's --format stays its own
expect_exit 2 "$BIN" query --year 2021 --input csv --format xlsx 'relief.rows'
contains err.txt "--format 应为 table、csv 或 json：xlsx"
[ ! -e bad ] || fail "a refused --format still wrote the sample"

# a folder it cannot write (even root cannot create files in /proc): exit 3, said why
expect_exit 3 "$BIN" sample --year 2021 --scale 0.01 --out /proc/self --format xlsx
contains err.txt "无法在 /proc/self 中创建文件 relief-广安区.xlsx"
echo "sample --format xlsx: the CSV sample's rows, deterministic; --format csv|xlsx"
