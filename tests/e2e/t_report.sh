# The default report from the generated sample: its sentences tell the
# figures of metrics.json (at scale 1, make test-full, they are the seed's
# sentences of the 2021 Guang'an summary, word for word), embedded subset
# fonts, metadata, a sound PDF structure, the workbook's sheets, cells,
# formulas and charts, no unmasked ID anywhere, and byte-identical outputs
# from two runs.
. "$ROOT/tests/e2e/lib.sh"
use_sample
IN=$SAMPLE

expect_exit 0 "$BIN" run --year 2021 --input "$IN" --output out1 --quiet
expect_exit 0 "$BIN" run --year 2021 --input "$IN" --output out2 --quiet
PDF=out1/2021/annual-report-2021.pdf
XLSX=out1/2021/annual-report-2021.xlsx
for f in annual-report-2021.pdf annual-report-2021.xlsx metrics.json rejects.csv; do
	cmp "out1/2021/$f" "out2/2021/$f" || fail "$f differs between two runs"
done

pdftotext "$PDF" text.txt
# full-width marks read as half-width (GB/T 15834 in the template, the
# seed's sentences as flattened), so both spellings match
half() { sed 's/，/,/g; s/；/;/g; s/：/:/g; s/（/(/g; s/）/)/g; s/！/!/g; s/？/?/g'; }
# a page's folio ("— 1 —") may fall inside a paragraph: out of the sentences
grep -v '^— [0-9]* —$' text.txt | tr -d '\n\f' | half >flat.txt
contains text.txt "— 1 —"
for s in "广安市2021年民政工作总结" "图1" "图5" "表1" "表4" "数据质量"; do
	contains flat.txt "$(printf %s "$s" | half)"
done
# the sentences with counts tell the figures computed (metrics.json), each
# in its place
$PY "$ROOT/tests/e2e/seed_sentences.py" out1/2021/metrics.json >sentences.txt ||
	fail "metrics.json lacks a figure of the template"
while IFS= read -r s; do contains flat.txt "$(printf %s "$s" | half)"; done <sentences.txt
echo "$(wc -l <sentences.txt) sentences tell the figures of metrics.json"
if full_scale; then
	for s in "为26.7万名城乡困难群众发放低保金3.5亿元" \
		"新增城乡低保对象5717人,其中重残重病困难群众单独纳入低保1571人" \
		"及时将1268名符合社会救助政策人员纳入兜底保障范围,其中低保802人、特困人员救助供养96人、临时救助370人" \
		"累计接受捐赠资金54.23万元,实施慈善项目4个,惠及群众2000余人次" \
		"发放慰问金(品)75万元" \
		"为766名孤儿、562名事实无人抚养儿童发放基本生活费567.8万元" \
		"为126名超龄在校孤儿发放助学基金94.5万元" \
		"将12名机构养育孤儿纳入资助范围" \
		"多方筹集资金15万元,对前锋区、华蓥市、岳池县等地300余名困境儿童进行了关爱帮扶" \
		"筹集资金9859万元,建设养老服务综合体16个、养老驿站35个,安装家庭智能看护系统240套" \
		"集中改造农村敬老院床位250张" \
		"投入328万元建立农村留守老人“巡访+互助”制度" \
		"建成运营“老龄食堂”5个,解决900余名空巢和高龄老人吃饭难题" \
		"为2000户困难独居老人安装热水器" \
		"已承保人数7.6万人,收取保费452.07万元,给付赔款229.88万元" \
		"两地共培训养老院院长、护理员800人"; do
		contains flat.txt "$(printf %s "$s" | half)"
	done
	echo "the seed's sentences: all there"
else
	echo "the seed's sentences: only at scale 1 (make test-full)"
fi

pdffonts "$PDF" >fonts.txt
cat fonts.txt
tail -n +3 fonts.txt | awk '{ if ($(NF-4) != "yes" || $(NF-3) != "yes") bad = 1 } END { exit bad }' ||
	fail "a font is not embedded as a subset"
contains fonts.txt "NotoSerifCJKsc"

pdfinfo "$PDF" >info.txt
contains info.txt "Title:           广安市2021年民政工作总结"
contains info.txt "Author:          广安市民政局"
contains info.txt "Page size:       595.28 x 841.89 pts (A4)"
pages=$(awk '/^Pages:/ { print $2 }' info.txt)
[ "$pages" -ge 5 ] || fail "only $pages pages"
size=$(stat -c %s "$PDF")
[ "$size" -lt 1000000 ] || fail "PDF is $size bytes, not fit for email"
qpdf --check "$PDF" >qpdf.txt 2>&1 || { cat qpdf.txt; fail "qpdf --check"; }

# the workbook, read back as a user's spreadsheet would
$PY - "$XLSX" out1/2021/metrics.json "$E2E_SAMPLE_SCALE" <<'PYEOF' || fail "xlsx"
import json, sys, zipfile, openpyxl
path = sys.argv[1]
m = {f["expression"]: f for f in json.load(open(sys.argv[2], encoding="utf-8"))["figures"]}
persons = m["relief.persons[救助类别=城市低保,农村低保]"]["value"]
wb = openpyxl.load_workbook(path)
names = wb.sheetnames
print(names)
assert names[-2:] == ["指标", "数据质量"], names
assert sum(n.startswith("表") for n in names) >= 4, names
assert sum(n.startswith("图") for n in names) >= 5, names
ws = wb[[n for n in names if n.startswith("表1")][0]]
cells = [[c.value for c in row] for row in ws.iter_rows()]
flat = [v for row in cells for v in row]
assert "广安区" in flat and "合计" in flat, cells[:5]
assert any(isinstance(v, str) and v.startswith("=SUM(") for v in flat), "no SUM formula"
ind = wb["指标"]
texts = [c.value for c in ind["D"]] + [c.value for c in ind["B"]]  # 报告中的写法, 数值
assert persons in texts, ("指标 lacks the persons of metrics.json", persons)
if sys.argv[3] == "1":
    assert any(isinstance(t, str) and "26.7万" in t for t in texts) or 266812 in texts, "指标 lacks 26.7万"
z = zipfile.ZipFile(path)
charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
assert len(charts) >= 5, charts
print("xlsx ok:", len(names), "sheets,", len(charts), "charts")
PYEOF
# the 指标 sheet's words and units against the PDF; one unit per chart data column
$PY "$ROOT/tests/e2e/check_xlsx_sheets.py" "$XLSX" flat.txt out1/2021/metrics.json ||
	fail "指标 or chart data sheets"

# the data-quality numbers reconcile and personal data never shows
contains out1/2021/rejects.csv "身份证号校验位错误"
# no resident ID appears unmasked in any output (rejects, figures, PDF text,
# workbook strings); the rejected rows show them masked as 511602********123X
unzip -p "$XLSX" xl/sharedStrings.xml >strings.xml
for f in out1/2021/rejects.csv out1/2021/metrics.json text.txt strings.xml; do
	if grep -E '[0-9]{17}[0-9Xx]' "$f" >ids.txt; then
		head -3 ids.txt
		fail "an unmasked ID in $f"
	fi
done
grep -qE '[0-9]{6}\*{8}[0-9]{3}[0-9X]' out1/2021/rejects.csv || fail "rejects.csv shows no masked ID"
$PY - out1/2021/metrics.json "$E2E_SAMPLE_SCALE" <<'PYEOF' || fail "metrics.json"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
f = {x["expression"]: x for x in d["figures"]}
x = f["relief.persons[救助类别=城市低保,农村低保]"]
assert x["unit"] == "count" and x["present"], x
if sys.argv[2] == "1":
    assert 266500 <= x["value"] < 267000, x  # the seed's 26.7万
print(len(f), "figures")
PYEOF
