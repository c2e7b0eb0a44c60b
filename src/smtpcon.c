/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* smtpcon: talk SMTP to a mail server by hand. Options, then one of the two front ends. */
#include "config.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "check-line.h"
#include "cmd.h"
#include "launch.h"
#include "opts.h"
#include "outcome.h"
#include "trace.h"
#include "ui.h"
#include "vis.h"
#include "xmalloc.h"

/* --practice: start the practice server and aim at it. -1 to go on, else the status. */
static int
smtpcon_practice(struct opts *o, struct launch *practice, char **target)
{
	char	*err = NULL;

	if (o->target != NULL) {
		fprintf(stderr, "smtpcon: --practice connects to the practice "
		    "server: give no server\n");
		return (EXIT_USAGE);
	}
	if (strcmp(o->scenario, "list") == 0)
		return (launch_list() == 0 ? EXIT_OK : EXIT_USAGE);
	if (launch_practice(o->scenario, practice, &err) != 0) {
		fprintf(stderr, "smtpcon: %s\n(try smtpcon --practice=list)\n", err);
		free(err);
		return (EXIT_CONNECT);
	}
	o->practice = practice;
	o->target = *target = xasprintf("127.0.0.1:%s", practice->port);
	if (o->sess.tls.cafile == NULL)
		o->sess.tls.cafile = practice->cafile;
	return (-1);
}

/* The console's commands (cmd.c), given to the console (ui.c), which knows none itself. */
static const struct ui_commands smtpcon_commands = {
	cmd_run, cmd_complete, cmd_complete_free, cmd_save_at_exit
};

int
main(int argc, char *argv[])
{
	struct opts	 o;
	struct launch	 practice;
	struct outcome	 out;
	char		*target = NULL, *why = NULL;
	int		 status;

	/* A crash must not leave the password in a core file for anyone to read. */
	setrlimit(RLIMIT_CORE, &(struct rlimit){ 0, 0 });
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	setlocale(LC_CTYPE, "");
	vis_init();

	if ((status = opts_parse(&o, argc, argv)) != -1 ||
	    (o.scenario != NULL &&
	    (status = smtpcon_practice(&o, &practice, &target)) != -1)) {
		opts_free(&o);
		return (status);
	}
	if (o.check != NULL) {
		status = check_line_main(&o);
		opts_free(&o);
		trace_close();
		return (status);
	}
	if (o.batch || !isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		batch_main(&o, &out);
	else if (ui_terminal_check(&why) != 0) {
		/* A terminal curses can't drive: line mode, said once. */
		fprintf(stderr, "smtpcon: %s can't drive the console; using line "
		    "mode (--batch)\n", why);
		free(why);
		batch_main(&o, &out);
	} else if (ui_main(&o, &smtpcon_commands, &out) != 0)
		batch_main(&o, &out);
	status = outcome_status(&out);
	if (o.practice != NULL)
		launch_stop(o.practice);
	opts_free(&o);
	free(target);
	trace_close();
	return (status);
}
