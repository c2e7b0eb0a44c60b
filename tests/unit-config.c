/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The config file's parser: profiles read, every problem reported as FILE:LINE. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conffile.h"
#include "unit.h"

/* Parse text; the error (or NULL), malloc'd. */
static char *
parse(struct conffile *c, const char *text)
{
	char	*err = NULL;

	if (conffile_parse(c, "cfg", text, &err) == 0)
		CHECK(err == NULL);
	else
		CHECK(err != NULL && c->n == 0);
	return (err);
}

static void
bad(const char *text, const char *want)
{
	struct conffile	 c;
	char		*err;

	memset(&c, 0, sizeof c);
	err = parse(&c, text);
	CHECK_STR(err, want);
	free(err);
	conffile_free(&c);
}

static void
test_good(void)
{
	struct conffile			 c;
	const struct conffile_profile	*p;
	char				*err;

	memset(&c, 0, sizeof c);
	err = parse(&c,
	    "# my servers\n"
	    "\n"
	    "[profile work]\n"
	    "  host = mail.example.com  \n"
	    "port=587\n"
	    "mode = starttls\r\n"
	    "user = alice@example.com\n"
	    "password-command = pass show mail/work | head -1\n"
	    "cafile = /etc/ssl/work.pem\n"
	    "sni = mx.example.com\n"
	    "ehlo = client.example\n"
	    "tls-version = 1.3\n"
	    "priority = NORMAL:-VERS-TLS1.0\n"
	    "connect-timeout = 5\n"
	    "timeout = 60\n"
	    "journal = off\n"
	    "note = the office's relay # not a comment\n"
	    "[ profile  lab-2.x ]\n"
	    "host = 192.0.2.1\n"
	    "mode = tls\n"
	    "password-file = ~/.secret\n");
	CHECK(err == NULL);
	free(err);
	CHECK(c.n == 2);
	CHECK_STR(c.path, "cfg");
	p = conffile_find(&c, "work");
	CHECK(p != NULL);
	if (p != NULL) {
		CHECK_STR(p->host, "mail.example.com");
		CHECK_STR(p->port, "587");
		CHECK(p->mode == CONFFILE_MODE_STARTTLS);
		CHECK_STR(p->user, "alice@example.com");
		CHECK_STR(p->password_command, "pass show mail/work | head -1");
		CHECK(p->password_file == NULL);
		CHECK_STR(p->cafile, "/etc/ssl/work.pem");
		CHECK_STR(p->sni, "mx.example.com");
		CHECK_STR(p->ehlo, "client.example");
		CHECK(p->tls_version == 13);
		CHECK_STR(p->priority, "NORMAL:-VERS-TLS1.0");
		CHECK(p->connect_timeout == 5);
		CHECK(p->timeout == 60);
		CHECK(p->journal == 0);
		CHECK_STR(p->note, "the office's relay # not a comment");
		CHECK(p->line == 3);
	}
	p = conffile_find(&c, "lab-2.x");
	CHECK(p != NULL);
	if (p != NULL) {
		CHECK_STR(p->host, "192.0.2.1");
		CHECK(p->port == NULL);
		CHECK(p->mode == CONFFILE_MODE_TLS);
		CHECK(p->journal == -1);
		CHECK(p->tls_version == 0);
		CHECK(p->line == 18);
	}
	/* Built-ins, found after the user's; a user's profile of the same name wins. */
	p = conffile_find(&c, "m365");
	CHECK(p != NULL && p->line == 0);
	if (p != NULL) {
		CHECK_STR(p->host, "smtp.office365.com");
		CHECK_STR(p->port, "587");
		CHECK(p->mode == CONFFILE_MODE_STARTTLS);
		CHECK(strstr(p->note, "XOAUTH2") != NULL);
	}
	CHECK(conffile_find(&c, "nope") == NULL);
	conffile_free(&c);
	/* STARTTLS when offered, as --starttls=if-offered (the value holds a '='). */
	CHECK(conffile_parse(&c, "cfg", "[profile opt]\nhost = h\n"
	    "mode = starttls=if-offered\n", &err) == 0);
	p = conffile_find(&c, "opt");
	CHECK(p != NULL && p->mode == CONFFILE_MODE_STARTTLS_IF_OFFERED);
	CHECK_STR(conffile_mode_name(CONFFILE_MODE_STARTTLS_IF_OFFERED),
	    "starttls=if-offered");
	conffile_free(&c);
	CHECK(c.n == 0 && c.profiles == NULL && c.path == NULL);

	err = parse(&c, "[profile gmail]\nhost = relay.example\n");
	CHECK(err == NULL);
	p = conffile_find(&c, "gmail");
	CHECK(p != NULL && p->line == 1);
	CHECK_STR(p != NULL ? p->host : NULL, "relay.example");
	conffile_free(&c);

	/* Empty text, and comments only: no profile, no error. */
	CHECK(parse(&c, "") == NULL && c.n == 0);
	CHECK(parse(&c, "# nothing\n\n   # more\n") == NULL && c.n == 0);
	conffile_free(&c);
}

static void
test_builtin(void)
{
	static const char *const want[] = {
		"m365", "gmail", "gmail-465", "outlook", "icloud", "yahoo", "yahoo-587"
	};
	const struct conffile_profile	*p;
	size_t				 i;

	CHECK(conffile_nbuiltin == sizeof want / sizeof want[0]);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		p = conffile_find(NULL, want[i]);
		CHECK(p != NULL);
		if (p == NULL)
			continue;
		CHECK(p->host != NULL && p->port != NULL && p->note != NULL);
		CHECK(p->mode == (strcmp(p->port, "465") == 0 ?
		    CONFFILE_MODE_TLS : CONFFILE_MODE_STARTTLS));
	}
	CHECK_STR(conffile_find(NULL, "gmail-465")->host, "smtp.gmail.com");
	CHECK_STR(conffile_find(NULL, "outlook")->host, "smtp-mail.outlook.com");
	CHECK_STR(conffile_find(NULL, "icloud")->host, "smtp.mail.me.com");
	CHECK_STR(conffile_find(NULL, "yahoo")->host, "smtp.mail.yahoo.com");
}

static void
test_bad(void)
{
	bad("[profile a]\nhost = x\n[profile a]\n",
	    "cfg:3: profile \"a\" defined twice (first at line 1)");
	bad("[profile a]\n# fine\nhots = x\n",
	    "cfg:3: unknown key \"hots\" (see the README, \"Config file\")");
	bad("[profile a]\nhost x\n",
	    "cfg:2: \"host x\" is not \"key = value\" nor [profile NAME]");
	bad("[profile a]\npassword = Hunter2x\n",
	    "cfg:2: a password never sits in the config file (anyone who can "
	    "read the file or its backups has it): use password-file or "
	    "password-command");
	bad("host = x\n", "cfg:1: \"host\" before any [profile NAME] section");
	bad("[profile a]\nport = 99999\n",
	    "cfg:2: bad port \"99999\": a number from 1 to 65535");
	bad("[profile a]\nport = 25x\n",
	    "cfg:2: bad port \"25x\": a number from 1 to 65535");
	bad("[profile a]\nmode = ssl\n", "cfg:2: bad mode \"ssl\": plain, starttls, "
	    "starttls=if-offered or tls");
	bad("[profile a]\ntls-version = 1.1\n",
	    "cfg:2: bad tls-version \"1.1\": 1.2 or 1.3");
	bad("[profile a]\ntimeout = 0\n",
	    "cfg:2: bad timeout \"0\": seconds, from 1 to 3600");
	bad("[profile a]\nconnect-timeout = ten\n",
	    "cfg:2: bad connect-timeout \"ten\": seconds, from 1 to 3600");
	bad("[profile a]\njournal = yes\n", "cfg:2: bad journal \"yes\": on or off");
	bad("[profile a]\nhost =\n", "cfg:2: host wants a value");
	bad("[profile a]\nhost = a\nhost = b\n",
	    "cfg:3: host given twice in this profile");
	bad("[profile a]\nmode = tls\nmode = plain\n",
	    "cfg:3: mode given twice in this profile");
	bad("[profile a]\nhost = [::1]:25\n",
	    "cfg:2: bad host \"[::1]:25\": a name or an address, without brackets "
	    "or port (use port = N)");
	bad("[server a]\n", "cfg:1: bad section header: write [profile NAME]");
	bad("[profile a\n", "cfg:1: bad section header: write [profile NAME]");
	bad("[profile]\n", "cfg:1: bad section header: write [profile NAME]");
	bad("[profile a b]\n",
	    "cfg:1: bad profile name \"a b\": letters, digits, '.', '_' and '-'");
	bad("\n\n[profile a]\n\n\nbogus\n",
	    "cfg:6: \"bogus\" is not \"key = value\" nor [profile NAME]");
}

static void
test_load(void)
{
	struct conffile	 c;
	char		 dir[] = "/tmp/unit-config.XXXXXX", *path, *err = NULL;
	FILE		*f;

	memset(&c, 0, sizeof c);
	if (mkdtemp(dir) == NULL) {
		CHECK(0);
		return;
	}
	path = malloc(strlen(dir) + 16);
	sprintf(path, "%s/config", dir);
	/* Missing: an empty config, no error. */
	CHECK(conffile_load(&c, path, &err) == 0 && err == NULL && c.n == 0);
	f = fopen(path, "w");
	fputs("[profile x]\nhost = h\nwhat\n", f);
	fclose(f);
	CHECK(conffile_load(&c, path, &err) == -1);
	CHECK(err != NULL && strncmp(err, path, strlen(path)) == 0 &&
	    strstr(err, ":3: ") != NULL);
	free(err);
	err = NULL;
	f = fopen(path, "w");
	fputs("[profile x]\nhost = h\n", f);
	fclose(f);
	CHECK(conffile_load(&c, path, &err) == 0 && c.n == 1);
	CHECK_STR(c.path, path);
	conffile_free(&c);
	unlink(path);
	rmdir(dir);
	free(path);

	/* The path: XDG_CONFIG_HOME when absolute, else ~/.config. */
	setenv("XDG_CONFIG_HOME", "/x/y", 1);
	path = conffile_path();
	CHECK_STR(path, "/x/y/smtpcon/config");
	free(path);
	setenv("XDG_CONFIG_HOME", "relative", 1);
	setenv("HOME", "/home/u", 1);
	path = conffile_path();
	CHECK_STR(path, "/home/u/.config/smtpcon/config");
	free(path);
}

int
main(void)
{
	test_good();
	test_builtin();
	test_bad();
	test_load();
	return (unit_done());
}
