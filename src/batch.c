/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Line mode: the engine with no curses. Every line of standard input goes to the engine,
 * which holds it until the dialogue can take it (see session_submit); the transcript goes
 * to standard output once per pass of the loop and is not kept once printed: a copy, as
 * /save writes it, goes to an unlinked temporary file for /save and --save.
 *
 * A line starting with '/' that would be a command is one of smtpcon's (/save, /chain,
 * /quit), never sent: it waits until the lines before it are answered. Body lines, BDAT
 * chunk lines and AUTH answers go as typed. '#' lines before the first other line are
 * comments (the header of a script the console's /save --script writes).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "conn.h"
#include "journal.h"
#include "tlsview.h"
#include "xmalloc.h"

#define BATCH_LINE_MAX	(1024 * 1024 + 2)	/* a body line, its CR and LF */
#define BATCH_HELD_MAX	(1024 * 1024)		/* read no further while this is held */
#define BATCH_READ	65536
#define BATCH_KIND_HELD	256	/* a '/' line waits for fewer held lines than this */

static char	batch_outbuf[256 * 1024];
static int	batch_sigpipe[2] = { -1, -1 };

struct batch {
	struct opts		*opts;
	struct session		*s;
	struct transcript	 tr;
	unsigned long		 shown;
	int			 reply_failed;
	char			*in;		/* unread input is in[off..len) */
	size_t			 off, len;
	int			 eof;
	int			 ended;		/* session_input_end() called */
	int			 skipping;	/* the rest of an overlong line */
	char			*first_error;	/* for standard error at the end */
	struct journal		*journal;	/* or NULL */
	int			 signal;	/* ended by this signal, or 0 */
	FILE			*spool;		/* the transcript as /save writes it */
	int			 spool_errno;	/* why there is none */
	int			 started;	/* past the '#' header */
	int			 local_failed;	/* a /save, /chain or other failed */
};

/* The lines of this pass to the journal; a failure is said once, on standard error. */
static void
batch_journal_flush(struct batch *b)
{
	char	*err = NULL;

	if (journal_flush(b->journal, &err) != 0) {
		fprintf(stderr, "smtpcon: warning: %s\n", err);
		free(err);
	}
}

/* Print what the transcript gained, then forget it: line mode never reads it back. */
static void
batch_print(struct batch *b)
{
	struct tr_entry	*e;

	for (; b->shown < transcript_end(&b->tr); b->shown++) {
		if ((e = transcript_get(&b->tr, b->shown)) == NULL)
			continue;
		if (e->kind == TR_ERROR && b->first_error == NULL)
			b->first_error = xstrdup(e->text);
		transcript_print(e, b->opts->timestamps, stdout);
		if (b->spool != NULL)
			transcript_print(e, TRANSCRIPT_STAMP_MS, b->spool);
	}
	transcript_forget(&b->tr, b->shown);
	fflush(stdout);
	batch_journal_flush(b);
}

static void
batch_reply(void *arg, const struct reply *r, const char *verb)
{
	struct batch	*b = arg;

	/* A refusal of QUIT changes nothing; a refused greeting or command is a failure. */
	if (r->code >= 400 && strcmp(verb, "QUIT") != 0)
		b->reply_failed = 1;
	else if (r->code == 0)
		b->reply_failed = 1;
}

static void
batch_tls_up(void *arg, const struct tls_info *in)
{
	struct batch		*b = arg;
	struct tlsview_line	*v;
	size_t			 n, i;

	/* Through the transcript, so the journal has the certificates too. */
	v = tlsview_lines(in, &n);
	for (i = 0; i < n; i++)
		transcript_addf(&b->tr, TR_LOCAL, " %s", v[i].text);
	tlsview_free(v, n);
	batch_print(b);
}

static const struct session_cb batch_cb = {
	NULL, batch_reply, batch_tls_up, NULL
};

static void
batch_submit(struct batch *b, const char *p, size_t len, int flags)
{
	char	*err = NULL;

	/* A CRLF line end is a line end, not a byte of the line. */
	if (len > 0 && p[len - 1] == '\r' && !(flags & HELD_TOOLONG))
		len--;
	if (session_submit(b->s, p, len, flags, &err) != 0) {
		transcript_add(&b->tr, TR_ERROR, err, NULL);
		free(err);
	}
}

/* Copy what the spool holds to path: a fresh file beside it, renamed. 0, or -1 with
 * *errstr malloc'd. */
static int
batch_save(struct batch *b, const char *path, char **errstr)
{
	char	 buf[65536], *tmp;
	size_t	 n;
	FILE	*f = NULL;
	int	 fd, saved = 0;

	if (b->spool == NULL) {
		*errstr = xasprintf("cannot write %s: no copy of the transcript was "
		    "kept: %s", path, strerror(b->spool_errno));
		return (-1);
	}
	tmp = xasprintf("%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		saved = errno;
		if (fd != -1) {
			close(fd);
			unlink(tmp);
		}
		goto fail;
	}
	if (fflush(b->spool) != 0)
		saved = errno;
	rewind(b->spool);
	while (saved == 0 && (n = fread(buf, 1, sizeof buf, b->spool)) > 0)
		if (fwrite(buf, 1, n, f) != n)
			saved = errno;
	if (saved == 0 && ferror(b->spool))
		saved = EIO;
	/* The spool is appended to from where it ends, whatever was read. */
	fseek(b->spool, 0, SEEK_END);
	if (saved == 0 && (fflush(f) != 0 || fsync(fileno(f)) != 0))
		saved = errno;
	if (fclose(f) != 0 && saved == 0)
		saved = errno;
	if (saved == 0 && rename(tmp, path) == -1)
		saved = errno;
	if (saved != 0)
		unlink(tmp);
	else {
		free(tmp);
		return (0);
	}
fail:
	*errstr = xasprintf("cannot write %s: %s", path, strerror(saved));
	free(tmp);
	return (-1);
}

/* A command of smtpcon's own, now that the lines before it are answered. */
static void
batch_command(struct batch *b, const char *p, size_t len)
{
	char	*line, *argv[4], *save = NULL, *w, *err = NULL;
	int	 argc = 0, ok = 0;

	if (len > 0 && p[len - 1] == '\r')
		len--;
	line = xstrndup(p + 1, len - 1);
	for (w = strtok_r(line, " \t", &save); w != NULL && argc < 3;
	    w = strtok_r(NULL, " \t", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	if (argc == 2 && strcmp(argv[0], "save") == 0) {
		batch_print(b);
		if ((ok = batch_save(b, argv[1], &err) == 0))
			transcript_addf(&b->tr, TR_LOCAL, "transcript saved to %s "
			    "(secrets redacted)", argv[1]);
	} else if (argc == 2 && strcmp(argv[0], "chain") == 0) {
		if ((ok = tlsview_save_chain(session_tls(b->s), argv[1], &err) == 0))
			transcript_addf(&b->tr, TR_LOCAL, "certificate chain (%zu "
			    "certificates) saved to %s", session_tls(b->s)->ncerts,
			    argv[1]);
	} else if (argc == 1 && strcmp(argv[0], "quit") == 0) {
		/* As the end of input: QUIT once the lines before are answered. */
		ok = 1;
		b->eof = 1;
		xwipe(b->in + b->off, b->len - b->off);
		b->len = b->off;
	} else
		err = xasprintf("line mode takes /save FILE, /chain FILE and /quit: "
		    "\"/%s\" not run, and not sent to the server", argc > 0 ?
		    argv[0] : "");
	if (!ok) {
		/* "/chain: no certificate chain: ..." */
		transcript_addf(&b->tr, TR_ERROR, "%s%s", argc < 2 ? "" :
		    strcmp(argv[0], "save") == 0 ? "/save: " : strcmp(argv[0],
		    "chain") == 0 ? "/chain: " : "", err);
		b->local_failed = 1;
	}
	free(err);
	free(line);
}

/*
 * A line of input: the header's comments are skipped, a command of smtpcon's own
 * waits until the lines before it are answered, the rest goes to the engine. 0 when
 * the line is taken, -1 to keep it for a later pass.
 */
static int
batch_line(struct batch *b, const char *p, size_t len)
{
	if (!b->started && len > 0 && p[0] == '#')
		return (0);
	b->started = 1;
	if (len > 0 && p[0] == '/') {
		/* What it is depends on the lines held before it: a few are looked at. */
		if (session_held(b->s) >= BATCH_KIND_HELD)
			return (-1);
		if (session_next_kind(b->s) == SMTP_LINE_COMMAND) {
			if (!session_idle(b->s))
				return (-1);
			batch_command(b, p, len);
			return (0);
		}
	}
	batch_submit(b, p, len, 0);
	return (0);
}

/* Give the engine the complete lines read, while it holds little. */
static void
batch_feed(struct batch *b)
{
	char	*nl;
	size_t	 len;

	while (b->off < b->len && session_connected(b->s) && !session_stopped(b->s) &&
	    session_held_bytes(b->s) < BATCH_HELD_MAX) {
		nl = memchr(b->in + b->off, '\n', b->len - b->off);
		if (nl == NULL && !b->eof && !b->skipping &&
		    b->len - b->off < BATCH_LINE_MAX)
			break;
		len = nl != NULL ? (size_t)(nl - (b->in + b->off)) : b->len - b->off;
		if (b->skipping) {
			/* The end of an overlong line: already refused. */
			if (nl != NULL)
				b->skipping = 0;
		} else if (nl == NULL && !b->eof) {
			/* No line end within the limit: refused whole, never cut. */
			batch_submit(b, b->in + b->off, 16, HELD_TOOLONG);
			b->skipping = 1;
		} else if (batch_line(b, b->in + b->off, len) != 0)
			break;
		if (b->off == b->len)
			break;	/* /quit: the rest of the input is gone */
		/* The line may be an AUTH answer: wiped as soon as the engine has it. */
		xwipe(b->in + b->off, len + (nl != NULL));
		b->off += len + (nl != NULL);
	}
	if (b->off == b->len)
		b->off = b->len = 0;
	else if (b->off > 0 && b->len + BATCH_READ > BATCH_LINE_MAX) {
		/* Room for the rest of a partial line: only that much moves, and
		 * its old copy is wiped. */
		memmove(b->in, b->in + b->off, b->len - b->off);
		b->len -= b->off;
		xwipe(b->in + b->len, b->off);
		b->off = 0;
	}
}

static void
batch_read_input(struct batch *b)
{
	ssize_t	n;

	if (b->len == BATCH_LINE_MAX)
		return;
	n = read(STDIN_FILENO, b->in + b->len, BATCH_LINE_MAX - b->len);
	if (n == 0 || (n == -1 && errno != EINTR && errno != EAGAIN)) {
		b->eof = 1;
		return;
	}
	if (n > 0)
		b->len += n;
}

/* Only the signal's number goes through the pipe; the loop does the rest. */
static void
batch_signal(int sig)
{
	int	saved = errno;
	char	c = (char)sig;

	if (batch_sigpipe[1] != -1)
		/* Nothing to do about a failure inside a signal handler. */
		if (write(batch_sigpipe[1], &c, 1) == -1) {
			/* nothing */
		}
	errno = saved;
}

static const char *
batch_signame(int sig)
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

/* SIGTERM, SIGHUP and SIGINT end the session at the next pass, journal closed. */
static int
batch_signals(void)
{
	struct sigaction	sa;

	if (pipe2(batch_sigpipe, O_CLOEXEC | O_NONBLOCK) == -1)
		return (-1);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = batch_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	return (0);
}

/* Read standard input now: room in the buffer, and the engine is not full. */
static int
batch_want_input(struct batch *b)
{
	return (!b->eof && !session_stopped(b->s) && b->len < BATCH_LINE_MAX &&
	    session_held_bytes(b->s) < BATCH_HELD_MAX);
}

/* --save and --save-chain, once the session is over; a failure is said on standard
 * error and in the exit status. */
static void
batch_finish(struct batch *b, struct outcome *out)
{
	char	*err = NULL;

	if (b->opts->save != NULL && batch_save(b, b->opts->save, &err) != 0) {
		fprintf(stderr, "smtpcon: --save: %s\n", err);
		free(err);
		err = NULL;
		b->local_failed = 1;
	}
	if (b->opts->save_chain != NULL &&
	    tlsview_save_chain(session_tls(b->s), b->opts->save_chain, &err) != 0) {
		fprintf(stderr, "smtpcon: --save-chain: %s\n", err);
		free(err);
		b->local_failed = 1;
	}
	if (b->local_failed)
		outcome_local_failed(out);
}

/* A connection by domain: what its MTA-STS lookup finds is part of the story, even
 * after the connection ended. It is bounded by its own timeouts; a signal ends it. */
static void
batch_wait_sts(struct batch *b)
{
	struct pollfd	pfd[1 + SESSION_NPOLL];
	int		sn;
	char		c;

	while (session_sts_pending(b->s)) {
		batch_print(b);
		pfd[0].fd = batch_sigpipe[0];
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		sn = session_pollfds(b->s, &pfd[1]);
		if (poll(pfd, 1 + sn, -1) == -1 && errno != EINTR)
			break;
		if (pfd[0].revents & POLLIN && read(batch_sigpipe[0], &c, 1) == 1) {
			b->signal = c;
			break;
		}
		session_io(b->s, &pfd[1], sn);
	}
}

void
batch_main(struct opts *opts, struct outcome *out)
{
	struct batch	 b;
	struct pollfd	 pfd[2 + SESSION_NPOLL];
	char		*host = NULL, *port = NULL, *err = NULL, *why, c;
	int		 nfd, timeout, status, sfd, sn, ifd, gfd;

	outcome_unusable(out);

	memset(&b, 0, sizeof b);
	b.opts = opts;
	transcript_init(&b.tr);
	signal(SIGPIPE, SIG_IGN);

	if (opts->target == NULL && opts->mx == NULL) {
		fprintf(stderr, "smtpcon: line mode needs a server: smtpcon --batch "
		    "host[:port] (or --mx domain)\n");
		return;
	}
	if (opts->target == NULL)
		port = opts->port != NULL ? xstrdup(opts->port) : NULL;
	else if (conn_parse_target(opts->target, &host, &port, &err) != 0) {
		fprintf(stderr, "smtpcon: %s\n", err);
		free(err);
		return;
	}
	if (batch_signals() == -1) {
		fprintf(stderr, "smtpcon: pipe: %s\n", strerror(errno));
		free(host);
		free(port);
		return;
	}
	/* The journal: line mode says only when there is none (standard output is the
	 * transcript, and stays as it was). */
	if ((b.journal = journal_open(host != NULL ? host : opts->mx, port,
	    &err)) != NULL)
		transcript_set_sink(&b.tr, journal_entry, b.journal);
	else if (err != NULL) {
		fprintf(stderr, "smtpcon: warning: %s\n", err);
		free(err);
		err = NULL;
	}
	b.in = xmalloc(BATCH_LINE_MAX);
	/* Printed once per pass and flushed then: large writes for a large body
	 * (glibc ignores the size unless it is given the buffer). */
	setvbuf(stdout, batch_outbuf, _IOFBF, sizeof batch_outbuf);
	if ((b.spool = tmpfile()) == NULL)
		b.spool_errno = errno;
	if (opts->practice != NULL)
		launch_welcome(opts->practice, &b.tr);
	opts->sess.stop_on_refusal = 1;
	b.s = session_new(&opts->sess, &b.tr, &batch_cb, &b);
	if (opts->user != NULL && opts->secret != NULL)
		session_set_credentials(b.s, opts->user, opts->secret, opts->authzid);
	if (opts->mx != NULL)
		session_open_mx(b.s, opts->mx, host, port, opts->mode);
	else
		session_open(b.s, host, port, opts->mode);
	free(host);
	free(port);

	while (session_connected(b.s)) {
		batch_feed(&b);
		if (b.eof && b.off == b.len && !b.ended && session_connected(b.s)) {
			b.ended = 1;
			session_input_end(b.s);
		}
		batch_print(&b);
		if (!session_connected(b.s))
			break;
		nfd = 0;
		sfd = ifd = -1;
		pfd[nfd].fd = batch_sigpipe[0];
		pfd[nfd].events = POLLIN;
		gfd = nfd++;
		if (batch_want_input(&b)) {
			pfd[nfd].fd = STDIN_FILENO;
			pfd[nfd].events = POLLIN;
			ifd = nfd++;
		}
		sfd = nfd;
		nfd += sn = session_pollfds(b.s, &pfd[nfd]);
		timeout = session_timeout(b.s);
		if (poll(pfd, nfd, timeout) == -1) {
			if (errno == EINTR)
				continue;
			transcript_addf(&b.tr, TR_ERROR, "poll: %s", strerror(errno));
			break;
		}
		if (pfd[gfd].revents & POLLIN && read(batch_sigpipe[0], &c, 1) == 1) {
			b.signal = c;
			break;
		}
		if (ifd != -1 && pfd[ifd].revents)
			batch_read_input(&b);
		session_io(b.s, &pfd[sfd], sn);
	}
	if (b.signal == 0)
		batch_wait_sts(&b);
	batch_print(&b);
	if (b.signal != 0) {
		/* Not a failure of the dialogue: say what ended it, and by the status. */
		outcome_signal(out, b.signal);
		batch_finish(&b, out);
		fprintf(stderr, "smtpcon: ended by %s\n", batch_signame(b.signal));
		why = xasprintf("by %s", batch_signame(b.signal));
	} else {
		outcome_of(out, b.s, b.reply_failed || session_refusals(b.s) > 0);
		batch_finish(&b, out);
		status = outcome_status(out);
		if (status != EXIT_OK && b.first_error != NULL)
			fprintf(stderr, "smtpcon: %s\n", b.first_error);
		why = xasprintf("with exit status %d", status);
	}
	free(b.first_error);
	session_free(b.s);
	journal_close(b.journal, why);
	free(why);
	transcript_clear(&b.tr);
	xfree_secret(b.in, BATCH_LINE_MAX);
	if (b.spool != NULL)
		fclose(b.spool);
}
