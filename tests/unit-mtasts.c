/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Unit tests of MTA-STS and TLS-RPT parsing (src/mtasts.c), TXT answers (src/dns.c) and
 * what an enforcing sender does with an MX (check_sts_host, src/check-sts.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dns.h"
#include "mtasts.h"
#include "unit.h"
#include "unit-dns.h"

static void
test_txt_record(void)
{
	static const char *const bad[] = {
		"v=STSv1", "v=STSv1;", "v=STSv1; id=", "v=STSv1; id=abc-def",
		"v=STSv1; id=123456789012345678901234567890123", "v=STSv1;; id=1",
		"v=STSv1; id=1; bogus", "v=STSv1; id=1; =x", "v=STSv1; id=1; x="
	};
	char	*id, *err;
	size_t	 i;

	CHECK(mtasts_txt_parse("v=STSv1; id=20261201", &id, &err) == 1);
	CHECK_STR(id, "20261201");
	free(id);
	CHECK(mtasts_txt_parse("v=STSv1;id=abc123;", &id, &err) == 1);
	CHECK_STR(id, "abc123");
	free(id);
	/* Extensions are allowed; the first id counts. */
	CHECK(mtasts_txt_parse("v=STSv1 ; ext_1=yes ; id=A1 ; id=B2", &id, &err) == 1);
	CHECK_STR(id, "A1");
	free(id);
	CHECK(mtasts_txt_parse("v=spf1 -all", &id, &err) == 0 && id == NULL);
	CHECK(mtasts_txt_parse("v=STSv10; id=1", &id, &err) == 0);
	CHECK(mtasts_txt_parse("", &id, &err) == 0);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err = NULL;
		CHECK(mtasts_txt_parse(bad[i], &id, &err) == -1);
		CHECK(id == NULL && err != NULL);
		free(err);
	}
}

static int
parse(const char *text, struct mtasts_policy *p, char **err)
{
	*err = NULL;
	return (mtasts_policy_parse(text, strlen(text), p, err));
}

static void
test_policy(void)
{
	struct mtasts_policy	 p;
	char			*err;

	CHECK(parse("version: STSv1\r\nmode: enforce\r\nmx: mx1.example.net\r\n"
	    "mx: *.example.org\r\nmax_age: 604800\r\n", &p, &err) == 0);
	CHECK(p.mode == MTASTS_M_ENFORCE && p.max_age == 604800 && p.nmx == 2);
	if (p.nmx == 2) {
		CHECK_STR(p.mx[0], "mx1.example.net");
		CHECK_STR(p.mx[1], "*.example.org");
	}
	CHECK_STR(mtasts_policy_match(&p, "MX1.example.net."), "mx1.example.net");
	CHECK_STR(mtasts_policy_match(&p, "a.example.org"), "*.example.org");
	CHECK(mtasts_policy_match(&p, "mx2.example.net") == NULL);
	CHECK(mtasts_policy_match(&p, "a.b.example.org") == NULL);
	mtasts_policy_free(&p);

	/* LF alone, spaces around values, no final newline, unknown keys ignored. */
	CHECK(parse("version:STSv1\nmode:   testing  \nfoo: bar\nmx: mx.example.net\n"
	    "max_age: 86400", &p, &err) == 0);
	CHECK(p.mode == MTASTS_M_TESTING && p.max_age == 86400 && p.nmx == 1);
	mtasts_policy_free(&p);
	/* Mode none needs no mx; the first of a repeated key counts. */
	CHECK(parse("version: STSv1\nmode: none\nmode: enforce\nmax_age: 0\n", &p,
	    &err) == 0);
	CHECK(p.mode == MTASTS_M_NONE && p.max_age == 0 && p.nmx == 0);
	mtasts_policy_free(&p);

	CHECK(parse("version: STSv1\nmode enforce\nmx: a.example\nmax_age: 1\n", &p,
	    &err) == -1);
	CHECK_STR(err, "line 2: no colon (\"key: value\" wanted)");
	free(err);
	CHECK(parse("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n", &p,
	    &err) == -1);
	CHECK_STR(err, "line 1: version \"STSv2\", not STSv1");
	free(err);
	CHECK(parse("version: STSv1\nmode: strict\nmx: a.example\nmax_age: 1\n", &p,
	    &err) == -1 && err != NULL);
	free(err);
	CHECK(parse("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1\n", &p,
	    &err) == -1 && err != NULL);
	free(err);
	CHECK(parse("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601\n",
	    &p, &err) == -1 && err != NULL);
	free(err);
	CHECK(parse("version: STSv1\nmode: enforce\nmax_age: 60\n", &p, &err) == -1);
	CHECK_STR(err, "mode enforce and no mx line");
	free(err);
	CHECK(parse("mode: enforce\nmx: a.example\nmax_age: 60\n", &p, &err) == -1);
	CHECK_STR(err, "no version line");
	free(err);
	CHECK(parse("version: STSv1\nmode: enforce\nmx: a..example\nmax_age: 60\n", &p,
	    &err) == -1 && err != NULL);
	free(err);
	CHECK(parse("version: STSv1\nmode: enforce\nmx: a.*.example\nmax_age: 60\n", &p,
	    &err) == -1 && err != NULL);
	free(err);
	/* An HTML error page is not a policy. */
	CHECK(parse("<html><body>Not Found</body></html>\n", &p, &err) == -1);
	CHECK_STR(err, "line 1: no colon (\"key: value\" wanted)");
	free(err);
	err = NULL;
	CHECK(mtasts_policy_parse("version: STSv1\0x", 16, &p, &err) == -1 && err != NULL);
	free(err);
}

static void
test_match(void)
{
	CHECK(mtasts_mx_match("mx.example.net", "mx.example.net"));
	CHECK(mtasts_mx_match("mx.example.net", "MX.Example.NET."));
	CHECK(!mtasts_mx_match("mx.example.net", "mx.example.ne"));
	CHECK(!mtasts_mx_match("mx.example.net", "xmx.example.net"));
	CHECK(mtasts_mx_match("*.example.net", "mx1.example.net"));
	CHECK(mtasts_mx_match("*.example.net", "MX1.EXAMPLE.NET."));
	/* Exactly one leftmost label: not two, not none. */
	CHECK(!mtasts_mx_match("*.example.net", "a.mx1.example.net"));
	CHECK(!mtasts_mx_match("*.example.net", "example.net"));
	CHECK(!mtasts_mx_match("*.example.net", ".example.net"));
	CHECK(!mtasts_mx_match("*.example.net", "mx1.example.network"));
	CHECK(!mtasts_mx_match("*.example.net", "mx1.xexample.net"));
	CHECK(!mtasts_mx_match("*.example.net", ""));
}

static void
test_tlsrpt(void)
{
	char	**rua, *err;
	size_t	  n;

	CHECK(mtasts_tlsrpt_parse("v=TLSRPTv1; rua=mailto:tlsrpt@example.net", &rua, &n,
	    &err) == 1 && n == 1);
	if (n == 1)
		CHECK_STR(rua[0], "mailto:tlsrpt@example.net");
	mtasts_rua_free(rua, n);
	CHECK(mtasts_tlsrpt_parse("v=TLSRPTv1;rua=mailto:a@example.net, "
	    "https://r.example.net/v1;", &rua, &n, &err) == 1 && n == 2);
	if (n == 2)
		CHECK_STR(rua[1], "https://r.example.net/v1");
	mtasts_rua_free(rua, n);
	CHECK(mtasts_tlsrpt_parse("v=STSv1; id=1", &rua, &n, &err) == 0 && n == 0);
	err = NULL;
	CHECK(mtasts_tlsrpt_parse("v=TLSRPTv1", &rua, &n, &err) == -1 && err != NULL);
	free(err);
	err = NULL;
	CHECK(mtasts_tlsrpt_parse("v=TLSRPTv1; rua=ftp://x", &rua, &n, &err) == -1);
	CHECK(rua == NULL && n == 0 && err != NULL);
	free(err);
}

/* One TXT record of strings (each at most 255 bytes), a NULL-ended list. */
static void
pkt_txt(struct pkt *k, unsigned type, const char *const *strs)
{
	size_t	len_at = pkt_rr_start(k, type), l;

	for (; *strs != NULL; strs++) {
		l = strlen(*strs);
		k->b[k->n++] = l;
		memcpy(k->b + k->n, *strs, l);
		k->n += l;
	}
	pkt_rr_end(k, len_at);
}

static void
test_dns_txt(void)
{
	static const char *const one[] = { "v=STSv1; id=1", NULL };
	static const char *const split[] = { "v=STSv1; ", "id=2026", NULL };
	static const char *const ctl[] = { "a\033b\n", NULL };
	static const char *const cname[] = { "\005alias", NULL };
	struct pkt	 k;
	char		**txt, *err = NULL;
	size_t		 n;

	pkt_start(&k, 0, 2, "_mta-sts.example.org", 16);
	pkt_txt(&k, 16, one);
	pkt_txt(&k, 16, split);
	CHECK(dns_txt_parse(k.b, (int)k.n, &txt, &n, &err) == DNS_OK && n == 2);
	if (n == 2) {
		CHECK_STR(txt[0], "v=STSv1; id=1");
		/* Strings of one record are joined with nothing between. */
		CHECK_STR(txt[1], "v=STSv1; id=2026");
	}
	dns_txt_free(txt, n);
	/* A control byte never comes back raw; a CNAME is skipped. */
	pkt_start(&k, 0, 2, "_mta-sts.example.org", 16);
	pkt_txt(&k, 5, cname);
	pkt_txt(&k, 16, ctl);
	CHECK(dns_txt_parse(k.b, (int)k.n, &txt, &n, &err) == DNS_OK && n == 1);
	if (n == 1)
		CHECK_STR(txt[0], "a?b?");
	dns_txt_free(txt, n);
	pkt_start(&k, 3, 0, "_mta-sts.example.org", 16);
	CHECK(dns_txt_parse(k.b, (int)k.n, &txt, &n, &err) == DNS_NXDOMAIN);
	pkt_start(&k, 0, 0, "_mta-sts.example.org", 16);
	CHECK(dns_txt_parse(k.b, (int)k.n, &txt, &n, &err) == DNS_NODATA);
	CHECK(txt == NULL && n == 0);
	pkt_start(&k, 2, 0, "_mta-sts.example.org", 16);
	CHECK(dns_txt_parse(k.b, (int)k.n, &txt, &n, &err) == DNS_FAIL && err != NULL);
	free(err);
	err = NULL;
	CHECK(dns_txt_parse(k.b, 5, &txt, &n, &err) == DNS_FAIL && err != NULL);
	free(err);
	/* A string said longer than its record: cut at the record's end. */
	pkt_start(&k, 0, 1, "_mta-sts.example.org", 16);
	pkt_txt(&k, 16, one);
	k.b[k.n - 14] = 200;
	CHECK(dns_txt_parse(k.b, (int)k.n, &txt, &n, &err) == DNS_OK && n == 1);
	if (n == 1)
		CHECK_STR(txt[0], "v=STSv1; id=1");
	dns_txt_free(txt, n);
}

/* What an enforcing sender does with one MX, from a report made by hand. */
static void
test_sender(void)
{
	static char		*mx[] = { "*.mail.example" };
	struct sts		 st;
	struct check_report	 r;
	struct check_host	 h;
	struct check_addr	 a;
	struct check_port	 p;
	struct tls_info		 in;
	int			 ports[] = { 25 }, other[] = { 587 };
	const char		*pat;
	char			*why;

	memset(&st, 0, sizeof st);
	memset(&r, 0, sizeof r);
	memset(&h, 0, sizeof h);
	memset(&a, 0, sizeof a);
	memset(&p, 0, sizeof p);
	memset(&in, 0, sizeof in);
	st.have_policy = 1;
	st.policy.mode = MTASTS_M_ENFORCE;
	st.policy.mx = mx;
	st.policy.nmx = 1;
	r.sts = &st;
	r.ports = ports;
	r.nports = 1;
	r.hosts = &h;
	r.nhosts = 1;
	h.name = "mx1.mail.example";
	h.addrs = &a;
	h.naddrs = 1;
	a.ports = &p;
	p.port = 25;
	p.conn = CHECK_C_OK;
	p.plain.seen = 1;
	p.plain.starttls = 1;
	p.tls_up = 1;
	p.tls_info = &in;
	in.verified = 1;

	CHECK(check_sts_host(&r, &h, &pat, &why) == STS_DELIVER);
	CHECK_STR(pat, "*.mail.example");
	CHECK_STR(why, "delivers: STARTTLS on port 25 with a certificate valid for "
	    "mx1.mail.example");
	free(why);
	in.verified = 0;
	in.verdict = "NOT verified: expired 3 days ago";
	CHECK(check_sts_host(&r, &h, &pat, &why) == STS_REFUSE);
	CHECK_STR(why, "refuses: the certificate on port 25 is not valid for "
	    "mx1.mail.example (expired 3 days ago)");
	free(why);
	p.tls_up = 0;
	p.tls_info = NULL;
	p.plain.starttls = 0;
	CHECK(check_sts_host(&r, &h, &pat, &why) == STS_REFUSE);
	CHECK_STR(why, "refuses: no TLS on port 25 (STARTTLS not offered)");
	free(why);
	p.conn = CHECK_C_TIMEOUT;
	CHECK(check_sts_host(&r, &h, &pat, &why) == STS_UNKNOWN);
	CHECK(why != NULL && strstr(why, "could not be reached") != NULL);
	free(why);
	r.ports = other;
	CHECK(check_sts_host(&r, &h, &pat, &why) == STS_UNKNOWN);
	CHECK(why != NULL && strstr(why, "port 25 was not checked") != NULL);
	free(why);
	r.ports = ports;
	h.name = "mx1.other.example";
	CHECK(check_sts_host(&r, &h, &pat, &why) == STS_REFUSE && pat == NULL);
	CHECK_STR(why, "refuses: mx1.other.example is not in the policy (no mx "
	    "pattern matches it)");
	free(why);
	/* Mode none, no policy, no MTA-STS at all: nothing to judge. */
	st.policy.mode = MTASTS_M_NONE;
	CHECK(check_sts_host(&r, &h, &pat, &why) == STS_NA && why == NULL);
	st.policy.mode = MTASTS_M_ENFORCE;
	st.have_policy = 0;
	CHECK(check_sts_host(&r, &h, &pat, &why) == STS_NA && why == NULL);
	r.sts = NULL;
	CHECK(check_sts_host(&r, &h, &pat, &why) == STS_NA && why == NULL);
	CHECK_STR(check_sts_verdict_name(STS_REFUSE), "refuse");
	CHECK(check_sts_verdict_name(STS_NA) == NULL);
}

/* The judgement of one connection (what the session says), and max_age in words. */
static void
test_judge(void)
{
	static char	*mx[] = { "mx1.example.org" };
	struct sts	 st;
	const char	*pat;
	char		*why, *age;

	memset(&st, 0, sizeof st);
	CHECK(sts_judge(&st, "mx1.example.org", STS_TLS_VERIFIED, NULL, &pat, &why) ==
	    STS_NA && why == NULL && pat == NULL);
	st.have_policy = 1;
	st.policy.mode = MTASTS_M_TESTING;
	st.policy.mx = mx;
	st.policy.nmx = 1;
	CHECK(sts_in_force(&st));
	CHECK(sts_judge(&st, "MX1.example.org.", STS_TLS_UNKNOWN, NULL, &pat, &why) ==
	    STS_UNKNOWN && why == NULL);
	CHECK_STR(pat, "mx1.example.org");
	CHECK(sts_judge(&st, "mx1.example.org", STS_TLS_BADCERT,
	    "NOT verified: expired", &pat, &why) == STS_REFUSE);
	CHECK_STR(why, "refuses: the certificate on port 25 is not valid for "
	    "mx1.example.org (expired)");
	free(why);
	CHECK(sts_judge(&st, "mx1.example.org", STS_TLS_NONE, "STARTTLS refused", &pat,
	    &why) == STS_REFUSE);
	CHECK_STR(why, "refuses: no TLS on port 25 (STARTTLS refused)");
	free(why);
	CHECK(sts_judge(&st, "mx2.example.org", STS_TLS_VERIFIED, NULL, &pat, &why) ==
	    STS_REFUSE && pat == NULL);
	CHECK_STR(why, "refuses: mx2.example.org is not in the policy (no mx pattern "
	    "matches it)");
	free(why);
	st.policy.mode = MTASTS_M_NONE;
	CHECK(!sts_in_force(&st));
	CHECK_STR((age = sts_age_text(604800)), "604800 s (7 days)");
	free(age);
	CHECK_STR((age = sts_age_text(86400)), "86400 s (1 day)");
	free(age);
	CHECK_STR((age = sts_age_text(300)), "300 s");
	free(age);
}

int
main(void)
{
	test_txt_record();
	test_policy();
	test_match();
	test_tlsrpt();
	test_dns_txt();
	test_sender();
	test_judge();
	return (unit_done());
}
