#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
"""An MTA-STS policy server for the tests: HTTPS on ADDR:443 with CERT and KEY, serving
ROOT/<Host header> at /.well-known/mta-sts.txt (404 for anything else). Beside a policy
file, NAME.redirect holds a URL to answer 301 with, NAME.delay the seconds to wait
before answering. The log names the Host each request asked for.

    policyd.py ADDR CERT KEY ROOT --portfile FILE
"""
import http.server, os, ssl, sys, time
if len(sys.argv) != 7 or sys.argv[5] != "--portfile":
    sys.exit(__doc__)
addr, cert, key, root, portfile = sys.argv[1:5] + [sys.argv[6]]

class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0]
        f = os.path.join(root, os.path.basename(host))
        if self.path != "/.well-known/mta-sts.txt":
            f = ""
        if f and os.path.exists(f + ".delay"):
            time.sleep(float(open(f + ".delay").read()))
        if f and os.path.exists(f + ".redirect"):
            self.send_response(301)
            self.send_header("Location", open(f + ".redirect").read().strip())
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if not f or not os.path.exists(f):
            self.send_error(404)
            return
        body = open(f, "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    # The log names the policy host asked for (the Host header), not only the path.
    def log_request(self, code="-", size="-"):
        h = self.headers.get("Host") if getattr(self, "headers", None) else None
        self.log_message('host %s "%s" %s', h, self.requestline, getattr(code, "value", code))

http.server.ThreadingHTTPServer.daemon_threads = True
s = http.server.ThreadingHTTPServer((addr, 443), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
s.socket = ctx.wrap_socket(s.socket, server_side=True)
with open(portfile + ".tmp", "w") as f:
    f.write("443\n")
os.rename(portfile + ".tmp", portfile)
s.serve_forever()
