#!/usr/bin/python3
"""smtp_sink.py - a local SMTP server for the mail unit tests (test_mail.c).

It accepts mail on 127.0.0.1 only, saves each message it accepts as
DIR/msg-N.eml and logs every RCPT and DATA to DIR/log, so a test can count
the attempts civreport made.  Knobs for the failure cases:

  --reject WORD    any recipient containing WORD gets "550 5.1.1" at RCPT
  --tempfail N     the first N messages get "451 4.3.0" after DATA
  --hang PHASE     go silent (keep the connection open, never answer) at
                   PHASE: greeting (no 220), rcpt (no reply to RCPT TO),
                   dot (no reply after the message's final "."), quit (no
                   221 after a delivered message); "HANG PHASE" is logged

It binds port 0 and prints "PORT <n>" on stdout once it is listening, so the
test never races another process for a port.  It must never outlive its
test: it exits on SIGTERM and by itself after --lifetime seconds.

Run with /usr/bin/python3 (Debian's, which has python3-aiosmtpd).
"""

import argparse
import asyncio
import logging
import os
import signal
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, folder, reject, tempfail, hang):
        self.folder = folder
        self.reject = reject
        self.tempfail = tempfail
        self.hang = hang
        self.data_attempts = 0
        self.saved = 0

    def log(self, line):
        with open(os.path.join(self.folder, "log"), "a", encoding="utf-8") as f:
            f.write(line + "\n")

    async def silent(self, phase):
        """Never answer: the client's timeout must end the dialogue."""
        self.log("HANG %s" % phase)
        await asyncio.Event().wait()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.hang == "rcpt":
            await self.silent("rcpt")
        if self.reject and self.reject in address:
            self.log("RCPT %s 550" % address)
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        self.log("RCPT %s 250" % address)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.data_attempts += 1
        if self.hang == "dot":
            await self.silent("dot")
        if self.data_attempts <= self.tempfail:
            self.log("DATA 451")
            return "451 4.3.0 Temporary failure, try again later"
        self.saved += 1
        name = os.path.join(self.folder, "msg-%d.eml" % self.saved)
        with open(name + ".part", "wb") as f:
            f.write(envelope.original_content)
        # Atomic, so the test never parses half a message.
        os.rename(name + ".part", name)
        self.log("DATA 250 from=%s to=%s" % (envelope.mail_from, ",".join(envelope.rcpt_tos)))
        return "250 2.0.0 Ok: queued"

    async def handle_QUIT(self, server, session, envelope):
        if self.hang == "quit" and self.saved > 0:
            await self.silent("quit")
        return "221 Bye"


class Mute(asyncio.Protocol):
    """A server that accepts the connection and never says a word."""

    def __init__(self, sink):
        self.sink = sink

    def connection_made(self, transport):
        self.transport = transport
        self.sink.log("HANG greeting")


async def serve(args):
    loop = asyncio.get_running_loop()
    sink = Sink(args.dir, args.reject, args.tempfail, args.hang)
    if args.hang == "greeting":
        factory = lambda: Mute(sink)
    else:
        factory = lambda: SMTP(sink, hostname="localhost", ident="civreport test sink")
    server = await loop.create_server(
        factory,
        host="127.0.0.1",
        port=0,
    )
    port = server.sockets[0].getsockname()[1]
    sys.stdout.write("PORT %d\n" % port)
    sys.stdout.flush()

    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await asyncio.wait_for(stop.wait(), timeout=args.lifetime)
    except asyncio.TimeoutError:
        pass
    server.close()
    await server.wait_closed()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--reject", default="")
    p.add_argument("--tempfail", type=int, default=0)
    p.add_argument("--hang", choices=("greeting", "rcpt", "dot", "quit"))
    p.add_argument("--lifetime", type=float, default=30.0)
    args = p.parse_args()
    logging.disable(logging.CRITICAL)
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
