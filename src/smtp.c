/* The SMTP dialogue state machine. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "smtp.h"
#include "xmalloc.h"

static const char *smtp_state_names[] = {
	"not connected",
	"connecting",
	"TLS handshake",
	"waiting for the greeting",
	"ready",
	"AUTH: answer the server's question",
	"in DATA: end with a line holding only .",
	"closing"
};

const char *
smtp_state_name(enum smtp_state st)
{
	if ((size_t)st >= sizeof smtp_state_names / sizeof smtp_state_names[0])
		return ("?");
	return (smtp_state_names[st]);
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
	smtp_init(s);
	s->state = st;
}

void
smtp_tls_up(struct smtp *s, int implicit)
{
	smtp_free_caps(s);
	s->tls = 1;
	s->head = s->npending = 0;
	s->state = implicit ? SMTP_GREETING : SMTP_READY;
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
	if (s->state == SMTP_DATA)
		return (SMTP_LINE_BODY);
	if (s->state == SMTP_AUTH)
		return (SMTP_LINE_AUTH);
	return (SMTP_LINE_COMMAND);
}

static void
smtp_push(struct smtp *s, const char *verb)
{
	size_t	i;

	/* A person cannot outrun 64 replies; if a script does, the oldest is forgotten. */
	if (s->npending == SMTP_PENDING_MAX) {
		s->head = (s->head + 1) % SMTP_PENDING_MAX;
		s->npending--;
	}
	i = (s->head + s->npending) % SMTP_PENDING_MAX;
	snprintf(s->pending[i], SMTP_VERB_MAX, "%s", verb);
	s->npending++;
}

void
smtp_sent(struct smtp *s, const char *line)
{
	char	verb[SMTP_VERB_MAX], mech[SMTP_VERB_MAX];

	switch (smtp_line_kind(s)) {
	case SMTP_LINE_BODY:
		if (strcmp(line, ".") == 0) {
			smtp_push(s, ".");
			s->state = SMTP_READY;
		}
		return;
	case SMTP_LINE_AUTH:
		smtp_push(s, "AUTH");
		s->state = SMTP_READY;
		return;
	case SMTP_LINE_COMMAND:
		break;
	}
	smtp_verb(line, verb, sizeof verb);
	smtp_push(s, verb);
	if (strcmp(verb, "AUTH") == 0) {
		smtp_verb(smtp_args(line), mech, sizeof mech);
		memcpy(s->auth_mech, mech, sizeof mech);
		s->auth_step = 0;
	}
}

const char *
smtp_pending_verb(const struct smtp *s)
{
	if (s->npending == 0)
		return (NULL);
	return (s->pending[s->head]);
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

enum smtp_action
smtp_reply(struct smtp *s, const struct reply *r, const char **verb)
{
	static char	 cur[SMTP_VERB_MAX];
	int		 cls = reply_class(r);

	if (s->state == SMTP_GREETING) {
		*verb = "";
		if (r->code == 421)
			return (SMTP_ACT_CLOSING);
		s->state = SMTP_READY;
		return (SMTP_ACT_NONE);
	}
	if (s->npending == 0) {
		/* Unasked-for: a 421 before closing, or a broken server. */
		*verb = "";
		return (r->code == 421 || r->code == 221 ? SMTP_ACT_CLOSING :
		    SMTP_ACT_NONE);
	}
	memcpy(cur, s->pending[s->head], sizeof cur);
	s->head = (s->head + 1) % SMTP_PENDING_MAX;
	s->npending--;
	*verb = cur;

	if (r->code == 421)
		return (SMTP_ACT_CLOSING);
	if (strcmp(cur, "EHLO") == 0 && cls == 2)
		smtp_set_caps(s, r);
	else if (strcmp(cur, "HELO") == 0 && cls == 2) {
		smtp_free_caps(s);
		s->ehlo = 1;
	} else if (strcmp(cur, "STARTTLS") == 0 && r->code == 220) {
		return (SMTP_ACT_STARTTLS);
	} else if (strcmp(cur, "AUTH") == 0) {
		if (r->code == 334 && s->npending == 0) {
			s->state = SMTP_AUTH;
			s->auth_step++;
		} else if (r->code == 235)
			s->authed = 1;
	} else if (strcmp(cur, "DATA") == 0 && r->code == 354 && s->npending == 0) {
		s->state = SMTP_DATA;
	} else if (strcmp(cur, "QUIT") == 0 && r->code == 221) {
		s->state = SMTP_QUIT;
		return (SMTP_ACT_CLOSING);
	}
	return (SMTP_ACT_NONE);
}
