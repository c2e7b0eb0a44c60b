/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The protocol engine: one SMTP connection (plain, STARTTLS or implicit TLS) driven by the
 * caller's poll loop. It writes every line and event into the transcript model and reports
 * changes through callbacks; it never prints and never touches the terminal.
 *
 * The loop asks session_pollfds() which descriptors and events to wait for (the
 * connection's, and a background lookup's) and session_timeout() how long, then calls
 * session_io() with what poll() returned (no events when it timed out). Failures are recorded (session_failure) and shown in the transcript with a
 * reason and a hint; the connection is then closed and the closed callback runs.
 */
#ifndef SESSION_H
#define SESSION_H

#include <poll.h>

#include "auth.h"
#include "held.h"
#include "reply.h"
#include "smtp.h"
#include "tls.h"
#include "transcript.h"

enum session_mode {
	SESSION_PLAIN,		/* TLS only if the person sends STARTTLS */
	SESSION_STARTTLS,	/* EHLO + STARTTLS right after the greeting */
	SESSION_TLS,		/* implicit TLS: handshake before the greeting */
	SESSION_STARTTLS_IF_OFFERED /* as STARTTLS when EHLO offers it; else plain, warned */
};

/* What went wrong, for the exit status of line mode. */
enum session_fail {
	SESSION_OK = 0,
	SESSION_F_CONNECT,	/* name not found, refused, timed out, unreachable */
	SESSION_F_TLS,		/* TLS set-up or handshake failed */
	SESSION_F_PROTOCOL,	/* no greeting, no reply in time, malformed, injection */
	SESSION_F_CLOSED,	/* the server closed the connection unexpectedly */
	SESSION_F_INPUT		/* a line could not go as given: the message abandoned */
};

struct session_opts {
	int		 family;		/* AF_UNSPEC, AF_INET, AF_INET6 */
	int		 connect_timeout;	/* seconds */
	int		 reply_timeout;		/* seconds */
	int		 insecure;		/* allow AUTH over unverified TLS */
	const char	*ehlo;			/* the automatic EHLO line: "EHLO name" */
	int		 stop_on_refusal;	/* line mode: after a refused AUTH, DATA,
						 * BDAT or STARTTLS, send nothing more */
	struct tls_config tls;
};

struct session_cb {
	void	(*changed)(void *arg);		/* transcript or state changed */
	void	(*reply)(void *arg, const struct reply *, const char *verb);
	void	(*tls_up)(void *arg, const struct tls_info *);
	void	(*closed)(void *arg);		/* the connection is over */
};

struct session;
struct explain_state;

/* The options are copied, but the strings in them must outlive the session. */
struct session	*session_new(const struct session_opts *, struct transcript *,
		    const struct session_cb *, void *arg);
/* Replace the options (copied as by session_new) for the next session_open: a profile
 * chosen in the console brings its own TLS settings and timeouts. */
void		 session_set_opts(struct session *, const struct session_opts *);
void		 session_free(struct session *);

/*
 * Connect to host:port (port NULL: 465 with implicit TLS, else 25; port 465 implies
 * implicit TLS unless mode says STARTTLS). Returns 0 when the attempt is under way, -1 when
 * it failed at once (the failure is in the transcript and session_failure()).
 */
int		 session_open(struct session *, const char *host, const char *port,
		    enum session_mode);
/*
 * Connect by mail domain: look up domain's MX records (saying them in the transcript)
 * and connect to the most preferred MX host, or to host when given (said when it is
 * not one of them); a domain with no MX record is its own host (RFC 5321 5.1), one
 * with a null MX (RFC 7505) takes no mail. From the connect on, domain's MTA-STS
 * policy and TLS-RPT record are looked up in the background (sts.h; timeouts and
 * --cafile from the options); what they say, and what a sender that applies the
 * policy does with this connection, go into the transcript as it becomes known.
 * Returns as session_open.
 */
int		 session_open_mx(struct session *, const char *domain, const char *host,
		    const char *port, enum session_mode);
/* Drop the connection now (a local decision), saying why in the transcript. */
void		 session_close(struct session *, const char *why);
/* The same, when the person gives up waiting (to connect, for the greeting or a reply):
 * why is the transcript's whole line ("connection cancelled (Ctrl-C)"). */
void		 session_cancel(struct session *, const char *why);

/*
 * The person's lines. A line is taken at any time and held until the dialogue can take
 * it: after a command whose reply decides what later lines mean (DATA, BDAT, AUTH,
 * STARTTLS, EHLO/HELO, QUIT, and every command when the server did not advertise
 * PIPELINING), later lines wait for that reply, and their meaning (a command, a body line,
 * an AUTH answer) is decided when they go. Body lines are dot-stuffed here; BDAT chunks
 * are counted here; AUTH answers are encoded here and never shown.
 *
 * When AUTH, DATA, BDAT or STARTTLS is refused (by the server, or by smtpcon for risk),
 * every line held behind it is wiped, never sent and never shown; with stop_on_refusal
 * nothing more is taken and QUIT follows. len may include NUL bytes (refused with a
 * reason when the line goes). flags: HELD_CONSENT (the person accepted a risky AUTH),
 * HELD_TOOLONG (the input cut the line). Returns 0, or -1 with *errstr malloc'd when
 * nothing can take a line (not connected).
 */
int		 session_submit(struct session *, const char *line, size_t len, int flags,
		    char **errstr);
/* Line mode: no more lines will come. When the held lines are gone, QUIT is sent (or the
 * connection dropped, inside DATA or AUTH, where QUIT would be a body line or answer). */
void		 session_input_end(struct session *);
/* The person wants to leave: QUIT after the held lines, and close once it is answered,
 * whatever the answer, or within a few seconds without one. -1 (nothing done) when a
 * line typed now would be a body line or an AUTH answer. */
int		 session_quit(struct session *);
/* Session takes no more lines (stopped after a refusal, or leaving). */
int		 session_stopped(const struct session *);
/* Lines held and their bytes. */
size_t		 session_held(const struct session *);
size_t		 session_held_bytes(const struct session *);
/* Held line i as the screen may show it (redacted when it would be an AUTH answer),
 * malloc'd; NULL past the end. */
char		*session_held_show(struct session *, size_t i);
/* What a line typed now would be, once the held lines and awaited replies before it are
 * done: a command, a body line, or an AUTH answer. */
enum smtp_line	 session_next_kind(struct session *);
/* Nothing held and no reply awaited: a typed line goes at once. */
int		 session_idle(const struct session *);

/*
 * AUTH assistance. While the dialogue is in SMTP_AUTH (the server sent 334) and no line
 * is held, session_auth_need() says what to ask the person; session_submit() takes a single
 * answer (LOGIN's user name or password, encoded here), a line starting with '\\' raw, or
 * "*" to cancel; session_auth_answer() takes the answers to a two-question step (user and
 * password or token). Answers are never shown or kept.
 */
int		 session_auth_need(struct session *, struct auth_need *);
int		 session_auth_answer(struct session *, char *const *answers, char **errstr);
/*
 * Run a whole exchange: send AUTH mech (with its initial response when the mechanism
 * has one) and answer the server's challenges from user and secret. consent: the person
 * accepted the risk of a connection that is not verified TLS. Returns 0, or -1 with
 * *errstr (not connected, not idle, risky without consent, unknown mechanism).
 */
int		 session_auth_start(struct session *, const char *mech, const char *user,
		    const char *secret, int consent, char **errstr);
/* Credentials to answer any AUTH exchange with (line mode: --user, --password-file). */
void		 session_set_credentials(struct session *, const char *user,
		    const char *secret, const char *authzid);
/* Why AUTH would be risky now (no TLS, unverified certificate), or NULL. */
const char	*session_auth_risk(struct session *);
/* Bytes queued for the server and not sent yet. */
size_t		 session_queued(const struct session *);
/* Refusals: AUTH, DATA, BDAT or STARTTLS refused, or a line refused by smtpcon. */
int		 session_refusals(const struct session *);

/* Fill pfd[0 .. SESSION_NPOLL - 1] for poll(): the connection, and the MTA-STS lookup
 * of a session connected by domain. Returns how many were filled (0: none). */
#define SESSION_NPOLL	2
int		 session_pollfds(struct session *, struct pollfd *);
/* Milliseconds until the session needs session_io() even without events; -1 none. */
int		 session_timeout(struct session *);
/* After poll(): the n entries session_pollfds filled, with their revents (all 0, or
 * n 0, after a timeout). */
void		 session_io(struct session *, const struct pollfd *, int n);

/*
 * Queries (session-query.c): what the front ends know of the connection and the
 * dialogue. Strings returned belong to the session and last until its next call.
 */
int		 session_connected(const struct session *);
/* The dialogue's state (SMTP_CLOSED when not connected) and a person's words for it. */
enum smtp_state	 session_state(const struct session *);
const char	*session_state_name(const struct session *);
/* Parameters of an EHLO keyword the server advertised ("" when it has none), or NULL
 * when it did not advertise it (or no EHLO was answered since connect or TLS). */
const char	*session_cap(const struct session *, const char *keyword);
/* The advertised EHLO line i ("SIZE 1000"), or NULL past the last. */
const char	*session_cap_line(const struct session *, size_t i);
/* TLS is up on this connection (STARTTLS or implicit). */
int		 session_tls_up(const struct session *);
/* The verb of the oldest command awaiting its reply, or NULL. */
const char	*session_pending_verb(const struct session *);
/* A reply is awaited: the greeting or a command's. */
int		 session_waiting(const struct session *);
/* The TLS information of this (or the last) connection, or NULL. */
const struct tls_info *session_tls(const struct session *);
const char	*session_host(const struct session *);
const char	*session_addr(const struct session *);	/* numeric, "" before connect */
const char	*session_port(const struct session *);
long		 session_latency(const struct session *);	/* ms, -1 unknown */
enum session_fail session_failure(const struct session *);
/* Protocol violations seen: malformed replies, bytes injected after STARTTLS. */
int		 session_violations(const struct session *);
int		 session_insecure(const struct session *);
/* The user AUTH succeeded for (display-safe), or NULL. */
const char	*session_authed_as(const struct session *);
/* The domain of a session connected by domain (NULL: not), and whether its MTA-STS
 * lookup is still under way (line mode waits for it before it ends). */
const char	*session_sts_domain(const struct session *, int *pending);
int		 session_sts_pending(const struct session *);
/* Line i of what was said of MTA-STS and TLS-RPT (the TLS pane shows them), *warn set
 * for a warning; NULL past the last. */
const char	*session_sts_line(const struct session *, size_t i, int *warn);
/*
 * What the explanations (explain.h) need to know of the dialogue now: TLS up, logged
 * in, STARTTLS offered in the last EHLO reply; verb as there. Not connected, nothing
 * is known (every flag -1), whatever the last connection was.
 */
void		 session_explain_state(const struct session *, const char *verb,
		    struct explain_state *);

#endif
