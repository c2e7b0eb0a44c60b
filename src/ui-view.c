/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The transcript pane: the session's entries wrapped to the pane, the lines held for the
 * server at its foot, and scrolling back through the whole session.
 *
 * Nothing here walks the session: following, the pane is laid out from the end up;
 * reading back, from the entry it is anchored on. Home, End, a page, a resize or
 * /timestamps cost the rows on screen, at any length of session.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui.h"
#include "xmalloc.h"

static void
ui_view_style(const struct tr_entry *e, attr_t *attr, short *pair)
{
	*attr = A_NORMAL;
	*pair = 0;
	switch (e->kind) {
	case TR_CLIENT:
		*pair = PAIR_CLIENT;
		*attr = A_BOLD;
		break;
	case TR_SERVER:
		switch (e->code / 100) {
		case 2:
			*pair = PAIR_2XX;
			break;
		case 3:
			*pair = PAIR_3XX;
			break;
		case 4:
			*pair = PAIR_4XX;
			break;
		case 5:
			*pair = PAIR_5XX;
			*attr = A_BOLD;
			break;
		default:
			*pair = PAIR_5XX;
			break;
		}
		if (e->malformed)
			*attr |= A_UNDERLINE;
		break;
	case TR_LOCAL:
		*attr = A_DIM;
		break;
	case TR_WARN:
		*pair = PAIR_WARN;
		*attr = A_BOLD;
		break;
	case TR_ERROR:
		*pair = PAIR_5XX;
		*attr = A_BOLD;
		break;
	case TR_HINT:
		*pair = PAIR_HINT;
		break;
	}
}

/* Lay out (and with draw, draw) one entry at width; returns its rows. */
static int
ui_view_entry(struct ui *u, const struct tr_entry *e, int width, int draw, int y,
    int skip, int maxrows)
{
	struct ui_seg	 seg[5];
	char		 stamp[TRANSCRIPT_TIME_MAX], lat[TRANSCRIPT_LATENCY_MAX] = "";
	char		 marker[8], *note = NULL;
	size_t		 n = 0;
	int		 rows;
	attr_t		 attr;
	short		 pair;

	if (transcript_time(e, u->timestamps, stamp) > 0)
		seg[n++] = (struct ui_seg){ stamp, A_DIM, 0 };
	snprintf(marker, sizeof marker, "%-3s", e->cont ? "" :
	    transcript_marker(e->kind));
	ui_view_style(e, &attr, &pair);
	seg[n++] = (struct ui_seg){ marker, attr & ~A_UNDERLINE, pair };
	seg[n++] = (struct ui_seg){ e->text, attr, pair };
	/* With times shown, how long a reply took, beside its first line. */
	if (u->timestamps)
		transcript_latency(e, lat);
	if (e->note != NULL || *lat != '\0') {
		note = xasprintf("   %s%s%s", lat, *lat != '\0' && e->note != NULL ?
		    "; " : "", e->note != NULL ? e->note : "");
		seg[n++] = (struct ui_seg){ note, A_DIM, 0 };
	}
	rows = ui_text_flow(u, seg, n, ui_text_width(stamp) + 3, width, draw, y,
	    u->lay.tr_x, skip, maxrows);
	free(note);
	return (rows);
}

static int
ui_view_rows(struct ui *u, unsigned long seq)
{
	struct tr_entry	*e = transcript_get(&u->tr, seq);

	return (e != NULL ? ui_view_entry(u, e, u->lay.tr_w, 0, 0, 0, 0) : 0);
}

/* The first entry shown: after /clear, and not before what the transcript holds. */
static unsigned long
ui_view_first(struct ui *u)
{
	return (u->clear_mark > u->tr.base ? u->clear_mark : u->tr.base);
}

/* Rows for the lines held at the foot of a pane of h rows. */
static int
ui_view_held_rows(struct ui *u, int h)
{
	size_t	n = session_held(u->s);

	if (n == 0 || h < 4)
		return (0);
	return (n > 3 ? 4 : (int)n);
}

/* Rows for entries, the lines held at the foot aside. */
static int
ui_view_height(struct ui *u)
{
	return (u->lay.tr_h - ui_view_held_rows(u, u->lay.tr_h));
}

/*
 * Lines typed or pasted ahead and held until the reply they depend on: shown as pending
 * at the foot of the transcript pane (AUTH answers masked), never as sent.
 */
static void
ui_view_draw_held(struct ui *u)
{
	size_t	 n = session_held(u->s), i, shown;
	int	 rows, y, used, w = u->lay.tr_w;
	char	*text, *line;

	if ((rows = ui_view_held_rows(u, u->lay.tr_h)) == 0)
		return;
	shown = n > 3 ? 3 : n;
	y = u->lay.tr_y + u->lay.tr_h - rows;
	attrset(A_DIM);
	for (i = 0; i < shown; i++, y++) {
		if ((text = session_held_show(u->s, i)) == NULL)
			break;
		line = xasprintf("   held: %s", text);
		mvaddnstr(y, u->lay.tr_x, line, ui_text_fit(line, w, &used));
		free(line);
		free(text);
	}
	if (n > shown) {
		line = xasprintf("   ... and %zu more held until the server answers",
		    n - shown);
		mvaddnstr(y, u->lay.tr_x, line, ui_text_fit(line, w, &used));
		free(line);
	}
	attrset(A_NORMAL);
}

/* The anchor that shows the end: walk up from the last entry until h rows are filled. */
static void
ui_view_bottom(struct ui *u, int h, unsigned long *top, int *skip)
{
	unsigned long	seq, first = ui_view_first(u);
	long		cum = 0;
	int		r;

	*skip = 0;
	for (seq = transcript_end(&u->tr); seq > first && cum < h; seq--) {
		r = ui_view_rows(u, seq - 1);
		if (cum + r > h)
			*skip = (int)(cum + r - h);
		cum += r;
	}
	*top = seq;
}

/* Whether the rows from the anchor to the end fit in h: then the view follows. */
static int
ui_view_fits(struct ui *u, int h)
{
	unsigned long	seq, end = transcript_end(&u->tr);
	long		rows = -u->view.top_skip;

	for (seq = u->view.top; seq < end && rows <= h; seq++)
		rows += ui_view_rows(u, seq);
	return (rows <= h);
}

/* Keep the anchor on an entry that is shown, inside its rows. */
static void
ui_view_clamp(struct ui *u)
{
	struct ui_view	*v = &u->view;
	unsigned long	 first = ui_view_first(u), end = transcript_end(&u->tr);
	int		 r;

	if (v->follow)
		return;
	if (v->top < first || v->top >= end) {
		v->top = v->top < first ? first : end > first ? end - 1 : first;
		v->top_skip = 0;
	}
	r = ui_view_rows(u, v->top);
	if (v->top_skip >= r)
		v->top_skip = r > 0 ? r - 1 : 0;
	if (v->top_skip < 0)
		v->top_skip = 0;
}

void
ui_view_scroll(struct ui *u, long rows)
{
	struct ui_view	*v = &u->view;
	unsigned long	 first = ui_view_first(u), end = transcript_end(&u->tr);
	int		 h = ui_view_height(u), r;

	if (rows >= UI_VIEW_END) {
		v->follow = 1;
		v->unseen = 0;
		goto done;
	}
	if (v->follow) {
		ui_view_bottom(u, h, &v->top, &v->top_skip);
		v->follow = 0;
		v->seen = end;
		v->unseen = 0;
	}
	if (rows <= UI_VIEW_HOME) {
		v->top = first;
		v->top_skip = 0;
	} else if (rows < 0) {
		rows = -rows;
		if (v->top_skip >= rows)
			v->top_skip -= (int)rows;
		else {
			rows -= v->top_skip;
			v->top_skip = 0;
			while (rows > 0 && v->top > first) {
				r = ui_view_rows(u, --v->top);
				v->top_skip = r > rows ? (int)(r - rows) : 0;
				rows -= r;
			}
		}
	} else {
		rows += v->top_skip;
		while (v->top + 1 < end && rows >= (r = ui_view_rows(u, v->top))) {
			rows -= r;
			v->top++;
		}
		v->top_skip = rows > h ? h : (int)rows;	/* clamped below */
	}
	ui_view_clamp(u);
	if (ui_view_fits(u, h)) {
		v->follow = 1;
		v->unseen = 0;
	}
done:
	ui_redraw(u, UI_REDRAW_TRANSCRIPT | UI_REDRAW_STATUS);
}

void
ui_view_added(struct ui *u)
{
	struct ui_view	*v = &u->view;
	unsigned long	 end = transcript_end(&u->tr);

	if (v->follow || u->lay.tr_w <= 0) {
		v->seen = end;
		return;
	}
	if (v->seen < u->tr.base)
		v->seen = u->tr.base;
	for (; v->seen < end; v->seen++)
		v->unseen += ui_view_rows(u, v->seen);
}

void
ui_view_clear(struct ui *u)
{
	u->clear_mark = transcript_end(&u->tr);
	ui_view_scroll(u, UI_VIEW_END);
}

void
ui_view_draw(struct ui *u)
{
	struct ui_view	*v = &u->view;
	struct tr_entry	*e;
	unsigned long	 seq, end = transcript_end(&u->tr);
	int		 h = ui_view_height(u), w = u->lay.tr_w, y, r, skip;

	if (u->lay.tr_h <= 0 || w <= 0)
		return;
	for (y = 0; y < u->lay.tr_h; y++)
		mvhline(u->lay.tr_y + y, u->lay.tr_x, ' ', w);
	ui_view_draw_held(u);
	ui_view_clamp(u);
	if (!v->follow && ui_view_fits(u, h)) {
		v->follow = 1;
		v->unseen = 0;
	}
	if (v->follow)
		ui_view_bottom(u, h, &seq, &skip);
	else {
		seq = v->top;
		skip = v->top_skip;
	}
	for (y = 0; y < h && seq < end; seq++, skip = 0) {
		if ((e = transcript_get(&u->tr, seq)) == NULL)
			continue;
		r = ui_view_entry(u, e, w, 1, u->lay.tr_y + y, skip, h - y);
		y += r - skip;
	}
}
