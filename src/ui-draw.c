/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Drawing: the layout of the panes, the TLS pane, the status line, and which of them a
 * change redraws. A keystroke redraws the input line only; a reply the transcript and the
 * status; the TLS text is built when TLS comes up, not on every draw.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "ui.h"
#include "xmalloc.h"

#define UI_MIN_COLS	40
#define UI_MIN_ROWS	10

void
ui_draw_colors(struct ui *u)
{
	const char	*nc = getenv("NO_COLOR");

	u->color = has_colors() && (nc == NULL || *nc == '\0');
	if (!u->color)
		return;
	start_color();
	use_default_colors();
	init_pair(PAIR_CLIENT, COLOR_CYAN, -1);
	init_pair(PAIR_2XX, COLOR_GREEN, -1);
	init_pair(PAIR_3XX, COLOR_BLUE, -1);
	init_pair(PAIR_4XX, COLOR_YELLOW, -1);
	init_pair(PAIR_5XX, COLOR_RED, -1);
	init_pair(PAIR_WARN, COLOR_YELLOW, -1);
	init_pair(PAIR_HINT, COLOR_MAGENTA, -1);
	init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
}

void
ui_draw_title(struct ui *u, int y, int x, int w, const char *title, const char *right)
{
	int	used;
	size_t	n;

	attrset(A_REVERSE | (u->color ? COLOR_PAIR(PAIR_TITLE) : 0));
	mvhline(y, x, ' ', w);
	n = ui_text_fit(title, w - 1, &used);
	mvaddnstr(y, x + 1, title, n);
	if (right != NULL && ui_text_width(right) + used + 3 < w)
		mvaddstr(y, x + w - ui_text_width(right) - 1, right);
	attrset(A_NORMAL);
}

/* How much of the MTA-STS section there is to show: lines, and 1 more while pending. */
static size_t
ui_draw_tls_sts_size(struct ui *u)
{
	size_t	i;
	int	pending, warn;

	if (session_sts_domain(u->s, &pending) == NULL)
		return (0);
	for (i = 0; session_sts_line(u->s, i, &warn) != NULL; i++)
		;
	return (1 + i + (size_t)pending);
}

void
ui_draw_tls_refresh(struct ui *u)
{
	if (session_tls(u->s) != u->tls_shown)
		ui_draw_tls_changed(u);
	else if (ui_draw_tls_sts_size(u) != u->tls_sts_seen) {
		/* New MTA-STS lines: rebuilt, where the person scrolled to. */
		tlsview_free(u->tls_lines, u->tls_n);
		u->tls_lines = NULL;
		u->tls_n = 0;
		ui_redraw(u, UI_REDRAW_TLS);
	}
}

void
ui_draw_tls_changed(struct ui *u)
{
	tlsview_free(u->tls_lines, u->tls_n);
	u->tls_lines = NULL;
	u->tls_n = 0;
	u->tls_scroll = 0;
	ui_redraw(u, UI_REDRAW_TLS);
}

static void
ui_draw_tls_style(enum tlsview_style style, attr_t *attr, short *pair)
{
	*attr = A_NORMAL;
	*pair = 0;
	switch (style) {
	case TV_HEAD:
		*attr = A_BOLD;
		break;
	case TV_GOOD:
		*attr = A_BOLD;
		*pair = PAIR_2XX;
		break;
	case TV_BAD:
		*attr = A_BOLD;
		*pair = PAIR_5XX;
		break;
	case TV_DIM:
		*attr = A_DIM;
		break;
	default:
		break;
	}
}

/* Continuation rows of a line: under the value of a certificate's field ("    issuer  ")
 * when each name in it fits there, else indented by 4. */
static int
ui_draw_tls_indent(const char *s, int w)
{
	const char	*p;
	int		 indent;

	if (*s != ' ')
		return (4);
	p = s + strspn(s, " ");
	if ((p = strstr(p, "  ")) == NULL)
		return (4);
	indent = (int)(p + strspn(p, " ") - s);
	return (ui_text_widest(s + indent) <= w - indent ? indent : 4);
}

/* The rows of TLS line i at width w; with draw, from its row skip on at screen row y. */
static int
ui_draw_tls_line(struct ui *u, size_t i, int w, int draw, int y, int skip, int maxrows)
{
	struct ui_seg	seg;

	seg.s = u->tls_lines[i].text;
	ui_draw_tls_style(u->tls_lines[i].style, &seg.attr, &seg.pair);
	return (ui_text_wrap(u, &seg, ui_draw_tls_indent(seg.s, w), w, draw, y,
	    u->lay.tls_x, skip, maxrows));
}

/* A connection by domain: its MTA-STS section, below the TLS lines. */
static void
ui_draw_tls_sts(struct ui *u)
{
	const char	*d, *line;
	char		*text;
	size_t		 i;
	int		 pending, warn;

	if ((d = session_sts_domain(u->s, &pending)) == NULL)
		return;
	text = xasprintf("MTA-STS for %s", d);
	tlsview_append(&u->tls_lines, &u->tls_n, TV_HEAD, text);
	/* Under the heading, "MTA-STS for DOMAIN: " would say it twice. */
	for (i = 0; (line = session_sts_line(u->s, i, &warn)) != NULL; i++) {
		if (strncmp(line, text, strlen(text)) == 0 &&
		    strncmp(line + strlen(text), ": ", 2) == 0)
			line += strlen(text) + 2;
		tlsview_append(&u->tls_lines, &u->tls_n, warn ? TV_BAD : TV_TEXT, line);
	}
	free(text);
	if (pending) {
		text = xasprintf("looking up _mta-sts.%s and the policy...", d);
		tlsview_append(&u->tls_lines, &u->tls_n, TV_DIM, text);
		free(text);
	}
}

static void
ui_draw_tls(struct ui *u)
{
	const struct tls_info	*in = session_tls(u->s);
	const char		*more = " more below: Shift-Down ";
	char			*title;
	size_t			 i;
	long			 row = 0, r, total = 0, end;
	int			 y, h = u->lay.tls_h, w = u->lay.tls_w, skip, used;

	if (h <= 0 || w <= 0)
		return;
	for (y = 0; y < h; y++)
		mvhline(u->lay.tls_y + y, u->lay.tls_x, ' ', w);
	if (u->tls_lines == NULL || in != u->tls_shown ||
	    ui_draw_tls_sts_size(u) != u->tls_sts_seen) {
		tlsview_free(u->tls_lines, u->tls_n);
		u->tls_lines = tlsview_lines(in, &u->tls_n);
		u->tls_shown = in;
		ui_draw_tls_sts(u);
		u->tls_sts_seen = ui_draw_tls_sts_size(u);
	}
	for (i = 0; i < u->tls_n; i++)
		total += ui_draw_tls_line(u, i, w, 0, 0, 0, 0);
	if (u->tls_scroll > total - h)
		u->tls_scroll = total - h;
	if (u->tls_scroll < 0)
		u->tls_scroll = 0;
	/* Scrolled short of the end, the last row says there is more. */
	end = u->tls_scroll + (total - u->tls_scroll > h ? h - 1 : h);
	for (i = 0; i < u->tls_n && row < end; i++) {
		r = ui_draw_tls_line(u, i, w, 0, 0, 0, 0);
		skip = row < u->tls_scroll ? (int)(u->tls_scroll - row) : 0;
		if (row + r > u->tls_scroll)
			ui_draw_tls_line(u, i, w, 1, u->lay.tls_y + (int)(row + skip -
			    u->tls_scroll), skip, (int)(end - row - skip));
		row += r;
	}
	if (end < total) {
		attrset(A_REVERSE);
		mvaddnstr(u->lay.tls_y + h - 1, u->lay.tls_x, more, ui_text_fit(more, w,
		    &used));
		attrset(A_NORMAL);
	}
	title = xasprintf("%s%s", in == NULL ? "TLS" : in->verified ? "TLS: verified" :
	    "TLS: NOT VERIFIED", u->tls_scroll > 0 ? ", more above" : "");
	ui_draw_title(u, u->lay.tls_y - 1, u->lay.tls_x, w, title,
	    u->show_tls == UI_TLS_WIDE ? "F2 hides" : "F2 wider");
	free(title);
}

void
ui_draw_tls_cycle(struct ui *u)
{
	u->show_tls = (u->show_tls + 1) % (UI_TLS_WIDE + 1);
	ui_dirty(u);
}

/*
 * The status line is made of fields, each whole or left out: at 40 columns "TLS 1.3  r"
 * would say nothing. When they don't all fit, the least needed go first (the last
 * reply's time, then the address in brackets, the user, the state); the TLS state and
 * where we are go last.
 */
#define UI_WHERE_FIELDS	6
struct ui_where {
	char	*text[UI_WHERE_FIELDS];
	char	*brief[UI_WHERE_FIELDS];	/* what stays once dropped, or NULL */
	int	 drop[UI_WHERE_FIELDS];		/* dropped in this order; 0: never */
	size_t	 n;
};

static void
ui_where_add(struct ui_where *w, int drop, char *text, char *brief)
{
	w->drop[w->n] = drop;
	w->brief[w->n] = brief;
	w->text[w->n++] = text;
}

/* The fields joined, those of rank up to drop left out or brief. */
static char *
ui_where_join(const struct ui_where *w, int drop)
{
	const char	*f;
	char		*out = xstrdup(""), *next;
	size_t		 i;

	for (i = 0; i < w->n; i++) {
		f = w->drop[i] != 0 && w->drop[i] <= drop ? w->brief[i] : w->text[i];
		if (f == NULL)
			continue;
		next = xasprintf("%s%s%s", out, *out == '\0' ? " " : "  ", f);
		free(out);
		out = next;
	}
	return (out);
}

/* The left part of the status line: where we are and how, in width columns. */
static char *
ui_draw_where(struct ui *u, int width)
{
	const struct tls_info	*in = session_tls(u->s);
	const char		*who = session_authed_as(u->s), *host, *addr, *port;
	struct ui_where		 w = { .n = 0 };
	char			*out = NULL;
	int			 drop, v6;
	size_t			 i;

	if (!session_connected(u->s)) {
		ui_where_add(&w, 0, xstrdup("not connected: /connect host[:port]"), NULL);
		ui_where_add(&w, 1, xstrdup("F1 help"), NULL);
	} else {
		host = session_host(u->s);
		addr = session_addr(u->s);
		port = session_port(u->s);
		/* An IPv6 address takes brackets before a port. */
		v6 = strchr(host, ':') != NULL;
		if (strcmp(host, addr) == 0)
			ui_where_add(&w, 0, xasprintf("%s%s%s:%s", v6 ? "[" : "", host,
			    v6 ? "]" : "", port), NULL);
		else
			ui_where_add(&w, 2, xasprintf("%s [%s]:%s", host, addr, port),
			    xasprintf("%s%s%s:%s", v6 ? "[" : "", host, v6 ? "]" : "",
			    port));
		ui_where_add(&w, 0, xasprintf("%s%s%s",
		    session_tls_up(u->s) && in != NULL ? in->protocol : "plain",
		    session_tls_up(u->s) && in != NULL && !in->verified ?
		    " UNVERIFIED" : "", session_insecure(u->s) ? " --INSECURE" : ""),
		    NULL);
		if (who != NULL)
			ui_where_add(&w, 3, xasprintf("authenticated as %s", who), NULL);
		ui_where_add(&w, 4, xstrdup(session_state_name(u->s)), NULL);
		if (session_latency(u->s) >= 0)
			ui_where_add(&w, 1, xasprintf("last reply %ld ms",
			    session_latency(u->s)), NULL);
	}
	for (drop = 0; drop <= 4; drop++) {
		free(out);
		out = ui_where_join(&w, drop);
		if (ui_text_width(out) <= width)
			break;
	}
	for (i = 0; i < w.n; i++) {
		free(w.text[i]);
		free(w.brief[i]);
	}
	return (out);
}

/* The right part: a message, reading back, or lines held; brief, for a narrow line. */
static char *
ui_draw_news(struct ui *u, int brief)
{
	const char	*verb = session_pending_verb(u->s);

	if (u->message != NULL)
		return (xasprintf("%s ", u->message));
	if (!u->view.follow)
		return (brief ? xstrdup("reading back: End to follow ") :
		    xasprintf("reading back: %ld new rows below, End to follow ",
		    u->view.unseen));
	if (session_held(u->s) > 0)
		return (brief ? xasprintf("%zu held ", session_held(u->s)) :
		    xasprintf("%zu held until the server answers %s ",
		    session_held(u->s), verb != NULL ? verb : ""));
	return (xstrdup(""));
}

/* Draw s from column 0, cut (when it must be) after a whole word, with "...". */
static void
ui_draw_words(int y, const char *s, int w)
{
	size_t	n, sp;
	int	used;

	n = ui_text_fit(s, w, &used);
	if (s[n] != '\0' && w > 4) {
		n = ui_text_fit(s, w - 3, &used);
		for (sp = n; sp > 0 && s[sp] != ' '; sp--)
			;
		if (sp > 0)
			n = sp;
		mvaddnstr(y, 0, s, n);
		addstr("...");
		return;
	}
	mvaddnstr(y, 0, s, n);
}

static void
ui_draw_status(struct ui *u)
{
	char	*left, *right = ui_draw_news(u, 0);
	int	 w = COLS, rw = ui_text_width(right);

	if (rw > w) {
		free(right);
		right = ui_draw_news(u, 1);
		rw = ui_text_width(right);
	}

	/* A message beside the place when both fit; else the message alone. */
	left = ui_draw_where(u, *right != '\0' && rw < w / 2 ? w - rw - 1 : w);
	attrset(A_REVERSE);
	mvhline(u->lay.status_y, 0, ' ', w);
	if (*right == '\0' || ui_text_width(left) + rw + 1 <= w)
		ui_draw_words(u->lay.status_y, left, w);
	if (*right != '\0') {
		attrset(A_REVERSE | A_BOLD);
		if (ui_text_width(left) + rw + 1 > w)
			ui_draw_words(u->lay.status_y, right, w);
		else
			mvaddstr(u->lay.status_y, w - rw, right);
	}
	attrset(A_NORMAL);
	free(left);
	free(right);
}

/*
 * The TLS pane goes beside the transcript from UI_TLS_BESIDE columns on: a third of the
 * terminal, UI_TLS_MIN to UI_TLS_MAX columns; wide, half of it, up to UI_TLS_WIDE_MAX.
 * Narrower, it goes below: a third of the rows, wide half of them.
 */
#define UI_TLS_BESIDE	100
#define UI_TLS_MIN	34
#define UI_TLS_MAX	72
#define UI_TLS_WIDE_MAX	100

static void
ui_draw_layout(struct ui *u)
{
	struct ui_layout	*l = &u->lay;
	int			 body = LINES - 2, th, tw, wide;

	memset(l, 0, sizeof *l);
	l->status_y = LINES - 2;
	l->input_y = LINES - 1;
	l->tr_y = 1;
	l->tr_x = 0;
	l->tr_w = COLS;
	l->tr_h = body - 1;
	if (u->show_tls == UI_TLS_HIDDEN)
		return;
	wide = u->show_tls == UI_TLS_WIDE;
	if (COLS >= UI_TLS_BESIDE) {
		tw = COLS / 3;
		tw = tw < UI_TLS_MIN ? UI_TLS_MIN : tw > UI_TLS_MAX ? UI_TLS_MAX : tw;
		if (wide && COLS / 2 > tw)
			tw = COLS / 2 > UI_TLS_WIDE_MAX ? UI_TLS_WIDE_MAX : COLS / 2;
		l->tls_w = tw;
		l->tr_w = COLS - l->tls_w - 1;
		l->tls_x = l->tr_w + 1;
		l->tls_y = 1;
		l->tls_h = body - 1;
	} else {
		th = wide ? body / 2 : body / 3;
		th = th < 3 ? 3 : th;
		l->tr_h = body - th - 1;
		l->tls_y = body - th + 1;
		l->tls_x = 0;
		l->tls_w = COLS;
		l->tls_h = th - 1;
	}
}

/* --debug: how long the screen took to follow a key (bench/scrollback.sh reads it). */
static void
ui_draw_timed(struct ui *u)
{
	struct timespec	now;

	if (u->key_time.tv_sec == 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	trace_log("screen %.3f ms after key %d (%lu entries)", (now.tv_sec -
	    u->key_time.tv_sec) * 1e3 + (now.tv_nsec - u->key_time.tv_nsec) / 1e6,
	    u->key_last, transcript_end(&u->tr));
	u->key_time.tv_sec = 0;
}

void
ui_draw(struct ui *u)
{
	int	what = u->redraw;

	u->redraw = 0;
	if (COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS) {
		erase();
		mvprintw(0, 0, "smtpcon needs %dx%d", UI_MIN_COLS, UI_MIN_ROWS);
		mvprintw(1, 0, "this is %dx%d", COLS, LINES);
		memset(&u->lay, 0, sizeof u->lay);
		refresh();
		ui_draw_timed(u);
		return;
	}
	if (u->help_text != NULL) {
		erase();
		ui_help_draw(u);
		refresh();
		ui_draw_timed(u);
		return;
	}
	if (what & UI_REDRAW_ALL) {
		erase();
		ui_draw_layout(u);
		what = ~0;
		ui_draw_title(u, 0, 0, u->lay.tr_w, "transcript",
		    u->timestamps == TRANSCRIPT_STAMP_MS ? "timestamps ms" :
		    u->timestamps ? "timestamps" : NULL);
		if (u->lay.tls_h > 0 && u->lay.tls_y == 1)
			mvvline(0, u->lay.tr_w, ACS_VLINE, LINES - 2);
	}
	ui_view_added(u);
	if (what & UI_REDRAW_TRANSCRIPT)
		ui_view_draw(u);
	if ((what & UI_REDRAW_TLS) && u->lay.tls_h > 0)
		ui_draw_tls(u);
	if (what & (UI_REDRAW_STATUS | UI_REDRAW_TRANSCRIPT))
		ui_draw_status(u);
	/* Always last: it puts the cursor where the typing goes. */
	ui_input_draw(u, u->lay.input_y, COLS);
	refresh();
	ui_draw_timed(u);
}
