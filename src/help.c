/* Finding and reading help topics. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "help.h"
#include "xmalloc.h"

#define HELP_MAX	(256 * 1024)

static const char *const help_verbs[] = {
	"ehlo", "helo", "starttls", "auth", "mail", "rcpt", "data", "bdat", "rset",
	"noop", "vrfy", "quit", NULL
};
static const char *const help_cmds[] = {
	"connect", "disconnect", "quit", "help", "save", "chain", "clear",
	"timestamps", "tls", "auth", "keys", NULL
};
static const char *const help_all[] = {
	"EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "BDAT",
	"CHUNKING", "RSET", "NOOP", "VRFY", "QUIT", "connect", "disconnect",
	"quit", "help", "save", "chain", "clear", "timestamps", "tls", "auth",
	"keys", NULL
};

const char *const *
help_topics(void)
{
	return (help_all);
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

static int
help_in(const char *const *list, const char *name)
{
	for (; *list != NULL; list++) {
		if (strcmp(*list, name) == 0)
			return (1);
	}
	return (0);
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

char *
help_load(const char *topic, char **errstr)
{
	const char	*dir = help_dir();
	char		 name[32], *path, *text;
	size_t		 i;
	int		 command = 0;

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

	if (name[0] == '\0')
		path = xasprintf("%s/index.txt", dir);
	else if (strcmp(name, "keys") == 0)
		path = xasprintf("%s/keys.txt", dir);
	else if (strcmp(name, "helo") == 0 && !command)
		path = xasprintf("%s/smtp-ehlo.txt", dir);
	else if (strcmp(name, "chunking") == 0 && !command)
		path = xasprintf("%s/smtp-bdat.txt", dir);
	else if (!command && help_in(help_verbs, name))
		path = xasprintf("%s/smtp-%s.txt", dir, name);
	else if (help_in(help_cmds, name))
		path = xasprintf("%s/cmd-%s.txt", dir, name);
	else {
		*errstr = xasprintf("no help on \"%s\": topics are EHLO STARTTLS AUTH "
		    "MAIL RCPT DATA BDAT RSET NOOP VRFY QUIT, the commands "
		    "/connect /disconnect /quit /save /chain /clear /timestamps "
		    "/tls /auth, and keys", topic);
		return (NULL);
	}
	text = help_read(path, errstr);
	free(path);
	return (text);
}
