/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The engine's words that name smtpcon's options and console commands. */
#include "config.h"

#include <stddef.h>
#include <strings.h>

#include "explain-hint.h"
#include "xmalloc.h"

static const char *const explain_hints[] = {
	[EXPLAIN_HINT_STARTTLS_EHLO] = "--starttls: the server refused EHLO",
	[EXPLAIN_HINT_STARTTLS_ABSENT] = "--starttls: the server does not offer "
	    "STARTTLS in its EHLO reply",
	[EXPLAIN_HINT_STARTTLS_ABSENT_WHY] = "it may offer TLS only on port 465 "
	    "(--tls), or not at all",
	[EXPLAIN_HINT_STARTTLS_REFUSED] = "--starttls: the server refused STARTTLS",
	[EXPLAIN_HINT_PLAIN_ANYWAY] = "--starttls=if-offered: going on WITHOUT TLS: "
	    "everything from here crosses the network readable by anyone on the "
	    "path; AUTH still needs a yes (or --insecure)",
	[EXPLAIN_HINT_TLS_RECORD] = "reconnect with --tls: there the TLS handshake "
	    "comes before the greeting",
	[EXPLAIN_HINT_HUNG_UP_GREETING] = "it hung up before its greeting: it may "
	    "expect implicit TLS (try --tls), or refuse your address",
	[EXPLAIN_HINT_INSECURE_ON] = "--insecure: going on, but anyone in the path "
	    "could read this session",
	/* --insecure is no fix: it is named last, for tests. */
	[EXPLAIN_HINT_INTERCEPTABLE] = "this session may be intercepted: smtpcon "
	    "will not send AUTH over it (--insecure sends it anyway: for a test "
	    "only, never as the fix)",
	[EXPLAIN_HINT_HANDSHAKE_SILENT] = "the server may expect plain SMTP on this "
	    "port: connect without --tls and use STARTTLS",
	[EXPLAIN_HINT_NO_GREETING] = "this port may expect implicit TLS (port 465 "
	    "usually does): try --tls",
	[EXPLAIN_HINT_REPLY_TIMEOUT] = "the server may be stuck or very slow; raise "
	    "--timeout to wait longer",
	[EXPLAIN_HINT_SEND_STALLED] = "it may be stuck or overloaded; raise --timeout "
	    "to wait longer",
	[EXPLAIN_HINT_SELF_SIGNED] = "on your side, if you trust this very "
	    "certificate: save it (/chain FILE in the console) and give that file "
	    "with --cafile FILE; or on the server's side: replace it with one "
	    "issued by a CA",
	[EXPLAIN_HINT_PLAIN_NOT_TLS] = "this port speaks plain SMTP, not implicit "
	    "TLS: connect without --tls and use STARTTLS (--starttls)",
	[EXPLAIN_HINT_NO_ROUTE_V6] = "no route over IPv6 from here: try -4"
};

const char *
explain_hint(enum explain_hint h)
{
	if ((size_t)h >= sizeof explain_hints / sizeof explain_hints[0] ||
	    explain_hints[h] == NULL)
		return ("");
	return (explain_hints[h]);
}

char *
explain_hint_auth_refused(const char *risk, int console)
{
	return (xasprintf("AUTH refused: %s; use --insecure%s to send it anyway",
	    risk, console ? " (or answer yes in the console)" : ""));
}

char *
explain_hint_greet_silent(int waited, int limit)
{
	return (xasprintf("no greeting after %d s: if this port expects implicit TLS "
	    "(as 465 usually does), reconnect with --tls; still waiting (up to %d s)",
	    waited, limit));
}

char *
explain_hint_cert_name(const char *names, const char *host)
{
	return (xasprintf("on your side: connect by a name the certificate covers "
	    "(it names: %s), or use --sni NAME; or on the server's side: reissue it "
	    "to cover %s", *names ? names : "none", host));
}

char *
explain_hint_cert_issuer(const char *cn, int cafile)
{
	return (xasprintf("on your side, if %s is a private CA you trust: %s; or on "
	    "the server's side, for clients that do not know that CA: a certificate "
	    "from a public CA", cn, cafile ? "add its certificate to the file given "
	    "to --cafile" : "give its certificate with --cafile FILE"));
}

char *
explain_hint_tls_offer(const char *offered, int version, int priority)
{
	if (version != 0)
		return (xasprintf("%s only, pinned by --tls-version 1.%d: drop the pin "
		    "to offer more", offered, version % 10));
	if (priority)
		return (xasprintf("%s, all your --priority string allows", offered));
	return (xstrdup(offered));
}

char *
explain_hint_tls_version(const char *offered, int version, int priority)
{
	if (version != 0)
		return (xasprintf("no TLS version in common: we offered %s only, "
		    "pinned by --tls-version 1.%d, and the server does not speak it: "
		    "drop the pin, or try --tls-version 1.%d", offered, version % 10,
		    version == 12 ? 3 : 2));
	if (priority)
		return (xasprintf("no TLS version in common: your --priority string "
		    "allows only %s, and the server speaks none of them: add the "
		    "server's version to it (+VERS-TLS1.x), or leave --priority out",
		    offered));
	return (xasprintf("no TLS version in common: we offered %s, and the server "
	    "speaks none of them: its TLS settings are the server administrator's "
	    "to fix", offered));
}

char *
explain_hint_tls_cipher(const char *offer)
{
	return (xasprintf("no cipher suite or key exchange in common (we offered "
	    "%s): check --priority and the server's TLS settings", offer));
}

char *
explain_hint_family(const char *host, int v6, int literal)
{
	const char	*opt = v6 ? "-6" : "-4";

	if (literal)
		return (xasprintf("drop %s, or give an %s address%s", opt,
		    v6 ? "IPv6" : "IPv4", v6 ? " in brackets ([2001:db8::1]:25)" : ""));
	if (strcasecmp(host, "localhost") == 0)
		return (xasprintf("drop %s to connect over %s, or use %s for the %s "
		    "loopback", opt, v6 ? "IPv4" : "IPv6", v6 ? "[::1]" : "127.0.0.1",
		    v6 ? "IPv6" : "IPv4"));
	return (xasprintf("drop %s to connect over %s", opt, v6 ? "IPv4" : "IPv6"));
}
