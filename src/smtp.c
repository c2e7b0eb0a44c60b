/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
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
	{ "EXPN", "EXPN", "who is on this list?", "smtp-expn", SMTP_CMD_OTHER },
	{ "HELP", "HELP", "the server's own help", "smtp-help", SMTP_CMD_OTHER },
	{ "ETRN", "ETRN", "send the mail held for a domain (RFC 1985)",
	  "smtp-etrn", SMTP_CMD_OTHER },
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
	/* The greeting's latency counts from here. */
	if (st == SMTP_GREETING && s->state != st)
		clock_gettime(CLOCK_MONOTONIC, &s->greeting_due);
	s->state = st;
}

static void
smtp_free_list(char **list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

static void
smtp_free_caps(struct smtp *s)
{
	smtp_free_list(s->caps, s->ncaps);
	s->caps = NULL;
	s->ncaps = 0;
	s->ehlo = s->helo = 0;
}

/* Keep the capabilities of an EHLO answer to compare the next one with. */
static void
smtp_keep_caps(struct smtp *s)
{
	if (!s->ehlo || s->helo) {
		smtp_free_caps(s);
		return;
	}
	smtp_free_list(s->before, s->nbefore);
	s->before = s->caps;
	s->nbefore = s->ncaps;
	s->hasbefore = 1;
	s->caps = NULL;
	s->ncaps = 0;
	s->ehlo = 0;
}

static void
smtp_forget_before(struct smtp *s)
{
	smtp_free_list(s->before, s->nbefore);
	s->before = NULL;
	s->nbefore = s->hasbefore = s->since = 0;
	free(s->changed);
	s->changed = NULL;
	s->changed_by = 0;
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
	smtp_forget_before(s);
	smtp_set_state(s, st, "connection reset");
	s->head = s->npending = 0;
	s->next_id = 0;
	s->tls = s->authed = 0;
}

void
smtp_tls_up(struct smtp *s, int implicit)
{
	smtp_keep_caps(s);
	s->since |= SMTP_SINCE_TLS;
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

/* The keyword of a capability line: up to a space or '=' ("AUTH=LOGIN" is AUTH's). */
static size_t
smtp_keylen(const char *cap)
{
	return (strcspn(cap, " ="));
}

static int
smtp_is_key(const char *cap, const char *kw, size_t len)
{
	return (smtp_keylen(cap) == len && strncasecmp(cap, kw, len) == 0);
}

/* Whether list[0..n) has a line with keyword kw (len bytes). */
static int
smtp_has_key(char **list, size_t n, const char *kw, size_t len)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (smtp_is_key(list[i], kw, len))
			return (1);
	return (0);
}

/* The AUTH mechanisms list[0..n) offers, each once, in order: a malloc'd array. */
static char **
smtp_mechs(char **list, size_t n, size_t *nmech)
{
	char	**m = NULL, *copy, *p, *w;
	size_t	 i, k;

	*nmech = 0;
	for (i = 0; i < n; i++) {
		if (!smtp_is_key(list[i], "AUTH", 4))
			continue;
		copy = xstrdup(list[i] + 4);
		for (p = copy; (w = strsep(&p, " =")) != NULL;) {
			for (k = 0; k < *nmech && strcasecmp(m[k], w) != 0; k++)
				;
			if (*w == '\0' || k < *nmech)
				continue;
			m = xreallocarray(m, *nmech + 1, sizeof *m);
			m[(*nmech)++] = xstrdup(w);
		}
		free(copy);
	}
	return (m);
}

/* Append " <sign>MECH" to *out for each mechanism of a that b lacks. */
static void
smtp_mechs_diff(char **a, size_t na, char **b, size_t nb, const char *sign,
    char **out)
{
	size_t	 i, k;
	char	*s;

	for (i = 0; i < na; i++) {
		for (k = 0; k < nb && strcasecmp(a[i], b[k]) != 0; k++)
			;
		if (k < nb)
			continue;
		s = xasprintf("%s %s%s", *out, sign, a[i]);
		free(*out);
		*out = s;
	}
}

/*
 * Append to *out the keywords of a (each once) that b lacks: "+KW" or "-KW"; a new
 * AUTH says what it offers: "+AUTH " and the mechanisms m[0..nm).
 */
static void
smtp_keys_diff(char **a, size_t na, char **b, size_t nb, char sign, char **m,
    size_t nm, char **out)
{
	size_t	 i, len;
	char	*s;

	for (i = 0; i < na; i++) {
		len = smtp_keylen(a[i]);
		if (smtp_has_key(a, i, a[i], len) || smtp_has_key(b, nb, a[i], len))
			continue;
		s = xasprintf("%s%s%c%.*s", *out, **out != '\0' ? ", " : "", sign,
		    (int)len, a[i]);
		free(*out);
		*out = s;
		if (sign == '+' && smtp_is_key(a[i], "AUTH", 4))
			smtp_mechs_diff(m, nm, NULL, 0, "", out);
	}
}

/* What changed from before to caps: "+AUTH PLAIN LOGIN, -STARTTLS, AUTH +X -Y". */
static char *
smtp_caps_diff(const struct smtp *s)
{
	char	**now, **was, *out = xstrdup(""), *mechs = xstrdup(""), *t;
	size_t	  nnow, nwas, i;
	int	  auth_now, auth_was;

	now = smtp_mechs(s->caps, s->ncaps, &nnow);
	was = smtp_mechs(s->before, s->nbefore, &nwas);
	auth_now = smtp_has_key(s->caps, s->ncaps, "AUTH", 4);
	auth_was = smtp_has_key(s->before, s->nbefore, "AUTH", 4);
	smtp_keys_diff(s->caps, s->ncaps, s->before, s->nbefore, '+', now, nnow,
	    &out);
	smtp_keys_diff(s->before, s->nbefore, s->caps, s->ncaps, '-', NULL, 0, &out);
	if (auth_now && auth_was) {
		smtp_mechs_diff(now, nnow, was, nwas, "+", &mechs);
		smtp_mechs_diff(was, nwas, now, nnow, "-", &mechs);
		if (*mechs != '\0') {
			t = xasprintf("%s%sAUTH%s", out, *out != '\0' ? ", " : "",
			    mechs);
			free(out);
			out = t;
		}
	}
	for (i = 0; i < nnow; i++)
		free(now[i]);
	for (i = 0; i < nwas; i++)
		free(was[i]);
	free(now);
	free(was);
	free(mechs);
	return (out);
}

/* An EHLO answer: its capabilities, and what changed since the last after TLS or AUTH. */
static void
smtp_set_caps(struct smtp *s, const struct reply *r)
{
	size_t	i;

	if (s->ehlo)
		smtp_keep_caps(s);
	s->ehlo = 1;
	if (r->nlines >= 2) {
		s->caps = xcalloc(r->nlines - 1, sizeof *s->caps);
		for (i = 1; i < r->nlines; i++)
			s->caps[s->ncaps++] = xstrdup(reply_text(r, i));
	}
	free(s->changed);
	s->changed = NULL;
	s->changed_by = 0;
	if (s->hasbefore && s->since != 0) {
		s->changed = smtp_caps_diff(s);
		s->changed_by = s->since;
	}
	s->since = 0;
}

long
smtp_latency(const struct smtp *s)
{
	const struct timespec	*t;
	struct timespec		 now;

	if (s->state == SMTP_GREETING)
		t = &s->greeting_due;
	else if (s->npending > 0)
		t = &s->pending[s->head].when;
	else
		return (-1);
	clock_gettime(CLOCK_MONOTONIC, &now);
	return ((now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000);
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
			s->ehlo = s->helo = 1;
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
		else if (r->code == 235) {
			s->authed = 1;
			s->since |= SMTP_SINCE_AUTH;
		}
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
