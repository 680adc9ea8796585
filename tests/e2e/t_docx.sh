# The Word/WPS document (docx: in the default template), read back with
# Debian's python3-docx as an officer's software would: the paragraph styles
# exist and are used (Title, Heading 1/2, Normal, caption, 表注), every
# heading of the doc in order, every sentence that tells a figure, the
# cells of 表1 equal the workbook's, one picture per chart with its title as
# alt text, the three-line tables, the — PAGE — footer, A4 and the GB/T 9704
# margins in twips, the document properties; byte-identical reruns; a --each
# report and the manifest have their DOCX; a template without docx: writes
# none; a bad docx: name is refused before any data is read.
. "$ROOT/tests/e2e/lib.sh"
IN="$ROOT/tests/golden/default/input"
# its two bad children rows are 7.7% of the period's rows (as tests/golden/default/args)
RATE="--max-reject-rate 0.1"

expect_exit 0 "$BIN" run --year 2021 --input "$IN" --output out1 --quiet $RATE --dump-doc doc.txt
expect_exit 0 "$BIN" run --year 2021 --input "$IN" --output out2 --quiet $RATE
DOCX=out1/2021/annual-report-2021.docx
[ -s "$DOCX" ] || fail "no $DOCX"
cmp "$DOCX" out2/2021/annual-report-2021.docx || fail "the DOCX differs between two runs"
contains out1/2021/manifest.json '"annual-report-2021.docx"'
contains out1/2021/manifest.json '"docx": "annual-report-2021.docx"'
echo "docx: $(stat -c %s "$DOCX") bytes, the same from two runs, in the manifest"

$PY - "$DOCX" out1/2021/annual-report-2021.xlsx doc.txt out1/2021/metrics.json <<'PYEOF' ||
import json, os, re, sys, zipfile
import docx, openpyxl
from docx.shared import Length

path, xlsx, dump, metrics = sys.argv[1:5]
d = docx.Document(path)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# --- the doc's headings and charts, from its dump -------------------------------
sys.path.insert(0, os.path.join(os.environ["ROOT"], "tests/e2e"))
from doc_dump import headings_and_charts
headings, charts = headings_and_charts(dump)
charts = [title for _, title in charts]
assert len(headings) >= 8 and len(charts) >= 5, (headings, charts)

# --- styles: present, built-in where Word has them, and used ---------------------
paras = d.paragraphs
used = {}
for p in paras:
    used.setdefault(p.style.name, []).append(p.text)
for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Normal", "Caption", "表注"):
    assert name in used, ("style not used", name, sorted(used))
assert d.styles["Heading 1"].builtin and d.styles["Normal"].builtin and d.styles["Title"].builtin
assert not d.styles["表注"].builtin  # customStyle
assert paras[0].style.name == "Title" and paras[0].text == "广安市2021年民政工作总结", paras[0].text
normal = d.styles["Normal"]
assert normal.paragraph_format.first_line_indent.twips == 560
nxml = normal.element.xml
assert 'w:firstLineChars="200"' in nxml, nxml
assert 'w:eastAsia="Noto Serif CJK SC"' in nxml, nxml
assert 'w:eastAsia="Noto Sans CJK SC"' in d.styles["Heading 1"].element.xml
z = zipfile.ZipFile(path)
for part in ("word/styles.xml", "word/document.xml"):
    assert b"Theme" not in z.read(part), part  # no theme fonts overriding the names
assert b"compatibilityMode" in z.read("word/settings.xml")

# --- headings, in order, with their numbers as text --------------------------------
got = [(int(p.style.name[-1]), p.text) for p in paras if p.style.name.startswith("Heading")]
want = [(min(l, 3), t) for l, t in headings]
assert got == want, (got, want)
print(len(got), "headings, in order:", got[0][1], "...", got[-1][1])

# --- every sentence that tells a figure ---------------------------------------------
half = str.maketrans("，；：（）！？", ",;:()!?")
text = "".join(p.text for p in paras).translate(half)
sys.path.insert(0, os.path.join(os.environ["ROOT"], "tests/e2e"))
from seed_sentences import sentences as seed_sentences
sentences = seed_sentences(metrics) + [
    "今年以来,广安市民政局深入开展党史学习教育",
]
for s in sentences:
    assert s in text, ("missing sentence", s)
print(len(sentences), "sentences that tell the figures")

# --- 表1: the cells the workbook holds -------------------------------------------------
cap = [i for i, p in enumerate(paras) if p.text.startswith("表1 ")]
assert len(cap) == 1, cap
t = d.tables[0]
rows = [[c.text for c in r.cells] for r in t.rows]
wb = openpyxl.load_workbook(xlsx)
ws = wb[[n for n in wb.sheetnames if n.startswith("表1")][0]]
sheet = [list(r) for r in ws.iter_rows(values_only=True)]
assert sheet[0][0] == paras[cap[0]].text, (sheet[0][0], paras[cap[0]].text)
assert rows[0] == list(sheet[1]), (rows[0], sheet[1])
body = sheet[2:2 + len(rows) - 1]
for r, (drow, xrow) in enumerate(zip(rows[1:], body)):
    for c, (dv, xv) in enumerate(zip(drow, xrow)):
        if isinstance(xv, str) and xv.startswith("=SUM("):
            xv = sum(b[c] for b in body[:-1])
        if isinstance(xv, str) or xv is None:
            assert dv == (xv or ""), (r, c, dv, xv)
            continue
        pct = dv.endswith("%")
        num = float(dv.rstrip("%").replace(",", ""))
        digits = len(dv.rstrip("%").split(".")[1]) if "." in dv else 0
        want = xv * 100 if pct else xv
        assert abs(num - want) <= 0.5 * 10 ** -digits + 1e-9, (r, c, dv, xv)
print("表1:", len(rows) - 1, "rows equal the workbook's")

# --- three-line tables: rules, repeated header, right-aligned numbers, bold 合计 -------
for t in d.tables:
    tbl = t._tbl
    b = tbl.find(W + "tblPr/" + W + "tblBorders")
    assert b.find(W + "top").get(W + "val") == "single" and b.find(W + "bottom").get(W + "val") == "single"
    assert all(b.find(W + s).get(W + "val") == "nil" for s in ("left", "right", "insideH", "insideV"))
    grid = [int(g.get(W + "w")) for g in tbl.findall(W + "tblGrid/" + W + "gridCol")]
    assert sum(grid) == 8844, grid
    head = tbl.findall(W + "tr")[0]
    assert head.find(W + "trPr/" + W + "tblHeader") is not None
last = d.tables[0].rows[-1]
assert last.cells[0].text == "合计"
assert all(r.bold for c in last.cells for p in c.paragraphs for r in p.runs if r.text), "合计 not bold"
assert d.tables[0].rows[1].cells[1].paragraphs[0].alignment == 2  # RIGHT: a number
assert d.tables[0].rows[1].cells[0].paragraphs[0].alignment == 0  # LEFT: a district

# --- charts: one picture each, the title as alt text, the text width wide ------------
shapes = d.inline_shapes
assert len(shapes) == len(charts), (len(shapes), len(charts))
zx = zipfile.ZipFile(xlsx)
assert len(charts) == len([n for n in zx.namelist() if n.startswith("xl/charts/chart")])
descr = [s._inline.docPr.get("descr") for s in shapes]
assert descr == charts, (descr, charts)
assert all(s.width.twips == 8844 for s in shapes), [s.width for s in shapes]
for n in z.namelist():
    if n.startswith("word/media/"):
        png = z.read(n)
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[37:41] == b"pHYs"
        ppm = int.from_bytes(png[41:45], "big")
        assert ppm >= 7874, (n, ppm)  # 200 dpi or more
# each picture's paragraph keeps with its caption 图N below
for i, p in enumerate(paras):
    if p._p.xpath(".//w:drawing"):
        assert p.paragraph_format.keep_with_next or p.style.paragraph_format.keep_with_next
        assert re.match(r"图\d+ ", paras[i + 1].text), paras[i + 1].text
        assert paras[i + 1].style.name == "Caption"
print(len(shapes), "charts as pictures with alt text and captions")

# --- the page: A4, GB/T 9704 margins, the footer's PAGE field ------------------------
s = d.sections[0]
assert (s.page_width.twips, s.page_height.twips) == (11906, 16838)
assert (s.top_margin.twips, s.bottom_margin.twips, s.left_margin.twips, s.right_margin.twips) == \
    (2098, 1984, 1587, 1474), (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)
fxml = s.footer._element.xml
assert "PAGE" in "".join(s.footer._element.itertext()) and "fldChar" in fxml, fxml
assert s.footer.paragraphs[0].text.startswith("— ") and s.footer.paragraphs[0].text.endswith(" —")

# --- properties --------------------------------------------------------------------
cp = d.core_properties
assert cp.title == "广安市2021年民政工作总结", cp.title
assert cp.author == "广安市民政局", cp.author
assert cp.created.isoformat() == "2021-12-31T00:00:00" and cp.modified == cp.created, cp.created
# the appendix is there, from a new page
appx = [p for p in paras if p.text.startswith("附录")]
assert appx and appx[0].paragraph_format.page_break_before, "appendix not on a new page"
print("page, footer, properties, appendix: ok")
PYEOF
	fail "the DOCX read back"

# no unmasked ID in the document's text
unzip -p "$DOCX" word/document.xml >document.xml
if grep -E '[0-9]{17}[0-9Xx]' document.xml >ids.txt; then
	head -c 300 ids.txt
	fail "an unmasked ID in the DOCX"
fi

# --- --each: every report of one area has its DOCX, listed in the manifest ---------
expect_exit 0 "$BIN" run --year 2021 --input "$IN" --output each --quiet $RATE --each 区县
n=$(find each/2021/ -mindepth 2 -name 'annual-report-2021.docx' | wc -l)
[ "$n" -ge 6 ] || fail "--each: $n DOCX files, want one per 区县"
contains each/2021/manifest.json '岳池县/annual-report-2021.docx'
$PY -c "import docx, sys; d = docx.Document(sys.argv[1]); assert d.paragraphs[0].text.startswith('岳池县'), d.paragraphs[0].text" \
	each/2021/岳池县/annual-report-2021.docx || fail "--each: 岳池县's DOCX"

# --- a template without docx: writes none; a bad name is refused ------------------
sed '/^docx:/d' "$ROOT/templates/annual-summary.md" >nodocx.md
expect_exit 0 "$BIN" run --year 2021 --input "$IN" --output none --quiet $RATE --template nodocx.md
[ -z "$(find none/ -name '*.docx')" ] || fail "a DOCX without docx: in the template"
lacks none/2021/manifest.json ".docx"
sed 's/^docx: .*/docx: annual-report-{period}.pdf/' "$ROOT/templates/annual-summary.md" >same.md
expect_exit 2 "$BIN" run --year 2021 --input "$IN" --output bad --quiet $RATE --template same.md
contains err.txt "DOCX 的文件名应以 .docx 结尾"
[ -z "$(find bad -name '*.pdf' 2>/dev/null)" ] || fail "a refused template wrote a report"
echo "--each, no docx:, bad names: ok"
