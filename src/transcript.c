/* The transcript model: entries, formatting, saving. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
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

/* Drop the oldest tenth (at least one entry), so the move is rare. */
static void
transcript_drop(struct transcript *tr)
{
	size_t	drop = tr->n / 10 ? tr->n / 10 : 1, i;

	for (i = 0; i < drop; i++) {
		tr->bytes -= transcript_entry_bytes(&tr->v[i]);
		transcript_free_entry(tr, &tr->v[i]);
	}
	memmove(tr->v, tr->v + drop, (tr->n - drop) * sizeof *tr->v);
	tr->n -= drop;
	tr->base += drop;
}

void
transcript_clear(struct transcript *tr)
{
	size_t	i;

	for (i = 0; i < tr->n; i++)
		transcript_free_entry(tr, &tr->v[i]);
	free(tr->cur);		/* every entry is gone: nothing points into it */
	free(tr->v);
	transcript_init(tr);
}

/* Append an entry that takes ownership of text (len bytes, NUL-terminated). */
static struct tr_entry *
transcript_push(struct transcript *tr, enum tr_kind kind, char *text, size_t len,
    const char *note)
{
	struct tr_entry	*e;

	while (tr->n > 0 && (tr->n == TRANSCRIPT_MAX ||
	    tr->bytes > TRANSCRIPT_BYTES_MAX))
		transcript_drop(tr);
	if (tr->n == tr->cap) {
		tr->cap = tr->cap ? tr->cap * 2 : 256;
		if (tr->cap > TRANSCRIPT_MAX)
			tr->cap = TRANSCRIPT_MAX;
		tr->v = xreallocarray(tr->v, tr->cap, sizeof *tr->v);
	}
	e = &tr->v[tr->n++];
	memset(e, 0, sizeof *e);
	e->kind = kind;
	gettimeofday(&e->time, NULL);
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
transcript_add(struct transcript *tr, enum tr_kind kind, const char *text,
    const char *note)
{
	size_t	 len = strlen(text);
	char	*copy = xmalloc(len + 1);

	memcpy(copy, text, len + 1);
	return (transcript_push(tr, kind, copy, len, note));
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
	e = transcript_push(tr, kind, text, len, note);
	e->block = block;
	return (e);
}

int
transcript_print(const struct tr_entry *e, int stamp, FILE *f)
{
	const char	*m;
	char		*line;

	if (stamp) {
		line = transcript_format(e, 1);
		fputs(line, f);
		free(line);
	} else {
		/* The format of transcript_format(), without building the line. */
		m = transcript_marker(e->kind);
		fputs_unlocked(m, f);
		fwrite_unlocked("  ", 1, m[1] == '\0' ? 2 : 1, f);
		fwrite_unlocked(e->text, 1, e->len, f);
		if (e->note != NULL) {
			fputs_unlocked("    (", f);
			fputs_unlocked(e->note, f);
			fputc_unlocked(')', f);
		}
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
	size_t	drop, i;

	if (seq <= tr->base)
		return;
	drop = seq - tr->base > tr->n ? tr->n : seq - tr->base;
	for (i = 0; i < drop; i++) {
		tr->bytes -= transcript_entry_bytes(&tr->v[i]);
		transcript_free_entry(tr, &tr->v[i]);
	}
	if (drop < tr->n)
		memmove(tr->v, tr->v + drop, (tr->n - drop) * sizeof *tr->v);
	tr->n -= drop;
	tr->base += drop;
}

unsigned long
transcript_end(const struct transcript *tr)
{
	return (tr->base + tr->n);
}

struct tr_entry *
transcript_get(const struct transcript *tr, unsigned long seq)
{
	if (seq < tr->base || seq >= tr->base + tr->n)
		return (NULL);
	return (&tr->v[seq - tr->base]);
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
	char	ts[16] = "";

	if (stamp)
		xtime_local(ts, sizeof ts, "%H:%M:%S ", e->time.tv_sec);
	if (e->note != NULL)
		return (xasprintf("%s%-2s %s    (%s)", ts, transcript_marker(e->kind),
		    e->text, e->note));
	return (xasprintf("%s%-2s %s", ts, transcript_marker(e->kind), e->text));
}

int
transcript_save(const struct transcript *tr, const char *path, char **errstr)
{
	FILE	*f;
	char	*line, *tmp;
	size_t	 i;
	int	 fd, saved;

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
	for (i = 0; i < tr->n; i++) {
		line = transcript_format(&tr->v[i], 1);
		fprintf(f, "%s\n", line);
		free(line);
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
