/* The curses console: layout, drawing, keys and the poll loop. */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include <curses.h>

#include "cmd.h"
#include "conn.h"
#include "help.h"
#include "journal.h"
#include "tlsview.h"
#include "ui.h"
#include "xmalloc.h"

#define UI_MIN_COLS	40
#define UI_MIN_ROWS	10

enum ui_pair {
	PAIR_CLIENT = 1,
	PAIR_2XX,
	PAIR_3XX,
	PAIR_4XX,
	PAIR_5XX,
	PAIR_WARN,
	PAIR_HINT,
	PAIR_TITLE
};

struct ui		*ui_current;

static struct termios	 ui_saved_tty;
static int		 ui_have_tty;
static int		 ui_sigpipe[2] = { -1, -1 };
static int		 ui_key_alt_up, ui_key_alt_down;
static struct journal	*ui_journal;

/* Where things are on screen, recomputed on every draw. */
struct ui_layout {
	int	tr_y, tr_x, tr_h, tr_w;		/* transcript content */
	int	tls_y, tls_x, tls_h, tls_w;	/* TLS content (h 0: hidden) */
	int	status_y, input_y;
};
static struct ui_layout	 ui_lay;

void
ui_dirty(struct ui *u)
{
	u->dirty = 1;
}

void
ui_message(struct ui *u, const char *fmt, ...)
{
	va_list	ap;

	free(u->message);
	u->message = NULL;
	if (fmt != NULL) {
		va_start(ap, fmt);
		if (vasprintf(&u->message, fmt, ap) == -1)
			u->message = NULL;
		va_end(ap);
	}
	ui_dirty(u);
}

void
ui_local(struct ui *u, enum tr_kind kind, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = NULL;
	va_end(ap);
	if (s == NULL)
		return;
	transcript_add(&u->tr, kind, s, NULL);
	free(s);
	ui_dirty(u);
}

/* Columns of the first bytes of s that fit in cols; *used gets the columns taken. */
static size_t
ui_fit(const char *s, int cols, int *used)
{
	mbstate_t	 st;
	wchar_t		 wc;
	size_t		 n, off = 0, len = strlen(s);
	int		 w, col = 0;

	memset(&st, 0, sizeof st);
	while (off < len) {
		n = mbrtowc(&wc, s + off, len - off, &st);
		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&st, 0, sizeof st);
			n = 1;
			w = 1;
		} else {
			if (n == 0)
				break;
			w = wcwidth(wc);
			if (w < 0)
				w = 1;
		}
		if (col + w > cols)
			break;
		col += w;
		off += n;
	}
	*used = col;
	return (off);
}

/* Columns of the first n bytes of s. */
static int
ui_width_n(const char *s, size_t n)
{
	char	*t = xstrndup(s, n);
	int	 used;

	ui_fit(t, 1 << 20, &used);
	free(t);
	return (used);
}

static int
ui_width(const char *s)
{
	int	used;

	ui_fit(s, 1 << 20, &used);
	return (used);
}

struct ui_seg {
	const char	*s;
	attr_t		 attr;
	short		 pair;
};

/*
 * Lay out segments over rows of width columns, further rows indented by indent. With
 * draw, rows from skip on are drawn at (y, x), at most maxrows of them. Return the rows the
 * segments need.
 */
static int
ui_flow(struct ui *u, const struct ui_seg *seg, size_t nseg, int indent, int width,
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
			n = ui_fit(p, width - col, &used);
			if (n == 0) {
				if (col == indent) {
					/* Too narrow for even one character: drop it. */
					n = 1;
					continue;
				}
				row++;
				col = indent;
				continue;
			}
			if (p[n] != '\0' && p[n] != ' ' && col + used >= width) {
				/* Break after the last space rather than inside a word. */
				size_t	k = n;

				while (k > 0 && p[k - 1] != ' ')
					k--;
				if (k > 0 && k < n) {
					n = k;
					used = ui_width_n(p, n);
				} else if (k == 0 && col > indent) {
					/* The word fits on a row of its own: start one. */
					size_t	wl = strcspn(p, " ");

					if (ui_width_n(p, wl) <= width - indent) {
						row++;
						col = indent;
						n = 0;
						continue;
					}
				}
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

static void
ui_entry_style(const struct tr_entry *e, attr_t *attr, short *pair)
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

/* Lay out (and maybe draw) one transcript entry; returns its rows. */
static int
ui_entry(struct ui *u, struct tr_entry *e, int width, int draw, int y, int x,
    int skip, int maxrows)
{
	struct ui_seg	 seg[5];
	char		 stamp[16] = "", marker[8], *note = NULL;
	struct tm	 tm;
	time_t		 t = e->time.tv_sec;
	size_t		 n = 0;
	int		 rows;
	attr_t		 attr;
	short		 pair;

	/* Counting rows is the costly part of scrolling: keep the count per width
	 * (the sign says whether timestamps were on). */
	if (!draw && e->view_width == (u->timestamps ? -width : width))
		return (e->view_rows);
	if (u->timestamps) {
		localtime_r(&t, &tm);
		strftime(stamp, sizeof stamp, "%H:%M:%S ", &tm);
		seg[n++] = (struct ui_seg){ stamp, A_DIM, 0 };
	}
	snprintf(marker, sizeof marker, "%-3s", e->cont ? "" :
	    transcript_marker(e->kind));
	ui_entry_style(e, &attr, &pair);
	seg[n++] = (struct ui_seg){ marker, attr & ~A_UNDERLINE, pair };
	seg[n++] = (struct ui_seg){ e->text, attr, pair };
	if (e->note != NULL) {
		note = xasprintf("   %s", e->note);
		seg[n++] = (struct ui_seg){ note, A_DIM, 0 };
	}
	rows = ui_flow(u, seg, n, ui_width(stamp) + 3, width, draw, y, x, skip,
	    maxrows);
	free(note);
	e->view_width = u->timestamps ? -width : width;
	e->view_rows = rows;
	return (rows);
}

/* Rows that entries from seq to the end take at width. */
static long
ui_rows_from(struct ui *u, unsigned long seq, int width)
{
	struct tr_entry	*e;
	long		 rows = 0;

	for (; seq < transcript_end(&u->tr); seq++) {
		if ((e = transcript_get(&u->tr, seq)) != NULL)
			rows += ui_entry(u, e, width, 0, 0, 0, 0, 0);
	}
	return (rows);
}

/*
 * Lines typed or pasted ahead and held until the reply they depend on: shown as pending
 * at the foot of the transcript pane (AUTH answers masked), never as sent. Returns the
 * rows used, bottom-up from row bottom.
 */
static int
ui_draw_held(struct ui *u, int bottom, int w, int h)
{
	size_t	 n = session_held(u->s), i, shown;
	int	 rows, y, used;
	char	*text, *line;

	if (n == 0 || h < 4)
		return (0);
	shown = n > 3 ? 3 : n;
	rows = (int)shown + (n > shown);
	y = bottom - rows;
	attrset(A_DIM);
	for (i = 0; i < shown; i++, y++) {
		if ((text = session_held_show(u->s, i)) == NULL)
			break;
		line = xasprintf("   held: %s", text);
		mvhline(y, ui_lay.tr_x, ' ', w);
		mvaddnstr(y, ui_lay.tr_x, line, ui_fit(line, w, &used));
		free(line);
		free(text);
	}
	if (n > shown) {
		line = xasprintf("   ... and %zu more held until the server answers",
		    n - shown);
		mvhline(y, ui_lay.tr_x, ' ', w);
		mvaddnstr(y, ui_lay.tr_x, line, ui_fit(line, w, &used));
		free(line);
	}
	attrset(A_NORMAL);
	return (rows);
}

static void
ui_draw_transcript(struct ui *u)
{
	struct tr_entry	*e;
	unsigned long	 seq, first = u->clear_mark, end = transcript_end(&u->tr);
	long		 want, cum = 0, r;
	int		 skip = 0, y, h = ui_lay.tr_h, w = ui_lay.tr_w;

	if (first < u->tr.base)
		first = u->tr.base;
	if (h <= 0 || w <= 0)
		return;
	h -= ui_draw_held(u, ui_lay.tr_y + h, w, h);
	want = u->tr_scroll + h;
	for (seq = end; seq > first; seq--) {
		e = transcript_get(&u->tr, seq - 1);
		r = ui_entry(u, e, w, 0, 0, 0, 0, 0);
		if (cum + r > want) {
			/* This entry straddles the top edge: show its lower rows. */
			skip = cum + r - want;
			seq--;
			break;
		}
		cum += r;
	}
	if (seq == first && skip == 0 && cum < want)
		u->tr_scroll = cum > h ? cum - h : 0;	/* no scrolling past the top */
	for (y = 0; y < h && seq < end; seq++) {
		e = transcript_get(&u->tr, seq);
		r = ui_entry(u, e, w, 1, ui_lay.tr_y + y, ui_lay.tr_x, skip, h - y);
		y += r - skip;
		skip = 0;
	}
}

static void
ui_draw_tls(struct ui *u)
{
	struct tlsview_line	*v;
	struct ui_seg		 seg;
	size_t			 n, i;
	long			 row = 0, r;
	int			 h = ui_lay.tls_h, w = ui_lay.tls_w, skip;
	attr_t			 attr;
	short			 pair;

	if (h <= 0 || w <= 0)
		return;
	v = tlsview_lines(session_tls(u->s), &n);
	if (u->tls_scroll < 0)
		u->tls_scroll = 0;
	for (i = 0, r = 0; i < n; i++)
		r += ui_flow(u, &(struct ui_seg){ v[i].text, 0, 0 }, 1, 4, w, 0, 0, 0,
		    0, 0);
	if (u->tls_scroll > r - h)
		u->tls_scroll = r - h > 0 ? r - h : 0;
	for (i = 0; i < n; i++) {
		switch (v[i].style) {
		case TV_HEAD:
			attr = A_BOLD;
			pair = 0;
			break;
		case TV_GOOD:
			attr = A_BOLD;
			pair = PAIR_2XX;
			break;
		case TV_BAD:
			attr = A_BOLD;
			pair = PAIR_5XX;
			break;
		case TV_DIM:
			attr = A_DIM;
			pair = 0;
			break;
		default:
			attr = A_NORMAL;
			pair = 0;
			break;
		}
		seg = (struct ui_seg){ v[i].text, attr, pair };
		r = ui_flow(u, &seg, 1, 4, w, 0, 0, 0, 0, 0);
		skip = row < u->tls_scroll ? (int)(u->tls_scroll - row) : 0;
		if (row + r > u->tls_scroll && row - u->tls_scroll < h)
			ui_flow(u, &seg, 1, 4, w, 1, ui_lay.tls_y + (int)(row + skip -
			    u->tls_scroll), ui_lay.tls_x, skip, h - (int)(row + skip -
			    u->tls_scroll));
		row += r;
	}
	tlsview_free(v, n);
}

static void
ui_title(struct ui *u, int y, int x, int w, const char *title, const char *right)
{
	int	used;
	size_t	n;

	attrset(A_REVERSE | (u->color ? COLOR_PAIR(PAIR_TITLE) : 0));
	mvhline(y, x, ' ', w);
	n = ui_fit(title, w - 1, &used);
	mvaddnstr(y, x + 1, title, n);
	if (right != NULL && ui_width(right) + used + 3 < w)
		mvaddstr(y, x + w - ui_width(right) - 1, right);
	attrset(A_NORMAL);
}

static void
ui_draw_status(struct ui *u)
{
	const struct smtp	*smtp = session_smtp(u->s);
	const struct tls_info	*in = session_tls(u->s);
	char			*left, *right, lat[32] = "";
	int			 w = COLS, used;
	size_t			 n;

	if (session_latency(u->s) >= 0)
		snprintf(lat, sizeof lat, "  last reply %ld ms", session_latency(u->s));
	if (!session_connected(u->s))
		left = xstrdup(" not connected: /connect host[:port]   F1 help");
	else {
		left = xasprintf(" %s [%s]:%s  %s%s%s  %s%s%s%s", session_host(u->s),
		    session_addr(u->s), session_port(u->s),
		    smtp->tls && in != NULL ? in->protocol : "plain",
		    smtp->tls && in != NULL && !in->verified ? " UNVERIFIED" : "",
		    session_insecure(u->s) ? " --INSECURE" : "",
		    session_authed_as(u->s) != NULL ? "authenticated as " : "",
		    session_authed_as(u->s) != NULL ? session_authed_as(u->s) : "",
		    session_authed_as(u->s) != NULL ? "  " : "",
		    smtp_state_name(smtp->state));
		if (*lat != '\0') {
			char	*t = xasprintf("%s%s", left, lat);

			free(left);
			left = t;
		}
	}
	if (u->message != NULL)
		right = xasprintf("%s ", u->message);
	else if (u->tr_scroll > 0)
		right = xasprintf("reading back: %ld new rows below, End to follow ",
		    u->tr_unseen);
	else if (session_held(u->s) > 0)
		right = xasprintf("%zu held until the server answers %s ",
		    session_held(u->s), smtp_pending_verb(smtp) != NULL ?
		    smtp_pending_verb(smtp) : "");
	else
		right = xstrdup("");
	attrset(A_REVERSE);
	mvhline(ui_lay.status_y, 0, ' ', w);
	n = ui_fit(left, w, &used);
	mvaddnstr(ui_lay.status_y, 0, left, n);
	if (*right != '\0') {
		if (ui_width(right) > w - used - 1) {
			n = ui_fit(right, w, &used);
			attrset(A_REVERSE | A_BOLD);
			mvhline(ui_lay.status_y, 0, ' ', w);
			mvaddnstr(ui_lay.status_y, 0, right, n);
		} else {
			attrset(A_REVERSE | A_BOLD);
			mvaddstr(ui_lay.status_y, w - ui_width(right), right);
		}
	}
	attrset(A_NORMAL);
	free(left);
	free(right);
}

static void
ui_draw_help(struct ui *u)
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
	ui_title(u, 0, 0, COLS, "smtpcon help", "q or Esc closes, arrows and "
	    "PgUp/PgDn scroll");
	for (p = u->help_text; *p != '\0' && y <= h; p = *nl ? nl + 1 : nl) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		if (line++ < u->help_scroll)
			continue;
		row = xstrndup(p, nl - p);
		ui_flow(u, &(struct ui_seg){ row, 0, 0 }, 1, 0, COLS - 2, 1, y, 1, 0, 1);
		free(row);
		y++;
	}
	attrset(A_REVERSE);
	mvhline(LINES - 1, 0, ' ', COLS);
	mvprintw(LINES - 1, 1, "line %ld of %ld", u->help_scroll + 1, total);
	attrset(A_NORMAL);
}

static void
ui_layout(struct ui *u)
{
	int	body = LINES - 2, th;

	memset(&ui_lay, 0, sizeof ui_lay);
	ui_lay.status_y = LINES - 2;
	ui_lay.input_y = LINES - 1;
	ui_lay.tr_y = 1;
	ui_lay.tr_x = 0;
	ui_lay.tr_w = COLS;
	ui_lay.tr_h = body - 1;
	if (!u->show_tls)
		return;
	if (COLS >= 100) {
		ui_lay.tls_w = COLS * 36 / 100;
		ui_lay.tr_w = COLS - ui_lay.tls_w - 1;
		ui_lay.tls_x = ui_lay.tr_w + 1;
		ui_lay.tls_y = 1;
		ui_lay.tls_h = body - 1;
	} else {
		th = body / 3 < 3 ? 3 : body / 3;
		ui_lay.tr_h = body - th - 1;
		ui_lay.tls_y = body - th + 1;
		ui_lay.tls_x = 0;
		ui_lay.tls_w = COLS;
		ui_lay.tls_h = th - 1;
	}
}

static void
ui_draw(struct ui *u)
{
	const struct tls_info	*in = session_tls(u->s);

	u->dirty = 0;
	erase();
	if (COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS) {
		mvprintw(0, 0, "smtpcon needs %dx%d", UI_MIN_COLS, UI_MIN_ROWS);
		mvprintw(1, 0, "this is %dx%d", COLS, LINES);
		refresh();
		return;
	}
	if (u->help_text != NULL) {
		ui_draw_help(u);
		refresh();
		return;
	}
	ui_layout(u);
	ui_title(u, 0, 0, ui_lay.tr_w, "transcript", u->timestamps ? "timestamps" :
	    NULL);
	ui_draw_transcript(u);
	if (ui_lay.tls_h > 0) {
		if (ui_lay.tls_y == 1)
			mvvline(0, ui_lay.tr_w, ACS_VLINE, LINES - 2);
		ui_title(u, ui_lay.tls_y - 1, ui_lay.tls_x, ui_lay.tls_w, in == NULL ?
		    "TLS" : in->verified ? "TLS: verified" : "TLS: NOT VERIFIED",
		    "F2 hides");
		ui_draw_tls(u);
	}
	ui_draw_status(u);
	ui_input_draw(u, ui_lay.input_y, COLS);
	refresh();
}

/* Session callbacks: the model changed. */
static void
ui_changed(void *arg)
{
	struct ui	*u = arg;
	long		 rows;

	if (u->tr_scroll > 0 && ui_lay.tr_w > 0) {
		rows = ui_rows_from(u, u->tr_seen, ui_lay.tr_w);
		u->tr_scroll += rows;
		u->tr_unseen += rows;
	}
	u->tr_seen = transcript_end(&u->tr);
	/* After QUIT's 221 there is nothing to wait for. */
	if (u->quit_after_close && session_smtp(u->s)->state == SMTP_QUIT &&
	    !smtp_waiting(session_smtp(u->s)))
		u->quit = 1;
	ui_input_prompt(u);
	ui_dirty(u);
}

static void
ui_closed(void *arg)
{
	struct ui	*u = arg;

	if (u->quit_after_close)
		u->quit = 1;
	ui_changed(u);
}

static void
ui_tls_up(void *arg, const struct tls_info *in)
{
	struct ui	*u = arg;

	(void)in;
	u->tls_scroll = 0;
	u->show_tls = 1;
	ui_dirty(u);
}

/* The console closes as soon as QUIT is answered: an odd answer is kept to say so. */
static void
ui_reply(void *arg, const struct reply *r, const char *verb)
{
	struct ui	*u = arg;

	if (strcmp(verb, "QUIT") != 0 || r->code == 221 || r->nlines == 0)
		return;
	free(u->quit_reply);
	u->quit_reply = xstrdup(r->lines[0].text);
}

static const struct session_cb ui_cb = {
	ui_changed, ui_reply, ui_tls_up, ui_closed
};

void
ui_connect(struct ui *u, const char *spec, enum session_mode mode)
{
	char	*host = NULL, *port = NULL, *err = NULL;

	if (conn_parse_target(spec, &host, &port, &err) != 0) {
		ui_local(u, TR_ERROR, "%s", err);
		free(err);
		return;
	}
	session_open(u->s, host, port, mode);
	free(host);
	free(port);
	ui_changed(u);
}

void
ui_show_text(struct ui *u, char *text)
{
	free(u->help_text);
	u->help_text = text;
	u->help_scroll = 0;
	ui_dirty(u);
}

void
ui_open_help(struct ui *u, const char *topic)
{
	char	*err = NULL, *text;

	if ((text = help_load(topic != NULL ? topic : "", &err)) == NULL) {
		ui_local(u, TR_ERROR, "%s", err);
		free(err);
		return;
	}
	free(u->help_text);
	u->help_text = text;
	u->help_scroll = 0;
	ui_dirty(u);
}

static void
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

static void
ui_quit_answer(struct ui *u, const char *answer)
{
	if (answer != NULL && (answer[0] == 'y' || answer[0] == 'Y'))
		u->quit = 1;
	u->ctrl_c = 0;
}

static void
ui_key(struct ui *u, int ch)
{
	int	page = ui_lay.tr_h > 1 ? ui_lay.tr_h - 1 : 1;

	if (u->help_text != NULL && ch != KEY_RESIZE) {
		ui_help_key(u, ch);
		return;
	}
	if (ch != 3)
		u->ctrl_c = 0;
	if (u->message != NULL && ch != KEY_RESIZE)
		ui_message(u, NULL);
	switch (ch) {
	case KEY_RESIZE:
		ui_dirty(u);
		return;
	case KEY_PPAGE:
		u->tr_scroll += page;
		ui_dirty(u);
		return;
	case KEY_NPAGE:
		u->tr_scroll -= page;
		if (u->tr_scroll <= 0)
			u->tr_scroll = u->tr_unseen = 0;
		ui_dirty(u);
		return;
	case KEY_HOME:
	case KEY_END:
		if (!ui_input_empty(u))
			break;
		u->tr_scroll = ch == KEY_HOME ? 1L << 30 : 0;
		if (ch == KEY_END)
			u->tr_unseen = 0;
		ui_dirty(u);
		return;
	case KEY_F(1):
		ui_open_help(u, "");
		return;
	case KEY_F(2):
		u->show_tls = !u->show_tls;
		ui_dirty(u);
		return;
	case KEY_SR:
	case KEY_SPREVIOUS:
		u->tls_scroll -= ch == KEY_SR ? 1 : ui_lay.tls_h;
		ui_dirty(u);
		return;
	case KEY_SF:
	case KEY_SNEXT:
		u->tls_scroll += ch == KEY_SF ? 1 : ui_lay.tls_h;
		ui_dirty(u);
		return;
	case 12:	/* Ctrl-L */
		clearok(curscr, TRUE);
		ui_dirty(u);
		return;
	case 3:		/* Ctrl-C */
		if (u->prompt == UI_PROMPT_ASK || !ui_input_empty(u)) {
			ui_input_clear(u);
			u->ctrl_c = 0;
			return;
		}
		if (++u->ctrl_c == 1)
			ui_message(u, "Ctrl-C again to quit");
		else
			ui_ask(u, "Quit smtpcon? [y/N] ", 0, ui_quit_answer);
		return;
	}
	if (ch != 0 && (ch == ui_key_alt_up || ch == ui_key_alt_down)) {
		u->tls_scroll += ch == ui_key_alt_up ? -1 : 1;
		ui_dirty(u);
		return;
	}
	ui_input_key(u, ch);
}

static void
ui_signal(int sig)
{
	int	saved = errno;
	char	c = (char)sig;

	if (ui_sigpipe[1] != -1)
		/* Nothing to do about a failure inside a signal handler. */
		if (write(ui_sigpipe[1], &c, 1) == -1) {
			/* nothing */
		}
	errno = saved;
}

/* A crash must not leave the terminal unusable: restore it, then die as before. */
static void
ui_crash(int sig)
{
	static const char reset[] = "\033[?1049l\033[?25h\033[0m\r\n";

	journal_flush_signal();
	if (ui_have_tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &ui_saved_tty);
	/* Nothing to do about a failure inside a signal handler. */
	if (write(STDOUT_FILENO, reset, sizeof reset - 1) == -1) {
		/* nothing */
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
ui_restore(void)
{
	if (!isendwin())
		endwin();
}

static void
ui_colors(struct ui *u)
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

/* The journal of this run, from the start: the console says where it is, or why not. */
static void
ui_journal_open(struct ui *u)
{
	char	*host = NULL, *port = NULL, *err = NULL;

	if (!journal_enabled()) {
		ui_local(u, TR_LOCAL, "no journal (--no-journal)");
		return;
	}
	if (u->opts->target != NULL &&
	    conn_parse_target(u->opts->target, &host, &port, &err) != 0) {
		free(err);
		err = NULL;
	}
	ui_journal = journal_open(host, port, &err);
	free(host);
	free(port);
	if (ui_journal == NULL) {
		ui_local(u, TR_WARN, "%s", err != NULL ? err : "no journal");
		free(err);
		return;
	}
	transcript_set_sink(&u->tr, journal_entry, ui_journal);
	ui_local(u, TR_LOCAL, "journal: %s", journal_path(ui_journal));
}

/* The lines of this pass to the journal, before the loop waits. */
static void
ui_journal_flush(struct ui *u)
{
	char	*err = NULL;

	if (journal_flush(ui_journal, &err) != 0) {
		ui_local(u, TR_WARN, "%s", err);
		free(err);
	}
}

static const char *
ui_signame(int sig)
{
	switch (sig) {
	case SIGHUP:
		return ("SIGHUP");
	case SIGINT:
		return ("SIGINT");
	default:
		return ("SIGTERM");
	}
}

static void
ui_welcome(struct ui *u)
{
	ui_local(u, TR_LOCAL, "smtpcon %s: talk SMTP to a mail server by hand",
	    PACKAGE_VERSION);
	ui_local(u, TR_LOCAL, "connect with /connect host[:port]  (add --tls for "
	    "port 465, --starttls for 587)");
	ui_local(u, TR_LOCAL, "F1 or /help for help, /quit to leave");
}

int
ui_main(struct smtpcon_opts *opts)
{
	struct ui		 u;
	struct pollfd		 pfd[3];
	struct sigaction	 sa;
	int			 nfd, sfd, ch, timeout, status, sig = 0;
	char			 c, *why;

	memset(&u, 0, sizeof u);
	u.opts = opts;
	u.timestamps = opts->timestamps;
	u.show_tls = 1;
	transcript_init(&u.tr);
	ui_current = &u;

	setlocale(LC_ALL, "");
	if (tcgetattr(STDIN_FILENO, &ui_saved_tty) == 0)
		ui_have_tty = 1;
	if (pipe2(ui_sigpipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		perror("smtpcon: pipe");
		return (EXIT_USAGE);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ui_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = ui_crash;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (getenv("ESCDELAY") == NULL)
		set_escdelay(50);
	if (initscr() == NULL) {
		fprintf(stderr, "smtpcon: cannot start the console (TERM=%s): use "
		    "--batch\n", getenv("TERM") ? getenv("TERM") : "");
		return (EXIT_USAGE);
	}
	atexit(ui_restore);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	ui_colors(&u);
	ui_key_alt_up = key_defined("\033[1;3A");
	ui_key_alt_down = key_defined("\033[1;3B");
	if (ui_key_alt_up <= 0)
		ui_key_alt_up = 0;
	if (ui_key_alt_down <= 0)
		ui_key_alt_down = 0;

	ui_journal_open(&u);
	u.s = session_new(&opts->sess, &u.tr, &ui_cb, &u);
	ui_input_init(&u);
	if (opts->practice != NULL)
		launch_welcome(opts->practice, &u.tr);
	if (opts->target != NULL)
		ui_connect(&u, opts->target, opts->mode);
	else
		ui_welcome(&u);
	ui_dirty(&u);

	while (!u.quit) {
		ui_journal_flush(&u);
		if (u.dirty)
			ui_draw(&u);
		memset(pfd, 0, sizeof pfd);
		nfd = 0;
		pfd[nfd].fd = STDIN_FILENO;
		pfd[nfd++].events = POLLIN;
		pfd[nfd].fd = ui_sigpipe[0];
		pfd[nfd++].events = POLLIN;
		sfd = session_pollfd(u.s, &pfd[nfd]) ? nfd++ : -1;
		timeout = session_timeout(u.s);
		if (poll(pfd, nfd, timeout) == -1 && errno != EINTR)
			break;
		/* The terminal went away: nothing more to read, ever (and no spin). */
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL) &&
		    !(pfd[0].revents & POLLIN))
			u.quit = 1;
		if (pfd[1].revents & POLLIN) {
			while (read(ui_sigpipe[0], &c, 1) == 1) {
				if (c == SIGTERM || c == SIGHUP || c == SIGINT)
					sig = c;
			}
			/* Leave now: no QUIT, no question, no key read after it. */
			if (sig != 0)
				break;
		}
		if (sfd != -1)
			session_io(u.s, pfd[sfd].revents);
		else
			session_io(u.s, 0);
		while (!u.quit && (ch = getch()) != ERR)
			ui_key(&u, ch);
	}
	ui_input_end(&u);
	ui_restore();
	/* The last screen is gone with the alternate screen: say what QUIT got. */
	if (u.quit_reply != NULL)
		fprintf(stderr, "smtpcon: QUIT was answered, but not with 221; the "
		    "connection was closed anyway:\nS: %s\n", u.quit_reply);
	free(u.quit_reply);
	if (sig != 0) {
		status = 128 + sig;
		fprintf(stderr, "smtpcon: ended by %s\n", ui_signame(sig));
		why = xasprintf("by %s", ui_signame(sig));
	} else {
		status = smtpcon_exit_status(u.s, 0);
		why = xasprintf("with exit status %d", status);
	}
	session_free(u.s);
	journal_close(ui_journal, why);
	ui_journal = NULL;
	free(why);
	transcript_clear(&u.tr);
	free(u.message);
	free(u.help_text);
	free(u.ask);
	free(u.auth_user);
	xfree_secret_str(u.auth_first);
	xfree_secret_str(u.auth_line);
	return (status);
}

void
ui_quit(struct ui *u)
{
	if (!session_connected(u->s)) {
		u->quit = 1;
		return;
	}
	if (session_quit(u->s) != 0) {
		ui_message(u, session_next_kind(u->s) == SMTP_LINE_BODY ? "in DATA: "
		    "end the message with a line holding only \".\" first, or "
		    "/disconnect" : "in AUTH: answer or cancel with * first, or "
		    "/disconnect");
		return;
	}
	u->quit_after_close = 1;
}

/* Cancel the AUTH exchange in progress (RFC 4954: a lone "*"). */
static void
ui_auth_cancel(struct ui *u)
{
	char	*err = NULL;

	xfree_secret_str(u->auth_first);
	u->auth_first = NULL;
	u->auth_asking = 0;
	if (session_smtp(u->s)->state == SMTP_AUTH &&
	    session_submit(u->s, "*", 1, 0, &err) != 0)
		free(err);
}

static void
ui_auth_second(struct ui *u, const char *answer)
{
	char	*ans[2], *err = NULL;

	if (answer == NULL) {
		ui_auth_cancel(u);
		return;
	}
	ans[0] = u->auth_first;
	ans[1] = (char *)answer;
	if (session_auth_answer(u->s, ans, &err) != 0) {
		ui_local(u, TR_ERROR, "%s", err);
		free(err);
	}
	xfree_secret_str(u->auth_first);
	u->auth_first = NULL;
	u->auth_asking = 0;
}

static void
ui_auth_first_done(struct ui *u, const char *answer)
{
	struct auth_need	need;

	if (answer == NULL || !session_auth_need(u->s, &need) || need.n != 2) {
		ui_auth_cancel(u);
		return;
	}
	xfree_secret_str(u->auth_first);
	u->auth_first = xstrdup(answer);
	ui_ask(u, need.prompt[1], need.secret[1], ui_auth_second);
}

void
ui_auth_questions(struct ui *u)
{
	struct auth_need	need;

	if (!session_auth_need(u->s, &need) || need.n != 2)
		return;
	u->auth_asking = 1;
	ui_ask(u, need.prompt[0], need.secret[0], ui_auth_first_done);
}

/* A typed AUTH command over a risky connection waits for the person's yes. */
static void
ui_auth_risk_answer(struct ui *u, const char *answer)
{
	char	*err = NULL, *line = u->auth_line;

	u->auth_line = NULL;
	if (answer == NULL || (answer[0] != 'y' && answer[0] != 'Y')) {
		ui_local(u, TR_LOCAL, "AUTH not sent");
		xfree_secret_str(line);
		return;
	}
	if (session_submit(u->s, line, strlen(line), HELD_CONSENT, &err) != 0) {
		ui_local(u, TR_ERROR, "%s", err);
		free(err);
	}
	xfree_secret_str(line);
}

/* Ask now when the AUTH goes now; typed ahead, the engine decides when it goes (and
 * refuses it if the connection is risky then). */
static int
ui_auth_risky(struct ui *u, const char *line)
{
	const char	*risk;
	char		 verb[16];

	smtp_verb(line, verb, sizeof verb);
	if (strcmp(verb, "AUTH") != 0 || session_smtp(u->s)->state != SMTP_READY ||
	    !session_idle(u->s) || session_insecure(u->s) ||
	    (risk = session_auth_risk(u->s)) == NULL)
		return (0);
	ui_local(u, TR_WARN, "careful: %s", risk);
	xfree_secret_str(u->auth_line);
	u->auth_line = xstrdup(line);
	ui_ask(u, "Send AUTH anyway? [y/N] ", 0, ui_auth_risk_answer);
	return (1);
}

/* /auth: the secret, then the whole exchange in one step. */
static void
ui_auth_secret_done(struct ui *u, const char *secret)
{
	char	*err = NULL;

	if (secret == NULL || u->auth_user == NULL) {
		ui_local(u, TR_LOCAL, "/auth cancelled");
		return;
	}
	/* The yes (or a safe connection) was for this exchange only. */
	if (session_auth_start(u->s, u->auth_mech, u->auth_user, secret,
	    u->auth_consent, &err) != 0) {
		ui_local(u, TR_ERROR, "%s", err);
		free(err);
	}
	u->auth_consent = 0;
}

static void
ui_auth_user_done(struct ui *u, const char *user)
{
	if (user == NULL || *user == '\0') {
		ui_local(u, TR_LOCAL, "/auth cancelled");
		return;
	}
	free(u->auth_user);
	u->auth_user = xstrdup(user);
	if (u->opts->secret != NULL && u->opts->user != NULL &&
	    strcmp(u->opts->user, user) == 0) {
		ui_auth_secret_done(u, u->opts->secret);
		return;
	}
	ui_ask(u, auth_uses_token(u->auth_mech) ? "Access token: " : "Password: ",
	    1, ui_auth_secret_done);
}

static void
ui_auth_go(struct ui *u, const char *answer)
{
	if (answer != NULL && answer[0] != 'y' && answer[0] != 'Y') {
		ui_local(u, TR_LOCAL, "/auth cancelled");
		return;
	}
	u->auth_consent = answer != NULL;
	if (u->auth_user != NULL) {
		char	*user = xstrdup(u->auth_user);

		ui_auth_user_done(u, user);
		free(user);
	} else
		ui_ask(u, "Username: ", 0, ui_auth_user_done);
}

void
ui_auth_command(struct ui *u, const char *mech, const char *user)
{
	const struct smtp	*smtp = session_smtp(u->s);
	const char		*adv, *risk;

	if (!session_connected(u->s) || smtp->state != SMTP_READY ||
	    !session_idle(u->s)) {
		ui_local(u, TR_ERROR, "/auth: %s", !session_connected(u->s) ?
		    "not connected" : "wait until the dialogue is ready");
		return;
	}
	adv = smtp_cap(smtp, "AUTH");
	if (mech == NULL) {
		if (adv == NULL) {
			ui_local(u, TR_ERROR, "/auth: the server advertised no AUTH "
			    "mechanism: send EHLO first (many servers offer AUTH only "
			    "after STARTTLS)");
			return;
		}
		if ((mech = auth_choose(adv)) == NULL) {
			ui_local(u, TR_ERROR, "/auth: none of the mechanisms offered (%s) "
			    "is one smtpcon can drive (PLAIN LOGIN CRAM-MD5 XOAUTH2 "
			    "OAUTHBEARER): type the exchange by hand", adv);
			return;
		}
	} else if (!auth_known(mech)) {
		ui_local(u, TR_ERROR, "/auth: smtpcon cannot drive AUTH %s (it knows "
		    "PLAIN LOGIN CRAM-MD5 XOAUTH2 OAUTHBEARER)", mech);
		return;
	}
	smtp_verb(mech, u->auth_mech, sizeof u->auth_mech);
	free(u->auth_user);
	u->auth_user = user != NULL ? xstrdup(user) : u->opts->user != NULL ?
	    xstrdup(u->opts->user) : NULL;
	ui_local(u, TR_LOCAL, "/auth: using %s%s%s%s", u->auth_mech, adv != NULL ?
	    " (offered: " : "", adv != NULL ? adv : "", adv != NULL ? ")" : "");
	if (adv != NULL && auth_choose(u->auth_mech) != NULL &&
	    strcasestr(adv, u->auth_mech) == NULL)
		ui_local(u, TR_WARN, "the server did not advertise %s", u->auth_mech);
	if (!session_insecure(u->s) && (risk = session_auth_risk(u->s)) != NULL) {
		ui_local(u, TR_WARN, "careful: %s", risk);
		ui_ask(u, "Send AUTH anyway? [y/N] ", 0, ui_auth_go);
		return;
	}
	ui_auth_go(u, NULL);
}

void
ui_line(struct ui *u, char *line)
{
	void		(*done)(struct ui *, const char *);
	char		*err = NULL, *cmd;
	enum smtp_line	 kind;

	u->tr_scroll = u->tr_unseen = 0;
	if (u->prompt == UI_PROMPT_ASK) {
		done = u->ask_done;
		u->ask_done = NULL;
		u->prompt = UI_PROMPT_COMMAND;
		ui_input_prompt(u);
		if (done != NULL)
			done(u, line);
		return;
	}
	if (u->prompt == UI_PROMPT_CMD_ONCE) {
		u->prompt = UI_PROMPT_COMMAND;
		ui_input_prompt(u);
		if (line == NULL || *line == '\0')
			return;
		cmd = line[0] == '/' ? xstrdup(line) : xasprintf("/%s", line);
		cmd_run(u, cmd);
		free(cmd);
		return;
	}
	if (line == NULL) {
		ui_quit(u);
		return;
	}
	/*
	 * What the line will be once the lines before it are answered: body lines and
	 * AUTH answers (base64 may start with "/") go as typed, empty ones too.
	 */
	kind = session_connected(u->s) ? session_next_kind(u->s) : SMTP_LINE_COMMAND;
	if (kind == SMTP_LINE_COMMAND) {
		if (line[0] == '/') {
			cmd_run(u, line);
			return;
		}
		if (line[0] == '\0')
			return;
	}
	if (!session_connected(u->s)) {
		ui_local(u, TR_ERROR, "not connected: /connect host[:port] first");
		return;
	}
	if (kind == SMTP_LINE_COMMAND && ui_auth_risky(u, line))
		return;
	if (session_submit(u->s, line, strlen(line), 0, &err) != 0) {
		ui_local(u, TR_ERROR, "%s", err);
		free(err);
	}
}
