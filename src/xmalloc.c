/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Allocation wrappers: an out-of-memory console or server cannot do anything useful. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static const char	*xmalloc_name = "smtpcon";

void
xmalloc_progname(const char *name)
{
	xmalloc_name = name;
}

void
xfatal(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "%s: ", xmalloc_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(70);
}

static void __attribute__((noreturn))
xmalloc_die(size_t n)
{
	xfatal("out of memory (%zu bytes)", n);
}

void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL)
		xmalloc_die(n);
	return (p);
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p;

	if ((p = calloc(nmemb == 0 ? 1 : nmemb, size == 0 ? 1 : size)) == NULL)
		xmalloc_die(nmemb * size);
	return (p);
}

void *
xreallocarray(void *old, size_t nmemb, size_t size)
{
	void	*p;

	if (size != 0 && nmemb > SIZE_MAX / size)
		xmalloc_die(SIZE_MAX);
	if ((p = realloc(old, nmemb * size == 0 ? 1 : nmemb * size)) == NULL)
		xmalloc_die(nmemb * size);
	return (p);
}

char *
xstrdup(const char *s)
{
	return (xstrndup(s, strlen(s)));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;
	size_t	 len;

	len = strnlen(s, n);
	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return (p);
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	char	*s;

	if (vasprintf(&s, fmt, ap) == -1)
		xmalloc_die(strlen(fmt));
	return (s);
}

char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return (s);
}

#define XWIPE_STACK	(32 * 1024)

/* Not inlined: its frame must lie where the library's frames were. */
void __attribute__((noinline))
xwipe_stack(void)
{
	unsigned char	buf[XWIPE_STACK];

	explicit_bzero(buf, sizeof buf);
	/* The compiler must believe the buffer is used. */
	__asm__ __volatile__("" : : "r"(buf) : "memory");
}

void
xwipe(void *p, size_t len)
{
	if (p == NULL || len == 0)
		return;
#ifdef HAVE_EXPLICIT_BZERO
	explicit_bzero(p, len);
#else
	volatile unsigned char *v = p;
	while (len--)
		*v++ = 0;
#endif
}

void
xfree_secret(void *p, size_t len)
{
	if (p == NULL)
		return;
	xwipe(p, len);
	free(p);
}

void
xfree_secret_str(char *s)
{
	if (s != NULL)
		xfree_secret(s, strlen(s));
}
