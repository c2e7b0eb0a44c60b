/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Incremental parser for SMTP replies (RFC 5321 section 4.2, enhanced codes RFC 3463).
 *
 * Bytes from the server are fed in as they arrive; the parser cuts them into lines, checks
 * each one strictly (three digits, class 2-5, '-' or ' ' after the code, the same code on
 * every line of a multi-line reply), and groups lines into replies. It never fails: a line
 * that breaks the rules is kept, made display-safe, and flagged with the reason. Memory is
 * bounded: at most REPLY_LINE_MAX bytes of a line and REPLY_LINES_MAX lines of a reply are
 * kept; the rest is counted and reported.
 */
#ifndef REPLY_H
#define REPLY_H

#include <stddef.h>

#define REPLY_LINE_MAX	2048
#define REPLY_LINES_MAX	128

struct reply_line {
	char		*text;		/* display-safe (vis) line without CRLF */
	size_t		 msg;		/* offset of the text after the code and separator */
	int		 code;		/* 200-599, or 0 if the line has no valid code */
	int		 last;		/* this line ends its reply */
	size_t		 dropped;	/* bytes of an overlong line that were not kept */
	int		 skipped;	/* past REPLY_LINES_MAX: not kept in the reply */
	const char	*problem;	/* why the line is malformed, or NULL */
};

struct reply {
	int		 code;		/* code of the reply, 0 if the first line had none */
	char		 enhanced[16];	/* "x.y.z" from the first line, "" when absent */
	const char	*problem;	/* first problem found in any line, or NULL */
	int		 malformed;	/* the structure was broken (not just odd bytes) */
	size_t		 nlines;	/* lines kept in lines[] */
	size_t		 nskipped;	/* lines past REPLY_LINES_MAX, shown but not kept */
	struct reply_line *lines;
};

struct reply_parser {
	char		 buf[REPLY_LINE_MAX];
	size_t		 len;		/* bytes in buf */
	size_t		 dropped;	/* bytes of the current line past the cap */
	int		 saw_cr;
	struct reply	*cur;		/* reply being collected, NULL between replies */
	struct reply_line line;		/* the line last reported, owned by the parser */
};

void	reply_parser_init(struct reply_parser *);
/* Free what the parser holds and forget any partial line or reply. */
void	reply_parser_clear(struct reply_parser *);

/*
 * Consume bytes from data up to and including the first complete line; return the number
 * of bytes consumed (all of len when no line completes). When a line completed, *line
 * points at it (valid until the next call on this parser) and, if that line ends a reply,
 * *done gets the reply, which the caller owns and frees with reply_free(); otherwise
 * *done is NULL. *line is NULL when no line completed.
 */
size_t	reply_parser_feed(struct reply_parser *, const char *data, size_t len,
	    const struct reply_line **line, struct reply **done);

/* Bytes of an unfinished line or reply held by the parser (for the STARTTLS check). */
size_t	reply_parser_pending(const struct reply_parser *);

/* The reply's class digit (2-5), or 0 for a malformed code. */
int	reply_class(const struct reply *);
/* Text of line i after the code ("" if none); i must be < nlines. */
const char *reply_text(const struct reply *, size_t i);
void	reply_free(struct reply *);

#endif
