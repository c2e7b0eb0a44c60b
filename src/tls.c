/* GnuTLS client sessions and the TLS information model. */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/ocsp.h>

#include "tls.h"
#include "vis.h"
#include "xmalloc.h"

#define TLS_FIRST_MAX	64

struct tls {
	gnutls_session_t		 session;
	gnutls_certificate_credentials_t cred;
	gnutls_priority_t		 prio;
	int				 fd;
	char				*host;
	char				*name;		/* verified against */
	char				*offered;
	unsigned char			 first[TLS_FIRST_MAX];	/* first bytes received */
	size_t				 nfirst;
	unsigned char			 quote[TLS_FIRST_MAX];	/* and what followed */
	size_t				 nquote;
	struct tls_info			*info;
};

static int	tls_first_is_smtp(const struct tls *);

/* Read from the socket, keeping the first bytes so a plain-text answer can be recognised. */
static ssize_t
tls_pull(gnutls_transport_ptr_t ptr, void *buf, size_t len)
{
	struct tls	*t = ptr;
	ssize_t		 n;
	size_t		 keep;

	n = recv(t->fd, buf, len, 0);
	if (n > 0 && t->nfirst == 0) {
		/* GnuTLS reads a record header (5 bytes) first: to quote a plain
		 * answer, look at what already waits behind it too. */
		t->nquote = (size_t)n < TLS_FIRST_MAX ? (size_t)n : TLS_FIRST_MAX;
		memcpy(t->quote, buf, t->nquote);
		if (t->nquote < TLS_FIRST_MAX) {
			ssize_t	p = recv(t->fd, t->quote + t->nquote,
			    TLS_FIRST_MAX - t->nquote, MSG_PEEK | MSG_DONTWAIT);

			if (p > 0)
				t->nquote += p;
		}
	}
	if (n > 0 && t->nfirst < TLS_FIRST_MAX) {
		keep = TLS_FIRST_MAX - t->nfirst;
		if (keep > (size_t)n)
			keep = n;
		memcpy(t->first + t->nfirst, buf, keep);
		t->nfirst += keep;
	}
	if (n == -1)
		gnutls_transport_set_errno(t->session, errno);
	return (n);
}

static ssize_t
tls_push(gnutls_transport_ptr_t ptr, const void *buf, size_t len)
{
	struct tls	*t = ptr;
	ssize_t		 n;

	n = send(t->fd, buf, len, MSG_NOSIGNAL);
	if (n == -1)
		gnutls_transport_set_errno(t->session, errno);
	return (n);
}

static int
tls_is_ip(const char *host)
{
	unsigned char	buf[sizeof(struct in6_addr)];

	return (inet_pton(AF_INET, host, buf) == 1 ||
	    inet_pton(AF_INET6, host, buf) == 1);
}

static char *
tls_priority_string(const struct tls_config *cf)
{
	const char	*base = cf->priority != NULL ? cf->priority : "NORMAL";

	switch (cf->version) {
	case 12:
		return (xasprintf("%s:-VERS-ALL:+VERS-TLS1.2", base));
	case 13:
		return (xasprintf("%s:-VERS-ALL:+VERS-TLS1.3", base));
	default:
		return (xstrdup(base));
	}
}

/* Names of the protocols a priority cache enables, "TLS1.3, TLS1.2". */
static char *
tls_protocols(gnutls_priority_t prio)
{
	const unsigned int	*list;
	char			*s = xstrdup(""), *t;
	int			 n, i;

	n = gnutls_priority_protocol_list(prio, &list);
	for (i = 0; i < n; i++) {
		t = xasprintf("%s%s%s", s, i ? ", " : "",
		    gnutls_protocol_get_name(list[i]));
		free(s);
		s = t;
	}
	if (*s == '\0') {
		free(s);
		s = xstrdup("none");
	}
	return (s);
}

static int
tls_make_priority(const struct tls_config *cf, gnutls_priority_t *prio, char **errstr)
{
	const char	*errpos = NULL;
	char		*p;
	int		 ret;

	p = tls_priority_string(cf);
	ret = gnutls_priority_init(prio, p, &errpos);
	if (ret < 0) {
		if (ret == GNUTLS_E_INVALID_REQUEST && errpos != NULL)
			*errstr = xasprintf("bad TLS priority string \"%s\" near "
			    "\"%s\"", p, errpos);
		else
			*errstr = xasprintf("bad TLS priority string \"%s\": %s", p,
			    gnutls_strerror(ret));
		free(p);
		return (-1);
	}
	free(p);
	return (0);
}

char *
tls_offered(const struct tls_config *cf)
{
	gnutls_priority_t	 prio;
	char			*err = NULL, *s;

	if (tls_make_priority(cf, &prio, &err) != 0) {
		free(err);
		return (NULL);
	}
	s = tls_protocols(prio);
	gnutls_priority_deinit(prio);
	return (s);
}

struct tls *
tls_start(const struct tls_config *cf, const char *host, int fd, char **errstr)
{
	struct tls	*t;
	const char	*sni;
	int		 ret;

	t = xcalloc(1, sizeof *t);
	t->fd = fd;
	t->host = xstrdup(host);
	t->name = xstrdup(cf->sni != NULL ? cf->sni : host);

	if ((ret = gnutls_certificate_allocate_credentials(&t->cred)) < 0)
		goto gnutls_fail;
	if (cf->cafile != NULL) {
		ret = gnutls_certificate_set_x509_trust_file(t->cred, cf->cafile,
		    GNUTLS_X509_FMT_PEM);
		if (ret <= 0) {
			*errstr = xasprintf("cannot use CA file %s: %s", cf->cafile,
			    ret == 0 ? "no certificates in it" : gnutls_strerror(ret));
			goto fail;
		}
	} else if (gnutls_certificate_set_x509_system_trust(t->cred) <= 0) {
		/* Not fatal: verification will say the issuer is unknown. */
	}
	if (cf->certfile != NULL || cf->keyfile != NULL) {
		ret = gnutls_certificate_set_x509_key_file(t->cred,
		    cf->certfile != NULL ? cf->certfile : cf->keyfile,
		    cf->keyfile != NULL ? cf->keyfile : cf->certfile,
		    GNUTLS_X509_FMT_PEM);
		if (ret < 0) {
			*errstr = xasprintf("cannot use client certificate %s / key %s:"
			    " %s", cf->certfile ? cf->certfile : "-",
			    cf->keyfile ? cf->keyfile : "-", gnutls_strerror(ret));
			goto fail;
		}
	}
	if (tls_make_priority(cf, &t->prio, errstr) != 0)
		goto fail;
	t->offered = tls_protocols(t->prio);

	if ((ret = gnutls_init(&t->session, GNUTLS_CLIENT | GNUTLS_NONBLOCK)) < 0)
		goto gnutls_fail;
	if ((ret = gnutls_priority_set(t->session, t->prio)) < 0)
		goto gnutls_fail;
	if ((ret = gnutls_credentials_set(t->session, GNUTLS_CRD_CERTIFICATE,
	    t->cred)) < 0)
		goto gnutls_fail;
	sni = cf->sni != NULL ? cf->sni : host;
	if (cf->sni != NULL || !tls_is_ip(host)) {
		ret = gnutls_server_name_set(t->session, GNUTLS_NAME_DNS, sni,
		    strlen(sni));
		if (ret < 0)
			goto gnutls_fail;
	}
	gnutls_transport_set_ptr(t->session, t);
	gnutls_transport_set_pull_function(t->session, tls_pull);
	gnutls_transport_set_push_function(t->session, tls_push);
	gnutls_handshake_set_timeout(t->session, 0);
	return (t);

gnutls_fail:
	*errstr = xasprintf("TLS setup failed: %s", gnutls_strerror(ret));
fail:
	tls_close(t);
	return (NULL);
}

long
tls_days_left(time_t t)
{
	double	d = difftime(t, time(NULL)) / 86400.0;

	return (d < 0 ? (long)(d - 0.5) : (long)(d + 0.5));
}

/* Copy a gnutls_datum_t as a string and free it. */
static char *
tls_datum_str(gnutls_datum_t *d)
{
	char	*s = xstrndup((const char *)d->data, d->size);

	gnutls_free(d->data);
	d->data = NULL;
	return (s);
}

/* The same for text the server chose (names in its certificate): made display-safe. */
static char *
tls_datum_vis(gnutls_datum_t *d)
{
	char	*s = vis_bytes((const char *)d->data, d->size);

	gnutls_free(d->data);
	d->data = NULL;
	return (s);
}

static char *
tls_hex(const unsigned char *b, size_t n, const char *sep)
{
	char	*s, *o;
	size_t	 i;

	s = o = xmalloc(n * 3 + 1);
	*o = '\0';
	for (i = 0; i < n; i++)
		o += sprintf(o, "%s%02X", i && *sep ? sep : "", b[i]);
	return (s);
}

/*
 * The certificate's alternative names, "DNS:a, IP:1.2.3.4". Each name is shown whole:
 * by the length GnuTLS returns, not up to a NUL, so that "localhost\0.evil.example"
 * cannot pass for "localhost", and however long it is.
 */
static char *
tls_cert_sans(gnutls_x509_crt_t crt)
{
	char		 small[256], *buf, *s = xstrdup(""), *t, *vis;
	char		 ip[INET6_ADDRSTRLEN];
	size_t		 len;
	unsigned	 seq;
	int		 ret;
	const char	*kind;

	for (seq = 0; seq < 64; seq++) {
		buf = small;
		len = sizeof small;
		ret = gnutls_x509_crt_get_subject_alt_name(crt, seq, buf, &len, NULL);
		if (ret == GNUTLS_E_SHORT_MEMORY_BUFFER) {
			/* len is now the size needed (with room for a NUL). */
			buf = xmalloc(len + 1);
			ret = gnutls_x509_crt_get_subject_alt_name(crt, seq, buf, &len,
			    NULL);
		}
		if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) {
			if (buf != small)
				free(buf);
			break;
		}
		switch (ret) {
		case GNUTLS_SAN_DNSNAME:
			kind = "DNS";
			vis = vis_bytes(buf, len);
			break;
		case GNUTLS_SAN_IPADDRESS:
			kind = "IP";
			if ((len == 4 || len == 16) && inet_ntop(len == 4 ? AF_INET :
			    AF_INET6, buf, ip, sizeof ip) != NULL)
				vis = xstrdup(ip);
			else {
				/* Not an address: show its bytes rather than hide it. */
				t = tls_hex((unsigned char *)buf, len, "");
				vis = xasprintf("(%zu bytes) %s", len, t);
				free(t);
			}
			break;
		case GNUTLS_SAN_RFC822NAME:
			kind = "email";
			vis = vis_bytes(buf, len);
			break;
		case GNUTLS_SAN_URI:
			kind = "URI";
			vis = vis_bytes(buf, len);
			break;
		default:
			/* Other kinds (and names GnuTLS cannot read) are not shown. */
			vis = NULL;
			break;
		}
		if (buf != small)
			free(buf);
		if (vis == NULL)
			continue;
		t = xasprintf("%s%s%s:%s", s, *s ? ", " : "", kind, vis);
		free(vis);
		free(s);
		s = t;
	}
	return (s);
}

static void
tls_cert_fill(struct tls_cert *c, const gnutls_datum_t *der)
{
	gnutls_x509_crt_t	 crt;
	gnutls_datum_t		 d;
	unsigned char		 buf[128];
	size_t			 len;
	unsigned		 bits = 0;
	int			 pk, sig;

	memset(c, 0, sizeof *c);
	if (gnutls_x509_crt_init(&crt) < 0)
		goto done;
	if (gnutls_x509_crt_import(crt, der, GNUTLS_X509_FMT_DER) < 0) {
		c->subject = xstrdup("(certificate could not be parsed)");
		gnutls_x509_crt_deinit(crt);
		goto done;
	}
	if (gnutls_x509_crt_get_dn3(crt, &d, 0) >= 0)
		c->subject = tls_datum_vis(&d);
	if (gnutls_x509_crt_get_issuer_dn3(crt, &d, 0) >= 0)
		c->issuer = tls_datum_vis(&d);
	len = sizeof buf;
	if (gnutls_x509_crt_get_serial(crt, buf, &len) >= 0)
		c->serial = tls_hex(buf, len, "");
	c->not_before = gnutls_x509_crt_get_activation_time(crt);
	c->not_after = gnutls_x509_crt_get_expiration_time(crt);
	c->sans = tls_cert_sans(crt);
	pk = gnutls_x509_crt_get_pk_algorithm(crt, &bits);
	c->key = xasprintf("%s %u bits", pk >= 0 ?
	    gnutls_pk_algorithm_get_name(pk) : "unknown", bits);
	sig = gnutls_x509_crt_get_signature_algorithm(crt);
	c->sigalg = xstrdup(sig >= 0 && gnutls_sign_get_name(sig) != NULL ?
	    gnutls_sign_get_name(sig) : "unknown");
	len = sizeof buf;
	if (gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA256, buf, &len) >= 0)
		c->sha256 = tls_hex(buf, len, ":");
	if (gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &d) >= 0)
		c->pem = tls_datum_str(&d);
	c->self_signed = c->subject != NULL && c->issuer != NULL &&
	    strcmp(c->subject, c->issuer) == 0;
	gnutls_x509_crt_deinit(crt);
done:
	/* Every field is shown, so none may be NULL. */
	if (c->subject == NULL)
		c->subject = xstrdup("");
	if (c->issuer == NULL)
		c->issuer = xstrdup("");
	if (c->serial == NULL)
		c->serial = xstrdup("");
	if (c->sans == NULL)
		c->sans = xstrdup("");
	if (c->key == NULL)
		c->key = xstrdup("unknown");
	if (c->sigalg == NULL)
		c->sigalg = xstrdup("unknown");
	if (c->sha256 == NULL)
		c->sha256 = xstrdup("");
	if (c->pem == NULL)
		c->pem = xstrdup("");
}

static void
tls_add_word(char **s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
tls_add_word(char **s, const char *fmt, ...)
{
	va_list	 ap;
	char	*w, *t;

	va_start(ap, fmt);
	if (vasprintf(&w, fmt, ap) == -1)
		w = NULL;
	va_end(ap);
	if (w == NULL)
		return;
	t = xasprintf("%s%s%s", *s ? *s : "", *s ? "; " : "", w);
	free(w);
	free(*s);
	*s = t;
}

/* "CN=name" from a DN for short messages (the whole DN when it has no CN). */
static const char *
tls_cn(const struct tls_cert *c)
{
	static char	 buf[4][256];
	static int	 which;
	const char	*p = c->subject, *q;
	char		*b;
	size_t		 n;

	while ((q = strstr(p, "CN=")) != NULL && q != c->subject && q[-1] != ',')
		p = q + 3;
	if (q == NULL)
		return (c->subject);
	b = buf[which++ % 4];
	/* Up to the next comma that is not escaped. */
	for (n = 0; q[n] != '\0' && n < sizeof buf[0] - 1; n++) {
		if (q[n] == ',' && (n == 0 || q[n - 1] != '\\'))
			break;
		b[n] = q[n];
	}
	b[n] = '\0';
	return (b);
}

static void
tls_date(time_t t, char *buf, size_t len)
{
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

/* Verify chain and name, and say what is wrong in words a person can act on. */
static void
tls_verify(struct tls *t, struct tls_info *in)
{
	unsigned	 status = 0;
	time_t		 now = time(NULL);
	size_t		 i, last = in->ncerts ? in->ncerts - 1 : 0;
	char		*why = NULL, date[32];
	int		 ret;

	in->fail_index = -1;
	in->name = xstrdup(t->name);
	if (in->ncerts == 0) {
		in->problems = TLS_P_OTHER;
		in->verdict = xstrdup("NOT verified: the server sent no certificate");
		return;
	}
	ret = gnutls_certificate_verify_peers3(t->session, t->name, &status);
	if (ret < 0) {
		in->problems = TLS_P_OTHER;
		in->verdict = xasprintf("NOT verified: %s", gnutls_strerror(ret));
		return;
	}
	if (status == 0) {
		in->verified = 1;
		in->verdict = xasprintf("verified: chain trusted, name %s matches",
		    t->name);
		return;
	}
	if (status & GNUTLS_CERT_EXPIRED) {
		in->problems |= TLS_P_EXPIRED;
		for (i = 0; i < in->ncerts; i++) {
			if (in->certs[i].not_after < now)
				break;
		}
		if (i == in->ncerts)
			i = 0;
		tls_date(in->certs[i].not_after, date, sizeof date);
		tls_add_word(&why, "certificate [%zu] (%s) expired on %s, %ld days "
		    "ago", i, tls_cn(&in->certs[i]), date,
		    -tls_days_left(in->certs[i].not_after));
		if (in->fail_index < 0)
			in->fail_index = i;
	}
	if (status & GNUTLS_CERT_NOT_ACTIVATED) {
		in->problems |= TLS_P_NOT_YET_VALID;
		for (i = 0; i < in->ncerts; i++) {
			if (in->certs[i].not_before > now)
				break;
		}
		if (i == in->ncerts)
			i = 0;
		tls_date(in->certs[i].not_before, date, sizeof date);
		tls_add_word(&why, "certificate [%zu] (%s) is not valid before %s",
		    i, tls_cn(&in->certs[i]), date);
		if (in->fail_index < 0)
			in->fail_index = i;
	}
	if (status & GNUTLS_CERT_UNEXPECTED_OWNER) {
		in->problems |= TLS_P_NAME;
		tls_add_word(&why, "name mismatch: certificate [0] (%s) is not valid "
		    "for %s (it names %s)", tls_cn(&in->certs[0]), t->name,
		    *in->certs[0].sans ? in->certs[0].sans : "no alternative names");
		if (in->fail_index < 0)
			in->fail_index = 0;
	}
	if (status & GNUTLS_CERT_REVOKED) {
		in->problems |= TLS_P_REVOKED;
		tls_add_word(&why, "a certificate in the chain has been revoked");
	}
	if (status & GNUTLS_CERT_SIGNER_NOT_FOUND) {
		if (in->ncerts == 1 && in->certs[0].self_signed) {
			in->problems |= TLS_P_SELF_SIGNED;
			tls_add_word(&why, "self-signed: certificate [0] (%s) signed "
			    "itself and is not in the trust store", tls_cn(&in->certs[0]));
			if (in->fail_index < 0)
				in->fail_index = 0;
		} else {
			in->problems |= TLS_P_UNKNOWN_ISSUER;
			tls_add_word(&why, "unknown issuer: certificate [%zu] (%s) was "
			    "issued by %s, which is not a trusted CA", last,
			    tls_cn(&in->certs[last]), in->certs[last].issuer);
			if (in->fail_index < 0)
				in->fail_index = last;
		}
	}
	if (status & ~(GNUTLS_CERT_INVALID | GNUTLS_CERT_EXPIRED |
	    GNUTLS_CERT_NOT_ACTIVATED | GNUTLS_CERT_UNEXPECTED_OWNER |
	    GNUTLS_CERT_REVOKED | GNUTLS_CERT_SIGNER_NOT_FOUND)) {
		gnutls_datum_t	out;

		in->problems |= TLS_P_OTHER;
		if (gnutls_certificate_verification_status_print(status & ~(
		    GNUTLS_CERT_EXPIRED | GNUTLS_CERT_NOT_ACTIVATED |
		    GNUTLS_CERT_UNEXPECTED_OWNER | GNUTLS_CERT_REVOKED |
		    GNUTLS_CERT_SIGNER_NOT_FOUND), GNUTLS_CRT_X509, &out, 0) >= 0) {
			char	*s = tls_datum_str(&out);

			tls_add_word(&why, "%s", s);
			free(s);
		}
	}
	if (why == NULL)
		why = xstrdup("the chain did not verify");
	in->verdict = xasprintf("NOT verified: %s", why);
	free(why);
}

static const char *
tls_ocsp(gnutls_session_t s)
{
	if (!gnutls_ocsp_status_request_is_checked(s, GNUTLS_OCSP_SR_IS_AVAIL))
		return ("no OCSP response stapled");
	if (gnutls_ocsp_status_request_is_checked(s, 0))
		return ("OCSP response stapled and valid");
	return ("OCSP response stapled but NOT valid");
}

static struct tls_info *
tls_build_info(struct tls *t)
{
	struct tls_info		*in;
	const gnutls_datum_t	*chain;
	unsigned		 n = 0, i;
	const char		*name;
	gnutls_group_t		 group;

	in = xcalloc(1, sizeof *in);
	name = gnutls_protocol_get_name(gnutls_protocol_get_version(t->session));
	in->protocol = xstrdup(name != NULL ? name : "unknown");
	name = gnutls_ciphersuite_get(t->session);
	in->cipher = xstrdup(name != NULL ? name : "unknown");
	group = gnutls_group_get(t->session);
	if (group != 0 && (name = gnutls_group_get_name(group)) != NULL)
		in->kx = xstrdup(name);
	else if ((name = gnutls_kx_get_name(gnutls_kx_get(t->session))) != NULL)
		in->kx = xstrdup(name);
	else
		in->kx = xstrdup("unknown");
	in->resumed = gnutls_session_is_resumed(t->session);

	chain = gnutls_certificate_get_peers(t->session, &n);
	if (chain != NULL && n > 0) {
		in->ncerts = n;
		in->certs = xcalloc(n, sizeof *in->certs);
		for (i = 0; i < n; i++)
			tls_cert_fill(&in->certs[i], &chain[i]);
	}
	tls_verify(t, in);
	in->ocsp = xstrdup(tls_ocsp(t->session));
	return (in);
}

struct tls_info *
tls_info_from_der(const void *der, size_t len)
{
	struct tls_info	*in;
	gnutls_datum_t	 d;

	in = xcalloc(1, sizeof *in);
	in->protocol = xstrdup("(no TLS session)");
	in->cipher = xstrdup("certificate read from DER");
	in->kx = xstrdup("none");
	in->ocsp = xstrdup("no OCSP response stapled");
	in->name = xstrdup("");
	in->verdict = xstrdup("NOT verified: a certificate read on its own");
	in->problems = TLS_P_OTHER;
	in->fail_index = -1;
	in->ncerts = 1;
	in->certs = xcalloc(1, sizeof *in->certs);
	/* GnuTLS only reads the datum; its type is not const. */
	d.data = (unsigned char *)(uintptr_t)der;
	d.size = len > UINT_MAX ? UINT_MAX : (unsigned)len;
	tls_cert_fill(&in->certs[0], &d);
	return (in);
}

/* Did the server answer our ClientHello with an SMTP reply in plain text? */
int
tls_plain_answer(const struct tls *t)
{
	return (tls_first_is_smtp(t));
}

static int
tls_first_is_smtp(const struct tls *t)
{
	return (t->nfirst >= 4 && t->first[0] >= '2' && t->first[0] <= '5' &&
	    t->first[1] >= '0' && t->first[1] <= '9' &&
	    t->first[2] >= '0' && t->first[2] <= '9' &&
	    (t->first[3] == ' ' || t->first[3] == '-'));
}

static void
tls_explain_failure(struct tls *t, int ret, char **errstr, char **hint)
{
	const char	*alert = NULL;
	int		 a = -1;
	char		 text[TLS_FIRST_MAX + 1];
	size_t		 i;

	if (ret == GNUTLS_E_FATAL_ALERT_RECEIVED) {
		a = gnutls_alert_get(t->session);
		alert = gnutls_alert_get_name(a);
	}
	if (tls_first_is_smtp(t)) {
		for (i = 0; i < t->nquote && t->quote[i] != '\r' &&
		    t->quote[i] != '\n'; i++)
			text[i] = t->quote[i] >= 0x20 && t->quote[i] < 0x7f ?
			    t->quote[i] : '?';
		text[i] = '\0';
		*errstr = xasprintf("TLS handshake failed: the server answered in plain "
		    "text (\"%s\")", text);
		*hint = xstrdup("this port speaks plain SMTP, not implicit TLS: "
		    "connect without --tls and use STARTTLS (--starttls)");
		return;
	}
	if (alert != NULL)
		*errstr = xasprintf("TLS handshake failed: the server sent the alert "
		    "\"%s\"", alert);
	else
		*errstr = xasprintf("TLS handshake failed: %s", gnutls_strerror(ret));

	if (a == GNUTLS_A_PROTOCOL_VERSION ||
	    ret == GNUTLS_E_UNSUPPORTED_VERSION_PACKET)
		*hint = xasprintf("no TLS version in common: we offered %s; try "
		    "another --tls-version or drop the pin", t->offered);
	else if (a == GNUTLS_A_HANDSHAKE_FAILURE ||
	    a == GNUTLS_A_INSUFFICIENT_SECURITY || ret == GNUTLS_E_NO_CIPHER_SUITES ||
	    ret == GNUTLS_E_INSUFFICIENT_SECURITY ||
	    ret == GNUTLS_E_UNKNOWN_CIPHER_SUITE || ret == GNUTLS_E_NO_COMMON_KEY_SHARE)
		*hint = xasprintf("no cipher suite or key exchange in common (we "
		    "offered %s): check --priority and the server's TLS settings",
		    t->offered);
	else if (ret == GNUTLS_E_PREMATURE_TERMINATION ||
	    ret == GNUTLS_E_PULL_ERROR || ret == GNUTLS_E_PUSH_ERROR)
		*hint = xasprintf("the server hung up during the handshake: most "
		    "likely no TLS version or cipher in common (we offered %s), or it "
		    "does not speak TLS on this port", t->offered);
	else if (ret == GNUTLS_E_UNEXPECTED_PACKET_LENGTH ||
	    ret == GNUTLS_E_UNEXPECTED_PACKET)
		*hint = xstrdup("the server did not answer with TLS: is this the "
		    "right port for implicit TLS?");
	else if (ret == GNUTLS_E_CERTIFICATE_REQUIRED || a == GNUTLS_A_CERTIFICATE_REQUIRED)
		*hint = xstrdup("the server wants a client certificate: use --cert "
		    "and --key");
}

int
tls_handshake(struct tls *t, char **errstr, char **hint)
{
	int	ret;

	for (;;) {
		ret = gnutls_handshake(t->session);
		if (ret == 0)
			break;
		if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
			return (gnutls_record_get_direction(t->session) ?
			    TLS_WANT_WRITE : TLS_WANT_READ);
		if (!gnutls_error_is_fatal(ret))
			continue;
		*hint = NULL;
		tls_explain_failure(t, ret, errstr, hint);
		return (TLS_ERROR);
	}
	t->info = tls_build_info(t);
	return (TLS_OK);
}

ssize_t
tls_recv(struct tls *t, void *buf, size_t len, char **errstr)
{
	ssize_t	n;

	n = gnutls_record_recv(t->session, buf, len);
	if (n >= 0)
		return (n);
	if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
		return (gnutls_record_get_direction(t->session) ?
		    TLS_WANT_WRITE : TLS_WANT_READ);
	if (n == GNUTLS_E_PREMATURE_TERMINATION)
		return (0);
	if (n == GNUTLS_E_REHANDSHAKE || !gnutls_error_is_fatal(n))
		return (TLS_WANT_READ);
	*errstr = xasprintf("TLS read failed: %s", gnutls_strerror(n));
	return (TLS_ERROR);
}

ssize_t
tls_send(struct tls *t, const void *buf, size_t len, char **errstr)
{
	ssize_t	n;

	n = gnutls_record_send(t->session, buf, len);
	if (n >= 0)
		return (n);
	if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
		return (gnutls_record_get_direction(t->session) ?
		    TLS_WANT_WRITE : TLS_WANT_READ);
	*errstr = xasprintf("TLS write failed: %s", gnutls_strerror(n));
	return (TLS_ERROR);
}

size_t
tls_pending(struct tls *t)
{
	return (gnutls_record_check_pending(t->session));
}

struct tls_info *
tls_take_info(struct tls *t)
{
	struct tls_info	*in = t->info;

	t->info = NULL;
	return (in);
}

void
tls_info_free(struct tls_info *in)
{
	size_t	i;

	if (in == NULL)
		return;
	for (i = 0; i < in->ncerts; i++) {
		struct tls_cert	*c = &in->certs[i];

		free(c->subject);
		free(c->issuer);
		free(c->serial);
		free(c->sans);
		free(c->key);
		free(c->sigalg);
		free(c->sha256);
		free(c->pem);
	}
	free(in->certs);
	free(in->protocol);
	free(in->cipher);
	free(in->kx);
	free(in->ocsp);
	free(in->name);
	free(in->verdict);
	free(in);
}

void
tls_close(struct tls *t)
{
	if (t == NULL)
		return;
	if (t->session != NULL) {
		/* Best effort: a non-blocking close_notify, never waited for. */
		gnutls_bye(t->session, GNUTLS_SHUT_WR);
		gnutls_deinit(t->session);
	}
	if (t->prio != NULL)
		gnutls_priority_deinit(t->prio);
	if (t->cred != NULL)
		gnutls_certificate_free_credentials(t->cred);
	tls_info_free(t->info);
	free(t->host);
	free(t->name);
	free(t->offered);
	free(t);
}
