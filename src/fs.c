/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* mkdir -p and atomic file writes. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs.h"
#include "xmalloc.h"

int
fs_mkdirs(const char *dir, mode_t mode, char **errstr)
{
	struct stat	 sb;
	char		*copy, *p, c;
	int		 ret = 0;

	copy = xstrdup(dir);
	for (p = copy + 1; ret == 0; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		/* Make each prefix in turn; an existing one is fine. */
		if (p[-1] != '/') {
			c = *p;
			*p = '\0';
			if (mkdir(copy, mode) == -1 && errno != EEXIST) {
				*errstr = xasprintf("cannot create %s: %s", copy,
				    strerror(errno));
				ret = -1;
			}
			*p = c;
		}
		if (*p == '\0')
			break;
	}
	free(copy);
	if (ret == 0 && (stat(dir, &sb) == -1 || !S_ISDIR(sb.st_mode))) {
		*errstr = xasprintf("%s is not a directory", dir);
		ret = -1;
	}
	return (ret);
}

int
fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
    char **errstr)
{
	const char	*p = data;
	char		*tmp;
	ssize_t		 n;
	int		 fd, saved;

	tmp = xasprintf("%s.tmp%ld", path, (long)getpid());
	unlink(tmp);
	fd = open(tmp, O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, mode);
	if (fd == -1) {
		*errstr = xasprintf("cannot create %s: %s", tmp, strerror(errno));
		free(tmp);
		return (-1);
	}
	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += n;
		len -= n;
	}
	if (fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto fail;
	free(tmp);
	return (0);

fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	*errstr = xasprintf("cannot write %s: %s", path, strerror(saved));
	free(tmp);
	return (-1);
}
