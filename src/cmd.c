/* Console commands. Adding one is adding a row and a function. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "explain.h"
#include "journal.h"
#include "tlsview.h"
#include "ui.h"
#include "xmalloc.h"

#define CMD_ARGS_MAX	8

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

const struct cmd cmd_table[] = {
	{ "connect", "/connect host[:port] [--tls|--starttls]",
	  "connect to a server (replaces the current connection)", cmd_connect },
	{ "disconnect", "/disconnect", "drop the connection without QUIT",
	  cmd_disconnect },
	{ "quit", "/quit", "send QUIT if connected, then leave", cmd_quit },
	{ "help", "/help [topic]", "help on a verb (DATA), a command (save), keys, "
	  "or a reply code (535 5.7.8)",
	  cmd_help },
	{ "save", "/save FILE", "save the transcript (secrets redacted)", cmd_save },
	{ "chain", "/chain FILE", "save the server's certificate chain as PEM",
	  cmd_chain },
	{ "clear", "/clear", "clear the transcript pane", cmd_clear },
	{ "timestamps", "/timestamps [on|off]", "show the time of each line",
	  cmd_timestamps },
	{ "tls", "/tls", "show or hide the TLS pane (F2)", cmd_tls },
	{ "auth", "/auth [MECH] [USER]", "log in: the whole AUTH exchange in one step",
	  cmd_auth },
	{ NULL, NULL, NULL, NULL }
};

const char *const *
cmd_names(void)
{
	static const char	*names[sizeof cmd_table / sizeof cmd_table[0]];
	static char		 buf[sizeof cmd_table / sizeof cmd_table[0]][16];
	size_t			 i;

	if (names[0] == NULL) {
		for (i = 0; cmd_table[i].name != NULL; i++) {
			snprintf(buf[i], sizeof buf[i], "/%s", cmd_table[i].name);
			names[i] = buf[i];
		}
		names[i] = NULL;
	}
	return (names);
}

static void
cmd_usage(struct ui *u, const char *name)
{
	size_t	i;

	for (i = 0; cmd_table[i].name != NULL; i++) {
		if (strcmp(cmd_table[i].name, name) == 0)
			ui_local(u, TR_ERROR, "usage: %s", cmd_table[i].usage);
	}
}

int
cmd_run(struct ui *u, const char *line)
{
	char	*copy, *argv[CMD_ARGS_MAX + 1], *save = NULL, *w;
	int	 argc = 0;
	size_t	 i, len;

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
	len = strlen(argv[0]);
	for (i = 0; cmd_table[i].name != NULL; i++) {
		if (strcmp(cmd_table[i].name, argv[0]) == 0)
			break;
	}
	if (cmd_table[i].name == NULL) {
		ui_local(u, TR_ERROR, "unknown command /%s: the commands are /connect "
		    "/disconnect /quit /help /save /chain /clear /timestamps /tls /auth "
		    "(/help for more)", argv[0]);
		free(copy);
		return (-1);
	}
	(void)len;
	cmd_table[i].fn(u, argc, argv);
	free(copy);
	return (0);
}

static void
cmd_connect(struct ui *u, int argc, char **argv)
{
	enum session_mode	 mode = SESSION_PLAIN;
	const char		*spec = NULL;
	int			 i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--tls") == 0)
			mode = SESSION_TLS;
		else if (strcmp(argv[i], "--starttls") == 0)
			mode = SESSION_STARTTLS;
		else if (argv[i][0] == '-' || spec != NULL) {
			cmd_usage(u, "connect");
			return;
		} else
			spec = argv[i];
	}
	if (spec == NULL) {
		cmd_usage(u, "connect");
		return;
	}
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
	char		*text;

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
	text = xasprintf("Reply code %s%s%s\n\n%s%s%s%s%s%s\n", argc > 1 ? argv[1] : "",
	    argc > 2 ? " " : "", argc > 2 ? argv[2] : "",
	    ex.basic != NULL && !guessed ? ex.basic : "",
	    ex.basic != NULL && !guessed ? "\n" : "",
	    ex.enhanced != NULL ? ex.enhanced : "", ex.enhanced != NULL ? "\n" : "",
	    ex.hint != NULL ? "\nWhat to try: " : "", ex.hint != NULL ? ex.hint : "");
	ui_help_show(u, text);
	return (0);
}

static void
cmd_help(struct ui *u, int argc, char **argv)
{
	if (argc > 1 && argv[1][0] >= '2' && argv[1][0] <= '5') {
		cmd_help_code(u, argc, argv);
		return;
	}
	ui_help_open(u, argc > 1 ? argv[1] : "");
	/* Where this session's journal is, below the help on saving. */
	if (argc > 1 && u->help_text != NULL && (strcmp(argv[1], "save") == 0 ||
	    strcmp(argv[1], "/save") == 0))
		ui_help_show(u, xasprintf("%s\nThis session's journal: %s\n",
		    u->help_text, journal_active_path() != NULL ?
		    journal_active_path() : journal_enabled() ? "none (it could not "
		    "be created: see the start of the transcript)" : "none "
		    "(--no-journal)"));
}

static void
cmd_save(struct ui *u, int argc, char **argv)
{
	char	*err = NULL;

	if (argc != 2) {
		cmd_usage(u, "save");
		if (journal_active_path() != NULL)
			ui_local(u, TR_LOCAL, "the journal is written as you go: %s",
			    journal_active_path());
		return;
	}
	if (transcript_save(&u->tr, argv[1], &err) != 0) {
		ui_local(u, TR_ERROR, "%s", err);
		free(err);
		return;
	}
	ui_local(u, TR_LOCAL, "transcript saved to %s (secrets redacted)", argv[1]);
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
		u->timestamps = !u->timestamps;
	else if (strcmp(argv[1], "on") == 0)
		u->timestamps = 1;
	else if (strcmp(argv[1], "off") == 0)
		u->timestamps = 0;
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
