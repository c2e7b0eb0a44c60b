/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * /check TARGET in the console: the server check (check.c) run beside the session in the
 * console's loop. Its report fills the help viewer to be read and scrolled; the
 * transcript keeps the result, what is wrong and what to use; and the /connect line for
 * the port to use waits on the command line, for Enter.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cmd.h"
#include "ui.h"
#include "xmalloc.h"

struct cmd_check {
	struct check		*check;
	struct check_opts	 opts;
	int			*ports;
	size_t			 nports;
	char			*target;
};

static struct pollfd *
cmd_check_poll(void *arg, size_t *n, int *timeout)
{
	struct cmd_check	*cc = arg;

	return (check_poll(cc->check, n, timeout));
}

static void
cmd_check_io(void *arg)
{
	struct cmd_check	*cc = arg;

	check_io(cc->check);
}

static int
cmd_check_done(void *arg)
{
	struct cmd_check	*cc = arg;

	return (check_done(cc->check));
}

/* The /connect line for what the summary says to use, or NULL. */
static char *
cmd_check_connect(const struct check_summary *s)
{
	const char	*mode, *host;
	int		 v6;

	if (s->host == NULL || s->port == NULL)
		return (NULL);
	host = s->host->name;
	v6 = strchr(host, ':') != NULL;
	mode = check_port_mode(s->port);
	return (xasprintf("/connect %s%s%s:%d%s", v6 ? "[" : "", host, v6 ? "]" : "",
	    s->port->port, s->port->implicit ? "" : strcmp(mode, "STARTTLS") == 0 ?
	    " --starttls" : ""));
}

static void
cmd_check_finish(struct ui *u, void *arg, int cancelled)
{
	struct cmd_check	*cc = arg;
	const struct check_report *r;
	struct check_summary	 s;
	char			*text, *line;
	size_t			 i;

	if (cancelled)
		ui_local(u, TR_WARN, "check of %s cancelled (Ctrl-C)", cc->target);
	else {
		r = check_report(cc->check);
		check_summarize(r, &s);
		text = check_report_text(r, &s);
		ui_local(u, s.result == CHECK_R_VERIFIED ? TR_LOCAL : TR_WARN,
		    "check of %s (%.1f s): %s", cc->target, r->elapsed_ms / 1000.0,
		    s.result_text);
		for (i = 0; i < s.nproblems; i++)
			ui_local(u, TR_WARN, "  %s", s.problems[i]);
		line = cmd_check_connect(&s);
		if (s.use != NULL)
			ui_local(u, TR_HINT, "use %s%s", s.use, line != NULL ?
			    " (the /connect line waits on the command line: Enter)" : "");
		ui_help_show(u, text);
		if (line != NULL)
			ui_input_set(u, line);
		free(line);
		check_summary_free(&s);
	}
	check_free(cc->check);
	free(cc->ports);
	free(cc->target);
	free(cc);
}

void
cmd_check_run(struct ui *u, int argc, char **argv)
{
	struct cmd_check	*cc;
	struct ui_task		 t;
	const char		*target = NULL, *ports = CHECK_PORTS_DEFAULT;
	char			*err = NULL;
	int			 i, all_mx = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--all-mx") == 0)
			all_mx = 1;
		else if (strcmp(argv[i], "--ports") == 0 && i + 1 < argc)
			ports = argv[++i];
		else if (argv[i][0] == '-' || target != NULL) {
			cmd_usage(u, "check");
			return;
		} else
			target = argv[i];
	}
	if (target == NULL) {
		cmd_usage(u, "check");
		return;
	}
	if (ui_task_running(u)) {
		ui_local(u, TR_ERROR, "a check is running: wait for it, or Ctrl-C "
		    "to give it up");
		return;
	}
	cc = xcalloc(1, sizeof *cc);
	if (check_ports_parse(ports, &cc->ports, &cc->nports, &err) != 0) {
		ui_local(u, TR_ERROR, "/check: %s", err);
		free(err);
		free(cc);
		return;
	}
	cc->target = xstrdup(target);
	cc->opts.ports = cc->ports;
	cc->opts.nports = cc->nports;
	cc->opts.all_mx = all_mx;
	cc->opts.family = u->opts->sess.family;
	cc->opts.connect_timeout = u->opts->sess.connect_timeout;
	cc->opts.reply_timeout = u->opts->sess.reply_timeout;
	cc->opts.ehlo = u->opts->ehlo;
	cc->opts.tls = u->opts->sess.tls;
	ui_local(u, TR_LOCAL, "checking %s: ports %s (EHLO and QUIT only; Ctrl-C "
	    "gives up)", target, ports);
	/* The DNS lookups block: the line above shows while they run. */
	ui_draw(u);
	if ((cc->check = check_new(&cc->opts, target, &err)) == NULL) {
		ui_local(u, TR_ERROR, "/check: %s", err);
		free(err);
		free(cc->ports);
		free(cc->target);
		free(cc);
		return;
	}
	memset(&t, 0, sizeof t);
	t.arg = cc;
	t.poll = cmd_check_poll;
	t.io = cmd_check_io;
	t.done = cmd_check_done;
	t.finish = cmd_check_finish;
	ui_task_start(u, &t);
}
