/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The SMTP dialogue model, kept without any I/O: its state, the commands sent and
 * awaiting their replies (in order, RFC 2920), and what the server advertised. The
 * session tells it what was sent and what came back. smtp_set_state() is the one place
 * the state changes, and every change is written to the debug trace.
 *
 * The engine's own: smtp.c and the session's files (through session-int.h) include
 * this; the front ends ask the session instead (session_state(), session_cap(), ...).
 */
#ifndef SMTP_INT_H
#define SMTP_INT_H

#include <stddef.h>
#include <time.h>

#include "reply.h"
#include "smtp.h"


enum smtp_action {
	SMTP_ACT_NONE,
	SMTP_ACT_STARTTLS,	/* the server said go: run the handshake now */
	SMTP_ACT_CLOSING	/* the server announced it is closing (221, 421) */
};

#define SMTP_PENDING_MAX	64

/* A command on its way: sent, its reply not yet in. */
struct smtp_sent {
	enum smtp_cmd	 cmd;
	char		 verb[SMTP_VERB_MAX];
	unsigned long	 id;		/* numbered from 1 for the connection */
	int		 sync;		/* what follows waits for this reply */
	int		 last;		/* BDAT ... LAST */
	struct timespec	 when;
};

/* What happened since the EHLO answer the capabilities are compared with. */
#define SMTP_SINCE_TLS	0x1
#define SMTP_SINCE_AUTH	0x2

struct smtp {
	enum smtp_state	 state;
	struct timespec	 greeting_due;	/* when the server could first speak SMTP */
	struct smtp_sent pending[SMTP_PENDING_MAX];	/* a ring */
	size_t		 head, npending;
	unsigned long	 next_id;
	char		**caps;		/* EHLO lines after the first: "SIZE 1000", ... */
	size_t		 ncaps;
	int		 ehlo;		/* EHLO answered 250 since connect or TLS */
	int		 helo;		/* that was HELO's answer: no capabilities */
	/*
	 * The capabilities of the EHLO answer before the last (kept across TLS), what
	 * happened since they came, and what the last answer changed after TLS or AUTH:
	 * "+AUTH PLAIN LOGIN, -STARTTLS", "" for nothing, or NULL when there was
	 * nothing to compare or neither TLS nor AUTH came between the answers.
	 */
	char		**before;
	size_t		 nbefore;
	int		 hasbefore;
	int		 since;		/* SMTP_SINCE_*, since caps (or before) came */
	char		*changed;
	int		 changed_by;	/* SMTP_SINCE_* between the two answers */
	int		 tls;		/* TLS is up */
	int		 authed;	/* AUTH answered 235 on this connection */
};

void		 smtp_init(struct smtp *);
/* The one transition function: change the state, saying why in the trace. */
void		 smtp_set_state(struct smtp *, enum smtp_state, const char *why);
/* Forget everything (a new connection, or the end of one). */
void		 smtp_reset(struct smtp *, enum smtp_state);
/* TLS came up: the server forgets what it advertised, a new EHLO is due. With implicit
 * TLS the greeting is still to come. */
void		 smtp_tls_up(struct smtp *, int implicit);

/* What a line typed now would be, from the state alone. */
enum smtp_line	 smtp_line_kind(const struct smtp *);
/* What the command with this verb is. */
enum smtp_cmd	 smtp_classify(const char *verb);
/* The reply to cmd decides what later lines mean, or the server cannot pipeline:
 * nothing more goes out until it arrives. */
int		 smtp_is_sync(const struct smtp *, enum smtp_cmd);
/* Record a command that went out; its reply is awaited. last: BDAT ... LAST. */
const struct smtp_sent *smtp_sent(struct smtp *, enum smtp_cmd, const char *verb,
		    int last);
/* A sent command whose reply decides what comes next is still unanswered, or no room
 * is left to record another. */
int		 smtp_must_wait(const struct smtp *);
/*
 * Record a complete reply: pair it with the oldest command awaiting one (*cmd filled,
 * 1 returned), or 0 for the greeting or an unasked-for reply. Moves the state along.
 */
int		 smtp_reply(struct smtp *, const struct reply *, struct smtp_sent *cmd,
		    enum smtp_action *);

/*
 * How long the reply now arriving took in ms: from the command it answers, or for the
 * greeting from when it became due (connected, or implicit TLS up); -1 when it
 * answers nothing.
 */
long		 smtp_latency(const struct smtp *);

/* A reply is awaited (the greeting or a command's). */
int		 smtp_waiting(const struct smtp *);
/* The oldest command awaiting its reply, or NULL; the newest with smtp_pending_last. */
const struct smtp_sent *smtp_pending_first(const struct smtp *);
const struct smtp_sent *smtp_pending_last(const struct smtp *);
/* The verb of the oldest command awaiting its reply, or NULL. */
const char	*smtp_pending_verb(const struct smtp *);
/* Parameters of an advertised EHLO keyword ("" when it has none), or NULL if absent. */
const char	*smtp_cap(const struct smtp *, const char *keyword);

#endif
