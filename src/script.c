/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * A console session as a line-mode script, read back from the transcript: what was
 * sent, as sent, is what the replay must send. The engine's notes tell its own lines
 * from the person's ("sent by smtpcon", "counted by smtpcon", "typed: ...").
 */
#include "config.h"

#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fs.h"
#include "script.h"
#include "xmalloc.h"

struct script {
	char		**line;		/* the script's lines, malloc'd */
	size_t		  n, cap;
	size_t		  mark;		/* a typed BDAT's chunk is no further back */
	int		  starttls;	/* --starttls's lines were seen */
	int		  implicit;	/* TLS before the greeting */
	int		  server;	/* a server line was seen */
	int		  auth;		/* AUTH was sent */
	int		  in_auth;	/* client lines are AUTH answers */
	int		  data_sent;	/* DATA awaits its reply */
	int		  body;		/* client lines are body lines */
	int		  chunk;	/* client lines are a counted BDAT's */
	char		 *ehlo;		/* the name of --starttls's EHLO */
};

static void
script_insert(struct script *sc, size_t at, const char *text)
{
	if (sc->n == sc->cap) {
		sc->cap = sc->cap ? sc->cap * 2 : 64;
		sc->line = xreallocarray(sc->line, sc->cap, sizeof *sc->line);
	}
	memmove(sc->line + at + 1, sc->line + at, (sc->n - at) * sizeof *sc->line);
	sc->line[at] = xstrdup(text);
	sc->n++;
}

static void
script_add(struct script *sc, const char *text)
{
	script_insert(sc, sc->n, text);
}

static int
script_verb(const char *text, const char *verb)
{
	size_t	n = strlen(verb);

	return (strncasecmp(text, verb, n) == 0 && (text[n] == '\0' || text[n] == ' '));
}

/* "BDAT n" typed: it goes before the lines of its chunk, which came first. */
static int
script_bdat_typed(struct script *sc, const char *text, char **errstr)
{
	unsigned long long	 want = strtoull(text + 5, NULL, 10), sum = 0;
	size_t			 at = sc->n;

	while (sum < want && at > sc->mark) {
		at--;
		sum += strlen(sc->line[at]) + 2;
	}
	if (sum != want) {
		*errstr = xasprintf("cannot tell the lines of \"%s\" apart (a line "
		    "the transcript shows escaped?): no script written", text);
		return (-1);
	}
	script_insert(sc, at, text);
	sc->mark = sc->n;
	return (0);
}

/* A line the client sent. */
static int
script_client(struct script *sc, const struct tr_entry *e, char **errstr)
{
	const char	*note = e->note != NULL ? e->note : "";
	char		*s;

	if (strcmp(note, "sent by smtpcon") == 0) {
		if (script_verb(e->text, "STARTTLS"))
			sc->starttls = 1;
		else if (script_verb(e->text, "EHLO") && sc->ehlo == NULL &&
		    e->len > 5)
			sc->ehlo = xstrdup(e->text + 5);
		return (0);
	}
	if (sc->in_auth)
		return (0);	/* an answer: never written */
	if (sc->body) {
		/* As typed: line mode dot-stuffs it again. */
		script_add(sc, e->text);
		if (strcmp(e->text, ".") == 0) {
			sc->body = 0;
			sc->mark = sc->n;
		}
		return (0);
	}
	if (strncmp(note, "counted by smtpcon", 18) == 0) {
		/* The chunks of "BDAT" alone: the last one was the "." */
		if (strstr(e->text, " LAST") != NULL) {
			script_add(sc, ".");
			sc->chunk = 0;
			sc->mark = sc->n;
		}
		return (0);
	}
	if (strncmp(note, "typed:", 6) == 0)
		return (script_bdat_typed(sc, e->text, errstr));
	if (sc->chunk) {
		script_add(sc, e->text);
		return (0);
	}
	if (script_verb(e->text, "AUTH")) {
		/* The mechanism only: answers come from --user and --password-file. */
		s = xstrndup(e->text, 5 + strcspn(e->text + 5, " "));
		script_add(sc, s);
		free(s);
		sc->auth = sc->in_auth = 1;
		sc->mark = sc->n;
	} else {
		/* A command, or a line of a "BDAT n" chunk: its BDAT line tells. */
		script_add(sc, e->text);
		sc->data_sent = script_verb(e->text, "DATA");
	}
	return (0);
}

static void
script_entry_state(struct script *sc, const struct tr_entry *e)
{
	if (e->kind == TR_SERVER) {
		sc->server = 1;
		if (sc->in_auth && e->code != 334)
			sc->in_auth = 0;
		if (sc->data_sent && !e->cont) {
			sc->body = e->code == 354;
			sc->data_sent = 0;
		}
	} else if (e->kind == TR_LOCAL) {
		if (!sc->server && strcmp(e->text, "TLS handshake...") == 0)
			sc->implicit = 1;
		else if (strncmp(e->text, "BDAT: type the message", 22) == 0) {
			script_add(sc, "BDAT");
			sc->chunk = 1;
			sc->mark = sc->n;
		}
	}
}

/* An argument for the header's command line, quoted for a shell when it must be. */
static char *
script_quote(const char *arg)
{
	char	*out, *p;
	size_t	 i;

	if (*arg != '\0' && strspn(arg, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
	    "vwxyz0123456789._/:@=+,-[]") == strlen(arg))
		return (xstrdup(arg));
	p = out = xmalloc(strlen(arg) * 4 + 3);
	*p++ = '\'';
	for (i = 0; arg[i] != '\0'; i++) {
		if (arg[i] == '\'') {
			memcpy(p, "'\\''", 4);
			p += 4;
		} else
			/* A comment line holds no line end. */
			*p++ = (unsigned char)arg[i] < ' ' ? '?' : arg[i];
	}
	*p++ = '\'';
	*p = '\0';
	return (out);
}

static void
script_opt(char **cmd, const char *opt, const char *arg)
{
	char	*q = arg != NULL ? script_quote(arg) : NULL, *s;

	s = xasprintf("%s %s%s%s", *cmd, opt, q != NULL ? " " : "", q != NULL ? q : "");
	free(*cmd);
	free(q);
	*cmd = s;
}

/* The header: the command to run the script with, and what it leaves out. */
static char *
script_header(const struct script *sc, const struct opts *o,
    const struct script_target *t)
{
	const struct tls_config	*tls = &o->sess.tls;
	char			*cmd = xstrdup("# smtpcon --batch"), *target, *s;

	if (o->sess.family == AF_INET || o->sess.family == AF_INET6)
		script_opt(&cmd, o->sess.family == AF_INET ? "-4" : "-6", NULL);
	if (sc->implicit)
		script_opt(&cmd, "--tls", NULL);
	else if (sc->starttls) {
		script_opt(&cmd, "--starttls", NULL);
		if (sc->ehlo != NULL)
			script_opt(&cmd, "--ehlo", sc->ehlo);
	}
	if (tls->cafile != NULL)
		script_opt(&cmd, "--cafile", tls->cafile);
	if (tls->sni != NULL)
		script_opt(&cmd, "--sni", tls->sni);
	if (tls->certfile != NULL) {
		script_opt(&cmd, "--cert", tls->certfile);
		script_opt(&cmd, "--key", tls->keyfile);
	}
	if (tls->priority != NULL)
		script_opt(&cmd, "--priority", tls->priority);
	if (tls->version != 0)
		script_opt(&cmd, "--tls-version", tls->version == 12 ? "1.2" : "1.3");
	if (o->sess.insecure)
		script_opt(&cmd, "--insecure", NULL);
	if (sc->auth) {
		script_opt(&cmd, "--user", t->user != NULL ? t->user : "USER");
		script_opt(&cmd, "--password-file", "FILE");
		if (o->authzid != NULL)
			script_opt(&cmd, "--authzid", o->authzid);
	}
	if (t->domain != NULL)
		script_opt(&cmd, "--mx", t->domain);
	target = strchr(t->host, ':') != NULL ? xasprintf("[%s]:%s", t->host,
	    t->port) : xasprintf("%s:%s", t->host, t->port);
	script_opt(&cmd, target, NULL);
	free(target);
	s = xasprintf("%s\n"
	    "# A line-mode script of a console session (/save --script): run the\n"
	    "# command above with this file as standard input. These first lines\n"
	    "# starting with # are comments; after them every line is sent.\n"
	    "# Not written: the lines smtpcon sent by itself (--starttls's EHLO and\n"
	    "# STARTTLS, QUIT at the end of input): the options send them again.\n%s",
	    cmd, sc->auth ? "# Not written: AUTH answers and initial responses. Line "
	    "mode answers\n# from --user and --password-file FILE (a file of "
	    "yours, or set\n# SMTPCON_PASSWORD instead).\n" : "");
	free(cmd);
	return (s);
}

static void
script_free(struct script *sc)
{
	size_t	i;

	for (i = 0; i < sc->n; i++)
		free(sc->line[i]);
	free(sc->line);
	free(sc->ehlo);
}

/* The last connection's first entry: "connecting to ...". */
static int
script_start(const struct transcript *tr, unsigned long *start, char **errstr)
{
	struct tr_entry	*e;
	unsigned long	 seq;

	for (seq = transcript_end(tr); seq-- > 0;) {
		if ((e = transcript_get(tr, seq)) == NULL) {
			*errstr = xstrdup("the start of the connection was dropped "
			    "from the transcript (too long a session): no script "
			    "written");
			return (-1);
		}
		if (e->kind == TR_LOCAL && strncmp(e->text, "connecting to ", 14) == 0) {
			*start = seq;
			return (0);
		}
	}
	*errstr = xstrdup("no connection to write a script of");
	return (-1);
}

int
script_save(const struct transcript *tr, const struct opts *o,
    const struct script_target *t, const char *path, char **errstr)
{
	struct script	 sc;
	struct tr_entry	*e;
	unsigned long	 seq, start;
	char		*head, *buf, *p;
	size_t		 i, len;
	int		 rc = -1;

	if (script_start(tr, &start, errstr) != 0)
		return (-1);
	memset(&sc, 0, sizeof sc);
	for (seq = start; seq < transcript_end(tr); seq++) {
		e = transcript_get(tr, seq);
		if (e->kind == TR_CLIENT && script_client(&sc, e, errstr) != 0)
			goto out;
		script_entry_state(&sc, e);
	}
	head = script_header(&sc, o, t);
	len = strlen(head);
	for (i = 0; i < sc.n; i++)
		len += strlen(sc.line[i]) + 1;
	p = buf = xmalloc(len + 1);
	p = stpcpy(p, head);
	for (i = 0; i < sc.n; i++) {
		p = stpcpy(p, sc.line[i]);
		*p++ = '\n';
	}
	free(head);
	rc = fs_write_atomic(path, buf, len, 0600, errstr);
	free(buf);
out:
	script_free(&sc);
	return (rc);
}
