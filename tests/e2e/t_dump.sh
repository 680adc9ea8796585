# run --dump-doc FILE: the dump is an output like the others: written whole
# with the outputs' mode when the run succeeds, never left by a failed run;
# "-" writes it to standard output.
. "$ROOT/tests/e2e/lib.sh"
IN="$ROOT/tests/golden/default/input"

umask 022
expect_exit 0 "$BIN" run --year 2021 --input "$IN" --output out --quiet --mode 0600 --dump-doc doc.txt
[ "$(stat -c %a doc.txt)" = 600 ] || fail "doc.txt has mode $(stat -c %a doc.txt), want 600 like the outputs"
head -1 doc.txt | grep -qx 'civreport-doc 1' || fail "doc.txt is not a dump"
contains doc.txt '附录 数据质量与来源'
[ -z "$(find . -name '.civreport-tmp-*')" ] || fail "temporary files left"

# a run that fails after the doc was built (the PDF's font is missing)
# leaves neither the outputs nor the dump
sed '2i body_font: 不存在的字体' "$ROOT/templates/annual-summary.md" >nofont.md
expect_exit 3 "$BIN" run --year 2021 --input "$IN" --output bad --quiet --template nofont.md \
	--dump-doc bad.txt
contains err.txt "不存在的字体"
[ ! -e bad.txt ] || fail "a failed run left its doc dump"
[ ! -e bad/2021/annual-report-2021.xlsx ] || fail "a failed run left outputs"
[ -z "$(find . -name '.civreport-tmp-*')" ] || fail "temporary files left after a failed run"

expect_exit 0 "$BIN" run --year 2021 --input "$IN" --output out2 --quiet --dump-doc -
cmp out.txt doc.txt || fail "--dump-doc - differs from the file"
