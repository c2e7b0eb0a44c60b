/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* MTA-STS and TLS-RPT records and policies, parsed and matched (no I/O). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mtasts.h"
#include "xmalloc.h"

#define MTASTS_FIELDS_MAX	32	/* fields of a TXT record looked at */
#define MTASTS_MX_MAX		64	/* mx lines kept */

static const char *const mtasts_mode_names[] = { "none", "testing", "enforce" };

const char *
mtasts_mode_name(enum mtasts_mode m)
{
	return ((unsigned)m < 3 ? mtasts_mode_names[m] : "?");
}

/* s[0..len) without its leading and trailing spaces and tabs, malloc'd. */
static char *
mtasts_trim(const char *s, size_t len)
{
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return (xstrndup(s, len));
}

/*
 * A TXT record's fields (";" between them, spaces around ignored, an empty last field
 * allowed), malloc'd; their number, or -1 when a field in the middle is empty.
 */
static int
mtasts_fields(const char *txt, char **f, int max)
{
	const char	*s = txt, *e;
	int		 n = 0, i;

	for (;;) {
		e = strchr(s, ';');
		if (n == max)
			break;
		f[n] = mtasts_trim(s, e != NULL ? (size_t)(e - s) : strlen(s));
		if (f[n][0] == '\0' && (e != NULL || n == 0)) {
			for (i = 0; i <= n; i++)
				free(f[i]);
			return (-1);
		}
		if (f[n][0] == '\0')
			free(f[n]);
		else
			n++;
		if (e == NULL)
			break;
		s = e + 1;
	}
	return (n);
}

static void
mtasts_fields_free(char **f, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		free(f[i]);
}

static int
mtasts_alnum(const char *s, size_t min, size_t max)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++)
		if (!isascii((unsigned char)s[i]) || !isalnum((unsigned char)s[i]))
			return (0);
	return (i >= min && i <= max);
}

/* "name=value" with a name of letters, digits, '_', '-' and '.'. */
static int
mtasts_ext_field(const char *f)
{
	size_t	n = strspn(f, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_-.");

	return (n > 0 && n <= 32 && f[n] == '=' && f[n + 1] != '\0');
}

int
mtasts_txt_parse(const char *txt, char **id, char **errstr)
{
	char	*f[MTASTS_FIELDS_MAX];
	int	 n, i, ret = 1;

	*id = NULL;
	if (strncmp(txt, "v=STSv1", 7) != 0 || (txt[7] != '\0' && txt[7] != ';' &&
	    txt[7] != ' ' && txt[7] != '\t'))
		return (0);
	if ((n = mtasts_fields(txt, f, MTASTS_FIELDS_MAX)) < 0) {
		*errstr = xstrdup("an empty field (two semicolons)");
		return (-1);
	}
	for (i = 1; i < n && ret == 1; i++) {
		if (strncmp(f[i], "id=", 3) == 0 && *id == NULL) {
			if (!mtasts_alnum(f[i] + 3, 1, 32)) {
				*errstr = xasprintf("a bad id \"%s\" (1 to 32 letters "
				    "and digits)", f[i] + 3);
				ret = -1;
			} else
				*id = xstrdup(f[i] + 3);
		} else if (!mtasts_ext_field(f[i])) {
			*errstr = xasprintf("a bad field \"%s\"", f[i]);
			ret = -1;
		}
	}
	if (ret == 1 && (n < 1 || strcmp(f[0], "v=STSv1") != 0)) {
		*errstr = xstrdup("the version is not v=STSv1");
		ret = -1;
	}
	if (ret == 1 && *id == NULL) {
		*errstr = xstrdup("no id=");
		ret = -1;
	}
	mtasts_fields_free(f, n);
	if (ret != 1) {
		free(*id);
		*id = NULL;
	}
	return (ret);
}

/* A host name or an MX pattern: labels of letters, digits and '-', "*." first. */
static int
mtasts_name_ok(const char *s, int wildcard)
{
	size_t	label = 0;

	if (wildcard && strncmp(s, "*.", 2) == 0)
		s += 2;
	if (*s == '\0' || strlen(s) > 253)
		return (0);
	for (; *s != '\0'; s++) {
		if (*s == '.') {
			if (label == 0)
				return (0);
			label = 0;
		} else if ((isascii((unsigned char)*s) && isalnum((unsigned char)*s)) ||
		    *s == '-' || *s == '_') {
			if (++label > 63)
				return (0);
		} else
			return (0);
	}
	return (1);
}

/* One "key: value" line; 0, or -1 with *errstr. */
static int
mtasts_policy_line(struct mtasts_policy *p, const char *line, size_t len, int lineno,
    int seen[3], char **errstr)
{
	const char	*colon = memchr(line, ':', len);
	char		*key, *val, *end;
	int		 ret = 0;
	long		 v;

	if (colon == NULL) {
		*errstr = xasprintf("line %d: no colon (\"key: value\" wanted)", lineno);
		return (-1);
	}
	key = mtasts_trim(line, (size_t)(colon - line));
	val = mtasts_trim(colon + 1, len - (size_t)(colon - line) - 1);
	if (strcmp(key, "version") == 0 && !seen[0]++) {
		if (strcmp(val, "STSv1") != 0) {
			*errstr = xasprintf("line %d: version \"%s\", not STSv1",
			    lineno, val);
			ret = -1;
		}
	} else if (strcmp(key, "mode") == 0 && !seen[1]++) {
		if (strcmp(val, "enforce") == 0)
			p->mode = MTASTS_M_ENFORCE;
		else if (strcmp(val, "testing") == 0)
			p->mode = MTASTS_M_TESTING;
		else if (strcmp(val, "none") == 0)
			p->mode = MTASTS_M_NONE;
		else {
			*errstr = xasprintf("line %d: mode \"%s\" (enforce, testing "
			    "or none)", lineno, val);
			ret = -1;
		}
	} else if (strcmp(key, "max_age") == 0 && !seen[2]++) {
		errno = 0;
		v = strtol(val, &end, 10);
		if (val[0] < '0' || val[0] > '9' || *end != '\0' || errno != 0 ||
		    strlen(val) > 10 || v > MTASTS_MAX_AGE_MAX) {
			*errstr = xasprintf("line %d: max_age \"%s\" (0 to %ld "
			    "seconds)", lineno, val, MTASTS_MAX_AGE_MAX);
			ret = -1;
		} else
			p->max_age = v;
	} else if (strcmp(key, "mx") == 0) {
		if (!mtasts_name_ok(val, 1)) {
			*errstr = xasprintf("line %d: mx \"%s\" is not a host name "
			    "or *.domain pattern", lineno, val);
			ret = -1;
		} else if (p->nmx < MTASTS_MX_MAX) {
			p->mx = xreallocarray(p->mx, p->nmx + 1, sizeof *p->mx);
			p->mx[p->nmx++] = val;
			val = NULL;
		}
	}
	free(key);
	free(val);
	return (ret);
}

static int
mtasts_blank(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return (0);
	return (1);
}

int
mtasts_policy_parse(const char *text, size_t len, struct mtasts_policy *p,
    char **errstr)
{
	const char	*s = text, *end = text + len, *nl;
	size_t		 n;
	int		 lineno = 0, seen[3] = { 0, 0, 0 };

	memset(p, 0, sizeof *p);
	if (memchr(text, '\0', len) != NULL) {
		*errstr = xstrdup("a NUL byte in the policy");
		return (-1);
	}
	while (s < end) {
		lineno++;
		nl = memchr(s, '\n', (size_t)(end - s));
		n = nl != NULL ? (size_t)(nl - s) : (size_t)(end - s);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		/* An empty line (the last one, often) says nothing. */
		if (!mtasts_blank(s, n) &&
		    mtasts_policy_line(p, s, n, lineno, seen, errstr) != 0)
			goto fail;
		s = nl != NULL ? nl + 1 : end;
	}
	if (!seen[0] || !seen[1] || !seen[2]) {
		*errstr = xasprintf("no %s line", !seen[0] ? "version" : !seen[1] ?
		    "mode" : "max_age");
		goto fail;
	}
	if (p->nmx == 0 && p->mode != MTASTS_M_NONE) {
		*errstr = xasprintf("mode %s and no mx line", mtasts_mode_name(p->mode));
		goto fail;
	}
	return (0);
fail:
	mtasts_policy_free(p);
	return (-1);
}

void
mtasts_policy_free(struct mtasts_policy *p)
{
	size_t	i;

	for (i = 0; i < p->nmx; i++)
		free(p->mx[i]);
	free(p->mx);
	memset(p, 0, sizeof *p);
}

int
mtasts_mx_match(const char *pattern, const char *host)
{
	size_t	hl = strlen(host), pl = strlen(pattern);
	const char *dot;

	if (hl > 0 && host[hl - 1] == '.')
		hl--;
	if (pl > 0 && pattern[pl - 1] == '.')
		pl--;
	if (strncmp(pattern, "*.", 2) != 0)
		return (hl == pl && hl > 0 && strncasecmp(pattern, host, hl) == 0);
	/* "*.example.net": one label, then ".example.net" and nothing more. */
	if ((dot = memchr(host, '.', hl)) == NULL || dot == host)
		return (0);
	return ((size_t)(host + hl - dot) == pl - 1 &&
	    strncasecmp(dot, pattern + 1, pl - 1) == 0);
}

const char *
mtasts_policy_match(const struct mtasts_policy *p, const char *host)
{
	size_t	i;

	for (i = 0; i < p->nmx; i++)
		if (mtasts_mx_match(p->mx[i], host))
			return (p->mx[i]);
	return (NULL);
}

/* The rua field's URIs, comma-separated; 0, or -1 with *errstr. */
static int
mtasts_rua(const char *v, char ***rua, size_t *n, char **errstr)
{
	const char	*s = v, *e;
	char		*u;

	for (;;) {
		e = strchr(s, ',');
		u = mtasts_trim(s, e != NULL ? (size_t)(e - s) : strlen(s));
		if (strncasecmp(u, "mailto:", 7) != 0 &&
		    strncasecmp(u, "https:", 6) != 0) {
			*errstr = xasprintf("rua \"%s\" is neither mailto: nor https:", u);
			free(u);
			return (-1);
		}
		*rua = xreallocarray(*rua, *n + 1, sizeof **rua);
		(*rua)[(*n)++] = u;
		if (e == NULL)
			return (0);
		s = e + 1;
	}
}

int
mtasts_tlsrpt_parse(const char *txt, char ***rua, size_t *n, char **errstr)
{
	char	*f[MTASTS_FIELDS_MAX];
	int	 nf, i, ret = 1;

	*rua = NULL;
	*n = 0;
	if (strncmp(txt, "v=TLSRPTv1", 10) != 0 || (txt[10] != '\0' &&
	    txt[10] != ';' && txt[10] != ' ' && txt[10] != '\t'))
		return (0);
	if ((nf = mtasts_fields(txt, f, MTASTS_FIELDS_MAX)) < 0) {
		*errstr = xstrdup("an empty field (two semicolons)");
		return (-1);
	}
	for (i = 1; i < nf && ret == 1; i++) {
		if (strncmp(f[i], "rua=", 4) == 0 && *n == 0) {
			if (mtasts_rua(f[i] + 4, rua, n, errstr) != 0)
				ret = -1;
		} else if (!mtasts_ext_field(f[i])) {
			*errstr = xasprintf("a bad field \"%s\"", f[i]);
			ret = -1;
		}
	}
	if (ret == 1 && strcmp(f[0], "v=TLSRPTv1") != 0) {
		*errstr = xstrdup("the version is not v=TLSRPTv1");
		ret = -1;
	}
	if (ret == 1 && *n == 0) {
		*errstr = xstrdup("no rua= (where reports go)");
		ret = -1;
	}
	mtasts_fields_free(f, nf);
	if (ret != 1) {
		mtasts_rua_free(*rua, *n);
		*rua = NULL;
		*n = 0;
	}
	return (ret);
}

void
mtasts_rua_free(char **rua, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(rua[i]);
	free(rua);
}
