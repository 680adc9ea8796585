# Personal data stays masked, and nothing from the data reaches a terminal
# or a spreadsheet as something to act on (issue 10 items 14 to 17):
# rejects.csv masks by content, a headerless export is never echoed, the
# log file is 0640, filters on 身份证号 are refused, query output is escaped.
# IDs and names are the synthetic ones of tests/fixtures/ingest/README.md.
. "$ROOT/tests/e2e/lib.sh"
umask 022
ESC=$(printf '\033')
HEADER='身份证号,姓名,区县,乡镇(街道),救助类别,发放年月,发放金额,户号'

# none of the synthetic persons' IDs or names in FILE
no_personal_data() {
	for p in 511602198001150012 511603197512030022 511681199006300139 \
		511621196202280243 张三 李四 王五 赵六; do
		lacks "$1" "$p"
	done
}

# --- item 14: rejects.csv masks by content, not by header position
mkdir shifted
cat >shifted/relief.csv <<EOF
$HEADER
511602198001150012,张三,广安区,浓洲镇,城市低保,2021-01,520.00,H001
511603197512030022,李四,前锋区,奎阁,街道,农村低保,2021-01,390.50,H002
511681199006300139,王五,华蓥市,城市低保,2021-02,100.00,H003
511621196202280243,赵六,岳池县,九龙镇,城市低保,2021-02,1OO,511621196202280243
EOF
expect_exit 0 "$BIN" run --year 2021 --input shifted --output out --max-reject-rate 1 --quiet
no_personal_data out/2021/rejects.csv
contains out/2021/rejects.csv "511603********0022,李*,前**,奎*,街*,农***,2******,3*****"
contains out/2021/rejects.csv "511621********0243,赵*,岳池县,九龙镇,城市低保,2021-02,1OO,511621********0243"
for f in out/2021/metrics.json err.txt out.txt; do no_personal_data "$f"; done
# every file a run creates has the outputs' mode, 0640 by default
for f in 2021/rejects.csv 2021/metrics.json 2021/manifest.json 2021/annual-report-2021.pdf \
	.2021.lock; do
	[ "$(stat -c %a "out/$f")" = 640 ] || fail "$f mode $(stat -c %a "out/$f"), want 640"
done

# --- item 15: a headerless export is never echoed; the log file is 0640
mkdir headerless
tail -n +2 shifted/relief.csv >headerless/relief.csv
expect_exit 1 "$BIN" check --year 2021 --input headerless --log-file check.log
contains err.txt "无法识别文件属于哪类数据"
contains err.txt "511602****"
contains err.txt "张*"
for f in err.txt out.txt check.log; do no_personal_data "$f"; done
[ "$(stat -c %a check.log)" = 640 ] || fail "log file mode $(stat -c %a check.log), want 640"
expect_exit 1 "$BIN" run --year 2021 --input headerless --output out2 --log-file run.log
for f in err.txt out.txt run.log; do no_personal_data "$f"; done
[ "$(stat -c %a run.log)" = 640 ] || fail "log file mode $(stat -c %a run.log), want 640"
# a file name with a terminal escape is shown escaped on stderr, in the log and in check's table
mkdir escname
cp headerless/relief.csv "escname/relief${ESC}[31m.csv"
expect_exit 1 "$BIN" check --year 2021 --input escname --log-file esc.log
for f in err.txt out.txt esc.log; do lacks "$f" "$ESC"; done
contains err.txt 'relief\x1b[31m.csv'
contains out.txt 'relief\x1b[31m.csv'

# --- item 16: no filter on 身份证号 in a template or a query
cat >id.md <<'MD'
---
title: 测试{year}
---
# 一、测试

该对象全年领取{{ relief.amount[身份证号=511602198001150012] }}元。
MD
expect_exit 2 "$BIN" lint --template id.md
contains err.txt "id.md:6:"
contains err.txt "不能按个人信息“身份证号”筛选"
expect_exit 2 "$BIN" run --year 2021 --template id.md --input shifted --output out3
[ ! -e out3/2021/metrics.json ] || fail "metrics.json written for a refused template"
expect_exit 2 "$BIN" query --year 2021 --input shifted 'relief.rows[id=511602198001150012]'
contains err.txt "不能按个人信息“身份证号”筛选"

# --- item 17: query output escaped for spreadsheets and terminals
mkdir hostile
{
	echo "$HEADER"
	echo '511602198001150012,张三,广安区,"=HYPERLINK(""http://x"",""y"")",城市低保,2021-01,1,H1'
	echo '511603197512030022,李四,前锋区,@SUM(1),城市低保,2021-01,2,H2'
	printf '511681199006300139,王五,华蓥市,红%s[31m字%s]0;title\a,城市低保,2021-01,3,H3\n' "$ESC" "$ESC"
	printf '511621196202280243,赵六,岳池县,左\342\200\256右\302\233,城市低保,2021-01,4,H4\n'
	echo '511622201003050357,欧阳娜娜,武胜县,-5+5,城市低保,2021-01,5,H5'
} >hostile/relief.csv
expect_exit 0 "$BIN" query --year 2021 --input hostile --format csv 'relief.amount by 乡镇(街道)'
contains out.txt "relief.amount by 乡镇(街道),\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",,1.00"
contains out.txt "relief.amount by 乡镇(街道),'@SUM(1),,2.00"
contains out.txt "relief.amount by 乡镇(街道),'-5+5,,5.00"
# the CSV is quoted and escaped as a spreadsheet would read it
$PY - <<'PY' || fail "query csv"
import csv
rows = list(csv.reader(open("out.txt", encoding="utf-8")))
keys = [r[1] for r in rows[1:]]
assert all(not k or k[0] not in "=+-@" for k in keys), keys
print("csv ok")
PY
expect_exit 0 "$BIN" query --year 2021 --input hostile --format table 'relief.amount by 乡镇(街道)'
lacks out.txt "$ESC"
lacks out.txt "$(printf '\342\200\256')"
lacks out.txt "$(printf '\302\233')"
lacks out.txt "$(printf '\a')"
contains out.txt '红\x1b[31m字\x1b]0;title\x07'
contains out.txt '左\u202e右\u009b'
expect_exit 0 "$BIN" query --year 2021 --input hostile --format json 'relief.amount by 乡镇(街道)'
lacks out.txt "$ESC"
lacks out.txt "$(printf '\342\200\256')"
$PY - <<'PY' || fail "query json"
import json
d = json.load(open("out.txt", encoding="utf-8"))
keys = [g["key"] for g in d["figures"][0]["groups"]]
assert "红\x1b[31m字\x1b]0;title\x07" in keys, keys
assert "左\u202e右\u009b" in keys, keys
print("json ok")
PY
