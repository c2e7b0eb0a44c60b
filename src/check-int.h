/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Inside the server check, shared by check.c (targets, scheduling, the loop) and
 * check-probe.c (one connection's dialogue) and by no one else.
 *
 * A probe is one connection to one port of one address. The main probe of a port learns
 * everything but the TLS versions; when it got as far as a TLS handshake, check.c adds
 * one version probe per TLS version, each pinned to that version with the person's
 * priority string, going only as far as the handshake.
 */
#ifndef CHECK_INT_H
#define CHECK_INT_H

#include "check.h"
#include "reply.h"

enum check_step {
	CHECK_S_WAIT,		/* not started: waits for a free slot on its host */
	CHECK_S_CONNECT,
	CHECK_S_HANDSHAKE,
	CHECK_S_GREETING,
	CHECK_S_EHLO,
	CHECK_S_STARTTLS,
	CHECK_S_EHLO2,		/* EHLO again under TLS */
	CHECK_S_QUIT,
	CHECK_S_DONE
};

#define CHECK_OUT_MAX	600	/* one command line */

struct check_probe {
	struct check_host	*host;
	struct check_addr	*addr;
	struct check_port	*res;
	int			 version;	/* -1: the main probe; else 0-3 */
	enum check_step		 step;
	int			 fd;
	struct tls		*tls;		/* once a handshake started */
	struct reply_parser	 rp;
	long long		 connected;	/* ms, xtime_ms(): connect started,
						 * then done */
	long long		 deadline;	/* of this step */
	short			 events;	/* to poll for */
	char			 out[CHECK_OUT_MAX];
	size_t			 outlen;
	int			 tls_worth;	/* main: try the TLS versions */
	int			 reaped;
	struct tls_dane		*dane;		/* main: the TLSA lookup, from the
						 * start until judged */
	long long		 dane_deadline;
};

struct check {
	const struct check_opts	*o;
	struct check_report	 rep;
	struct check_probe	**probes;
	size_t			 nprobes;
	struct pollfd		*pfd;
	struct check_probe	**pfd_probe;	/* the probe of each pfd entry */
	char			*pfd_dane;	/* 1: the entry is its TLSA lookup;
						 * 2: the MTA-STS lookup's */
	size_t			 npfd;
	long long		 start;
	int			 done;
	struct sts_job		*sts;		/* the MTA-STS lookup, until done */
};

/* Start p's connection (CHECK_S_WAIT to CHECK_S_CONNECT, or DONE at once). */
void		check_probe_start(struct check *, struct check_probe *);
/* poll() said revents on p's socket (or TLS has bytes pending). */
void		check_probe_io(struct check *, struct check_probe *, short revents);
/* p's step deadline passed. */
void		check_probe_timeout(struct check *, struct check_probe *);
/* Free what a probe holds (not its results). */
void		check_probe_close(struct check_probe *);

#endif
