/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The curses console: the transcript pane, the TLS pane, the status line and the readline
 * command line, around one poll loop. The engine (session, transcript, TLS information) is
 * the model; the console only presents it and turns keys into lines and commands.
 *
 * One file a job, the file name as the prefix:
 *	ui.c		the loop, the terminal, keys and typed lines
 *	ui-draw.c	layout, the TLS pane, the status line, what is redrawn
 *	ui-view.c	the transcript pane and scrolling it
 *	ui-text.c	text fitting and wrapping, for the panes and the input line
 *	ui-input.c	the input line (readline)
 *	ui-ask.c	questions, and the AUTH conversation
 *	ui-help.c	the help viewer
 */
#ifndef UI_H
#define UI_H

#include <curses.h>
#include <poll.h>
#include <time.h>

#include "opts.h"
#include "outcome.h"
#include "session.h"
#include "tlsview.h"
#include "transcript.h"

/* Which prompt the command line shows, following the dialogue. */
enum ui_prompt {
	UI_PROMPT_COMMAND,	/* "smtp>" */
	UI_PROMPT_DATA,		/* "data>" */
	UI_PROMPT_CMD_ONCE,	/* "cmd>": one console command inside DATA */
	UI_PROMPT_ASK		/* a question of the console's own (text in ask) */
};

/* What needs drawing before the loop waits again. */
#define UI_REDRAW_TRANSCRIPT	0x01
#define UI_REDRAW_TLS		0x02
#define UI_REDRAW_STATUS	0x04
#define UI_REDRAW_INPUT		0x08
#define UI_REDRAW_ALL		0x10	/* the layout: everything, from a blank screen */

/* The TLS pane (show_tls): F2 goes round them. */
#define UI_TLS_HIDDEN		0
#define UI_TLS_NORMAL		1
#define UI_TLS_WIDE		2

/* Where things are on screen. */
struct ui_layout {
	int	tr_y, tr_x, tr_h, tr_w;		/* transcript content */
	int	tls_y, tls_x, tls_h, tls_w;	/* TLS content (h 0: hidden) */
	int	status_y, input_y;
};

/*
 * The transcript pane's position. Following, it shows the end. Reading back, it is
 * anchored on the entry at its top (and the rows of it above the edge), so new lines,
 * a resize or /timestamps never need a walk over the whole session: every move costs
 * what the rows it passes cost.
 */
struct ui_view {
	int		 follow;
	unsigned long	 top;		/* reading back: the entry at the top */
	int		 top_skip;	/* its rows above the edge */
	unsigned long	 seen;		/* entries counted into unseen so far */
	long		 unseen;	/* rows that arrived below while reading back */
};

struct ui;

/*
 * The console commands, given by the program: the console runs what is typed after a
 * "/" and completes words through these, and knows no command itself (cmd.c does).
 */
struct ui_commands {
	/* Run a line that starts with '/'. */
	int	  (*run)(struct ui *, const char *line);
	/* Tab: the candidates for text, the word at start of line; caps are the EHLO
	 * lines the server advertised. A malloc'd NULL-terminated array, or NULL. */
	char	**(*complete)(const char *line, const char *text, int start,
		    const char *const *caps);
	void	  (*complete_free)(char **);
	/* At exit: --save and --save-chain; 0, or -1 when a file could not be written. */
	int	  (*save_at_exit)(struct ui *);
};

/* A job beside the session in the console's loop (ui-task.c). */
struct ui_task {
	void		 *arg;
	/* The descriptors to poll (owned by the job) and a timeout in ms, -1: none. */
	struct pollfd	*(*poll)(void *arg, size_t *n, int *timeout);
	void		  (*io)(void *arg);	/* after poll(): revents filled, or 0 */
	int		  (*done)(void *arg);
	/* At its end, or when given up (Ctrl-C, quitting): owns arg from here. */
	void		  (*finish)(struct ui *, void *arg, int cancelled);
};

struct ui {
	struct opts		*opts;
	const struct ui_commands *commands;
	struct session		*s;
	struct transcript	 tr;
	unsigned long		 clear_mark;	/* /clear: show entries from here on */
	struct journal		*journal;

	int			 quit;		/* leave the loop */
	int			 quit_after_close; /* leave once the connection ends */
	char			*quit_reply;	/* QUIT's answer when it was not 221 */
	int			 timestamps;	/* TRANSCRIPT_NOSTAMP, _STAMP or _STAMP_MS */
	int			 show_tls;	/* UI_TLS_* */
	int			 color;
	int			 key_alt_up, key_alt_down;
	int			 ctrl_c;	/* Ctrl-C presses on an empty line */
	char			*message;	/* a transient line for the status bar */

	int			 redraw;	/* UI_REDRAW_* */
	struct timespec		 key_time;	/* the first key not yet drawn, for --debug */
	int			 key_last;
	struct ui_layout	 lay;
	struct ui_view		 view;
	struct tlsview_line	*tls_lines;	/* the TLS pane's text, built once */
	size_t			 tls_sts_seen;	/* MTA-STS lines in it (+1: pending) */
	size_t			 tls_n;
	const struct tls_info	*tls_shown;	/* what it was built from */
	long			 tls_scroll;

	struct ui_task		*task;		/* a job running beside the session */
	char			*help_text;	/* the help view, when open */
	long			 help_scroll;

	enum ui_prompt		 prompt;
	char			*ask;		/* the question shown in UI_PROMPT_ASK */
	void			(*ask_done)(struct ui *, const char *answer);
	int			 ask_secret;	/* mask the answer and keep it out of history */
	int			 ask_key;	/* answered by one key: y, or n / Enter / Esc */

	int			 auth_asking;	/* questions of an AUTH step are on */
	char			*auth_first;	/* the first answer, until the second */
	char			*auth_line;	/* an AUTH command awaiting confirmation */
	int			 auth_consent;	/* /auth: the person accepted the risk */
	char			 auth_mech[24];	/* /auth: the mechanism */
	char			*auth_user;	/* /auth: the user name */
};

extern struct ui	*ui_current;

/* ui.c */
/* Run the console until the person leaves; *out says how it ended. Returns 0, or -1
 * when curses could not start (said why on standard error; nothing else done): line
 * mode is the way on. */
int	ui_main(struct opts *, const struct ui_commands *, struct outcome *out);
/* Ask for a redraw of the areas in what (UI_REDRAW_*); ui_dirty asks for all. */
void	ui_redraw(struct ui *, int what);
void	ui_dirty(struct ui *);
void	ui_message(struct ui *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A local event or error in the transcript (not sent anywhere). */
void	ui_local(struct ui *, enum tr_kind, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Connect to spec ("host[:port]"), replacing any connection. */
void	ui_connect(struct ui *, const char *spec, enum session_mode);
/* Connect by mail domain (session_open_mx): to its most preferred MX, or to spec
 * ("host[:port]") when given; port when spec gives none (NULL: 25). */
void	ui_connect_mx(struct ui *, const char *domain, const char *spec,
	    const char *port, enum session_mode);
/* /connect @NAME: the profile's server, mode (mode_set: the one given instead) and TLS
 * settings, then ui_connect(); an unknown profile is said in the transcript. */
void	ui_connect_profile(struct ui *, const char *name, enum session_mode mode,
	    int mode_set);
/* A line from the command line (NULL: Ctrl-D on an empty line). Owned by the caller. */
void	ui_line(struct ui *, char *line);
/* Leave: QUIT first when connected. */
void	ui_quit(struct ui *);

/* ui-draw.c */
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
void	ui_draw_colors(struct ui *);
/* Draw what u->redraw asks for, and place the cursor on the input line. */
void	ui_draw(struct ui *);
/* A title bar: title on the left, right (or NULL) on the right. */
void	ui_draw_title(struct ui *, int y, int x, int w, const char *title,
	    const char *right);
/* The TLS pane's text is stale: rebuild it on the next draw. */
void	ui_draw_tls_changed(struct ui *);
/* The same when the session's TLS information changed; when only its MTA-STS lines
 * did, the pane is redrawn where it was scrolled to. */
void	ui_draw_tls_refresh(struct ui *);
/* F2: the TLS pane hidden, normal, wide, hidden again. */
void	ui_draw_tls_cycle(struct ui *);

/* ui-view.c: the transcript pane. */
void	ui_view_draw(struct ui *);
/* Move by rows (negative: back); UI_VIEW_HOME and UI_VIEW_END go to either end. */
#define UI_VIEW_HOME	(-(1L << 40))
#define UI_VIEW_END	(1L << 40)
void	ui_view_scroll(struct ui *, long rows);
/* Entries were added: count the rows that arrived below while reading back. */
void	ui_view_added(struct ui *);
/* /clear: show entries from here on, following. */
void	ui_view_clear(struct ui *);

/* ui-text.c: text fitting and wrapping. */
struct ui_seg {
	const char	*s;
	attr_t		 attr;
	short		 pair;
};
/* The next character of s (len bytes): its bytes in *n and columns in *w (an invalid
 * byte is one byte and one column; a control character one column). */
void	ui_text_char(const char *s, size_t len, mbstate_t *, size_t *n, int *w,
	    wchar_t *wc);
/* The first bytes of s that fit in cols columns; *used gets the columns taken. */
size_t	ui_text_fit(const char *s, int cols, int *used);
/* Columns of the first n bytes of s. */
int	ui_text_cols(const char *s, size_t n);
int	ui_text_width(const char *s);
/*
 * Lay out segments over rows of width columns, further rows indented by indent. With
 * draw, rows from skip on are drawn at (y, x), at most maxrows of them. Return the rows the
 * segments need.
 */
int	ui_text_flow(struct ui *, const struct ui_seg *, size_t nseg, int indent,
	    int width, int draw, int y, int x, int skip, int maxrows);
/*
 * ui_text_flow for one segment of names (certificate fields, a fingerprint): rows break
 * after a comma first, then between the groups of a fingerprint ("9D:04:"), then at a
 * space; never inside a name, unless the name alone is wider than a row.
 */
int	ui_text_wrap(struct ui *, const struct ui_seg *, int indent, int width,
	    int draw, int y, int x, int skip, int maxrows);
/* The columns of the widest piece of s that ui_text_wrap keeps on one row. */
int	ui_text_widest(const char *s);

/* ui-term.c: asked before curses starts. */
/*
 * Whether curses can drive the terminal: TERM set, not "dumb", known to terminfo, with
 * cursor addressing. 0, or -1 with *why (malloc'd: "TERM=dumb", "TERM=x is unknown to
 * terminfo:") to go on with "can't drive the console".
 */
int	ui_terminal_check(char **why);

/* ui-task.c: a job beside the session (one at a time: -1 when one runs). */
int	ui_task_start(struct ui *, const struct ui_task *);
struct pollfd *ui_task_poll(struct ui *, size_t *n, int *timeout);
void	ui_task_io(struct ui *);
/* Give it up (its finish is told so); 0 when none runs. */
int	ui_task_cancel(struct ui *);
int	ui_task_running(const struct ui *);
/* ui-input.c: put line on the command line, ready to be sent with Enter. */
void	ui_input_set(struct ui *, const char *line);

/* ui-keys.c: reading the keyboard. */
/* The pipe curses reads its input from (NULL: none). */
FILE	*ui_keys_init(void);
void	 ui_keys_end(void);
/* The terminal is readable: give every key to key(); -1 when it is gone. */
int	 ui_keys_read(struct ui *, void (*key)(struct ui *, int));

/* ui-input.c: GNU readline in callback mode, drawn by us. */
void	ui_input_init(struct ui *);
void	ui_input_end(struct ui *);
void	ui_input_key(struct ui *, int key);	/* a key from wgetch */
void	ui_input_draw(struct ui *, int row, int cols);	/* draw the line, place the cursor */
void	ui_input_prompt(struct ui *);		/* the prompt follows the dialogue */
void	ui_input_clear(struct ui *);		/* Ctrl-C: drop the line */
int	ui_input_empty(struct ui *);
/* Start a question: empty the line and show the question as the prompt. */
void	ui_input_question(struct ui *);
const char *ui_history_path(void);

/* ui-ask.c: questions and the AUTH conversation. */
/* Ask a question on the command line; done gets the answer (NULL if cancelled). */
void	ui_ask(struct ui *, const char *question, int secret,
	    void (*done)(struct ui *, const char *));
/* A yes-or-no question answered by one key, no Enter: y gives "y"; n or Enter "n";
 * Esc or Ctrl-C NULL. */
void	ui_ask_key(struct ui *, const char *question,
	    void (*done)(struct ui *, const char *));
/* A key while such a question is asked. */
void	ui_ask_keypress(struct ui *, int ch);
/* The answer typed (NULL: cancelled): to the question's done. */
void	ui_ask_answer(struct ui *, const char *answer);
/* The dialogue moved: start the questions of a two-question AUTH step if due. */
void	ui_ask_auth_due(struct ui *);
/* /auth: the whole exchange from a user name and secret. */
void	ui_ask_auth_command(struct ui *, const char *mech, const char *user);
/* A typed AUTH over a risky connection: ask first (1), or 0 to send it now. */
int	ui_ask_auth_risky(struct ui *, const char *line);
/* Free what the conversation holds (secrets wiped). */
void	ui_ask_free(struct ui *);

/* ui-help.c: the help viewer. */
/* Show text (malloc'd, taken over) in the help view. */
void	ui_help_show(struct ui *, char *text);
void	ui_help_key(struct ui *, int ch);
void	ui_help_draw(struct ui *);


#endif
