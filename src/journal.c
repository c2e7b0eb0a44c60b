/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The session journal: the transcript on disk as it happens, and the pruning of old ones. */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fs.h"
#include "journal.h"
#include "xmalloc.h"
#include "xtime.h"

/* Lines wait here for journal_flush(): one write(2) for many body lines. */
#define JOURNAL_BUF	(256 * 1024)
#define JOURNAL_HOST_MAX 64

struct journal {
	int		 fd;
	char		*path;
	int		 failed;	/* errno of the write that failed, or 0 */
	int		 reported;	/* journal_flush() has said so */
	volatile size_t	 done;		/* buf[0..done) is complete lines */
	size_t		 len;
	char		 buf[JOURNAL_BUF];
};

static int		 journal_off;
static struct journal	*journal_current;

void
journal_disable(void)
{
	journal_off = 1;
}

int
journal_enabled(void)
{
	return (!journal_off);
}

const char *
journal_path(const struct journal *j)
{
	return (j->path);
}

const char *
journal_active_path(void)
{
	return (journal_current != NULL ? journal_current->path : NULL);
}

/* Write buf[0..len) out; a failure stops the journal, not the session. */
static void
journal_write(struct journal *j)
{
	size_t	off = 0;
	ssize_t	n;

	while (off < j->len && !j->failed) {
		n = write(j->fd, j->buf + off, j->len - off);
		if (n == -1) {
			if (errno != EINTR)
				j->failed = errno;
			continue;
		}
		off += n;
	}
	j->done = j->len = 0;
}

static void
journal_put(struct journal *j, const char *p, size_t n)
{
	size_t	k;

	while (n > 0) {
		if (j->len == JOURNAL_BUF)
			journal_write(j);
		k = JOURNAL_BUF - j->len < n ? JOURNAL_BUF - j->len : n;
		memcpy(j->buf + j->len, p, k);
		j->len += k;
		p += k;
		n -= k;
	}
}

void
journal_entry(void *arg, const struct tr_entry *e)
{
	struct journal	*j = arg;
	const char	*m = transcript_marker(e->kind);
	char		 ts[TRANSCRIPT_TIME_MAX], lat[TRANSCRIPT_LATENCY_MAX];
	size_t		 mlen = strlen(m), tlen, llen, nlen, need;
	char		*p;

	if (j == NULL || j->failed)
		return;
	/* As /save has it: millisecond times, and how long each reply took. */
	tlen = transcript_time(e, TRANSCRIPT_STAMP_MS, ts);
	llen = transcript_latency(e, lat);
	nlen = e->note != NULL ? strlen(e->note) : 0;
	need = tlen + 3 + e->len + 1 + (nlen + llen > 0 ? nlen + llen + 8 : 0);
	if (need > JOURNAL_BUF - j->len)
		journal_write(j);
	if (need > JOURNAL_BUF) {
		/* A line longer than the buffer: in pieces. */
		journal_put(j, ts, tlen);
		journal_put(j, m, mlen);
		journal_put(j, "   ", mlen < 2 ? 3 - mlen : 1);
		journal_put(j, e->text, e->len);
		if (nlen + llen > 0) {
			journal_put(j, "    (", 5);
			journal_put(j, lat, llen);
			if (nlen > 0 && llen > 0)
				journal_put(j, "; ", 2);
			journal_put(j, e->note, nlen);
			journal_put(j, ")", 1);
		}
		journal_put(j, "\n", 1);
		j->done = j->len;
		return;
	}
	/* As transcript_format(e, TRANSCRIPT_STAMP_MS) has it. */
	p = j->buf + j->len;
	memcpy(p, ts, tlen);
	p += tlen;
	memcpy(p, m, mlen);
	p += mlen;
	*p++ = ' ';
	if (mlen < 2)
		*p++ = ' ';
	memcpy(p, e->text, e->len);
	p += e->len;
	if (nlen + llen > 0) {
		p = stpcpy(stpcpy(p, "    ("), lat);
		if (nlen > 0 && llen > 0)
			p = stpcpy(p, "; ");
		if (nlen > 0)
			p = stpcpy(p, e->note);
		*p++ = ')';
	}
	*p++ = '\n';
	j->len = p - j->buf;
	j->done = j->len;
}

/* A line of the journal's own (the start, the end), in the transcript's format. */
static void
journal_local(struct journal *j, const char *text)
{
	struct tr_entry	e;
	struct timespec	now;

	memset(&e, 0, sizeof e);
	e.kind = TR_LOCAL;
	clock_gettime(CLOCK_REALTIME, &now);
	e.sec = now.tv_sec;
	e.msec = now.tv_nsec / 1000000;
	e.text = (char *)text;
	e.len = strlen(text);
	journal_entry(j, &e);
}

int
journal_flush(struct journal *j, char **errstr)
{
	if (j == NULL)
		return (0);
	journal_write(j);
	if (j->failed && !j->reported) {
		j->reported = 1;
		*errstr = xasprintf("journal %s: %s: no more lines are written to it",
		    j->path, strerror(j->failed));
		return (-1);
	}
	return (0);
}

void
journal_flush_signal(void)
{
	struct journal	*j = journal_current;
	size_t		 off = 0, len;
	ssize_t		 n;

	if (j == NULL || j->failed)
		return;
	len = j->done;
	while (off < len) {
		n = write(j->fd, j->buf + off, len - off);
		if (n <= 0)
			break;
		off += n;
	}
	j->done = j->len = 0;
}

void
journal_close(struct journal *j, const char *why)
{
	char	*s;

	if (j == NULL)
		return;
	if (why != NULL) {
		s = xasprintf("ended %s", why);
		journal_local(j, s);
		free(s);
	}
	journal_write(j);
	if (journal_current == j)
		journal_current = NULL;
	close(j->fd);
	free(j->path);
	free(j);
}

/*
 * The directory name under parent, made 0700 if missing: not a symbolic link, ours, and
 * closed to others (a directory of ours that is open is closed). Its fd, or -1.
 */
static int
journal_subdir(int parent, const char *dir, const char *name, char **errstr)
{
	struct stat	st;
	int		fd;

	if (mkdirat(parent, name, 0700) == -1 && errno != EEXIST) {
		*errstr = xasprintf("cannot create %s/%s: %s", dir, name,
		    strerror(errno));
		return (-1);
	}
	fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		*errstr = xasprintf("cannot use %s/%s: %s", dir, name,
		    errno == ELOOP || errno == ENOTDIR ? "it is a symbolic link or "
		    "not a directory" : strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == -1 || st.st_uid != geteuid()) {
		*errstr = xasprintf("cannot use %s/%s: it belongs to another user",
		    dir, name);
		close(fd);
		return (-1);
	}
	if ((st.st_mode & 077) != 0 && fchmod(fd, 0700) == -1) {
		*errstr = xasprintf("cannot make %s/%s private: %s", dir, name,
		    strerror(errno));
		close(fd);
		return (-1);
	}
	return (fd);
}

/* A name journal_open() gives: "2026-11-30T22-15-03-....log". */
static int
journal_is_ours(const char *name)
{
	size_t	len = strlen(name);

	return (len > 24 && name[4] == '-' && name[10] == 'T' && name[19] == '-' &&
	    strspn(name, "0123456789") == 4 && strcmp(name + len - 4, ".log") == 0);
}

struct journal_old {
	time_t	 mtime;
	char	*name;
};

/* Newest first; the name breaks ties (it starts with the time). */
static int
journal_old_cmp(const void *a, const void *b)
{
	const struct journal_old	*x = a, *y = b;

	if (x->mtime != y->mtime)
		return (x->mtime < y->mtime ? 1 : -1);
	return (-strcmp(x->name, y->name));
}

/*
 * Delete the journals last written more than JOURNAL_KEEP_DAYS ago, and all but the
 * newest JOURNAL_KEEP - 1 of the others (the one being opened makes JOURNAL_KEEP).
 * Only regular files with names of ours are looked at; nothing else is touched.
 */
static void
journal_prune(int dfd, const char *keep)
{
	struct journal_old	*v = NULL;
	struct dirent		*de;
	struct stat		 st;
	size_t			 n = 0, cap = 0, i;
	time_t			 limit = time(NULL) - (time_t)JOURNAL_KEEP_DAYS * 86400;
	DIR			*d;
	int			 fd;

	if ((fd = dup(dfd)) == -1)
		return;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (!journal_is_ours(de->d_name) || strcmp(de->d_name, keep) == 0 ||
		    fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (st.st_mtime < limit) {
			unlinkat(dfd, de->d_name, 0);
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 128;
			v = xreallocarray(v, cap, sizeof *v);
		}
		v[n].mtime = st.st_mtime;
		v[n++].name = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(v, n, sizeof *v, journal_old_cmp);
	for (i = 0; i < n; i++) {
		if (i >= JOURNAL_KEEP - 1)
			unlinkat(dfd, v[i].name, 0);
		free(v[i].name);
	}
	free(v);
}

/* Copy s into name, keeping [A-Za-z0-9.-] and turning anything else into '-'. */
static void
journal_clean(char *dst, size_t size, const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0' && i + 1 < size; i++)
		dst[i] = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789.-", s[i]) != NULL ? s[i] : '-';
	dst[i] = '\0';
}

struct journal *
journal_open(const char *host, const char *port, char **errstr)
{
	struct journal	*j;
	const char	*xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char		 when[32], chost[JOURNAL_HOST_MAX + 1], cport[16], zone[8];
	char		 suffix[8];
	char		*base, *dir, *name = NULL, *s, *why;
	time_t		 now = time(NULL);
	int		 sfd, dfd = -1, jfd = -1, fd = -1, i;

	*errstr = NULL;
	if (journal_off)
		return (NULL);
	/* A relative XDG_STATE_HOME is ignored, as the specification says. */
	if (xdg != NULL && xdg[0] == '/')
		base = xstrdup(xdg);
	else if (home != NULL && home[0] == '/')
		base = xasprintf("%s/.local/state", home);
	else {
		*errstr = xstrdup("no journal: neither XDG_STATE_HOME nor HOME is set");
		return (NULL);
	}
	dir = xasprintf("%s/smtpcon", base);
	/* Each missing directory made 0700 (the XDG base directory rule). */
	if (fs_mkdirs(base, 0700, &why) == -1) {
		*errstr = xasprintf("no journal: %s", why);
		free(why);
		goto out;
	}
	if ((sfd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		*errstr = xasprintf("no journal: cannot open %s: %s", base,
		    strerror(errno));
		goto out;
	}
	/* Below the state directory, every step is checked: no link leads elsewhere. */
	if ((dfd = journal_subdir(sfd, base, "smtpcon", errstr)) != -1)
		jfd = journal_subdir(dfd, dir, "journal", errstr);
	close(sfd);
	if (jfd == -1) {
		s = xasprintf("no journal: %s", *errstr);
		free(*errstr);
		*errstr = s;
		goto out;
	}

	xtime_local(when, sizeof when, "%Y-%m-%dT%H-%M-%S", now);
	journal_clean(chost, sizeof chost, host != NULL ? host : "console");
	journal_clean(cport, sizeof cport, port != NULL ? port : "");
	/* Two sessions in the same second with the same server get -2, -3, ... */
	for (i = 1; i < 100 && fd == -1; i++) {
		free(name);
		suffix[0] = '\0';
		if (i > 1)
			snprintf(suffix, sizeof suffix, "-%d", i);
		name = xasprintf("%s-%s%s%s%s.log", when, chost, *cport ? "-" : "",
		    cport, suffix);
		fd = openat(jfd, name, O_WRONLY | O_CREAT | O_EXCL | O_APPEND |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd == -1 && errno != EEXIST)
			break;
	}
	if (fd == -1) {
		*errstr = xasprintf("no journal: cannot create %s/journal/%s: %s", dir,
		    name, strerror(errno));
		goto out;
	}
	journal_prune(jfd, name);

	j = xmalloc(sizeof *j);
	memset(j, 0, offsetof(struct journal, buf));
	j->fd = fd;
	j->path = xasprintf("%s/journal/%s", dir, name);
	journal_current = j;
	xtime_local(when, sizeof when, "%Y-%m-%d %H:%M:%S", now);
	xtime_local(zone, sizeof zone, "%z", now);
	s = xasprintf("smtpcon %s journal, started %s %s (process %ld)",
	    PACKAGE_VERSION, when, zone, (long)getpid());
	journal_local(j, s);
	free(s);
	journal_write(j);
	close(jfd);
	close(dfd);
	free(name);
	free(dir);
	free(base);
	return (j);

out:
	if (jfd != -1)
		close(jfd);
	if (dfd != -1)
		close(dfd);
	free(name);
	free(dir);
	free(base);
	return (NULL);
}
