/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Which help topic is which file: the verbs that have one (smtp.c's table), CHUNKING, the
 * console commands (cmd.c's table) and keys. help.c only finds and reads the files.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "help.h"
#include "smtp.h"
#include "xmalloc.h"

/* Where the help index takes the commands' lines from the command table. */
#define CMD_HELP_INDEX	"@commands\n"

/*
 * The topics are the verbs that have one (smtp.c's table), CHUNKING (the extension BDAT
 * is part of), the console commands (cmd.c's table) and keys: nothing here is a list of
 * its own. The names for completion, built once and kept.
 */
const char *const *
cmd_help_topics(void)
{
	static const char		**all;
	const struct smtp_verb_entry	 *v;
	size_t				  i, n = 0;

	if (all != NULL)
		return (all);
	all = xcalloc(smtp_verb_count() + cmd_count() + 3, sizeof *all);
	for (i = 0; (v = smtp_verb_at(i)) != NULL; i++) {
		if (v->topic != NULL)
			all[n++] = v->name;
	}
	all[n++] = "CHUNKING";
	for (i = 0; i < cmd_count(); i++)
		all[n++] = cmd_at(i)->name;
	all[n++] = "keys";
	all[n] = NULL;
	return (all);
}

/* The index with the commands' lines put in from the table; text is freed. */
static char *
cmd_help_index(char *text)
{
	char	*at, *cmds, *out;

	if ((at = strstr(text, CMD_HELP_INDEX)) == NULL)
		return (text);
	*at = '\0';
	cmds = cmd_index();
	out = xasprintf("%s%s%s", text, cmds, at + strlen(CMD_HELP_INDEX));
	free(cmds);
	free(text);
	return (out);
}

/* "no help on ...": the topics, one for each help file. */
static char *
cmd_help_unknown(const char *topic)
{
	const struct smtp_verb_entry	*v, *w;
	char				*s, *t;
	size_t				 i, k;

	s = xasprintf("no help on \"%s\": topics are", topic);
	for (i = 0; (v = smtp_verb_at(i)) != NULL; i++) {
		/* HELO shares EHLO's topic: name it once. */
		for (k = 0; k < i && (w = smtp_verb_at(k)) != NULL; k++) {
			if (v->topic != NULL && w->topic != NULL &&
			    strcmp(v->topic, w->topic) == 0)
				break;
		}
		if (v->topic == NULL || k < i)
			continue;
		t = xasprintf("%s %s", s, v->name);
		free(s);
		s = t;
	}
	t = xasprintf("%s, the commands", s);
	free(s);
	s = t;
	for (i = 0; i < cmd_count(); i++) {
		t = xasprintf("%s /%s", s, cmd_at(i)->name);
		free(s);
		s = t;
	}
	t = xasprintf("%s, and keys", s);
	free(s);
	return (t);
}

char *
cmd_help_load(const char *topic, char **errstr)
{
	const struct smtp_verb_entry	*v;
	const struct cmd		*c;
	const char			*file;
	char				 name[32], *text;
	size_t				 i;
	int				 command = 0;

	while (*topic == ' ')
		topic++;
	if (*topic == '/') {
		command = 1;
		topic++;
	}
	for (i = 0; topic[i] != '\0' && topic[i] != ' ' && i < sizeof name - 1; i++)
		name[i] = tolower((unsigned char)topic[i]);
	name[i] = '\0';

	/* "auth" is the verb, "/auth" the command. */
	if (name[0] == '\0')
		file = "index";
	else if (strcmp(name, "keys") == 0)
		file = "keys";
	else if (!command && (v = smtp_verb_find(name)) != NULL && v->topic != NULL)
		file = v->topic;
	else if (!command && strcmp(name, "chunking") == 0)
		file = "smtp-bdat";
	else if ((c = cmd_find(name)) != NULL && c->topic != NULL)
		file = c->topic;
	else {
		*errstr = cmd_help_unknown(topic);
		return (NULL);
	}
	text = help_read(file, errstr);
	if (text != NULL && name[0] == '\0')
		text = cmd_help_index(text);
	return (text);
}
