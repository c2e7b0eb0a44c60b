/*
 * The SMTP dialogue state, kept without any I/O: the session tells it what was sent and
 * what came back, and it says what state the dialogue is in, what a typed line is (a
 * command, a body line, an AUTH answer), and what the engine must do next (start TLS...).
 */
#ifndef SMTP_H
#define SMTP_H

#include <stddef.h>

#include "reply.h"

enum smtp_state {
	SMTP_CLOSED,		/* no connection */
	SMTP_CONNECTING,	/* TCP connect under way */
	SMTP_HANDSHAKE,		/* TLS handshake under way */
	SMTP_GREETING,		/* waiting for the server's greeting */
	SMTP_READY,		/* commands can be sent */
	SMTP_AUTH,		/* the server asked (334) for an AUTH answer */
	SMTP_DATA,		/* after 354: body lines until a lone "." */
	SMTP_QUIT		/* QUIT answered or under way: the end */
};

enum smtp_line {
	SMTP_LINE_COMMAND,
	SMTP_LINE_BODY,
	SMTP_LINE_AUTH
};

enum smtp_action {
	SMTP_ACT_NONE,
	SMTP_ACT_STARTTLS,	/* the server said go: run the handshake now */
	SMTP_ACT_CLOSING	/* the server announced it is closing (221, 421) */
};

#define SMTP_PENDING_MAX	64
#define SMTP_VERB_MAX		16

struct smtp {
	enum smtp_state	 state;
	char		 pending[SMTP_PENDING_MAX][SMTP_VERB_MAX];	/* awaiting replies */
	size_t		 head, npending;
	char		**caps;		/* EHLO lines after the first: "SIZE 1000", ... */
	size_t		 ncaps;
	int		 ehlo;		/* EHLO answered 250 since connect or TLS */
	int		 tls;		/* TLS is up */
	int		 authed;
	char		 auth_mech[SMTP_VERB_MAX];	/* of the AUTH in progress */
	int		 auth_step;	/* 334 challenges answered so far */
};

void		 smtp_init(struct smtp *);
/* Forget everything (a new connection, or the end of one). */
void		 smtp_reset(struct smtp *, enum smtp_state);
/* TLS came up: the server forgets what it advertised, a new EHLO is due. With implicit
 * TLS the greeting is still to come. */
void		 smtp_tls_up(struct smtp *, int implicit);

/* What a line typed now would be. */
enum smtp_line	 smtp_line_kind(const struct smtp *);
/* Record that line (of smtp_line_kind) was sent. */
void		 smtp_sent(struct smtp *, const char *line);
/* Record a complete reply; *verb gets the command it answers ("" for the greeting). */
enum smtp_action smtp_reply(struct smtp *, const struct reply *, const char **verb);

/* A reply is awaited (the greeting or a command's). */
int		 smtp_waiting(const struct smtp *);
/* The verb of the oldest command awaiting its reply, or NULL. */
const char	*smtp_pending_verb(const struct smtp *);
/* Parameters of an advertised EHLO keyword ("" when it has none), or NULL if absent. */
const char	*smtp_cap(const struct smtp *, const char *keyword);
/* A person's words for the state, e.g. "in DATA: end with a line holding only ." */
const char	*smtp_state_name(enum smtp_state);

/* Copy the upper-cased first word of line (at most len - 1 bytes) into verb. */
void		 smtp_verb(const char *line, char *verb, size_t len);
/* What follows the first word of line and the white space after it ("" if nothing). */
const char	*smtp_args(const char *line);
/* The body line as it must go on the wire (a leading "." doubled); malloc'd. */
char		*smtp_dotstuff(const char *line);

#endif
