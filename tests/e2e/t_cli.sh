# The command line: help, version, usage errors and their exit codes.
. "$ROOT/tests/e2e/lib.sh"

expect_exit 0 "$BIN" --help
contains out.txt "退出码"
contains out.txt "civreport run --year YYYY"
expect_exit 0 "$BIN" --version
contains out.txt "civreport "
expect_exit 2 "$BIN"
expect_exit 2 "$BIN" frobnicate
contains err.txt "未知的子命令"
expect_exit 2 "$BIN" run
contains err.txt "--year"
expect_exit 2 "$BIN" run --year 20x1
expect_exit 2 "$BIN" query --year 2021 --bogus-flag
expect_exit 3 "$BIN" check --year 2021 --input "$WORK/does-not-exist"
contains err.txt "无法读取输入目录"
mkdir empty
expect_exit 3 "$BIN" check --year 2021 --input empty
contains err.txt "没有 CSV 或 Excel 文件"
# an expression error names its column and suggests the nearest name
expect_exit 2 "$BIN" query --year 2021 --input empty 'relief.persns'
contains err.txt "是不是“persons”"
contains err.txt "第8列"

# --- settings: one table for the command line and the configuration file ---
# A value is refused the same way wherever it is written (exit 2), naming the
# option or file:line, the value and the values allowed.
expect_exit 2 "$BIN" check --year 2021 --input empty --encoding latin1
contains err.txt "--encoding"
contains err.txt "latin1"
contains err.txt "auto、utf-8 或 gb18030"
printf '[run]\n; the exports of 2021\nencoding = latin1\n' >enc.conf
expect_exit 2 "$BIN" check --config enc.conf --year 2021 --input empty
contains err.txt "enc.conf:3: encoding"
contains err.txt "latin1"
contains err.txt "auto、utf-8 或 gb18030"
# spellings both accept: any case, gbk for gb18030
expect_exit 3 "$BIN" check --year 2021 --input empty --encoding GBK
contains err.txt "没有 CSV 或 Excel 文件"
printf '[run]\nencoding = UTF-8\nyear = LATEST\n' >enc-ok.conf
expect_exit 0 "$BIN" lint --config enc-ok.conf
# booleans: a documented spelling, any case; anything else is an error, never a silent "no"
printf '[mail]\nstarttls = On\nattach_xlsx = 否\n' >bool.conf
expect_exit 0 "$BIN" lint --config bool.conf
printf '[mail]\nurl = smtp://127.0.0.1:25\nstarttls = maybe\n' >bool-bad.conf
expect_exit 2 "$BIN" lint --config bool-bad.conf
contains err.txt "bool-bad.conf:3: starttls"
contains err.txt "maybe"
contains err.txt "yes 或 no"
contains err.txt "是/否"
# an unknown key: file:line, and the keys there are
printf '[run]\nyear = 2021\nthread = 2\n' >key.conf
expect_exit 2 "$BIN" lint --config key.conf
contains err.txt "key.conf:3: [run] 中未知的设置：thread"
contains err.txt "threads"
printf '[mail]\nretries = 3\nretry_delay = 100\n' >mkey.conf
expect_exit 2 "$BIN" lint --config mkey.conf
contains err.txt "mkey.conf:3: [mail] 中未知的设置：retry_delay"
contains err.txt "retry_delay_ms"
# an unknown option, and an option without its value
expect_exit 2 "$BIN" check --year 2021 --threds 2
contains err.txt "未知的选项：--threds"
expect_exit 2 "$BIN" check --year
contains err.txt "--year 需要一个值"
# flags win over the file (the file's input does not exist, the flag's does) ...
printf '[run]\ninput = does-not-exist\nyear = 2021\nencoding = utf-8\n' >win.conf
expect_exit 3 "$BIN" check --config win.conf --input empty --encoding gb18030
contains err.txt "没有 CSV 或 Excel 文件"
expect_exit 3 "$BIN" check --config win.conf
contains err.txt "无法读取输入目录"
# ... but a value the flag overrides is still checked
printf '[run]\nyear = 2021\nencoding = latin1\n' >win-bad.conf
expect_exit 2 "$BIN" check --config win-bad.conf --input empty --encoding utf-8
contains err.txt "win-bad.conf:3: encoding"
