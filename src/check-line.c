/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Line mode's server check: run the check, print its report, return its exit status. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "check-line.h"
#include "outcome.h"

int
check_line_main(const struct opts *o)
{
	struct check_opts	 co;
	struct check_summary	 sum;
	struct check		*c;
	char			*err = NULL, *out;
	int			 status;

	co.ports = o->check_ports;
	co.nports = o->check_nports;
	co.all_mx = o->check_all_mx;
	co.family = o->sess.family;
	co.connect_timeout = o->sess.connect_timeout;
	co.reply_timeout = o->sess.reply_timeout;
	co.ehlo = o->sess.ehlo;
	co.tls = o->sess.tls;
	if ((c = check_new(&co, o->check, &err)) == NULL) {
		fprintf(stderr, "smtpcon: %s\n", err);
		free(err);
		return (EXIT_USAGE);
	}
	if (!o->check_json)
		fprintf(stderr, "smtpcon: checking %s...\n", o->check);
	check_run(c);
	check_summarize(check_report(c), &sum);
	status = outcome_check(sum.result);
	if (o->check_json)
		out = check_report_json(check_report(c), &sum, status);
	else
		out = check_report_text(check_report(c), &sum);
	fputs(out, stdout);
	fflush(stdout);
	free(out);
	check_summary_free(&sum);
	check_free(c);
	return (status);
}
