/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The help viewer: a text (a help topic, an explanation) over the whole screen, scrolled by
 * keys. Which text is the commands' business (cmd.c): the viewer only shows it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui.h"
#include "xmalloc.h"

void
ui_help_show(struct ui *u, char *text)
{
	free(u->help_text);
	u->help_text = text;
	u->help_scroll = 0;
	ui_dirty(u);
}

void
ui_help_key(struct ui *u, int ch)
{
	int	page = LINES - 3;

	switch (ch) {
	case 'q':
	case 'Q':
	case 27:
	case KEY_F(1):
		free(u->help_text);
		u->help_text = NULL;
		break;
	case KEY_UP:
	case 'k':
		u->help_scroll--;
		break;
	case KEY_DOWN:
	case 'j':
	case '\n':
	case '\r':
		u->help_scroll++;
		break;
	case KEY_PPAGE:
	case 'b':
		u->help_scroll -= page;
		break;
	case KEY_NPAGE:
	case ' ':
		u->help_scroll += page;
		break;
	case KEY_HOME:
	case 'g':
		u->help_scroll = 0;
		break;
	case KEY_END:
	case 'G':
		u->help_scroll = 1 << 30;
		break;
	case 12:
		clearok(curscr, TRUE);
		break;
	}
	ui_dirty(u);
}

/* One line of the help text, wrapped to the screen; continuation rows keep its indent.
 * With draw, its rows from skip on are drawn from row y, at most maxrows. */
static int
ui_help_line(struct ui *u, const char *p, size_t len, int draw, int y, int skip,
    int maxrows)
{
	char	*line = xstrndup(p, len);
	int	 rows, indent = (int)strspn(line, " ");

	rows = ui_text_flow(u, &(struct ui_seg){ line, 0, 0 }, 1, indent, COLS - 2, draw,
	    y, 1, skip, maxrows);
	free(line);
	return (rows);
}

void
ui_help_draw(struct ui *u)
{
	const char	*p, *nl;
	long		 row = 0, total = 0, r;
	int		 h = LINES - 2, skip;

	/* Rows, not lines: a long line wraps, and scrolling goes by what is seen. */
	for (p = u->help_text; *p != '\0'; p = *nl ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		total += ui_help_line(u, p, nl - p, 0, 0, 0, 0);
	}
	if (u->help_scroll > total - h)
		u->help_scroll = total - h;
	if (u->help_scroll < 0)
		u->help_scroll = 0;
	ui_draw_title(u, 0, 0, COLS, "smtpcon help", "q or Esc closes, arrows and "
	    "PgUp/PgDn scroll");
	for (p = u->help_text; *p != '\0' && row < u->help_scroll + h;
	    p = *nl ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		r = ui_help_line(u, p, nl - p, 0, 0, 0, 0);
		if (row + r > u->help_scroll) {
			skip = row < u->help_scroll ? (int)(u->help_scroll - row) : 0;
			ui_help_line(u, p, nl - p, 1, 1 + (int)(row + skip -
			    u->help_scroll), skip, h - (int)(row + skip - u->help_scroll));
		}
		row += r;
	}
	attrset(A_REVERSE);
	mvhline(LINES - 1, 0, ' ', COLS);
	mvprintw(LINES - 1, 1, "line %ld of %ld", u->help_scroll + 1, total);
	attrset(A_NORMAL);
}
