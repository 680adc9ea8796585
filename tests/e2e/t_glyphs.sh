# What the PDF's font cannot draw never fails a run (issue 10 item 27): a
# control character in data is replaced, an emoji and Uyghur script are
# drawn by a fallback font, a character no font has is replaced with a
# warning, a file name in GBK bytes is shown with escapes; the workbook
# gets no control character.  In a template, a character the chosen fonts
# lack is an error of lint (and of run, exit 2) at its line and column.
. "$ROOT/tests/e2e/lib.sh"
FIX="$ROOT/tests/fixtures/glyphs"

mkdir in
cp "$FIX/charity.csv" in/charity.csv
# the same rows under a GBK name (中文.csv), as a Windows share writes it
gbk=$(printf '\326\320\316\304.csv')
sed -e 's/^2021-01-0/2021-02-0/' "$FIX/charity.csv" >"in/$gbk"

expect_exit 0 "$BIN" run --year 2021 --input in --template "$FIX/template.md" \
	--output out --dump-doc doc.txt
cat err.txt
[ -s out/2021/g.pdf ] || fail "no PDF"
# U+0001 shown as a visible escape, never itself in the doc
contains doc.txt '"助学\\x01甲"'
lacks doc.txt "$(printf '\001')"
# emoji and Uyghur kept (the fallback font draws them)
contains doc.txt '"笑😀脸"'
contains doc.txt '"ئۇيغۇرچە"'
# U+13000 (no installed font has it) replaced, with a warning naming it
contains doc.txt '"象形�"'
contains err.txt 'U+13000'
contains err.txt '象形'
# the GBK file name, escaped
contains doc.txt 'cell 1,0 "\\xd6\\xd0\\xce\\xc4.csv"'
lacks doc.txt "$gbk"
# the PDF holds the text (fallback glyphs included)
pdftotext out/2021/g.pdf pdf.txt || fail "pdftotext"
contains pdf.txt '笑😀脸'
contains pdf.txt '\xd6\xd0\xce\xc4.csv'
# the workbook opens and holds the replaced text
$PY "$ROOT/tests/unit/xlsx_read.py" out/2021/g.xlsx >xlsx.txt || fail "xlsx_read"
contains xlsx.txt '助学\\x01甲'
contains xlsx.txt '笑😀脸'

# check names the file escaped too (a terminal must not get raw bytes)
expect_exit 0 "$BIN" check --year 2021 --input in
contains out.txt '\xd6\xd0\xce\xc4.csv'

# an emoji in the template: an error at its line and column, no exit 3
sed -e 's/^title: 各项目金额$/title: 各项目金额🎉/' -e 's/^title: 字形$/title: 字形😀/' \
	"$FIX/template.md" >bad.md
expect_exit 2 "$BIN" lint --template bad.md
cat out.txt err.txt
contains err.txt 'bad.md:2:10: 错误: 字体“Noto Serif CJK SC”没有字符“😀”（U+1F600）'
contains err.txt 'bad.md:16:13: 错误:'
expect_exit 2 "$BIN" run --year 2021 --input in --template bad.md --output out3
contains err.txt 'bad.md:16:13'
# in a comment it is not drawn: no error
sed -e 's/^  character, an emoji/  character 😀, an emoji/' "$FIX/template.md" >ok.md
expect_exit 0 "$BIN" lint --template ok.md
echo "glyphs ok"
