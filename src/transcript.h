/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The transcript model: every line of the dialogue and every local event, in order, as the
 * front ends show it and /save writes it.
 *
 * Text in the transcript is already display-safe and already redacted: a secret is never
 * stored, only its placeholder, so nothing that reads the transcript can leak one.
 *
 * The console keeps the whole session: an entry costs 48 bytes beside its text, entries
 * live in fixed chunks (no copying as the session grows), and short plain lines share
 * 64 kB text blocks. Memory is still bounded against a server that never stops: past
 * TRANSCRIPT_MAX entries or TRANSCRIPT_BYTES_MAX bytes of text (or the limits set with
 * transcript_set_limits) the oldest entries are dropped, and counted.
 */
#ifndef TRANSCRIPT_H
#define TRANSCRIPT_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#define TRANSCRIPT_MAX		(8UL * 1024 * 1024)
#define TRANSCRIPT_BYTES_MAX	(1024UL * 1024 * 1024)
#define TRANSCRIPT_CHUNK	4096	/* entries per chunk */

enum tr_kind {
	TR_SERVER,	/* a line the server sent */
	TR_CLIENT,	/* a line we sent */
	TR_LOCAL,	/* a local event: connected, TLS up, ... */
	TR_WARN,	/* something the person should notice */
	TR_ERROR,	/* a failure */
	TR_HINT		/* what to try */
};

/*
 * 48 bytes on LP64: a million lines cost 48 MB beside their text. The time is kept as
 * seconds and milliseconds (not a struct timeval) so that the latency fits beside it.
 */
struct tr_entry {
	time_t		 sec;	/* when: seconds since the epoch */
	char		*text;	/* display-safe, redacted */
	char		*note;	/* annotation shown beside the line, or NULL */
	struct tr_block	*block;	/* text lives in this shared block, or NULL: malloc'd */
	unsigned int	 len;	/* strlen(text) */
	unsigned int	 latency; /* with timed: ms from the command to its reply */
	unsigned short	 msec;	/* when: the milliseconds */
	unsigned short	 code;	/* reply code for a server line, else 0 */
	unsigned char	 kind;	/* enum tr_kind */
	unsigned char	 cont:1;	/* a further line of the same multi-line reply */
	unsigned char	 malformed:1; /* a server line that broke the protocol */
	unsigned char	 timed:1;	/* the first line of a reply: latency is set */
};

/*
 * How an entry's time is shown: not, "HH:MM:SS" or "HH:MM:SS.mmm". With a time, a
 * reply's first line also shows how long the reply took: "(+1503 ms)".
 */
enum transcript_stamp {
	TRANSCRIPT_NOSTAMP,
	TRANSCRIPT_STAMP,
	TRANSCRIPT_STAMP_MS
};

#define TRANSCRIPT_TIME_MAX	16	/* "HH:MM:SS.mmm " and its NUL */
#define TRANSCRIPT_LATENCY_MAX	24	/* "+4294967295 ms" and its NUL */

struct tr_block;

/* Called with every entry as it is appended (the session journal). */
typedef void	(*transcript_sink_fn)(void *arg, const struct tr_entry *);

struct transcript {
	struct tr_block	*cur;	/* where short plain lines are copied to */
	struct tr_entry	**chunk;	/* chunk[i]: entries (chunk0 + i) * CHUNK on */
	size_t		 nchunk, capchunk;
	unsigned long	 chunk0;
	unsigned long	 base;	/* first entry kept: entries dropped so far */
	unsigned long	 end;	/* one past the last entry */
	size_t		 bytes;	/* text held, for the memory bound */
	unsigned long	 max_entries;	/* the bounds: TRANSCRIPT_MAX, ... */
	size_t		 max_bytes;
	transcript_sink_fn sink;	/* or NULL */
	void		*sink_arg;
};

void		 transcript_init(struct transcript *);
/* Bound the entries kept (at least TRANSCRIPT_CHUNK) and the bytes of text. */
void		 transcript_set_limits(struct transcript *, unsigned long entries,
		    size_t bytes);
/* Entries held now. */
unsigned long	 transcript_count(const struct transcript *);
/* Free every entry; the sink is unset too. */
void		 transcript_clear(struct transcript *);
/*
 * Give every entry appended from now on to fn (NULL: none), once its kind, time, text and
 * note are set (code, cont and malformed may be set after). The entry is valid only
 * during the call; fn must not append to the transcript. arg is the caller's.
 */
void		 transcript_set_sink(struct transcript *, transcript_sink_fn fn,
		    void *arg);
/* Append an entry; text and note are copied (note may be NULL). Returns the entry, valid
 * until the next append. */
struct tr_entry	*transcript_add(struct transcript *, enum tr_kind, const char *text,
		    const char *note);
/*
 * transcript_add() for the first line of a reply: ms is how long the reply took, from
 * its command (for the greeting, from when the server could first speak SMTP), or -1
 * when it answers nothing. The sink sees it.
 */
struct tr_entry	*transcript_add_timed(struct transcript *, enum tr_kind, const char *text,
		    const char *note, long ms);
/* Append len bytes of untrusted text, made display-safe (vis_bytes) on the way. */
struct tr_entry	*transcript_add_bytes(struct transcript *, enum tr_kind, const char *buf,
		    size_t len, const char *note);
struct tr_entry	*transcript_addf(struct transcript *, enum tr_kind, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
/* Free the entries before sequence number seq (line mode, once they are printed). */
void		 transcript_forget(struct transcript *, unsigned long seq);
/* Sequence number one past the last entry (entries are numbered from 0 for ever). */
unsigned long	 transcript_end(const struct transcript *);
/* Entry with sequence number seq, or NULL if dropped or not yet there. */
struct tr_entry	*transcript_get(const struct transcript *, unsigned long seq);
/* The marker shown before a line: "S:", "C:", "*", "!", ... */
const char	*transcript_marker(enum tr_kind);
/*
 * The entry's time as stamp (enum transcript_stamp) has it, and a space: "12:00:03 ",
 * "12:00:03.042 " or "". buf holds TRANSCRIPT_TIME_MAX bytes; returns the length.
 */
size_t		 transcript_time(const struct tr_entry *, int stamp, char *buf);
/* "+1503 ms" for a reply's first line, or "" when the entry has no latency. buf holds
 * TRANSCRIPT_LATENCY_MAX bytes; returns the length. */
size_t		 transcript_latency(const struct tr_entry *, char *buf);
/*
 * Format one entry as a line of text (no newline) into a malloc'd string. With stamp
 * (enum transcript_stamp), prefixed by the time, and a reply's latency beside the
 * note: "12:00:03 S: 250 2.1.0 Ok    (+1503 ms; sender ok)".
 */
char		*transcript_format(const struct tr_entry *, int stamp);
/* Write one entry as transcript_format() has it, and a newline, to f. 0 or -1. */
int		 transcript_print(const struct tr_entry *, int stamp, FILE *f);
/* Write the whole transcript to path (mode 0600, replacing it), with millisecond times
 * and latencies (TRANSCRIPT_STAMP_MS). Return 0, or -1 with *errstr malloc'd. */
int		 transcript_save(const struct transcript *, const char *path, char **errstr);
/* The same, with after(arg, e, f) called once each entry e is written to f: to write
 * lines of the caller's own there (the console's TLS details). */
typedef void	(*transcript_save_fn)(void *arg, const struct tr_entry *, FILE *);
int		 transcript_save_with(const struct transcript *, const char *path,
		    transcript_save_fn after, void *arg, char **errstr);

#endif
