# The parse cache (src/ingest/ingest_cache.h), end to end: a run, a check
# and queries from the cache give the same bytes as without it (PDF, XLSX,
# DOCX, metrics.json, rejects.csv, manifest.json; query and check output);
# another period and --where from the same cache; one of nine files changed
# is the only one read again, and the log says which came from the cache; a
# file changed behind a restored size and mtime (touch -d) is read again; a
# damaged cache file is detected, logged and rebuilt; runs side by side
# share a cache; --no-cache and no_cache = yes write nothing; the cache's
# folders are 0700 and its files 0600, a folder open to others is closed and
# emptied; --cache and cache = name the folder, the default is
# $XDG_CACHE_HOME/civreport.
. "$ROOT/tests/e2e/lib.sh"
set -u

SCALE=0.02
[ "${E2E_SANITIZE:-0}" = 1 ] && SCALE=0.01
"$BIN" sample --year 2021 --scale "$SCALE" --out in --quiet >/dev/null || fail "sample"
[ "$(ls in/*.csv | wc -l)" -eq 9 ] || fail "the sample has not nine files"
C=$WORK/cache
OUTS="annual-report-2021.pdf annual-report-2021.xlsx annual-report-2021.docx metrics.json rejects.csv manifest.json"

report() { # OUTDIR [ARGS...]: run the default report, exit 0, stderr in OUTDIR.err
	o=$1
	shift
	"$BIN" run --year 2021 --input in --output "$o" "$@" >"$o.out" 2>"$o.err" ||
		{ cat "$o.err" >&2; fail "run --output $o $*"; }
}

same_outputs() { # A B: the report's files of A and B are the same bytes
	for f in $OUTS; do
		[ -s "$1/2021/$f" ] || fail "$1/2021/$f missing"
		cmp -s "$1/2021/$f" "$2/2021/$f" || fail "$f differs between $1 and $2"
	done
}

# the summary line of the run that wrote ERR
summary() { grep -F '解析缓存：取自缓存' "$1" | tail -n 1; }

# py_entry REL KIND: the cache file of input REL (ingest_cache.h names it)
py_entry() {
	$PY - "$C" "$WORK/in" "$1" "$2" <<'EOF'
import hashlib, os, sys
cache, folder, rel, kind = sys.argv[1:5]
h = lambda kind, s: hashlib.sha256(kind.encode() + b"\0" + s.encode()).hexdigest()[:32]
print(os.path.join(cache, h("folder", os.path.realpath(folder)), h("path", rel) + "." + kind))
EOF
}

# --- cold, warm, and without: the same bytes ----------------------------
report plain --no-cache
report cold --cache "$C"
contains cold.err "重新读取 9 个"
report warm --cache "$C"
case $(summary warm.err) in
*"取自缓存 9 个"*"重新读取 0 个"*) ;;
*) cat warm.err; fail "the warm run did not take every file from the cache" ;;
esac
same_outputs plain cold
same_outputs plain warm
# backup tools skip a folder tagged so (https://bford.info/cachedir/)
head -c 43 "$C/CACHEDIR.TAG" | grep -qx 'Signature: 8a477f597d28d172789f06886806bc55' ||
	fail "the cache's CACHEDIR.TAG lacks its signature"
echo "run: cold and warm give the bytes of a run without the cache: $OUTS"

# --- queries and check: any period, any area, from the same cache --------
q() { "$BIN" query "$@" --input in --format csv 'relief.amount by 区县' 'relief.persons by 救助类别' \
	'children.amount@prev' 'relief.amount@last'; }
for p in "--year 2021" "--period 2021Q3" "--period 2020-11..2021-02" "--year 2020"; do
	# shellcheck disable=SC2086 # two words
	q $p --no-cache >q-plain.txt 2>/dev/null || fail "query $p --no-cache"
	# shellcheck disable=SC2086
	q $p --cache "$C" >q-cache.txt 2>q-cache.err || fail "query $p --cache"
	contains q-cache.err "取自缓存 9 个"
	cmp -s q-plain.txt q-cache.txt || { diff q-plain.txt q-cache.txt | head; fail "query $p differs"; }
	# shellcheck disable=SC2086
	q $p --where 区县=岳池县 --no-cache >q-plain.txt 2>/dev/null || fail "query --where"
	# shellcheck disable=SC2086
	q $p --where 区县=岳池县 --cache "$C" >q-cache.txt 2>/dev/null || fail "query --where --cache"
	cmp -s q-plain.txt q-cache.txt || fail "query $p --where differs"
done
"$BIN" check --year 2021 --input in --no-cache >check-plain.txt 2>/dev/null
rc1=$?
"$BIN" check --year 2021 --input in --cache "$C" >check-cache.txt 2>check-cache.err
rc2=$?
[ "$rc1" = "$rc2" ] || fail "check: exit $rc1 without the cache, $rc2 with"
cmp -s check-plain.txt check-cache.txt || fail "check prints otherwise from the cache"
echo "query (4 periods, with and without --where) and check: the same from the cache"

# --- one of nine files changed: only that one is read again --------------
$PY - in/relief-华蓥市.csv <<'EOF' || fail "edit"
import sys
p = sys.argv[1]
lines = open(p, "rb").read().split(b"\n")
lines[5] = lines[5].replace(b",", b", ", 1)  # a space after the ID: the same row, a new file
open(p, "wb").write(b"\n".join(lines))
EOF
report plain2 --no-cache
report changed --cache "$C"
case $(summary changed.err) in
*"取自缓存 8 个"*"重新读取 1 个（relief-华蓥市.csv）"*) ;;
*) cat changed.err; fail "not exactly the changed file was read again" ;;
esac
same_outputs plain2 changed
echo "one file changed: $(summary changed.err | sed 's/.*INFO  //')"

# --- touch -d: changed behind a restored size and mtime ------------------
f=in/relief-前锋区.csv
old=$(stat -c %y "$f")
$PY - "$f" <<'EOF' || fail "edit"
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
i = b.index(b"\n", len(b) // 2) + 1  # a row in the middle: its district, 前锋区 -> 广安区
j = b.index("前锋区".encode(), i)
b[j:j + 9] = "广安区".encode()
open(p, "wb").write(b)
EOF
touch -d "$old" "$f"
[ "$(stat -c %y "$f")" = "$old" ] || fail "touch -d"
report plain3 --no-cache
report touched --cache "$C"
contains touched.err "重新读取 1 个（relief-前锋区.csv）"
same_outputs plain3 touched
cmp -s plain2/2021/metrics.json plain3/2021/metrics.json && fail "the edit changed no figure"
echo "a file changed with its size and mtime restored (touch -d) is read again"

# --- damage: detected, logged, never in a figure, rebuilt ----------------
data=$(py_entry relief-岳池县.csv csv.data)
[ -f "$data" ] || fail "no cache file $data"
size=$(stat -c %s "$data")
$PY - "$data" <<'EOF' || fail "flip"
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[len(b) // 2] ^= 0x40
open(p, "wb").write(b)
EOF
report damaged --cache "$C"
contains damaged.err "WARN"
contains damaged.err "relief-岳池县.csv 的缓存有一块已损坏"
same_outputs plain3 damaged
report rebuilt --cache "$C"
contains rebuilt.err "取自缓存 9 个"
lacks rebuilt.err "WARN"
truncate -s $((size / 3)) "$data"
report truncated --cache "$C"
contains truncated.err "relief-岳池县.csv 的缓存已损坏（文件被截断"
same_outputs plain3 truncated
report rebuilt2 --cache "$C"
contains rebuilt2.err "取自缓存 9 个"
echo "a flipped bit and a truncation: logged, rebuilt, the same outputs"

# --- permissions ----------------------------------------------------------
[ "$(stat -c %a "$C")" = 700 ] || fail "the cache folder is $(stat -c %a "$C")"
bad=$(find "$C" -mindepth 1 \( -type d ! -perm 700 \) -o \( -type f ! -perm 600 \) -o \( ! -type d ! -type f \))
[ -z "$bad" ] || fail "not 0700/0600: $bad"
folder=$(dirname "$data")
chmod 0777 "$folder"
report opened --cache "$C"
contains opened.err "已改为 0700 并清空重建"
contains opened.err "重新读取 9 个"
[ "$(stat -c %a "$folder")" = 700 ] || fail "the folder was left $(stat -c %a "$folder")"
same_outputs plain3 opened
echo "cache folders 0700, files 0600; a folder open to others is closed and emptied"

# --- runs side by side on one cache ---------------------------------------
rm -rf "$C"
"$BIN" run --year 2021 --input in --output side1 --cache "$C" --quiet 2>side1.err &
p1=$!
"$BIN" run --year 2021 --input in --output side2 --cache "$C" --quiet 2>side2.err &
p2=$!
wait $p1 || { cat side1.err; fail "first run side by side"; }
wait $p2 || { cat side2.err; fail "second run side by side"; }
same_outputs plain3 side1
same_outputs plain3 side2
report after --cache "$C"
contains after.err "取自缓存 9 个"
lacks after.err "WARN"
echo "two runs side by side: whole files, a sound cache"

# --- --no-cache, no_cache = yes, cache =, the default ---------------------
[ -n "${XDG_CACHE_HOME:-}" ] || fail "run.sh sets XDG_CACHE_HOME"
rm -rf "$XDG_CACHE_HOME/civreport"
report nocache --no-cache
[ ! -e "$XDG_CACHE_HOME/civreport" ] || fail "--no-cache wrote $XDG_CACHE_HOME/civreport"
lacks nocache.err "解析缓存"
printf '[run]\nno_cache = yes\n' >off.conf
report offconf --config off.conf --cache "$C.2"
[ ! -e "$C.2" ] || fail "no_cache = yes wrote $C.2"
printf '[run]\ncache = %s\n' "$C.3" >on.conf
report onconf --config on.conf
[ -d "$C.3" ] || fail "cache = did not name the folder"
printf '[run]\nno_cache = maybe\n' >bad.conf
expect_exit 2 "$BIN" run --year 2021 --input in --output badconf --config bad.conf
contains err.txt "no_cache"
report default
[ -d "$XDG_CACHE_HOME/civreport" ] || fail "the default folder is not \$XDG_CACHE_HOME/civreport"
report default2
contains default2.err "取自缓存 9 个"
same_outputs plain3 default2
echo "--no-cache and no_cache = yes write nothing; cache = and the XDG default are used"
