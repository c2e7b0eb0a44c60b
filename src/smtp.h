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

/* A person's words for the state, e.g. "in DATA: end with a line holding only ." */
const char	*smtp_state_name(enum smtp_state);
/* Copy the upper-cased first word of line (at most len - 1 bytes) into verb. */
void		 smtp_verb(const char *line, char *verb, size_t len);
/* What follows the first word of line and the white space after it ("" if nothing). */
const char	*smtp_args(const char *line);
/* The body line as it must go on the wire (a leading "." doubled); malloc'd. */
char		*smtp_dotstuff(const char *line);

#endif
