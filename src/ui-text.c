/*
 * Text fitting and wrapping, in columns of the terminal: what the panes and the input
 * line share. Text here is display-safe already (vis.c); an invalid byte still takes one
 * column, so nothing can throw the layout off.
 */
#include "config.h"

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
ui_text_cols(const char *s, size_t len, int masked)
{
	mbstate_t	st;
	wchar_t		wc;
	size_t		off, n;
	int		cols = 0, w;

	memset(&st, 0, sizeof st);
	for (off = 0; off < len; off += n) {
		ui_text_char(s + off, len - off, &st, &n, &w, &wc);
		cols += masked ? 1 : w;
	}
	return (cols);
}

int
ui_text_width(const char *s)
{
	return (ui_text_cols(s, strlen(s), 0));
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
		*used = ui_text_cols(p, k, 0);
		return (k);
	}
	if (k == 0 && col > indent) {
		wl = strcspn(p, " ");
		if (ui_text_cols(p, wl, 0) <= width - indent)
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
