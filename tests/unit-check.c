/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Unit tests of the server check's pure parts: port lists, DNS answers, the JSON
 * writer's escaping, and the verdict with the command line it suggests. */
#include "config.h"

#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dns.h"
#include "json.h"
#include "unit.h"
#include "unit-dns.h"
#include "xmalloc.h"

static const char *const bad[] = {
	"", ",", "25,", ",25", "25,,587", "0", "65536", "25 ", " 25", "x", "25,x", "-1",
	"+25", "25,25", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17"
};

static void
test_ports(void)
{
	int	*p = NULL;
	size_t	 n = 0, i;
	char	*err = NULL;

	CHECK(check_ports_parse("25,465,587", &p, &n, &err) == 0);
	CHECK(n == 3 && p[0] == 25 && p[1] == 465 && p[2] == 587);
	free(p);
	CHECK(check_ports_parse("2525", &p, &n, &err) == 0 && n == 1 && p[0] == 2525);
	free(p);
	CHECK(check_ports_parse("65535,1", &p, &n, &err) == 0 && n == 2);
	free(p);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err = NULL;
		p = NULL;
		CHECK(check_ports_parse(bad[i], &p, &n, &err) == -1);
		CHECK(err != NULL && p == NULL);
		free(err);
	}
}

/* An answer record for the question's name: an MX (pref >= 0) or a name (CNAME, PTR). */
static void
pkt_rr(struct pkt *k, unsigned type, int pref, const char *target)
{
	size_t	len_at = pkt_rr_start(k, type);

	if (pref >= 0)
		put16(k, pref);
	put_name(k, target);
	pkt_rr_end(k, len_at);
}

static void
test_dns(void)
{
	struct pkt	 k;
	struct dns_mx	*mx;
	size_t		 n;
	char		*err = NULL, *ptr;

	pkt_start(&k, 0, 3, "example.org", 15);
	pkt_rr(&k, 15, 20, "mx2.example.org");
	pkt_rr(&k, 15, 10, "mx1.example.org");
	pkt_rr(&k, 15, 20, "mx0.example.org");
	CHECK(dns_mx_parse(k.b, (int)k.n, &mx, &n, &err) == DNS_OK);
	CHECK(n == 3);
	if (n == 3) {
		CHECK(mx[0].pref == 10);
		CHECK_STR(mx[0].host, "mx1.example.org");
		CHECK_STR(mx[1].host, "mx0.example.org");
		CHECK_STR(mx[2].host, "mx2.example.org");
	}
	dns_mx_free(mx, n);

	/* A CNAME in the answer is skipped. */
	pkt_start(&k, 0, 2, "example.org", 15);
	pkt_rr(&k, 5, -1, "alias.example.org");
	pkt_rr(&k, 15, 5, "mail.example.org");
	CHECK(dns_mx_parse(k.b, (int)k.n, &mx, &n, &err) == DNS_OK && n == 1);
	dns_mx_free(mx, n);

	pkt_start(&k, 0, 1, "example.org", 15);
	pkt_rr(&k, 15, 0, "");
	CHECK(dns_mx_parse(k.b, (int)k.n, &mx, &n, &err) == DNS_NULLMX);
	CHECK(mx == NULL && n == 0);

	pkt_start(&k, 3, 0, "example.org", 15);
	CHECK(dns_mx_parse(k.b, (int)k.n, &mx, &n, &err) == DNS_NXDOMAIN);
	pkt_start(&k, 0, 0, "example.org", 15);
	CHECK(dns_mx_parse(k.b, (int)k.n, &mx, &n, &err) == DNS_NODATA);
	pkt_start(&k, 2, 0, "example.org", 15);
	err = NULL;
	CHECK(dns_mx_parse(k.b, (int)k.n, &mx, &n, &err) == DNS_FAIL && err != NULL);
	free(err);

	/* Cut short: an answer promised but missing, or a header alone. */
	pkt_start(&k, 0, 1, "example.org", 15);
	err = NULL;
	CHECK(dns_mx_parse(k.b, (int)k.n, &mx, &n, &err) == DNS_FAIL && err != NULL);
	free(err);
	err = NULL;
	CHECK(dns_mx_parse(k.b, 5, &mx, &n, &err) == DNS_FAIL && err != NULL);
	free(err);

	pkt_start(&k, 0, 1, "example.org", 12);
	pkt_rr(&k, 12, -1, "host.example.net");
	ptr = dns_ptr_parse(k.b, (int)k.n);
	CHECK_STR(ptr, "host.example.net");
	free(ptr);
	/* A control byte in a name comes back escaped, never raw. */
	pkt_start(&k, 0, 1, "example.org", 12);
	pkt_rr(&k, 12, -1, "a\033b.example.net");
	ptr = dns_ptr_parse(k.b, (int)k.n);
	CHECK(ptr != NULL && strchr(ptr, '\033') == NULL);
	free(ptr);
	pkt_start(&k, 0, 0, "example.org", 12);
	CHECK(dns_ptr_parse(k.b, (int)k.n) == NULL);
}

static void
test_json(void)
{
	struct json	 j;
	char		*s;

	json_init(&j, 0);
	json_object(&j, NULL);
	json_str(&j, "q", "a\"b\\c");
	json_str(&j, "ctl", "\033[2J\r\n\t\x7f");
	json_strn(&j, "nul", "a\0b", 3);
	json_str(&j, "bad", "x\xff\xfey");
	json_str(&j, "utf8", "caf\xc3\xa9 \xe2\x80\xa8");
	json_null(&j, "none");
	json_array(&j, "list");
	json_int(&j, NULL, -5);
	json_bool(&j, NULL, 1);
	json_bool(&j, NULL, 0);
	json_str(&j, NULL, NULL);
	json_object(&j, NULL);
	json_end(&j);
	json_array(&j, NULL);
	json_end(&j);
	json_end(&j);
	json_end(&j);
	s = json_take(&j);
	CHECK_STR(s, "{\"q\":\"a\\\"b\\\\c\","
	    "\"ctl\":\"\\u001b[2J\\u000d\\u000a\\u0009\\u007f\","
	    "\"nul\":\"a\\u0000b\","
	    "\"bad\":\"x\\ufffd\\ufffdy\","
	    "\"utf8\":\"caf\xc3\xa9 \\u2028\","
	    "\"none\":null,"
	    "\"list\":[-5,true,false,null,{},[]]}");
	free(s);
	json_free(&j);

	json_init(&j, 1);
	json_object(&j, NULL);
	json_int(&j, "a", 1);
	json_array(&j, "b");
	json_end(&j);
	json_end(&j);
	s = json_take(&j);
	CHECK_STR(s, "{\n  \"a\": 1,\n  \"b\": []\n}\n");
	free(s);
	json_free(&j);
}

/* A report by hand: one host, one address, two ports; the verdict on it. */
static void
test_verdict(void)
{
	struct check_report	 r;
	struct check_host	 h;
	struct check_addr	 a;
	struct check_port	 p[2];
	struct check_summary	 s;
	struct tls_info		 in;
	int			 ports[2] = { 25, 587 };
	size_t			 i;
	int			 found;

	memset(&r, 0, sizeof r);
	memset(&h, 0, sizeof h);
	memset(&a, 0, sizeof a);
	memset(p, 0, sizeof p);
	memset(&in, 0, sizeof in);
	r.target = "example.org";
	r.kind = CHECK_K_HOST;
	r.mx_status = DNS_NODATA;
	r.ports = ports;
	r.nports = 2;
	r.hosts = &h;
	r.nhosts = 1;
	r.family = AF_INET;
	r.priority = "NORMAL:-VERS-TLS1.0 it's";
	h.name = "example.org";
	h.pref = -1;
	h.addrs = &a;
	h.naddrs = 1;
	strcpy(a.addr.text, "192.0.2.1");
	a.ptr = "mail.example.org";
	a.ports = p;
	p[0].port = 25;
	p[0].conn = CHECK_C_TIMEOUT;
	p[1].port = 587;
	p[1].conn = CHECK_C_OK;
	p[1].greeting_code = 220;
	p[1].greeting_name = "MAIL.example.org";
	p[1].plain.seen = 1;
	p[1].plain.starttls = 1;
	p[1].tls_tried = 1;
	p[1].tls_up = 1;
	p[1].tls_info = &in;
	p[1].versions[0].state = CHECK_TV_ACCEPTED;
	p[1].versions[3].state = CHECK_TV_ACCEPTED;
	in.verified = 1;

	check_summarize(&r, &s);
	CHECK(s.result == CHECK_R_VERIFIED);
	CHECK(s.port == &p[1]);
	CHECK_STR(s.command, "smtpcon -4 --starttls --priority "
	    "'NORMAL:-VERS-TLS1.0 it'\\''s' example.org:587");
	CHECK(check_ptr_match(&a, &p[1]) == 1);
	found = 0;
	for (i = 0; i < s.nproblems; i++) {
		if (strstr(s.problems[i], "port 25 unreachable from here") != NULL &&
		    strstr(s.problems[i], "many networks block port 25") != NULL)
			found |= 1;
		if (strstr(s.problems[i], "still accepts TLS 1.0") != NULL)
			found |= 2;
		if (strstr(s.problems[i], "no MX record") != NULL)
			found |= 4;
	}
	CHECK(found == 7);
	check_summary_free(&s);

	/* Not verified: the result says so, and so does the exit status's input. */
	in.verified = 0;
	in.verdict = "NOT verified: expired";
	p[1].versions[3].state = CHECK_TV_REFUSED;
	check_summarize(&r, &s);
	CHECK(s.result == CHECK_R_NOTLS);
	found = 0;
	for (i = 0; i < s.nproblems; i++)
		if (strstr(s.problems[i], "only accepts TLS 1.0") != NULL)
			found = 1;
	CHECK(found);
	check_summary_free(&s);

	/* Nothing answered; a null MX. */
	p[1].conn = CHECK_C_REFUSED;
	check_summarize(&r, &s);
	CHECK(s.result == CHECK_R_UNREACHABLE && s.command == NULL);
	check_summary_free(&s);
	r.mx_status = DNS_NULLMX;
	r.nhosts = 0;
	check_summarize(&r, &s);
	CHECK(s.result == CHECK_R_NOMAIL);
	check_summary_free(&s);
}

int
main(void)
{
	test_ports();
	test_dns();
	test_json();
	test_verdict();
	return (unit_done());
}
