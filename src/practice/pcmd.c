/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The command table of a practice session and the commands that fit in a few lines. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "paddr.h"
#include "pauth.h"
#include "pbody.h"
#include "pcmd.h"
#include "pgrey.h"
#include "pserver-int.h"
#include "vis.h"
#include "xmalloc.h"

static void
pcmd_helo(struct pserver *s, const char *arg)
{
	char	*name;

	if (arg == NULL) {
		pserver_reply(s, "501 5.5.4 Syntax: HELO hostname");
		return;
	}
	pserver_reset(s);
	s->helo = 'H';
	name = pserver_safe(arg);
	pserver_reply(s, "250 " PSERVER_HOST " greets %s", name);
	free(name);
}

static void
pcmd_ehlo(struct pserver *s, const char *arg)
{
	char	*name, *line;

	if (arg == NULL) {
		pserver_reply(s, "501 5.5.4 Syntax: EHLO hostname");
		return;
	}
	pserver_reset(s);
	s->helo = 'E';
	name = pserver_safe(arg);
	line = xasprintf("250-" PSERVER_HOST " greets %s", name);
	pserver_out(s, line);
	free(line);
	free(name);
	pserver_out(s, "250-PIPELINING");
	line = xasprintf("250-SIZE %d", PSERVER_SIZE_MAX);
	pserver_out(s, line);
	free(line);
	pserver_out(s, "250-8BITMIME");
	pserver_out(s, "250-ENHANCEDSTATUSCODES");
	pserver_out(s, "250-CHUNKING");
	if (s->cfg->tls != NULL && !s->tls_active)
		pserver_out(s, "250-STARTTLS");
	if (!(s->cfg->flags & PSERVER_TLS_REQUIRED) || s->tls_active)
		pserver_out(s, "250-AUTH PLAIN LOGIN CRAM-MD5");
	pserver_reply(s, "250 HELP");
}

static void
pcmd_starttls(struct pserver *s, const char *arg)
{
	size_t	left;

	if (arg != NULL) {
		pserver_reply(s, "501 5.5.4 Syntax: STARTTLS");
		return;
	}
	if (s->tls_active) {
		pserver_reply(s, "503 5.5.1 Error: TLS is already active");
		return;
	}
	if (s->cfg->tls == NULL) {
		pserver_reply(s, "454 4.7.0 TLS not available");
		return;
	}
	pserver_reply(s, "220 2.0.0 Ready to start TLS");
	pserver_set_state(s, PSERVER_STARTTLS);
	/* Never run commands sent before the handshake (CVE-2011-0411). */
	left = s->inlen - s->inoff;
	if (left > 0)
		pserver_log(s, "* ignored %zu bytes sent after STARTTLS "
		    "before the handshake", left);
	s->inoff = s->inlen = 0;
	s->discarding = 0;
}

/*
 * The path of MAIL FROM: (mail) or RCPT TO:, checked: malloc'd, with *at the offset of its
 * '@' (or -1) and *rest what follows it and its spaces; NULL once the reply is sent.
 */
static char *
pcmd_path(struct pserver *s, const char *arg, int mail, long *at, const char **rest)
{
	const char	*p, *end;
	char		*addr;

	if ((p = paddr_keyword(arg, mail ? "FROM:" : "TO:")) == NULL) {
		pserver_reply(s, mail ? "501 5.5.4 Syntax: MAIL FROM:<address>" :
		    "501 5.5.4 Syntax: RCPT TO:<address>");
		return (NULL);
	}
	if ((addr = paddr_path(p, mail, mail, at, &end)) == NULL ||
	    (*end != '\0' && *end != ' ')) {
		free(addr);
		pserver_reply(s, mail ? "501 5.1.7 Bad sender address syntax "
		    "(write MAIL FROM:<user@example.com>)" : "501 5.1.3 Bad recipient "
		    "address syntax (write RCPT TO:<user@example.com>)");
		return (NULL);
	}
	while (*end == ' ')
		end++;
	*rest = end;
	return (addr);
}

static void
pcmd_mail(struct pserver *s, const char *arg)
{
	const char	*end;
	char		*addr, *reply;
	long		 at;

	if (!s->helo) {
		pserver_reply(s, "503 5.5.1 Error: send HELO/EHLO first");
		return;
	}
	if (s->have_mail) {
		pserver_reply(s, "503 5.5.1 Error: nested MAIL command");
		return;
	}
	if ((addr = pcmd_path(s, arg, 1, &at, &end)) == NULL)
		return;
	if ((reply = paddr_params(end)) != NULL) {
		pserver_reply(s, "%s", reply);
		free(reply);
		free(addr);
		return;
	}
	s->have_mail = 1;
	s->mail_from = addr;
	pserver_reply(s, "250 2.1.0 Ok");
}

static void
pcmd_rcpt(struct pserver *s, const char *arg)
{
	const char	*end;
	char		*addr, *vis;
	long		 at;
	size_t		 ulen;

	if (!s->have_mail) {
		pserver_reply(s, "503 5.5.1 Error: need MAIL command");
		return;
	}
	if ((addr = pcmd_path(s, arg, 0, &at, &end)) == NULL)
		return;
	if (*end != '\0') {
		free(addr);
		vis = pserver_safe(end);
		pserver_reply(s, "555 5.5.4 Unsupported parameter %s", vis);
		free(vis);
		return;
	}
	if (s->nrcpts >= PSERVER_RCPT_MAX) {
		free(addr);
		pserver_reply(s, "452 4.5.3 Error: too many recipients");
		return;
	}
	vis = pserver_safe(addr);
	ulen = at == -1 ? strlen(addr) : (size_t)at;
	if (at == -1 || paddr_local_domain(addr + at + 1)) {
		if (!paddr_local_user(addr, ulen)) {
			pserver_reply(s, "550 5.1.1 <%s>: Recipient address "
			    "rejected: User unknown", vis);
			goto out;
		}
	} else if (s->auth_user == NULL) {
		pserver_reply(s, "554 5.7.1 <%s>: Relay access denied", vis);
		goto out;
	}
	if ((s->cfg->flags & PSERVER_GREYLIST) && s->cfg->greylist != NULL &&
	    pgrey_defer(s->cfg->greylist, s->mail_from, addr)) {
		pserver_reply(s, "451 4.7.1 <%s>: Recipient address rejected: "
		    "Greylisted, try again later", vis);
		goto out;
	}
	s->rcpts[s->nrcpts++] = addr;
	addr = NULL;
	pserver_reply(s, "250 2.1.5 Ok");
out:
	free(vis);
	free(addr);
}

static void
pcmd_rset(struct pserver *s, const char *arg)
{
	if (arg != NULL) {
		pserver_reply(s, "501 5.5.4 Syntax: RSET");
		return;
	}
	pserver_reset(s);
	pserver_reply(s, "250 2.0.0 Ok");
}

static void
pcmd_noop(struct pserver *s, const char *arg)
{
	(void)arg;
	pserver_reply(s, "250 2.0.0 Ok");
}

static void
pcmd_vrfy(struct pserver *s, const char *arg)
{
	if (arg == NULL) {
		pserver_reply(s, "501 5.5.4 Syntax: VRFY address");
		return;
	}
	/* Like real servers, do not tell who exists: spammers ask. */
	pserver_reply(s, "252 2.5.2 Cannot VRFY user (servers do not reveal "
	    "who exists), but will accept message and attempt delivery");
}

static void
pcmd_expn(struct pserver *s, const char *arg)
{
	(void)arg;
	pserver_reply(s, "502 5.5.1 EXPN not implemented (servers turn it "
	    "off: it would reveal list members)");
}

static void
pcmd_help(struct pserver *s, const char *arg)
{
	(void)arg;
	pserver_out(s, "214-2.0.0 Commands: HELO EHLO STARTTLS AUTH MAIL RCPT "
	    "DATA BDAT RSET NOOP VRFY HELP QUIT");
	pserver_out(s, "214-2.0.0 A message: EHLO name, MAIL FROM:<you@host>, "
	    "RCPT TO:<demo@" PSERVER_HOST ">,");
	pserver_out(s, "214-2.0.0 DATA, the message, a line with only \".\", "
	    "QUIT.  Login: demo / demo");
	pserver_reply(s, "214 2.0.0 End of HELP info");
}

static void
pcmd_quit(struct pserver *s, const char *arg)
{
	(void)arg;
	pserver_reply(s, "221 2.0.0 Bye");
	pserver_close(s);
}

static const struct pcmd {
	const char	*verb;
	void		(*fn)(struct pserver *, const char *);
	int		 needs_tls;	/* refused before TLS when required */
} pcmd_table[] = {
	{ "HELO", pcmd_helo, 0 },
	{ "EHLO", pcmd_ehlo, 0 },
	{ "STARTTLS", pcmd_starttls, 0 },
	{ "AUTH", pauth_cmd, 1 },
	{ "MAIL", pcmd_mail, 1 },
	{ "RCPT", pcmd_rcpt, 1 },
	{ "DATA", pbody_cmd_data, 1 },
	{ "BDAT", pbody_cmd_bdat, 0 },	/* checks TLS itself */
	{ "RSET", pcmd_rset, 0 },
	{ "NOOP", pcmd_noop, 0 },
	{ "VRFY", pcmd_vrfy, 0 },
	{ "EXPN", pcmd_expn, 0 },
	{ "HELP", pcmd_help, 0 },
	{ "QUIT", pcmd_quit, 0 },
};

void
pcmd_line(struct pserver *s, char *line)
{
	const struct pcmd	*cmd = NULL;
	char				*arg, *end, *vis, *sp;
	size_t				 i;

	/* Hide the secret in an initial AUTH response from the log. */
	if (strncasecmp(line, "AUTH ", 5) == 0 &&
	    (sp = strchr(line + 5, ' ')) != NULL) {
		vis = vis_ascii(line, sp - line, 300);
		pserver_log(s, "C: %s <initial response hidden>", vis);
	} else {
		vis = vis_ascii(line, strlen(line), 300);
		pserver_log(s, "C: %s", vis);
	}
	free(vis);

	if ((arg = strchr(line, ' ')) != NULL) {
		*arg++ = '\0';
		while (*arg == ' ')
			arg++;
		end = arg + strlen(arg);
		while (end > arg && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (*arg == '\0')
			arg = NULL;
	}
	if (*line == '\0') {
		pserver_reply(s, "500 5.5.2 Error: bad syntax");
		return;
	}
	for (i = 0; i < sizeof pcmd_table / sizeof pcmd_table[0]; i++) {
		if (strcasecmp(line, pcmd_table[i].verb) == 0) {
			cmd = &pcmd_table[i];
			break;
		}
	}
	if (cmd == NULL) {
		pserver_reply(s, "500 5.5.2 Error: command not recognized");
		return;
	}
	if (cmd->needs_tls && (s->cfg->flags & PSERVER_TLS_REQUIRED) &&
	    !s->tls_active) {
		pserver_reply(s, "530 5.7.0 Must issue a STARTTLS command first");
		return;
	}
	cmd->fn(s, arg);
}
