/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* A JSON writer that escapes whatever it is given. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "vis.h"
#include "xmalloc.h"

void
json_init(struct json *j, int pretty)
{
	memset(j, 0, sizeof *j);
	j->pretty = pretty;
	j->size = 256;
	j->buf = xmalloc(j->size);
	j->buf[0] = '\0';
}

char *
json_take(struct json *j)
{
	char	*s = j->buf;

	json_init(j, j->pretty);
	return (s);
}

void
json_free(struct json *j)
{
	free(j->buf);
	memset(j, 0, sizeof *j);
}

static void
json_put(struct json *j, const char *s, size_t n)
{
	while (j->len + n + 1 > j->size) {
		j->buf = xreallocarray(j->buf, j->size, 2);
		j->size *= 2;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void
json_putc(struct json *j, char c)
{
	json_put(j, &c, 1);
}

static void
json_quoted(struct json *j, const char *s, size_t len)
{
	char		 esc[8];
	size_t		 i = 0, n;
	long		 cp;
	unsigned char	 c;

	json_putc(j, '"');
	while (i < len) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			json_putc(j, '\\');
			json_putc(j, (char)c);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof esc, "\\u%04x", c);
			json_put(j, esc, 6);
			i++;
		} else if (c < 0x80) {
			json_putc(j, (char)c);
			i++;
		} else {
			cp = vis_utf8((const unsigned char *)s + i, len - i, &n);
			if (cp < 0)
				json_put(j, "\\ufffd", 6);
			else if (cp == 0x2028 || cp == 0x2029) {
				snprintf(esc, sizeof esc, "\\u%04lx", cp);
				json_put(j, esc, 6);
			} else
				json_put(j, s + i, n);
			i += n;
		}
	}
	json_putc(j, '"');
}

/* Before a value: the comma, the indent and the key. */
static void
json_member(struct json *j, const char *key)
{
	int	i;

	if (j->depth > 0) {
		if (j->count[j->depth - 1]++ > 0)
			json_putc(j, ',');
		if (j->pretty) {
			json_putc(j, '\n');
			for (i = 0; i < j->depth; i++)
				json_put(j, "  ", 2);
		}
	}
	if (key != NULL && j->depth > 0) {
		json_quoted(j, key, strlen(key));
		json_put(j, j->pretty ? ": " : ":", j->pretty ? 2 : 1);
	}
}

static void
json_open(struct json *j, const char *key, char c)
{
	json_member(j, key);
	json_putc(j, c);
	if (j->depth >= JSON_DEPTH)
		xfatal("json: nesting deeper than %d", JSON_DEPTH);
	j->kind[j->depth] = c == '{' ? '}' : ']';
	j->count[j->depth++] = 0;
}

void
json_object(struct json *j, const char *key)
{
	json_open(j, key, '{');
}

void
json_array(struct json *j, const char *key)
{
	json_open(j, key, '[');
}

void
json_end(struct json *j)
{
	int	i, empty;

	if (j->depth == 0)
		return;
	empty = j->count[j->depth - 1] == 0;
	j->depth--;
	if (j->pretty && !empty) {
		json_putc(j, '\n');
		for (i = 0; i < j->depth; i++)
			json_put(j, "  ", 2);
	}
	json_putc(j, j->kind[j->depth]);
	if (j->depth == 0 && j->pretty)
		json_putc(j, '\n');
}

void
json_strn(struct json *j, const char *key, const char *s, size_t len)
{
	json_member(j, key);
	if (s == NULL)
		json_put(j, "null", 4);
	else
		json_quoted(j, s, len);
}

void
json_str(struct json *j, const char *key, const char *s)
{
	json_strn(j, key, s, s != NULL ? strlen(s) : 0);
}

void
json_int(struct json *j, const char *key, long long v)
{
	char	num[32];

	json_member(j, key);
	json_put(j, num, (size_t)snprintf(num, sizeof num, "%lld", v));
}

void
json_bool(struct json *j, const char *key, int v)
{
	json_member(j, key);
	if (v)
		json_put(j, "true", 4);
	else
		json_put(j, "false", 5);
}

void
json_null(struct json *j, const char *key)
{
	json_member(j, key);
	json_put(j, "null", 4);
}
