/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
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

#include "conffile.h"
#include "conn.h"
#include "journal.h"
#include "launch.h"
#include "ui.h"
#include "xmalloc.h"

struct ui		*ui_current;

/* For the signal handlers: how to give the terminal back, where to say a signal came. */
static struct termios	 ui_saved_tty;
static int		 ui_have_tty;
static int		 ui_sigpipe[2] = { -1, -1 };

void
ui_redraw(struct ui *u, int what)
{
	u->redraw |= what;
}

void
ui_dirty(struct ui *u)
{
	ui_redraw(u, UI_REDRAW_ALL);
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
	ui_redraw(u, UI_REDRAW_STATUS);
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
	ui_redraw(u, UI_REDRAW_TRANSCRIPT);
}

/* Session callbacks: the model changed. */
static void
ui_changed(void *arg)
{
	struct ui	*u = arg;

	/* After QUIT's 221 there is nothing to wait for. */
	if (u->quit_after_close && session_state(u->s) == SMTP_QUIT &&
	    !session_waiting(u->s))
		u->quit = 1;
	ui_draw_tls_refresh(u);
	ui_input_prompt(u);
	ui_ask_auth_due(u);
	ui_redraw(u, UI_REDRAW_TRANSCRIPT | UI_REDRAW_STATUS);
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
	if (!u->show_tls) {
		u->show_tls = 1;
		ui_dirty(u);
	}
	ui_draw_tls_changed(u);
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
	ui_view_scroll(u, UI_VIEW_END);
	session_open(u->s, host, port, mode);
	free(host);
	free(port);
	ui_changed(u);
}

void
ui_connect_mx(struct ui *u, const char *domain, const char *spec, const char *port,
    enum session_mode mode)
{
	char	*host = NULL, *hport = NULL, *err = NULL;

	if (spec != NULL && conn_parse_target(spec, &host, &hport, &err) != 0) {
		ui_local(u, TR_ERROR, "%s", err);
		free(err);
		return;
	}
	ui_view_scroll(u, UI_VIEW_END);
	session_open_mx(u->s, domain, host, hport != NULL ? hport : port, mode);
	free(host);
	free(hport);
	ui_changed(u);
}

void
ui_connect_profile(struct ui *u, const char *name, enum session_mode mode,
    int mode_set)
{
	const struct conffile_profile	*p;
	enum session_mode		 pmode;
	char				*target;

	if ((p = conffile_find(conffile_used(), name)) == NULL) {
		ui_local(u, TR_ERROR, "no profile \"%s\" (smtpcon --profile list "
		    "shows them)", name);
		return;
	}
	if ((target = opts_profile_target(u->opts, p, &pmode)) == NULL) {
		ui_local(u, TR_ERROR, "profile \"%s\" names no host", name);
		return;
	}
	session_set_opts(u->s, &u->opts->sess);
	if (mode_set)
		pmode = mode;
	ui_local(u, TR_LOCAL, "profile %s: %s, %s%s%s", p->name, target,
	    pmode == SESSION_TLS ? "implicit TLS" : pmode == SESSION_STARTTLS ?
	    "STARTTLS" : pmode == SESSION_STARTTLS_IF_OFFERED ?
	    "STARTTLS if offered" : "plain", p->note != NULL ? "; " : "",
	    p->note != NULL ? p->note : "");
	ui_connect(u, target, pmode);
	free(target);
}

static void
ui_quit_answer(struct ui *u, const char *answer)
{
	if (answer != NULL && (answer[0] == 'y' || answer[0] == 'Y'))
		u->quit = 1;
	u->ctrl_c = 0;
}

/* Keys for the panes; 0 when the key is the input line's. */
static int
ui_key_pane(struct ui *u, int ch)
{
	int	page = u->lay.tr_h > 1 ? u->lay.tr_h - 1 : 1;

	switch (ch) {
	case KEY_RESIZE:
		ui_dirty(u);
		return (1);
	case KEY_PPAGE:
		ui_view_scroll(u, -page);
		return (1);
	case KEY_NPAGE:
		ui_view_scroll(u, page);
		return (1);
	case KEY_HOME:
	case KEY_END:
		if (!ui_input_empty(u))
			return (0);
		ui_view_scroll(u, ch == KEY_HOME ? UI_VIEW_HOME : UI_VIEW_END);
		return (1);
	case KEY_F(1):
		u->commands->run(u, "/help");
		return (1);
	case KEY_F(2):
		ui_draw_tls_cycle(u);
		return (1);
	case KEY_SR:
	case KEY_SPREVIOUS:
		u->tls_scroll -= ch == KEY_SR ? 1 : u->lay.tls_h;
		ui_redraw(u, UI_REDRAW_TLS);
		return (1);
	case KEY_SF:
	case KEY_SNEXT:
		u->tls_scroll += ch == KEY_SF ? 1 : u->lay.tls_h;
		ui_redraw(u, UI_REDRAW_TLS);
		return (1);
	case 12:	/* Ctrl-L */
		clearok(curscr, TRUE);
		ui_dirty(u);
		return (1);
	}
	if (ch != 0 && (ch == u->key_alt_up || ch == u->key_alt_down)) {
		u->tls_scroll += ch == u->key_alt_up ? -1 : 1;
		ui_redraw(u, UI_REDRAW_TLS);
		return (1);
	}
	return (0);
}

/*
 * Ctrl-C on an empty line while the server keeps the person waiting (to connect, for
 * the greeting, the TLS handshake or a reply): stop waiting and drop the connection.
 * 0 when nothing is awaited.
 */
static int
ui_key_cancel(struct ui *u)
{
	const char	*what, *verb;
	char		*why;

	if (ui_task_cancel(u))
		return (1);
	if (!session_connected(u->s))
		return (0);
	switch (session_state(u->s)) {
	case SMTP_CONNECTING:
		what = "while connecting";
		break;
	case SMTP_HANDSHAKE:
		what = "during the TLS handshake";
		break;
	case SMTP_GREETING:
		what = "while waiting for the greeting";
		break;
	default:
		if (!session_waiting(u->s) ||
		    (verb = session_pending_verb(u->s)) == NULL)
			return (0);
		what = NULL;
		break;
	}
	if (what != NULL)
		why = xasprintf("connection cancelled (Ctrl-C) %s", what);
	else
		why = xasprintf("connection cancelled (Ctrl-C) while waiting for the "
		    "reply to %s", verb);
	ui_view_scroll(u, UI_VIEW_END);
	session_cancel(u->s, why);
	free(why);
	return (1);
}

static void
ui_key(struct ui *u, int ch)
{
	if (u->help_text != NULL && ch != KEY_RESIZE) {
		ui_help_key(u, ch);
		return;
	}
	if (ch != 3)
		u->ctrl_c = 0;
	if (u->message != NULL && ch != KEY_RESIZE)
		ui_message(u, NULL);
	if (ui_key_pane(u, ch))
		return;
	if (ch == 3) {		/* Ctrl-C */
		if (u->prompt == UI_PROMPT_ASK || !ui_input_empty(u)) {
			ui_input_clear(u);
			u->ctrl_c = 0;
			return;
		}
		/* A cancel counts as the first press: the next one asks to quit. */
		if (ui_key_cancel(u) || ++u->ctrl_c == 1) {
			u->ctrl_c = 1;
			ui_message(u, "Ctrl-C again to quit");
		} else
			ui_ask_key(u, "Quit smtpcon? [y/N] ", ui_quit_answer);
		return;
	}
	if (u->prompt == UI_PROMPT_ASK && u->ask_key) {
		ui_ask_keypress(u, ch);
		return;
	}
	ui_input_key(u, ch);
}

/* A key, timed from its arrival to the screen for --debug. */
static void
ui_key_timed(struct ui *u, int ch)
{
	if (u->key_time.tv_sec == 0)
		clock_gettime(CLOCK_MONOTONIC, &u->key_time);
	u->key_last = ch;
	ui_key(u, ch);
}

static void
ui_signal(int sig)
{
	int	saved = errno;
	char	c = (char)sig;

	/* The pipe is non-blocking: a full one already holds a signal to read. */
	if (ui_sigpipe[1] != -1)
		while (write(ui_sigpipe[1], &c, 1) == -1 && errno == EINTR)
			;
	errno = saved;
}

/* A crash must not leave the terminal unusable: restore it, then die as before. */
static void
ui_crash(int sig)
{
	static const char reset[] = "\033[?1049l\033[?25h\033[0m\r\n";
	size_t		  off = 0;
	ssize_t		  n;

	journal_flush_signal();
	if (ui_have_tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &ui_saved_tty);
	/* All of it, or give up on an error other than EINTR: the process dies next. */
	while (off < sizeof reset - 1) {
		if ((n = write(STDOUT_FILENO, reset + off, sizeof reset - 1 - off)) > 0)
			off += n;
		else if (n == 0 || errno != EINTR)
			break;
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
	if (host == NULL && u->opts->mx != NULL)
		host = xstrdup(u->opts->mx);
	u->journal = journal_open(host, port, &err);
	free(host);
	free(port);
	if (u->journal == NULL) {
		ui_local(u, TR_WARN, "%s", err != NULL ? err : "no journal");
		free(err);
		return;
	}
	transcript_set_sink(&u->tr, journal_entry, u->journal);
	ui_local(u, TR_LOCAL, "journal: %s", journal_path(u->journal));
}

/* The lines of this pass to the journal, before the loop waits. */
static void
ui_journal_flush(struct ui *u)
{
	char	*err = NULL;

	if (journal_flush(u->journal, &err) != 0) {
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
	ui_local(u, TR_LOCAL, "connect with /connect host[:port]  (port 465 is "
	    "implicit TLS; add --starttls for 587)");
	ui_local(u, TR_LOCAL, "F1 or /help for help, /quit to leave");
}

/* Signals: SIGTERM, SIGHUP and SIGINT end the loop through a pipe; a crash gives the
 * terminal back first. */
static int
ui_signals(void)
{
	struct sigaction	sa;

	if (pipe2(ui_sigpipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		perror("smtpcon: pipe");
		return (-1);
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
	return (0);
}

/* The signals as they were before ui_signals(), for line mode to take over. */
static void
ui_signals_undo(void)
{
	static const int	 sigs[] = { SIGTERM, SIGHUP, SIGINT, SIGSEGV,
				     SIGBUS, SIGFPE, SIGABRT };
	size_t			 i;

	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], SIG_DFL);
	close(ui_sigpipe[0]);
	close(ui_sigpipe[1]);
	ui_sigpipe[0] = ui_sigpipe[1] = -1;
}

/* The terminal in curses mode: 0, or -1 when curses cannot drive it (said why). */
static int
ui_terminal(struct ui *u)
{
	FILE	*in;

	if (getenv("ESCDELAY") == NULL)
		set_escdelay(50);
	if ((in = ui_keys_init()) == NULL) {
		fprintf(stderr, "smtpcon: no pipe for the keys (%s); using line "
		    "mode (--batch)\n", strerror(errno));
		return (-1);
	}
	if (newterm(NULL, stdout, in) == NULL) {
		fprintf(stderr, "smtpcon: curses can't start on TERM=%s; using "
		    "line mode (--batch)\n", getenv("TERM") ? getenv("TERM") : "");
		ui_keys_end();
		return (-1);
	}
	atexit(ui_restore);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	ui_draw_colors(u);
	u->key_alt_up = key_defined("\033[1;3A");
	u->key_alt_down = key_defined("\033[1;3B");
	if (u->key_alt_up <= 0)
		u->key_alt_up = 0;
	if (u->key_alt_down <= 0)
		u->key_alt_down = 0;
	return (0);
}

/* The sooner of two poll timeouts (-1: none). */
static int
ui_loop_sooner(int a, int b)
{
	return (a == -1 ? b : b == -1 ? a : a < b ? a : b);
}

/* The poll loop; returns the signal that ended it, or 0. */
static int
ui_loop(struct ui *u)
{
	struct pollfd	*pfd = NULL, *tfd;
	size_t		 cap = 0, tn, i;
	int		 nfd, sfd, sn, ch, sig = 0, tmo;
	char		 c;

	while (!u->quit) {
		ui_journal_flush(u);
		if (u->redraw)
			ui_draw(u);
		/* The keyboard, the signals, the session, and a job's descriptors. */
		tfd = ui_task_poll(u, &tn, &tmo);
		if (cap < 2 + SESSION_NPOLL + tn) {
			cap = 2 + SESSION_NPOLL + tn;
			pfd = xreallocarray(pfd, cap, sizeof *pfd);
		}
		memset(pfd, 0, cap * sizeof *pfd);
		nfd = 0;
		pfd[nfd].fd = STDIN_FILENO;
		pfd[nfd++].events = POLLIN;
		pfd[nfd].fd = ui_sigpipe[0];
		pfd[nfd++].events = POLLIN;
		sfd = nfd;
		nfd += sn = session_pollfds(u->s, &pfd[nfd]);
		if (tn > 0)
			memcpy(pfd + nfd, tfd, tn * sizeof *pfd);
		if (poll(pfd, nfd + tn, ui_loop_sooner(session_timeout(u->s), tmo)) == -1 &&
		    errno != EINTR)
			break;
		for (i = 0; i < tn; i++)
			tfd[i].revents = pfd[nfd + i].revents;
		/* The terminal went away: nothing more to read, ever (and no spin). */
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL) &&
		    !(pfd[0].revents & POLLIN))
			u->quit = 1;
		if (pfd[1].revents & POLLIN) {
			while (read(ui_sigpipe[0], &c, 1) == 1) {
				if (c == SIGTERM || c == SIGHUP || c == SIGINT)
					sig = c;
			}
			/* Leave now: no QUIT, no question, no key read after it. */
			if (sig != 0)
				break;
		}
		session_io(u->s, &pfd[sfd], sn);
		ui_task_io(u);
		if ((pfd[0].revents & POLLIN) && ui_keys_read(u, ui_key_timed) != 0)
			u->quit = 1;
		/* A resize, and what curses still holds. */
		while (!u->quit && (ch = getch()) != ERR)
			ui_key_timed(u, ch);
	}
	ui_task_cancel(u);
	free(pfd);
	return (sig);
}

int
ui_main(struct opts *opts, const struct ui_commands *commands, struct outcome *out)
{
	struct ui	 u;
	int		 sig, saved;
	char		*why;

	memset(&u, 0, sizeof u);
	u.opts = opts;
	u.commands = commands;
	u.timestamps = opts->timestamps;
	u.show_tls = 1;
	u.view.follow = 1;
	transcript_init(&u.tr);
	ui_current = &u;

	setlocale(LC_ALL, "");
	if (tcgetattr(STDIN_FILENO, &ui_saved_tty) == 0)
		ui_have_tty = 1;
	if (ui_signals() != 0) {
		outcome_unusable(out);
		return (0);
	}
	if (ui_terminal(&u) != 0) {
		ui_signals_undo();
		return (-1);
	}

	ui_journal_open(&u);
	u.s = session_new(&opts->sess, &u.tr, &ui_cb, &u);
	ui_input_init(&u);
	if (opts->practice != NULL)
		launch_welcome(opts->practice, &u.tr);
	if (opts->mx != NULL)
		ui_connect_mx(&u, opts->mx, opts->target, opts->port, opts->mode);
	else if (opts->target != NULL)
		ui_connect(&u, opts->target, opts->mode);
	else
		ui_welcome(&u);
	ui_dirty(&u);

	sig = ui_loop(&u);
	ui_input_end(&u);
	ui_restore();
	ui_keys_end();
	/* The last screen is gone with the alternate screen: say what QUIT got. */
	if (u.quit_reply != NULL)
		fprintf(stderr, "smtpcon: QUIT was answered, but not with 221; the "
		    "connection was closed anyway:\nS: %s\n", u.quit_reply);
	free(u.quit_reply);
	saved = u.commands->save_at_exit(&u);
	if (sig != 0) {
		outcome_signal(out, sig);
		fprintf(stderr, "smtpcon: ended by %s\n", ui_signame(sig));
		why = xasprintf("by %s", ui_signame(sig));
	} else {
		outcome_of(out, u.s, 0);
		if (saved != 0)
			outcome_local_failed(out);
		why = xasprintf("with exit status %d", outcome_status(out));
	}
	session_free(u.s);
	journal_close(u.journal, why);
	free(why);
	transcript_clear(&u.tr);
	tlsview_free(u.tls_lines, u.tls_n);
	free(u.message);
	free(u.help_text);
	ui_ask_free(&u);
	return (0);
}

void
ui_quit(struct ui *u)
{
	ui_view_scroll(u, UI_VIEW_END);
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

/* Console commands that only change how the session is shown keep the place read
 * back to (/timestamps, /tls, /help); the others show their answer at the end. */
static int
ui_line_keeps_view(const char *line)
{
	static const char *const keep[] = { "timestamps", "tls", "help", NULL };
	size_t			 i, n = strcspn(line + 1, " \t");

	for (i = 0; keep[i] != NULL; i++) {
		if (strlen(keep[i]) == n && strncmp(line + 1, keep[i], n) == 0)
			return (1);
	}
	return (0);
}

void
ui_line(struct ui *u, char *line)
{
	char		*err = NULL, *cmd;
	enum smtp_line	 kind;

	/* What is typed shows at the end. */
	if (u->prompt == UI_PROMPT_ASK) {
		ui_view_scroll(u, UI_VIEW_END);
		ui_ask_answer(u, line);
		return;
	}
	if (u->prompt == UI_PROMPT_CMD_ONCE) {
		u->prompt = UI_PROMPT_COMMAND;
		ui_input_prompt(u);
		ui_ask_auth_due(u);
		if (line == NULL || *line == '\0')
			return;
		cmd = line[0] == '/' ? xstrdup(line) : xasprintf("/%s", line);
		if (!ui_line_keeps_view(cmd))
			ui_view_scroll(u, UI_VIEW_END);
		u->commands->run(u, cmd);
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
			if (!ui_line_keeps_view(line))
				ui_view_scroll(u, UI_VIEW_END);
			u->commands->run(u, line);
			return;
		}
		if (line[0] == '\0')
			return;
	}
	ui_view_scroll(u, UI_VIEW_END);
	if (!session_connected(u->s)) {
		ui_local(u, TR_ERROR, "not connected: /connect host[:port] first");
		return;
	}
	if (kind == SMTP_LINE_COMMAND && ui_ask_auth_risky(u, line))
		return;
	if (session_submit(u->s, line, strlen(line), 0, &err) != 0) {
		ui_local(u, TR_ERROR, "%s", err);
		free(err);
	}
}
