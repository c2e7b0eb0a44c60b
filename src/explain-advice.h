/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The next step for a reply by its codes (explain.c's helper; not for the front ends). */
#ifndef EXPLAIN_ADVICE_H
#define EXPLAIN_ADVICE_H

#include <stddef.h>

/*
 * What to try after a reply with this code, its enhanced code's subject and detail
 * (both -1 when there is no trustworthy enhanced code) and the verb it answers ("" for
 * the greeting, NULL when not known): a static text, or NULL when the code says it all.
 * Specific causes (a bad password, TLS needed) win over the code's generic meaning.
 */
const char	*explain_advice(int code, int sub, int det, const char *verb);

struct explain_state;

/* A text and its versions for the session's state. */
struct explain_swap {
	const char	*from;
	const char	*tls;		/* when TLS is up */
	const char	*clear;		/* no TLS, and STARTTLS not offered */
	const char	*authed;	/* when logged in */
};

/* The version in swaps (n of them) of s that suits st, or s itself. */
const char	*explain_advice_swap(const struct explain_swap *swaps, size_t n,
		    const char *s, const struct explain_state *st);
/* explain_advice()'s hint as the state has it: no "send STARTTLS" once TLS is up, ... */
const char	*explain_advice_in_state(const char *hint, const struct explain_state *st);

#endif
