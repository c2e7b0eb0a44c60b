/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Delivery into a Maildir: each message is written to tmp/, then renamed
 * into new/ under a unique name "time.pid_seq.host".  The file holds the
 * message exactly as received: after the dot-stuffing is removed for
 * DATA, octet for octet for BDAT chunks; the
 * envelope (MAIL FROM and RCPT TO lines) goes to a sidecar file of the
 * same name in a separate envelopes directory.
 */
#ifndef PMAILDIR_H
#define PMAILDIR_H

#include <stddef.h>

struct pmaildir;
struct pmaildir_msg;

/*
 * Make maildir (with tmp/, new/, cur/) and envdir if missing, mode 0700.
 * The paths are made absolute.  Returns the handle, or NULL with *errstr
 * allocated.  Free it with pmaildir_free once no message is open.
 */
struct pmaildir		*pmaildir_open(const char *maildir, const char *envdir,
			    char **errstr);
void			 pmaildir_free(struct pmaildir *);

/* The absolute path of the Maildir; owned by the handle. */
const char		*pmaildir_path(const struct pmaildir *);

/*
 * Start a message: a new file in tmp/.  Returns NULL with *errstr
 * allocated on failure.  The message is ended by exactly one of
 * pmaildir_msg_commit and pmaildir_msg_abort.
 */
struct pmaildir_msg	*pmaildir_msg_begin(struct pmaildir *, char **errstr);

/*
 * Append len bytes.  A write error is remembered and reported by
 * pmaildir_msg_commit; later writes are then ignored.
 */
void			 pmaildir_msg_write(struct pmaildir_msg *,
			    const void *data, size_t len);

/*
 * Finish the message: flush and sync it, write the envelope sidecar, then
 * rename the file into new/.  On success returns 0 with *name (the unique
 * name) and *path (the full path in new/) allocated for the caller.  On
 * failure returns -1 with *errstr allocated, and nothing is left behind.
 * Either way msg is freed.
 */
int			 pmaildir_msg_commit(struct pmaildir_msg *msg,
			    const char *sender, char *const *rcpts,
			    size_t nrcpts, char **name, char **path,
			    char **errstr);

/* Give up the message: its file in tmp/ is removed and msg freed. */
void			 pmaildir_msg_abort(struct pmaildir_msg *msg);

#endif
