/* What the command line asked for, shared by main and the two front ends. */
#ifndef SMTPCON_H
#define SMTPCON_H

#include "launch.h"
#include "session.h"

/* Exit statuses of line mode (and of the console). */
#define EXIT_OK		0	/* the dialogue ended well */
#define EXIT_REPLY	1	/* the server answered a command with 4xx or 5xx */
#define EXIT_USAGE	2	/* bad command line or unusable option value */
#define EXIT_CONNECT	3	/* name not found, refused, timed out, unreachable */
#define EXIT_TLS	4	/* TLS handshake failed, or certificate not verified */
#define EXIT_PROTOCOL	5	/* no greeting or reply, malformed reply, server hung up */
#define EXIT_INPUT	6	/* an input line could not be sent as given */

struct smtpcon_opts {
	struct session_opts	 sess;
	enum session_mode	 mode;
	const char		*target;	/* host[:port] or NULL */
	int			 batch;
	int			 timestamps;
	const char		*user;		/* --user */
	const char		*authzid;	/* --authzid */
	char			*secret;	/* from --password-file or SMTPCON_PASSWORD */
	struct launch		*practice;	/* --practice: the server started */
};

int	batch_main(struct smtpcon_opts *);
int	ui_main(struct smtpcon_opts *);

/* The exit status a finished session deserves. */
int	smtpcon_exit_status(const struct session *, int reply_failed);

#endif
