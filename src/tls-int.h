/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Inside the TLS module, shared by its files and by no one else: tls.c (the session),
 * tls-cert.c (a certificate read into a struct tls_cert) and tls-verify.c (the verdict on
 * the server's chain and what to do about it). Only these files include GnuTLS.
 */
#ifndef TLS_INT_H
#define TLS_INT_H

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#define TLS_FIRST_MAX	64

struct tls {
	gnutls_session_t		 session;
	gnutls_certificate_credentials_t cred;
	gnutls_priority_t		 prio;
	int				 fd;
	char				*host;
	char				*name;		/* verified against */
	char				*offered;	/* "TLS1.3, TLS1.2" */
	int				 version;	/* tls_config.version: the pin */
	int				 priority;	/* --priority narrowed the versions */
	int				 cafile;	/* trust anchors from a file */
	unsigned char			 first[TLS_FIRST_MAX];	/* first bytes received */
	size_t				 nfirst;
	unsigned char			 quote[TLS_FIRST_MAX];	/* and what followed */
	size_t				 nquote;
	struct tls_info			*info;
};

/* Fill c from one DER certificate; every string is set (to "" at worst), none NULL. */
void	 tls_cert_fill(struct tls_cert *c, const gnutls_datum_t *der);
/*
 * The names crt is valid for, display-safe: its DNS and IP alternative names, or its CN
 * when it has none; the first max of them, then "and N more". "" when it names nothing.
 * Malloc'd.
 */
char	*tls_cert_names(gnutls_x509_crt_t crt, size_t max);

/*
 * Verify the peer's chain (in->certs already filled) against t->name, and set in->verified,
 * problems, fail_index, name, verdict and advice.
 */
void	 tls_verify_chain(struct tls *t, struct tls_info *in);

#endif
