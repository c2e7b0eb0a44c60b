/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * How a run ended, and the exit status it deserves. Each front end fills a struct
 * outcome before it lets its session go; main turns it into the exit status, the one
 * place where failures become numbers (README, "Exit status").
 */
#ifndef OUTCOME_H
#define OUTCOME_H

#include "check.h"
#include "session.h"

/* Exit statuses of line mode (and of the console). */
#define EXIT_OK		0	/* the dialogue ended well */
#define EXIT_REPLY	1	/* the server answered a command with 4xx or 5xx */
#define EXIT_USAGE	2	/* bad command line or unusable option value */
#define EXIT_CONNECT	3	/* name not found, refused, timed out, unreachable */
#define EXIT_TLS	4	/* TLS handshake failed, or certificate not verified */
#define EXIT_PROTOCOL	5	/* no greeting or reply, malformed reply, server hung up */
#define EXIT_INPUT	6	/* an input line could not go as given, or a local
				 * command (/save, /chain, --save) failed */
#define EXIT_NOMAIL	7	/* --check: the domain takes no mail (null MX) */

enum outcome_end {
	OUTCOME_DONE,		/* the session ran to its end */
	OUTCOME_SIGNAL,		/* SIGHUP, SIGINT or SIGTERM ended it (sig) */
	OUTCOME_UNUSABLE	/* it could not start: said why on standard error */
};

struct outcome {
	enum outcome_end	 end;
	int			 sig;		/* OUTCOME_SIGNAL: which */
	enum session_fail	 fail;
	int			 unverified;	/* TLS not verified, and no --insecure */
	int			 violations;	/* protocol violations seen */
	int			 reply_failed;	/* a 4xx or 5xx (or a refusal) counts */
	int			 local_failed;	/* a local command or --save failed */
};

/* What the finished session s says (OUTCOME_DONE). reply_failed: line mode counts a
 * 4xx or 5xx reply, or a refusal, as a failure; the console does not. */
void	outcome_of(struct outcome *, const struct session *s, int reply_failed);
/* Ended by signal sig, or could not start. */
void	outcome_signal(struct outcome *, int sig);
void	outcome_unusable(struct outcome *);
/* A command of smtpcon's own failed (line mode's /save, /chain or one it does not
 * have; --save or --save-chain at the end): EXIT_INPUT unless a failure of the
 * dialogue says more. Call after outcome_of(). */
void	outcome_local_failed(struct outcome *);
/* The exit status: 128 + the signal, EXIT_USAGE, or what the session deserves. */
int	outcome_status(const struct outcome *);
/* The exit status of --check: EXIT_OK when the domain takes mail over verified TLS,
 * EXIT_TLS when a server answered without it, EXIT_CONNECT when none answered (or the
 * name was not found), EXIT_NOMAIL for a null MX. */
int	outcome_check(enum check_result);

#endif
