/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * A small JSON writer into a growing buffer. Strings are escaped for any input: quote,
 * backslash and control characters escaped, invalid UTF-8 replaced by U+FFFD, U+2028 and
 * U+2029 escaped, so a hostile server's text cannot break the document. Commas and
 * nesting (up to JSON_DEPTH) are tracked here; a key is given inside an object and NULL
 * inside an array.
 */
#ifndef JSON_H
#define JSON_H

#include <stddef.h>

#define JSON_DEPTH	16

struct json {
	char		*buf;		/* NUL-terminated */
	size_t		 len;
	size_t		 size;
	int		 depth;
	int		 count[JSON_DEPTH];	/* members written at each level */
	char		 kind[JSON_DEPTH];	/* what closes each level: } or ] */
	int		 pretty;	/* newlines and indents */
};

void	 json_init(struct json *, int pretty);
/* Take the document (malloc'd, the caller frees it); the writer is empty again. */
char	*json_take(struct json *);
void	 json_free(struct json *);

void	 json_object(struct json *, const char *key);	/* open { */
void	 json_array(struct json *, const char *key);	/* open [ */
void	 json_end(struct json *);			/* close } or ] */
/* A string value; s NULL writes null. */
void	 json_str(struct json *, const char *key, const char *s);
void	 json_strn(struct json *, const char *key, const char *s, size_t len);
void	 json_int(struct json *, const char *key, long long v);
void	 json_bool(struct json *, const char *key, int v);
void	 json_null(struct json *, const char *key);

#endif
