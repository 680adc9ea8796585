# Mail: `run --mail` and `civreport mail` against a local SMTP sink
# (tests/unit/smtp_sink.py on 127.0.0.1): the message as a mail client reads
# it (Python's email package: RFC 2047 subject and sender name, RFC 2231
# attachment names, attachments byte for byte), and the failures: server
# down, a recipient refused (550, not retried), a failed run's notice, and a
# password file others can read.
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
trap 'kill "$sink_pid" 2>/dev/null; wait "$sink_pid" 2>/dev/null' EXIT
read -r word PORT <sink.port && [ "$word" = PORT ] || { cat sink.err; fail "the SMTP sink did not start"; }
echo "SMTP sink on 127.0.0.1:$PORT"

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

# --if-changed with nothing changed: no run, so no mail either
expect_exit 0 "$BIN" run --config cfg-xlsx.ini --mail --if-changed --quiet
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
[ "$ms" -lt 20000 ] || fail "server down: took $ms ms with retries 1, retry_delay_ms 100"
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
