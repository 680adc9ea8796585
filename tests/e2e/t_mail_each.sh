# [mail.each]: `run --each 区县 --mail` sends the whole report to [mail] to
# and each district's report, with its own subject and PDF, to the
# addresses [mail.each] gives for it; a district whose mail failed stays
# pending in its mail.json and goes with the next `run --if-changed --mail`
# (and `civreport mail --period`); a value that is not a 区县 is refused
# before any data is read.  Against the local SMTP sink of t_mail.sh.
. "$ROOT/tests/e2e/lib.sh"
set -u

: "${CIVREPORT_DATADIR:=$ROOT/templates}"
export CIVREPORT_DATADIR

mkdir sink
mkfifo sink.port
$PY "$ROOT/tests/unit/smtp_sink.py" --dir sink --reject reject-me --lifetime 300 >sink.port 2>sink.err &
sink_pid=$!
trap 'kill "$sink_pid" 2>/dev/null; wait "$sink_pid" 2>/dev/null' EXIT
read -r word PORT <sink.port && [ "$word" = PORT ] || { cat sink.err; fail "the SMTP sink did not start"; }

"$BIN" sample --year 2021 --out in --scale 0.01 2>/dev/null || fail "sample"

# config FILE HUAYING_ADDRESS [line ...]
config() {
	{
		echo "[run]"
		echo "input = in"
		echo "output = output"
		echo "period = 2021H2"
		echo "each = 区县"
		echo "[mail]"
		echo "url = smtp://127.0.0.1:$PORT"
		echo "starttls = no"
		echo "from = civreport@example.gov.cn"
		echo "to = director@example.gov.cn"
		echo "retries = 0"
		echo "timeout = 10"
		echo "[mail.each]"
		echo "岳池县 = yc@example.gov.cn, yc2@example.gov.cn"
		echo "华蓥市 = $2"
		shift 2
		for _l in "$@"; do echo "$_l"; done
	} >"$1"
}

# who FILE: the recipients the sink logged for message DATA number N
msgs() { find sink -name 'msg-*.eml' | wc -l; }
subject_of() {
	$PY -c 'import sys
from email import policy
from email.parser import BytesParser
m = BytesParser(policy=policy.default).parse(open(sys.argv[1], "rb"))
print(m["subject"], "|", ",".join(a.addr_spec for a in m["to"].addresses))
for p in m.iter_attachments():
    import hashlib
    print("ATT", p.get_filename(), hashlib.sha256(p.get_payload(decode=True)).hexdigest())' "$1"
}

# 华蓥市's address is refused by the server: that one stays pending
config cfg.ini reject-me@example.gov.cn
expect_exit 5 "$BIN" run --config cfg.ini --mail --no-progress
[ "$(msgs)" -eq 2 ] || fail "$(msgs) messages, want 2 (whole, 岳池县)"
for m in sink/msg-*.eml; do subject_of "$m"; done >subjects.txt
cat subjects.txt
contains subjects.txt "广安市2021年下半年民政工作总结 | director@example.gov.cn"
contains subjects.txt "岳池县2021年下半年民政工作总结 | yc@example.gov.cn,yc2@example.gov.cn"
sha=$(sha256sum "output/2021H2/岳池县/annual-report-2021H2.pdf" | cut -d' ' -f1)
contains subjects.txt "ATT annual-report-2021H2.pdf $sha"
state() { $PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["mail"]["state"])' "$1"; }
[ "$(state output/2021H2/岳池县/mail.json)" = sent ] || fail "岳池县 not recorded as sent"
[ "$(state output/2021H2/华蓥市/mail.json)" = pending ] || fail "华蓥市 not pending"
[ ! -f output/2021H2/广安区/mail.json ] || fail "a district without [mail.each] got a mail record"

# fixed address: the next run with nothing changed sends only what is pending
config cfg.ini hy@example.gov.cn
expect_exit 0 "$BIN" run --config cfg.ini --mail --if-changed --no-progress
[ "$(msgs)" -eq 3 ] || fail "$(msgs) messages, want 3 (华蓥市 only was pending)"
subject_of sink/msg-3.eml >last.txt
contains last.txt "华蓥市2021年下半年民政工作总结 | hy@example.gov.cn"
[ "$(state output/2021H2/华蓥市/mail.json)" = sent ] || fail "华蓥市 not sent"

# civreport mail --period resends by hand: the whole report and both districts
expect_exit 0 "$BIN" mail --config cfg.ini --no-progress
[ "$(msgs)" -eq 6 ] || fail "$(msgs) messages, want 6 after civreport mail"

# a value that is no 区县: refused before the data is read, naming the line
config bad.ini hy@example.gov.cn "岳池 = x@example.gov.cn"
expect_exit 2 "$BIN" run --config bad.ini --mail --no-progress
contains err.txt "[mail.each] 中的“岳池”不是区县的取值"
contains err.txt "bad.ini:16"
echo "mail.each ok"
