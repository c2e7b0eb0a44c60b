/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The transcript model: entries, formatting, saving. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "transcript.h"
#include "vis.h"
#include "xmalloc.h"
#include "xtime.h"

void
transcript_init(struct transcript *tr)
{
	memset(tr, 0, sizeof *tr);
	tr->max_entries = TRANSCRIPT_MAX;
	tr->max_bytes = TRANSCRIPT_BYTES_MAX;
}

void
transcript_set_limits(struct transcript *tr, unsigned long entries, size_t bytes)
{
	tr->max_entries = entries < TRANSCRIPT_CHUNK ? TRANSCRIPT_CHUNK : entries;
	tr->max_bytes = bytes;
}

unsigned long
transcript_count(const struct transcript *tr)
{
	return (tr->end - tr->base);
}

/* Where entry seq lives (it must be held). */
static struct tr_entry *
transcript_slot(const struct transcript *tr, unsigned long seq)
{
	return (&tr->chunk[seq / TRANSCRIPT_CHUNK - tr->chunk0][seq % TRANSCRIPT_CHUNK]);
}

static size_t
transcript_entry_bytes(const struct tr_entry *e)
{
	return (e->len + (e->note != NULL ? strlen(e->note) : 0));
}

/*
 * Body lines come by the million: short printable ones are copied into shared blocks
 * instead of a malloc each. A block is freed when the last entry in it goes, and the
 * current block starts again from its beginning when it empties.
 */
#define TR_BLOCK_SIZE	65536

struct tr_block {
	size_t	used;
	size_t	refs;
	char	data[TR_BLOCK_SIZE];
};

static void
transcript_free_entry(struct transcript *tr, struct tr_entry *e)
{
	if (e->block == NULL)
		free(e->text);
	else if (--e->block->refs == 0) {
		if (e->block == tr->cur)
			tr->cur->used = 0;
		else
			free(e->block);
	}
	free(e->note);
}

/* A copy of len plain bytes in the current block, or NULL when it does not fit. */
static char *
transcript_block_copy(struct transcript *tr, const char *text, size_t len,
    struct tr_block **block)
{
	char	*p;

	if (len + 1 > TR_BLOCK_SIZE / 4)
		return (NULL);
	if (tr->cur == NULL || tr->cur->used + len + 1 > TR_BLOCK_SIZE) {
		if (tr->cur != NULL && tr->cur->refs == 0)
			tr->cur->used = 0;
		else {
			tr->cur = xmalloc(sizeof *tr->cur);
			tr->cur->used = tr->cur->refs = 0;
		}
	}
	p = tr->cur->data + tr->cur->used;
	memcpy(p, text, len);
	p[len] = '\0';
	tr->cur->used += len + 1;
	tr->cur->refs++;
	*block = tr->cur;
	return (p);
}

/* Free the entries before seq, and the chunks that held only those. */
static void
transcript_drop_to(struct transcript *tr, unsigned long seq)
{
	struct tr_entry	*e;

	if (seq > tr->end)
		seq = tr->end;
	for (; tr->base < seq; tr->base++) {
		e = transcript_slot(tr, tr->base);
		tr->bytes -= transcript_entry_bytes(e);
		transcript_free_entry(tr, e);
	}
	while (tr->nchunk > 0 && (tr->chunk0 + 1) * TRANSCRIPT_CHUNK <= tr->base) {
		free(tr->chunk[0]);
		memmove(tr->chunk, tr->chunk + 1, --tr->nchunk * sizeof *tr->chunk);
		tr->chunk0++;
	}
}

void
transcript_clear(struct transcript *tr)
{
	size_t	i;

	transcript_drop_to(tr, tr->end);
	for (i = 0; i < tr->nchunk; i++)
		free(tr->chunk[i]);
	free(tr->chunk);
	free(tr->cur);		/* every entry is gone: nothing points into it */
	transcript_init(tr);
}

/* Append an entry that takes ownership of text (len bytes, NUL-terminated). */
static struct tr_entry *
transcript_push(struct transcript *tr, enum tr_kind kind, char *text, size_t len,
    const char *note, long ms)
{
	struct tr_entry	*e;
	struct timespec	 now;
	unsigned long	 n;

	/* Over a bound: the oldest tenth goes, so this is rare. */
	n = transcript_count(tr);
	if (n > 0 && (n >= tr->max_entries || tr->bytes > tr->max_bytes))
		transcript_drop_to(tr, tr->base + (n / 10 ? n / 10 : 1));
	if (tr->nchunk == 0)
		tr->chunk0 = tr->end / TRANSCRIPT_CHUNK;
	if (tr->end / TRANSCRIPT_CHUNK - tr->chunk0 == tr->nchunk) {
		if (tr->nchunk == tr->capchunk) {
			tr->capchunk = tr->capchunk ? tr->capchunk * 2 : 16;
			tr->chunk = xreallocarray(tr->chunk, tr->capchunk,
			    sizeof *tr->chunk);
		}
		tr->chunk[tr->nchunk++] = xreallocarray(NULL, TRANSCRIPT_CHUNK,
		    sizeof **tr->chunk);
	}
	e = transcript_slot(tr, tr->end++);
	memset(e, 0, sizeof *e);
	e->kind = kind;
	clock_gettime(CLOCK_REALTIME, &now);
	e->sec = now.tv_sec;
	e->msec = now.tv_nsec / 1000000;
	if (ms >= 0) {
		e->timed = 1;
		e->latency = ms > UINT_MAX ? UINT_MAX : (unsigned int)ms;
	}
	e->text = text;
	e->len = len;
	e->note = note != NULL ? xstrdup(note) : NULL;
	tr->bytes += transcript_entry_bytes(e);
	if (tr->sink != NULL)
		tr->sink(tr->sink_arg, e);
	return (e);
}

void
transcript_set_sink(struct transcript *tr, transcript_sink_fn fn, void *arg)
{
	tr->sink = fn;
	tr->sink_arg = arg;
}

struct tr_entry *
transcript_add_timed(struct transcript *tr, enum tr_kind kind, const char *text,
    const char *note, long ms)
{
	size_t	 len = strlen(text);
	char	*copy = xmalloc(len + 1);

	memcpy(copy, text, len + 1);
	return (transcript_push(tr, kind, copy, len, note, ms));
}

struct tr_entry *
transcript_add(struct transcript *tr, enum tr_kind kind, const char *text,
    const char *note)
{
	return (transcript_add_timed(tr, kind, text, note, -1));
}

struct tr_entry *
transcript_add_bytes(struct transcript *tr, enum tr_kind kind, const char *buf,
    size_t len, const char *note)
{
	struct tr_entry	*e;
	struct tr_block	*block = NULL;
	char		*text = NULL;

	/* Plain text needs no escaping: into a shared block, without a malloc. */
	if (vis_printable(buf, len) == len)
		text = transcript_block_copy(tr, buf, len, &block);
	if (text == NULL) {
		/* The display-safe copy is the entry's text: no second copy. */
		text = vis_bytes(buf, len);
		len = strlen(text);
	}
	e = transcript_push(tr, kind, text, len, note, -1);
	e->block = block;
	return (e);
}

size_t
transcript_time(const struct tr_entry *e, int stamp, char *buf)
{
	static time_t	 last = -1;
	static char	 text[TRANSCRIPT_TIME_MAX];

	/* Formatting the time is the costly part: once a second. */
	if (stamp == TRANSCRIPT_NOSTAMP) {
		*buf = '\0';
		return (0);
	}
	if (e->sec != last) {
		if (xtime_local(text, sizeof text, "%H:%M:%S", e->sec) != 8)
			snprintf(text, sizeof text, "??:??:??");
		last = e->sec;
	}
	memcpy(buf, text, 8);
	if (stamp != TRANSCRIPT_STAMP_MS) {
		buf[8] = ' ';
		buf[9] = '\0';
		return (9);
	}
	snprintf(buf + 8, TRANSCRIPT_TIME_MAX - 8, ".%03u ", e->msec % 1000U);
	return (13);
}

size_t
transcript_latency(const struct tr_entry *e, char *buf)
{
	int	n;

	*buf = '\0';
	if (!e->timed)
		return (0);
	n = snprintf(buf, TRANSCRIPT_LATENCY_MAX, "+%u ms", e->latency);
	return (n > 0 ? (size_t)n : 0);
}

int
transcript_print(const struct tr_entry *e, int stamp, FILE *f)
{
	const char	*m;
	char		 ts[TRANSCRIPT_TIME_MAX], lat[TRANSCRIPT_LATENCY_MAX];
	size_t		 n;

	/* The format of transcript_format(), without building the line. */
	if ((n = transcript_time(e, stamp, ts)) > 0)
		fwrite_unlocked(ts, 1, n, f);
	m = transcript_marker(e->kind);
	fputs_unlocked(m, f);
	fwrite_unlocked("  ", 1, m[1] == '\0' ? 2 : 1, f);
	fwrite_unlocked(e->text, 1, e->len, f);
	n = stamp != TRANSCRIPT_NOSTAMP ? transcript_latency(e, lat) : 0;
	if (e->note != NULL || n > 0) {
		fputs_unlocked("    (", f);
		fwrite_unlocked(lat, 1, n, f);
		if (n > 0 && e->note != NULL)
			fputs_unlocked("; ", f);
		if (e->note != NULL)
			fputs_unlocked(e->note, f);
		fputc_unlocked(')', f);
	}
	return (fputc_unlocked('\n', f) == EOF ? -1 : 0);
}

struct tr_entry *
transcript_addf(struct transcript *tr, enum tr_kind kind, const char *fmt, ...)
{
	struct tr_entry	*e;
	va_list		 ap;
	char		*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = NULL;
	va_end(ap);
	e = transcript_add(tr, kind, s != NULL ? s : fmt, NULL);
	free(s);
	return (e);
}

void
transcript_forget(struct transcript *tr, unsigned long seq)
{
	transcript_drop_to(tr, seq);
}

unsigned long
transcript_end(const struct transcript *tr)
{
	return (tr->end);
}

struct tr_entry *
transcript_get(const struct transcript *tr, unsigned long seq)
{
	if (seq < tr->base || seq >= tr->end)
		return (NULL);
	return (transcript_slot(tr, seq));
}

const char *
transcript_marker(enum tr_kind kind)
{
	switch (kind) {
	case TR_SERVER:
		return ("S:");
	case TR_CLIENT:
		return ("C:");
	case TR_LOCAL:
		return ("*");
	case TR_WARN:
		return ("!");
	case TR_ERROR:
		return ("!!");
	case TR_HINT:
		return ("?");
	}
	return ("*");
}

char *
transcript_format(const struct tr_entry *e, int stamp)
{
	char	ts[TRANSCRIPT_TIME_MAX], lat[TRANSCRIPT_LATENCY_MAX] = "";

	transcript_time(e, stamp, ts);
	if (stamp != TRANSCRIPT_NOSTAMP)
		transcript_latency(e, lat);
	if (e->note != NULL || *lat != '\0')
		return (xasprintf("%s%-2s %s    (%s%s%s)", ts,
		    transcript_marker(e->kind), e->text, lat,
		    *lat != '\0' && e->note != NULL ? "; " : "",
		    e->note != NULL ? e->note : ""));
	return (xasprintf("%s%-2s %s", ts, transcript_marker(e->kind), e->text));
}

int
transcript_save(const struct transcript *tr, const char *path, char **errstr)
{
	return (transcript_save_with(tr, path, NULL, NULL, errstr));
}

int
transcript_save_with(const struct transcript *tr, const char *path,
    transcript_save_fn after, void *arg, char **errstr)
{
	FILE		*f;
	char		*tmp;
	unsigned long	 seq;
	int		 fd, saved;

	/* A fresh file beside the target (mkstemp: no symlink games), renamed. */
	tmp = xasprintf("%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd == -1 || (f = fdopen(fd, "w")) == NULL) {
		*errstr = xasprintf("cannot write %s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		free(tmp);
		return (-1);
	}
	if (tr->base > 0)
		fprintf(f, "(%lu earlier lines were dropped to bound memory)\n",
		    tr->base);
	for (seq = tr->base; seq < tr->end; seq++) {
		transcript_print(transcript_slot(tr, seq), TRANSCRIPT_STAMP_MS, f);
		if (after != NULL)
			after(arg, transcript_slot(tr, seq), f);
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0 || ferror(f)) {
		saved = errno;
		fclose(f);
		unlink(tmp);
		*errstr = xasprintf("cannot write %s: %s", path, strerror(saved));
		free(tmp);
		return (-1);
	}
	fclose(f);
	if (rename(tmp, path) == -1) {
		saved = errno;
		unlink(tmp);
		*errstr = xasprintf("cannot write %s: %s", path, strerror(saved));
		free(tmp);
		return (-1);
	}
	free(tmp);
	return (0);
}
