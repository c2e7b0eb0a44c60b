/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * What the front ends may know of the session: the connection, the dialogue's state and
 * what the server advertised, asked for one fact at a time, so that struct smtp and the
 * session's insides stay the engine's own.
 */
#include "config.h"

#include "session-int.h"

int
session_connected(const struct session *s)
{
	return (s->io != IO_NONE);
}

const struct tls_info *
session_tls(const struct session *s)
{
	return (s->info);
}

const char *
session_host(const struct session *s)
{
	return (s->host != NULL ? s->host : "");
}

const char *
session_addr(const struct session *s)
{
	return (s->addr);
}

const char *
session_port(const struct session *s)
{
	return (s->port != NULL ? s->port : "");
}

long
session_latency(const struct session *s)
{
	return (s->latency);
}

enum session_fail
session_failure(const struct session *s)
{
	return (s->fail);
}

int
session_violations(const struct session *s)
{
	return (s->violations);
}

int
session_refusals(const struct session *s)
{
	return (s->refusals);
}

const char *
session_authed_as(const struct session *s)
{
	return (s->authed_as);
}

int
session_insecure(const struct session *s)
{
	return (s->opts.insecure);
}

size_t
session_queued(const struct session *s)
{
	return (wire_queued(&s->wire));
}

size_t
session_held(const struct session *s)
{
	return (held_count(&s->held));
}

size_t
session_held_bytes(const struct session *s)
{
	return (held_bytes(&s->held));
}

int
session_stopped(const struct session *s)
{
	return (s->stopped || s->quit_queued);
}

int
session_idle(const struct session *s)
{
	return (held_count(&s->held) == 0 && !smtp_waiting(&s->smtp));
}

enum smtp_state
session_state(const struct session *s)
{
	return (s->smtp.state);
}

const char *
session_state_name(const struct session *s)
{
	return (smtp_state_name(s->smtp.state));
}

const char *
session_cap(const struct session *s, const char *keyword)
{
	return (smtp_cap(&s->smtp, keyword));
}

const char *
session_cap_line(const struct session *s, size_t i)
{
	return (i < s->smtp.ncaps ? s->smtp.caps[i] : NULL);
}

int
session_tls_up(const struct session *s)
{
	return (s->smtp.tls);
}

const char *
session_pending_verb(const struct session *s)
{
	return (smtp_pending_verb(&s->smtp));
}

int
session_waiting(const struct session *s)
{
	return (smtp_waiting(&s->smtp));
}
