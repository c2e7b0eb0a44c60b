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

void
ui_help_draw(struct ui *u)
{
	const char	*p, *nl;
	long		 line = 0, total = 0;
	int		 y = 1, h = LINES - 2;
	char		*row;

	for (p = u->help_text; *p != '\0'; p++)
		total += *p == '\n';
	if (u->help_scroll > total - h)
		u->help_scroll = total - h;
	if (u->help_scroll < 0)
		u->help_scroll = 0;
	ui_draw_title(u, 0, 0, COLS, "smtpcon help", "q or Esc closes, arrows and "
	    "PgUp/PgDn scroll");
	for (p = u->help_text; *p != '\0' && y <= h; p = *nl ? nl + 1 : nl) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		if (line++ < u->help_scroll)
			continue;
		row = xstrndup(p, nl - p);
		ui_text_flow(u, &(struct ui_seg){ row, 0, 0 }, 1, 0, COLS - 2, 1, y, 1,
		    0, 1);
		free(row);
		y++;
	}
	attrset(A_REVERSE);
	mvhline(LINES - 1, 0, ' ', COLS);
	mvprintw(LINES - 1, 1, "line %ld of %ld", u->help_scroll + 1, total);
	attrset(A_NORMAL);
}
