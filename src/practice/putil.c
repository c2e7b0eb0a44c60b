/* Small helpers shared by the practice server: memory, time, logging, files. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#else
#define _GNU_SOURCE
#endif

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "putil.h"

int putil_quiet;

static void __attribute__((noreturn))
putil_oom(void)
{
	fprintf(stderr, "%s: out of memory\n", PUTIL_PROGNAME);
	exit(1);
}

void *
putil_malloc(size_t size)
{
	void	*p;

	if ((p = malloc(size == 0 ? 1 : size)) == NULL)
		putil_oom();
	return (p);
}

void *
putil_calloc(size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size)) == NULL)
		putil_oom();
	return (p);
}

void *
putil_reallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		putil_oom();
	if ((p = realloc(p, n * size == 0 ? 1 : n * size)) == NULL)
		putil_oom();
	return (p);
}

char *
putil_strdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		putil_oom();
	return (p);
}

char *
putil_strndup(const char *s, size_t n)
{
	char	*p;

	if ((p = strndup(s, n)) == NULL)
		putil_oom();
	return (p);
}

char *
putil_vasprintf(const char *fmt, va_list ap)
{
	char	*s;

	if (vasprintf(&s, fmt, ap) == -1)
		putil_oom();
	return (s);
}

char *
putil_asprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = putil_vasprintf(fmt, ap);
	va_end(ap);
	return (s);
}

void
putil_wipe(void *p, size_t len)
{
	volatile unsigned char	*v = p;

	if (p == NULL)
		return;
	while (len-- > 0)
		*v++ = 0;
}

void
putil_free_secret(char *s)
{
	if (s == NULL)
		return;
	putil_wipe(s, strlen(s));
	free(s);
}

int64_t
putil_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void __attribute__((format(printf, 1, 0)))
putil_vlog(const char *fmt, va_list ap)
{
	char	*msg;

	/* One write per line so lines of different sources do not mix. */
	msg = putil_vasprintf(fmt, ap);
	fprintf(stderr, "%s: %s\n", PUTIL_PROGNAME, msg);
	free(msg);
}

void
putil_log(const char *fmt, ...)
{
	va_list	ap;

	if (putil_quiet)
		return;
	va_start(ap, fmt);
	putil_vlog(fmt, ap);
	va_end(ap);
}

void
putil_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	putil_vlog(fmt, ap);
	va_end(ap);
}

char *
putil_vis(const char *src, size_t len, size_t max)
{
	const unsigned char	*s = (const unsigned char *)src;
	char			*out, *p;
	size_t			 i, n;

	n = len > max ? max : len;
	p = out = putil_malloc(n * 4 + 4);
	for (i = 0; i < n; i++) {
		if (s[i] == '\t' || (s[i] >= 0x20 && s[i] < 0x7f))
			*p++ = s[i];
		else
			p += sprintf(p, "\\x%02x", s[i]);
	}
	if (len > max) {
		memcpy(p, "...", 3);
		p += 3;
	}
	*p = '\0';
	return (out);
}

int
putil_mkdirs(const char *dir, int mode, char **errstr)
{
	char	*copy, *p;
	int	 ret = 0;

	copy = putil_strdup(dir);
	for (p = copy + 1; ret == 0; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		/* Make each prefix in turn; an existing one is fine. */
		if (p[-1] != '/') {
			char	c = *p;

			*p = '\0';
			if (mkdir(copy, mode) == -1 && errno != EEXIST) {
				*errstr = putil_asprintf("cannot create %s: %s",
				    copy, strerror(errno));
				ret = -1;
			}
			*p = c;
		}
		if (*p == '\0')
			break;
	}
	free(copy);
	if (ret == 0) {
		struct stat	sb;

		if (stat(dir, &sb) == -1 || !S_ISDIR(sb.st_mode)) {
			*errstr = putil_asprintf("%s is not a directory", dir);
			ret = -1;
		}
	}
	return (ret);
}

int
putil_write_file(const char *path, const void *data, size_t len, int mode,
    char **errstr)
{
	const char	*p = data;
	char		*tmp;
	ssize_t		 n;
	int		 fd, saved;

	tmp = putil_asprintf("%s.tmp%ld", path, (long)getpid());
	unlink(tmp);
	fd = open(tmp, O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, mode);
	if (fd == -1) {
		*errstr = putil_asprintf("cannot create %s: %s", tmp,
		    strerror(errno));
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
	*errstr = putil_asprintf("cannot write %s: %s", path, strerror(saved));
	free(tmp);
	return (-1);
}

char *
putil_hostname(void)
{
	char	 host[HOST_NAME_MAX + 1], *out, *p;
	size_t	 i;

	if (gethostname(host, sizeof host) == -1 || host[0] == '\0')
		strcpy(host, "localhost");
	host[sizeof host - 1] = '\0';
	/* The Maildir convention: '/' is \057 and ':' is \072. */
	p = out = putil_malloc(strlen(host) * 4 + 1);
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
