/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* What the command line asked for: parsed once by main, read by both front ends. */
#ifndef OPTS_H
#define OPTS_H

#include "conffile.h"
#include "launch.h"
#include "session.h"

struct opts {
	struct session_opts	 sess;
	enum session_mode	 mode;
	const char		*target;	/* host[:port] or NULL */
	const char		*mx;		/* --mx DOMAIN: connect by mail domain */
	int			 batch;
	int			 timestamps;	/* TRANSCRIPT_NOSTAMP, _STAMP or _STAMP_MS */
	const char		*user;		/* --user */
	const char		*authzid;	/* --authzid */
	char			*secret;	/* from --password-file or SMTPCON_PASSWORD */
	const char		*scenario;	/* --practice: the scenario asked for */
	struct launch		*practice;	/* --practice: the server started */
	char			*ehlo;		/* the automatic EHLO line (sess.ehlo) */
	const char		*save;		/* --save: the transcript, at the end */
	const char		*save_chain;	/* --save-chain: the certificates (PEM) */
	/* The server check (--check): its target and options. */
	const char		*check;		/* --check TARGET */
	int			*check_ports;	/* --ports, parsed (malloc'd) */
	size_t			 check_nports;
	int			 check_all_mx;	/* --all-mx */
	int			 check_json;	/* --json */

	/* The config file and the profile applied (@NAME, --profile): the options left
	 * unset on the command line come from it. */
	struct conffile		 conf;
	const struct conffile_profile *profile;
	char			*target_buf;	/* target, when made of parts */
	char			*port;		/* the port asked for, or NULL */
	char			**argv;		/* argv, swaks's -tls and -tlsc rewritten */
	int			 profile_at;	/* the profile came as @NAME */
	/* What the command line alone gave, for /connect @NAME to start from. */
	struct session_opts	 sess_cmdline;
	const char		*user_cmdline;
	const char		*ehlo_cmdline;	/* --ehlo NAME */
};

/*
 * Parse the command line into o (its strings point into argv, which must outlive it).
 * Returns -1 to go on, or the exit status to leave with at once: EXIT_OK after --help
 * or --version, EXIT_USAGE after saying on standard error what is wrong. Reading the
 * secret (--password-file, SMTPCON_PASSWORD) happens here, and the variable is wiped.
 */
int	opts_parse(struct opts *o, int argc, char *argv[]);
/*
 * Apply profile p to a target and mode for /connect @NAME in the console: its TLS
 * settings, timeouts and EHLO name go into o->sess, its user into o->user, where the
 * command line gave none. Returns the target ("host:port", malloc'd; NULL when p has
 * no host) and sets *mode to p's.
 */
char	*opts_profile_target(struct opts *o, const struct conffile_profile *p,
	    enum session_mode *mode);
/* Free what opts_parse allocated; the secret is wiped. */
void	opts_free(struct opts *o);

#endif
