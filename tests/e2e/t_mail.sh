# Mail: `run --mail` and `civreport mail` against a local SMTP sink
# (tests/unit/smtp_sink.py on 127.0.0.1): the message as a mail client reads
# it (Python's email package: RFC 2047 subject and sender name, RFC 2231
# attachment names, attachments byte for byte), and the failures: server
# down, a recipient refused (550, not retried), a failed run's notice, and a
# password file others can read or that is no file; a server that goes
# silent (each attempt ends at `timeout`, the whole mail within its cap); a
# failed mail sent again, as the manifest records it (`run --if-changed
# --mail`, `civreport mail`).
. "$ROOT/tests/e2e/lib.sh"
set -u

: "${CIVREPORT_DATADIR:=$ROOT/templates}"
export CIVREPORT_DATADIR
unset CIVREPORT_TEST_PW 2>/dev/null || true

OUT=output/2021
now_ms() { date +%s%3N; }

# --- the sink ---------------------------------------------------------------
# It prints "PORT n" once it listens: read through a FIFO, that line is the
# event to wait for (end of file instead, if it dies first).
mkdir sink
mkfifo sink.port
$PY "$ROOT/tests/unit/smtp_sink.py" --dir sink --reject reject-me --lifetime 300 >sink.port 2>sink.err &
sink_pid=$!
sink_pids=$sink_pid
trap 'for p in $sink_pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done' EXIT
read -r word PORT <sink.port && [ "$word" = PORT ] || { cat sink.err; fail "the SMTP sink did not start"; }
echo "SMTP sink on 127.0.0.1:$PORT"

# start_sink NAME ARGS...: another sink, in folder NAME, its port in $SPORT
start_sink() {
	_n=$1
	shift
	mkdir "$_n" && mkfifo "$_n.port" || fail "start_sink $_n"
	$PY "$ROOT/tests/unit/smtp_sink.py" --dir "$_n" --lifetime 300 "$@" >"$_n.port" 2>"$_n.err" &
	sink_pids="$sink_pids $!"
	read -r _w SPORT <"$_n.port" && [ "$_w" = PORT ] || { cat "$_n.err"; fail "the sink $_n did not start"; }
}

# mail_state DIR KEY: a field of the mail section of DIR/manifest.json
mail_state() {
	$PY -c 'import json,sys; v=json.load(open(sys.argv[1]+"/manifest.json"))["mail"][sys.argv[2]]; print(v if not isinstance(v,list) else ",".join(v))' "$1" "$2" ||
		fail "$1/manifest.json has no mail section"
}

# a port nobody listens on: bound, then closed
DEAD_PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')

# msgs: how many messages the sink saved
msgs() { find sink -name 'msg-*.eml' | wc -l; }
last_msg() { echo "sink/msg-$(msgs).eml"; }

# config FILE [key = value ...]: a config with [run] and [mail]; extra
# [mail] lines override the defaults (later keys win)
config() {
	_f=$1
	shift
	{
		echo "[run]"
		echo "input = in"
		echo "output = output"
		echo "year = 2021"
		echo "[mail]"
		echo "url = smtp://127.0.0.1:$PORT"
		echo "starttls = no"
		echo "from = civreport@example.gov.cn"
		echo "from_name = 广安市民政局"
		echo "to = director@example.gov.cn, office@example.gov.cn"
		echo "retries = 1"
		echo "retry_delay_ms = 100"
		echo "timeout = 10"
		for _l in "$@"; do echo "$_l"; done
	} >"$_f"
}

# check_msg EML SUBJECT_PART [NAME=PATH ...]: parse the message as a client
# would; it must carry exactly these attachments, byte for byte
cat >check_mail.py <<'EOF'
import hashlib, sys
from email import policy
from email.parser import BytesParser

path, subject_part = sys.argv[1], sys.argv[2]
want = dict(a.split("=", 1) for a in sys.argv[3:])
msg = BytesParser(policy=policy.default).parse(open(path, "rb"))
subject = str(msg["subject"])
print("Subject:", subject)
assert subject_part in subject, "subject %r lacks %r" % (subject, subject_part)
frm = msg["from"].addresses[0]
print("From:", frm.display_name, "<%s>" % frm.addr_spec)
assert frm.display_name == "广安市民政局", frm.display_name
assert frm.addr_spec == "civreport@example.gov.cn", frm.addr_spec
body = msg.get_body(preferencelist=("plain",))
assert body is not None, "no text/plain body"
text = body.get_content()
assert text.strip(), "empty body"
print("Body:", text.strip().splitlines()[0][:60])
got = {}
for part in msg.iter_attachments():
    name = part.get_filename()
    data = part.get_payload(decode=True)
    got[name] = (hashlib.sha256(data).hexdigest(), part.get_content_type())
    print("Attachment:", name, part.get_content_type(), len(data), "bytes")
assert set(got) == set(want), "attachments %s, want %s" % (sorted(got), sorted(want))
for name, p in want.items():
    sha = hashlib.sha256(open(p, "rb").read()).hexdigest()
    assert got[name][0] == sha, "%s differs from %s" % (name, p)
    if name.endswith(".pdf"):
        assert got[name][1] == "application/pdf", got[name][1]
    if name.endswith(".xlsx"):
        assert got[name][1].endswith("spreadsheetml.sheet"), got[name][1]
    if name.endswith(".docx"):
        assert got[name][1].endswith("wordprocessingml.document"), got[name][1]
EOF
check_msg() { $PY check_mail.py "$@" || fail "message $1"; }

"$BIN" sample --year 2021 --out in --scale 0.01 2>/dev/null || fail "sample"

# --- run --mail: the PDF only ---------------------------------------------
config cfg.ini
expect_exit 0 "$BIN" run --config cfg.ini --year 2021 --mail --quiet
[ "$(msgs)" -eq 1 ] || fail "run --mail: $(msgs) messages, want 1"
check_msg sink/msg-1.eml "民政工作总结" "annual-report-2021.pdf=$OUT/annual-report-2021.pdf"
contains sink/log "RCPT director@example.gov.cn 250"
contains sink/log "RCPT office@example.gov.cn 250"
contains sink/log "to=director@example.gov.cn,office@example.gov.cn"

# --- attach_xlsx = yes: the XLSX too ----------------------------------------
config cfg-xlsx.ini "attach_xlsx = yes"
expect_exit 0 "$BIN" run --config cfg-xlsx.ini --mail --quiet
[ "$(msgs)" -eq 2 ] || fail "attach_xlsx: $(msgs) messages, want 2"
check_msg sink/msg-2.eml "2021年民政工作总结" \
	"annual-report-2021.pdf=$OUT/annual-report-2021.pdf" \
	"annual-report-2021.xlsx=$OUT/annual-report-2021.xlsx"

[ "$(mail_state "$OUT" state)" = sent ] || fail "the manifest does not record the mail as sent"

# --if-changed with nothing changed: no run, and the mail went: no mail
# either; with --quiet not a word on stdout (cron would mail it)
expect_exit 0 "$BIN" run --config cfg-xlsx.ini --mail --if-changed --quiet
[ ! -s out.txt ] || { cat out.txt; fail "--if-changed --quiet printed on stdout"; }
[ "$(msgs)" -eq 2 ] || fail "an up-to-date run sent mail"
expect_exit 0 "$BIN" run --config cfg-xlsx.ini --mail --if-changed
[ "$(cat out.txt)" = "up to date" ] || fail "--if-changed --mail: not up to date"
[ "$(msgs)" -eq 2 ] || fail "an up-to-date run sent mail"

# --- server down: exit 5 after the retries, outputs written all the same ----
config cfg-down.ini "url = smtp://127.0.0.1:$DEAD_PORT"
s=$(now_ms)
expect_exit 5 "$BIN" run --config cfg-down.ini --output output-down --mail
ms=$(($(now_ms) - s))
grep -E 'ERROR|WARN' err.txt
contains err.txt "邮件发送失败"
contains err.txt "已尝试 2 次"
for o in annual-report-2021.pdf annual-report-2021.xlsx metrics.json rejects.csv manifest.json; do
	[ -s "output-down/2021/$o" ] || fail "mail failed, and $o was not written"
done
cmp -s output-down/2021/annual-report-2021.pdf "$OUT/annual-report-2021.pdf" || fail "server down: PDF differs"
# the mail's own time, as logged (the run's wall time is the report's too,
# which a loaded machine and the sanitizer build stretch)
mail_s=$(grep '邮件发送失败' err.txt | grep -o '用时 [0-9.]* 秒' | head -1 | tr -dc '0-9.')
echo "server down: the run took $ms ms, the mail $mail_s s"
[ -n "$mail_s" ] && awk "BEGIN { exit !($mail_s < 20) }" ||
	fail "server down: the mail took $mail_s s with retries 1, retry_delay_ms 100"
# nothing to retry the mail by hand with: civreport mail also exits 5
expect_exit 5 "$BIN" mail --config cfg-down.ini "$OUT/annual-report-2021.pdf"

# --- a recipient the server refuses: 550, permanent, not retried ----------
config cfg-reject.ini "to = reject-me@example.gov.cn" "retries = 3"
n=$(msgs)
expect_exit 5 "$BIN" run --config cfg-reject.ini --output output-reject --mail
grep -E 'ERROR|WARN' err.txt
contains err.txt "550"
contains err.txt "reject-me@example.gov.cn"
[ "$(msgs)" -eq "$n" ] || fail "a refused recipient still got a message"
[ "$(grep -c 'RCPT reject-me@example.gov.cn 550' sink/log)" -eq 1 ] || { cat sink/log; fail "a 550 was retried"; }
[ -s output-reject/2021/annual-report-2021.pdf ] || fail "550: the PDF was not written"

# --- civreport mail: send given files -------------------------------------
cp "$OUT/annual-report-2021.pdf" "$OUT/x.pdf"
expect_exit 0 "$BIN" mail --config cfg.ini "$OUT/x.pdf"
check_msg "$(last_msg)" "2021年民政工作总结" "x.pdf=$OUT/x.pdf"
# a Chinese file name arrives readable (RFC 2231), with a CSV beside it
cp "$OUT/annual-report-2021.pdf" "广安市2021年民政工作总结.pdf"
expect_exit 0 "$BIN" mail --config cfg.ini "广安市2021年民政工作总结.pdf" "$OUT/rejects.csv"
check_msg "$(last_msg)" "民政工作总结" \
	"广安市2021年民政工作总结.pdf=广安市2021年民政工作总结.pdf" "rejects.csv=$OUT/rejects.csv"
# without files: the configured year's PDF
expect_exit 0 "$BIN" mail --config cfg.ini
check_msg "$(last_msg)" "2021年民政工作总结" "annual-report-2021.pdf=$OUT/annual-report-2021.pdf"
# a file that is not there: no message, an error naming it
n=$(msgs)
expect_exit 5 "$BIN" mail --config cfg.ini "$OUT/nonexistent.pdf"
contains err.txt "nonexistent.pdf"
[ "$(msgs)" -eq "$n" ] || fail "a message was sent without its attachment"

# --- a failed run: the short notice to on_failure, no report --------------
config cfg-fail.ini "on_failure = it-duty@example.gov.cn"
n=$(msgs)
expect_exit 3 "$BIN" run --config cfg-fail.ini --input no-such-folder --output output-fail --mail
[ "$(msgs)" -eq $((n + 1)) ] || fail "failed run: $(msgs) messages, want $((n + 1)) (the notice)"
$PY - "$(last_msg)" <<'EOF' || fail "failure notice"
import sys
from email import policy
from email.parser import BytesParser
m = BytesParser(policy=policy.default).parse(open(sys.argv[1], "rb"))
print("Notice:", m["subject"], "->", m["to"])
assert "运行失败" in str(m["subject"]), m["subject"]
assert str(m["to"]) == "it-duty@example.gov.cn", m["to"]
assert not list(m.iter_attachments()), "the notice carries attachments"
assert "退出码 3" in m.get_body(preferencelist=("plain",)).get_content()
EOF
contains sink/log "RCPT it-duty@example.gov.cn 250"

# --- starttls = Yes is yes: the sink offers no STARTTLS, so nothing is sent
# (a "Yes" once read as no, and the password would have gone in clear text)
config cfg-tls.ini "starttls = Yes"
n=$(msgs)
expect_exit 5 "$BIN" mail --config cfg-tls.ini "$OUT/x.pdf"
grep -E 'ERROR|WARN' err.txt
[ "$(msgs)" -eq "$n" ] || fail "starttls = Yes: a message went out without TLS"
# ... and a spelling that is not a boolean is refused before any connection
config cfg-tls-bad.ini "starttls = ja"
expect_exit 2 "$BIN" mail --config cfg-tls-bad.ini "$OUT/x.pdf"
contains err.txt "cfg-tls-bad.ini:14: starttls"
[ "$(msgs)" -eq "$n" ] || fail "starttls = ja: a message went out"

# --- passwords: never from a file others can read ---------------------------
printf 'secret\n' >pw
chmod 0644 pw
config cfg-pw.ini "user = civreport" "password_file = $WORK/pw"
expect_exit 2 "$BIN" mail --config cfg-pw.ini "$OUT/x.pdf"
cat err.txt
contains err.txt "chmod 600"
contains err.txt "0644"
lacks err.txt "secret"
expect_exit 2 "$BIN" run --config cfg-pw.ini --mail
contains err.txt "chmod 600"
# the sink offers no AUTH: with a private file civreport goes on without it
chmod 0600 pw
expect_exit 0 "$BIN" mail --config cfg-pw.ini "$OUT/x.pdf"
# password_env naming a variable that is not set: refused, and said so
config cfg-env.ini "user = civreport" "password_env = CIVREPORT_TEST_PW"
expect_exit 2 "$BIN" mail --config cfg-env.ini "$OUT/x.pdf"
contains err.txt "CIVREPORT_TEST_PW"
expect_exit 0 env CIVREPORT_TEST_PW=secret "$BIN" mail --config cfg-env.ini "$OUT/x.pdf"
# the password itself in the file is refused
config cfg-inline.ini "password = secret"
expect_exit 2 "$BIN" mail --config cfg-inline.ini "$OUT/x.pdf"
contains err.txt "password_env"
# --mail without --config: a usage error
expect_exit 2 "$BIN" run --year 2021 --input in --output output --mail
echo "messages received: $(msgs)"

# --- a password file that is no file: refused with the reason (issue 10 item 20)
mkdir pwdir
chmod 0700 pwdir
config cfg-pwdir.ini "user = civreport" "password_file = $WORK/pwdir"
n=$(msgs)
expect_exit 2 "$BIN" mail --config cfg-pwdir.ini "$OUT/x.pdf"
contains err.txt "pwdir"
contains err.txt "目录"
: >pwempty
chmod 0600 pwempty
config cfg-pwempty.ini "user = civreport" "password_file = $WORK/pwempty"
expect_exit 2 "$BIN" run --config cfg-pwempty.ini --mail
contains err.txt "pwempty"
contains err.txt "空"
[ "$(msgs)" -eq "$n" ] || fail "a message went out with an empty password"

# --- a server that goes silent (issue 10 item 19): each attempt ends at
# `timeout` whatever the phase, and the whole mail within its cap, logged:
# 2 attempts of 1 s (and up to 1 s more each), 0.1 s between them, 4.1 s.
# Before, curl waited 120 s for the reply after the message and for QUIT's:
# 4 minutes here.  A watchdog of 60 s (timeout -s KILL: exit 137) ends it.
for case in greeting:5 dot:5 quit:0; do
	phase=${case%:*}
	start_sink "hang-$phase" --hang "$phase"
	config "cfg-hang-$phase.ini" "url = smtp://127.0.0.1:$SPORT" "timeout = 1" "retries = 1" \
		"retry_delay_ms = 100"
	s=$(now_ms)
	expect_exit "${case#*:}" timeout -s KILL 60 "$BIN" mail --config "cfg-hang-$phase.ini" "$OUT/x.pdf"
	echo "silent at $phase: exit ${case#*:} after $(($(now_ms) - s)) ms"
	grep -E 'ERROR|INFO' err.txt
	contains "hang-$phase/log" "HANG $phase"
	contains err.txt "上限 4.1 秒"
	[ "$phase" = quit ] || contains err.txt "已尝试 2 次"
done
# a run: the report is written, the mail fails within the bound, the
# manifest records it as pending with the reason
start_sink hang-run --hang dot
config cfg-hang-run.ini "url = smtp://127.0.0.1:$SPORT" "timeout = 1" "retries = 0"
expect_exit 5 timeout -s KILL 60 "$BIN" run --config cfg-hang-run.ini --output output-hang --mail --quiet
contains err.txt "超时"
[ "$(mail_state output-hang/2021 state)" = pending ] || fail "a mail that timed out is not pending"
mail_state output-hang/2021 error | grep -q "超时" || fail "the manifest lacks the reason"

# --- a failed mail is sent again (issue 10 item 21) -------------------------
# A recipient refused: exit 5, and the manifest says pending, why, and when.
config cfg-bad-to.ini "to = reject-me@example.gov.cn" "attach_xlsx = yes"
n=$(msgs)
expect_exit 5 "$BIN" run --config cfg-bad-to.ini --output output-retry --mail --if-changed --quiet
R=output-retry/2021
[ "$(mail_state $R state)" = pending ] || fail "a refused mail is not pending"
[ "$(mail_state $R attempts)" = 1 ] || fail "attempts: $(mail_state $R attempts)"
mail_state $R error | grep -q 550 || fail "the manifest lacks the server's reply"
# The operator fixes `to`; the nightly run finds nothing changed, sends the
# pending mail (the template's subject and body, the PDF and XLSX), says
# nothing on stdout, and records it as sent.
config cfg-fixed.ini "attach_xlsx = yes"
expect_exit 0 "$BIN" run --config cfg-fixed.ini --output output-retry --mail --if-changed --quiet
[ ! -s out.txt ] || { cat out.txt; fail "--if-changed --quiet printed on stdout"; }
lacks err.txt "完成"
[ "$(msgs)" -eq $((n + 1)) ] || fail "the pending mail was not sent: $(msgs) messages, want $((n + 1))"
check_msg "$(last_msg)" "广安市2021年民政工作总结" \
	"annual-report-2021.pdf=$R/annual-report-2021.pdf" "annual-report-2021.xlsx=$R/annual-report-2021.xlsx"
[ "$(mail_state $R state)" = sent ] || fail "the mail sent is not recorded"
[ "$(mail_state $R attempts)" = 2 ] || fail "attempts: $(mail_state $R attempts)"
[ "$(mail_state $R to)" = "director@example.gov.cn,office@example.gov.cn" ] || fail "recipients: $(mail_state $R to)"
# the next night: sent already, nothing to do
expect_exit 0 "$BIN" run --config cfg-fixed.ini --output output-retry --mail --if-changed --quiet
[ "$(msgs)" -eq $((n + 1)) ] || fail "a mail already sent went again"

# civreport mail (no files): the report its manifest names, with the
# template's subject and body; with year = latest too (its subject was
# "0年民政工作总结"), and never a stale file of an earlier template's name
sed 's/^pdf: .*/pdf: 民政总结-{year}.pdf/; s/^xlsx: .*/xlsx: 民政数据-{year}.xlsx/' \
	"$ROOT/templates/annual-summary.md" >tpl-named.md
sed 's/^year = 2021/year = latest/' cfg-fixed.ini >cfg-latest.ini
grep -q '^year = latest' cfg-latest.ini || fail "cfg-latest.ini"
expect_exit 0 "$BIN" run --config cfg-latest.ini --output output-named --template tpl-named.md
N=output-named/2021
cp "$OUT/annual-report-2021.pdf" "$N/annual-report-2021.pdf"
for args in "" "--year 2021"; do
	n=$(msgs)
	expect_exit 0 "$BIN" mail --config cfg-latest.ini --output output-named $args
	[ "$(msgs)" -eq $((n + 1)) ] || fail "civreport mail $args sent $(($(msgs) - n)) messages"
	check_msg "$(last_msg)" "广安市2021年民政工作总结" \
		"民政总结-2021.pdf=$N/民政总结-2021.pdf" "民政数据-2021.xlsx=$N/民政数据-2021.xlsx"
	$PY - "$(last_msg)" <<'PYEOF' || fail "civreport mail: not the template's mail"
import sys
from email import policy
from email.parser import BytesParser
m = BytesParser(policy=policy.default).parse(open(sys.argv[1], "rb"))
assert str(m["subject"]) == "广安市2021年民政工作总结", m["subject"]
assert m.get_body(preferencelist=("plain",)).get_content().startswith("各位领导、同事"), "body"
PYEOF
done
[ "$(mail_state $N state)" = sent ] || fail "civreport mail: not recorded as sent"
# a year without a report: said so, exit 2
expect_exit 2 "$BIN" mail --config cfg-latest.ini --output output-named --year 2019
contains err.txt "2019"

# --- attach_docx = yes: the DOCX too (the default template names one) -------
config cfg-docx.ini "attach_xlsx = yes" "attach_docx = yes"
n=$(msgs)
expect_exit 0 "$BIN" mail --config cfg-docx.ini --year 2021
[ "$(msgs)" -eq $((n + 1)) ] || fail "attach_docx: $(($(msgs) - n)) messages, want 1"
check_msg "$(last_msg)" "2021年民政工作总结" \
	"annual-report-2021.pdf=$OUT/annual-report-2021.pdf" \
	"annual-report-2021.xlsx=$OUT/annual-report-2021.xlsx" \
	"annual-report-2021.docx=$OUT/annual-report-2021.docx"
[ "$(mail_state "$OUT" docx)" = annual-report-2021.docx ] || fail "the manifest's mail lacks the DOCX"
# a template without docx: has no DOCX to attach, attach_docx or not
sed '/^docx:/d' "$ROOT/templates/annual-summary.md" >tpl-nodocx.md
expect_exit 0 "$BIN" run --config cfg-docx.ini --output output-nodocx --template tpl-nodocx.md --mail --quiet
check_msg "$(last_msg)" "2021年民政工作总结" \
	"annual-report-2021.pdf=output-nodocx/2021/annual-report-2021.pdf" \
	"annual-report-2021.xlsx=output-nodocx/2021/annual-report-2021.xlsx"
[ "$(mail_state output-nodocx/2021 docx)" = None ] || fail "a report without a DOCX records one"
echo "messages received: $(msgs)"
