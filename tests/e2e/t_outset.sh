# The output set is all-new or all-old (issue 10, items 12, 22, 23;
# src/deliver/outset.h): output/2021 is a link to a complete set folder,
# switched by one rename.
#
#  (a) every rename, link and symlink of a run fails in turn (test hook
#      CIVREPORT_TEST_FAIL=op:k): each time the folder holds exactly the
#      previous set or exactly the new one (SHA-256 of every file), the exit
#      code says which (3 or 0), and the operator's own files survive;
#  (b) SIGKILL just before and just after the switch;
#  (c) the files of an older set (another template's PDF name) are gone
#      with it, files no manifest names are kept, also when the folder was
#      a real folder written by an older civreport;
#  (d) a run that fails on its data leaves its rejects in
#      output/2021/failed/ with a summary, names it, and leaves the set; a
#      later good run clears failed/.
. "$ROOT/tests/e2e/lib.sh"
set -u

: "${CIVREPORT_DATADIR:=$ROOT/templates}"
export CIVREPORT_DATADIR

OUT=output/2021
"$BIN" sample --year 2021 --out in1 --scale 0.01 2>/dev/null || fail "sample in1"
"$BIN" sample --year 2021 --out in2 --scale 0.01 --seed 7 2>/dev/null || fail "sample in2"
# the previous set was made by a template with other file names
sed 's/^pdf: annual-report-/pdf: old-report-/; s/^xlsx: annual-report-/xlsx: old-report-/; s/^docx: annual-report-/docx: old-report-/' \
	"$CIVREPORT_DATADIR/annual-summary.md" >tplA.md
cp "$CIVREPORT_DATADIR/annual-summary.md" tplB.md
grep -q '^pdf: old-report-' tplA.md || fail "tplA.md: no pdf: line to change"

runA() { "$BIN" run --year 2021 --input in1 --output output --template tplA.md --quiet "$@"; }
runB() { "$BIN" run --year 2021 --input in2 --output output --template tplB.md --quiet "$@"; }

# listing DIR: every file under DIR (through the link) with its SHA-256
listing() { (cd "$1" && find . -type f | LC_ALL=C sort | xargs -d '\n' sha256sum); }
# the operator's files, which no manifest names
operator_files() {
	echo "a note" >"$OUT/note.txt"
	mkdir "$OUT/archive" && echo "2020" >"$OUT/archive/2020.txt"
	echo "not a report" >"$OUT/mine.pdf"
}
# set_only: a listing without the operator's files
set_only() { grep -v -e ' \./note\.txt$' -e ' \./archive/' -e ' \./mine\.pdf$' "$1"; }

# the new set, made alone
"$BIN" run --year 2021 --input in2 --output ref --template tplB.md --quiet || fail "reference run"
# the previous set, with the operator's files, kept as a pristine copy
expect_exit 0 runA
operator_files
cp -a output base-output
listing "$OUT" >old.lst
(cd ref/2021 && listing .) >new-set.lst
{ cat new-set.lst; grep -e ' \./note\.txt$' -e ' \./archive/' -e ' \./mine\.pdf$' old.lst; } |
	sort -k2 >new.lst
sort -k2 -o new.lst new.lst
set_only old.lst >old-set.lst
grep -q 'old-report-2021.pdf' old.lst || fail "the previous set has no old-report-2021.pdf"

# no set folder but the current one, no temporary file, no link but output/2021
tidy() {
	_n=$(find output -maxdepth 1 -name '.2021.set-*' | wc -l)
	[ "$_n" -eq 1 ] || { ls -la output >&2; fail "$1: $_n set folders or links left, want 1"; }
	_t=$(find output -name '.civreport-*')
	[ -z "$_t" ] || fail "$1: left $_t"
	[ -L "$OUT" ] || fail "$1: $OUT is not a link"
}
# is_set LISTING WHAT: the set files in the folder are exactly the old or
# the new set's; prints which
which_set() {
	listing "$OUT" >now.lst
	set_only now.lst | sort -k2 >now-set.lst
	if cmp -s now-set.lst "$(sort -k2 old-set.lst >o.s && echo o.s)"; then
		echo old
	elif cmp -s now-set.lst "$(sort -k2 new-set.lst >n.s && echo n.s)"; then
		echo new
	else
		echo "--- now:" >&2
		cat now.lst >&2
		echo mixed
	fi
}
# whole LISTING WHAT: every file, the operator's too, as in LISTING
whole() {
	listing "$OUT" | sort -k2 >now.lst
	sort -k2 "$1" >want.lst
	cmp -s now.lst want.lst || { diff want.lst now.lst >&2; fail "$2: the folder is not the expected set"; }
}

# ---------------------------------------------------------------------------
echo "== (a) every rename, link and symlink fails in turn"
fails=0
for op in rename link symlink; do
	k=1
	while :; do
		rm -rf output && cp -a base-output output
		CIVREPORT_TEST_FAIL=$op:$k runB >out.txt 2>err.txt
		rc=$?
		if ! grep -q "test hook: fail $op #$k" err.txt; then
			# fewer than k calls: the run went through
			[ "$rc" -eq 0 ] || { cat err.txt; fail "$op:$k not reached, but exit $rc"; }
			whole new.lst "$op:$k not reached"
			break
		fi
		fails=$((fails + 1))
		got=$(which_set)
		echo "$op #$k failed: exit $rc, the $got set; $(grep -E 'ERROR|WARN' err.txt | head -1 | cut -c 21-)"
		case "$rc:$got" in
		3:old)
			contains err.txt "Input/output error"
			contains err.txt "上次的报告保持不变"
			whole old.lst "$op:$k (exit 3)" ;;
		0:new) ;; # failed after the switch: only logged
		*) cat err.txt; fail "$op:$k: exit $rc with the $got set in $OUT" ;;
		esac
		if [ "$rc" -eq 3 ]; then
			tidy "$op:$k (exit 3)" # the failed run left nothing
		else
			# a failure after the switch may leave the previous set's
			# folder (and the operator's files in it): the next run
			# clears it, and nothing of the operator's is lost
			expect_exit 0 runB
			tidy "the run after $op:$k"
			whole new.lst "the run after $op:$k"
		fi
		k=$((k + $(fault_step)))
	done
done
# 6 renames in the set folder, the switch, the operator's folder moved in;
# the operator's two files linked; the link
[ "$fails" -ge $((10 / $(fault_step))) ] || fail "only $fails operations could be made to fail"

# ---------------------------------------------------------------------------
echo "== (b) SIGKILL just before and just after the switch"
mkfifo hook.fifo
for case in swap:old swapped:new; do
	point=${case%:*}
	rm -rf output && cp -a base-output output
	CIVREPORT_TEST_PAUSE=$point CIVREPORT_TEST_FIFO=$WORK/hook.fifo "$BIN" run --year 2021 \
		--input in2 --output output --template tplB.md --quiet >bg.out 2>bg.err 9>hook.fifo &
	pid=$!
	exec 3<hook.fifo
	read -r at atpid <&3 || { wait $pid; cat bg.err; fail "the run never reached $point"; }
	[ "$at $atpid" = "$point $pid" ] || fail "test hook: '$at $atpid'"
	kill -9 "$pid"
	wait "$pid"
	exec 3<&-
	got=$(which_set)
	echo "SIGKILL at $point: the $got set"
	[ "$got" = "${case#*:}" ] || fail "SIGKILL at $point: the $got set, want ${case#*:}"
	expect_exit 0 runB
	tidy "the run after SIGKILL at $point"
	whole new.lst "the run after SIGKILL at $point"
done

# ---------------------------------------------------------------------------
echo "== (c) an older set's files go, the operator's stay; a legacy folder"
rm -rf output && cp -a base-output output
expect_exit 0 runB
whole new.lst "new template names"
[ ! -e "$OUT/old-report-2021.pdf" ] || fail "the older set's PDF is still there"
contains "$OUT/manifest.json" '"outputs": ['
contains "$OUT/manifest.json" '{"name": "annual-report-2021.pdf", "size": '
# a real folder, as an older civreport wrote it (its manifest lists no files):
# it becomes a link; the operator's files are kept, and so is an old output
# it cannot know was one
rm -rf output && mkdir -p "$OUT"
(cd base-output/2021 && cp old-report-2021.pdf metrics.json rejects.csv "$WORK/$OUT/")
grep -v '"outputs"\|{"name": ' base-output/2021/manifest.json >"$OUT/manifest.json"
echo "a note" >"$OUT/note.txt"
: >"$OUT/.civreport.lock"
expect_exit 0 runB
[ -L "$OUT" ] || fail "the legacy folder was not replaced by a link"
tidy "legacy folder"
[ "$(cat "$OUT/note.txt")" = "a note" ] || fail "legacy folder: the note was lost"
[ -f "$OUT/old-report-2021.pdf" ] || fail "legacy folder: a file no manifest names was deleted"
[ ! -e "$OUT/.civreport.lock" ] || fail "legacy folder: the old lock file was carried over"
(cd ref/2021 && sha256sum -c --quiet "$WORK/new-set.lst" >/dev/null) || fail "ref changed"
(cd "$OUT" && sha256sum -c --quiet "$WORK/new-set.lst") || fail "legacy folder: not the new set"

# ---------------------------------------------------------------------------
echo "== (d) a run that fails on its data"
cp -R in2 bad
for f in bad/relief-*.csv; do sed -i '5,$s/^\([^,]*\),\([^,]*\),/\1,XX,/' "$f"; done
rm -rf output && cp -a base-output output
expect_exit 1 "$BIN" run --year 2021 --input bad --output output --template tplB.md --quiet
contains err.txt "本次被拒绝的记录见 $OUT/failed/rejects.csv"
[ -s "$OUT/failed/rejects.csv" ] && [ -s "$OUT/failed/summary.txt" ] || fail "no failed/rejects.csv and summary.txt"
cmp -s "$OUT/failed/rejects.csv" "$OUT/rejects.csv" && fail "failed/rejects.csv is the previous run's"
# this run's rows (the bad ID "XX" masked like any ID), not the previous run's
contains "$OUT/failed/rejects.csv" "身份证号应为18位,\"GA"
contains "$OUT/failed/rejects.csv" ",X*,"
contains "$OUT/failed/summary.txt" "退出码：1"
contains "$OUT/failed/summary.txt" "时间：$(date +%Y-%m-%d)"
contains "$OUT/failed/summary.txt" "拒收比例过高"
listing "$OUT" | grep -v ' \./failed/' >now.lst
cmp -s now.lst old.lst || { diff old.lst now.lst; fail "a failed run changed the report set"; }
tidy "a failed run"
# a second failure replaces failed/ as a whole
cp "$OUT/failed/summary.txt" summary1.txt
rm bad/relief-华蓥市.csv
expect_exit 1 "$BIN" run --year 2021 --input bad --output output --template tplB.md --quiet
cmp -s summary1.txt "$OUT/failed/summary.txt" && fail "the second failure did not replace failed/"
[ "$(ls "$OUT/failed")" = "$(printf 'rejects.csv\nsummary.txt')" ] || fail "failed/ holds: $(ls "$OUT/failed")"
tidy "a second failed run"
# a good run: the new set, and failed/ is gone with the set it belonged to
expect_exit 0 runB
whole new.lst "the good run after failed ones"
# the very first run fails: failed/ is all there is
rm -rf output
expect_exit 1 "$BIN" run --year 2021 --input bad --output output --template tplB.md --quiet
[ -s "$OUT/failed/rejects.csv" ] || fail "first run failed: no failed/rejects.csv"
[ ! -e "$OUT/manifest.json" ] || fail "first run failed: a manifest"
expect_exit 0 runB
(cd "$OUT" && find . -type f | LC_ALL=C sort) >files.txt
[ "$(wc -l <files.txt)" -eq 6 ] || { cat files.txt; fail "after the first good run: not exactly the 6 outputs"; }
tidy "first good run"

# ---------------------------------------------------------------------------
echo "== (e) a report the operator moved aside is theirs"
# mv output/2021 output/2021-archive moves only the link: the set folder it
# names must survive the next runs (it was once retired as stale, its PDF,
# XLSX and manifest deleted)
(cd "$OUT" && find . -type f | LC_ALL=C sort | xargs -d '\n' sha256sum) >archive.sha
mv "$OUT" output/2021-archive
expect_exit 0 runB
expect_exit 0 runB
(cd output/2021-archive && sha256sum -c --quiet "$WORK/archive.sha") ||
	fail "the report moved aside to output/2021-archive was changed"
echo "done"
