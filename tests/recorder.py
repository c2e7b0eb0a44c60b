#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
"""recorder.py -- a scripted SMTP server that records what a client sends, and when.

    recorder.py --portfile FILE [--log FILE] [--maildir DIR] [options]

Made to check a client's pipelining and sync points (what it sends before a
reply arrives, what it sends together), DATA/BDAT bytes, AUTH, and what it does
when the server is slow, refuses QUIT or stops reading.  Python 3 stdlib only.

Listens on --host (127.0.0.1) port --port (0 = a free one); writes the port to
--portfile once listening (like hostile.py; without --portfile the port is the
first line on stdout).  Diagnostics go to stderr.  Serves any number of
connections, each in its own thread (at most 8 at once; more get 421).  Exits
with status 0 on SIGTERM/SIGINT.  Every connection has an idle limit (--idle).

Use from a shell test (tests/lib.sh):
    _lib_python
    _lib_run rec "$PYTHON" "$TESTS_SRC/recorder.py" --log "$T/rec.jsonl" --pipelining
    ... "$SMTPCON" --batch "127.0.0.1:$rec_PORT" ...; stop_server rec
  then read $T/rec.jsonl with a few lines of Python (tests/fixtures-recorder.sh
  has helpers) or grep it: '"verb": "RCPT", ... "pending": 0'.

Server behaviour
  Greeting "220 recorder.test ESMTP recorder".  EHLO advertises 8BITMIME,
  ENHANCEDSTATUSCODES and, if asked, PIPELINING, CHUNKING, STARTTLS (before
  TLS only), AUTH PLAIN LOGIN XOAUTH2.  MAIL/RCPT/DATA/BDAT/RSET/NOOP/VRFY/HELO/
  QUIT as a plain server would (503 out of sequence, 554 on DATA without an
  accepted recipient).  Each reply is sent as soon as it is due, one send per
  reply, unless --coalesce (then, like Postfix, replies are held while more
  complete input is buffered and flushed when the server would wait).
  STARTTLS: anything the client sent after the STARTTLS line and before the
  handshake is discarded (RFC 3207) and logged as "plaintext_after_starttls".
  DATA: the terminator is a line that is exactly ".\\r\\n"; lines starting with
  "." lose that dot (RFC 5321 4.5.2); everything else is stored as received.
  BDAT n [LAST]: exactly n octets after the command line, stored as they are.

Messages (--maildir DIR)
  DIR/msg-N.eml: the exact message bytes (after dot-unstuffing for DATA; the
  concatenated chunks for BDAT).  DIR/msg-N.env: the MAIL and RCPT lines.  N
  counts from 1 (continuing after files already there) across connections; the
  250 reply ends with "queued as N".

Log (--log FILE): one JSON object a line, flushed per event.  Every event has
  "t": time.monotonic() of the event, "ev": its kind, "conn": connection number.
  Byte strings (lines, replies) are given as JSON strings decoded as Latin-1:
  lossless (NUL, CR, 8-bit survive); json.loads(x)["line"].encode("latin-1")
  gives the raw bytes back.
    listen      host, port
    accept      peer
    read        seq (1, 2, ... per connection), n (bytes; TLS: ciphertext bytes),
                replies_before (replies sent, greeting included, when it arrived)
                A dedicated thread reads the socket all the time (even while a
                reply is being delayed; it pauses only with 4 MiB read ahead and
                unprocessed), so one read = what arrived together; over TLS one
                read usually holds what the client sent in one go.
    line        mode ("cmd", "data" or "auth"), line (with its CRLF), read (seq
                of the read that completed the line), pending (requests before
                this line still unanswered when that read arrived: 0 means the
                client waited for every earlier reply), verb (cmd lines only).
                "Requests": the connection itself (answered by the greeting), each
                command line, each AUTH answer, the DATA terminator, each BDAT
                command with its chunk.  The server answers each with exactly one
                reply, so pending = requests before the line - replies_before.
                DATA body lines: only the first --log-data-lines of each message
                and the terminator are logged.
    reply       text (with CRLF), code, seq (reply number, greeting = 1),
                delay (seconds it was held back), t = when it was handed to the
                socket (so a read with t after it counts it in replies_before).
    bdat        size, last, read, pending (of the command line), read_end (seq
                of the read that completed the chunk)
    message     n, via ("DATA" or "BDAT"), bytes, sha256, file (or null)
    auth        mech, initial (null if none), answers (list), code
    plaintext_after_starttls   data
    tls         version, cipher
    stop_reading, hold_end (reason), eof, timeout, close, error (what)
    stopping    (conn 0)

Options that script the server: see --help.  --stop-reading-after-data: after
the 354 the server reads nothing more; it waits (up to --hold seconds) for the
client to reset the connection, then closes it.  Loopback's buffers absorb
several MB first; --rcvbuf makes the window small so a client blocks sooner.
"""
import argparse
import base64
import hashlib
import json
import os
import select
import signal
import socket
import ssl
import sys
import threading
import time

MAXLINE = 65536  # longest command line kept; longer ones get 500
QUEUE_LIMIT = 4 << 20  # bytes read ahead before the reader waits (bounded memory)
MAXCONN = 8
HOSTNAME = "recorder.test"


def diag(msg):
    print(f"recorder[{os.getpid()}]: {msg}", file=sys.stderr, flush=True)


def latin1(b):
    return bytes(b).decode("latin-1")


class Log:
    def __init__(self, path):
        self.f = open(path, "a", encoding="ascii") if path else None
        self.lock = threading.Lock()

    def __call__(self, conn, ev, **kw):
        if not self.f:
            return
        rec = {"t": round(kw.pop("t", None) or time.monotonic(), 6), "ev": ev, "conn": conn}
        rec.update(kw)
        with self.lock:
            self.f.write(json.dumps(rec) + "\n")
            self.f.flush()


class Closed(Exception):
    """The client went away, or the connection timed out."""


class Server:
    def __init__(self, args):
        self.a = args
        self.log = Log(args.log)
        self.lock = threading.Lock()
        self.conns = 0
        self.active = 0
        self.msgno = 0
        if args.maildir:
            os.makedirs(args.maildir, exist_ok=True)
            for f in os.listdir(args.maildir):
                if f.startswith("msg-") and f.endswith(".eml"):
                    try:
                        self.msgno = max(self.msgno, int(f[4:-4]))
                    except ValueError:
                        pass
        self.tls_ctx = None
        if args.starttls:
            self.tls_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls_ctx.load_cert_chain(*args.starttls)
        self.delay_on = {}
        for spec in args.delay_on:
            verb, _, sec = spec.partition(":")
            self.delay_on[verb.upper()] = float(sec)

    def next_msgno(self):
        with self.lock:
            self.msgno += 1
            return self.msgno


class Conn:
    """One SMTP session: a reader thread fills a queue; this object's thread
    (the processor) parses, answers, stores."""

    def __init__(self, srv, sock, n):
        self.srv, self.a, self.sock, self.n = srv, srv.a, sock, n
        self.log = lambda ev, **kw: srv.log(n, ev, **kw)
        self.cv = threading.Condition()
        self.queue = []  # (seq, replies_before, data)
        self.queued = 0
        self.replies = 0  # replies handed to the socket, greeting included
        self.requests = 1  # the connection itself awaits the greeting
        self.stop_reading = False
        self.reader_done = False
        self.closing = False
        self.rbuf = bytearray()
        self.cur = (0, 0)  # (seq, replies_before) of the last read consumed
        self.out = []  # replies held by --coalesce
        self.tls = None  # (SSLObject, incoming BIO, outgoing BIO)
        self.reset()
        self.ehlo = False

    def reset(self):
        self.mail = None
        self.rcpts = []
        self.bdat = None  # open BDAT message: (n, file, tmp, hash, size)
        self.bdat_failed = False

    # --- reading: a thread that only reads ------------------------------------
    def reader(self):
        seq = 0
        try:
            p = select.poll()
            p.register(self.sock, select.POLLIN | select.POLLPRI)
            while True:
                with self.cv:
                    while self.queued > QUEUE_LIMIT and not self.closing:
                        self.cv.wait(0.2)
                    if self.closing:
                        return
                    if self.stop_reading:
                        break
                if not p.poll(200):
                    continue
                with self.cv:
                    if self.stop_reading:
                        break
                try:
                    data = self.sock.recv(65536)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    data = b""
                seq += 1
                with self.cv:
                    rb = self.replies
                    self.queue.append((seq, rb, data))
                    self.queued += len(data)
                    self.cv.notify_all()
                self.log("read", seq=seq, n=len(data), replies_before=rb)
                if not data:
                    return
            self.hold()
        finally:
            with self.cv:
                self.reader_done = True
                self.cv.notify_all()

    def hold(self):
        """--stop-reading-after-data: read nothing, wait for a reset or --hold."""
        self.log("stop_reading")
        p = select.poll()
        p.register(self.sock, select.POLLRDHUP | select.POLLHUP | select.POLLERR)
        end = time.monotonic() + self.a.hold
        reason = "hold expired"
        while (left := end - time.monotonic()) > 0:
            with self.cv:
                if self.closing:
                    reason = "closed"
                    break
            if p.poll(min(left, 0.2) * 1000):
                reason = "client hung up"
                break
        self.log("hold_end", reason=reason)

    def pull(self):
        """The next raw read (bytes; b"" at EOF).  Raises Closed on idle timeout."""
        self.flush()
        end = time.monotonic() + self.a.idle
        with self.cv:
            while not self.queue:
                if self.reader_done:
                    raise Closed("reader gone")
                left = end - time.monotonic()
                if left <= 0:
                    self.log("timeout")
                    self.send_raw(b"421 4.4.2 " + HOSTNAME.encode() + b" idle timeout\r\n")
                    raise Closed("idle")
                self.cv.wait(min(left, 0.5))
            seq, rb, data = self.queue.pop(0)
            self.queued -= len(data)
            self.cv.notify_all()
        self.cur = (seq, rb)
        return data

    def more(self):
        """Append the next plaintext to rbuf; raise Closed at EOF."""
        while True:
            data = self.pull()
            if not data:
                self.log("eof")
                raise Closed("eof")
            if not self.tls:
                self.rbuf += data
                return
            obj, inc, _ = self.tls
            inc.write(data)
            got = False
            while True:
                try:
                    chunk = obj.read(65536)
                except ssl.SSLWantReadError:
                    break
                except ssl.SSLZeroReturnError:
                    self.log("eof", tls_close_notify=True)
                    raise Closed("close_notify")
                if not chunk:
                    break
                self.rbuf += chunk
                got = True
            self.tls_flush()
            if got:
                return

    def pending(self):
        return self.requests - self.cur[1]

    def getline(self, mode):
        """Next line (bytes with its LF), logged; long lines are cut (flag)."""
        while True:
            i = self.rbuf.find(b"\n")
            if i >= 0:
                line = bytes(self.rbuf[:i + 1])
                del self.rbuf[:i + 1]
                break
            if len(self.rbuf) > MAXLINE:
                # Drop it, up to its end; answer 500 then.
                self.log("line", mode=mode, line=latin1(self.rbuf[:200]) + "...",
                         read=self.cur[0], pending=self.pending(), toolong=True)
                while b"\n" not in self.rbuf:
                    self.rbuf.clear()
                    self.more()
                del self.rbuf[:self.rbuf.find(b"\n") + 1]
                return None
            self.more()
        kw = {}
        if mode == "cmd":
            kw["verb"] = latin1(line.split(None, 1)[0].upper()) if line.strip() else ""
        self.log("line", mode=mode, line=latin1(line), read=self.cur[0],
                 pending=self.pending(), **kw)
        return line

    # --- writing ----------------------------------------------------------------
    def send_raw(self, data):
        if self.tls:
            obj, _, _ = self.tls
            obj.write(data)
            self.tls_flush()
        else:
            self.sock.sendall(data)

    def tls_flush(self):
        out = self.tls[2].read()
        if out:
            self.sock.sendall(out)

    def reply(self, text, verb=None):
        """Answer the current request (one reply per request)."""
        delay = self.srv.delay_on.get(verb, self.a.delay) if verb else self.a.delay
        if verb == "GREETING" and "GREETING" not in self.srv.delay_on and not self.a.delay_greeting:
            delay = 0.0
        if delay > 0:
            self.flush()
            time.sleep(delay)
        data = text.encode("latin-1") if isinstance(text, str) else text
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        self.out.append((data, delay))
        if not (self.a.coalesce and b"\n" in self.rbuf):
            self.flush()

    def flush(self):
        for data, delay in self.out:
            with self.cv:
                # Counted before the send: a client's next line can never look
                # early merely because we logged late.
                self.replies += 1
                n = self.replies
                t = time.monotonic()
            self.send_raw(data)
            self.log("reply", t=t, text=latin1(data),
                     code=int(data[:3]) if data[:3].isdigit() else None, seq=n, delay=delay)
        self.out = []

    # --- the session ------------------------------------------------------------
    def run(self):
        self.log("accept", peer=list(self.sock.getpeername()[:2]))
        rt = threading.Thread(target=self.reader, daemon=True)
        rt.start()
        try:
            self.session()
        except Closed:
            pass
        except (OSError, ssl.SSLError) as e:
            self.log("error", what=str(e))
            diag(f"conn {self.n}: {e}")
        finally:
            self.abort_bdat()
            self.close(rt)

    def close(self, rt):
        try:
            self.flush()
        except OSError:
            pass
        with self.cv:
            self.closing = True
            self.cv.notify_all()
        try:
            self.sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        # Let the reader see the client's EOF so that close() sends no RST over
        # a reply the client has not read yet (bounded: 1 s).
        end = time.monotonic() + 1.0
        with self.cv:
            while not self.reader_done and time.monotonic() < end:
                self.queue.clear()
                self.queued = 0
                self.cv.notify_all()
                self.cv.wait(0.1)
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        rt.join(2.0)
        self.sock.close()
        self.log("close")

    def session(self):
        self.reply(f"220 {HOSTNAME} ESMTP recorder", "GREETING")
        while True:
            line = self.getline("cmd")
            self.requests += 1
            if line is None:
                self.reply("500 5.5.2 line too long")
                continue
            words = line.split()
            verb = latin1(words[0]).upper() if words else ""
            h = getattr(self, "do_" + verb, None) if verb.isalpha() else None
            if h is None:
                self.reply("500 5.5.2 unknown command", verb)
            elif h(line, words) == "quit":
                return

    def do_EHLO(self, line, words):
        if len(words) < 2:
            return self.reply("501 5.5.4 EHLO needs a name", "EHLO")
        self.reset()
        self.ehlo = True
        ext = ["8BITMIME", "ENHANCEDSTATUSCODES"]
        if self.a.pipelining:
            ext.append("PIPELINING")
        if self.a.chunking:
            ext.append("CHUNKING")
        if self.srv.tls_ctx and not self.tls:
            ext.append("STARTTLS")
        if self.a.auth or self.a.auth_504:
            ext.append("AUTH PLAIN LOGIN XOAUTH2")
        ext += self.a.ehlo_extra
        lines = [f"{HOSTNAME} hello {latin1(words[1])}"] + ext
        text = "".join(f"250{'-' if i < len(lines) - 1 else ' '}{x}\r\n"
                       for i, x in enumerate(lines))
        self.reply(text, "EHLO")

    def do_HELO(self, line, words):
        self.reset()
        self.ehlo = True
        self.reply(f"250 {HOSTNAME}", "HELO")

    def do_MAIL(self, line, words):
        if self.mail is not None:
            return self.reply("503 5.5.1 nested MAIL", "MAIL")
        if not line.upper().startswith(b"MAIL FROM:"):
            return self.reply("501 5.5.4 syntax: MAIL FROM:<address>", "MAIL")
        self.mail = line.rstrip(b"\r\n")
        self.reply("250 2.1.0 ok", "MAIL")

    def do_RCPT(self, line, words):
        if self.mail is None:
            return self.reply("503 5.5.1 need MAIL first", "RCPT")
        if not line.upper().startswith(b"RCPT TO:"):
            return self.reply("501 5.5.4 syntax: RCPT TO:<address>", "RCPT")
        if any(r.encode() in line for r in self.a.reject_rcpt):
            return self.reply("550 5.1.1 no such user", "RCPT")
        self.rcpts.append(line.rstrip(b"\r\n"))
        self.reply("250 2.1.5 ok", "RCPT")

    def do_RSET(self, line, words):
        self.abort_bdat()
        self.reset()
        self.reply("250 2.0.0 ok", "RSET")

    def do_NOOP(self, line, words):
        self.reply("250 2.0.0 ok", "NOOP")

    def do_VRFY(self, line, words):
        self.reply("252 2.5.2 cannot verify", "VRFY")

    def do_QUIT(self, line, words):
        if self.a.quit_500:
            return self.reply("500 5.5.2 no", "QUIT")
        self.reply("221 2.0.0 bye", "QUIT")
        self.flush()
        if self.tls:
            try:
                self.tls[0].unwrap()
            except (ssl.SSLError, OSError):
                pass
            try:
                self.tls_flush()
            except OSError:
                pass
        return "quit"

    def do_STARTTLS(self, line, words):
        if not self.srv.tls_ctx:
            return self.reply("502 5.5.1 STARTTLS not offered", "STARTTLS")
        if self.tls:
            return self.reply("503 5.5.1 TLS already active", "STARTTLS")
        self.reply("220 2.0.0 ready to start TLS", "STARTTLS")
        self.flush()
        if self.rbuf:
            self.log("plaintext_after_starttls", data=latin1(self.rbuf))
            self.rbuf.clear()
        inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
        obj = self.srv.tls_ctx.wrap_bio(inc, out, server_side=True)
        self.tls = (obj, inc, out)
        while True:
            try:
                obj.do_handshake()
                break
            except ssl.SSLWantReadError:
                self.tls_flush()
                data = self.pull()
                if not data:
                    self.log("eof", during="tls handshake")
                    raise Closed("eof in handshake")
                inc.write(data)
        self.tls_flush()
        self.log("tls", version=obj.version(), cipher=obj.cipher()[0])
        # Plaintext already decrypted with the Finished message (a client that
        # sends EHLO in the same flight) stays in the object: read it now.
        try:
            while chunk := obj.read(65536):
                self.rbuf += chunk
        except ssl.SSLWantReadError:
            pass
        self.reset()
        self.ehlo = False

    def do_AUTH(self, line, words):
        mech = latin1(words[1]).upper() if len(words) > 1 else ""
        initial = latin1(words[2]) if len(words) > 2 else None
        answers = []

        def ask(challenge):
            self.reply("334 " + challenge, "AUTH")
            a = self.getline("auth")
            self.requests += 1
            if a is None:
                answers.append("(too long)")
                return None
            a = a.rstrip(b"\r\n")
            answers.append(latin1(a))
            return a

        def done(text):
            self.log("auth", mech=mech, initial=initial, answers=answers, code=int(text[:3]))
            self.reply(text, "AUTH")

        if self.a.auth_504:
            return done("504 5.5.4 mechanism not available")
        if not self.a.auth:
            return done("502 5.5.1 AUTH not offered")
        if mech not in ("PLAIN", "LOGIN", "XOAUTH2"):
            return done("504 5.5.4 unrecognized authentication type")
        steps = []
        if mech == "PLAIN" and initial is None:
            steps = [""]
        elif mech == "LOGIN":
            steps = (["VXNlcm5hbWU6"] if initial is None else []) + ["UGFzc3dvcmQ6"]
        elif mech == "XOAUTH2":
            err = base64.b64encode(b'{"status":"401","schemes":"bearer",'
                                   b'"scope":"https://mail.google.com/"}').decode()
            steps = ([""] if initial is None else []) + [err]
        if initial == "*":
            return done("501 5.7.0 authentication cancelled")
        for ch in steps:
            a = ask(ch)
            if a is None:
                return done("500 5.5.2 line too long")
            if a == b"*":
                return done("501 5.7.0 authentication cancelled")
        done("535 5.7.8 authentication credentials invalid")

    def do_DATA(self, line, words):
        if self.bdat:
            return self.reply("503 5.5.1 BDAT in progress", "DATA")
        if self.mail is None:
            return self.reply("503 5.5.1 need MAIL first", "DATA")
        if not self.rcpts:
            return self.reply("554 5.5.1 no valid recipients", "DATA")
        if self.a.stop_reading_after_data:
            with self.cv:
                self.stop_reading = True
            self.reply("354 end data with <CR><LF>.<CR><LF>", "DATA")
            self.flush()
            with self.cv:
                while not self.reader_done:
                    self.cv.wait(0.2)
            raise Closed("stopped reading")
        self.reply("354 end data with <CR><LF>.<CR><LF>", "DATA")
        n, f, tmp = self.open_msg()
        h, size, logged, bol = hashlib.sha256(), 0, 0, True
        try:
            while True:
                i = self.rbuf.find(b"\n")
                if i < 0:
                    if len(self.rbuf) > MAXLINE:
                        # A long line: write what we have, it cannot be the end.
                        chunk = bytes(self.rbuf)
                        self.rbuf.clear()
                        if bol and chunk.startswith(b"."):
                            chunk = chunk[1:]
                        f.write(chunk)
                        h.update(chunk)
                        size += len(chunk)
                        bol = False
                        continue
                    self.more()
                    continue
                line = bytes(self.rbuf[:i + 1])
                del self.rbuf[:i + 1]
                if bol and line == b".\r\n":
                    self.log("line", mode="data", line=".\r\n", read=self.cur[0],
                             pending=self.pending())
                    self.requests += 1
                    break
                if bol and logged < self.a.log_data_lines:
                    logged += 1
                    self.log("line", mode="data", line=latin1(line), read=self.cur[0],
                             pending=self.pending())
                if bol and line.startswith(b"."):
                    line = line[1:]
                f.write(line)
                h.update(line)
                size += len(line)
                bol = True
        except BaseException:
            f.close()
            if tmp:
                os.unlink(tmp)
            self.log("message_aborted", n=n, via="DATA", bytes=size)
            raise
        self.finish_msg(n, f, tmp, "DATA", size, h)
        self.reset()
        self.reply(f"250 2.0.0 ok: queued as {n}", "DATA-END")

    def do_BDAT(self, line, words):
        # The command line is already counted as a request: not pending.
        read, pend = self.cur[0], self.pending() - 1
        try:
            size = int(words[1])
            if size < 0 or len(words) > 3:
                raise ValueError
            last = len(words) == 3 and words[2].upper() == b"LAST"
            if len(words) == 3 and not last:
                raise ValueError
        except (ValueError, IndexError):
            return self.reply("501 5.5.4 syntax: BDAT size [LAST]", "BDAT")
        err = None
        if not self.a.chunking:
            err = "502 5.5.1 CHUNKING not offered"
        elif self.mail is None:
            err = "503 5.5.1 need MAIL first"
        elif not self.rcpts:
            err = "554 5.5.1 no valid recipients"
        elif self.bdat_failed:
            err = "503 5.5.1 earlier BDAT failed"
        if err is None and self.bdat is None:
            n, f, tmp = self.open_msg()
            self.bdat = [n, f, tmp, hashlib.sha256(), 0]
        # Always consume the chunk, even a refused one: it is not commands.
        left = size
        while left > 0:
            if not self.rbuf:
                self.more()
            take = bytes(self.rbuf[:left])
            del self.rbuf[:len(take)]
            left -= len(take)
            if err is None:
                self.bdat[1].write(take)
                self.bdat[3].update(take)
                self.bdat[4] += len(take)
        self.log("bdat", size=size, last=last, read=read, pending=pend, read_end=self.cur[0],
                 refused=err)
        if err is not None:
            self.bdat_failed = True
            self.abort_bdat()
            return self.reply(err, "BDAT")
        if not last:
            return self.reply(f"250 2.0.0 {size} octets received", "BDAT")
        n, f, tmp, h, total = self.bdat
        self.bdat = None
        self.finish_msg(n, f, tmp, "BDAT", total, h)
        self.reset()
        self.reply(f"250 2.0.0 ok: {total} octets, queued as {n}", "BDAT")

    # --- messages ---------------------------------------------------------------
    def open_msg(self):
        n = self.srv.next_msgno()
        if self.a.maildir:
            tmp = os.path.join(self.a.maildir, f".msg-{n}.tmp")
            return n, open(tmp, "wb"), tmp
        return n, open(os.devnull, "wb"), None

    def finish_msg(self, n, f, tmp, via, size, h):
        f.close()
        path = None
        if tmp:
            base = os.path.join(self.a.maildir, f"msg-{n}")
            with open(base + ".env", "wb") as e:
                e.write(b"".join(x + b"\n" for x in [self.mail] + self.rcpts))
            os.rename(tmp, base + ".eml")
            path = base + ".eml"
        self.log("message", n=n, via=via, bytes=size, sha256=h.hexdigest(), file=path)
        diag(f"conn {self.n}: message {n} via {via}, {size} bytes")

    def abort_bdat(self):
        if self.bdat:
            n, f, tmp, _, size = self.bdat
            f.close()
            if tmp:
                os.unlink(tmp)
            self.log("message_aborted", n=n, via="BDAT", bytes=size)
            self.bdat = None


def serve(srv, sock, n):
    try:
        Conn(srv, sock, n).run()
    except Exception as e:  # never take the server down with one connection
        diag(f"conn {n}: internal error: {e!r}")
        srv.log(n, "error", what=repr(e))
    finally:
        with srv.lock:
            srv.active -= 1


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    p.add_argument("--port", type=int, default=0, help="0 = pick a free port")
    p.add_argument("--portfile", help="write the port here once listening")
    p.add_argument("--log", metavar="FILE", help="JSON-lines event log (appended)")
    p.add_argument("--maildir", metavar="DIR", help="store messages as DIR/msg-N.eml")
    p.add_argument("--delay", type=float, default=0.0, metavar="SEC",
                   help="hold every reply back SEC seconds (not the greeting)")
    p.add_argument("--delay-greeting", action="store_true", help="delay the greeting too")
    p.add_argument("--delay-on", action="append", default=[], metavar="VERB:SEC",
                   help="delay replies to VERB by SEC instead (VERB: a command, "
                        "GREETING, or DATA-END for the reply after the final dot)")
    p.add_argument("--pipelining", action=argparse.BooleanOptionalAction, default=False,
                   help="advertise PIPELINING (default: no)")
    p.add_argument("--chunking", action="store_true", help="advertise CHUNKING, accept BDAT")
    p.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"),
                   help="advertise and implement STARTTLS with this certificate (chain) and key")
    p.add_argument("--auth", action="store_true",
                   help="advertise AUTH PLAIN LOGIN XOAUTH2; every attempt ends in 535 5.7.8")
    p.add_argument("--auth-504", action="store_true",
                   help="advertise AUTH; answer every AUTH with 504 5.5.4")
    p.add_argument("--reject-rcpt", action="append", default=[], metavar="TEXT",
                   help="answer 550 to RCPT lines containing TEXT")
    p.add_argument("--ehlo-extra", action="append", default=[], metavar="KEYWORD",
                   help="one more EHLO line")
    p.add_argument("--quit-500", action="store_true",
                   help="answer QUIT with '500 5.5.2 no' and keep the connection open")
    p.add_argument("--stop-reading-after-data", action="store_true",
                   help="after the 354 read nothing more (the client's send buffer fills)")
    p.add_argument("--hold", type=float, default=30.0, metavar="SEC",
                   help="with --stop-reading-after-data: close after SEC s (default 30)")
    p.add_argument("--rcvbuf", type=int, metavar="BYTES",
                   help="SO_RCVBUF for accepted connections (a small window)")
    p.add_argument("--coalesce", action="store_true",
                   help="hold replies while more complete input is buffered (Postfix-like)")
    p.add_argument("--idle", type=float, default=30.0, metavar="SEC",
                   help="drop a connection idle for SEC s with 421 (default 30)")
    p.add_argument("--log-data-lines", type=int, default=100, metavar="N",
                   help="log the first N body lines of each DATA message (default 100)")
    a = p.parse_args()
    for spec in a.delay_on:
        try:
            float(spec.partition(":")[2])
        except ValueError:
            p.error(f"--delay-on wants VERB:SEC, not {spec!r}")

    srv = Server(a)

    def bye(sig, frame):
        diag("stopping")
        srv.log(0, "stopping")
        sys.exit(0)
    signal.signal(signal.SIGTERM, bye)
    signal.signal(signal.SIGINT, bye)

    family, type_, proto, _, addr = socket.getaddrinfo(
        a.host, a.port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)[0]
    ls = socket.socket(family, type_, proto)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if a.rcvbuf:
        # Set before listen(): the window scale is agreed in the handshake.
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.rcvbuf)
    ls.bind(addr)
    ls.listen(8)
    port = ls.getsockname()[1]
    diag(f"listening on {a.host} port {port}")
    srv.log(0, "listen", host=a.host, port=port)
    if a.portfile:
        tmp = f"{a.portfile}.tmp{os.getpid()}"
        with open(tmp, "w") as f:
            f.write(f"{port}\n")
        os.rename(tmp, a.portfile)
    else:
        print(port, flush=True)

    while True:
        s, peer = ls.accept()
        with srv.lock:
            if srv.active >= MAXCONN:
                full = True
            else:
                full = False
                srv.active += 1
                srv.conns += 1
                n = srv.conns
        if full:
            try:
                s.sendall(b"421 4.3.2 too many connections\r\n")
            except OSError:
                pass
            s.close()
            continue
        diag(f"conn {n} from {peer[:2]}")
        threading.Thread(target=serve, args=(srv, s, n), daemon=True).start()


if __name__ == "__main__":
    main()
