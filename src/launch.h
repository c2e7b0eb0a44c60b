/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * smtpcon --practice: start the practice server (smtpcon-practice) on a free loopback port,
 * and stop it again. The practice server is found next to smtpcon (the build tree or the
 * install), then in PATH.
 */
#ifndef LAUNCH_H
#define LAUNCH_H

#include <sys/types.h>

#include "transcript.h"

struct launch {
	pid_t	 pid;
	char	*dir;		/* private temporary directory: port file, log */
	char	*datadir;	/* the server's data: CA, certificates, maildir */
	char	*cafile;	/* the practice CA, to verify the server with */
	char	*maildir;
	char	*scenario;
	char	*port;
};

/*
 * Start the practice server with scenario (NULL: "normal") and wait until it listens.
 * Return 0 with l filled, or -1 with *errstr malloc'd (binary not found, unknown
 * scenario, did not start).
 */
int	launch_practice(const char *scenario, struct launch *l, char **errstr);
/* Stop it (SIGTERM, then SIGKILL after 2 s) and free l's strings. */
void	launch_stop(struct launch *l);
/*
 * Whether the practice server knows scenario (asked with --list-scenarios): 0, or -1
 * with *errstr (malloc'd) naming the known ones. 0 too when the server cannot be asked:
 * starting it says why.
 */
int	launch_scenario_check(const char *scenario, char **errstr);
/* Run smtpcon-practice --list-scenarios; return its exit status. */
int	launch_list(void);
/* Add the welcome lines (where it runs, logins, maildir, what to try) to tr. */
void	launch_welcome(const struct launch *l, struct transcript *tr);

#endif
