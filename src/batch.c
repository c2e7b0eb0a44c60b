/*
 * Line mode: the engine with no curses. Lines from standard input are sent one at a time,
 * each after the reply to the one before (body lines in DATA go without waiting); the
 * transcript goes to standard output as it grows.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"
#include "smtpcon.h"
#include "tlsview.h"
#include "xmalloc.h"

#define BATCH_LINE_MAX	65536
#define BATCH_QUEUE_MAX	65536

struct batch {
	struct smtpcon_opts	*opts;
	struct session		*s;
	struct transcript	 tr;
	unsigned long		 shown;
	int			 reply_failed;
	char			*in;
	size_t			 inlen;
	int			 eof;
	int			 skipping;	/* inside an overlong line */
	int			 quit_sent;
};

static void
batch_print(struct batch *b)
{
	struct tr_entry	*e;
	char		*line;

	for (; b->shown < transcript_end(&b->tr); b->shown++) {
		if ((e = transcript_get(&b->tr, b->shown)) == NULL)
			continue;
		line = transcript_format(e, b->opts->timestamps);
		puts(line);
		free(line);
	}
	fflush(stdout);
}

static void
batch_changed(void *arg)
{
	batch_print(arg);
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

	batch_print(b);
	v = tlsview_lines(in, &n);
	for (i = 0; i < n; i++)
		printf("*   %s\n", v[i].text);
	tlsview_free(v, n);
	fflush(stdout);
}

static const struct session_cb batch_cb = {
	batch_changed, batch_reply, batch_tls_up, NULL
};

/* Take the next complete line from the input buffer; NULL if none yet. */
static char *
batch_next_line(struct batch *b)
{
	char	*nl, *line;
	size_t	 len;

	nl = memchr(b->in, '\n', b->inlen);
	if (nl == NULL && !(b->eof && b->inlen > 0))
		return (NULL);
	len = nl != NULL ? (size_t)(nl - b->in) : b->inlen;
	line = xstrndup(b->in, len);
	if (len > 0 && line[len - 1] == '\r')
		line[len - 1] = '\0';
	len = nl != NULL ? len + 1 : len;
	memmove(b->in, b->in + len, b->inlen - len);
	b->inlen -= len;
	return (line);
}

static void
batch_read_input(struct batch *b)
{
	ssize_t	n;

	if (b->inlen == BATCH_LINE_MAX) {
		/* No line is that long: drop it whole rather than send pieces. */
		if (!b->skipping)
			transcript_add(&b->tr, TR_ERROR, "an input line is longer than "
			    "64 kB: it is skipped, not sent", NULL);
		b->reply_failed = 1;
		b->skipping = 1;
		b->inlen = 0;
	}
	n = read(STDIN_FILENO, b->in + b->inlen, BATCH_LINE_MAX - b->inlen);
	if (n == 0 || (n == -1 && errno != EINTR && errno != EAGAIN)) {
		b->eof = 1;
		return;
	}
	if (n > 0 && b->skipping) {
		char	*nl = memchr(b->in + b->inlen, '\n', n);

		if (nl == NULL) {
			b->inlen = 0;
			return;
		}
		b->skipping = 0;
		n -= nl + 1 - (b->in + b->inlen);
		memmove(b->in + b->inlen, nl + 1, n);
	}
	if (n > 0)
		b->inlen += n;
}

/* The dialogue can take a line now: connected, greeted, no reply outstanding. */
static int
batch_can_send(struct batch *b)
{
	const struct smtp	*smtp = session_smtp(b->s);

	/* Back-pressure: a large body waits for a slow server instead of piling up. */
	if (!session_connected(b->s) || smtp_waiting(smtp) ||
	    session_queued(b->s) > BATCH_QUEUE_MAX)
		return (0);
	return (smtp->state == SMTP_READY || smtp->state == SMTP_AUTH ||
	    smtp->state == SMTP_DATA);
}

/* Complete lines waiting in the input buffer. */
static size_t
batch_lines_ready(struct batch *b)
{
	size_t	i, n = 0;

	for (i = 0; i < b->inlen; i++)
		n += b->in[i] == '\n';
	return (n + (b->eof && b->inlen > 0 && b->in[b->inlen - 1] != '\n'));
}

/* A two-question AUTH step (user and password) takes the next two input lines. */
static int
batch_auth_pair(struct batch *b)
{
	struct auth_need	 need;
	char			*ans[2], *err = NULL;

	if (!session_auth_need(b->s, &need) || need.n != 2)
		return (0);
	/* A raw answer or a cancel is one line: session_send takes it. */
	if (b->inlen > 0 && (b->in[0] == '\\' || b->in[0] == '*'))
		return (0);
	if (batch_lines_ready(b) < 2) {
		if (b->eof) {
			transcript_add(&b->tr, TR_ERROR, "end of input in the middle of "
			    "AUTH: it needs a user name and a secret line", NULL);
			b->reply_failed = 1;
			session_close(b->s, "end of input");
		}
		return (1);
	}
	ans[0] = batch_next_line(b);
	ans[1] = batch_next_line(b);
	if (session_auth_answer(b->s, ans, &err) != 0)
		goto fail;
	xfree_secret_str(ans[0]);
	xfree_secret_str(ans[1]);
	return (1);
fail:
	transcript_add(&b->tr, TR_ERROR, err, NULL);
	b->reply_failed = 1;
	free(err);
	xfree_secret_str(ans[0]);
	xfree_secret_str(ans[1]);
	return (1);
}

static void
batch_send_lines(struct batch *b)
{
	char	*line, *err = NULL;

	while (batch_can_send(b) && !batch_auth_pair(b) &&
	    (line = batch_next_line(b)) != NULL) {
		if (session_send(b->s, line, &err) != 0) {
			transcript_add(&b->tr, TR_ERROR, err, NULL);
			b->reply_failed = 1;
			free(err);
			err = NULL;
		}
		xfree_secret_str(line);
		batch_print(b);
	}
	if (b->eof && b->inlen == 0 && b->quit_sent && batch_can_send(b) &&
	    session_smtp(b->s)->state != SMTP_DATA) {
		/* QUIT was answered, but not with 221: nothing more to say. */
		session_close(b->s, "end of input");
		return;
	}
	if (b->eof && b->inlen == 0 && batch_can_send(b) && !b->quit_sent) {
		b->quit_sent = 1;
		/* "QUIT" here would be a body line or an AUTH answer, not a command. */
		if (session_smtp(b->s)->state == SMTP_DATA ||
		    session_smtp(b->s)->state == SMTP_AUTH) {
			transcript_add(&b->tr, TR_WARN, session_smtp(b->s)->state ==
			    SMTP_DATA ? "end of input inside DATA: the message is "
			    "abandoned, not sent" : "end of input in the middle of AUTH: "
			    "the exchange is abandoned", NULL);
			b->reply_failed = 1;
			session_close(b->s, "end of input");
			return;
		}
		transcript_add(&b->tr, TR_LOCAL, "end of input: sending QUIT", NULL);
		session_send(b->s, "QUIT", &err);
		free(err);
	}
}

int
batch_main(struct smtpcon_opts *opts)
{
	struct batch	 b;
	struct pollfd	 pfd[2];
	char		*host = NULL, *port = NULL, *err = NULL;
	int		 nfd, timeout, status, sfd;
	size_t		 i;

	memset(&b, 0, sizeof b);
	b.opts = opts;
	b.in = xmalloc(BATCH_LINE_MAX);
	transcript_init(&b.tr);
	signal(SIGPIPE, SIG_IGN);

	if (opts->target == NULL) {
		fprintf(stderr, "smtpcon: line mode needs a server: smtpcon --batch "
		    "host[:port]\n");
		free(b.in);
		return (EXIT_USAGE);
	}
	if (conn_parse_target(opts->target, &host, &port, &err) != 0) {
		fprintf(stderr, "smtpcon: %s\n", err);
		free(err);
		free(b.in);
		return (EXIT_USAGE);
	}
	if (opts->practice != NULL)
		launch_welcome(opts->practice, &b.tr);
	b.s = session_new(&opts->sess, &b.tr, &batch_cb, &b);
	if (opts->user != NULL && opts->secret != NULL)
		session_set_credentials(b.s, opts->user, opts->secret, opts->authzid);
	session_open(b.s, host, port, opts->mode);
	free(host);
	free(port);

	while (session_connected(b.s)) {
		batch_send_lines(&b);
		if (!session_connected(b.s))
			break;
		nfd = 0;
		sfd = -1;
		if (!b.eof && batch_can_send(&b)) {
			pfd[nfd].fd = STDIN_FILENO;
			pfd[nfd].events = POLLIN;
			nfd++;
		}
		if (session_pollfd(b.s, &pfd[nfd]))
			sfd = nfd++;
		timeout = session_timeout(b.s);
		if (poll(pfd, nfd, timeout) == -1) {
			if (errno == EINTR)
				continue;
			transcript_addf(&b.tr, TR_ERROR, "poll: %s", strerror(errno));
			break;
		}
		for (i = 0; i < (size_t)nfd; i++) {
			if ((int)i == sfd)
				session_io(b.s, pfd[i].revents);
			else if (pfd[i].revents)
				batch_read_input(&b);
		}
		if (sfd == -1)
			session_io(b.s, 0);
	}
	batch_print(&b);
	status = smtpcon_exit_status(b.s, b.reply_failed);
	if (status != EXIT_OK) {
		for (i = 0; i < b.tr.n; i++) {
			if (b.tr.v[i].kind == TR_ERROR) {
				fprintf(stderr, "smtpcon: %s\n", b.tr.v[i].text);
				break;
			}
		}
	}
	session_free(b.s);
	transcript_clear(&b.tr);
	xfree_secret(b.in, BATCH_LINE_MAX);
	return (status);
}
