# The documentation keeps up with the program: --help names every option of
# the settings table (src/cli/settings.c), and the options, configuration
# keys and template variables of report periods and areas (issue 11) are in
# --help, the manual page, README.md and templates/README.md (for officers,
# in Chinese), each with an example: a command or template lines in a code
# block, not only a mention in prose.  t_install checks the manual page
# against the settings table.
. "$ROOT/tests/e2e/lib.sh"
set -u

SETTINGS="$ROOT/src/cli/settings.c"
MAN1="$ROOT/src/cli/civreport.1"

# --- --help: every option of the table ------------------------------------------
expect_exit 0 "$BIN" --help
cp out.txt help.txt
opts=$(sed -n 's/^[[:space:]]*\(RUN\|OPT\)("\([a-z-]*\)".*/\2/p' "$SETTINGS")
[ "$(echo $opts | wc -w)" -ge 20 ] || fail "$(echo $opts | wc -w) options found in $SETTINGS: does this test still read its table?"
for o in $opts; do
	grep -qE -- "--$o([^a-z-]|\$)" help.txt || fail "civreport --help lacks --$o"
done
# and an example command of each new option
for o in --period --where --each --strict; do
	grep -E "^  civreport [a-z]+ .*$o" help.txt | grep -qv '\[' ||
		fail "civreport --help has no example command with $o"
done
for v in '{period}' '{period_name}' '{area}' '{sub}' '@last' '$period' 'change:'; do
	contains help.txt "$v"
done

# --- code blocks: the lines between ``` fences of a Markdown file ----------------
code_of() {
	$PY - "$1" <<'PYEOF'
import re, sys
fence = None
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"\s*(`{3,}|~{3,})", line)
    if fence is None and m:
        fence = m.group(1)
        continue
    if fence is not None and line.strip() == fence:
        fence = None
        continue
    if fence is not None:
        print(line, end="")
PYEOF
}
# example FILE CODE TEXT: a code line of FILE holds TEXT
example() {
	grep -qF -- "$3" "$2" || fail "$1 has no example (code block) with: $3"
}

# README.md: the commands and configuration of periods and areas
code_of "$ROOT/README.md" >readme-code.txt
contains "$ROOT/README.md" "## Periods and areas"
for o in "run --period 2021Q3" "--period 2021-01..2021-09" "check --period" "query --period" \
	"--where 区县=岳池县" "--each 区县" "--strict" "[mail.each]" "<!-- 仅总报告 -->"; do
	example README.md readme-code.txt "$o"
done
for v in '{year}' '{period}' '{period_name}' '{area}' '{sub}' '@prev' '@last' '$period' \
	'by $sub' 'change:' '| 元:2' 'period =' 'where =' 'each =' 'strict ='; do
	contains "$ROOT/README.md" "$v"
done

# templates/README.md: every variable, expression and option in an example
code_of "$ROOT/templates/README.md" >tpl-code.txt
for v in '{year}' '{period}' '{period_name}' '{area}' '{sub}' 'area:' '@last' '@prev' \
	'$period' 'by $sub' '| change:' '@last | growth:' '| 元:2' '..2021-' '>=' \
	'<!-- 仅总报告 -->' '<!-- /仅总报告 -->' '[mail.each]' \
	'--period 2021Q3' '--period 2021-01..2021-09' '--where 区县=岳池县' '--each 区县' '--strict'; do
	example templates/README.md tpl-code.txt "$v"
done

# the manual page: a section of its own, every variable, an example of each option
contains "$MAN1" ".SH PERIODS AND AREAS"
for v in '{year}' '{period}' '{period_name}' '{area}' '{sub}' '@last' '$period' '[mail.each]' \
	'仅总报告'; do
	contains "$MAN1" "$v"
done
sed -n '/^\.EX$/,/^\.EE$/p' "$MAN1" >man-code.txt
for o in '\-\-period 2021Q3' '\-\-period 2021\-01..2021\-09' '\-\-where 区县=岳池县' \
	'\-\-each 区县' '\-\-strict' '[mail.each]'; do
	example civreport.1 man-code.txt "$o"
done

# the example configuration shows every new key and [mail.each]
for k in period where each strict '[mail.each]'; do
	contains "$ROOT/templates/civreport.conf.example" "$k"
done
echo "--help: $(echo $opts | wc -w) options; README.md, templates/README.md and civreport.1 show periods and areas by example"
