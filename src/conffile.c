/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The config file: its path, its parser (pure), and the profile lookup. */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conffile.h"
#include "xmalloc.h"

#define CONFFILE_MAX_SIZE	(1024 * 1024)

static const struct conffile	*conffile_current;

char *
conffile_path(void)
{
	const char	*xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg != NULL && *xdg == '/')
		return (xasprintf("%s/smtpcon/config", xdg));
	return (xasprintf("%s/.config/smtpcon/config",
	    home != NULL && *home != '\0' ? home : "."));
}

const char *
conffile_mode_name(enum conffile_mode m)
{
	switch (m) {
	case CONFFILE_MODE_PLAIN:
		return ("plain");
	case CONFFILE_MODE_STARTTLS:
		return ("starttls");
	case CONFFILE_MODE_TLS:
		return ("tls");
	case CONFFILE_MODE_STARTTLS_IF_OFFERED:
		return ("starttls=if-offered");
	default:
		return ("-");
	}
}

static void
conffile_profile_free(struct conffile_profile *p)
{
	free((char *)p->name);
	free((char *)p->host);
	free((char *)p->port);
	free((char *)p->user);
	free((char *)p->password_file);
	free((char *)p->password_command);
	free((char *)p->cafile);
	free((char *)p->sni);
	free((char *)p->ehlo);
	free((char *)p->priority);
	free((char *)p->note);
}

void
conffile_free(struct conffile *c)
{
	size_t	i;

	if (conffile_current == c)
		conffile_current = NULL;
	for (i = 0; i < c->n; i++)
		conffile_profile_free(&c->profiles[i]);
	free(c->profiles);
	free(c->path);
	memset(c, 0, sizeof *c);
}

/* A number from lo to hi, digits only; -1 if not. */
static int
conffile_number(const char *v, int lo, int hi)
{
	long	n = 0;

	if (*v == '\0' || strlen(v) > 6)
		return (-1);
	for (; *v != '\0'; v++) {
		if (!isdigit((unsigned char)*v))
			return (-1);
		n = n * 10 + (*v - '0');
	}
	return (n < lo || n > hi ? -1 : (int)n);
}

static int
conffile_name_ok(const char *s)
{
	if (*s == '\0')
		return (0);
	for (; *s != '\0'; s++) {
		if (!isalnum((unsigned char)*s) && strchr("._-", *s) == NULL)
			return (0);
	}
	return (1);
}

/* Set a string key once: NULL, or the problem. */
static char *
conffile_set_str(const char **field, const char *key, const char *value)
{
	if (*field != NULL)
		return (xasprintf("%s given twice in this profile", key));
	*field = xstrdup(value);
	return (NULL);
}

/* One "key = value" into p: NULL, or the problem (malloc'd). */
static char *
conffile_key(struct conffile_profile *p, const char *key, const char *v)
{
	int	n;

	if (strcmp(key, "password") == 0)
		return (xstrdup("a password never sits in the config file (anyone "
		    "who can read the file or its backups has it): use "
		    "password-file or password-command"));
	if (*v == '\0')
		return (xasprintf("%s wants a value", key));
	if (strcmp(key, "host") == 0) {
		if (strchr(v, ' ') != NULL || *v == '[' || *v == '@')
			return (xasprintf("bad host \"%s\": a name or an address, "
			    "without brackets or port (use port = N)", v));
		return (conffile_set_str(&p->host, key, v));
	}
	if (strcmp(key, "port") == 0) {
		if (conffile_number(v, 1, 65535) == -1)
			return (xasprintf("bad port \"%s\": a number from 1 to "
			    "65535", v));
		return (conffile_set_str(&p->port, key, v));
	}
	if (strcmp(key, "mode") == 0) {
		if (p->mode != CONFFILE_MODE_UNSET)
			return (xstrdup("mode given twice in this profile"));
		if (strcmp(v, "plain") == 0)
			p->mode = CONFFILE_MODE_PLAIN;
		else if (strcmp(v, "starttls") == 0)
			p->mode = CONFFILE_MODE_STARTTLS;
		else if (strcmp(v, "tls") == 0)
			p->mode = CONFFILE_MODE_TLS;
		else if (strcmp(v, "starttls=if-offered") == 0)
			p->mode = CONFFILE_MODE_STARTTLS_IF_OFFERED;
		else
			return (xasprintf("bad mode \"%s\": plain, starttls, "
			    "starttls=if-offered or tls", v));
		return (NULL);
	}
	if (strcmp(key, "user") == 0)
		return (conffile_set_str(&p->user, key, v));
	if (strcmp(key, "password-file") == 0)
		return (conffile_set_str(&p->password_file, key, v));
	if (strcmp(key, "password-command") == 0)
		return (conffile_set_str(&p->password_command, key, v));
	if (strcmp(key, "cafile") == 0)
		return (conffile_set_str(&p->cafile, key, v));
	if (strcmp(key, "sni") == 0)
		return (conffile_set_str(&p->sni, key, v));
	if (strcmp(key, "ehlo") == 0)
		return (conffile_set_str(&p->ehlo, key, v));
	if (strcmp(key, "priority") == 0)
		return (conffile_set_str(&p->priority, key, v));
	if (strcmp(key, "note") == 0)
		return (conffile_set_str(&p->note, key, v));
	if (strcmp(key, "tls-version") == 0) {
		if (p->tls_version != 0)
			return (xstrdup("tls-version given twice in this profile"));
		if (strcmp(v, "1.2") == 0)
			p->tls_version = 12;
		else if (strcmp(v, "1.3") == 0)
			p->tls_version = 13;
		else
			return (xasprintf("bad tls-version \"%s\": 1.2 or 1.3", v));
		return (NULL);
	}
	if (strcmp(key, "connect-timeout") == 0 || strcmp(key, "timeout") == 0) {
		if ((n = conffile_number(v, 1, 3600)) == -1)
			return (xasprintf("bad %s \"%s\": seconds, from 1 to 3600",
			    key, v));
		if (key[0] == 'c') {
			if (p->connect_timeout != 0)
				return (xstrdup("connect-timeout given twice in "
				    "this profile"));
			p->connect_timeout = n;
		} else {
			if (p->timeout != 0)
				return (xstrdup("timeout given twice in this "
				    "profile"));
			p->timeout = n;
		}
		return (NULL);
	}
	if (strcmp(key, "journal") == 0) {
		if (p->journal != -1)
			return (xstrdup("journal given twice in this profile"));
		if (strcmp(v, "on") == 0)
			p->journal = 1;
		else if (strcmp(v, "off") == 0)
			p->journal = 0;
		else
			return (xasprintf("bad journal \"%s\": on or off", v));
		return (NULL);
	}
	return (xasprintf("unknown key \"%s\" (see the README, \"Config file\")",
	    key));
}

/* Drop spaces and tabs at both ends, in place. */
static char *
conffile_trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return (s);
}

/* A "[profile NAME]" header into a new profile: NULL, or the problem. */
static char *
conffile_section(struct conffile *c, char *s, int line)
{
	char	*end, *name;
	size_t	 i;

	if ((end = strchr(s, ']')) == NULL || *conffile_trim(end + 1) != '\0')
		return (xstrdup("bad section header: write [profile NAME]"));
	*end = '\0';
	s = conffile_trim(s + 1);
	if (strncmp(s, "profile", 7) != 0 || (s[7] != ' ' && s[7] != '\t'))
		return (xstrdup("bad section header: write [profile NAME]"));
	name = conffile_trim(s + 7);
	if (!conffile_name_ok(name))
		return (xasprintf("bad profile name \"%s\": letters, digits, "
		    "'.', '_' and '-'", name));
	for (i = 0; i < c->n; i++) {
		if (strcmp(c->profiles[i].name, name) == 0)
			return (xasprintf("profile \"%s\" defined twice (first at "
			    "line %d)", name, c->profiles[i].line));
	}
	c->profiles = xreallocarray(c->profiles, c->n + 1, sizeof *c->profiles);
	memset(&c->profiles[c->n], 0, sizeof c->profiles[c->n]);
	c->profiles[c->n].name = xstrdup(name);
	c->profiles[c->n].journal = -1;
	c->profiles[c->n].line = line;
	c->n++;
	return (NULL);
}

int
conffile_parse(struct conffile *c, const char *path, const char *text, char **errstr)
{
	const char	*p, *nl;
	char		*buf, *s, *eq, *why = NULL;
	int		 line = 0;

	conffile_free(c);
	for (p = text; *p != '\0' && why == NULL; p = *nl != '\0' ? nl + 1 : nl) {
		line++;
		nl = p + strcspn(p, "\n");
		buf = xstrndup(p, nl - p);
		s = conffile_trim(buf);
		if (*s == '\0' || *s == '#')
			;
		else if (*s == '[')
			why = conffile_section(c, s, line);
		else if ((eq = strchr(s, '=')) == NULL)
			why = xasprintf("\"%.40s\" is not \"key = value\" nor "
			    "[profile NAME]", s);
		else {
			*eq = '\0';
			if (c->n == 0)
				why = xasprintf("\"%s\" before any [profile NAME] "
				    "section", conffile_trim(s));
			else
				why = conffile_key(&c->profiles[c->n - 1],
				    conffile_trim(s), conffile_trim(eq + 1));
		}
		xwipe(buf, strlen(buf));
		free(buf);
	}
	if (why != NULL) {
		*errstr = xasprintf("%s:%d: %s", path, line, why);
		free(why);
		conffile_free(c);
		return (-1);
	}
	c->path = xstrdup(path);
	return (0);
}

int
conffile_load(struct conffile *c, const char *path, char **errstr)
{
	struct stat	 st;
	char		*text;
	ssize_t		 r;
	size_t		 n = 0, i;
	int		 fd, ret, unsafe;

	conffile_free(c);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			return (0);
		*errstr = xasprintf("%s: %s", path, strerror(errno));
		return (-1);
	}
	text = xmalloc(CONFFILE_MAX_SIZE + 1);
	while (n < CONFFILE_MAX_SIZE &&
	    (r = read(fd, text + n, CONFFILE_MAX_SIZE - n)) != 0) {
		if (r == -1) {
			if (errno == EINTR)
				continue;
			*errstr = xasprintf("%s: %s", path, strerror(errno));
			close(fd);
			free(text);
			return (-1);
		}
		n += r;
	}
	/* Whoever can write the file can have its password-command run as us. */
	unsafe = fstat(fd, &st) == 0 && ((st.st_mode & 022) != 0 ||
	    (st.st_uid != getuid() && st.st_uid != 0));
	close(fd);
	if (n == CONFFILE_MAX_SIZE || memchr(text, '\0', n) != NULL) {
		*errstr = xasprintf("%s: not a config file (a NUL byte, or over "
		    "1 MB)", path);
		free(text);
		return (-1);
	}
	text[n] = '\0';
	ret = conffile_parse(c, path, text, errstr);
	free(text);
	for (i = 0; ret == 0 && unsafe && i < c->n; i++) {
		if (c->profiles[i].password_command == NULL)
			continue;
		*errstr = xasprintf("%s:%d: password-command, in a file other "
		    "users can write (its command would run as you): chmod go-w "
		    "%s", path, c->profiles[i].line, path);
		conffile_free(c);
		ret = -1;
	}
	return (ret);
}

const struct conffile_profile *
conffile_find(const struct conffile *c, const char *name)
{
	size_t	i;

	for (i = 0; c != NULL && i < c->n; i++) {
		if (strcmp(c->profiles[i].name, name) == 0)
			return (&c->profiles[i]);
	}
	for (i = 0; i < conffile_nbuiltin; i++) {
		if (strcmp(conffile_builtin[i].name, name) == 0)
			return (&conffile_builtin[i]);
	}
	return (NULL);
}

void
conffile_use(const struct conffile *c)
{
	conffile_current = c;
}

const struct conffile *
conffile_used(void)
{
	return (conffile_current);
}
