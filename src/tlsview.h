/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The TLS information model as lines of text: what the TLS pane draws and what line mode
 * prints. Kept apart from both front ends so they show the same thing.
 */
#ifndef TLSVIEW_H
#define TLSVIEW_H

#include <stddef.h>

#include "tls.h"

enum tlsview_style {
	TV_HEAD,	/* a heading: the protocol line, "[0] CN=..." */
	TV_TEXT,
	TV_GOOD,	/* verified */
	TV_BAD,		/* a failure the person must see */
	TV_DIM		/* details: fingerprints */
};

struct tlsview_line {
	enum tlsview_style	 style;
	char			*text;
};

/* Lines describing info (NULL: "no TLS yet"); *n gets the count; free with tlsview_free. */
struct tlsview_line	*tlsview_lines(const struct tls_info *info, size_t *n);
void			 tlsview_free(struct tlsview_line *, size_t n);
/* Add a line (text copied) to lines made by tlsview_lines. */
void			 tlsview_append(struct tlsview_line **, size_t *n,
			    enum tlsview_style, const char *text);

/* Write the chain as PEM to path (mode 0644). 0, or -1 with *errstr malloc'd. */
int			 tlsview_save_chain(const struct tls_info *, const char *path,
			    char **errstr);

#endif
