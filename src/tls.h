/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * TLS for smtpcon: a GnuTLS client session on an already connected socket, and the TLS
 * information model the front ends show. This is the only part of the program that sees
 * GnuTLS types; everyone else holds a struct tls * and reads a struct tls_info.
 *
 * A bad certificate does not abort the handshake: tls_handshake() completes it, verifies the
 * chain and the name itself, and records the result in the information model, so that the
 * person can see the bad chain. Deciding what to do about it is the caller's business.
 */
#ifndef TLS_H
#define TLS_H

#include <sys/types.h>
#include <stddef.h>
#include <time.h>

struct tls_config {
	const char	*cafile;	/* trust anchors; NULL: the system trust store */
	const char	*certfile;	/* client certificate (PEM), or NULL */
	const char	*keyfile;	/* its key, or NULL */
	const char	*priority;	/* GnuTLS priority string; NULL: "NORMAL" */
	int		 version;	/* pin one version: 10 to 13 (TLS 1.0 to 1.3);
					 * 0 leaves it to priority */
	const char	*sni;		/* server name to send; NULL: the host unless an IP */
	int		 dane;		/* look up TLSA records (DANE) */
	const char	*dnssec_anchor;	/* DNSSEC trust anchor file; NULL: the system's */
};

/* DANE, for people: what the TLSA records say about this connection. */
enum tls_dane_state {
	TLS_DANE_UNCHECKED = 0,	/* not asked for */
	TLS_DANE_SKIPPED,	/* not looked up: an address, a bad anchor... */
	TLS_DANE_FAILED,	/* the lookup failed or took too long */
	TLS_DANE_NONE_FOUND,	/* no TLSA record */
	TLS_DANE_UNSIGNED,	/* records, not DNSSEC-validated */
	TLS_DANE_BOGUS,		/* DNSSEC validation failed */
	TLS_DANE_UNUSABLE,	/* validated, none usable for SMTP */
	TLS_DANE_MATCH,		/* validated, and a record matches the chain */
	TLS_DANE_NO_MATCH	/* validated, none matches */
};

/* One certificate of the server's chain, as strings ready to show. */
struct tls_cert {
	char		*subject;	/* RFC 4514 DN */
	char		*issuer;
	char		*serial;	/* hex */
	time_t		 not_before;
	time_t		 not_after;
	char		*sans;		/* "DNS:a, IP:1.2.3.4", or "" */
	char		*key;		/* "RSA 2048 bits", "ECDSA 256 bits" */
	char		*sigalg;	/* "RSA-SHA256" */
	char		*sha256;	/* "AB:CD:..." */
	char		*pem;
	int		 self_signed;	/* subject == issuer */
	int		 must_staple;	/* TLS feature status_request (RFC 7633) */
};

/* Problems found by verification (bits of tls_info.problems). */
#define TLS_P_UNKNOWN_ISSUER	0x01
#define TLS_P_EXPIRED		0x02
#define TLS_P_NOT_YET_VALID	0x04
#define TLS_P_NAME		0x08
#define TLS_P_SELF_SIGNED	0x10
#define TLS_P_REVOKED		0x20
#define TLS_P_OTHER		0x40
#define TLS_P_INCOMPLETE	0x80	/* the server left out an intermediate */

struct tls_info {
	char		*protocol;	/* for people: "TLS 1.3" */
	char		*cipher;	/* IANA suite name */
	char		*kx;		/* key exchange group, e.g. "X25519" */
	int		 resumed;
	char		*ocsp;		/* OCSP stapling status in words */
	int		 verified;	/* chain trusted and name matched */
	unsigned	 problems;	/* TLS_P_* */
	int		 fail_index;	/* certificate that failed, -1 if none or unknown */
	char		*name;		/* the name the certificate was checked against */
	char		*verdict;	/* the result in plain words */
	char		*advice;	/* what to do next and on whose side ("on the
					 * server's side: ..."); NULL when verified */
	size_t		 ncerts;
	struct tls_cert	*certs;		/* server first */
	int		 client_asked;	/* the server asked for a client certificate */
	int		 client_had;	/* we had one to give (--cert, --key) */
	char		*client_cert;	/* the subject of the one we sent; NULL: none sent */
	enum tls_dane_state dane_state;
	char		*dane;		/* the DANE verdict in words; NULL: not asked */
	char		**dane_why;	/* each TLSA record and what it matched */
	size_t		 ndane_why;
};

struct tls;

enum tls_status {
	TLS_OK = 0,
	TLS_WANT_READ = -2,	/* call again when the socket is readable */
	TLS_WANT_WRITE = -3,	/* call again when the socket is writable */
	TLS_ERROR = -1
};

/*
 * Start a client session on connected socket fd for host. Return NULL with *errstr set
 * (malloc'd) when the configuration cannot be used (bad priority string, unreadable CA
 * file, no client key...). The session does not own fd.
 */
struct tls	*tls_start(const struct tls_config *, const char *host, int fd, char **errstr);
/*
 * Whether GnuTLS takes the configuration's priority string (with its pinned version),
 * checked before connecting: 0, or -1 with *errstr (malloc'd) saying where it is wrong.
 */
int		 tls_check_priority(const struct tls_config *, char **errstr);

/*
 * Run the handshake (non-blocking). TLS_OK when done (the information model is then
 * available), TLS_WANT_READ/WRITE to be called again, TLS_ERROR with *errstr (what failed)
 * and *hint (what to try, or NULL) malloc'd.
 */
int		 tls_handshake(struct tls *, char **errstr, char **hint);

/* Read up to len bytes: > 0 bytes read; 0 the server closed; TLS_WANT_* ; TLS_ERROR with
 * *errstr. */
ssize_t		 tls_recv(struct tls *, void *buf, size_t len, char **errstr);
/* Write up to len bytes: > 0 bytes written; TLS_WANT_*; TLS_ERROR with *errstr. A call after
 * TLS_WANT_* must repeat the same bytes. */
ssize_t		 tls_send(struct tls *, const void *buf, size_t len, char **errstr);
/* Bytes already decrypted and waiting in GnuTLS (poll() cannot see them). */
size_t		 tls_pending(struct tls *);
/* The handshake failed because the server answered in plain text (an SMTP reply). */
int		 tls_plain_answer(const struct tls *);
/* Send close_notify (best effort, non-blocking) and free the session. NULL is fine. */
void		 tls_close(struct tls *);

/* Take the information model built by the handshake; the caller frees it. NULL before. */
struct tls_info	*tls_take_info(struct tls *);
void		 tls_info_free(struct tls_info *);

/*
 * The information model for one certificate given as DER, outside any handshake: its
 * fields read by the code that reads a server's chain, and a verdict saying it was not
 * verified. For tests and fuzzing of the certificate display. Never NULL; free it with
 * tls_info_free().
 */
struct tls_info	*tls_info_from_der(const void *der, size_t len);

/*
 * DANE (RFC 7672): start looking up the TLSA records of host and port (in the background:
 * start it with the connection, the answer is usually there by the end of the
 * handshake). Never NULL; when host is an address, or the lookup cannot start, it keeps
 * why, for tls_dane_finish to say.
 */
struct tls_dane	*tls_dane_start(const struct tls_config *, const char *host,
		    const char *port);
/* After the handshake: wait for the answer (at most ms), match it against in's chain and
 * set in->dane_state, dane and dane_why. Does nothing when in->dane is set already. */
void		 tls_dane_finish(struct tls_dane *, struct tls_info *in, int ms);
/*
 * The host was reached through domain's MX records: look them up too (in the same
 * background), and have tls_dane_finish say, when the TLSA records would count, that a
 * DANE sender does not use them because the MX records are not DNSSEC-validated, or
 * will not deliver because the MX answer is BOGUS (RFC 7672 §2.2.1).
 */
void		 tls_dane_via_mx(struct tls_dane *, const char *domain);
void		 tls_dane_free(struct tls_dane *);
/*
 * For a caller's own poll loop (the server check): the descriptor to poll for reading
 * while the answer is awaited, -1 when there is nothing to wait for (answered, or not
 * looked up); and what to call when it is readable. tls_dane_finish(d, in, 0) then
 * judges without waiting.
 */
int		 tls_dane_fd(const struct tls_dane *);
void		 tls_dane_process(struct tls_dane *);

/* The TLS versions the configuration offers, e.g. "TLS 1.3, TLS 1.2", malloc'd; NULL on
 * error. */
char		*tls_offered(const struct tls_config *);

/* Days from now until t (negative when past). */
long		 tls_days_left(time_t t);

#endif
