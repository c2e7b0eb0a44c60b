/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Delivery into a Maildir, with the envelope in a sidecar file. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fs.h"
#include "pmaildir.h"
#include "xmalloc.h"

#define PMAILDIR_BUFSIZE	65536

struct pmaildir {
	char		*path;		/* absolute Maildir path */
	char		*envdir;	/* absolute envelopes path */
	char		*host;		/* host part of unique names */
	unsigned long	 seq;		/* unique within this process */
};

struct pmaildir_msg {
	struct pmaildir	*md;
	char		*name;
	char		*tmppath;
	int		 fd;
	int		 error;		/* errno of the first failed write */
	size_t		 len;
	unsigned char	 buf[PMAILDIR_BUFSIZE];
};

/* The host name, made safe for a Maildir file name ('/' and ':' escaped). */
static char *
pmaildir_hostname(void)
{
	char	 host[HOST_NAME_MAX + 1], *out, *p;
	size_t	 i;

	if (gethostname(host, sizeof host) == -1 || host[0] == '\0')
		strcpy(host, "localhost");
	host[sizeof host - 1] = '\0';
	/* The Maildir convention: '/' is \057 and ':' is \072. */
	p = out = xmalloc(strlen(host) * 4 + 1);
	for (i = 0; host[i] != '\0'; i++) {
		if (host[i] == '/')
			p += sprintf(p, "\\057");
		else if (host[i] == ':')
			p += sprintf(p, "\\072");
		else
			*p++ = host[i];
	}
	*p = '\0';
	return (out);
}

static char *
pmaildir_absolute(const char *path)
{
	char	cwd[PATH_MAX];

	if (*path == '/' || getcwd(cwd, sizeof cwd) == NULL)
		return (xstrdup(path));
	return (xasprintf("%s/%s", cwd, path));
}

struct pmaildir *
pmaildir_open(const char *maildir, const char *envdir, char **errstr)
{
	struct pmaildir	*md;
	static const char *const subdirs[] = { "tmp", "new", "cur" };
	char		*sub;
	size_t		 i;

	md = xcalloc(1, sizeof *md);
	md->path = pmaildir_absolute(maildir);
	md->envdir = pmaildir_absolute(envdir);
	md->host = pmaildir_hostname();
	for (i = 0; i < sizeof subdirs / sizeof subdirs[0]; i++) {
		sub = xasprintf("%s/%s", md->path, subdirs[i]);
		if (fs_mkdirs(sub, 0700, errstr) == -1) {
			free(sub);
			pmaildir_free(md);
			return (NULL);
		}
		free(sub);
	}
	if (fs_mkdirs(md->envdir, 0700, errstr) == -1) {
		pmaildir_free(md);
		return (NULL);
	}
	return (md);
}

void
pmaildir_free(struct pmaildir *md)
{
	if (md == NULL)
		return;
	free(md->path);
	free(md->envdir);
	free(md->host);
	free(md);
}

const char *
pmaildir_path(const struct pmaildir *md)
{
	return (md->path);
}

struct pmaildir_msg *
pmaildir_msg_begin(struct pmaildir *md, char **errstr)
{
	struct pmaildir_msg	*msg;
	int			 tries;

	msg = xcalloc(1, sizeof *msg);
	msg->md = md;
	msg->fd = -1;
	for (tries = 0; tries < 100; tries++) {
		msg->name = xasprintf("%lld.%ld_%lu.%s",
		    (long long)time(NULL), (long)getpid(), ++md->seq,
		    md->host);
		msg->tmppath = xasprintf("%s/tmp/%s", md->path,
		    msg->name);
		msg->fd = open(msg->tmppath,
		    O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0600);
		if (msg->fd != -1)
			return (msg);
		if (errno != EEXIST)
			break;
		free(msg->name);
		free(msg->tmppath);
		msg->name = msg->tmppath = NULL;
	}
	*errstr = xasprintf("cannot create a file in %s/tmp: %s",
	    md->path, strerror(errno));
	free(msg->name);
	free(msg->tmppath);
	free(msg);
	return (NULL);
}

static void
pmaildir_msg_flush(struct pmaildir_msg *msg)
{
	unsigned char	*p = msg->buf;
	ssize_t		 n;

	while (msg->len > 0 && msg->error == 0) {
		if ((n = write(msg->fd, p, msg->len)) == -1) {
			if (errno != EINTR)
				msg->error = errno;
			continue;
		}
		p += n;
		msg->len -= n;
	}
	msg->len = 0;
}

void
pmaildir_msg_write(struct pmaildir_msg *msg, const void *data, size_t len)
{
	const unsigned char	*p = data;
	size_t			 n;

	while (len > 0 && msg->error == 0) {
		n = sizeof msg->buf - msg->len;
		if (n > len)
			n = len;
		memcpy(msg->buf + msg->len, p, n);
		msg->len += n;
		p += n;
		len -= n;
		if (msg->len == sizeof msg->buf)
			pmaildir_msg_flush(msg);
	}
}

static void
pmaildir_msg_free(struct pmaildir_msg *msg)
{
	if (msg->fd != -1)
		close(msg->fd);
	free(msg->name);
	free(msg->tmppath);
	free(msg);
}

void
pmaildir_msg_abort(struct pmaildir_msg *msg)
{
	if (msg == NULL)
		return;
	unlink(msg->tmppath);
	pmaildir_msg_free(msg);
}

int
pmaildir_msg_commit(struct pmaildir_msg *msg, const char *sender,
    char *const *rcpts, size_t nrcpts, char **name, char **path,
    char **errstr)
{
	struct pmaildir	*md = msg->md;
	char		*env, *envpath, *newpath, *tmp;
	size_t		 i;
	int		 fd = msg->fd;

	pmaildir_msg_flush(msg);
	if (msg->error == 0 && fsync(fd) == -1)
		msg->error = errno;
	msg->fd = -1;
	if (close(fd) == -1 && msg->error == 0)
		msg->error = errno;
	if (msg->error != 0) {
		*errstr = xasprintf("cannot write %s: %s", msg->tmppath,
		    strerror(msg->error));
		pmaildir_msg_abort(msg);
		return (-1);
	}

	/* The envelope first, so a message in new/ always has one. */
	env = xasprintf("MAIL FROM:<%s>\n", sender);
	for (i = 0; i < nrcpts; i++) {
		tmp = xasprintf("%sRCPT TO:<%s>\n", env, rcpts[i]);
		free(env);
		env = tmp;
	}
	envpath = xasprintf("%s/%s", md->envdir, msg->name);
	if (fs_write_atomic(envpath, env, strlen(env), 0600, errstr) == -1) {
		free(env);
		free(envpath);
		pmaildir_msg_abort(msg);
		return (-1);
	}
	free(env);

	newpath = xasprintf("%s/new/%s", md->path, msg->name);
	if (rename(msg->tmppath, newpath) == -1) {
		*errstr = xasprintf("cannot move %s to %s: %s",
		    msg->tmppath, newpath, strerror(errno));
		unlink(envpath);
		free(envpath);
		free(newpath);
		pmaildir_msg_abort(msg);
		return (-1);
	}
	free(envpath);
	*name = msg->name;
	msg->name = NULL;
	*path = newpath;
	pmaildir_msg_free(msg);
	return (0);
}
