/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Reading the keyboard. curses decodes key sequences (arrows, PgUp, F1) but reads the
 * terminal a byte a call, a few system calls per byte: a pasted message of a million
 * lines would take minutes. So the terminal is read here, in large reads. Plain bytes
 * go straight to the keys; from an escape byte on, the bytes go to curses, through a
 * pipe it reads as its input, to be decoded as before. A sequence cut by a read is
 * completed first (within ESCDELAY), so curses always sees it whole.
 */
#include "config.h"

#include <sys/ioctl.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ui.h"

#define UI_KEYS_READ	16384
#define UI_KEYS_SPARE	64	/* room to complete a sequence cut by the read */

static int	 ui_keys_pipe[2] = { -1, -1 };
static FILE	*ui_keys_curses;	/* the pipe's end curses reads */

FILE *
ui_keys_init(void)
{
	if (pipe2(ui_keys_pipe, O_CLOEXEC) == -1)
		return (NULL);
	/* Large enough for every read: writing to it never blocks. */
	fcntl(ui_keys_pipe[1], F_SETPIPE_SZ, 1024 * 1024);
	if ((ui_keys_curses = fdopen(ui_keys_pipe[0], "r")) == NULL) {
		close(ui_keys_pipe[0]);
		close(ui_keys_pipe[1]);
		return (NULL);
	}
	return (ui_keys_curses);
}

void
ui_keys_end(void)
{
	if (ui_keys_curses != NULL)
		fclose(ui_keys_curses);
	if (ui_keys_pipe[1] != -1)
		close(ui_keys_pipe[1]);
	ui_keys_curses = NULL;
	ui_keys_pipe[0] = ui_keys_pipe[1] = -1;
}

/* Whether the bytes end inside an escape sequence (ESC, ESC O, ESC [ without its final). */
static size_t
ui_keys_partial(const unsigned char *b, size_t n)
{
	size_t	i, esc;

	for (esc = n; esc > 0 && b[esc - 1] != 0x1b; esc--)
		;
	if (esc == 0)
		return (0);
	i = esc;		/* just past the last ESC */
	if (i == n)
		return (n - esc + 1);	/* ESC alone, so far */
	if (b[i] == 'O')
		return (i + 1 == n ? n - esc + 1 : 0);
	if (b[i] != '[')
		return (0);	/* Alt and a key: complete */
	for (i++; i < n; i++) {
		if (b[i] >= 0x40 && b[i] <= 0x7e)
			return (0);	/* the final byte */
	}
	return (n - esc + 1);
}

/* Read the rest of a cut sequence, waiting at most ESCDELAY for it. */
static size_t
ui_keys_complete(unsigned char *b, size_t n, size_t room)
{
	struct pollfd	pfd = { STDIN_FILENO, POLLIN, 0 };
	ssize_t		r;
	int		tries;

	for (tries = 0; tries < 8 && room > n && ui_keys_partial(b, n) > 0; tries++) {
		if (poll(&pfd, 1, get_escdelay()) <= 0)
			break;
		if ((r = read(STDIN_FILENO, b + n, 1)) <= 0)
			break;
		n += r;
	}
	return (n);
}

/* Hand bytes to curses; 0, or -1 if the pipe would not take them. */
static int
ui_keys_to_curses(const unsigned char *b, size_t n)
{
	ssize_t	w;

	while (n > 0) {
		if ((w = write(ui_keys_pipe[1], b, n)) == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		b += w;
		n -= w;
	}
	return (0);
}

/*
 * A question that takes one key was just asked, or a paste came while it waits: what
 * was typed before it appeared, or pasted, is not its answer (a pasted line of base64
 * starting with "Y" must not say yes, and what follows a refused AUTH must not go out
 * as commands). Drop the rest of this read, of curses' queue and of the terminal's,
 * and say how much.
 */
static void
ui_keys_drop(struct ui *u, size_t rest)
{
	unsigned char	buf[4096];
	ssize_t		n;
	size_t		dropped = rest;
	int		avail = 0;

	while (getch() != ERR)
		dropped++;
	while (ioctl(STDIN_FILENO, FIONREAD, &avail) == 0 && avail > 0 &&
	    (n = read(STDIN_FILENO, buf, sizeof buf)) > 0)
		dropped += n;
	explicit_bzero(buf, sizeof buf);
	if (dropped > 0)
		ui_local(u, TR_WARN, "%zu typed-ahead or pasted character%s dropped: "
		    "the question takes one key pressed after it", dropped,
		    dropped == 1 ? "" : "s");
}

/* Hand key ch over; 1 if it asked a one-key question (the rest is dropped). */
static int
ui_keys_one(struct ui *u, void (*key)(struct ui *, int), int ch)
{
	int	asking = u->prompt == UI_PROMPT_ASK && u->ask_key;

	key(u, ch);
	return (!asking && !u->quit && u->prompt == UI_PROMPT_ASK && u->ask_key);
}

int
ui_keys_read(struct ui *u, void (*key)(struct ui *, int))
{
	unsigned char	 buf[UI_KEYS_READ + UI_KEYS_SPARE];
	ssize_t		 n;
	size_t		 i, len;
	int		 avail = 0, ch, total = 0, rc = 0;

	do {
		if ((n = read(STDIN_FILENO, buf, UI_KEYS_READ)) <= 0) {
			rc = n == 0 || (errno != EAGAIN && errno != EINTR) ? -1 : 0;
			break;
		}
		len = ui_keys_complete(buf, n, sizeof buf);
		total += len;
		/* A one-key question is answered by a key, not by a paste. */
		if (len > 1 && buf[0] != 0x1b && u->prompt == UI_PROMPT_ASK &&
		    u->ask_key) {
			ui_keys_drop(u, len);
			break;
		}
		for (i = 0; i < len && !u->quit && buf[i] != 0x1b; i++) {
			if (ui_keys_one(u, key, buf[i])) {
				ui_keys_drop(u, len - i - 1);
				goto out;
			}
		}
		if (i < len && !u->quit) {
			if (ui_keys_to_curses(buf + i, len - i) != 0) {
				rc = -1;
				break;
			}
			while (!u->quit && (ch = getch()) != ERR) {
				if (ui_keys_one(u, key, ch)) {
					ui_keys_drop(u, 0);
					goto out;
				}
			}
		}
		/* Through with what is there, or at a bound: the session's turn. */
	} while (!u->quit && total < 256 * 1024 &&
	    ioctl(STDIN_FILENO, FIONREAD, &avail) == 0 && avail > 0);
out:
	/* Typed secrets pass through here. */
	explicit_bzero(buf, sizeof buf);
	return (rc);
}
