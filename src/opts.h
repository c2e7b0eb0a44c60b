/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* What the command line asked for: parsed once by main, read by both front ends. */
#ifndef OPTS_H
#define OPTS_H

#include "launch.h"
#include "session.h"

struct opts {
	struct session_opts	 sess;
	enum session_mode	 mode;
	const char		*target;	/* host[:port] or NULL */
	int			 batch;
	int			 timestamps;
	const char		*user;		/* --user */
	const char		*authzid;	/* --authzid */
	char			*secret;	/* from --password-file or SMTPCON_PASSWORD */
	const char		*scenario;	/* --practice: the scenario asked for */
	struct launch		*practice;	/* --practice: the server started */
	char			*ehlo;		/* the automatic EHLO line (sess.ehlo) */
	const char		*save;		/* --save: the transcript, at the end */
	const char		*save_chain;	/* --save-chain: the certificates (PEM) */
};

/*
 * Parse the command line into o (its strings point into argv, which must outlive it).
 * Returns -1 to go on, or the exit status to leave with at once: EXIT_OK after --help
 * or --version, EXIT_USAGE after saying on standard error what is wrong. Reading the
 * secret (--password-file, SMTPCON_PASSWORD) happens here, and the variable is wiped.
 */
int	opts_parse(struct opts *o, int argc, char *argv[]);
/* Free what opts_parse allocated; the secret is wiped. */
void	opts_free(struct opts *o);

#endif
