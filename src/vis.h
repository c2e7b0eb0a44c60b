/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Make untrusted bytes (a server's reply, a decoded challenge, a client's command) safe to
 * show on a terminal or to put in a reply.
 */
#ifndef VIS_H
#define VIS_H

#include <stddef.h>

/*
 * Return a malloc'd, NUL-terminated copy of len bytes at buf in which nothing can act on a
 * terminal: C0 controls and DEL in caret notation (ESC as ^[, NUL as ^@), tab as ^I, bytes
 * that are not valid UTF-8 as \xNN, C1 controls and bidirectional overrides as <U+XXXX>.
 * Valid printable UTF-8 is kept. The caller frees the result.
 */
char	*vis_bytes(const char *buf, size_t len);
/*
 * Return a malloc'd copy of at most max of the len bytes at buf holding printable ASCII
 * only, for an SMTP reply or a log line: tab and 0x20-0x7e are kept, every other byte is
 * written \xNN (lower case). Input longer than max is cut and ends with "...". The
 * caller frees the result.
 */
char	*vis_ascii(const char *buf, size_t len, size_t max);
/* Read the locale's character set (after setlocale): outside UTF-8 every byte >= 0x80
 * is escaped. Without a call, UTF-8 is assumed. */
void	 vis_init(void);
/* How many bytes from the start of buf are printable ASCII (shown as they are). */
size_t	 vis_printable(const char *buf, size_t len);

/* Decode one UTF-8 sequence at s (at most len bytes): the code point, or -1 if invalid; *n
 * gets the bytes used (1 when invalid). */
long	 vis_utf8(const unsigned char *s, size_t len, size_t *n);

#endif
