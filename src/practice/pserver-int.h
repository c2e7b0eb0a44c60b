/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Inside a practice session: the state, the session structure, and what
 * pserver.c offers the files that do its commands (pcmd.c, pauth.c,
 * pbody.c).  Nothing outside those files includes this.
 */
#ifndef PSERVER_INT_H
#define PSERVER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "pserver.h"

#define PSERVER_INBUF		(66 * 1024)	/* > the longest line kept */
#define PSERVER_RCPT_MAX	100

enum pserver_state {
	PSERVER_COMMAND,	/* reading commands */
	PSERVER_AUTH_PLAIN,	/* waiting for the PLAIN response */
	PSERVER_AUTH_LOGIN_USER, /* waiting for the LOGIN user name */
	PSERVER_AUTH_LOGIN_PASS, /* waiting for the LOGIN password */
	PSERVER_AUTH_CRAM,	/* waiting for the CRAM-MD5 response */
	PSERVER_DATA,		/* reading the message body */
	PSERVER_BDAT,		/* reading the octets of a BDAT chunk */
	PSERVER_STARTTLS,	/* 220 queued; the handshake follows it */
	PSERVER_HANDSHAKE,	/* TLS handshake under way */
	PSERVER_CLOSING,	/* last reply queued; close once it is sent */
	PSERVER_DONE		/* over: to be freed */
};

/* Results of one pass over the input. */
enum pserver_progress {
	PSERVER_PROGRESS,	/* something was consumed */
	PSERVER_NEED_MORE,	/* a partial line: more input needed */
	PSERVER_BLOCKED		/* waiting on output or a state change */
};

struct pserver {
	const struct pserver_config	*cfg;
	int				 fd;
	unsigned int			 id;
	char				*peer;
	enum pserver_state		 state;
	int64_t				 now;
	int64_t				 last_input;	/* for the idle timeout */
	int64_t				 close_by;	/* in CLOSING */
	int64_t				 hold_until;	/* slow: no output before */
	int				 busy;		/* more to do right away */
	int				 eof;		/* the client closed */

	struct ptls			*tls;
	int				 tls_active;

	char				 in[PSERVER_INBUF];
	size_t				 inoff, inlen;
	int				 discarding;	/* a too-long line */

	char				*out;
	size_t				 outoff, outlen, outsize;

	int				 errors;
	int				 helo;		/* 0, 'H' or 'E' */
	char				*auth_user;
	char				*login_user;	/* AUTH LOGIN step 2 */
	char				*challenge;	/* AUTH CRAM-MD5 */

	int				 have_mail;
	char				*mail_from;
	char				*rcpts[PSERVER_RCPT_MAX];
	size_t				 nrcpts;

	struct pmaildir_msg		*msg;
	int				 body_bol;	/* after CRLF */
	uint64_t			 body_size;
	int				 body_toobig;

	int				 bdat;		/* msg is a BDAT message */
	uint64_t			 chunk_left;	/* octets still to read */
	uint64_t			 chunk_size;
	int				 chunk_last;
	char				*chunk_error;	/* refused: the reply */
};

/* Log "[id] message" (unless quiet). */
void	 pserver_log(struct pserver *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* Move to a new state; the one place the state changes. */
void	 pserver_set_state(struct pserver *, enum pserver_state);

/*
 * Queue one reply line (CRLF added) and log it.  pserver_out is for the
 * lines of a multi-line reply: it does not count errors.
 */
void	 pserver_out(struct pserver *, const char *line);

/*
 * Queue a reply and count it if it is an error; the twentieth error queues
 * a 421 and closes the session.
 */
void	 pserver_reply(struct pserver *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Forget the mail transaction: sender, recipients, any message being
 * received (RSET, EHLO, after DATA, after STARTTLS).
 */
void	 pserver_reset(struct pserver *);

/* Queue nothing more: close once the queued replies are out (or after a while). */
void	 pserver_close(struct pserver *);

/*
 * A copy of text safe to put in a reply or the log: printable ASCII only,
 * at most PADDR_MAX bytes of it.  The caller frees it.
 */
char	*pserver_safe(const char *text);

#endif
