# civreport run --each 区县: the whole report and one per district from one
# pass (issue 11).  Each district's report carries its own name and figures,
# which equal `civreport query --where 区县=…` of the same expressions; the
# districts' person-times add up to the whole; the city's narrative stays
# out of them; one manifest lists every file; a text column or personal
# data cannot burst.
. "$ROOT/tests/e2e/lib.sh"
use_sample
DISTRICTS="广安区 前锋区 华蓥市 岳池县 武胜县 邻水县"

expect_exit 0 "$BIN" run --period 2021H2 --each 区县 --input "$SAMPLE" --output out --no-progress
SET=out/2021H2
[ -f "$SET/annual-report-2021H2.pdf" ] || fail "no whole report"
for d in $DISTRICTS; do
	for f in annual-report-2021H2.pdf annual-report-2021H2.xlsx metrics.json; do
		[ -f "$SET/$d/$f" ] || fail "no $d/$f"
	done
	pdftotext "$SET/$d/annual-report-2021H2.pdf" "$d.txt"
	tr -d '\n' <"$d.txt" >"$d.flat"
	contains "$d.flat" "${d}2021年下半年民政工作总结"
	contains "$d.flat" "${d}民政局"
	# its chart and table break down by town; the city's narrative is not its own
	contains "$d.flat" "各乡镇(街道)城乡低保金发放情况"
	lacks "$d.flat" "广安市民政局深入开展党史学习教育"
	lacks "$d.flat" "全市74个社会组织"
	lacks "$d.flat" "广安市慈善系统"
done
pdftotext "$SET/annual-report-2021H2.pdf" whole.txt
tr -d '\n' <whole.txt >whole.flat
contains whole.flat "广安市2021年下半年民政工作总结"
contains whole.flat "广安市民政局深入开展党史学习教育"
contains whole.flat "各区县城乡低保金发放情况"
lacks whole.flat "情况见市级工作总结"

# one manifest covers every file of the set, by folder/name
for d in $DISTRICTS; do
	contains "$SET/manifest.json" "\"$d/annual-report-2021H2.pdf\""
	contains "$SET/manifest.json" "\"$d/metrics.json\""
done

# the whole report's figures are those of a run without --each
expect_exit 0 "$BIN" run --period 2021H2 --input "$SAMPLE" --output single --no-progress
cmp single/2021H2/metrics.json "$SET/metrics.json" || fail "--each changed the whole report's figures"

# a district's figures are query --where's; the districts' person-times add up
EXPR='relief.amount[救助类别=城市低保,农村低保]'
total=0
for d in $DISTRICTS; do
	expect_exit 0 "$BIN" query --period 2021H2 --where "区县=$d" --input "$SAMPLE" --format csv \
		"$EXPR" 'relief.rows'
	q_amount=$($PY -c 'import csv, sys
print({r[0]: r[3] for r in csv.reader(open("out.txt", encoding="utf-8"))}[sys.argv[1]])' "$EXPR")
	q_rows=$(grep '^relief.rows,' out.txt | cut -d, -f4)
	m_amount=$($PY -c 'import json,sys
m = {f["expression"]: f for f in json.load(open(sys.argv[1], encoding="utf-8"))["figures"]}
print("%.2f" % (m[sys.argv[2]]["value"] / 100))' "$SET/$d/metrics.json" "$EXPR")
	[ "$q_amount" = "$m_amount" ] || fail "$d: query says $q_amount, its report $m_amount"
	total=$((total + q_rows))
done
expect_exit 0 "$BIN" query --period 2021H2 --input "$SAMPLE" --format csv 'relief.rows'
whole_rows=$(grep '^relief.rows,' out.txt | cut -d, -f4)
[ "$total" -eq "$whole_rows" ] || fail "districts' person-times $total != the whole's $whole_rows"
echo "6 districts: figures equal query --where; person-times add up to $whole_rows"

# only option columns burst, never personal data
expect_exit 2 "$BIN" run --period 2021H2 --each 乡镇 --input "$SAMPLE" --output bad --no-progress
contains err.txt "只能按选项列"
expect_exit 2 "$BIN" run --period 2021H2 --each 姓名 --input "$SAMPLE" --output bad --no-progress
expect_exit 2 "$BIN" run --period 2021H2 --each 不存在 --input "$SAMPLE" --output bad --no-progress
contains err.txt "没有哪个数据集有这一列"
echo "each ok"

# --where: a report of one area, in its own folder beside the whole one
expect_exit 0 "$BIN" run --period 2021H2 --where 区县=岳池县 --input "$SAMPLE" --output out --no-progress
[ -f "out/2021H2-岳池县/annual-report-2021H2.pdf" ] || fail "--where report not in 2021H2-岳池县"
cmp "out/2021H2-岳池县/metrics.json" "$SET/岳池县/metrics.json" || fail "--where and --each disagree"
[ -f "$SET/annual-report-2021H2.pdf" ] || fail "--where replaced the whole report"
echo "where ok"

# a second run replaces the whole set, district folders included (the
# manifest names them as the set's own): one set folder stays, none leaks
expect_exit 0 "$BIN" run --period 2021H2 --each 区县 --input "$SAMPLE" --output out --no-progress
[ "$(find out -maxdepth 1 -name '.2021H2.set-*' | wc -l)" -eq 1 ] ||
	fail "old set folders left: $(find out -maxdepth 1 -name '.2021H2.set-*')"
# --if-changed: up to date only when every listed file is there, a district's too
expect_exit 0 "$BIN" run --period 2021H2 --each 区县 --if-changed --input "$SAMPLE" --output out --no-progress
contains out.txt "up to date"
rm -rf "out/2021H2/岳池县"
expect_exit 0 "$BIN" run --period 2021H2 --each 区县 --if-changed --input "$SAMPLE" --output out --no-progress
lacks out.txt "up to date"
[ -f "out/2021H2/岳池县/annual-report-2021H2.pdf" ] || fail "--if-changed did not make the missing district again"
# and another --each or --where is another report, never "up to date"
expect_exit 0 "$BIN" run --period 2021H2 --if-changed --input "$SAMPLE" --output out --no-progress
lacks out.txt "up to date"
echo "sets ok"
