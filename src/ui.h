/*
 * The curses console: the transcript pane, the TLS pane, the status line and the readline
 * command line, around one poll loop. The engine (session, transcript, TLS information) is
 * the model; the console only presents it and turns keys into lines and commands.
 */
#ifndef UI_H
#define UI_H

#include "session.h"
#include "smtpcon.h"
#include "transcript.h"

/* Which prompt the command line shows, following the dialogue. */
enum ui_prompt {
	UI_PROMPT_COMMAND,	/* "smtp>" */
	UI_PROMPT_DATA,		/* "data>" */
	UI_PROMPT_CMD_ONCE,	/* "cmd>": one console command inside DATA */
	UI_PROMPT_ASK		/* a question of the console's own (text in ask) */
};

struct ui {
	struct smtpcon_opts	*opts;
	struct session		*s;
	struct transcript	 tr;
	unsigned long		 clear_mark;	/* /clear: show entries from here on */

	int			 quit;		/* leave the loop */
	int			 quit_after_close; /* leave once the connection ends */
	char			*quit_reply;	/* QUIT's answer when it was not 221 */
	int			 timestamps;
	int			 show_tls;
	int			 color;
	long			 tr_scroll;	/* rows above the bottom; 0 follows */
	unsigned long		 tr_seen;	/* entries counted while reading back */
	long			 tr_unseen;	/* rows that arrived while reading back */
	long			 tls_scroll;
	int			 dirty;		/* a redraw is due */
	int			 ctrl_c;	/* Ctrl-C presses on an empty line */
	char			*message;	/* a transient line for the status bar */

	char			*help_text;	/* the help view, when open */
	long			 help_scroll;

	enum ui_prompt		 prompt;
	char			*ask;		/* the question shown in UI_PROMPT_ASK */
	void			(*ask_done)(struct ui *, const char *answer);
	int			 ask_secret;	/* mask the answer and keep it out of history */

	int			 auth_asking;	/* questions of an AUTH step are on */
	char			*auth_first;	/* the first answer, until the second */
	char			*auth_line;	/* an AUTH command awaiting confirmation */
	int			 auth_consent;	/* /auth: the person accepted the risk */
	char			 auth_mech[24];	/* /auth: the mechanism */
	char			*auth_user;	/* /auth: the user name */
};

extern struct ui	*ui_current;

void	ui_dirty(struct ui *);
void	ui_message(struct ui *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A local event or error in the transcript (not sent anywhere). */
void	ui_local(struct ui *, enum tr_kind, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	ui_open_help(struct ui *, const char *topic);
/* Show text (malloc'd, taken over) in the help view. */
void	ui_show_text(struct ui *, char *text);
/* Ask a question on the command line; done gets the answer (NULL if cancelled). */
void	ui_ask(struct ui *, const char *question, int secret,
	    void (*done)(struct ui *, const char *));
/* Connect to spec ("host[:port]"), replacing any connection. */
void	ui_connect(struct ui *, const char *spec, enum session_mode);

/* A line from the command line (NULL: Ctrl-D on an empty line). Owned by the caller. */
void	ui_line(struct ui *, char *line);
/* Leave: QUIT first when connected. */
void	ui_quit(struct ui *);

/* AUTH in the console: the questions of a two-question step; /auth. */
void	ui_auth_questions(struct ui *);
void	ui_auth_command(struct ui *, const char *mech, const char *user);

/* ui-input.c: GNU readline in callback mode, drawn by us. */
void	ui_input_init(struct ui *);
void	ui_input_end(struct ui *);
void	ui_input_key(struct ui *, int key);	/* a key from wgetch */
void	ui_input_draw(struct ui *, int row, int cols);	/* draw the line, place the cursor */
void	ui_input_prompt(struct ui *);		/* the prompt follows the dialogue */
void	ui_input_clear(struct ui *);		/* Ctrl-C: drop the line */
int	ui_input_empty(struct ui *);
const char *ui_history_path(void);

/* cmd.c: console commands. */
int	cmd_run(struct ui *, const char *line);	/* line starts with '/' */
const char *const *cmd_names(void);

#endif
