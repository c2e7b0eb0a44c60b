/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Saving a console session. Line mode puts the TLS details into its transcript when
 * TLS comes up (they are its only view of them); the console shows them in the TLS
 * pane instead, so its saved transcript gets them here, at the same place.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "save.h"
#include "tlsview.h"
#include "xmalloc.h"

struct save_tls {
	const struct tls_info	*in;
	const struct tr_entry	*at;	/* the block goes after this entry */
};

static void
save_tls_after(void *arg, const struct tr_entry *e, FILE *f)
{
	struct save_tls		*st = arg;
	struct tlsview_line	*v;
	struct tr_entry		 line;
	size_t			 n, i;

	if (e != st->at)
		return;
	/* As batch_tls_up() has them: local lines, with the time TLS came up. */
	v = tlsview_lines(st->in, &n);
	for (i = 0; i < n; i++) {
		memset(&line, 0, sizeof line);
		line.kind = TR_LOCAL;
		line.sec = e->sec;
		line.msec = e->msec;
		line.text = xasprintf(" %s", v[i].text);
		line.len = strlen(line.text);
		transcript_print(&line, TRANSCRIPT_STAMP_MS, f);
		free(line.text);
	}
	tlsview_free(v, n);
}

/* The certificate verdict and the hints the engine writes right after TLS is up. */
static int
save_tls_follows(const struct tr_entry *e)
{
	if (e->kind == TR_HINT)
		return (1);
	return ((e->kind == TR_LOCAL || e->kind == TR_WARN) &&
	    strncmp(e->text, "certificate ", 12) == 0);
}

int
save_transcript(const struct transcript *tr, const struct tls_info *in,
    const char *path, char **errstr)
{
	struct save_tls	 st = { in, NULL };
	struct tr_entry	*e;
	unsigned long	 seq, up = 0;
	char		*mark;

	if (in == NULL || in->protocol == NULL)
		return (transcript_save(tr, path, errstr));
	mark = xasprintf("%s established: ", in->protocol);
	for (seq = transcript_end(tr); seq-- > tr->base;) {
		e = transcript_get(tr, seq);
		if (e != NULL && e->kind == TR_LOCAL &&
		    strncmp(e->text, mark, strlen(mark)) == 0) {
			up = seq;
			st.at = e;
			break;
		}
	}
	free(mark);
	for (seq = up + 1; st.at != NULL && seq < transcript_end(tr); seq++) {
		if ((e = transcript_get(tr, seq)) == NULL || !save_tls_follows(e))
			break;
		st.at = e;
	}
	return (transcript_save_with(tr, path, save_tls_after, &st, errstr));
}
