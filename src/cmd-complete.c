/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * What Tab offers on the console's line: the verbs (smtp.c's table) and the console
 * commands (cmd.c's), each command's own words, and what the server advertised. No
 * readline here: ui-input.c hands the candidates to it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "conffile.h"
#include "help.h"
#include "smtp.h"
#include "xmalloc.h"

struct cmd_complete_list {
	char		**v;
	size_t		  n;
	const char	 *text;		/* what the candidates must begin with */
	size_t		  len;
};

static void
cmd_complete_add(struct cmd_complete_list *l, const char *word)
{
	if (strncasecmp(word, l->text, l->len) != 0)
		return;
	l->v = xreallocarray(l->v, l->n + 2, sizeof *l->v);
	l->v[l->n++] = xstrdup(word);
	l->v[l->n] = NULL;
}

/* Each word of a space-separated list. */
static void
cmd_complete_words(struct cmd_complete_list *l, const char *list)
{
	char	*copy = xstrdup(list), *w, *save = NULL;

	for (w = strtok_r(copy, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save))
		cmd_complete_add(l, w);
	free(copy);
}

/* What follows keyword in the EHLO line that starts with it ("PLAIN LOGIN" for AUTH). */
static const char *
cmd_complete_cap(const char *const *caps, const char *keyword)
{
	size_t	i, n = strlen(keyword);

	for (i = 0; caps != NULL && caps[i] != NULL; i++) {
		if (strncasecmp(caps[i], keyword, n) == 0 &&
		    (caps[i][n] == ' ' || caps[i][n] == '\0'))
			return (caps[i] + n + (caps[i][n] == ' '));
	}
	return (NULL);
}

/* MAIL and RCPT: parameters of the extensions the server advertised. */
static void
cmd_complete_params(struct cmd_complete_list *l, const char *const *caps,
    const char *verb)
{
	char	kw[64];
	size_t	i, k;

	for (i = 0; caps != NULL && caps[i] != NULL; i++) {
		for (k = 0; k < sizeof kw - 2 && caps[i][k] != '\0' &&
		    caps[i][k] != ' '; k++)
			kw[k] = caps[i][k];
		kw[k] = '\0';
		if (strcasecmp(kw, "SIZE") == 0 || strcasecmp(kw, "BODY") == 0)
			strcat(kw, "=");
		else if (strcasecmp(kw, "8BITMIME") == 0)
			snprintf(kw, sizeof kw, "BODY=8BITMIME");
		else if (strcasecmp(kw, "DSN") == 0)
			snprintf(kw, sizeof kw, "%s", strcmp(verb, "MAIL") == 0 ?
			    "RET=" : "NOTIFY=");
		else if (strcasecmp(kw, "SMTPUTF8") != 0 &&
		    strcasecmp(kw, "REQUIRETLS") != 0)
			continue;
		cmd_complete_add(l, kw);
	}
}

/* /connect's @names: the config file's profiles, then the built-in ones not shadowed. */
static void
cmd_complete_profiles(struct cmd_complete_list *l)
{
	const struct conffile	*c = conffile_used();
	char			*name;
	size_t			 i;

	for (i = 0; c != NULL && i < c->n; i++) {
		name = xasprintf("@%s", c->profiles[i].name);
		cmd_complete_add(l, name);
		free(name);
	}
	for (i = 0; i < conffile_nbuiltin; i++) {
		if (conffile_find(c, conffile_builtin[i].name) != &conffile_builtin[i])
			continue;
		name = xasprintf("@%s", conffile_builtin[i].name);
		cmd_complete_add(l, name);
		free(name);
	}
}

/* The words after a console command ("/connect --tls", "/help DATA"). */
static void
cmd_complete_args(struct cmd_complete_list *l, const char *name)
{
	const struct cmd	*c;
	const char *const	*p;
	size_t			 i;

	for (i = 0; (c = cmd_at(i)) != NULL; i++) {
		if (strcasecmp(c->name, name) == 0)
			break;
	}
	if (c == NULL)
		return;
	if (strcmp(c->name, "help") == 0) {
		for (p = cmd_help_topics(); *p != NULL; p++)
			cmd_complete_add(l, *p);
		return;
	}
	if (c->words != NULL)
		cmd_complete_words(l, c->words);
	if (strcmp(c->name, "connect") == 0)
		cmd_complete_profiles(l);
}

char **
cmd_complete(const char *line, const char *text, int start, const char *const *caps)
{
	struct cmd_complete_list	 l = { NULL, 0, text, strlen(text) };
	const struct smtp_verb_entry	*v;
	const char			*mechs;
	char				 verb[16], *name;
	size_t				 i;

	smtp_verb(line, verb, sizeof verb);
	if (start == 0) {
		for (i = 0; (v = smtp_verb_at(i)) != NULL; i++) {
			if (v->complete != NULL)
				cmd_complete_add(&l, v->complete);
		}
		for (i = 0; i < cmd_count(); i++) {
			name = xasprintf("/%s", cmd_at(i)->name);
			cmd_complete_add(&l, name);
			free(name);
		}
	} else if (strcmp(verb, "AUTH") == 0) {
		if ((mechs = cmd_complete_cap(caps, "AUTH")) != NULL)
			cmd_complete_words(&l, mechs);
	} else if (strcmp(verb, "MAIL") == 0 || strcmp(verb, "RCPT") == 0)
		cmd_complete_params(&l, caps, verb);
	else if (verb[0] == '/')
		cmd_complete_args(&l, verb + 1);
	return (l.v);
}

void
cmd_complete_free(char **v)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}
