/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * AUTH assistance (RFC 4954): for the exchange in progress, what to ask the person and how
 * to turn the answers into the line to send, per mechanism. No I/O: the session feeds it
 * the server's 334 challenges and sends what it builds.
 *
 * Secrets: the answers, the credentials given in advance and everything built from them
 * are wiped when the exchange ends; what is returned for the transcript never holds one.
 */
#ifndef AUTH_H
#define AUTH_H

#include <stddef.h>

#define AUTH_MECH_MAX	24

/* What the exchange needs now. */
struct auth_need {
	size_t		 n;		/* questions to ask (0, 1 or 2) */
	const char	*prompt[2];	/* e.g. "Username: ", "Password: " */
	int		 secret[2];	/* mask the answer; keep it out of history */
	int		 automatic;	/* answer without asking (XOAUTH2 error challenge) */
};

struct auth {
	char		 mech[AUTH_MECH_MAX];	/* upper case; "" when no exchange */
	int		 step;		/* 334 challenges seen in this exchange */
	int		 initial;	/* the AUTH command carried an initial response */
	int		 answered;	/* the mechanism's response went out */
	char		*challenge;	/* last 334 text, decoded and display-safe */
	char		*challenge_b64;	/* the same, as sent */
	char		 prompt[128];
	/* Credentials given in advance (--user/--password-file, /auth): answer alone. */
	char		*user, *secret, *authzid;
	int		 keep_creds;	/* line mode: keep them for further AUTHs */
	char		*who;		/* the user name of this exchange, for display */
	char		*host;		/* for OAUTHBEARER */
	unsigned	 port;
};

void	auth_init(struct auth *);
/* Forget everything, wiping secrets. */
void	auth_clear(struct auth *);
/* Credentials to answer with from now on (copied). keep: survive the exchange's end. */
void	auth_set_creds(struct auth *, const char *user, const char *secret,
	    const char *authzid, int keep);
int	auth_has_creds(const struct auth *);

/* An AUTH command went out for mech, with an initial response or not. */
void	auth_begin(struct auth *, const char *mech, int initial);
/* The server sent 334 with this text (base64, may be ""). */
void	auth_challenge(struct auth *, const char *b64);
/* The exchange ended (235, or a failure): wipe what it held. */
void	auth_end(struct auth *);

/* Fill need for the current step. */
void	auth_need(struct auth *, struct auth_need *);

/*
 * Build the response to the current challenge from answers (need.n of them; may be NULL
 * when need.n is 0 or the credentials answer). On success return 0 with *wire (the line to
 * send, wiped and freed by the caller with xfree_secret_str), *shown (what the transcript
 * shows) and *note (beside it, or NULL) malloc'd. On failure -1 with *errstr.
 */
int	auth_respond(struct auth *, char *const *answers, char **wire, char **shown,
	    char **note, char **errstr);

/* The initial response for mech from user and secret ("" when the mechanism takes none,
 * as LOGIN and CRAM-MD5); malloc'd, a secret. NULL with *errstr for an unknown mech. */
char	*auth_initial(struct auth *, const char *mech, char **errstr);

/* The strongest mechanism in an EHLO AUTH list that smtpcon can drive, or NULL. */
const char *auth_choose(const char *advertised);
/* smtpcon can build the answers for mech. */
int	auth_known(const char *mech);
/* The mechanism's secret is a token, not a password. */
int	auth_uses_token(const char *mech);

#endif
