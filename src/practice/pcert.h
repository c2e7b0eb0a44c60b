/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The practice PKI, made on first use and kept in the data directory:
 *
 *	ca.pem, ca-key.pem		a small practice CA (10 years)
 *	server-cert.pem, server-key.pem	a leaf for DNS:localhost,
 *					DNS:practice.smtpcon.test,
 *					IP:127.0.0.1, IP:::1; valid from a
 *					day ago for 2 years
 *	expired-cert.pem, expired-key.pem
 *					the same names, valid only from
 *					2020-01-01 to 2021-01-01
 *
 * Keys are ECDSA P-256, mode 0600; every file is written atomically.  A
 * file that is missing, unreadable, does not match its key or its CA, or
 * (for the CA and the good leaf) has expired is made again; a new CA
 * brings new leaves.
 */
#ifndef PCERT_H
#define PCERT_H

/* Which leaf the caller needs. */
enum pcert_leaf {
	PCERT_GOOD,
	PCERT_EXPIRED
};

/*
 * Make sure the CA and the asked-for leaf exist under datadir (which must
 * exist).  On success returns 0 and sets *cafile, *certfile and *keyfile
 * to allocated paths the caller frees, and *made to 1 if anything was
 * created.  On failure returns -1 with *errstr allocated.
 */
int	pcert_ensure(const char *datadir, enum pcert_leaf leaf, char **cafile,
	    char **certfile, char **keyfile, int *made, char **errstr);

#endif
