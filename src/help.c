/* Finding and reading help topics. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "help.h"
#include "smtp.h"
#include "xmalloc.h"

#define HELP_MAX	(256 * 1024)

/* Where the help index takes the commands' lines from the command table. */
#define HELP_INDEX_CMDS	"@commands\n"

/*
 * The topics are the verbs that have one (smtp.c's table), CHUNKING (the extension BDAT
 * is part of), the console commands (cmd.c's table) and keys: nothing here is a list of
 * its own. The names for completion, built once and kept.
 */
const char *const *
help_topics(void)
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

static int
help_has_index(const char *dir)
{
	char	*p = xasprintf("%s/index.txt", dir);
	int	 ok = access(p, R_OK) == 0;

	free(p);
	return (ok);
}

const char *
help_dir(void)
{
	static char	 dir[PATH_MAX];
	char		 exe[PATH_MAX - 16], *slash;
	const char	*env;
	ssize_t		 n;

	if (dir[0] != '\0')
		return (dir);
	if ((env = getenv("SMTPCON_HELPDIR")) != NULL && help_has_index(env)) {
		snprintf(dir, sizeof dir, "%s", env);
		return (dir);
	}
	/* Run from the build tree: src/smtpcon finds ../help. */
	if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			snprintf(dir, sizeof dir, "%s/../help", exe);
			if (help_has_index(dir))
				return (dir);
		}
	}
	snprintf(dir, sizeof dir, "%s", HELPDIR);
	if (help_has_index(dir))
		return (dir);
	dir[0] = '\0';
	return (NULL);
}

static char *
help_read(const char *path, char **errstr)
{
	FILE	*f;
	char	*buf;
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL) {
		*errstr = xasprintf("cannot read %s: %s", path, strerror(errno));
		return (NULL);
	}
	buf = xmalloc(HELP_MAX + 1);
	n = fread(buf, 1, HELP_MAX, f);
	buf[n] = '\0';
	fclose(f);
	return (buf);
}

/* The index with the commands' lines put in from the table; text is freed. */
static char *
help_index(char *text)
{
	char	*at, *cmds, *out;

	if ((at = strstr(text, HELP_INDEX_CMDS)) == NULL)
		return (text);
	*at = '\0';
	cmds = cmd_index();
	out = xasprintf("%s%s%s", text, cmds, at + strlen(HELP_INDEX_CMDS));
	free(cmds);
	free(text);
	return (out);
}

/* "no help on ...": the topics, one for each help file. */
static char *
help_unknown(const char *topic)
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
help_load(const char *topic, char **errstr)
{
	const struct smtp_verb_entry	*v;
	const struct cmd		*c;
	const char			*dir = help_dir(), *file;
	char				 name[32], *path, *text;
	size_t				 i;
	int				 command = 0;

	if (dir == NULL) {
		*errstr = xasprintf("the help files are not installed (looked in "
		    "$SMTPCON_HELPDIR, next to the program and in %s)", HELPDIR);
		return (NULL);
	}
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
		*errstr = help_unknown(topic);
		return (NULL);
	}
	path = xasprintf("%s/%s.txt", dir, file);
	text = help_read(path, errstr);
	free(path);
	if (text != NULL && name[0] == '\0')
		text = help_index(text);
	return (text);
}
