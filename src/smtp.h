/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The words of the SMTP dialogue that anyone may use: its states and what a typed line
 * is, with small pure helpers on lines. The dialogue model itself (struct smtp: the
 * state, the commands awaiting replies, what the server advertised) is the engine's
 * own, in smtp-int.h; the front ends ask the session (session.h) about it.
 */
#ifndef SMTP_H
#define SMTP_H

#include <stddef.h>

enum smtp_state {
	SMTP_CLOSED,		/* no connection */
	SMTP_CONNECTING,	/* TCP connect under way */
	SMTP_HANDSHAKE,		/* TLS handshake under way */
	SMTP_GREETING,		/* waiting for the server's greeting */
	SMTP_READY,		/* commands can be sent */
	SMTP_AUTH,		/* the server asked (334) for an AUTH answer */
	SMTP_DATA,		/* after 354: body lines until a lone "." */
	SMTP_BDAT,		/* collecting the lines of a BDAT chunk */
	SMTP_QUIT		/* QUIT answered or under way: the end */
};

/* What a line typed now would be. */
enum smtp_line {
	SMTP_LINE_COMMAND,
	SMTP_LINE_BODY,
	SMTP_LINE_AUTH
};

#define SMTP_VERB_MAX		16

/* What a command sent is, for pairing its reply with what it means. */
enum smtp_cmd {
	SMTP_CMD_OTHER,
	SMTP_CMD_EHLO,
	SMTP_CMD_HELO,
	SMTP_CMD_STARTTLS,
	SMTP_CMD_AUTH,
	SMTP_CMD_ANSWER,	/* an AUTH answer, or "*" */
	SMTP_CMD_MAIL,
	SMTP_CMD_RCPT,
	SMTP_CMD_RSET,
	SMTP_CMD_DATA,
	SMTP_CMD_DOT,		/* the "." that ends DATA's body */
	SMTP_CMD_BDAT,
	SMTP_CMD_QUIT
};

/*
 * The verbs smtpcon knows: one table for the engine (smtp_classify), the help topics and
 * Tab completion. Static; never freed.
 */
struct smtp_verb_entry {
	const char	*name;		/* "MAIL" */
	const char	*complete;	/* what Tab completes it to ("MAIL FROM:<"), or NULL */
	const char	*summary;	/* what it does, in a few words */
	const char	*topic;		/* its help file without ".txt" ("smtp-mail"), or NULL */
	enum smtp_cmd	 cmd;
};
/* The number of verbs, and verb i of them (NULL past the end). */
size_t		 smtp_verb_count(void);
const struct smtp_verb_entry *smtp_verb_at(size_t i);
/* The verb called name, in any case, or NULL. */
const struct smtp_verb_entry *smtp_verb_find(const char *name);

/* A person's words for the state, e.g. "in DATA: end with a line holding only ." */
const char	*smtp_state_name(enum smtp_state);
/* Copy the upper-cased first word of line (at most len - 1 bytes) into verb. */
void		 smtp_verb(const char *line, char *verb, size_t len);
/* What follows the first word of line and the white space after it ("" if nothing). */
const char	*smtp_args(const char *line);
/* The body line as it must go on the wire (a leading "." doubled); malloc'd. */
char		*smtp_dotstuff(const char *line);

#endif
