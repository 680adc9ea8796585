#!/bin/sh
# Golden outputs, as mandoc's regress/ and libxlsxwriter's functional tests
# keep them: every case is run and each of its outputs compared with the
# committed copy, so a change in a report shows in `git diff`.
#
#   sh tests/golden/run.sh check  [CASE...]   compare; print a unified diff of
#                                             each difference; exit 1 on any
#   sh tests/golden/run.sh update [CASE...]   rewrite the committed outputs
#
# (make check-golden and make golden.)  BIN is the civreport to test (default
# build/civreport).  The last outputs, PDF and XLSX included, stay in
# build/golden/CASE/ (GOLDEN_WORK) to look at.
#
# A case is a folder tests/golden/CASE/ holding its inputs:
#   input/        the CSV exports (small: a few KB to ~100 KB)
#   template.md   the template; without it, the default annual-summary.md
#   args          extra arguments for `civreport run` (optional, one line)
# and its expected outputs, all text:
#   doc.txt       the document model (run --dump-doc)
#   metrics.json  as written
#   rejects.csv   as written (UTF-8 with BOM, CRLF)
#   log.txt       what run --quiet printed (warnings, errors), without times
#   report.txt    pdftotext -layout of the PDF (a form feed between pages)
#   xlsx/PART     every part of the XLSX, XML one element per line
#   docx/PART     the same of the DOCX, when the template names one (docx:);
#                 a picture as PART.txt: its size, resolution and SHA-256
#
# Runs from the checkout's root with relative paths (the template's path is
# in the report), the report year 2021, SOURCE_DATE_EPOCH unset (the dates
# are the year's last day) and CIVREPORT_DATADIR=templates.  Nothing in the
# outputs is volatile, so nothing is stripped (but the log's time stamps):
# two runs give the same bytes.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
mode=${1:-}
case "$mode" in
check | update) shift ;;
*)
	echo "usage: sh tests/golden/run.sh check|update [CASE...]" >&2
	exit 2
	;;
esac
BIN=${BIN:-$ROOT/build/civreport}
WORK=${GOLDEN_WORK:-$ROOT/build/golden}
PY=/usr/bin/python3
OUTPUTS="doc.txt log.txt metrics.json rejects.csv report.txt"
# how many lines of diff to print per file before cutting it short
MAXDIFF=${GOLDEN_MAXDIFF:-300}

[ -x "$BIN" ] || {
	echo "golden: $BIN is not an executable (make first, or set BIN)" >&2
	exit 2
}
command -v pdftotext >/dev/null 2>&1 || {
	echo "golden: pdftotext not found (Debian poppler-utils: make deps)" >&2
	exit 2
}

unset SOURCE_DATE_EPOCH
CIVREPORT_DATADIR=templates
TZ=UTC
LC_ALL=C.UTF-8
# the parse cache in the work folder, kept between checks: a second check
# reads every case from it, and its outputs must be the same bytes
XDG_CACHE_HOME=$WORK/cache
export CIVREPORT_DATADIR TZ LC_ALL XDG_CACHE_HOME

# explode XLSX|DOCX DIR: every part of the package into DIR, XML parts printed
# one element per line (attributes in their order, text on its element's
# line, line breaks inside text and attributes as character references), a
# PNG as a line of text (binary pictures would make git diff useless)
explode() {
	"$PY" - "$1" "$2" <<'EOF'
import hashlib, os, struct, sys, zipfile
from xml.dom import minidom, Node

def esc(s, quote):
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        s = s.replace('"', "&quot;")
    return s.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")

def tag(e):
    attrs = "".join(' %s="%s"' % (a.name, esc(a.value, True))
                    for a in (e.attributes.item(i) for i in range(e.attributes.length)))
    return e.tagName + attrs

def put(node, depth, out):
    pad = "  " * depth
    kids = node.childNodes
    if node.nodeType == Node.ELEMENT_NODE:
        if not kids:
            out.append("%s<%s/>" % (pad, tag(node)))
        elif all(k.nodeType in (Node.TEXT_NODE, Node.CDATA_SECTION_NODE) for k in kids):
            out.append("%s<%s>%s</%s>" % (pad, tag(node),
                       esc("".join(k.data for k in kids), False), node.tagName))
        else:
            out.append("%s<%s>" % (pad, tag(node)))
            for k in kids:
                put(k, depth + 1, out)
            out.append("%s</%s>" % (pad, node.tagName))
    elif node.nodeType in (Node.TEXT_NODE, Node.CDATA_SECTION_NODE):
        if node.data.strip():
            out.append(pad + esc(node.data, False))
    elif node.nodeType == Node.COMMENT_NODE:
        out.append("%s<!--%s-->" % (pad, esc(node.data, False)))
    elif node.nodeType == Node.PROCESSING_INSTRUCTION_NODE:
        out.append("%s<?%s %s?>" % (pad, node.target, node.data))

src, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as z:
    for info in z.infolist():
        data = z.read(info)
        path = os.path.join(dest, info.filename)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if info.filename.endswith(".png") and data[12:16] == b"IHDR":
            w, h = struct.unpack(">II", data[16:24])
            i = data.find(b"pHYs")
            res = "no pHYs"
            if i > 0:
                ppm = struct.unpack(">I", data[i + 4:i + 8])[0]
                res = "pHYs %d px/m (%.0f dpi)" % (ppm, ppm * 0.0254)
            with open(path + ".txt", "w", encoding="utf-8") as f:
                f.write("PNG %dx%d, %s, %d bytes, sha256 %s\n"
                        % (w, h, res, len(data), hashlib.sha256(data).hexdigest()))
            continue
        if not (info.filename.endswith(".xml") or info.filename.endswith(".rels")):
            open(path, "wb").write(data)
            continue
        out = []
        if data.startswith(b"<?xml"):
            out.append(data[:data.index(b"?>") + 2].decode("utf-8"))
        for k in minidom.parseString(data).childNodes:
            put(k, 0, out)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(out) + "\n")
EOF
}

# run_case CASE: the case's outputs into $WORK/CASE/got; 0 when the run worked
run_case() {
	dir=tests/golden/$1
	w=$WORK/$1
	rm -rf "$w"
	mkdir -p "$w/got" || return 1
	tmpl=""
	[ -f "$dir/template.md" ] && tmpl="--template $dir/template.md"
	args=""
	[ -f "$dir/args" ] && args=$(cat "$dir/args")
	# shellcheck disable=SC2086 # $tmpl and $args are lists of words
	"$BIN" run --year 2021 --input "$dir/input" --output "$w/out" --quiet --no-progress \
		--dump-doc "$w/got/doc.txt" $tmpl $args >"$w/run.log" 2>&1
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "FAIL $1: civreport run exited $rc"
		sed 's/^/     | /' "$w/run.log"
		return 1
	fi
	out=$w/out/2021
	set -- "$out"/*.pdf
	pdf=$1
	set -- "$out"/*.xlsx
	xlsx=$1
	set -- "$out"/*.docx
	docx=$1
	if [ ! -f "$pdf" ] || [ ! -f "$xlsx" ]; then
		echo "FAIL: no PDF or XLSX in $out"
		return 1
	fi
	if [ -f "$docx" ] && ! explode "$docx" "$w/got/docx"; then
		echo "FAIL: $docx could not be read"
		return 1
	fi
	# the log without its time stamps (mandoc: diagnostics are golden output too)
	sed -E 's/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2} //' "$w/run.log" >"$w/got/log.txt"
	cp "$out/metrics.json" "$out/rejects.csv" "$w/got/" &&
		pdftotext -layout -enc UTF-8 "$pdf" "$w/got/report.txt" &&
		explode "$xlsx" "$w/got/xlsx"
}

# show_diff EXPECTED GOT: a unified diff, cut after $MAXDIFF lines
show_diff() {
	diff -ruN "$1" "$2" >"$w/diff.txt"
	n=$(wc -l <"$w/diff.txt")
	head -n "$MAXDIFF" "$w/diff.txt"
	[ "$n" -le "$MAXDIFF" ] || echo "... $((n - MAXDIFF)) more lines: diff -ruN $1 $2"
}

if [ $# -eq 0 ]; then
	for d in tests/golden/*/; do
		[ -d "$d/input" ] && set -- "$@" "$(basename "$d")"
	done
fi
passed=0
failed=0
differ=0
failures=""
start=$(date +%s)
for c in "$@"; do
	if [ ! -d "tests/golden/$c/input" ]; then
		echo "FAIL $c: tests/golden/$c/input does not exist"
		failed=$((failed + 1))
		failures="$failures $c"
		continue
	fi
	w=$WORK/$c
	if ! run_case "$c"; then
		failed=$((failed + 1))
		failures="$failures $c"
		continue
	fi
	if [ "$mode" = update ]; then
		rm -rf "tests/golden/$c/xlsx" "tests/golden/$c/docx"
		for f in $OUTPUTS xlsx docx; do
			[ "$f" != docx ] || [ -d "$w/got/docx" ] || continue
			cp -R "$w/got/$f" "tests/golden/$c/" || exit 3
		done
		echo "updated $c"
		continue
	fi
	bad=""
	for f in $OUTPUTS xlsx docx; do
		# a case without docx: has no DOCX, committed or made
		[ "$f" != docx ] || [ -e "tests/golden/$c/docx" ] || [ -e "$w/got/docx" ] || continue
		if ! diff -rq "tests/golden/$c/$f" "$w/got/$f" >/dev/null 2>&1; then
			bad="$bad $f"
		fi
	done
	if [ -z "$bad" ]; then
		passed=$((passed + 1))
		echo "ok   $c"
		continue
	fi
	failed=$((failed + 1))
	differ=$((differ + 1))
	failures="$failures $c"
	echo "FAIL $c: differs from the committed$bad"
	for f in $bad; do
		show_diff "tests/golden/$c/$f" "$w/got/$f"
	done
done
if [ "$mode" = update ]; then
	[ "$failed" -eq 0 ] || {
		echo "golden: not updated:$failures"
		exit 1
	}
	echo "golden: updated; review with git diff tests/golden, then commit"
	exit 0
fi
echo "golden: $passed passed, $failed failed ($(($(date +%s) - start))s)"
if [ "$failed" -ne 0 ]; then
	echo "failed:$failures"
	[ "$differ" -eq 0 ] ||
		echo "if the change is deliberate: make golden, then commit the diff of tests/golden"
	exit 1
fi
