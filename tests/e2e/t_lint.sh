# civreport lint: a template with errors fails with each problem located at
# its line and column, before any data is read; the default template passes.
. "$ROOT/tests/e2e/lib.sh"

expect_exit 0 "$BIN" lint
contains out.txt "模板检查通过"
cat >bad.md <<'MD'
---
title: 测试{year}
---
# 一、测试

全年为{{ relief.persns[救助类别=城市低保] | 万:1 }}名困难群众,
发放{{ relief.amount[区县=广安] | 亿:9 }}元。
MD
expect_exit 2 "$BIN" lint --template bad.md
cat err.txt
contains err.txt "bad.md:6:"
contains err.txt "persons"
contains err.txt "bad.md:7:"
contains err.txt "广安区"
# run refuses the template before reading any data
expect_exit 2 "$BIN" run --year 2021 --template bad.md --input "$WORK/no-such-input"
contains err.txt "bad.md:6:"
