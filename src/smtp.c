/* The SMTP dialogue: state, commands awaiting replies, what the server advertised. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "smtp-int.h"
#include "trace.h"
#include "xmalloc.h"

static const char *smtp_state_names[] = {
	"not connected",
	"connecting",
	"TLS handshake",
	"waiting for the greeting",
	"ready",
	"AUTH: answer the server's question",
	"in DATA: end with a line holding only .",
	"in BDAT: the lines of the chunk",
	"closing"
};

/* Short names for the trace. */
static const char *smtp_state_keys[] = {
	"CLOSED", "CONNECTING", "HANDSHAKE", "GREETING", "READY", "AUTH", "DATA",
	"BDAT", "QUIT"
};

/*
 * The verbs smtpcon knows, in the order of a dialogue: what the engine makes of each,
 * what Tab completes it to and its help topic. Help, completion and smtp_classify()
 * all read this table; a verb added here is completed and, with a topic, has help.
 */
static const struct smtp_verb_entry smtp_verbs[] = {
	{ "EHLO", "EHLO", "say who you are; get the extension list", "smtp-ehlo",
	  SMTP_CMD_EHLO },
	{ "HELO", "HELO", "the old EHLO: no extension list", "smtp-ehlo",
	  SMTP_CMD_HELO },
	{ "LHLO", NULL, "EHLO for LMTP", NULL, SMTP_CMD_EHLO },
	{ "STARTTLS", "STARTTLS", "switch to TLS; then send EHLO again",
	  "smtp-starttls", SMTP_CMD_STARTTLS },
	{ "AUTH", "AUTH", "log in", "smtp-auth", SMTP_CMD_AUTH },
	{ "MAIL", "MAIL FROM:<", "the envelope sender", "smtp-mail", SMTP_CMD_MAIL },
	{ "RCPT", "RCPT TO:<", "one recipient; repeat for more", "smtp-rcpt",
	  SMTP_CMD_RCPT },
	{ "DATA", "DATA", "the message; end with a line holding only .",
	  "smtp-data", SMTP_CMD_DATA },
	{ "BDAT", "BDAT", "the message in counted chunks (CHUNKING)", "smtp-bdat",
	  SMTP_CMD_BDAT },
	{ "RSET", "RSET", "drop the message, start over", "smtp-rset",
	  SMTP_CMD_RSET },
	{ "NOOP", "NOOP", "still there?", "smtp-noop", SMTP_CMD_OTHER },
	{ "VRFY", "VRFY", "does this user exist?", "smtp-vrfy", SMTP_CMD_OTHER },
	{ "EXPN", "EXPN", "who is on this list?", NULL, SMTP_CMD_OTHER },
	{ "HELP", "HELP", "the server's own help", NULL, SMTP_CMD_OTHER },
	{ "QUIT", "QUIT", "say goodbye; the server closes", "smtp-quit",
	  SMTP_CMD_QUIT }
};

const char *
smtp_state_name(enum smtp_state st)
{
	if ((size_t)st >= sizeof smtp_state_names / sizeof smtp_state_names[0])
		return ("?");
	return (smtp_state_names[st]);
}

static const char *
smtp_state_key(enum smtp_state st)
{
	if ((size_t)st >= sizeof smtp_state_keys / sizeof smtp_state_keys[0])
		return ("?");
	return (smtp_state_keys[st]);
}

void
smtp_set_state(struct smtp *s, enum smtp_state st, const char *why)
{
	if (s->state != st)
		trace_log("state %s -> %s (%s)", smtp_state_key(s->state),
		    smtp_state_key(st), why);
	s->state = st;
}

static void
smtp_free_caps(struct smtp *s)
{
	size_t	i;

	for (i = 0; i < s->ncaps; i++)
		free(s->caps[i]);
	free(s->caps);
	s->caps = NULL;
	s->ncaps = 0;
	s->ehlo = 0;
}

void
smtp_init(struct smtp *s)
{
	memset(s, 0, sizeof *s);
	s->state = SMTP_CLOSED;
}

void
smtp_reset(struct smtp *s, enum smtp_state st)
{
	smtp_free_caps(s);
	smtp_set_state(s, st, "connection reset");
	s->head = s->npending = 0;
	s->next_id = 0;
	s->tls = s->authed = 0;
}

void
smtp_tls_up(struct smtp *s, int implicit)
{
	smtp_free_caps(s);
	s->tls = 1;
	s->head = s->npending = 0;
	smtp_set_state(s, implicit ? SMTP_GREETING : SMTP_READY, "TLS is up");
}

void
smtp_verb(const char *line, char *verb, size_t len)
{
	size_t	i;

	while (isspace((unsigned char)*line))
		line++;
	for (i = 0; i + 1 < len && line[i] != '\0' &&
	    !isspace((unsigned char)line[i]); i++)
		verb[i] = toupper((unsigned char)line[i]);
	verb[i] = '\0';
}

const char *
smtp_args(const char *line)
{
	while (isspace((unsigned char)*line))
		line++;
	while (*line != '\0' && !isspace((unsigned char)*line))
		line++;
	while (isspace((unsigned char)*line))
		line++;
	return (line);
}

char *
smtp_dotstuff(const char *line)
{
	if (line[0] == '.')
		return (xasprintf(".%s", line));
	return (xstrdup(line));
}

enum smtp_line
smtp_line_kind(const struct smtp *s)
{
	if (s->state == SMTP_DATA || s->state == SMTP_BDAT)
		return (SMTP_LINE_BODY);
	if (s->state == SMTP_AUTH)
		return (SMTP_LINE_AUTH);
	return (SMTP_LINE_COMMAND);
}

size_t
smtp_verb_count(void)
{
	return (sizeof smtp_verbs / sizeof smtp_verbs[0]);
}

const struct smtp_verb_entry *
smtp_verb_at(size_t i)
{
	if (i >= smtp_verb_count())
		return (NULL);
	return (&smtp_verbs[i]);
}

const struct smtp_verb_entry *
smtp_verb_find(const char *name)
{
	size_t	i;

	for (i = 0; i < smtp_verb_count(); i++) {
		if (strcasecmp(name, smtp_verbs[i].name) == 0)
			return (&smtp_verbs[i]);
	}
	return (NULL);
}

enum smtp_cmd
smtp_classify(const char *verb)
{
	const struct smtp_verb_entry	*e;

	if ((e = smtp_verb_find(verb)) == NULL)
		return (SMTP_CMD_OTHER);
	return (e->cmd);
}

int
smtp_is_sync(const struct smtp *s, enum smtp_cmd cmd)
{
	/* RFC 2920: only these may be followed by more commands before the reply. */
	if (smtp_cap(s, "PIPELINING") == NULL)
		return (1);
	return (!(cmd == SMTP_CMD_MAIL || cmd == SMTP_CMD_RCPT ||
	    cmd == SMTP_CMD_RSET));
}

const struct smtp_sent *
smtp_sent(struct smtp *s, enum smtp_cmd cmd, const char *verb, int last)
{
	struct smtp_sent	*p;

	/* smtp_must_wait() keeps the ring from filling; a full one never overwrites. */
	if (s->npending == SMTP_PENDING_MAX)
		return (NULL);
	p = &s->pending[(s->head + s->npending) % SMTP_PENDING_MAX];
	memset(p, 0, sizeof *p);
	p->cmd = cmd;
	snprintf(p->verb, sizeof p->verb, "%s", verb);
	p->id = ++s->next_id;
	p->last = last;
	/* A BDAT chunk before LAST needs no reply before the next one with PIPELINING. */
	p->sync = cmd == SMTP_CMD_BDAT && !last && smtp_cap(s, "PIPELINING") != NULL ?
	    0 : smtp_is_sync(s, cmd);
	clock_gettime(CLOCK_MONOTONIC, &p->when);
	s->npending++;
	trace_log("sent #%lu %s%s (%s; %zu awaiting replies)", p->id, p->verb,
	    p->last ? " LAST" : "", p->sync ? "sync point" : "pipelined",
	    s->npending);
	if (cmd == SMTP_CMD_DOT && s->state == SMTP_DATA)
		smtp_set_state(s, SMTP_READY, "end of DATA sent");
	else if (cmd == SMTP_CMD_ANSWER && s->state == SMTP_AUTH)
		smtp_set_state(s, SMTP_READY, "AUTH answer sent");
	else if (cmd == SMTP_CMD_BDAT && last && s->state == SMTP_BDAT)
		smtp_set_state(s, SMTP_READY, "last BDAT chunk sent");
	return (p);
}

int
smtp_must_wait(const struct smtp *s)
{
	size_t	i;

	if (s->npending >= SMTP_PENDING_MAX)
		return (1);
	for (i = 0; i < s->npending; i++)
		if (s->pending[(s->head + i) % SMTP_PENDING_MAX].sync)
			return (1);
	return (0);
}

const struct smtp_sent *
smtp_pending_first(const struct smtp *s)
{
	if (s->npending == 0)
		return (NULL);
	return (&s->pending[s->head]);
}

const struct smtp_sent *
smtp_pending_last(const struct smtp *s)
{
	if (s->npending == 0)
		return (NULL);
	return (&s->pending[(s->head + s->npending - 1) % SMTP_PENDING_MAX]);
}

const char *
smtp_pending_verb(const struct smtp *s)
{
	return (s->npending == 0 ? NULL : s->pending[s->head].verb);
}

int
smtp_waiting(const struct smtp *s)
{
	return (s->state == SMTP_GREETING || s->npending > 0);
}

const char *
smtp_cap(const struct smtp *s, const char *keyword)
{
	size_t	 i, n = strlen(keyword);

	for (i = 0; i < s->ncaps; i++) {
		if (strncasecmp(s->caps[i], keyword, n) == 0 &&
		    (s->caps[i][n] == '\0' || s->caps[i][n] == ' ' ||
		    s->caps[i][n] == '='))
			return (s->caps[i][n] == '\0' ? "" : s->caps[i] + n + 1);
	}
	return (NULL);
}

static void
smtp_set_caps(struct smtp *s, const struct reply *r)
{
	size_t	i;

	smtp_free_caps(s);
	s->ehlo = 1;
	if (r->nlines < 2)
		return;
	s->caps = xcalloc(r->nlines - 1, sizeof *s->caps);
	for (i = 1; i < r->nlines; i++)
		s->caps[s->ncaps++] = xstrdup(reply_text(r, i));
}

int
smtp_reply(struct smtp *s, const struct reply *r, struct smtp_sent *cmd,
    enum smtp_action *act)
{
	int	cls = reply_class(r);

	*act = SMTP_ACT_NONE;
	memset(cmd, 0, sizeof *cmd);
	if (s->state == SMTP_GREETING) {
		trace_log("reply %d is the greeting", r->code);
		if (r->code == 421) {
			*act = SMTP_ACT_CLOSING;
			smtp_set_state(s, SMTP_QUIT, "421 in the greeting");
		} else
			smtp_set_state(s, SMTP_READY, "greeting received");
		return (0);
	}
	if (s->npending == 0) {
		/* Unasked-for: a 421 before closing, or a broken server. */
		trace_log("reply %d answers no command", r->code);
		if (r->code == 421 || r->code == 221) {
			*act = SMTP_ACT_CLOSING;
			smtp_set_state(s, SMTP_QUIT, "unasked-for 421/221");
		}
		return (0);
	}
	*cmd = s->pending[s->head];
	s->head = (s->head + 1) % SMTP_PENDING_MAX;
	s->npending--;
	trace_log("reply %d pairs with #%lu %s", r->code, cmd->id, cmd->verb);

	if (r->code == 421) {
		*act = SMTP_ACT_CLOSING;
		smtp_set_state(s, SMTP_QUIT, "421: the server is closing");
		return (1);
	}
	switch (cmd->cmd) {
	case SMTP_CMD_EHLO:
		if (cls == 2)
			smtp_set_caps(s, r);
		break;
	case SMTP_CMD_HELO:
		if (cls == 2) {
			smtp_free_caps(s);
			s->ehlo = 1;
		}
		break;
	case SMTP_CMD_STARTTLS:
		if (r->code == 220) {
			*act = SMTP_ACT_STARTTLS;
			smtp_set_state(s, SMTP_HANDSHAKE, "220 to STARTTLS");
		}
		break;
	case SMTP_CMD_AUTH:
	case SMTP_CMD_ANSWER:
		if (r->code == 334 && s->npending == 0)
			smtp_set_state(s, SMTP_AUTH, "334: the server asks");
		else if (r->code == 235)
			s->authed = 1;
		break;
	case SMTP_CMD_DATA:
		if (r->code == 354 && s->npending == 0)
			smtp_set_state(s, SMTP_DATA, "354 to DATA");
		break;
	case SMTP_CMD_QUIT:
		smtp_set_state(s, SMTP_QUIT, "QUIT answered");
		*act = SMTP_ACT_CLOSING;
		break;
	default:
		break;
	}
	return (1);
}
