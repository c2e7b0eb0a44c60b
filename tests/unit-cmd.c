/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Unit tests of the console's command and verb tables: a row added to cmd.c's table or to
 * smtp.c's verb table shows up everywhere the console lists commands and verbs (lookup,
 * the unknown-command error, the help index, the help topics, Tab completion) and has its
 * help file; the help texts that are still written by hand name it too.
 *
 * cmd.c's handlers call into the curses front end: the few ui_* functions they use are
 * stubs here, so the test needs no terminal.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "conffile.h"
#include "help.h"
#include "smtp.h"
#include "smtp-int.h"	/* smtp_classify: the engine reads the same table */
#include "ui.h"
#include "xmalloc.h"
#include "unit.h"

static char	*stub_local;		/* the last ui_local() text */
static int	 stub_dirty;

void
ui_local(struct ui *u, enum tr_kind kind, const char *fmt, ...)
{
	va_list	ap;

	(void)u;
	(void)kind;
	free(stub_local);
	va_start(ap, fmt);
	stub_local = xvasprintf(fmt, ap);
	va_end(ap);
}

void
ui_dirty(struct ui *u)
{
	(void)u;
	stub_dirty++;
}

void
ui_connect(struct ui *u, const char *spec, enum session_mode mode)
{
	(void)u;
	(void)spec;
	(void)mode;
}

static char	*stub_profile;		/* the last ui_connect_profile() name */
static char	*stub_mx;		/* the last ui_connect_mx() call */

void
ui_connect_mx(struct ui *u, const char *domain, const char *spec, const char *port,
    enum session_mode mode)
{
	(void)u;
	free(stub_mx);
	stub_mx = xasprintf("%s %s %s %d", domain, spec != NULL ? spec : "-",
	    port != NULL ? port : "-", (int)mode);
}

void
ui_connect_profile(struct ui *u, const char *name, enum session_mode mode,
    int mode_set)
{
	(void)u;
	free(stub_profile);
	stub_profile = xasprintf("%s %d %d", name, (int)mode, mode_set);
}

void
ui_quit(struct ui *u)
{
	(void)u;
}

void
ui_view_clear(struct ui *u)
{
	(void)u;
}

void
ui_ask_auth_command(struct ui *u, const char *mech, const char *user)
{
	(void)u;
	(void)mech;
	(void)user;
}

void
ui_help_show(struct ui *u, char *text)
{
	(void)u;
	free(text);
}

static int	 stub_tasks;		/* ui_task_start() calls */

int
ui_task_start(struct ui *u, const struct ui_task *t)
{
	(void)u;
	stub_tasks++;
	t->finish(u, t->arg, 1);
	return (0);
}

int
ui_task_running(const struct ui *u)
{
	(void)u;
	return (0);
}

void
ui_input_set(struct ui *u, const char *line)
{
	(void)u;
	(void)line;
}

void
ui_draw(struct ui *u)
{
	(void)u;
}

/* word stands alone in text: no letter, digit, '-' or '/' either side. */
static int
has_word(const char *text, const char *word)
{
	const char	*p = text;
	size_t		 n = strlen(word);

	while ((p = strstr(p, word)) != NULL) {
		if ((p == text || (!isalnum((unsigned char)p[-1]) && p[-1] != '-' &&
		    p[-1] != '/')) && !isalnum((unsigned char)p[n]) && p[n] != '-')
			return (1);
		p++;
	}
	return (0);
}

/* The candidates Tab offers on line, the word being completed starting at start. */
static int
completes(const char *line, int start, const char *const *s, const char *want)
{
	char	**v = cmd_complete(line, line + start, start, s);
	size_t	  i;
	int	  found = 0;

	for (i = 0; v != NULL && v[i] != NULL; i++) {
		if (strcmp(v[i], want) == 0)
			found = 1;
	}
	cmd_complete_free(v);
	return (found);
}

static size_t
ncompletes(const char *line, int start, const char *const *s)
{
	char	**v = cmd_complete(line, line + start, start, s);
	size_t	  n = 0;

	while (v != NULL && v[n] != NULL)
		n++;
	cmd_complete_free(v);
	return (n);
}

/* The part of text from the line starting with from up to the one starting with to. */
static char *
section(const char *text, const char *from, const char *to)
{
	const char	*a, *b;

	if ((a = strstr(text, from)) == NULL)
		return (xstrdup(""));
	if ((b = strstr(a, to)) == NULL)
		b = a + strlen(a);
	return (xstrndup(a, b - a));
}

static char *
slurp(const char *path)
{
	FILE	*f;
	char	*buf = xcalloc(1, 256 * 1024 + 1);

	if ((f = fopen(path, "r")) != NULL) {
		if (fread(buf, 1, 256 * 1024, f) == 0)
			buf[0] = '\0';
		fclose(f);
	}
	return (buf);
}

static void
test_commands(void)
{
	const struct cmd	*c;
	const char *const	*s = NULL;
	char			*unknown, *index, *err, *text, *line, *want;
	size_t			 i;

	CHECK(cmd_count() > 0);
	CHECK(cmd_at(cmd_count()) == NULL);
	CHECK(cmd_find("frobnicate") == NULL);
	CHECK(cmd_find("") == NULL);
	unknown = cmd_unknown("frobnicate");
	CHECK(strncmp(unknown, "unknown command /frobnicate: the commands are /",
	    47) == 0);
	CHECK(strstr(unknown, " (/help for more)") != NULL);
	CHECK((index = cmd_help_load("", &err)) != NULL);
	CHECK(index == NULL || strstr(index, "@commands") == NULL);
	CHECK(ncompletes("/", 0, s) == cmd_count());

	for (i = 0; (c = cmd_at(i)) != NULL; i++) {
		/* Lookup. */
		CHECK(cmd_find(c->name) == c);
		CHECK(c->usage != NULL && c->usage[0] == '/' &&
		    strncmp(c->usage + 1, c->name, strlen(c->name)) == 0);
		CHECK(c->summary != NULL && c->summary[0] != '\0');
		CHECK(c->fn != NULL);
		/* The unknown-command error. */
		want = xasprintf("/%s", c->name);
		CHECK(has_word(unknown, want));
		/* Tab on the first word, and after /help. */
		CHECK(completes("/", 0, s, want));
		CHECK(completes(want, 0, s, want));
		free(want);
		line = xasprintf("/help %.2s", c->name);
		CHECK(completes(line, 6, s, c->name));
		free(line);
		/* Its help file, asked for with and without the '/'. */
		CHECK(c->topic != NULL && strncmp(c->topic, "cmd-", 4) == 0);
		line = xasprintf("/%s", c->name);
		text = cmd_help_load(line, &err);
		CHECK(text != NULL);
		if (text == NULL) {
			fprintf(stderr, "help on %s: %s\n", line, err);
			free(err);
		}
		free(text);
		free(line);
		CHECK((text = cmd_help_load(c->name, &err)) != NULL);
		free(text);
		/* The help index: its usage and summary on a line. */
		line = xasprintf("  %s ", c->usage);
		CHECK(index != NULL && strstr(index, line) != NULL);
		free(line);
		CHECK(index != NULL && strstr(index, c->summary) != NULL);
	}
	/* An unknown command is said to be one, with the list. */
	CHECK(cmd_run(NULL, "/frobnicate now") == -1);
	CHECK_STR(stub_local, unknown);
	free(unknown);
	free(index);
}

static void
test_run(void)
{
	struct ui	u;

	memset(&u, 0, sizeof u);
	CHECK(cmd_run(&u, "/tls") == 0);
	CHECK(u.show_tls == 1 && stub_dirty == 1);
	CHECK(cmd_run(&u, "/timestamps on") == 0);
	CHECK(u.timestamps == TRANSCRIPT_STAMP);
	CHECK(cmd_run(&u, "/timestamps ms") == 0);
	CHECK(u.timestamps == TRANSCRIPT_STAMP_MS);
	CHECK(cmd_run(&u, "/timestamps") == 0);
	CHECK(u.timestamps == TRANSCRIPT_NOSTAMP);
	CHECK(cmd_run(&u, "/timestamps sideways") == 0);
	CHECK_STR(stub_local, "usage: /timestamps [on|off|ms]");
	CHECK(cmd_run(&u, "/") == -1);
	/* Commands are named in lower case, as the table has them. */
	CHECK(cmd_run(&u, "/TLS") == -1);
}

static void
test_verbs(void)
{
	const struct smtp_verb_entry	*v;
	const char *const		*s = NULL;
	char				*text, *err, *line, lower[16];
	size_t				 i, k, n = 0;

	CHECK(smtp_verb_count() > 0);
	CHECK(smtp_verb_at(smtp_verb_count()) == NULL);
	CHECK(smtp_verb_find("FROBNICATE") == NULL);
	CHECK(smtp_classify("FROBNICATE") == SMTP_CMD_OTHER);
	for (i = 0; (v = smtp_verb_at(i)) != NULL; i++) {
		CHECK(smtp_verb_find(v->name) == v);
		CHECK(smtp_classify(v->name) == v->cmd);
		CHECK(v->summary != NULL && v->summary[0] != '\0');
		for (k = 0; v->name[k] != '\0' && k < sizeof lower - 1; k++)
			lower[k] = tolower((unsigned char)v->name[k]);
		lower[k] = '\0';
		CHECK(smtp_verb_find(lower) == v);
		if (v->complete != NULL) {
			n++;
			CHECK(strncmp(v->complete, v->name, strlen(v->name)) == 0);
			CHECK(completes("", 0, s, v->complete));
			/* Typed in lower case, the verb completes all the same. */
			CHECK(completes(lower, 0, s, v->complete));
		}
		if (v->topic == NULL)
			continue;
		CHECK(strncmp(v->topic, "smtp-", 5) == 0);
		CHECK((text = cmd_help_load(v->name, &err)) != NULL);
		if (text == NULL) {
			fprintf(stderr, "help on %s: %s\n", v->name, err);
			free(err);
		}
		free(text);
		CHECK((text = cmd_help_load(lower, &err)) != NULL);
		free(text);
		line = xasprintf("/help %.2s", lower);
		CHECK(completes(line, 6, s, v->name));
		free(line);
	}
	/* The first word: every verb that completes and every command. */
	CHECK(ncompletes("", 0, s) == n + cmd_count());
	CHECK(smtp_verb_find("lhlo") != NULL && smtp_classify("LHLO") == SMTP_CMD_EHLO);
}

/* The help topics and what "no help" lists. */
static void
test_topics(void)
{
	const struct smtp_verb_entry	*v;
	const struct cmd		*c;
	const char *const		*p;
	const char			*w;
	char				*text, *err = NULL, *name;
	size_t				 i, n = 0, nverbs = 0;

	for (i = 0; (v = smtp_verb_at(i)) != NULL; i++)
		nverbs += v->topic != NULL;
	for (p = cmd_help_topics(); *p != NULL; p++) {
		n++;
		CHECK((text = cmd_help_load(*p, &err)) != NULL);
		free(text);
	}
	/* The verbs with help, the commands, CHUNKING and keys. */
	CHECK(n == nverbs + cmd_count() + 2);
	CHECK((text = cmd_help_load("chunking", &err)) != NULL);
	free(text);
	CHECK((text = cmd_help_load("/keys", &err)) != NULL);
	free(text);
	/* "auth" is the verb, "/auth" the command; "/helo" is nothing. */
	text = cmd_help_load("auth", &err);
	CHECK(text != NULL && strncmp(text, "AUTH: ", 6) == 0);
	free(text);
	text = cmd_help_load("/auth", &err);
	CHECK(text != NULL && strncmp(text, "/auth ", 6) == 0);
	free(text);
	CHECK(cmd_help_load("/helo", &err) == NULL);
	free(err);
	/* The topics issue 15 added. */
	text = cmd_help_load("expn", &err);
	CHECK(text != NULL && strncmp(text, "EXPN: ", 6) == 0);
	free(text);
	text = cmd_help_load("HELP", &err);
	CHECK(text != NULL && strncmp(text, "HELP: ", 6) == 0);
	free(text);
	text = cmd_help_load("etrn", &err);
	CHECK(text != NULL && strncmp(text, "ETRN: ", 6) == 0);
	free(text);
	text = cmd_help_load("bdat", &err);
	CHECK(text != NULL && strncmp(text, "BDAT", 4) == 0);
	free(text);
	/* No help: every topic named, a verb sharing another's help (HELO) once. */
	CHECK(cmd_help_load("lhlo", &err) == NULL);
	w = "no help on \"lhlo\": topics are EHLO ";
	CHECK(err != NULL && strncmp(err, w, strlen(w)) == 0 &&
	    strstr(err, ", and keys") != NULL);
	CHECK(err != NULL && !has_word(err, "HELO"));
	for (i = 0; err != NULL && (v = smtp_verb_at(i)) != NULL; i++) {
		if (v->topic != NULL && v->cmd != SMTP_CMD_HELO)
			CHECK(has_word(err, v->name));
	}
	for (i = 0; err != NULL && (c = cmd_at(i)) != NULL; i++) {
		name = xasprintf("/%s", c->name);
		CHECK(has_word(err, name));
		free(name);
	}
	free(err);
}

/* The help written by hand names every command and every verb with help. */
static void
test_docs(const char *srcdir)
{
	const struct smtp_verb_entry	*v;
	const struct cmd		*c;
	char				*path, *index, *help, *readme, *t, *w;
	size_t				 i;

	path = xasprintf("%s/help/index.txt", srcdir);
	t = slurp(path);
	index = section(t, "Help topics", "Keys");
	free(t);
	free(path);
	path = xasprintf("%s/help/cmd-help.txt", srcdir);
	t = slurp(path);
	help = section(t, "Topics", "Example");
	free(t);
	free(path);
	path = xasprintf("%s/README", srcdir);
	t = slurp(path);
	readme = section(t, "Console commands", "Keys:");
	free(t);
	free(path);
	CHECK(*index != '\0' && *help != '\0' && *readme != '\0');

	for (i = 0; (c = cmd_at(i)) != NULL; i++) {
		w = xasprintf("/%s", c->name);
		if (!has_word(index, w))
			fprintf(stderr, "help/index.txt: Help topics: no %s\n", w);
		CHECK(has_word(index, w));
		if (!has_word(readme, w))
			fprintf(stderr, "README: Console commands: no %s\n", w);
		CHECK(has_word(readme, w));
		free(w);
		if (!has_word(help, c->name))
			fprintf(stderr, "help/cmd-help.txt: Topics: no %s\n", c->name);
		CHECK(has_word(help, c->name));
	}
	for (i = 0; (v = smtp_verb_at(i)) != NULL; i++) {
		if (v->topic == NULL)
			continue;
		if (!has_word(index, v->name))
			fprintf(stderr, "help/index.txt: Help topics: no %s\n", v->name);
		CHECK(has_word(index, v->name));
		if (!has_word(help, v->name))
			fprintf(stderr, "help/cmd-help.txt: Topics: no %s\n", v->name);
		CHECK(has_word(help, v->name));
	}
	free(index);
	free(help);
	free(readme);
}

static void
test_complete_args(void)
{
	const char *const	*s = NULL;
	const char		*caps[] = { "PIPELINING", "SIZE 10240000", "8BITMIME",
				    "DSN", "AUTH PLAIN LOGIN CRAM-MD5", "SMTPUTF8", "CHUNKING",
				    NULL };

	CHECK(completes("/connect --", 9, s, "--tls"));
	CHECK(completes("/connect ", 9, s, "--starttls"));
	CHECK(completes("/timestamps o", 12, s, "on"));
	CHECK(completes("/timestamps O", 12, s, "off"));
	CHECK(completes("/timestamps m", 12, s, "ms"));
	CHECK(ncompletes("/save ", 6, s) == 0);
	CHECK(ncompletes("AUTH ", 5, s) == 0);
	s = caps;
	CHECK(completes("AUTH CR", 5, s, "CRAM-MD5"));
	CHECK(ncompletes("AUTH ", 5, s) == 3);
	CHECK(completes("MAIL FROM:<a@b> ", 16, s, "SIZE="));
	CHECK(completes("MAIL FROM:<a@b> ", 16, s, "BODY=8BITMIME"));
	CHECK(completes("MAIL FROM:<a@b> ", 16, s, "RET="));
	CHECK(completes("MAIL FROM:<a@b> ", 16, s, "SMTPUTF8"));
	CHECK(completes("rcpt TO:<a@b> ", 14, s, "NOTIFY="));
	CHECK(ncompletes("RCPT TO:<a@b> ", 14, s) == 4);
	CHECK(ncompletes("DATA ", 5, s) == 0);
	s = NULL;
}

/* /connect @NAME: the profile goes to the console, with the mode given or not; Tab
 * offers the config file's profiles and the built-in ones. */
/* /check's mistakes are said in the transcript and start no check. */
static void
test_check(void)
{
	struct ui	u;

	memset(&u, 0, sizeof u);
	CHECK(cmd_run(&u, "/check") == 0);
	CHECK_STR(stub_local, "usage: /check TARGET [--ports LIST] [--all-mx]");
	CHECK(cmd_run(&u, "/check a.example b.example") == 0);
	CHECK_STR(stub_local, "usage: /check TARGET [--ports LIST] [--all-mx]");
	CHECK(cmd_run(&u, "/check a.example --fast") == 0);
	CHECK_STR(stub_local, "usage: /check TARGET [--ports LIST] [--all-mx]");
	CHECK(cmd_run(&u, "/check a.example --ports 25,0") == 0);
	CHECK(stub_local != NULL && strncmp(stub_local, "/check: ", 8) == 0);
	CHECK(cmd_run(&u, "/check a.example --ports 25,25") == 0);
	CHECK(stub_local != NULL && strncmp(stub_local, "/check: ", 8) == 0);
	CHECK(stub_tasks == 0);
}

/* /connect --mx DOMAIN [HOST]: by mail domain; a bad domain or @NAME with it is usage. */
static void
test_connect_mx(void)
{
	struct ui	u;

	memset(&u, 0, sizeof u);
	CHECK(cmd_run(&u, "/connect --mx example.com") == 0);
	CHECK_STR(stub_mx, "example.com - - 0");
	CHECK(cmd_run(&u, "/connect --mx example.com mx2.example.com:2525 --starttls") == 0);
	CHECK_STR(stub_mx, "example.com mx2.example.com:2525 - 1");
	CHECK(cmd_run(&u, "/connect --starttls=if-offered --mx example.org") == 0);
	CHECK_STR(stub_mx, "example.org - - 3");
	free(stub_mx);
	stub_mx = NULL;
	CHECK(cmd_run(&u, "/connect --mx") == 0);
	CHECK(stub_local != NULL && strncmp(stub_local, "usage: /connect", 15) == 0);
	CHECK(cmd_run(&u, "/connect --mx 'bad name'") == 0);
	CHECK(cmd_run(&u, "/connect --mx a.example @work") == 0);
	CHECK(cmd_run(&u, "/connect --mx a.example --mx b.example") == 0);
	CHECK(stub_mx == NULL);
}

static void
test_profiles(void)
{
	struct conffile	 c;
	char		*err = NULL;

	memset(&c, 0, sizeof c);
	CHECK(cmd_run(NULL, "/connect @work") == 0);
	CHECK_STR(stub_profile, "work 0 0");
	CHECK(cmd_run(NULL, "/connect @gmail --tls") == 0);
	CHECK_STR(stub_profile, "gmail 2 1");
	CHECK(completes("/connect @gm", 9, NULL, "@gmail"));
	CHECK(completes("/connect @", 9, NULL, "@m365"));
	CHECK(ncompletes("/connect @gmail", 9, NULL) == 2);
	CHECK(ncompletes("/connect @my", 9, NULL) == 0);
	CHECK(conffile_parse(&c, "cfg", "[profile mylab]\nhost = h\n", &err) == 0);
	conffile_use(&c);
	CHECK(completes("/connect @my", 9, NULL, "@mylab"));
	conffile_free(&c);
	CHECK(ncompletes("/connect @my", 9, NULL) == 0);
	free(stub_profile);
	stub_profile = NULL;
}

int
main(void)
{
	const char	*srcdir = getenv("srcdir");
	char		*dir;

	if (srcdir == NULL)
		srcdir = ".";
	dir = xasprintf("%s/help", srcdir);
	setenv("SMTPCON_HELPDIR", dir, 1);
	free(dir);
	test_commands();
	test_run();
	test_verbs();
	test_topics();
	test_docs(srcdir);
	test_complete_args();
	test_profiles();
	test_connect_mx();
	test_check();
	free(stub_local);
	return (unit_done());
}
