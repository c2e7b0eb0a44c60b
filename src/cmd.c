/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Console commands: the table, lookup and the handlers. Adding one is adding a row and
 * a function (and its help file). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "dns.h"
#include "explain.h"
#include "journal.h"
#include "save.h"
#include "script.h"
#include "tlsview.h"
#include "ui.h"
#include "xmalloc.h"

#define CMD_ARGS_MAX	8
#define CMD_INDEX_USAGE	20	/* the width of the help index's usage column */

/* The line being run, whole: a reply line for /help has more words than argv. */
static const char	*cmd_line;

static void	cmd_connect(struct ui *, int, char **);
static void	cmd_disconnect(struct ui *, int, char **);
static void	cmd_quit(struct ui *, int, char **);
static void	cmd_help(struct ui *, int, char **);
static void	cmd_save(struct ui *, int, char **);
static void	cmd_chain(struct ui *, int, char **);
static void	cmd_clear(struct ui *, int, char **);
static void	cmd_timestamps(struct ui *, int, char **);
static void	cmd_tls(struct ui *, int, char **);
static void	cmd_auth(struct ui *, int, char **);

static const struct cmd cmd_table[] = {
	{ "connect", "/connect host[:port]|@profile|--mx domain [host[:port]] "
	  "[--tls|--starttls[=if-offered]]",
	  "open a connection", "cmd-connect",
	  "--tls --starttls --starttls=if-offered --mx",
	  cmd_connect },
	{ "disconnect", "/disconnect", "close it without QUIT", "cmd-disconnect",
	  NULL, cmd_disconnect },
	{ "quit", "/quit", "send QUIT if connected, then exit", "cmd-quit", NULL,
	  cmd_quit },
	{ "help", "/help [topic]", "help on a verb, a command, or keys", "cmd-help",
	  NULL, cmd_help },
	{ "save", "/save [--script] FILE", "save the transcript, secrets hidden",
	  "cmd-save",
	  NULL, cmd_save },
	{ "chain", "/chain FILE", "save the server's certificates (PEM)",
	  "cmd-chain", NULL, cmd_chain },
	{ "clear", "/clear", "clear the transcript pane", "cmd-clear", NULL,
	  cmd_clear },
	{ "timestamps", "/timestamps [on|off|ms]", "show the time of each line",
	  "cmd-timestamps", "on off ms", cmd_timestamps },
	{ "tls", "/tls", "show or hide the TLS pane", "cmd-tls", NULL, cmd_tls },
	{ "auth", "/auth [MECH] [USER]", "log in in one step", "cmd-auth", NULL,
	  cmd_auth },
	{ "check", "/check TARGET [--ports LIST] [--all-mx]",
	  "check a domain's mail servers", "cmd-check", "--ports --all-mx",
	  cmd_check_run }
};

size_t
cmd_count(void)
{
	return (sizeof cmd_table / sizeof cmd_table[0]);
}

const struct cmd *
cmd_at(size_t i)
{
	if (i >= cmd_count())
		return (NULL);
	return (&cmd_table[i]);
}

const struct cmd *
cmd_find(const char *name)
{
	size_t	i;

	for (i = 0; i < cmd_count(); i++) {
		if (strcmp(cmd_table[i].name, name) == 0)
			return (&cmd_table[i]);
	}
	return (NULL);
}

char *
cmd_unknown(const char *name)
{
	char	*s, *t;
	size_t	 i;

	s = xasprintf("unknown command /%s: the commands are", name);
	for (i = 0; i < cmd_count(); i++) {
		t = xasprintf("%s /%s", s, cmd_table[i].name);
		free(s);
		s = t;
	}
	t = xasprintf("%s (/help for more)", s);
	free(s);
	return (t);
}

char *
cmd_index(void)
{
	char	*s = xstrdup(""), *t;
	size_t	 i;

	for (i = 0; i < cmd_count(); i++) {
		t = xasprintf("%s  %-*s  %s\n", s, CMD_INDEX_USAGE, cmd_table[i].usage,
		    cmd_table[i].summary);
		free(s);
		s = t;
	}
	return (s);
}

void
cmd_usage(struct ui *u, const char *name)
{
	const struct cmd	*c;

	if ((c = cmd_find(name)) != NULL)
		ui_local(u, TR_ERROR, "usage: %s", c->usage);
}

int
cmd_run(struct ui *u, const char *line)
{
	const struct cmd	*c;
	char			*copy, *argv[CMD_ARGS_MAX + 1], *save = NULL, *w;
	int			 argc = 0;

	copy = xstrdup(line + 1);
	for (w = strtok_r(copy, " \t", &save); w != NULL && argc < CMD_ARGS_MAX;
	    w = strtok_r(NULL, " \t", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	if (argc == 0) {
		ui_local(u, TR_ERROR, "a console command follows the /: try /help");
		free(copy);
		return (-1);
	}
	if ((c = cmd_find(argv[0])) == NULL) {
		w = cmd_unknown(argv[0]);
		ui_local(u, TR_ERROR, "%s", w);
		free(w);
		free(copy);
		return (-1);
	}
	cmd_line = line;
	c->fn(u, argc, argv);
	cmd_line = NULL;
	free(copy);
	return (0);
}

static void
cmd_connect(struct ui *u, int argc, char **argv)
{
	enum session_mode	 mode = SESSION_PLAIN;
	const char		*spec = NULL, *mx = NULL;
	int			 i, mode_set = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--mx") == 0 && i + 1 < argc && mx == NULL &&
		    dns_name_ok(argv[i + 1]))
			mx = argv[++i];
		else if (strcmp(argv[i], "--tls") == 0)
			mode = SESSION_TLS, mode_set = 1;
		else if (strcmp(argv[i], "--starttls") == 0)
			mode = SESSION_STARTTLS, mode_set = 1;
		else if (strcmp(argv[i], "--starttls=if-offered") == 0)
			mode = SESSION_STARTTLS_IF_OFFERED, mode_set = 1;
		else if (argv[i][0] == '-' || spec != NULL) {
			cmd_usage(u, "connect");
			return;
		} else
			spec = argv[i];
	}
	if ((spec == NULL && mx == NULL) || (mx != NULL && spec != NULL &&
	    spec[0] == '@')) {
		cmd_usage(u, "connect");
		return;
	}
	if (mx != NULL)
		ui_connect_mx(u, mx, spec, NULL, mode);
	else if (spec[0] == '@')
		ui_connect_profile(u, spec + 1, mode, mode_set);
	else
		ui_connect(u, spec, mode);
}

static void
cmd_disconnect(struct ui *u, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (!session_connected(u->s)) {
		ui_local(u, TR_ERROR, "not connected");
		return;
	}
	session_close(u->s, "by /disconnect");
}

static void
cmd_quit(struct ui *u, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ui_quit(u);
}

/* "/help 535 5.7.8": a reply code explained, basic and enhanced. */
static int
cmd_help_code(struct ui *u, int argc, char **argv)
{
	struct explain	 ex;
	const char	*enh = NULL;
	int		 code = 0, i, guessed = 0;
	char		*text, *hint;

	for (i = 1; i < argc; i++) {
		if (strchr(argv[i], '.') != NULL)
			enh = argv[i];
		else if (strlen(argv[i]) == 3)
			code = atoi(argv[i]);
	}
	if (code == 0 && enh != NULL) {
		/* The class of an enhanced code alone: explain it with a code of
		 * that class, but do not show that code's text. */
		code = (enh[0] - '0') * 100 + 50;
		guessed = 1;
	}
	explain_reply(code, enh, NULL, &ex);
	if ((ex.basic == NULL || guessed) && ex.enhanced == NULL) {
		ui_local(u, TR_ERROR, "no explanation for %s%s%s", argc > 1 ?
		    argv[1] : "", argc > 2 ? " " : "", argc > 2 ? argv[2] : "");
		return (-1);
	}
	hint = ex.hint != NULL ? xasprintf("What to try: %s", ex.hint) : xstrdup("");
	text = xasprintf("Reply code %s%s%s\n\n%s%s%s%s%s%s\n", argc > 1 ? argv[1] : "",
	    argc > 2 ? " " : "", argc > 2 ? argv[2] : "",
	    ex.basic != NULL && !guessed ? ex.basic : "",
	    ex.basic != NULL && !guessed ? "\n" : "",
	    ex.enhanced != NULL ? ex.enhanced : "", ex.enhanced != NULL ? "\n" : "",
	    *hint != '\0' ? "\n" : "", hint);
	free(hint);
	ui_help_show(u, text);
	return (0);
}

/*
 * Skip what the transcript puts before a server's line: "12:34:56 " (or "12:34:56.789 "
 * as /save and the journal write it) and "S: ".
 */
static const char *
cmd_help_marks(const char *p, int *marked)
{
	size_t	n;

	p += strspn(p, " \t");
	if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
	    p[2] == ':' && isdigit((unsigned char)p[3]) &&
	    isdigit((unsigned char)p[4]) && p[5] == ':' &&
	    isdigit((unsigned char)p[6]) && isdigit((unsigned char)p[7])) {
		n = p[8] == '.' && isdigit((unsigned char)p[9]) &&
		    isdigit((unsigned char)p[10]) && isdigit((unsigned char)p[11]) ?
		    12 : 8;
		if (p[n] == ' ' || p[n] == '\t') {
			p += n + strspn(p + n, " \t");
			*marked = 1;
		}
	}
	if (p[0] == 'S' && p[1] == ':') {
		p += 2;
		p += strspn(p, " \t");
		*marked = 1;
	}
	return (p);
}

/*
 * "/help S: 535 5.7.139 Authentication unsuccessful, ...": a reply line as the
 * transcript shows it (with or without its timestamp and "S:", and the note in
 * brackets after it), explained by the rules the session's replies get, in the
 * session's state. -1 when the words are not a reply line with text: codes
 * alone ("/help 535 5.7.8") and topics are explained elsewhere.
 */
static int
cmd_help_reply(struct ui *u)
{
	struct explain_state	 st;
	struct explain		 ex;
	const char		*p, *q;
	char			*text, *end, *show, *state, *line, *why, *next;
	char			 enh[16] = "";
	size_t			 len;
	int			 marked = 0;

	p = cmd_line + 1 + strcspn(cmd_line + 1, " \t");
	p = cmd_help_marks(p, &marked);
	if (p[0] < '2' || p[0] > '5' || !isdigit((unsigned char)p[1]) ||
	    !isdigit((unsigned char)p[2]) || (p[3] != '\0' && p[3] != ' ' &&
	    p[3] != '-' && p[3] != '\t')) {
		if (!marked)
			return (-1);
		ui_local(u, TR_ERROR, "a reply line starts with its code: /help S: "
		    "535 5.7.8 Error: authentication failed");
		return (0);
	}
	/* Codes alone, unmarked: the code help. */
	q = p + 3 + (p[3] != '\0');
	q += strspn(q, " \t");
	if ((*q == '2' || *q == '4' || *q == '5') && q[1] == '.' &&
	    strcspn(q, " \t") < sizeof enh) {
		snprintf(enh, sizeof enh, "%.*s", (int)strcspn(q, " \t"), q);
		q += strlen(enh);
	}
	if (!marked && q[strspn(q, " \t")] == '\0')
		return (-1);

	/* The transcript's note, "    (tag)", is smtpcon's, not the server's. */
	text = xstrdup(p);
	len = strlen(text);
	if (len > 0 && text[len - 1] == ')' && (end = strstr(text, "    (")) != NULL) {
		while (strstr(end + 1, "    (") != NULL)
			end = strstr(end + 1, "    (");
		*end = '\0';
	}
	len = strlen(text);
	while (len > 0 && isspace((unsigned char)text[len - 1]))
		text[--len] = '\0';

	session_explain_state(u->s, NULL, &st);
	explain_reply_text(atoi(text), *enh != '\0' ? enh : NULL, text, &st, &ex);
	if (!session_connected(u->s))
		state = xstrdup("Not connected: explained without a session's state.");
	else
		state = xasprintf("Explained for this session: %s, %s, %s.",
		    st.tls == 1 ? "TLS up" : "no TLS", st.authed == 1 ?
		    "logged in" : "not logged in", st.starttls_offered == 1 ?
		    "STARTTLS offered" : st.starttls_offered == 0 ?
		    "no STARTTLS offered" : "no EHLO reply yet");
	/* next is the rule's, else the advice from the codes. */
	line = xasprintf("  %s", text);
	why = ex.cause != NULL ? xasprintf("Why: %s", ex.cause) : xstrdup("");
	next = ex.next != NULL ? xasprintf("What to try: %s", ex.next) :
	    xstrdup("");
	show = xasprintf("Reply line\n%s\n\n%s%s%s%s%s%s%s%s%s%s\n\n%s\n", line,
	    ex.basic != NULL ? ex.basic : "", ex.basic != NULL ? "\n" : "",
	    ex.enhanced != NULL ? ex.enhanced : "", ex.enhanced != NULL ? "\n" : "",
	    ex.tag != NULL ? "\nIn short: " : "", ex.tag != NULL ? ex.tag : "",
	    *why != '\0' ? "\n\n" : "", why, *next != '\0' ? "\n\n" : "", next,
	    state);
	free(line);
	free(why);
	free(next);
	free(state);
	free(text);
	ui_help_show(u, show);
	return (0);
}

static void
cmd_help(struct ui *u, int argc, char **argv)
{
	char	*text, *err = NULL;

	if (argc > 1 && cmd_line != NULL && cmd_help_reply(u) == 0)
		return;
	if (argc > 1 && argv[1][0] >= '2' && argv[1][0] <= '5') {
		cmd_help_code(u, argc, argv);
		return;
	}
	if ((text = cmd_help_load(argc > 1 ? argv[1] : "", &err)) == NULL) {
		ui_local(u, TR_ERROR, "%s", err);
		free(err);
		return;
	}
	ui_help_show(u, text);
	/* Where this session's journal is, below the help on saving. */
	if (argc > 1 && u->help_text != NULL && (strcmp(argv[1], "save") == 0 ||
	    strcmp(argv[1], "/save") == 0))
		ui_help_show(u, xasprintf("%s\nThis session's journal: %s\n",
		    u->help_text, journal_active_path() != NULL ?
		    journal_active_path() : journal_enabled() ? "none (it could not "
		    "be created: see the start of the transcript)" : "none "
		    "(--no-journal)"));
}

/* /save --script FILE: the session as a line-mode script. */
static void
cmd_save_script(struct ui *u, const char *path)
{
	struct script_target	 t;
	char			*err = NULL;
	int			 pending;

	memset(&t, 0, sizeof t);
	t.domain = session_sts_domain(u->s, &pending);
	t.host = session_host(u->s);
	t.port = session_port(u->s);
	t.user = session_authed_as(u->s) != NULL ? session_authed_as(u->s) :
	    u->opts->user;
	if (t.host == NULL || t.port == NULL) {
		ui_local(u, TR_ERROR, "no connection to write a script of");
		return;
	}
	if (script_save(&u->tr, u->opts, &t, path, &err) != 0) {
		ui_local(u, TR_ERROR, "%s", err);
		free(err);
		return;
	}
	ui_local(u, TR_LOCAL, "script of this connection saved to %s (no AUTH "
	    "answers; replay: smtpcon --batch with the options on its first line "
	    "< %s)", path, path);
}

static void
cmd_save(struct ui *u, int argc, char **argv)
{
	char	*err = NULL;

	if (argc == 3 && strcmp(argv[1], "--script") == 0) {
		cmd_save_script(u, argv[2]);
		return;
	}
	if (argc != 2 || argv[1][0] == '-') {
		cmd_usage(u, "save");
		if (journal_active_path() != NULL)
			ui_local(u, TR_LOCAL, "the journal is written as you go: %s",
			    journal_active_path());
		return;
	}
	if (save_transcript(&u->tr, session_tls(u->s), argv[1], &err) != 0) {
		ui_local(u, TR_ERROR, "%s", err);
		free(err);
		return;
	}
	ui_local(u, TR_LOCAL, "transcript saved to %s (secrets redacted)", argv[1]);
}

int
cmd_save_at_exit(struct ui *u)
{
	char	*err = NULL;
	int	 rc = 0;

	if (u->opts->save != NULL && save_transcript(&u->tr, session_tls(u->s),
	    u->opts->save, &err) != 0) {
		fprintf(stderr, "smtpcon: --save: %s\n", err);
		free(err);
		err = NULL;
		rc = -1;
	}
	if (u->opts->save_chain != NULL && tlsview_save_chain(session_tls(u->s),
	    u->opts->save_chain, &err) != 0) {
		fprintf(stderr, "smtpcon: --save-chain: %s\n", err);
		free(err);
		rc = -1;
	}
	return (rc);
}

static void
cmd_chain(struct ui *u, int argc, char **argv)
{
	const struct tls_info	*in = session_tls(u->s);
	char			*err = NULL;

	if (argc != 2) {
		cmd_usage(u, "chain");
		return;
	}
	if (tlsview_save_chain(in, argv[1], &err) != 0) {
		ui_local(u, TR_ERROR, "%s", err);
		free(err);
		return;
	}
	ui_local(u, TR_LOCAL, "certificate chain (%zu certificates) saved to %s",
	    in->ncerts, argv[1]);
}

static void
cmd_clear(struct ui *u, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ui_view_clear(u);
}

static void
cmd_timestamps(struct ui *u, int argc, char **argv)
{
	if (argc == 1)
		u->timestamps = u->timestamps ? TRANSCRIPT_NOSTAMP : TRANSCRIPT_STAMP;
	else if (strcmp(argv[1], "on") == 0)
		u->timestamps = TRANSCRIPT_STAMP;
	else if (strcmp(argv[1], "ms") == 0)
		u->timestamps = TRANSCRIPT_STAMP_MS;
	else if (strcmp(argv[1], "off") == 0)
		u->timestamps = TRANSCRIPT_NOSTAMP;
	else {
		cmd_usage(u, "timestamps");
		return;
	}
	ui_dirty(u);
}

static void
cmd_tls(struct ui *u, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	u->show_tls = !u->show_tls;
	ui_dirty(u);
}

static void
cmd_auth(struct ui *u, int argc, char **argv)
{
	if (argc > 3) {
		cmd_usage(u, "auth");
		return;
	}
	ui_ask_auth_command(u, argc > 1 ? argv[1] : NULL, argc > 2 ? argv[2] : NULL);
}
