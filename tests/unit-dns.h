/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * DNS answer messages built by hand, for the parsers' unit tests (dns_mx_parse,
 * dns_txt_parse): a header, the question, then answer records whose data the test
 * writes between pkt_rr_start and pkt_rr_end.
 */
#ifndef UNIT_DNS_H
#define UNIT_DNS_H

#include <string.h>

struct pkt {
	unsigned char	b[1024];
	size_t		n;
};

static inline void
put16(struct pkt *k, unsigned v)
{
	k->b[k->n++] = v >> 8;
	k->b[k->n++] = v & 0xff;
}

/* A name as labels ("example.org" is 7example3org0). */
static inline void
put_name(struct pkt *k, const char *name)
{
	const char	*dot;
	size_t		 len;

	while (*name != '\0') {
		dot = strchr(name, '.');
		len = dot != NULL ? (size_t)(dot - name) : strlen(name);
		k->b[k->n++] = len;
		memcpy(k->b + k->n, name, len);
		k->n += len;
		name += len + (dot != NULL);
	}
	k->b[k->n++] = 0;
}

/* The header (a response with rcode, ancount answers) and the question name/type. */
static inline void
pkt_start(struct pkt *k, unsigned rcode, unsigned ancount, const char *name,
    unsigned type)
{
	memset(k, 0, sizeof *k);
	put16(k, 0x1234);
	put16(k, 0x8180 | rcode);
	put16(k, 1);
	put16(k, ancount);
	put16(k, 0);
	put16(k, 0);
	put_name(k, name);
	put16(k, type);
	put16(k, 1);
}

/* An answer record for the question's name (a pointer to offset 12): its fixed part;
 * returns where its data length goes, for pkt_rr_end once the data is written. */
static inline size_t
pkt_rr_start(struct pkt *k, unsigned type)
{
	size_t	len_at;

	put16(k, 0xc00c);
	put16(k, type);
	put16(k, 1);
	put16(k, 0);
	put16(k, 300);
	len_at = k->n;
	put16(k, 0);
	return (len_at);
}

static inline void
pkt_rr_end(struct pkt *k, size_t len_at)
{
	k->b[len_at] = (k->n - len_at - 2) >> 8;
	k->b[len_at + 1] = (k->n - len_at - 2) & 0xff;
}

#endif
