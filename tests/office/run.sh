#!/bin/sh
# make test-office: the default report's DOCX and XLSX opened by an office
# suite, LibreOffice (soffice --headless), and converted to PDF, then what
# survived checked in the results (not part of make test: LibreOffice is a
# large install and a conversion takes seconds):
#
#   DOCX -> PDF  the title, every heading and every sentence that tells a
#                figure are in the text; one picture per chart of the doc,
#                each at 200 ppi or more; "— N —" in the footer of page N;
#                the page count near the civreport PDF's
#   XLSX -> ODS  every native chart of the workbook is a chart object with
#                its title and data series after LibreOffice's import
#   XLSX -> PDF  the sheets print: captions, 合计, 指标 and 数据质量
#
# The inputs are the golden default case's (tests/golden/default), with the
# default template.  Everything stays in build/office/ (OFFICE_WORK) to look
# at: the reports in out/2021/, the conversions in pdf/ (the DOCX's),
# xlsx-pdf/ and ods/, e.g.
#   pdftoppm -png -r 60 build/office/pdf/annual-report-2021.pdf /tmp/docx
#   pdftoppm -png -r 60 build/office/out/2021/annual-report-2021.pdf /tmp/pdf
# soffice runs with a profile of its own in that folder, so it works as
# root and beside another soffice.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
BIN=${BIN:-$ROOT/build/civreport}
WORK=${OFFICE_WORK:-$ROOT/build/office}
PY=/usr/bin/python3
IN=tests/golden/default/input

fail() {
	echo "FAIL: $*" >&2
	exit 1
}
for tool in soffice pdftotext pdfimages pdfinfo; do
	command -v "$tool" >/dev/null 2>&1 || fail "$tool not found (make test-office installs it)"
done
[ -x "$BIN" ] || fail "$BIN is not an executable (make first, or set BIN)"

rm -rf "$WORK"
mkdir -p "$WORK/home" "$WORK/pdf" "$WORK/xlsx-pdf" "$WORK/ods" || exit 3
CIVREPORT_DATADIR=templates "$BIN" run --year 2021 --input "$IN" --output "$WORK/out" --quiet \
	--max-reject-rate 0.1 --dump-doc "$WORK/doc.txt" || fail "civreport run"
OUT=$WORK/out/2021
DOCX=$OUT/annual-report-2021.docx
XLSX=$OUT/annual-report-2021.xlsx
[ -s "$DOCX" ] || fail "no $DOCX: does templates/annual-summary.md still name docx:?"

# office FORMAT DIR FILE: soffice converts FILE into DIR
office() {
	start=$(date +%s)
	HOME=$WORK/home timeout 300 soffice -env:UserInstallation="file://$WORK/profile" \
		--headless --norestore --convert-to "$1" --outdir "$2" "$3" >"$WORK/soffice.log" 2>&1 ||
		{ cat "$WORK/soffice.log" >&2; fail "soffice --convert-to $1 $3"; }
	echo "soffice: $(basename "$3") -> $1 in $(($(date +%s) - start)) s"
}
office pdf "$WORK/pdf" "$DOCX"
office pdf "$WORK/xlsx-pdf" "$XLSX" # the same name as the DOCX's PDF: a folder of its own
office ods "$WORK/ods" "$XLSX"
DPDF=$WORK/pdf/annual-report-2021.pdf
[ -s "$DPDF" ] || fail "no PDF from the DOCX"
pdftotext -enc UTF-8 "$DPDF" "$WORK/docx.txt" || fail "pdftotext"
pdfimages -list "$DPDF" >"$WORK/images.txt" || fail "pdfimages"
pdfinfo "$DPDF" >"$WORK/docx-info.txt" || fail "pdfinfo"
pdfinfo "$OUT/annual-report-2021.pdf" >"$WORK/pdf-info.txt" || fail "pdfinfo"
XPDF=$WORK/xlsx-pdf/annual-report-2021.pdf
[ -s "$XPDF" ] || fail "no PDF from the XLSX"
pdftotext -enc UTF-8 "$XPDF" "$WORK/xlsx.txt" || fail "pdftotext"

$PY - "$WORK" "$OUT" "$ROOT/tests/e2e" <<'PYEOF' || fail "the converted documents"
import json, re, subprocess, sys, zipfile
work, out = sys.argv[1:3]

def flat(s):
    # LibreOffice spaces ideographs from Latin and digits (it ignores
    # autoSpaceDE); pdftotext breaks lines: compare without white space,
    # and full-width punctuation as half-width
    return re.sub(r"\s+", "", s).translate(str.maketrans("，；：（）！？", ",;:()!?"))

# --- the doc: title, headings, charts ------------------------------------------
sys.path.insert(0, sys.argv[3])
from doc_dump import headings_and_charts
headings, charts = headings_and_charts(work + "/doc.txt")
headings = [[text] for _, text in headings]
charts = [label + " " + title for label, title in charts]

raw = open(work + "/docx.txt", encoding="utf-8").read()
# a page's folio ("— 1 —") falls inside a sentence that goes on over the page
text = flat(re.sub(r"(?m)^—\s*\d+\s*—$", "", raw))
for h in ["广安市2021年民政工作总结"] + [h[0] for h in headings] + charts:
    assert flat(h) in text, ("the DOCX's PDF lacks", h)
m = {f["expression"]: f["value"]
     for f in json.load(open(out + "/metrics.json", encoding="utf-8"))["figures"]}
qty = "elderly.sum(数量)[项目类型=%s]"
sentences = [
    "新增城乡低保对象%d人,其中重残重病困难群众单独纳入低保%d人"
    % (m["relief.persons[救助类别=城市低保,农村低保; 纳入日期=$period]"],
       m["relief.persons[救助类别=城市低保,农村低保; 纳入日期=$period; 纳入方式=重残重病单独纳入]"]),
    "为%d名孤儿、%d名事实无人抚养儿童发放基本生活费"
    % (m["children.persons[儿童类别=机构养育孤儿,社会散居孤儿; 项目=基本生活费]"],
       m["children.persons[儿童类别=事实无人抚养儿童; 项目=基本生活费]"]),
    "实施慈善项目%d个" % m["charity.distinct(项目名称)[收支类型=项目支出]"],
    "建设养老服务综合体%d个、养老驿站%d个,安装家庭智能看护系统%d套"
    % (m[qty % "养老服务综合体"], m[qty % "养老驿站"], m[qty % "家庭智能看护"]),
    "为%d户困难独居老人安装热水器" % m[qty % "困难老人热水器"],
]
for s in sentences:
    assert flat(s) in text, ("the DOCX's PDF lacks the sentence", s)
print("DOCX -> PDF: title, %d headings, %d captions, %d sentences" % (len(headings), len(charts), len(sentences)))

# --- pictures: one per chart, 200 ppi or more ------------------------------------
rows = [l.split() for l in open(work + "/images.txt", encoding="utf-8").read().splitlines()[2:]]
images = [r for r in rows if len(r) > 13 and r[2] == "image"]
assert len(images) == len(charts), ("images in the DOCX's PDF", len(images), "charts", len(charts))
for r in images:
    assert int(r[12]) >= 199 and int(r[13]) >= 199, ("a picture below 200 ppi", r)
    assert (int(r[3]), int(r[4])) == (1229, 676), ("a picture resized", r)
print("DOCX -> PDF: %d pictures for %d charts, at %s ppi" % (len(images), len(charts), images[0][12]))

# --- pages: "— N —" on page N, about as many pages as the PDF ----------------------
pages = raw.split("\f")
if pages and not pages[-1].strip():
    pages.pop()
for i, p in enumerate(pages, 1):
    assert re.search(r"—\s*%d\s*—" % i, p), ("page %d lacks its number — %d —" % (i, i))
def npages(f):
    return int(re.search(r"^Pages:\s+(\d+)", open(f).read(), re.M).group(1))
mine = npages(work + "/pdf-info.txt")
assert len(pages) == npages(work + "/docx-info.txt")
assert abs(len(pages) - mine) <= 2, ("pages: DOCX via LibreOffice", len(pages), "civreport's PDF", mine)
print("DOCX -> PDF: %d pages numbered — 1 — to — %d — (civreport's PDF: %d)" % (len(pages), len(pages), mine))

# --- the workbook's native charts after LibreOffice's import ----------------------
x = zipfile.ZipFile(out + "/annual-report-2021.xlsx")
xcharts = sorted(n for n in x.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n))
titles = []
for n in xcharts:
    # the chart's own title: the first <c:title> (the axes have theirs later)
    t = re.search(r"<c:title>(.*?)</c:title>", x.read(n).decode("utf-8"), re.S)
    titles.append("".join(re.findall(r"<a:t>([^<]*)</a:t>", t.group(1))) if t else "")
o = zipfile.ZipFile(work + "/ods/annual-report-2021.ods")
objs = [n for n in o.namelist() if re.match(r"Object \d+/content\.xml$", n)]
got = []
for n in objs:
    c = o.read(n).decode("utf-8")
    if "<chart:chart" not in c:
        continue
    series = len(re.findall(r"<chart:series\b", c))
    title = re.search(r"<chart:title\b.*?</chart:title>", c, re.S)
    ttext = re.sub(r"<[^>]+>", "", title.group(0)) if title else ""
    assert series > 0, ("a chart without data series after import", n, ttext)
    got.append(ttext)
assert len(got) == len(xcharts) == len(charts), ("charts: xlsx", len(xcharts), "after import", len(got), "doc", len(charts))
assert sorted(got) == sorted(titles), (sorted(got), sorted(titles))
print("XLSX -> ODS: %d native charts, each with its title and series" % len(got))

xt = flat(open(work + "/xlsx.txt", encoding="utf-8").read())
for s in ["表1", "合计", "数据质量", "输入文件数据质量"]:
    assert flat(s) in xt, ("the XLSX's PDF lacks", s)
print("XLSX -> PDF: %d pages" % len(open(work + "/xlsx.txt", encoding="utf-8").read().split("\f")))
PYEOF
# The gbt9704 style through LibreOffice: a page of body text holds 22 lines
# of 28 characters, as in our PDF (t_fonts checks ours).  Prose without
# digits, so a full line is 28 characters exactly.
mkdir -p "$WORK/gbt" || fail "mkdir"
$PY - "$WORK/gbt/gbt.md" <<'PYEOF' || fail "the gbt9704 template"
import sys
words = "民政为民爱民情怀兜牢民生保障底线巩固拓展脱贫攻坚成果同乡村振兴有效衔接聚焦特殊群体群众关切"
para = "".join(words[i % len(words)] for i in range(700)) + "。"
open(sys.argv[1], "w", encoding="utf-8").write(
    "---\ntitle: 版式\nstyle: gbt9704\npdf: g.pdf\nxlsx: g.xlsx\ndocx: g.docx\n---\n\n"
    + "\n\n".join([para] * 3)
    + "\n\n慈善捐赠收入{{ charity.amount[收支类型=捐赠收入] | 万:1 }}万元。\n")
PYEOF
"$BIN" run --year 2021 --input "$IN" --template "$WORK/gbt/gbt.md" --output "$WORK/gbt/out" \
	--max-reject-rate 0.1 --quiet || fail "the gbt9704 run"
office pdf "$WORK/gbt" "$WORK/gbt/out/2021/g.docx"
pdftotext -layout -f 2 -l 2 "$WORK/gbt/g.pdf" "$WORK/gbt/page2.txt" || fail "pdftotext"
$PY - "$WORK/gbt/page2.txt" <<'PYEOF' || fail "the gbt9704 grid in LibreOffice"
import sys
body = [l.strip() for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
body = [l for l in body if not l.startswith("—")]
print("DOCX gbt9704 -> PDF, page 2: %d lines, lengths %s" % (len(body), sorted({len(l) for l in body})))
assert len(body) == 22 and max(len(l) for l in body) == 28, body
PYEOF
echo "test-office: ok (the converted pages are in $WORK/pdf)"
