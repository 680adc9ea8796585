# Font roles and the GB/T 9704 page style (issue 13).  Each role
# (title_font, heading1_font, heading2_font, body_font, table_font) is a list
# tried in order; a template whose role has no installed font fails lint
# with exit 2 naming the role, the fonts tried and the Debian package with a
# fallback, and run fails the same way before reading data.  A template
# whose fonts exist renders with them (pdffonts), under a localized family
# name too.  Each character is checked against its role's font: a heading's
# character the 楷体 role lacks is an error where the body's font has it.
# style: gbt9704 sets 22 lines of 28 characters a page in the PDF and the
# document grid in the DOCX; an unknown style is refused.
. "$ROOT/tests/e2e/lib.sh"
set -u

INPUT="$ROOT/tests/golden/default/input"

# A template of pure Chinese prose: three long paragraphs, no digits, so a
# full line is exactly 28 characters in the gbt9704 style.
$PY - <<'PYEOF'
words = "民政为民爱民情怀兜牢民生保障底线巩固拓展脱贫攻坚成果同乡村振兴有效衔接聚焦特殊群体群众关切"
para = "".join(words[i % len(words)] for i in range(700)) + "。"
front = """---
title: 字体与版式测试
organisation: 测试民政局
date: 二〇二一年十二月三十一日
pdf: f.pdf
xlsx: f.xlsx
docx: f.docx
{extra}---

# 一、一级标题

## （一）二级标题

{para}

{para}

{para}

慈善捐赠收入{{{{ charity.amount[收支类型=捐赠收入] | 万:1 }}}}万元。
"""
open("base.md", "w", encoding="utf-8").write(front.format(extra="", para=para))
open("gbt.md", "w", encoding="utf-8").write(front.format(
    extra="style: gbt9704\ntitle_font: 霞鹜文楷\nheading1_font: 不存在的黑体, LXGW WenKai\n", para=para))
open("missing.md", "w", encoding="utf-8").write(front.format(
    extra="body_font: 仿宋_GB2312，FangSong\n", para=para))
open("missing-debian.md", "w", encoding="utf-8").write(front.format(
    extra="heading2_font: AR PL UKai CN\n", para=para))
open("badstyle.md", "w", encoding="utf-8").write(front.format(extra="style: 公文式\n", para=para))
open("rare.md", "w", encoding="utf-8").write(front.format(extra="", para=para).replace(
    "## （一）二级标题", "## （一）二级标题㐀\n\n正文里的㐀字"))
PYEOF

# --- a role with no installed font -------------------------------------------
expect_exit 2 "$BIN" lint --template missing.md
contains err.txt 'missing.md:8:1: 错误: 正文字体（body_font，仿宋）'
contains err.txt '“仿宋_GB2312”“FangSong”都没有安装'
contains err.txt '/usr/local/share/fonts'
contains err.txt 'Noto Serif CJK SC（Debian 软件包 fonts-noto-cjk'
# run refuses it before reading data: exit 2, not 3 from the renderer
expect_exit 2 "$BIN" run --year 2021 --input "$INPUT" --template missing.md --output out-missing
contains err.txt '正文字体（body_font，仿宋）'
[ ! -e out-missing/2021/f.pdf ] || fail "a PDF was written with a missing font"
# a Debian font that is not installed: its own package is named
if ! fc-list | grep -q 'AR PL UKai CN'; then
	expect_exit 2 "$BIN" lint --template missing-debian.md
	contains err.txt '二级标题字体（heading2_font，楷体）'
	contains err.txt 'apt-get install fonts-arphic-ukai'
fi
expect_exit 2 "$BIN" lint --template badstyle.md
contains err.txt 'style 的值“公文式”无效'
# the old single heading_font key is pointed at its successor
sed 's/^pdf: f.pdf$/heading_font: Noto Sans CJK SC\npdf: f.pdf/' base.md >oldkey.md
expect_exit 2 "$BIN" lint --template oldkey.md
contains err.txt '“heading_font”'
contains err.txt 'heading1_font'

# --- each character against its role's font ----------------------------------
# 㐀 (U+3400): Noto Serif CJK SC has it, LXGW WenKai (the 楷体 role) not
expect_exit 2 "$BIN" lint --template rare.md
contains err.txt 'rare.md:12:'
contains err.txt '字体“LXGW WenKai”没有字符“㐀”'
lacks err.txt 'rare.md:14:'

# --- fonts that exist render with them ----------------------------------------
expect_exit 0 "$BIN" run --year 2021 --input "$INPUT" --template base.md --output out-base --max-reject-rate 0.1
pdffonts out-base/2021/f.pdf >fonts-base.txt || fail "pdffonts"
contains fonts-base.txt 'NotoSerifCJKsc-Bold'    # title: Noto Serif, bold
contains fonts-base.txt 'NotoSansCJKsc-Regular'  # 一、 and captions
contains fonts-base.txt 'LXGWWenKai-Regular'     # （一）: the 楷体 role
contains fonts-base.txt 'NotoSerifCJKsc-Regular' # body
expect_exit 0 "$BIN" run --year 2021 --input "$INPUT" --template gbt.md --output out-gbt --max-reject-rate 0.1
pdffonts out-gbt/2021/f.pdf >fonts-gbt.txt || fail "pdffonts"
# title_font by its Chinese name, heading1_font's second choice
contains fonts-gbt.txt 'LXGWWenKai-Bold'
contains fonts-gbt.txt 'LXGWWenKai-Regular'
lacks fonts-gbt.txt 'NotoSansCJKsc'
# every font embedded (subset): a mailed PDF is self-contained
awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }' fonts-gbt.txt ||
	fail "a font is not embedded"

# --- gbt9704: 22 lines of 28 characters --------------------------------------
pdftotext -layout -f 2 -l 2 out-gbt/2021/f.pdf page2.txt || fail "pdftotext"
$PY - page2.txt <<'PYEOF' || fail "gbt9704 grid"
import sys
lines = [l.strip() for l in open(sys.argv[1], encoding="utf-8")]
body = [l for l in lines if l and not l.startswith("—")]
lens = sorted({len(l) for l in body})
print("page 2:", len(body), "lines; lengths", lens)
assert len(body) == 22, f"{len(body)} lines on a full page, want 22"
assert max(lens) == 28, f"longest line {max(lens)} characters, want 28"
full = sum(1 for l in body if len(l) == 28)
assert full >= 19, f"only {full} full lines of 28"
PYEOF
pdftotext -layout -f 2 -l 2 out-base/2021/f.pdf base2.txt || fail "pdftotext"
$PY - base2.txt <<'PYEOF' || fail "compact grid"
import sys
body = [l.strip() for l in open(sys.argv[1], encoding="utf-8") if l.strip() and not l.strip().startswith("—")]
print("compact page 2:", len(body), "lines")
assert max(len(l) for l in body) == 31, "compact: 31 characters of 14pt a line"
PYEOF
unzip -p out-gbt/2021/f.docx word/document.xml >doc-gbt.xml || fail "unzip"
contains doc-gbt.xml '<w:docGrid w:type="lines" w:linePitch="579"/>'
unzip -p out-gbt/2021/f.docx word/styles.xml >styles-gbt.xml || fail "unzip"
contains styles-gbt.xml 'w:eastAsia="霞鹜文楷"'
contains styles-gbt.xml '<w:sz w:val="32"/>'
contains styles-gbt.xml '<w:spacing w:val="-5"/>'
unzip -p out-base/2021/f.docx word/document.xml >doc-base.xml || fail "unzip"
lacks doc-base.xml 'w:docGrid'
echo "fonts ok"
