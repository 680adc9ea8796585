# run --dump-doc FILE: the dump is an output like the others: written whole
# with the outputs' mode when the run succeeds, never left by a failed run;
# "-" writes it to standard output.
. "$ROOT/tests/e2e/lib.sh"
IN="$ROOT/tests/golden/default/input"
# its two bad children rows are 7.7% of the period's rows (as tests/golden/default/args)
RATE="--max-reject-rate 0.1"

umask 022
expect_exit 0 "$BIN" run --year 2021 --input "$IN" --output out --quiet $RATE --mode 0600 --dump-doc doc.txt
[ "$(stat -c %a doc.txt)" = 600 ] || fail "doc.txt has mode $(stat -c %a doc.txt), want 600 like the outputs"
head -1 doc.txt | grep -qx 'civreport-doc 1' || fail "doc.txt is not a dump"
contains doc.txt '附录 数据质量与来源'
[ -z "$(find . -name '.civreport-tmp-*')" ] || fail "temporary files left"

# a run that fails after the doc was built (its first rename fails)
# leaves neither the outputs nor the dump
CIVREPORT_TEST_FAIL=rename:1 expect_exit 3 "$BIN" run --year 2021 --input "$IN" --output bad \
	--quiet $RATE --dump-doc bad.txt
contains err.txt "test hook: fail rename #1"
# a missing font is the template's fault, found before any data is read: exit 2
sed '2i body_font: 不存在的字体' "$ROOT/templates/annual-summary.md" >nofont.md
expect_exit 2 "$BIN" run --year 2021 --input "$IN" --output bad --quiet $RATE --template nofont.md \
	--dump-doc bad.txt
contains err.txt "不存在的字体"
[ ! -e bad.txt ] || fail "a failed run left its doc dump"
[ ! -e bad/2021/annual-report-2021.xlsx ] || fail "a failed run left outputs"
[ -z "$(find . -name '.civreport-tmp-*')" ] || fail "temporary files left after a failed run"

expect_exit 0 "$BIN" run --year 2021 --input "$IN" --output out2 --quiet $RATE --dump-doc -
cmp out.txt doc.txt || fail "--dump-doc - differs from the file"

# the dump is no file of the set, but a run that fails after writing it
# says the previous report is unchanged: every rename of a run with
# --dump-doc failed in turn, exit 3 always finds the previous set whole and
# exit 0 the new one (the dump was once renamed after the switch, so a
# failure there exited 3 with the new set in place)
expect_exit 0 "$BIN" run --year 2021 --input "$IN" --output sets --quiet --max-reject-rate 0.5
(cd sets/2021 && sha256sum -- *) >old.sha
k=1
while :; do
	rm -f k.txt
	CIVREPORT_TEST_FAIL=rename:$k "$BIN" run --year 2021 --input "$IN" --output sets --quiet $RATE \
		--dump-doc k.txt >out.txt 2>err.txt
	rc=$?
	grep -q "test hook: fail rename #$k" err.txt || break
	echo "rename #$k failed: exit $rc"
	case $rc in
	3) (cd sets/2021 && sha256sum -c --quiet "$WORK/old.sha") || fail "rename #$k: exit 3, but the set changed"
	   contains err.txt "上次的报告保持不变" ;;
	0) ! (cd sets/2021 && sha256sum -c --quiet "$WORK/old.sha") 2>/dev/null || fail "rename #$k: exit 0, old set" ;;
	*) cat err.txt; fail "rename #$k: exit $rc" ;;
	esac
	k=$((k + $(fault_step)))
done
[ "$k" -gt 6 ] || fail "only $((k - 1)) renames could be made to fail"
[ "$rc" -eq 0 ] && [ -s k.txt ] || fail "the run without a failure: exit $rc, or no dump"
