# What a run reads and adds up (issue 10, items 4-7, 9 and the symlink part
# of 15): identical files read once, folders entered once, anything
# unreadable an error (exit 3) naming its path, no link out of the input
# folder, rows above a ceiling rejected and sums that would overflow a
# failure, dates after the run's date rejected, "year = latest" picking the
# year that holds the data, and the ambiguous month "2021.1" rejected.
. "$ROOT/tests/e2e/lib.sh"

CHARITY_HEAD='日期,收支类型,项目名称,区县,金额,受益人次,捐赠方'

# --- item 4: the same export read twice is counted once ---
mkdir in
{
	echo "$CHARITY_HEAD"
	echo '2021-03-01,捐赠收入,慈善济困,武胜县,100.00,,'
	echo '2021-04-01,项目支出,慈善济困,武胜县,25.50,,'
} >in/charity.csv
expect_exit 0 "$BIN" query --year 2021 --input in 'charity.amount' --format csv
contains out.txt "charity.amount,,,125.50"
cp in/charity.csv "in/charity (1).csv"
ln -s . in/loop # a symlink loop: was followed 8 levels deep, 9 times the figures
mkdir in/backup
ln -s ../charity.csv in/backup/charity-link.csv
expect_exit 0 "$BIN" query --year 2021 --input in 'charity.amount' --format csv
contains out.txt "charity.amount,,,125.50"
lacks out.txt "251.00"
contains err.txt "charity (1).csv: 与 charity.csv 内容完全相同，只读取一次"
contains err.txt "backup/charity-link.csv: 与 charity.csv 是同一个文件"
# the data-quality table the officers see says why the copy has no rows
expect_exit 0 "$BIN" check --year 2021 --input in --no-progress
contains out.txt "与 charity.csv 内容相同，只读取一次，未重复计入"
contains out.txt "合计：读取 2 = 接收 2"
# the same rows with other line ends are another file: left to duplicate keys
rm "in/charity (1).csv" in/loop in/backup/charity-link.csv
sed 's/$/\r/' in/charity.csv >in/charity-crlf.csv
expect_exit 0 "$BIN" query --year 2021 --input in 'charity.amount' --format csv
contains out.txt "charity.amount,,,251.00"
rm in/charity-crlf.csv

# --- item 5: what cannot be read is an error (exit 3) naming the path ---
ln -s /nonexistent/share in/share # an unmounted share
expect_exit 3 "$BIN" check --year 2021 --input in --no-progress
contains err.txt "in/share"
contains err.txt "无法访问"
lacks err.txt "数据检查通过"
rm in/share
mkfifo in/pipe.csv # would block the run if opened
expect_exit 3 "$BIN" check --year 2021 --input in --no-progress
contains err.txt "in/pipe.csv 不是普通文件"
rm in/pipe.csv
# an unreadable sub-folder: root reads anything, so run as nobody then
mkdir in/locked
cp in/charity.csv in/locked/more.csv
chmod 000 in/locked
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || fail "setpriv (util-linux) is needed to test as root"
	chmod 755 "$WORK"
	AS_USER="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
	AS_USER=
fi
expect_exit 3 $AS_USER "$BIN" check --year 2021 --input in --no-progress
contains err.txt "无法读取输入目录中的文件夹 in/locked"
lacks err.txt "数据检查通过"
chmod 755 in/locked
chmod 000 in/locked/more.csv
expect_exit 3 $AS_USER "$BIN" check --year 2021 --input in --no-progress
contains err.txt "无法读取文件 in/locked/more.csv"
rm -r in/locked
# the input folder itself missing: as before
expect_exit 3 "$BIN" check --year 2021 --input no-such-folder --no-progress
contains err.txt "无法读取输入目录 no-such-folder"

# --- item 15 (symlinks): nothing outside the input folder is read ---
printf '%s\n%s\n' '511622201811117548,孙某某,武胜县' '511602193106263897,石某某,广安区' >secret.csv
ln -s "$WORK/secret.csv" in/outside.csv
expect_exit 3 "$BIN" check --year 2021 --input in --no-progress
contains err.txt "in/outside.csv 指向输入目录之外"
lacks err.txt "511622"
lacks err.txt "孙某某"
rm in/outside.csv
mkdir elsewhere
ln -s "$WORK/elsewhere" in/elsewhere
expect_exit 3 "$BIN" check --year 2021 --input in --no-progress
contains err.txt "in/elsewhere 指向输入目录之外"
rm in/elsewhere

# --- item 6: rows above a ceiling are rejects; no sum wraps ---
mkdir big
awk -v head="$CHARITY_HEAD" 'BEGIN { print head
	for (i = 0; i < 10000; i++) print "2021-03-01,捐赠收入,慈善济困,武胜县,\"9,999,999,999,999.99\",," }' \
	>big/charity.csv
expect_exit 1 "$BIN" check --year 2021 --input big --no-progress
contains out.txt "金额或数量超过每行上限"
contains out.txt "10,000"
expect_exit 1 "$BIN" run --year 2021 --input big --output out --no-progress
[ ! -e out/2021/annual-report-2021.pdf ] || fail "a report was written from rejected rows"
lacks err.txt "-84,467,440,737,095,616.16"
# without the ceilings, the sum itself stops the run: never a wrapped total
cp -r "$CIVREPORT_DATADIR" nomax
sed -i '/^max /d' nomax/schema.ini
expect_exit 1 env CIVREPORT_DATADIR="$WORK/nomax" "$BIN" query --year 2021 --input big 'charity.amount'
contains err.txt "合计超出可计算的范围"
contains err.txt "charity.amount"
lacks out.txt "-"
expect_exit 1 env CIVREPORT_DATADIR="$WORK/nomax" "$BIN" run --year 2021 --input big --output out \
	--no-progress --max-reject-rate 1
contains err.txt "合计超出可计算的范围"
[ ! -e out/2021/annual-report-2021.pdf ] || fail "a report was written from a wrapped sum"

# --- item 7: dates after the run's date are rejects; latest = the bulk ---
mkdir future
{
	echo "$CHARITY_HEAD"
	i=1
	while [ $i -le 12 ]; do
		printf '2021-%02d-01,捐赠收入,慈善济困,武胜县,100.00,,\n' $i
		i=$((i + 1))
	done
	echo '2023-05-01,捐赠收入,慈善济困,武胜县,100.00,,' # a typo for 2021
	echo '2092-01-01,捐赠收入,慈善济困,武胜县,100.00,,' # a typo for 2021 or 2022
} >future/charity.csv
expect_exit 0 env CIVREPORT_TODAY=2021-06-30 "$BIN" check --year 2021 --input future --no-progress \
	--max-reject-rate 1
contains out.txt "日期晚于今天"
contains out.txt "合计：读取 14 = 接收 6 + 拒收 8 + 年度外 0"
expect_exit 0 env CIVREPORT_TODAY=2024-06-30 "$BIN" run --year latest --input future --output out \
	--no-progress --max-reject-rate 1
contains err.txt "WARN  year = latest: 选用 2021 年"
contains err.txt "2023 年（1 行）"
lacks err.txt "2092 年（"
[ -e out/2021/annual-report-2021.pdf ] || fail "year = latest did not write the 2021 report"
[ ! -e out/2023 ] && [ ! -e out/2092 ] || fail "year = latest followed a typo year"
# the real date: 2092 is in the future for a long while yet
expect_exit 0 "$BIN" check --year 2021 --input future --no-progress --max-reject-rate 1
contains out.txt "日期晚于今天"

# --- item 9: "2021.1" is ambiguous (Excel's 2021.10); 2021.01 and 2021.10 stay valid ---
mkdir months
{
	echo '身份证号,姓名,区县,儿童类别,项目,发放年月,金额'
	echo '511622201811117548,孙某,武胜县,社会散居孤儿,基本生活费,2021.01,380.00'
	echo '511622201811117548,孙某,武胜县,社会散居孤儿,基本生活费,2021.1,380.00'
	echo '511622201811117548,孙某,武胜县,社会散居孤儿,基本生活费,2021.10,380.00'
	echo '511622201811117548,孙某,武胜县,社会散居孤儿,基本生活费,2021/2,380.00'
} >months/children.csv
expect_exit 0 "$BIN" check --year 2021 --input months --no-progress --max-reject-rate 1
contains out.txt "年月有歧义"
contains out.txt "合计：读取 4 = 接收 3 + 拒收 1 + 年度外 0"
lacks out.txt "重复记录"
