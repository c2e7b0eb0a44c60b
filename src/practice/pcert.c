/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The practice PKI: a CA and two leaves, made with GnuTLS on first use. */
#include "config.h"

#include <sys/file.h>

#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "fs.h"
#include "pcert.h"
#include "xmalloc.h"

#define PCERT_DAY		(24 * 60 * 60)
#define PCERT_CA_DAYS		(10 * 365)
#define PCERT_LEAF_DAYS		(2 * 365)
#define PCERT_EXPIRED_FROM	1577836800	/* 2020-01-01 00:00 UTC */
#define PCERT_EXPIRED_UNTIL	1609459200	/* 2021-01-01 00:00 UTC */

#define PCERT_CA_DN	"CN=smtpcon practice CA,O=smtpcon practice"
#define PCERT_LEAF_DN	"CN=practice.smtpcon.test,O=smtpcon practice"

/* A certificate and its private key. */
struct pcert_pair {
	gnutls_x509_crt_t	crt;
	gnutls_x509_privkey_t	key;
};

static void
pcert_pair_clear(struct pcert_pair *p)
{
	if (p->crt != NULL)
		gnutls_x509_crt_deinit(p->crt);
	if (p->key != NULL)
		gnutls_x509_privkey_deinit(p->key);
	p->crt = NULL;
	p->key = NULL;
}

/* Load a pair; any failure (missing, unreadable, mismatched) gives -1. */
static int
pcert_load(const char *certpath, const char *keypath, struct pcert_pair *p)
{
	gnutls_datum_t	 data = { NULL, 0 };
	unsigned char	 id1[64], id2[64];
	size_t		 len1 = sizeof id1, len2 = sizeof id2;

	p->crt = NULL;
	p->key = NULL;
	if (gnutls_load_file(certpath, &data) != 0)
		return (-1);
	if (gnutls_x509_crt_init(&p->crt) != 0 ||
	    gnutls_x509_crt_import(p->crt, &data, GNUTLS_X509_FMT_PEM) != 0)
		goto fail;
	gnutls_free(data.data);
	data.data = NULL;

	if (gnutls_load_file(keypath, &data) != 0)
		goto fail;
	if (gnutls_x509_privkey_init(&p->key) != 0 ||
	    gnutls_x509_privkey_import2(p->key, &data, GNUTLS_X509_FMT_PEM,
	    NULL, 0) != 0)
		goto fail;
	xwipe(data.data, data.size);
	gnutls_free(data.data);
	data.data = NULL;

	if (gnutls_x509_crt_get_key_id(p->crt, 0, id1, &len1) != 0 ||
	    gnutls_x509_privkey_get_key_id(p->key, 0, id2, &len2) != 0 ||
	    len1 != len2 || memcmp(id1, id2, len1) != 0)
		goto fail;
	return (0);

fail:
	if (data.data != NULL) {
		xwipe(data.data, data.size);
		gnutls_free(data.data);
	}
	pcert_pair_clear(p);
	return (-1);
}

static int
pcert_valid_at(gnutls_x509_crt_t crt, time_t when)
{
	time_t	from, until;

	from = gnutls_x509_crt_get_activation_time(crt);
	until = gnutls_x509_crt_get_expiration_time(crt);
	return (from != (time_t)-1 && until != (time_t)-1 && from <= when &&
	    when < until);
}

/* Time checks are left out: the expired leaf must pass too. */
static int
pcert_signed_by(gnutls_x509_crt_t crt, gnutls_x509_crt_t ca)
{
	unsigned int	status;

	if (gnutls_x509_crt_verify(crt, &ca, 1,
	    GNUTLS_VERIFY_DISABLE_TIME_CHECKS, &status) != 0)
		return (0);
	return (status == 0);
}

static int
pcert_fail(int ret, const char *what, char **errstr)
{
	*errstr = xasprintf("cannot make the practice certificates "
	    "(%s): %s", what, gnutls_strerror(ret));
	return (-1);
}

/*
 * Make a new key and certificate.  With ca NULL it is the self-signed CA,
 * otherwise a server leaf signed by ca.
 */
static int
pcert_make(struct pcert_pair *p, struct pcert_pair *ca, time_t from,
    time_t until, char **errstr)
{
	unsigned char	serial[16], keyid[64], caid[64];
	size_t		idlen = sizeof keyid, caidlen = sizeof caid;
	struct in_addr	ip4;
	struct in6_addr	ip6;
	const char	*err;
	int		ret;

	p->crt = NULL;
	p->key = NULL;
	if ((ret = gnutls_x509_privkey_init(&p->key)) != 0 ||
	    (ret = gnutls_x509_privkey_generate(p->key, GNUTLS_PK_ECDSA,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0)) != 0) {
		pcert_pair_clear(p);
		return (pcert_fail(ret, "key", errstr));
	}
	if ((ret = gnutls_x509_crt_init(&p->crt)) != 0)
		goto fail;
	if ((ret = gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof serial)) != 0)
		goto fail;
	/* Positive, and no leading zero byte. */
	serial[0] = (serial[0] & 0x7f) | 0x40;
	if ((ret = gnutls_x509_crt_set_version(p->crt, 3)) != 0 ||
	    (ret = gnutls_x509_crt_set_serial(p->crt, serial,
	    sizeof serial)) != 0 ||
	    (ret = gnutls_x509_crt_set_activation_time(p->crt, from)) != 0 ||
	    (ret = gnutls_x509_crt_set_expiration_time(p->crt, until)) != 0 ||
	    (ret = gnutls_x509_crt_set_key(p->crt, p->key)) != 0)
		goto fail;
	ret = gnutls_x509_crt_set_dn(p->crt, ca == NULL ? PCERT_CA_DN :
	    PCERT_LEAF_DN, &err);
	if (ret != 0)
		goto fail;
	if ((ret = gnutls_x509_crt_get_key_id(p->crt, 0, keyid,
	    &idlen)) != 0 ||
	    (ret = gnutls_x509_crt_set_subject_key_id(p->crt, keyid,
	    idlen)) != 0)
		goto fail;

	if (ca == NULL) {
		if ((ret = gnutls_x509_crt_set_basic_constraints(p->crt, 1,
		    0)) != 0 ||
		    (ret = gnutls_x509_crt_set_key_usage(p->crt,
		    GNUTLS_KEY_KEY_CERT_SIGN|GNUTLS_KEY_CRL_SIGN)) != 0 ||
		    (ret = gnutls_x509_crt_sign2(p->crt, p->crt, p->key,
		    GNUTLS_DIG_SHA256, 0)) != 0)
			goto fail;
		return (0);
	}

	inet_pton(AF_INET, "127.0.0.1", &ip4);
	inet_pton(AF_INET6, "::1", &ip6);
	if ((ret = gnutls_x509_crt_set_subject_alt_name(p->crt,
	    GNUTLS_SAN_DNSNAME, "localhost", strlen("localhost"),
	    GNUTLS_FSAN_APPEND)) != 0 ||
	    (ret = gnutls_x509_crt_set_subject_alt_name(p->crt,
	    GNUTLS_SAN_DNSNAME, "practice.smtpcon.test",
	    strlen("practice.smtpcon.test"), GNUTLS_FSAN_APPEND)) != 0 ||
	    (ret = gnutls_x509_crt_set_subject_alt_name(p->crt,
	    GNUTLS_SAN_IPADDRESS, &ip4, sizeof ip4, GNUTLS_FSAN_APPEND)) != 0 ||
	    (ret = gnutls_x509_crt_set_subject_alt_name(p->crt,
	    GNUTLS_SAN_IPADDRESS, &ip6, sizeof ip6, GNUTLS_FSAN_APPEND)) != 0)
		goto fail;
	if ((ret = gnutls_x509_crt_set_basic_constraints(p->crt, 0,
	    -1)) != 0 ||
	    (ret = gnutls_x509_crt_set_key_usage(p->crt,
	    GNUTLS_KEY_DIGITAL_SIGNATURE)) != 0 ||
	    (ret = gnutls_x509_crt_set_key_purpose_oid(p->crt,
	    GNUTLS_KP_TLS_WWW_SERVER, 0)) != 0)
		goto fail;
	if ((ret = gnutls_x509_crt_get_subject_key_id(ca->crt, caid,
	    &caidlen, NULL)) != 0 ||
	    (ret = gnutls_x509_crt_set_authority_key_id(p->crt, caid,
	    caidlen)) != 0)
		goto fail;
	if ((ret = gnutls_x509_crt_sign2(p->crt, ca->crt, ca->key,
	    GNUTLS_DIG_SHA256, 0)) != 0)
		goto fail;
	return (0);

fail:
	pcert_pair_clear(p);
	return (pcert_fail(ret, ca == NULL ? "CA" : "server certificate",
	    errstr));
}

static int
pcert_save(struct pcert_pair *p, const char *certpath, const char *keypath,
    char **errstr)
{
	gnutls_datum_t	out;
	int		ret;

	if ((ret = gnutls_x509_privkey_export2_pkcs8(p->key,
	    GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &out)) != 0)
		return (pcert_fail(ret, "key export", errstr));
	ret = fs_write_atomic(keypath, out.data, out.size, 0600, errstr);
	xwipe(out.data, out.size);
	gnutls_free(out.data);
	if (ret == -1)
		return (-1);

	if ((ret = gnutls_x509_crt_export2(p->crt, GNUTLS_X509_FMT_PEM,
	    &out)) != 0)
		return (pcert_fail(ret, "certificate export", errstr));
	ret = fs_write_atomic(certpath, out.data, out.size, 0644, errstr);
	gnutls_free(out.data);
	return (ret);
}

/* Load the CA or make a new one; sets *renewed when it is new. */
static int
pcert_ensure_ca(const char *certpath, const char *keypath,
    struct pcert_pair *ca, int *renewed, char **errstr)
{
	time_t	now = time(NULL);

	*renewed = 0;
	if (pcert_load(certpath, keypath, ca) == 0) {
		/* Renew a day early so a leaf never outlives its CA by much. */
		if (pcert_valid_at(ca->crt, now + PCERT_DAY) &&
		    pcert_signed_by(ca->crt, ca->crt))
			return (0);
		pcert_pair_clear(ca);
	}
	if (pcert_make(ca, NULL, now - PCERT_DAY,
	    now + (time_t)PCERT_CA_DAYS * PCERT_DAY, errstr) == -1)
		return (-1);
	if (pcert_save(ca, certpath, keypath, errstr) == -1) {
		pcert_pair_clear(ca);
		return (-1);
	}
	*renewed = 1;
	return (0);
}

static int
pcert_ensure_leaf(const char *certpath, const char *keypath,
    struct pcert_pair *ca, enum pcert_leaf which, int renewed, int *made,
    char **errstr)
{
	struct pcert_pair	leaf;
	time_t			now = time(NULL), from, until;
	int			ok;

	if (!renewed && pcert_load(certpath, keypath, &leaf) == 0) {
		ok = pcert_signed_by(leaf.crt, ca->crt);
		if (which == PCERT_GOOD)
			ok = ok && pcert_valid_at(leaf.crt, now);
		pcert_pair_clear(&leaf);
		if (ok)
			return (0);
	}
	if (which == PCERT_GOOD) {
		from = now - PCERT_DAY;
		until = now + (time_t)PCERT_LEAF_DAYS * PCERT_DAY;
	} else {
		from = PCERT_EXPIRED_FROM;
		until = PCERT_EXPIRED_UNTIL;
	}
	if (pcert_make(&leaf, ca, from, until, errstr) == -1)
		return (-1);
	ok = pcert_save(&leaf, certpath, keypath, errstr);
	pcert_pair_clear(&leaf);
	if (ok == -1)
		return (-1);
	*made = 1;
	return (0);
}

int
pcert_ensure(const char *datadir, enum pcert_leaf which, char **cafile,
    char **certfile, char **keyfile, int *made, char **errstr)
{
	struct pcert_pair	 ca;
	const char		*stem;
	char			*lockpath, *cakey;
	int			 lockfd, renewed, ret = -1;

	*made = 0;
	/* Two servers starting at once must not make two CAs. */
	lockpath = xasprintf("%s/.pcert.lock", datadir);
	lockfd = open(lockpath, O_RDWR|O_CREAT|O_CLOEXEC, 0600);
	if (lockfd == -1 || flock(lockfd, LOCK_EX) == -1) {
		*errstr = xasprintf("cannot lock %s: %s", lockpath,
		    strerror(errno));
		if (lockfd != -1)
			close(lockfd);
		free(lockpath);
		return (-1);
	}
	free(lockpath);

	stem = which == PCERT_GOOD ? "server" : "expired";
	*cafile = xasprintf("%s/ca.pem", datadir);
	cakey = xasprintf("%s/ca-key.pem", datadir);
	*certfile = xasprintf("%s/%s-cert.pem", datadir, stem);
	*keyfile = xasprintf("%s/%s-key.pem", datadir, stem);

	if (pcert_ensure_ca(*cafile, cakey, &ca, &renewed, errstr) == 0) {
		*made = renewed;
		ret = pcert_ensure_leaf(*certfile, *keyfile, &ca, which,
		    renewed, made, errstr);
		pcert_pair_clear(&ca);
	}
	free(cakey);
	close(lockfd);
	if (ret == -1) {
		free(*cafile);
		free(*certfile);
		free(*keyfile);
		*cafile = *certfile = *keyfile = NULL;
	}
	return (ret);
}
