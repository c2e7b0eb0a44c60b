/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Text fitting and wrapping, in columns of the terminal: what the panes and the input
 * line share. Text here is display-safe already (vis.c); an invalid byte still takes one
 * column, so nothing can throw the layout off.
 */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ui.h"
#include "xmalloc.h"

void
ui_text_char(const char *s, size_t len, mbstate_t *st, size_t *n, int *w, wchar_t *wc)
{
	*n = mbrtowc(wc, s, len, st);
	if (*n == (size_t)-1 || *n == (size_t)-2 || *n == 0) {
		memset(st, 0, sizeof *st);
		*n = 1;
		*w = 1;
		*wc = L'?';
		return;
	}
	if ((*w = wcwidth(*wc)) < 0)
		*w = 1;
}

size_t
ui_text_fit(const char *s, int cols, int *used)
{
	mbstate_t	 st;
	wchar_t		 wc;
	size_t		 n, off = 0;
	int		 w, col = 0;

	/* Only as far as the columns go: a long line is not measured whole. */
	memset(&st, 0, sizeof st);
	while (s[off] != '\0') {
		ui_text_char(s + off, strnlen(s + off, MB_LEN_MAX), &st, &n, &w, &wc);
		if (col + w > cols)
			break;
		col += w;
		off += n;
	}
	*used = col;
	return (off);
}

int
ui_text_cols(const char *s, size_t len)
{
	mbstate_t	st;
	wchar_t		wc;
	size_t		off, n;
	int		cols = 0, w;

	memset(&st, 0, sizeof st);
	for (off = 0; off < len; off += n) {
		ui_text_char(s + off, len - off, &st, &n, &w, &wc);
		cols += w;
	}
	return (cols);
}

int
ui_text_width(const char *s)
{
	return (ui_text_cols(s, strlen(s)));
}

/* Where to break a row that would end inside a word: after its last space. Returns the
 * bytes of p for this row (n, or fewer), or 0 to start the word on a row of its own. */
static size_t
ui_text_break(const char *p, size_t n, int col, int indent, int width, int *used)
{
	size_t	k = n, wl;

	while (k > 0 && p[k - 1] != ' ')
		k--;
	if (k > 0 && k < n) {
		*used = ui_text_cols(p, k);
		return (k);
	}
	if (k == 0 && col > indent) {
		wl = strcspn(p, " ");
		if (ui_text_cols(p, wl) <= width - indent)
			return (0);
	}
	return (n);
}

int
ui_text_flow(struct ui *u, const struct ui_seg *seg, size_t nseg, int indent, int width,
    int draw, int y, int x, int skip, int maxrows)
{
	const char	*p;
	size_t		 i, n;
	int		 row = 0, col = 0, used;

	if (indent > width / 2)
		indent = 2;
	for (i = 0; i < nseg; i++) {
		for (p = seg[i].s; *p != '\0'; p += n) {
			if (col >= width) {
				row++;
				col = indent;
				/* A wrapped row does not start with the space it broke at. */
				if (*p == ' ') {
					n = 1;
					continue;
				}
			}
			n = ui_text_fit(p, width - col, &used);
			if (n == 0) {
				/* Too narrow for even one character: drop it. */
				n = col == indent ? 1 : 0;
				if (n == 0) {
					row++;
					col = indent;
				}
				continue;
			}
			if (p[n] != '\0' && p[n] != ' ' && col + used >= width &&
			    (n = ui_text_break(p, n, col, indent, width, &used)) == 0) {
				row++;
				col = indent;
				continue;
			}
			if (draw && row >= skip && row - skip < maxrows) {
				attrset(seg[i].attr | (u->color ?
				    COLOR_PAIR(seg[i].pair) : 0));
				mvaddnstr(y + row - skip, x + col, p, n);
			}
			col += used;
		}
	}
	attrset(A_NORMAL);
	return (row + 1);
}

/* Is s[i] the first of two hex digits that make a group of a fingerprint ("9D:")? */
static int
ui_text_hexpair(const char *s, size_t i)
{
	return (isxdigit((unsigned char)s[i]) && isxdigit((unsigned char)s[i + 1]) &&
	    (s[i + 2] == ':' || s[i + 2] == ' ' || s[i + 2] == '\0'));
}

/* Is the space at s[i] inside the value of a DN's attribute ("CN=smtpcon practice CA")? */
static int
ui_text_in_value(const char *s, size_t i)
{
	while (i-- > 0) {
		if (s[i] == '=')
			return (1);
		if (s[i] == ',' || s[i] == '(' || s[i] == ')')
			break;
	}
	return (0);
}

/* How good a row break before s[i] is: 4 after a comma (", " and a DN's ","), 3 between
 * the groups of a fingerprint, 2 at a space, 1 at a space inside a DN's value, 0 not at
 * all (inside a name). */
static int
ui_text_sep(const char *s, size_t i)
{
	if (i == 0)
		return (0);
	if (s[i - 1] == ',' && (i < 2 || s[i - 2] != '\\'))
		return (4);
	if (s[i] == ' ' && s[i - 1] != ' ')
		return (ui_text_in_value(s, i) ? 1 : 2);
	if (s[i - 1] == ':' && i >= 3 && (i == 3 || s[i - 4] == ':' ||
	    s[i - 4] == ' ') && ui_text_hexpair(s, i - 3) && ui_text_hexpair(s, i))
		return (3);
	return (0);
}

/*
 * Where the row of p that n bytes fill ends: at the best separator past the first
 * quarter of the row, else the last good one, else a space inside a DN's value, else n
 * (a name wider than the row is cut).
 */
static size_t
ui_text_cut(const char *p, size_t n, int avail)
{
	size_t	cut[5] = { 0, 0, 0, 0, 0 }, i, last = 0;
	int	c;

	for (i = 1; i <= n; i++)
		cut[ui_text_sep(p, i)] = i;
	for (c = 4; c >= 2; c--) {
		if (cut[c] > 0 && ui_text_cols(p, cut[c]) * 4 >= avail)
			return (cut[c]);
		if (cut[c] > last)
			last = cut[c];
	}
	if (last > 0)
		return (last);
	return (cut[1] > 0 ? cut[1] : n);
}

int
ui_text_widest(const char *s)
{
	size_t	i, from = 0;
	int	w, widest = 0;

	for (i = 1; s[i - 1] != '\0'; i++) {
		if (s[i] != '\0' && ui_text_sep(s, i) < 2)
			continue;
		w = ui_text_cols(s + from, i - from);
		widest = w > widest ? w : widest;
		from = i + (s[i] == ' ');
	}
	return (widest);
}

int
ui_text_wrap(struct ui *u, const struct ui_seg *seg, int indent, int width, int draw,
    int y, int x, int skip, int maxrows)
{
	const char	*p = seg->s;
	size_t		 n, k;
	int		 row = 0, avail, used, col;

	if (indent > width / 2)
		indent = 2;
	while (*p != '\0') {
		col = row > 0 ? indent : 0;
		if (row > 0 && *(p += strspn(p, " ")) == '\0')
			break;
		avail = width - col;
		if ((n = ui_text_fit(p, avail, &used)) == 0) {
			/* Too narrow for one character: drop it. */
			p++;
			continue;
		}
		if (p[n] != '\0')
			n = ui_text_cut(p, n, avail);
		for (k = n; k > 0 && p[k - 1] == ' '; k--)
			continue;
		if (draw && row >= skip && row - skip < maxrows) {
			attrset(seg->attr | (u->color ? COLOR_PAIR(seg->pair) : 0));
			mvaddnstr(y + row - skip, x + col, p, k);
		}
		p += n;
		row++;
	}
	attrset(A_NORMAL);
	return (row > 0 ? row : 1);
}
