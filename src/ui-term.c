/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Whether curses can drive the terminal, asked before it starts: initscr() exits by
 * itself on a terminal it does not know, and on TERM=dumb it draws a garbled screen.
 * Alone in its file because term.h's macros (lines, columns...) clash with our names.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>

#include "ui.h"
#include "xmalloc.h"

/* Last: its macros would rewrite names in our headers. */
#include <term.h>

int
ui_terminal_check(char **why)
{
	const char	*term = getenv("TERM");
	char		*cup;
	int		 err = 0;

	if (term == NULL || *term == '\0') {
		*why = xstrdup("TERM is not set:");
		return (-1);
	}
	if (strcmp(term, "dumb") == 0) {
		*why = xstrdup("TERM=dumb");
		return (-1);
	}
	/* With an error pointer, setupterm says what is wrong instead of exiting. */
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK) {
		*why = xasprintf("TERM=%s %s:", term, err == -1 ? "has no terminfo "
		    "database to look in" : "is unknown to terminfo");
		return (-1);
	}
	cup = tigetstr("cup");
	del_curterm(cur_term);
	if (cup == NULL || cup == (char *)-1) {
		*why = xasprintf("TERM=%s has no cursor addressing:", term);
		return (-1);
	}
	return (0);
}
