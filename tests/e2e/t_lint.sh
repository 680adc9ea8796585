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

# Output names that would destroy another output (issue 10, item 11): lint
# and run refuse them (exit 2) naming the key, before anything is written;
# the run's folder keeps no trace of the name (only the run lock).
for name in .civreport.lock manifest.json metrics.json rejects.csv sub/x.pdf ../x.pdf \
	.hidden.pdf report.xlsx; do
	printf -- '---\npdf: %s\n---\n正文。\n' "$name" >names.md
	expect_exit 2 "$BIN" lint --template names.md
	contains err.txt "names.md:2:1: 错误: pdf 的文件名“$name”无效"
	expect_exit 2 "$BIN" run --year 2021 --template names.md --input "$WORK/no-such-input" \
		--output names-out
	contains err.txt "pdf 的文件名“$name”无效"
	# the lock, taken before anything is read, is all the folder may hold
	left=$(ls -A names-out 2>/dev/null | grep -v '^\.2021\.lock$' || true)
	[ -z "$left" ] || fail "a run with pdf: $name wrote into its output folder: $left"
done
printf -- '---\npdf: r.pdf\nxlsx: R.PDF\n---\n正文。\n' >names.md
expect_exit 2 "$BIN" lint --template names.md
contains err.txt "names.md:3:1: 错误: xlsx 的文件名“R.PDF”与 pdf 的相同"
printf -- '---\npdf: %0256d.pdf\n---\n正文。\n' 0 >names.md
expect_exit 2 "$BIN" lint --template names.md
contains err.txt "文件名超过 255 字节"
printf -- '---\npdf: a\001b.pdf\n---\n正文。\n' >names.md
expect_exit 2 "$BIN" lint --template names.md
contains err.txt "pdf 的文件名无效：文件名不能含控制字符"
