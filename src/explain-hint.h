/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The engine's words that name smtpcon's own options and console commands (--tls,
 * --insecure, /chain, ...): what to do next, said for a person. They live here, beside
 * the explanations of reply codes, so that the protocol and TLS files carry no wording
 * about the program around them.
 *
 * explain_hint() returns a static string. The explain_hint_*() functions take the
 * facts of the moment and return a malloc'd string the caller frees.
 */
#ifndef EXPLAIN_HINT_H
#define EXPLAIN_HINT_H

enum explain_hint {
	EXPLAIN_HINT_STARTTLS_EHLO,	/* --starttls: EHLO refused */
	EXPLAIN_HINT_STARTTLS_ABSENT,	/* --starttls: no STARTTLS in the EHLO reply */
	EXPLAIN_HINT_STARTTLS_ABSENT_WHY, /* ... and what it may mean */
	EXPLAIN_HINT_STARTTLS_REFUSED,	/* --starttls: STARTTLS refused */
	EXPLAIN_HINT_PLAIN_ANYWAY,	/* --starttls=if-offered: going on in plain text */
	EXPLAIN_HINT_TLS_RECORD,	/* a TLS record where a reply should be */
	EXPLAIN_HINT_HUNG_UP_GREETING,	/* the server hung up before its greeting */
	EXPLAIN_HINT_INSECURE_ON,	/* unverified TLS, going on with --insecure */
	EXPLAIN_HINT_INTERCEPTABLE,	/* unverified TLS: no AUTH over it */
	EXPLAIN_HINT_HANDSHAKE_SILENT,	/* implicit TLS: no answer to the handshake */
	EXPLAIN_HINT_NO_GREETING,	/* plain: no greeting in time */
	EXPLAIN_HINT_REPLY_TIMEOUT,	/* no reply to a command in time */
	EXPLAIN_HINT_SEND_STALLED,	/* the server stopped reading */
	EXPLAIN_HINT_SELF_SIGNED,	/* the certificate signed itself */
	EXPLAIN_HINT_PLAIN_NOT_TLS,	/* implicit TLS, the server answered in plain */
	EXPLAIN_HINT_NO_ROUTE_V6	/* a name's IPv6 address is unreachable */
};

const char	*explain_hint(enum explain_hint);

/* AUTH refused for risk (why); console: the person could also answer yes there. */
char		*explain_hint_auth_refused(const char *risk, int console);
/* No greeting after waited seconds yet; still waiting up to limit seconds. */
char		*explain_hint_greet_silent(int waited, int limit);
/* The certificate does not cover host; names: the names it covers ("" none). */
char		*explain_hint_cert_name(const char *names, const char *host);
/* An issuer not trusted here: cn names it; cafile: a --cafile was given. */
char		*explain_hint_cert_issuer(const char *cn, int cafile);
/*
 * The TLS versions offered (offered: "TLS1.3, TLS1.2"), and what narrowed them:
 * version 12 or 13 for --tls-version, else 0; priority: a --priority string.
 */
char		*explain_hint_tls_offer(const char *offered, int version, int priority);
/* No TLS version in common, with the same facts. */
char		*explain_hint_tls_version(const char *offered, int version, int priority);
/* No cipher suite or key exchange in common; offer as explain_hint_tls_offer gives. */
char		*explain_hint_tls_cipher(const char *offer);
/*
 * -4 or -6 (v6) found no address of its family for host, which has others; literal:
 * host is an address (of the other family).
 */
char		*explain_hint_family(const char *host, int v6, int literal);

#endif
