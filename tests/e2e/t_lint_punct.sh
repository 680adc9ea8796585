# Chinese punctuation (issue 13): lint warns about a half-width , ; : ( ) ! ?
# next to Chinese text with file:line:col (exit status unchanged), lint --fix
# repairs the template in place, a second --fix changes nothing, the fixed
# template computes the same figures and keeps every expression byte for
# byte; and the default report's PDF has no half-width , ; ( ) between
# Chinese characters except in the data's own values and quoted expressions.
. "$ROOT/tests/e2e/lib.sh"
set -u

INPUT="$ROOT/tests/golden/default/input"
TPL="$ROOT/templates/annual-summary.md"

# --- a template whose prose lost its full-width marks ------------------------
# The default template with ，；：（） flattened to half-width in the body
# outside fenced blocks and comments: what a plain-text copy of it looks like.
$PY - "$TPL" flat.md <<'PYEOF'
import sys
src = open(sys.argv[1], encoding="utf-8").read().split("\n")
out, fence, comment, front = [], False, False, src[0].strip() == "---"
flat = str.maketrans("，；：（）", ",;:()")
for i, line in enumerate(src):
    if front:
        out.append(line)
        front = not (i > 0 and line.strip() == "---")
        continue
    if line.lstrip().startswith("```"):
        fence = not fence
    # comments are left alone by lint: so here
    starts = "<!--" in line and "-->" not in line.split("<!--", 1)[1]
    keep = fence or comment or starts or line.lstrip().startswith("```")
    comment = (comment or starts) and "-->" not in (line if comment else "")
    out.append(line if keep or "<!--" in line else line.translate(flat))
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out))
PYEOF
cmp -s flat.md "$TPL" && fail "flattening changed nothing: does the default template still have full-width marks?"
chmod 0604 flat.md
cp flat.md flat-orig.md

expect_exit 0 "$BIN" lint --template flat.md
contains out.txt "模板检查通过"
n=$(grep -c ': 警告: 半角' err.txt || true)
[ "$n" -ge 50 ] || fail "lint found only $n half-width marks in flat.md"
# the first flattened mark: line and column (in characters) of the file
first=$($PY - flat.md <<'PYEOF'
import re, sys
for no, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    if no > 1 and line.startswith("今年以来"):
        print(f"flat.md:{no}:{line.index(',') + 1}: 警告: 半角逗号“,”与汉字相邻，应为全角“，”")
        break
PYEOF
)
[ -n "$first" ] || fail "flat.md has no line 今年以来,"
contains err.txt "$first"
contains err.txt "flat.md: $n 处半角标点"

# --- lint --fix: back to the default template, byte for byte -------------------
expect_exit 0 "$BIN" lint --fix --template flat.md
contains out.txt "flat.md: 已改正 $n 处半角标点："
contains out.txt "等"
cmp flat.md "$TPL" || {
	diff "$TPL" flat.md | head -20
	fail "lint --fix did not give back the default template"
}
[ "$(stat -c %a flat.md)" = 604 ] || fail "lint --fix changed the template's mode to $(stat -c %a flat.md)"
ls -A | grep -q 'lint-fix' && fail "lint --fix left a temporary file: $(ls -A | grep lint-fix)"
expect_exit 0 "$BIN" lint --template flat.md
lacks err.txt "警告"
expect_exit 0 "$BIN" lint --fix --template flat.md
contains out.txt "没有需要改正的半角标点"
cmp -s flat.md "$TPL" || fail "a second lint --fix changed the template"

# every {{ }} expression and every fenced line is as it was
$PY - flat-orig.md flat.md <<'PYEOF' || fail "lint --fix changed an expression or a fenced block"
import re, sys
a, b = (open(f, encoding="utf-8").read() for f in sys.argv[1:])
expr = lambda s: re.findall(r"\{\{.*?\}\}", s, re.S)
fenced = lambda s: re.findall(r"^```.*?^```", s, re.S | re.M)
assert expr(a) == expr(b) and len(expr(a)) > 40, "expressions"
assert fenced(a) == fenced(b) and len(fenced(a)) > 10, "fenced blocks"
# outside them, only punctuation (and the spaces beside it) changed
full = str.maketrans("，；：（）", ",;:()")
strip = lambda s: re.sub(r"[ ,;:()]", "", s.translate(full))
assert strip(a) == strip(b), "text"
PYEOF

# --- the same figures from both templates --------------------------------------
expect_exit 0 "$BIN" run --year 2021 --input "$INPUT" --template flat-orig.md --output out-flat \
	--max-reject-rate 0.1 --quiet
expect_exit 0 "$BIN" run --year 2021 --input "$INPUT" --template flat.md --output out-fixed \
	--max-reject-rate 0.1 --quiet
$PY - out-flat/2021/metrics.json out-fixed/2021/metrics.json <<'PYEOF' || fail "the fixed template computes other figures"
import json, sys
a, b = (json.load(open(f, encoding="utf-8")) for f in sys.argv[1:])
fig = lambda m: [(f["expression"], f.get("value"), f.get("text")) for f in m["figures"]]
assert len(fig(a)) > 20 and fig(a) == fig(b), (fig(a)[:3], fig(b)[:3])
PYEOF

# --- lint --fix and links, other subcommands -----------------------------------
ln -s flat-orig.md link.md
expect_exit 2 "$BIN" lint --fix --template link.md
contains err.txt "link.md 是符号链接"
$PY -c 'import sys; sys.exit(0 if open("flat-orig.md",encoding="utf-8").read().count(",") > 50 else 1)' ||
	fail "lint --fix rewrote the target of a symlink"
expect_exit 2 "$BIN" run --fix --year 2021
contains err.txt "--fix 只用于 civreport lint"

# --- the default PDF: no half-width , ; ( ) between Chinese characters ---------
expect_exit 0 "$BIN" run --year 2021 --input "$INPUT" --output out-default --max-reject-rate 0.1 --quiet
pdftotext out-default/2021/annual-report-2021.pdf report.txt
$PY - report.txt "$INPUT" <<'PYEOF' || fail "the default PDF has half-width punctuation between Chinese characters"
import csv, glob, os, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
cjk = "\u3400-\u9fff\U00020000-\U0003ffff"
# a line broken between two Chinese characters is one line to a reader
text = re.sub(f"(?<=[{cjk}])\n(?=[{cjk}])", "", text)
# allowed: the data's own values (a category such as 慰问金(品) is shown as
# the bureau wrote it) and metric expressions quoted by the appendix
allowed = set()
for f in glob.glob(os.path.join(sys.argv[2], "*.csv")):
    raw = open(f, "rb").read()
    try:
        data = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        data = raw.decode("gb18030")
    for row in csv.reader(data.splitlines()):
        allowed.update(v for v in row if re.search(r"[,;()]", v))
# src/ingest/value.c's reasons for a rejected row, written with half-width
# marks: src/ingest is outside the punctuation branch (issue 13 lists them
# for its owner); read from the source, so the exemption ends when they do
src = open(os.path.join(os.environ["ROOT"], "src/ingest/value.c"), encoding="utf-8").read()
allowed.update(re.findall(r'\] = "([^"]*)"', src))
for v in sorted(allowed, key=len, reverse=True):
    text = text.replace(v, "")
text = re.sub(r"[a-z]+\.[a-z]+(\([^)]*\))?\[[^\]]*\]", "", text)
bad = [m.group(0) for m in re.finditer(f"[{cjk}][,;()][{cjk}]", text)]
for b in bad[:10]:
    print("half-width:", b)
sys.exit(1 if bad else 0)
PYEOF
echo "lint flagged $n marks in flat.md; lint --fix restored the default template; same figures"
