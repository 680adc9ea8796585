# The messages for officers use full-width Chinese punctuation (GB/T 15834,
# issue 13): no half-width , ; ( ) ! ? between Chinese characters in what
# a normal run, a check of bad data, a lint of a faulty template and a
# query with wrong expressions print.  A closing ” counts as Chinese on the
# left and an opening “ on the right (“%s”,是不是 was such a message); a
# mark quoted by itself, lint's “,”, does not.  The final line of a run
# names its files by path and its time, not expressions.
. "$ROOT/tests/e2e/lib.sh"
use_sample

# punct FILE...: the lines with a half-width mark between Chinese text
punct() {
	$PY - "$@" <<'PYEOF'
import re, sys
han = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
bad = re.compile("[" + han + "\u201d][,;()!?][" + han + "\u201c]")
for path in sys.argv[1:]:
    for no, line in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
        if bad.search(line):
            print(f"{path}:{no}: {line.rstrip()}")
PYEOF
}

# no_half_width WHAT FILE...: fails naming the lines that have one
no_half_width() {
	what=$1
	shift
	punct "$@" >punct.txt
	[ ! -s punct.txt ] || { cat punct.txt; fail "$what: half-width punctuation between Chinese characters"; }
	echo "$what: $(cat "$@" | wc -l) lines, no half-width punctuation between Chinese characters"
}

# the check itself finds what it must, and passes what it must
printf '有文件无法读取,未生成统计数字\n' >probe1.txt
printf '数据集 relief 没有列“区县”,是不是“区县名”?\n' >probe2.txt
printf '不能按“%s”分组(可按选项列\n' x >probe3.txt
printf 'x.md:1:2: 警告: 半角逗号“,”与汉字相邻，应为全角“，”\n不符合UTF-8 (BOM)编码 3.5亿, 2021-09\n' >probe4.txt
for p in probe1.txt probe2.txt probe3.txt; do
	[ -n "$(punct $p)" ] || fail "the punctuation check misses $(cat $p)"
done
[ -z "$(punct probe4.txt)" ] || fail "the punctuation check flags: $(punct probe4.txt)"

# --- a normal run ---------------------------------------------------------------
expect_exit 0 "$BIN" run --year 2021 --input "$SAMPLE" --output out --no-progress
cp err.txt run.err
no_half_width "run" run.err
# its last line: the files by path, and the time; no expression
last=$(tail -1 run.err)
case $last in
*"INFO  完成：out/2021/annual-report-2021.pdf、annual-report-2021.xlsx、annual-report-2021.docx，用时 "*" 秒"*) ;;
*) fail "the run's last line: $last" ;;
esac
case $last in *relief.* | *'['* | *=*) fail "the run's last line names expressions: $last" ;; esac

# --- check of bad data: rejects, unreadable and broken files, encodings ----------
mkdir bad
for f in bad_values duplicates unterminated_quote stray_after_quoted_newline invalid_utf8 \
	gb18030_invalid unknown_column; do
	for c in "$ROOT/tests/fixtures/ingest/$f"/*.csv; do cp "$c" "bad/$f-$(basename "$c")"; done
done
printf 'PK\003\004' >bad/低保.xlsb
printf 'PK\003\004broken' >bad/坏的.xlsx
: >bad/空.csv
expect_exit 1 "$BIN" check --year 2021 --input bad --no-progress
contains err.txt "不能读取，未读取"
contains err.txt "文件已损坏（"
contains out.txt "拒收原因："
no_half_width "check of bad data" out.txt err.txt
# and a reject rate over the limit
mkdir rate
cp "$ROOT/tests/fixtures/ingest/bad_values/relief.csv" rate/
expect_exit 1 "$BIN" check --year 2021 --input rate --no-progress
contains err.txt "拒收比例过高："
no_half_width "check over the reject rate" out.txt err.txt

# --- lint of a faulty template: front matter, placeholders, charts, tables ---------
cat >bad.md <<'MD'
---
title: 测试{year}
titel: 错键
colour: 无
pdf: a/b.pdf
---
# 一、测试

全年为{{ relief.persns[救助类别=城市低保] | 万:1 }}名困难群众,发放{{ relief.amount[区县=广安] | 亿:9 }}元。
人均{{ relief.persons / relief.amount | 元:2 }}元，占{{ relief.amount / relief.persons | pct:1 }}。
{{ relief.amount by 区县 }}和{{ reliefs.amount }}和{{ relief.amount[救助类型别=城市低保] }}和{{ relief.amount | 万:1 | int }}
{{ relief.amount[救助类别=城市低宝] }}和{{ relief.personz }}和{{ relief.amount@next }}和{{ relief.amount[姓名=张三] }}
{{ relief.amount

```chart
type: pie
titl: x
series: 低保金 = relief.amount by 区县
series: 人数 = relief.persons by 救助类别
```

```chart
type: barr
```

```table
title: 分组
rows: 区县
column: 人数 = relief.persons by 救助类别
column: 金额
colum: x
```

```table
columns: 项目 | 人数
row: a | relief.rows | relief.rows
row: b | relief.rows by 区县
```

```tabel
```

<!-- 仅总报告 -->
MD
expect_exit 2 "$BIN" lint --template bad.md
n=$(grep -c ': 错误: ' err.txt || true)
[ "$n" -ge 30 ] || { cat err.txt; fail "lint found only $n errors in bad.md"; }
contains err.txt "bad.md:9:45: 警告: 半角逗号“,”与汉字相邻"
no_half_width "lint of a faulty template" out.txt err.txt

# --- query with wrong expressions ------------------------------------------------
for e in 'relief.persns' 'relief.amount[区县=广安]' 'relief.amount by 姓名' \
	'relief.persons / relief.amount' 'relief.amount@next' 'reliefs.amount'; do
	expect_exit 2 "$BIN" query --year 2021 --input rate "$e"
	[ -s err.txt ] || fail "query '$e' says nothing"
	no_half_width "query '$e'" err.txt
done
