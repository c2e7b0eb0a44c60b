/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Finding and reading the help files (help/): which topic is which file is cmd-help.c's. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "help.h"
#include "xmalloc.h"

#define HELP_MAX	(256 * 1024)

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

char *
help_read(const char *file, char **errstr)
{
	const char	*dir = help_dir();
	FILE		*f;
	char		*buf, *path;
	size_t		 n;

	if (dir == NULL) {
		*errstr = xasprintf("the help files are not installed (looked in "
		    "$SMTPCON_HELPDIR, next to the program and in %s)", HELPDIR);
		return (NULL);
	}
	path = xasprintf("%s/%s.txt", dir, file);
	if ((f = fopen(path, "r")) == NULL) {
		*errstr = xasprintf("cannot read %s: %s", path, strerror(errno));
		free(path);
		return (NULL);
	}
	free(path);
	buf = xmalloc(HELP_MAX + 1);
	n = fread(buf, 1, HELP_MAX, f);
	buf[n] = '\0';
	fclose(f);
	return (buf);
}
