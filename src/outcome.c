/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* How a run ended, turned into the exit status. */
#include "config.h"

#include <string.h>

#include "outcome.h"

void
outcome_of(struct outcome *o, const struct session *s, int reply_failed)
{
	const struct tls_info	*in = session_tls(s);

	memset(o, 0, sizeof *o);
	o->end = OUTCOME_DONE;
	o->fail = session_failure(s);
	o->unverified = in != NULL && !in->verified && !session_insecure(s);
	o->violations = session_violations(s);
	o->reply_failed = reply_failed;
}

void
outcome_signal(struct outcome *o, int sig)
{
	memset(o, 0, sizeof *o);
	o->end = OUTCOME_SIGNAL;
	o->sig = sig;
}

void
outcome_unusable(struct outcome *o)
{
	memset(o, 0, sizeof *o);
	o->end = OUTCOME_UNUSABLE;
}

void
outcome_local_failed(struct outcome *o)
{
	o->local_failed = 1;
}

int
outcome_status(const struct outcome *o)
{
	switch (o->end) {
	case OUTCOME_SIGNAL:
		return (128 + o->sig);
	case OUTCOME_UNUSABLE:
		return (EXIT_USAGE);
	case OUTCOME_DONE:
		break;
	}
	switch (o->fail) {
	case SESSION_F_CONNECT:
		return (EXIT_CONNECT);
	case SESSION_F_TLS:
		return (EXIT_TLS);
	case SESSION_F_PROTOCOL:
	case SESSION_F_CLOSED:
		return (EXIT_PROTOCOL);
	case SESSION_F_INPUT:
		return (EXIT_INPUT);
	case SESSION_OK:
		break;
	}
	if (o->unverified)
		return (EXIT_TLS);
	if (o->violations > 0)
		return (EXIT_PROTOCOL);
	if (o->local_failed)
		return (EXIT_INPUT);
	return (o->reply_failed ? EXIT_REPLY : EXIT_OK);
}

int
outcome_check(enum check_result r)
{
	switch (r) {
	case CHECK_R_VERIFIED:
		return (EXIT_OK);
	case CHECK_R_NOTLS:
		return (EXIT_TLS);
	case CHECK_R_NOMAIL:
		return (EXIT_NOMAIL);
	case CHECK_R_UNREACHABLE:
	default:
		return (EXIT_CONNECT);
	}
}
