/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The session journal: the transcript written to a file as it happens, so that a crash,
 * SIGKILL or a lost terminal leaves the dialogue so far on disk.
 *
 * One journal per run of smtpcon, in $XDG_STATE_HOME/smtpcon/journal/ (by default
 * ~/.local/state/smtpcon/journal/; the directory is 0700, each file 0600), named by the
 * start time and the server: 2026-11-30T22-15-03-mx.example.com-587.log. It holds what
 * the transcript holds, formatted as /save writes it (every line with its time): the
 * text is already redacted, so no secret reaches the file.
 *
 * Lines are buffered in memory and written with write(2), never stdio: by journal_flush(),
 * which a front end calls once a pass of its loop before it waits, or when the buffer
 * fills. A process killed while it waits has lost nothing; killed within a pass, it loses
 * the lines of that pass. A crash handler may call journal_flush_signal().
 *
 * Opening a journal prunes the old ones: those last written more than JOURNAL_KEEP_DAYS
 * days ago, and all but the newest JOURNAL_KEEP (the new one counts) by the time they
 * were last written.
 */
#ifndef JOURNAL_H
#define JOURNAL_H

#include "transcript.h"

#define JOURNAL_KEEP		100
#define JOURNAL_KEEP_DAYS	30

struct journal;

/* --no-journal: journal_open() opens nothing for the rest of the run. */
void		 journal_disable(void);
int		 journal_enabled(void);

/*
 * Open a new journal for a session with host and port (host NULL: the console started
 * without a server) and prune the old ones. Returns the journal, owned by the caller
 * until journal_close(); or NULL with *errstr malloc'd (NULL when journals are off).
 * There is one journal at a time.
 */
struct journal	*journal_open(const char *host, const char *port, char **errstr);
/* Its path, valid until journal_close(). */
const char	*journal_path(const struct journal *);
/* The path of the journal open now, or NULL. */
const char	*journal_active_path(void);
/* The transcript sink (transcript_set_sink): append the entry e to the journal arg. */
void		 journal_entry(void *arg, const struct tr_entry *e);
/*
 * Write the lines buffered. Returns 0, or -1 once, the first time writing fails, with
 * *errstr malloc'd: the journal then takes no more lines.
 */
int		 journal_flush(struct journal *, char **errstr);
/* The complete lines buffered, written from a signal handler (async-signal-safe). */
void		 journal_flush_signal(void);
/* Write a last line "*  ended WHY", flush, close and free. NULL is allowed. */
void		 journal_close(struct journal *, const char *why);

#endif
