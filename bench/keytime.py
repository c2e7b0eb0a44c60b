#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
"""keytime.py SOCKET TARGET KEY [--grep RE | --change] [--timeout S]

Send KEY to a tmux pane (tmux send-keys; "resize=COLSxROWS" resizes the window
instead) and print the milliseconds until the pane shows what was asked for:
a line matching RE, or (--change) any change.  The pane is polled with
capture-pane as fast as tmux answers, so the figure includes about one
capture's latency (a few ms); it is measured the same way for every program
compared.  Exit status 1 on a timeout.
"""
import re
import subprocess
import sys
import time


def capture(sock, target):
    return subprocess.run(["tmux", "-L", sock, "capture-pane", "-p", "-t", target],
                          capture_output=True, text=True).stdout


def main():
    a = sys.argv[1:]
    sock, target, key = a[0], a[1], a[2]
    pat = a[a.index("--grep") + 1] if "--grep" in a else None
    timeout = float(a[a.index("--timeout") + 1]) if "--timeout" in a else 30.0
    before = capture(sock, target)
    t0 = time.monotonic()
    if key.startswith("resize="):
        cols, rows = key[len("resize="):].split("x")
        subprocess.run(["tmux", "-L", sock, "resize-window", "-t", target,
                        "-x", cols, "-y", rows], check=True)
    else:
        subprocess.run(["tmux", "-L", sock, "send-keys", "-t", target, key],
                       check=True)
    while time.monotonic() - t0 < timeout:
        screen = capture(sock, target)
        if (pat is not None and re.search(pat, screen, re.M)) or \
           (pat is None and screen != before):
            print("%.1f" % ((time.monotonic() - t0) * 1000))
            return 0
    print("timeout", file=sys.stderr)
    return 1


sys.exit(main())
