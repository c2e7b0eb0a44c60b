#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
"""A real SMTP server for smtpcon's tests, built on aiosmtpd (1.4.x).

Listens on loopback only; writes the bound port to --portfile once ready.
Each accepted message lands in --maildir as NNN.eml (exactly the bytes the
server received after removing dot-stuffing, CRLF as sent) and NNN.env
(MAIL FROM / RCPT TO lines).  Logs to stderr; exits cleanly on SIGTERM/SIGINT.
"""
import argparse
import asyncio
import base64
import hashlib
import hmac
import logging
import os
import secrets
import signal
import socket
import ssl
import sys
import time

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword, auth_mechanism

log = logging.getLogger("smtpd")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 = pick a free port")
    p.add_argument("--portfile", help="write the port here once listening")
    tls = p.add_mutually_exclusive_group()
    tls.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    tls.add_argument("--implicit-tls", nargs=2, metavar=("CERT", "KEY"))
    only = p.add_mutually_exclusive_group()
    only.add_argument("--tls13-only", action="store_true")
    only.add_argument("--tls12-only", action="store_true")
    p.add_argument("--smtputf8", action="store_true", help="advertise SMTPUTF8")
    p.add_argument("--hostname", default="localhost",
                   help="the name in the greeting and the EHLO reply")
    p.add_argument("--auth", action="append", default=[], metavar="USER:PASSWORD")
    p.add_argument("--cram-md5", action="store_true")
    p.add_argument("--xoauth2", action="append", default=[], metavar="USER:TOKEN")
    p.add_argument("--auth-require-tls", action="store_true")
    p.add_argument("--require-starttls", action="store_true")
    p.add_argument("--maildir")
    a = p.parse_args()
    if (a.tls13_only or a.tls12_only) and not (a.starttls or a.implicit_tls):
        p.error("--tls13-only and --tls12-only need --starttls or --implicit-tls")
    if a.require_starttls and not a.starttls:
        p.error("--require-starttls needs --starttls")
    if a.cram_md5 and not a.auth:
        p.error("--cram-md5 needs --auth")
    for cred in a.auth:
        if ":" not in cred:
            p.error("--auth wants USER:PASSWORD")
    return a


class Handler:
    def __init__(self, args):
        self.maildir = args.maildir
        self.creds = {}
        for cred in args.auth:
            user, pw = cred.split(":", 1)
            self.creds[user.encode()] = pw.encode()
        self.tokens = {}
        for cred in args.xoauth2:
            user, token = cred.split(":", 1)
            self.tokens[user.encode()] = token.encode()
        self.seq = 0
        if self.maildir:
            os.makedirs(self.maildir, exist_ok=True)
            # Continue numbering after any earlier run into the same directory.
            self.seq = len([f for f in os.listdir(self.maildir) if f.endswith(".eml")])

    # 5-argument form: aiosmtpd hands over the EHLO lines to edit.  The hook
    # must record the client's name itself, or MAIL gets "503 send HELO first".
    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if not self.creds and not self.tokens:
            # No credentials configured: do not advertise AUTH at all.
            responses = [r for r in responses if not r[4:].upper().startswith("AUTH")]
        return responses

    async def handle_DATA(self, server, session, envelope):
        self.seq += 1
        n = f"{self.seq:03d}"
        if self.maildir:
            base = os.path.join(self.maildir, n)
            # .env first, .eml last (atomically): a test waiting for NNN.eml
            # then sees both files complete.
            with open(base + ".env", "w") as f:
                f.write(f"MAIL FROM:<{envelope.mail_from}>\n")
                for rcpt in envelope.rcpt_tos:
                    f.write(f"RCPT TO:<{rcpt}>\n")
            with open(base + ".eml.tmp", "wb") as f:
                f.write(envelope.original_content)
            os.rename(base + ".eml.tmp", base + ".eml")
        log.info("accepted %s from=<%s> to=%s bytes=%d auth=%s tls=%s", n,
                 envelope.mail_from, envelope.rcpt_tos,
                 len(envelope.original_content), session.authenticated,
                 bool(session.ssl))
        return f"250 2.0.0 Ok: queued as {n}"

    def authenticator(self, server, session, envelope, mechanism, data):
        ok = (isinstance(data, LoginPassword) and data.login in self.creds
              and hmac.compare_digest(self.creds[data.login], data.password))
        log.info("AUTH %s user=%r %s", mechanism,
                 getattr(data, "login", None), "ok" if ok else "FAILED")
        return AuthResult(success=ok, handled=False, auth_data=data)

    # Custom mechanism (RFC 2195).  aiosmtpd finds auth_* methods on the
    # handler; bound here, so the arguments are (server, args).
    @auth_mechanism("CRAM-MD5")
    async def auth_CRAM_MD5(self, server, args):
        if len(args) != 1:
            await server.push("501 5.5.4 CRAM-MD5 takes no initial response")
            return AuthResult(success=False, handled=True)
        challenge = f"<{secrets.randbelow(10**9)}.{int(time.time())}@localhost>".encode()
        resp = await server.challenge_auth(challenge)
        if not isinstance(resp, bytes):  # MISSING: "*" or bad base64, already answered
            return AuthResult(success=False, handled=True)
        user, _, digest = resp.rpartition(b" ")
        pw = self.creds.get(user)
        ok = pw is not None and hmac.compare_digest(
            hmac.new(pw, challenge, hashlib.md5).hexdigest().encode(), digest.lower())
        log.info("AUTH CRAM-MD5 user=%r %s", user, "ok" if ok else "FAILED")
        return AuthResult(success=ok, handled=False,
                          auth_data=LoginPassword(user, b"") if ok else None)


    # XOAUTH2 as Google and Microsoft run it: on a bad token a 334 error
    # challenge (base64 JSON) that the client must answer with an empty line.
    @auth_mechanism("XOAUTH2")
    async def auth_XOAUTH2(self, server, args):
        if len(args) == 1:
            resp = await server.challenge_auth("")
            if not isinstance(resp, bytes):
                return AuthResult(success=False, handled=True)
        else:
            try:
                resp = base64.b64decode(args[1], validate=True)
            except ValueError:
                await server.push("501 5.5.2 bad base64")
                return AuthResult(success=False, handled=True)
        fields = dict(f.split(b"=", 1) for f in resp.split(b"\x01") if b"=" in f)
        user = fields.get(b"user", b"")
        ok = (user in self.tokens and
              hmac.compare_digest(fields.get(b"auth", b""), b"Bearer " + self.tokens[user]))
        log.info("AUTH XOAUTH2 user=%r %s", user, "ok" if ok else "FAILED")
        if not ok:
            err = b'{"status":"401","schemes":"bearer","scope":"https://mail.example/"}'
            answer = await server.challenge_auth(err)
            if answer != b"":
                log.info("XOAUTH2: expected an empty answer, got %r", answer)
            return AuthResult(success=False, handled=False)
        return AuthResult(success=True, handled=False,
                          auth_data=LoginPassword(user, b""))


class ImplicitTLSSMTP(SMTP):
    """aiosmtpd only counts STARTTLS as "TLS active" (it checks
    _tls_protocol).  On an SMTPS port TLS is active from the first byte, so
    mark it, or --auth-require-tls would refuse AUTH over SMTPS."""

    def connection_made(self, transport):
        super().connection_made(transport)
        self._tls_protocol = True  # only ever tested for truth in aiosmtpd 1.4
        self.session.ssl = transport.get_extra_info("ssl_object")


def tls_context(cert, key, tls13_only, tls12_only=False):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)  # no client cert requested
    ctx.load_cert_chain(cert, key)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3 if tls13_only else ssl.TLSVersion.TLSv1_2
    if tls12_only:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def bind(host, port):
    family, type_, proto, _, addr = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)[0]
    s = socket.socket(family, type_, proto)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(addr)
    s.listen(16)
    s.setblocking(False)
    return s


def write_portfile(path, port):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(f"{port}\n")
    os.rename(tmp, path)


async def main(args):
    handler = Handler(args)
    excluded = []
    if not handler.creds:
        excluded += ["LOGIN", "PLAIN"]
    if not args.cram_md5:
        excluded.append("CRAM-MD5")
    if not args.xoauth2:
        excluded.append("XOAUTH2")
    starttls_ctx = implicit_ctx = None
    if args.starttls:
        starttls_ctx = tls_context(*args.starttls, args.tls13_only, args.tls12_only)
    if args.implicit_tls:
        implicit_ctx = tls_context(*args.implicit_tls, args.tls13_only, args.tls12_only)
    cls = ImplicitTLSSMTP if implicit_ctx else SMTP

    def factory():
        return cls(handler, hostname=args.hostname, ident="smtpcon-test ESMTP",
                   tls_context=starttls_ctx, require_starttls=args.require_starttls,
                   auth_require_tls=args.auth_require_tls,
                   enable_SMTPUTF8=args.smtputf8,
                   auth_exclude_mechanism=excluded,
                   authenticator=handler.authenticator)

    sock = bind(args.host, args.port)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(factory, sock=sock, ssl=implicit_ctx)
    port = sock.getsockname()[1]
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    log.info("listening on %s port %d (%s)", args.host, port,
             "implicit TLS" if implicit_ctx else
             "STARTTLS" if starttls_ctx else "plain")
    if args.portfile:
        write_portfile(args.portfile, port)
    await stop.wait()
    log.info("stopping")
    server.close()


if __name__ == "__main__":
    a = parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="smtpd[%(process)d] %(name)s: %(message)s")
    asyncio.run(main(a))
