/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * A job the console runs beside the session, in the same poll loop (the server check of
 * /check): its descriptors join the loop's, Ctrl-C gives it up, and it ends with a
 * callback. The console knows no job: the command that starts one hands it callbacks.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui.h"
#include "xmalloc.h"

int
ui_task_start(struct ui *u, const struct ui_task *t)
{
	if (u->task != NULL)
		return (-1);
	u->task = xmalloc(sizeof *u->task);
	*u->task = *t;
	ui_dirty(u);
	return (0);
}

struct pollfd *
ui_task_poll(struct ui *u, size_t *n, int *timeout)
{
	struct pollfd	*fds;

	*n = 0;
	*timeout = -1;
	if (u->task == NULL)
		return (NULL);
	fds = u->task->poll(u->task->arg, n, timeout);
	/* Done (its poll may be what tells): no wait, ui_task_io ends it at once. */
	if (u->task->done(u->task->arg))
		*timeout = 0;
	return (fds);
}

/* Hand it the loop's turn; at its end, its callback (the task is gone before it). */
static void
ui_task_end(struct ui *u, int cancelled)
{
	struct ui_task	t = *u->task;

	free(u->task);
	u->task = NULL;
	t.finish(u, t.arg, cancelled);
	ui_dirty(u);
}

void
ui_task_io(struct ui *u)
{
	if (u->task == NULL)
		return;
	u->task->io(u->task->arg);
	if (u->task->done(u->task->arg))
		ui_task_end(u, 0);
}

int
ui_task_cancel(struct ui *u)
{
	if (u->task == NULL)
		return (0);
	ui_task_end(u, 1);
	return (1);
}

int
ui_task_running(const struct ui *u)
{
	return (u->task != NULL);
}
