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
contains err.txt "没有 CSV 文件"
# an expression error names its column and suggests the nearest name
expect_exit 2 "$BIN" query --year 2021 --input empty 'relief.persns'
contains err.txt "是不是“persons”"
contains err.txt "第8列"
