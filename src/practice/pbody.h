/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The message of a practice session: the DATA and BDAT (RFC 3030)
 * commands, and reading the body into the Maildir.  The size limit is
 * PSERVER_SIZE_MAX: a larger message is read to its end, then refused.
 */
#ifndef PBODY_H
#define PBODY_H

#include "pserver-int.h"

/* DATA: check the transaction, start a message, reply 354. */
void	 pbody_cmd_data(struct pserver *, const char *arg);

/*
 * BDAT size [LAST]: exactly size octets of the message follow the command
 * line, raw; the session reads them in the BDAT state.  A malformed size
 * gets 501 at once (nobody knows where the chunk would end).
 */
void	 pbody_cmd_bdat(struct pserver *, const char *arg);

/*
 * In the DATA state, take body lines from the input: un-dot-stuff, write,
 * and on the final "." deliver and reply.  Returns PSERVER_PROGRESS if
 * anything was consumed, else PSERVER_NEED_MORE.
 */
enum pserver_progress	pbody_data(struct pserver *);

/*
 * In the BDAT state, take chunk octets as they are; at the chunk's end
 * reply, and deliver on LAST.  Returns PSERVER_PROGRESS or
 * PSERVER_NEED_MORE.
 */
enum pserver_progress	pbody_chunk(struct pserver *);

#endif
