/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Allocation wrappers that never return NULL: on failure they print "<program>: out of
 * memory" on standard error and exit with status 70 (EX_SOFTWARE). Shared by smtpcon and
 * smtpcon-practice (libcommon).
 */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

/* Name the program in fatal messages; "smtpcon" until called. name is not copied. */
void	 xmalloc_progname(const char *name);

/* Print "<program>: " and the message on standard error, then exit with status 70. */
void	 xfatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *, va_list) __attribute__((format(printf, 1, 0)));

/* Wipe len bytes at p (the compiler may not elide it); NULL is fine. */
void	 xwipe(void *p, size_t len);
/*
 * Wipe the stack below the caller: a library that worked on a secret (GnuTLS's base64
 * and HMAC keep pieces in local buffers) leaves copies there when it returns. Call it
 * right after such a call, from the function that made it.
 */
void	 xwipe_stack(void);
/* Wipe then free a buffer that held a secret; NULL is fine. */
void	 xfree_secret(void *p, size_t len);
/* Same for a NUL-terminated string. */
void	 xfree_secret_str(char *s);

#endif
