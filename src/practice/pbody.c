/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The message: DATA and BDAT, and the body read into the Maildir. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "paddr.h"
#include "pbody.h"
#include "plog.h"
#include "pmaildir.h"
#include "pserver-int.h"
#include "xmalloc.h"

#define PBODY_PART	65536	/* body line written in parts past this */

static void	pbody_chunk_end(struct pserver *);

void
pbody_cmd_data(struct pserver *s, const char *arg)
{
	char	*errstr = NULL;

	if (arg != NULL) {
		pserver_reply(s, "501 5.5.4 Syntax: DATA");
		return;
	}
	if (!s->have_mail) {
		pserver_reply(s, "503 5.5.1 Error: need MAIL command");
		return;
	}
	if (s->nrcpts == 0) {
		pserver_reply(s, "503 5.5.1 Error: need RCPT command");
		return;
	}
	/* RFC 3030: one message is sent one way, never half and half. */
	if (s->bdat) {
		pserver_reply(s, "503 5.5.1 Error: DATA after BDAT in the same "
		    "message (end it with BDAT 0 LAST, or RSET)");
		return;
	}
	if ((s->msg = pmaildir_msg_begin(s->cfg->maildir, &errstr)) == NULL) {
		plog_warn("%s", errstr);
		free(errstr);
		pserver_reply(s, "451 4.3.0 Error: cannot store the message "
		    "(see the server log)");
		return;
	}
	s->body_bol = 1;
	s->body_size = 0;
	s->body_toobig = 0;
	pserver_set_state(s, PSERVER_DATA);
	pserver_reply(s, "354 End data with <CR><LF>.<CR><LF>");
}

/*
 * Once the size is known the octets are read whatever the verdict, so that
 * they are never taken for commands; a refusal is kept in chunk_error and
 * sent after them, in order.  (BDAT after DATA in one transaction cannot
 * happen here: after 354 every line is body text, and the "." ends the
 * transaction.)
 */
void
pbody_cmd_bdat(struct pserver *s, const char *arg)
{
	unsigned long long	 size;
	const char		*p;
	char			*word, *errstr = NULL;
	size_t			 len;
	int			 last;

	/* The size: digits only, up to a space or the end. */
	len = arg == NULL ? 0 : strcspn(arg, " ");
	word = xstrndup(arg == NULL ? "" : arg, len);
	if (paddr_size(word, &size) == -1) {
		free(word);
		/* Without a size nobody knows where the chunk ends. */
		pserver_reply(s, "501 5.5.4 Syntax: BDAT octets [LAST]");
		return;
	}
	free(word);
	p = arg + len;
	while (*p == ' ')
		p++;
	if (*p != '\0' && strcasecmp(p, "LAST") != 0) {
		pserver_reply(s, "501 5.5.4 Syntax: BDAT octets [LAST]");
		return;
	}
	last = *p != '\0';

	free(s->chunk_error);
	s->chunk_error = NULL;
	s->chunk_size = size;
	s->chunk_left = size;
	s->chunk_last = last;
	if ((s->cfg->flags & PSERVER_TLS_REQUIRED) && !s->tls_active)
		s->chunk_error = xstrdup("530 5.7.0 Must issue a "
		    "STARTTLS command first");
	else if (!s->have_mail)
		s->chunk_error = xstrdup("503 5.5.1 Error: need MAIL "
		    "command");
	else if (s->nrcpts == 0)
		s->chunk_error = xstrdup("503 5.5.1 Error: need RCPT "
		    "command");
	else if (size > PSERVER_SIZE_MAX - s->body_size) {
		pserver_log(s, "* message too big: discarded");
		pserver_reset(s);
		s->chunk_error = xasprintf("552 5.3.4 Message size "
		    "exceeds fixed maximum message size (%d octets)",
		    PSERVER_SIZE_MAX);
	} else if (s->msg == NULL) {
		if ((s->msg = pmaildir_msg_begin(s->cfg->maildir,
		    &errstr)) == NULL) {
			plog_warn("%s", errstr);
			free(errstr);
			s->chunk_error = xstrdup("451 4.3.0 Error: cannot "
			    "store the message (see the server log)");
		} else {
			s->bdat = 1;
			s->body_size = 0;
			s->body_toobig = 0;
		}
	}
	if (size == 0)
		pbody_chunk_end(s);
	else
		pserver_set_state(s, PSERVER_BDAT);
}

static void
pbody_write(struct pserver *s, const char *p, size_t len)
{
	if (s->body_toobig)
		return;
	if (s->body_size + len > PSERVER_SIZE_MAX) {
		/* Keep reading to the end, but keep nothing more. */
		s->body_toobig = 1;
		return;
	}
	s->body_size += len;
	pmaildir_msg_write(s->msg, p, len);
}

/* The message is complete (the "." of DATA, or BDAT LAST): deliver it. */
static void
pbody_end(struct pserver *s)
{
	char		*name, *path, *errstr = NULL;
	uint64_t	 size = s->body_size;
	int		 bdat = s->bdat;

	pserver_set_state(s, PSERVER_COMMAND);
	if (s->body_toobig) {
		pserver_log(s, "* message too big: discarded");
		pmaildir_msg_abort(s->msg);
		s->msg = NULL;
		pserver_reset(s);
		pserver_reply(s, "552 5.3.4 Message size exceeds fixed maximum "
		    "message size (%d octets)", PSERVER_SIZE_MAX);
		return;
	}
	if (pmaildir_msg_commit(s->msg, s->mail_from, s->rcpts, s->nrcpts,
	    &name, &path, &errstr) == -1) {
		s->msg = NULL;
		plog_warn("%s", errstr);
		free(errstr);
		pserver_reset(s);
		pserver_reply(s, "451 4.3.0 Error: cannot store the message "
		    "(see the server log)");
		return;
	}
	s->msg = NULL;
	pserver_log(s, "* message of %llu octets saved in %s",
	    (unsigned long long)size, path);
	pserver_reset(s);
	if (bdat)
		pserver_reply(s, "250 2.0.0 Ok: %llu octets queued as %s "
		    "(saved in %s)", (unsigned long long)size, name, path);
	else
		pserver_reply(s, "250 2.0.0 Ok: queued as %s (saved in %s)",
		    name, path);
	free(name);
	free(path);
}

enum pserver_progress
pbody_data(struct pserver *s)
{
	const char	*p, *lf;
	size_t		 avail, n;
	int		 progress = 0;

	while (s->state == PSERVER_DATA && s->inoff < s->inlen) {
		p = s->in + s->inoff;
		avail = s->inlen - s->inoff;
		if ((lf = memchr(p, '\n', avail)) != NULL) {
			n = lf - p + 1;
			s->inoff += n;
			progress = 1;
			if (s->body_bol && p[0] == '.') {
				if (n == 3 && p[1] == '\r') {
					pbody_end(s);
					break;
				}
				p++;
				n--;
			}
			pbody_write(s, p, n);
			s->body_bol = n >= 2 && p[n - 2] == '\r';
			continue;
		}
		if (avail < PBODY_PART)
			break;
		/* A very long line: write what we have, keep a lone CR. */
		n = avail;
		if (p[n - 1] == '\r')
			n--;
		s->inoff += n;
		if (s->body_bol && p[0] == '.') {
			p++;
			n--;
		}
		pbody_write(s, p, n);
		s->body_bol = 0;
		progress = 1;
	}
	return (progress ? PSERVER_PROGRESS : PSERVER_NEED_MORE);
}

/* A chunk has been read in full: reply, and deliver on LAST. */
static void
pbody_chunk_end(struct pserver *s)
{
	char	*reply;

	pserver_set_state(s, PSERVER_COMMAND);
	if ((reply = s->chunk_error) != NULL) {
		s->chunk_error = NULL;
		pserver_log(s, "* chunk of %llu octets read and dropped",
		    (unsigned long long)s->chunk_size);
		pserver_reply(s, "%s", reply);
		free(reply);
		return;
	}
	if (s->chunk_last)
		pbody_end(s);
	else
		pserver_reply(s, "250 2.0.0 %llu octets received",
		    (unsigned long long)s->chunk_size);
}

enum pserver_progress
pbody_chunk(struct pserver *s)
{
	size_t	avail = s->inlen - s->inoff, n;

	if (avail == 0)
		return (PSERVER_NEED_MORE);
	n = avail;
	if (n > s->chunk_left)
		n = s->chunk_left;
	if (s->chunk_error == NULL)
		pbody_write(s, s->in + s->inoff, n);
	s->inoff += n;
	s->chunk_left -= n;
	if (s->chunk_left == 0)
		pbody_chunk_end(s);
	return (PSERVER_PROGRESS);
}
