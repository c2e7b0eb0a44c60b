/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Inside the session: the state shared by session.c (connection, replies, the person's
 * lines) and session-auth.c (AUTH). Nothing outside those files includes this.
 */
#ifndef SESSION_INT_H
#define SESSION_INT_H

#include <netdb.h>

#include "held.h"
#include "session.h"
#include "smtp-int.h"
#include "sts.h"
#include "wire.h"

#define SESSION_READ_MAX	16384
#define SESSION_OUT_HIGH	(1024 * 1024)	/* hold lines while this much is unsent */
#define SESSION_CMD_MAX		65536		/* a command line, CRLF excluded */
#define SESSION_BODY_MAX	(1024 * 1024)	/* a body line, CRLF excluded */
#define SESSION_CHUNK		(1024 * 1024)	/* BDAT chunks smtpcon counts itself */
#define SESSION_BDAT_MAX	(4 * 1024 * 1024) /* BDAT n typed by hand */
#define SESSION_QUIT_WAIT	5		/* seconds QUIT may take to be answered */
#define SESSION_GREET_HINT	5		/* seconds of silence before the TLS hint */
#define SESSION_DANE_WAIT_MS	3000		/* the TLSA answer, after the handshake */

enum session_io {
	IO_NONE,
	IO_CONNECTING,
	IO_HANDSHAKE,
	IO_OPEN
};

enum session_deadline {
	DL_NONE,
	DL_CONNECT,
	DL_HANDSHAKE,
	DL_REPLY,
	DL_CLOSE	/* the server said goodbye but has not closed */
};

/* A connection by domain (session-sts.c): its MTA-STS lookup and what was said of it. */
struct session_sts_line {
	int		 warn;
	char		*text;
};

struct session_sts {
	char			*domain;	/* NULL: not connected by domain */
	struct sts_job		*job;		/* the lookup, until done */
	struct sts		*res;		/* what it found */
	enum sts_tls		 tls;		/* what this connection showed of TLS */
	char			*detail;	/* the certificate's verdict, or why no TLS */
	int			 host_said, waiting_said, judged;
	struct session_sts_line	*lines;		/* said so far, for the TLS pane */
	size_t			 nlines;
};

/* What pump does with the oldest held line after a handler looked at it. */
enum session_take {
	TAKE_DONE,	/* used: drop it and go on */
	TAKE_WAIT,	/* keep it and stop until something changes */
	TAKE_GONE	/* the handler dropped it (or every held line) itself */
};

struct session {
	struct session_opts	 opts;
	struct transcript	*tr;
	struct session_cb	 cb;
	void			*arg;

	enum session_mode	 mode;
	enum session_io		 io;
	char			*host, *port;
	char			 addr[64];
	struct addrinfo		*res, *ai;
	int			 fd;
	struct tls		*tls;
	struct tls_dane		*dane;		/* the TLSA lookup, from the connect on */
	struct session_sts	 sts;
	int			 tls_dir;	/* handshake: TLS_WANT_READ or _WRITE */
	struct tls_info		*info;
	struct smtp		 smtp;
	struct reply_parser	 parser;
	struct wire		 wire;
	struct held		 held;
	int			 auto_step;	/* --starttls: 1 EHLO sent, 2 STARTTLS sent */

	/* BDAT: the chunk being collected. */
	char			*chunk;
	size_t			 chunklen, chunkcap;
	size_t			 bdat_want;	/* BDAT n by hand: n; 0 when counted here */
	int			 bdat_manual, bdat_last;

	int			 pump_more;	/* held lines wait only for room to send */
	int			 quitting;	/* close once QUIT is answered */
	int			 quit_queued;	/* QUIT is among the held lines */
	int			 input_end;	/* line mode: no more lines will come */
	int			 stopped;	/* take no more lines */
	int			 refusals;

	enum session_deadline	 dl;
	struct timespec		 deadline;
	struct timespec		 greet_hint;	/* say "implicit TLS?" if still silent */
	int			 greet_hinted;
	unsigned long		 nreplies;	/* replies of this connection */
	long			 latency;

	enum session_fail	 fail;
	int			 violations;

	struct auth		 auth;
	int			 auth_left;	/* answer lines the exchange still takes */
	int			 auth_cancelled;	/* "*" sent: its 501 needs no hint */
	char			*authed_as;	/* display-safe user name after 235 */
	char			 risk[512];
};

/* session.c */
void	session_changed(struct session *);
/* Close what is open ("opening a new connection") and forget the last connection's
 * facts (TLS, failure, latency), before a new one. */
void	session_forget(struct session *);
/* session_open without touching the MTA-STS state. */
int	session_dial(struct session *, const char *host, const char *port,
	    enum session_mode);
void	session_end(struct session *);
void	session_start_tls(struct session *);
long	session_ms_since(const struct timespec *);
void	session_set_deadline(struct session *, enum session_deadline, int seconds);
void	session_fail(struct session *, enum session_fail, const char *, const char *);
/* Show a line we send (already redacted) and queue its wire form. */
void	session_put(struct session *, const char *wire, size_t wirelen, const char *shown,
	    const char *note, enum smtp_cmd, const char *verb, int last);
/* A command whose reply decides what later lines mean was refused: drop what is held. */
void	session_refused(struct session *, const char *what);
/* A line cannot go as given; abandon: the message is lost (DATA), close. */
void	session_input_error(struct session *, const char *why, int abandon);
void	session_chunk_clear(struct session *);
/* Send a line of the engine's own (the automatic EHLO, STARTTLS and QUIT). */
void	session_send_auto(struct session *, const char *line);

/* session-reply.c */
/* Show what the parser holds of an unfinished reply; 1 when anything had arrived. */
int	session_show_partial(struct session *);
/* Why the server may have gone, when the moment says (right after the greeting). */
const char *session_gone_hint(const struct session *);
/* Read what the server sent and act on every complete reply. */
void	session_read(struct session *);

/* session-lines.c */
/* Give the dialogue every held line it can take now. */
void	session_pump(struct session *);

/* session-sts.c */
/* Drop the MTA-STS state (a lookup under way is given up); domain: the next one's. */
void	session_sts_reset(struct session *, const char *domain);
/* Start the lookup for the domain set by session_sts_reset. */
void	session_sts_start(struct session *);
int	session_sts_fd(const struct session *);
/* The lookup's descriptor was readable. */
void	session_sts_io(struct session *);
/* What the connection showed of TLS (once: the first fact counts); detail: the
 * certificate's verdict, or why there is no TLS. */
void	session_sts_tls(struct session *, enum sts_tls, const char *detail);

/* session-auth.c */
enum session_take session_auth_command(struct session *, struct held_line *);
enum session_take session_auth_take(struct session *);
void	session_auth_reply(struct session *, const struct reply *);
void	session_auth_cancel(struct session *);
/* How a typed AUTH command is shown (its initial response hidden); malloc'd. */
char	*session_auth_redact(const char *line, char **note);
/* Lines the person answers an AUTH command with (0 when smtpcon answers alone). */
int	session_auth_lines(struct session *, const char *line);

#endif
