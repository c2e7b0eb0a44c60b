/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The command line: GNU readline in callback mode, fed one byte at a time from the poll
 * loop and drawn by us (readline never writes to the terminal). History is kept across runs
 * and never holds a secret, a body line or an AUTH answer.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <wchar.h>

#include <curses.h>
#include <readline/readline.h>
#include <readline/history.h>

#include "fs.h"
#include "ui.h"
#include "xmalloc.h"

#define UI_HISTORY_MAX	1000

static size_t	 ui_mask_from(const char *, size_t);

static int	 ui_rl_byte;
static int	 ui_rl_avail;
static int	 ui_rl_new;		/* history entries added this run */
static int	 ui_rl_hscroll;
static char	*ui_rl_prompt;
static FILE	*ui_rl_null;

static int
ui_rl_getc(FILE *f)
{
	(void)f;
	ui_rl_avail = 0;
	return (ui_rl_byte);
}

static int
ui_rl_input_available(void)
{
	return (ui_rl_avail);
}

static void
ui_rl_redisplay(void)
{
	if (ui_current != NULL)
		ui_redraw(ui_current, UI_REDRAW_INPUT);
}

static void
ui_rl_noprep(int meta)
{
	(void)meta;
}

static void
ui_rl_nodeprep(void)
{
}

static void
ui_rl_feed(int byte)
{
	ui_rl_byte = byte;
	ui_rl_avail = 1;
	rl_callback_read_char();
}

static void
ui_rl_feed_str(const char *s)
{
	while (*s != '\0')
		ui_rl_feed((unsigned char)*s++);
}

/* The input now is secret: an answer to AUTH or a masked question. */
static int
ui_secret(struct ui *u)
{
	struct auth_need	need;

	if (u->prompt == UI_PROMPT_ASK)
		return (u->ask_secret);
	if (session_auth_need(u->s, &need) && need.n == 1)
		return (need.secret[0]);
	/* Typed ahead behind an AUTH, a line may be its answer: mask it. */
	return (session_connected(u->s) && session_next_kind(u->s) == SMTP_LINE_AUTH);
}

/* Lines that may go into the history file. */
static int
ui_history_ok(struct ui *u, const char *line)
{
	char		 verb[16];
	const char	*p;
	HIST_ENTRY	*last;

	if (*line == '\0' || ui_secret(u) || u->prompt == UI_PROMPT_ASK)
		return (0);
	/* Body lines and AUTH answers, typed now or ahead, stay out of the file. */
	if (u->prompt != UI_PROMPT_CMD_ONCE && session_connected(u->s) &&
	    session_next_kind(u->s) != SMTP_LINE_COMMAND)
		return (0);
	smtp_verb(line, verb, sizeof verb);
	if (strcmp(verb, "AUTH") == 0) {
		/* "AUTH PLAIN <credentials>": the initial response is a secret. */
		p = smtp_args(smtp_args(line));
		if (*p != '\0')
			return (0);
	}
	last = history_length > 0 ? history_get(history_base + history_length - 1) :
	    NULL;
	return (last == NULL || strcmp(last->line, line) != 0);
}

static void
ui_rl_line(char *line)
{
	struct ui	*u = ui_current;

	if (line != NULL && ui_history_ok(u, line)) {
		add_history(line);
		ui_rl_new++;
	}
	/* Readline's own buffer still holds what was typed: a secret goes. */
	if (line != NULL && ui_secret(u) && rl_line_buffer != NULL)
		xwipe(rl_line_buffer, strlen(line));
	ui_rl_hscroll = 0;
	ui_line(u, line);
	if (line != NULL)
		xfree_secret_str(line);
}

/* Completion: cmd_complete() says what fits; readline takes the candidates one by one. */
static char	**ui_cand;

static void
ui_cand_clear(void)
{
	if (ui_current != NULL)
		ui_current->commands->complete_free(ui_cand);
	ui_cand = NULL;
}

static char *
ui_rl_generate(const char *text, int state)
{
	static size_t	i;

	(void)text;
	if (state == 0)
		i = 0;
	if (ui_cand == NULL || ui_cand[i] == NULL)
		return (NULL);
	return (xstrdup(ui_cand[i++]));
}

static char **
ui_rl_complete(const char *text, int start, int end)
{
	struct session		*s = ui_current->s;
	const char		**caps;
	size_t			 n;

	(void)end;
	rl_attempted_completion_over = 1;
	rl_completion_append_character = ' ';
	ui_cand_clear();
	if ((session_state(s) == SMTP_DATA || session_state(s) == SMTP_BDAT) &&
	    ui_current->prompt != UI_PROMPT_CMD_ONCE)
		return (NULL);
	/* What the server advertised, for AUTH mechanisms and MAIL/RCPT parameters. */
	for (n = 0; session_cap_line(s, n) != NULL; n++)
		;
	caps = xreallocarray(NULL, n + 1, sizeof *caps);
	for (n = 0; (caps[n] = session_cap_line(s, n)) != NULL; n++)
		;
	ui_cand = ui_current->commands->complete(rl_line_buffer, text, start, caps);
	free(caps);
	if (ui_cand == NULL)
		return (NULL);
	return (rl_completion_matches(text, ui_rl_generate));
}

static void
ui_rl_show_matches(char **matches, int num, int max)
{
	char	*s = xstrdup("");
	char	*t;
	int	 i;

	(void)max;
	for (i = 1; i <= num && strlen(s) < 400; i++) {
		t = xasprintf("%s%s%s", s, i > 1 ? " " : "", matches[i]);
		free(s);
		s = t;
	}
	ui_message(ui_current, "%s", s);
	free(s);
}

const char *
ui_history_path(void)
{
	static char	 path[PATH_MAX];
	const char	*state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char		 dir[PATH_MAX - 16];

	if (path[0] != '\0')
		return (path);
	if (state != NULL && *state == '/')
		snprintf(dir, sizeof dir, "%s/smtpcon", state);
	else if (home != NULL && *home != '\0')
		snprintf(dir, sizeof dir, "%s/.local/state/smtpcon", home);
	else
		return (NULL);
	snprintf(path, sizeof path, "%s/history", dir);
	return (path);
}

/*
 * Typing a secret, readline gets a keymap of its own: inserting, moving and deleting,
 * and no kill ring (Ctrl-U, Ctrl-K and Ctrl-W delete without keeping the text, which
 * Ctrl-Y would bring back on an ordinary line), no history, and no undo record left.
 */
static Keymap	 ui_rl_normal_map, ui_rl_secret_map;

static void
ui_rl_erase(int from, int to)
{
	if (from < to) {
		rl_delete_text(from, to);
		rl_point = from;
	}
}

static int
ui_rl_erase_before(int count, int key)
{
	(void)count;
	(void)key;
	ui_rl_erase(0, rl_point);
	return (0);
}

static int
ui_rl_erase_after(int count, int key)
{
	(void)count;
	(void)key;
	ui_rl_erase(rl_point, rl_end);
	return (0);
}

static int
ui_rl_erase_word(int count, int key)
{
	int	from = rl_point;

	(void)count;
	(void)key;
	while (from > 0 && rl_line_buffer[from - 1] == ' ')
		from--;
	while (from > 0 && rl_line_buffer[from - 1] != ' ')
		from--;
	ui_rl_erase(from, rl_point);
	return (0);
}

static void
ui_rl_secret_keys(void)
{
	Keymap	m = rl_make_bare_keymap();
	int	c;

	for (c = ' '; c < 256; c++)
		rl_bind_key_in_map(c, rl_insert, m);
	rl_bind_key_in_map(127, rl_rubout, m);
	rl_bind_key_in_map(CTRL('H'), rl_rubout, m);
	rl_bind_key_in_map(CTRL('A'), rl_beg_of_line, m);
	rl_bind_key_in_map(CTRL('E'), rl_end_of_line, m);
	rl_bind_key_in_map(CTRL('B'), rl_backward_char, m);
	rl_bind_key_in_map(CTRL('F'), rl_forward_char, m);
	rl_bind_key_in_map(CTRL('D'), rl_delete, m);
	rl_bind_key_in_map(CTRL('U'), ui_rl_erase_before, m);
	rl_bind_key_in_map(CTRL('K'), ui_rl_erase_after, m);
	rl_bind_key_in_map(CTRL('W'), ui_rl_erase_word, m);
	rl_bind_key_in_map('\r', rl_newline, m);
	rl_bind_key_in_map('\n', rl_newline, m);
	rl_bind_keyseq_in_map("\\e[D", rl_backward_char, m);
	rl_bind_keyseq_in_map("\\e[C", rl_forward_char, m);
	rl_bind_keyseq_in_map("\\e[3~", rl_delete, m);
	ui_rl_secret_map = m;
}

/* Drop the undo record: deleted characters of a secret are kept there. */
static void
ui_rl_forget_undo(void)
{
	UNDO_LIST	*p;

	for (p = rl_undo_list; p != NULL; p = p->next) {
		if (p->text != NULL)
			xwipe(p->text, strlen(p->text));
	}
	rl_free_undo_list();
}

void
ui_input_init(struct ui *u)
{
	const char	*hist = ui_history_path();

	rl_readline_name = "smtpcon";
	rl_change_environment = 0;
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	/* No signal mask calls around every byte of a paste. */
	rl_persistent_signal_handlers = 1;
	rl_prep_term_function = ui_rl_noprep;
	rl_deprep_term_function = ui_rl_nodeprep;
	rl_getc_function = ui_rl_getc;
	rl_input_available_hook = ui_rl_input_available;
	rl_redisplay_function = ui_rl_redisplay;
	if ((ui_rl_null = fopen("/dev/null", "w")) != NULL)
		rl_outstream = ui_rl_null;
	rl_attempted_completion_function = ui_rl_complete;
	/* Words are separated by blanks only: readline's default also breaks at @, =
	 * and <, which are parts of /connect @profile, SIZE= and FROM:<. */
	rl_completer_word_break_characters = " \t\n";
	rl_completion_display_matches_hook = ui_rl_show_matches;
	rl_variable_bind("enable-bracketed-paste", "off");
	rl_variable_bind("bell-style", "none");
	rl_set_screen_size(LINES, COLS);

	using_history();
	stifle_history(UI_HISTORY_MAX);
	if (hist != NULL)
		read_history(hist);
	ui_rl_new = 0;

	u->prompt = UI_PROMPT_COMMAND;
	ui_rl_prompt = xstrdup("smtp> ");
	rl_callback_handler_install(ui_rl_prompt, ui_rl_line);
	ui_rl_normal_map = rl_get_keymap();
	ui_rl_secret_keys();
}

void
ui_input_end(struct ui *u)
{
	const char	*hist = ui_history_path();
	char		*dir, *err = NULL;
	int		 fd;

	(void)u;
	rl_callback_handler_remove();
	if (hist != NULL && ui_rl_new > 0) {
		dir = xstrndup(hist, strrchr(hist, '/') - hist);
		if (fs_mkdirs(dir, 0700, &err) != 0)
			free(err);
		free(dir);
		/* Create it private before readline writes to it. */
		if ((fd = open(hist, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		    0600)) != -1) {
			fchmod(fd, 0600);
			close(fd);
			append_history(ui_rl_new, hist);
			history_truncate_file(hist, UI_HISTORY_MAX);
		}
	}
	clear_history();
	ui_cand_clear();
	free(ui_rl_prompt);
	ui_rl_prompt = NULL;
	if (ui_rl_null != NULL)
		fclose(ui_rl_null);
	ui_rl_null = NULL;
}

void
ui_input_prompt(struct ui *u)
{
	enum smtp_state		 st = session_state(u->s);
	const char		*want;
	struct auth_need	 need;

	switch (u->prompt) {
	case UI_PROMPT_ASK:
		want = u->ask;
		break;
	case UI_PROMPT_CMD_ONCE:
		want = "cmd> ";
		break;
	default:
		u->prompt = st == SMTP_DATA || st == SMTP_BDAT ?
		    UI_PROMPT_DATA : UI_PROMPT_COMMAND;
		want = st == SMTP_DATA ? "data> " : st == SMTP_BDAT ? "bdat> " :
		    st == SMTP_AUTH ? "auth> " : "smtp> ";
		if (session_auth_need(u->s, &need) && need.n == 1)
			want = need.prompt[0];
		break;
	}
	if (ui_rl_prompt != NULL && strcmp(ui_rl_prompt, want) == 0)
		return;
	free(ui_rl_prompt);
	ui_rl_prompt = xstrdup(want);
	rl_set_prompt(ui_rl_prompt);
	ui_redraw(u, UI_REDRAW_INPUT);
}

void
ui_input_set(struct ui *u, const char *line)
{
	if (u->prompt != UI_PROMPT_COMMAND || rl_end != 0)
		return;		/* never over what the person is typing */
	rl_replace_line(line, 1);
	rl_point = rl_end;
	ui_redraw(u, UI_REDRAW_INPUT);
}

void
ui_input_question(struct ui *u)
{
	rl_replace_line("", 1);
	rl_point = rl_end = 0;
	ui_input_prompt(u);
}

void
ui_input_clear(struct ui *u)
{
	rl_callback_sigcleanup();
	xwipe(rl_line_buffer, rl_end);
	rl_replace_line("", 1);
	rl_point = rl_end = 0;
	if (u->prompt == UI_PROMPT_ASK) {
		ui_ask_answer(u, NULL);
		return;
	}
	if (u->prompt == UI_PROMPT_CMD_ONCE)
		u->prompt = UI_PROMPT_COMMAND;
	ui_input_prompt(u);
	ui_ask_auth_due(u);
	ui_redraw(u, UI_REDRAW_INPUT);
}

int
ui_input_empty(struct ui *u)
{
	(void)u;
	return (rl_end == 0);
}

/* Esc / (Alt-/): the next line is a console command, even in DATA. */
static int
ui_rl_cmd_once(int count, int key)
{
	struct ui	*u = ui_current;

	(void)count;
	(void)key;
	if (u->prompt == UI_PROMPT_ASK)
		return (0);
	u->prompt = UI_PROMPT_CMD_ONCE;
	ui_input_prompt(u);
	return (0);
}

void
ui_input_key(struct ui *u, int ch)
{
	static int	bound;
	int		secret;

	if (!bound) {
		rl_bind_keyseq("\\e/", ui_rl_cmd_once);
		bound = 1;
	}
	/* The line is a secret, or holds one: no kill ring, no undo record. */
	secret = ui_secret(u) || ui_mask_from(rl_line_buffer, rl_end) < (size_t)rl_end;
	rl_set_keymap(secret ? ui_rl_secret_map : ui_rl_normal_map);
	switch (ch) {
	case KEY_LEFT:
		ui_rl_feed_str("\033[D");
		break;
	case KEY_RIGHT:
		ui_rl_feed_str("\033[C");
		break;
	case KEY_UP:
		if (!ui_secret(u))
			ui_rl_feed_str("\033[A");
		break;
	case KEY_DOWN:
		if (!ui_secret(u))
			ui_rl_feed_str("\033[B");
		break;
	case KEY_HOME:
		ui_rl_feed(1);		/* Ctrl-A */
		break;
	case KEY_END:
		ui_rl_feed(5);		/* Ctrl-E */
		break;
	case KEY_DC:
		ui_rl_feed_str("\033[3~");
		break;
	case KEY_BACKSPACE:
		ui_rl_feed(127);
		break;
	case KEY_ENTER:
		ui_rl_feed('\r');
		break;
	default:
		if (ch >= 0 && ch < 256)
			ui_rl_feed(ch);
		break;
	}
	if (secret || ui_secret(u) ||
	    ui_mask_from(rl_line_buffer, rl_end) < (size_t)rl_end)
		ui_rl_forget_undo();
	ui_redraw(u, UI_REDRAW_INPUT);
}

/*
 * Where the secret part of a typed line starts: after "AUTH PLAIN ", "AUTH XOAUTH2 " or
 * "AUTH OAUTHBEARER " comes an initial response that holds the credentials, masked as it
 * is typed. end when nothing of the line is secret.
 */
static size_t
ui_mask_from(const char *line, size_t end)
{
	static const char *const mechs[] = { "PLAIN", "XOAUTH2", "OAUTHBEARER", NULL };
	const char		*p = line, *q;
	size_t			 i, n;

	while (*p == ' ')
		p++;
	if (strncasecmp(p, "AUTH", 4) != 0 || (p[4] != ' ' && p[4] != '\t'))
		return (end);
	for (p += 4; *p == ' ' || *p == '\t'; p++)
		;
	for (i = 0; mechs[i] != NULL; i++) {
		n = strlen(mechs[i]);
		if (strncasecmp(p, mechs[i], n) == 0 && (p[n] == ' ' || p[n] == '\t')) {
			for (q = p + n; *q == ' ' || *q == '\t'; q++)
				;
			return ((size_t)(q - line) < end ? (size_t)(q - line) : end);
		}
	}
	return (end);
}

/*
 * A secret shows as one marker once something is typed, whatever its length (sudo
 * shows nothing at all): one star a character would tell its length.
 */
#define UI_INPUT_HIDDEN	"[hidden]"

void
ui_input_draw(struct ui *u, int row, int cols)
{
	const char	*prompt = rl_display_prompt != NULL ? rl_display_prompt : "";
	int		 pw, before, avail, col, w, hidden, i;
	size_t		 off, n, end = rl_end, from, point = rl_point;
	mbstate_t	 st;
	wchar_t		 wc;

	move(row, 0);
	clrtoeol();
	pw = ui_text_cols(prompt, strlen(prompt));
	if (pw > cols / 2)
		pw = cols / 2;
	attrset(A_BOLD);
	mvaddnstr(row, 0, prompt, strlen(prompt));
	attrset(A_NORMAL);
	/* The line as typed up to from, then the marker for the rest. */
	from = ui_secret(u) ? 0 : ui_mask_from(rl_line_buffer, end);
	hidden = from < end ? (int)strlen(UI_INPUT_HIDDEN) : 0;
	before = ui_text_cols(rl_line_buffer, point < from ? point : from) +
	    (point > from ? hidden : 0);
	avail = cols - pw - 1;
	if (avail < 1)
		avail = 1;
	if (before < ui_rl_hscroll)
		ui_rl_hscroll = before;
	if (before - ui_rl_hscroll > avail)
		ui_rl_hscroll = before - avail;

	/* Draw from the first character at or past the scroll column. */
	memset(&st, 0, sizeof st);
	for (off = 0, col = 0; off < from; off += n) {
		ui_text_char(rl_line_buffer + off, from - off, &st, &n, &w, &wc);
		if (col >= ui_rl_hscroll && col - ui_rl_hscroll + w <= avail) {
			if (wc < 0x20 || wc == 0x7f)
				mvaddch(row, pw + col - ui_rl_hscroll, '?');
			else
				mvaddnstr(row, pw + col - ui_rl_hscroll,
				    rl_line_buffer + off, n);
		}
		col += w;
	}
	attrset(A_DIM);
	for (i = 0; i < hidden; i++, col++) {
		if (col >= ui_rl_hscroll && col - ui_rl_hscroll + 1 <= avail)
			mvaddch(row, pw + col - ui_rl_hscroll, UI_INPUT_HIDDEN[i]);
	}
	attrset(A_NORMAL);
	move(row, pw + before - ui_rl_hscroll);
	curs_set(1);
}
