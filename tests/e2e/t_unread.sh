# Files in the input folder that civreport does not read (issue 11, "No
# silent zeros"): a workbook and an archive beside the CSVs were ignored
# without a word, and the report came out without their data, exit 0.  Now
# they are named in one warning on the log of run, check and query, in
# check's data-quality output, in the PDF's data-quality appendix and in
# the manifest; the exit code stays what it was.  A folder of such files
# only says so in its error.  Since issue 12 .xlsx, .xlsm and .xls are
# read (t_workbooks.sh); this test uses the kinds still not read: .xlsb,
# .ods, .et, archives.
. "$ROOT/tests/e2e/lib.sh"

mkdir in
{
	echo '日期,收支类型,项目名称,区县,金额,受益人次,捐赠方'
	echo '2021-03-01,捐赠收入,慈善济困,武胜县,100.00,,'
	echo '2021-04-01,项目支出,慈善济困,武胜县,25.50,,'
} >in/charity.csv

# the exit code of each command without the extra files
expect_exit 0 "$BIN" check --year 2021 --input in --no-progress
lacks err.txt "不能读取，未读取"
"$BIN" run --year 2021 --input in --output out0 --no-progress >/dev/null 2>&1
run_rc=$?

printf 'PK\003\004' >"in/2021低保.xlsb"
printf 'PK\003\004' >in/备份.zip
mkdir in/sub
: >in/sub/养老.ET
: >"in/~\$2021低保.xlsb" # Excel's lock file while the workbook is open
: >in/README.txt
: >in/511602198001150012补发.ods # synthetic ID (tests/fixtures/ingest/README.md)
names='2021低保.xlsb、511602********0012补发.ods、sub/养老.ET、备份.zip'

expect_exit 0 "$BIN" query --year 2021 --input in 'charity.amount' --format csv
contains out.txt "charity.amount,,,125.50"
contains err.txt "输入目录 in 中有 4 个文件 civreport 不能读取，未读取，其中的数据不在报告中：$names"
[ "$(grep -c '不能读取，未读取' err.txt)" = 1 ] || fail "the warning is not given once"
lacks err.txt "511602198001150012"
lacks err.txt '~$'
lacks err.txt "README"

expect_exit 0 "$BIN" check --year 2021 --input in --no-progress
contains err.txt "中有 4 个文件 civreport 不能读取"
contains out.txt "未读取的文件"
contains out.txt "2021低保.xlsb"
contains out.txt "备份.zip"
contains out.txt "sub/养老.ET"
contains out.txt "压缩包"
contains out.txt "以上文件中的数据未计入本报告"
contains out.txt "合计：读取 2 = 接收 2"

expect_exit "$run_rc" "$BIN" run --year 2021 --input in --output out --no-progress
[ "$(grep -c '不能读取，未读取' err.txt)" = 1 ] || fail "run does not warn once"
contains err.txt "$names"
contains err.txt "未读取的文件" # run's data-quality table on stderr
lacks err.txt "511602198001150012"
pdftotext -layout out/2021/annual-report-2021.pdf pdf.txt || fail "pdftotext"
contains pdf.txt "未读取的文件"
contains pdf.txt "2021低保.xlsb"
contains pdf.txt "Excel 二进制工作簿"
contains pdf.txt "备份.zip"
contains pdf.txt "511602********0012补发.ods"
contains pdf.txt "未计入本报告"
lacks pdf.txt "511602198001150012"
lacks pdf.txt "README"
contains out/2021/manifest.json '"unread": ["2021低保.xlsb", "511602********0012补发.ods", "sub/养老.ET", "备份.zip"]'
# one more workbook is another report: --if-changed does not skip it
: >in/2022.xlsb
expect_exit "$run_rc" "$BIN" run --year 2021 --input in --output out --no-progress --if-changed
contains out/2021/manifest.json '"unread": ["2021低保.xlsb", "2022.xlsb",'

# year = latest lists the folder twice: still one warning
expect_exit 0 "$BIN" run --year latest --input in --output out2 --no-progress --quiet
[ "$(grep -c '不能读取，未读取' err.txt)" = 1 ] || fail "run --year latest does not warn once"

# many files: five names, then the count
mkdir many
cp in/charity.csv many/
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do : >"many/2021-$m.xlsb"; done
expect_exit 0 "$BIN" check --year 2021 --input many --no-progress
contains err.txt "2021-01.xlsb、2021-02.xlsb、2021-03.xlsb、2021-04.xlsb、2021-05.xlsb……等共12个"
lacks err.txt "2021-06.xlsb"
contains out.txt "2021-12.xlsb" # the table lists them all

# no CSV at all: the error says what is there instead
mkdir only
printf 'PK\003\004' >"only/2021低保.xlsb"
printf 'PK\003\004' >only/备份.zip
expect_exit 3 "$BIN" check --year 2021 --input only --no-progress
contains err.txt "输入目录 only 中没有 CSV 或 Excel 文件；其中 2 个文件 civreport 不能读取：2021低保.xlsb、备份.zip"
contains err.txt "另存为 .xlsx 或 CSV"
expect_exit 3 "$BIN" run --year 2021 --input only --output out3 --no-progress
contains err.txt "没有 CSV 或 Excel 文件；其中 2 个文件 civreport 不能读取"
