# make install / uninstall into a DESTDIR, and the installed program run from
# elsewhere; the manual page renders without warnings and documents every
# subcommand, option, configuration key and exit status.
#
# Note: the install target depends on `all`; make test names the build that
# $BIN belongs to in CIVREPORT_MAKE_VARS (e.g. "BUILD=build/san SANITIZE=1"),
# so this installs that very binary, already built (a make of another build
# folder here would race the suite's own make).  Run by hand without it, it
# installs (building it first if needed) the normal build/civreport.  The program
# is built to look for its data in PREFIX/share/civreport (here
# /usr/local/share/civreport), which is not where a DESTDIR install puts it:
# the test points CIVREPORT_DATADIR at the DESTDIR copy, and also checks the
# fallback that needs no variable (../share/civreport beside the program).
. "$ROOT/tests/e2e/lib.sh"
set -u

DEST="$WORK/dest"
P="$DEST/usr/local"
I="$P/bin/civreport"
MAN1="$P/share/man/man1/civreport.1"
unset CIVREPORT_DATADIR 2>/dev/null || true

# A sub-make of `make SANITIZE=1 test` must not hand its variables (MAKEFLAGS)
# or its jobserver to this one.
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES -u SANITIZE -u BUILD \
		make --no-print-directory -C "$ROOT" "$@" ${CIVREPORT_MAKE_VARS:-} PREFIX=/usr/local DESTDIR="$DEST" >make.out 2>&1 ||
		{ tail -20 make.out; fail "make $*"; }
}

mk install
for f in "$I" "$P/share/civreport/schema.ini" "$P/share/civreport/annual-summary.md" \
	"$P/share/civreport/civreport.conf.example" "$MAN1"; do
	[ -f "$f" ] || fail "make install did not install $f"
done
[ "$(stat -c %a "$I")" = 755 ] || fail "$I has mode $(stat -c %a "$I")"
[ "$(stat -c %a "$MAN1")" = 644 ] || fail "$MAN1 has mode $(stat -c %a "$MAN1")"
[ ! -e /usr/local/bin/civreport ] || echo "note: /usr/local/bin/civreport exists on this machine (not ours)"

# --- the installed program, from another folder -------------------------------
mkdir elsewhere
cd elsewhere || fail "cd"
expect_exit 0 "$I" --version
contains out.txt "civreport "
expect_exit 0 env CIVREPORT_DATADIR="$P/share/civreport" "$I" lint
contains out.txt "$P/share/civreport/annual-summary.md"
contains out.txt "模板检查通过"
expect_exit 0 "$I" sample --year 2021 --out in --scale 0.01
expect_exit 0 env CIVREPORT_DATADIR="$P/share/civreport" "$I" run --year 2021 --input in --output out --quiet
[ "$(head -c 5 out/2021/annual-report-2021.pdf)" = "%PDF-" ] || fail "the installed program wrote no PDF"
for o in annual-report-2021.xlsx metrics.json rejects.csv manifest.json; do
	[ -s "out/2021/$o" ] || fail "the installed program did not write $o"
done
contains out/2021/manifest.json "$P/share/civreport/annual-summary.md"
# without CIVREPORT_DATADIR: found beside the program (bin/../share/civreport)
expect_exit 0 "$I" lint
contains out.txt "$P/bin/../share/civreport/annual-summary.md"
# a CIVREPORT_DATADIR without the files: the next place is used
expect_exit 0 env CIVREPORT_DATADIR="$WORK/nowhere" "$I" lint
# the installed example configuration parses: every key in it is known
expect_exit 0 env CIVREPORT_SMTP_PASSWORD=x "$I" lint --config "$P/share/civreport/civreport.conf.example"
cd "$WORK" || fail "cd"

# --- the manual page ------------------------------------------------------------
if command -v man >/dev/null 2>&1; then
	MANPAGER=cat MANWIDTH=80 man --warnings -l "$MAN1" >man.txt 2>man.err || { cat man.err; fail "man -l $MAN1"; }
	[ ! -s man.err ] || { cat man.err; fail "man --warnings: the page has warnings"; }
	echo "man -l: $(wc -l <man.txt) lines, no warnings"
	for h in NAME SYNOPSIS DESCRIPTION OPTIONS "CONFIGURATION FILE" FILES ENVIRONMENT \
		"EXIT STATUS" EXAMPLES; do
		grep -q "^$h" man.txt || fail "the manual page lacks the section $h"
	done
	contains man.txt "30 2 * * * /usr/local/bin/civreport run --config /etc/civreport.conf --if-changed --mail --quiet --log-file /var/log/civreport.log"
else
	echo "man is not installed: rendering checked with groff only"
fi
if command -v groff >/dev/null 2>&1; then
	groff -man -Tutf8 -ww -z -k "$MAN1" >groff.err 2>&1
	[ ! -s groff.err ] || { cat groff.err; fail "groff -ww: the page has warnings"; }
fi
if command -v mandoc >/dev/null 2>&1; then
	mandoc -Tlint -Wwarning "$MAN1" >mandoc.err 2>&1 || { cat mandoc.err; fail "mandoc -Tlint"; }
fi

# The page documents what the program has: every subcommand of main.c, every
# option and configuration key of the settings table (src/cli/settings.c),
# which the example configuration shows too, every exit code of exitcode.h,
# and the environment variables.
for c in run check query lint sample mail; do
	grep -q "^\.SY civreport\\\\ $c\$" "$MAN1" || fail "the SYNOPSIS lacks civreport $c"
done
SETTINGS="$ROOT/src/cli/settings.c"
# rows: RUN("option", "key", ...), OPT("option", ...), MAIL("key", ...)
opts=$(sed -n 's/^[[:space:]]*\(RUN\|OPT\)("\([a-z-]*\)".*/\2/p' "$SETTINGS")
[ "$(echo $opts | wc -w)" -ge 20 ] || fail "$(echo $opts | wc -w) options found in $SETTINGS: does this test still read its table?"
for o in $opts version; do
	pat=$(echo "$o" | sed 's/-/\\\\-/g')
	grep -q "\\\\-\\\\-$pat" "$MAN1" || fail "the manual page lacks --$o"
done
keys=$(sed -n -e 's/^[[:space:]]*RUN("[a-z-]*", "\([a-z_]*\)".*/\1/p' \
	-e 's/^[[:space:]]*RUN(NULL, "\([a-z_]*\)".*/\1/p' \
	-e 's/^[[:space:]]*MAIL("\([a-z_]*\)".*/\1/p' "$SETTINGS" | sort -u)
[ "$(echo $keys | wc -w)" -ge 20 ] || fail "$(echo $keys | wc -w) keys found in $SETTINGS: does this test still read its table?"
example=$(sed -n 's/^[;[:space:]]*\([a-z_]*\) = .*/\1/p' "$ROOT/templates/civreport.conf.example" | sort -u)
[ "$example" = "$keys" ] || { echo "table:   " $keys; echo "example: " $example; fail "the example configuration and the settings table have different keys"; }
for k in $keys; do
	grep -q "^\.B $k\$" "$MAN1" || fail "the CONFIGURATION FILE section lacks the key $k"
done
codes=$(sed -n 's/^[[:space:]]*EXIT_[A-Z]* = \([0-9]\),.*/\1/p' "$ROOT/src/util/exitcode.h" | tr '\n' ' ')
[ "$codes" = "0 1 2 3 4 5 " ] || fail "src/util/exitcode.h has exit codes '$codes': update the page and this test"
for n in $codes; do
	sed -n '/^\.SH EXIT STATUS/,/^\.SH/p' "$MAN1" | grep -q "^\.B $n\$" || fail "EXIT STATUS lacks $n"
done
for e in CIVREPORT_DATADIR SOURCE_DATE_EPOCH password_env; do
	sed -n '/^\.SH ENVIRONMENT/,/^\.SH/p' "$MAN1" | grep -q "$e" || fail "ENVIRONMENT lacks $e"
done
for f in manifest.json "PERIOD .lock" "PERIOD /failed/" schema.ini annual\\\\-summary.md share/civreport rejects.csv metrics.json; do
	sed -n '/^\.SH FILES/,/^\.SH/p' "$MAN1" | grep -q "$f" || fail "FILES lacks $f"
done

echo "the manual page documents $(echo $opts | wc -w) options, $(echo $keys | wc -w) configuration keys, exit codes $codes"

# --- uninstall ------------------------------------------------------------------
mk uninstall
for f in "$I" "$MAN1" "$P/share/civreport"; do
	[ ! -e "$f" ] || fail "make uninstall left $f"
done
left=$(find "$DEST" -type f)
[ -z "$left" ] || fail "make uninstall left files: $left"
