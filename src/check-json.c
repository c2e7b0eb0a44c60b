/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The server check's report as JSON for scripts (schema: README, "Server check"). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json.h"
#include "xmalloc.h"

#define CHECK_JSON_SCHEMA	2

static const char *const check_conn_names[] = {
	"not-tried", "ok", "refused", "timeout", "error"
};
static const char *const check_kind_names[] = { "domain", "host", "address" };
static const char *const check_result_names[] = {
	"verified-tls", "no-verified-tls", "unreachable", "no-mail"
};

static const char *
check_json_mx_status(int st)
{
	switch (st) {
	case DNS_OK:
		return ("ok");
	case DNS_NODATA:
		return ("none");
	case DNS_NXDOMAIN:
		return ("nxdomain");
	case DNS_NULLMX:
		return ("null");
	case DNS_FAIL:
		return ("error");
	default:
		return ("not-looked-up");
	}
}

static void
check_json_caps(struct json *j, const char *key, const struct check_caps *k)
{
	const char	*a, *e;

	if (!k->seen) {
		json_null(j, key);
		return;
	}
	json_object(j, key);
	json_bool(j, "starttls", k->starttls);
	json_bool(j, "size", k->size);
	if (k->size && k->size_max > 0)
		json_int(j, "size_max", k->size_max);
	else
		json_null(j, "size_max");
	json_bool(j, "pipelining", k->pipelining);
	json_bool(j, "chunking", k->chunking);
	json_bool(j, "smtputf8", k->smtputf8);
	json_bool(j, "8bitmime", k->eightbitmime);
	json_bool(j, "dsn", k->dsn);
	json_array(j, "auth");
	for (a = k->auth; a != NULL && *a != '\0'; a = e) {
		a += strspn(a, " ");
		e = a + strcspn(a, " ");
		if (e > a)
			json_strn(j, NULL, a, (size_t)(e - a));
	}
	json_end(j);
	json_end(j);
}

static void
check_json_problems(struct json *j, unsigned problems)
{
	static const struct {
		unsigned	 bit;
		const char	*name;
	} names[] = {
		{ TLS_P_UNKNOWN_ISSUER, "unknown-issuer" },
		{ TLS_P_EXPIRED, "expired" },
		{ TLS_P_NOT_YET_VALID, "not-yet-valid" },
		{ TLS_P_NAME, "wrong-name" },
		{ TLS_P_SELF_SIGNED, "self-signed" },
		{ TLS_P_REVOKED, "revoked" },
		{ TLS_P_OTHER, "other" },
		{ TLS_P_INCOMPLETE, "incomplete-chain" }
	};
	size_t	i;

	json_array(j, "problems");
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (problems & names[i].bit)
			json_str(j, NULL, names[i].name);
	json_end(j);
}

static void
check_json_dane(struct json *j, const struct tls_info *in)
{
	static const char *const states[] = {
		"unchecked", "not-looked-up", "failed", "none", "unsigned", "bogus",
		"unusable", "match", "no-match"
	};
	size_t	i;

	if (in->dane == NULL) {
		json_null(j, "dane");
		return;
	}
	json_object(j, "dane");
	json_str(j, "state", (size_t)in->dane_state < sizeof states / sizeof *states ?
	    states[in->dane_state] : "unchecked");
	json_str(j, "verdict", in->dane);
	json_array(j, "records");
	for (i = 0; i < in->ndane_why; i++)
		json_str(j, NULL, in->dane_why[i]);
	json_end(j);
	json_end(j);
}

static void
check_json_tls(struct json *j, const struct check_port *p)
{
	const struct tls_info	*in = p->tls_info;
	long			 days;
	int			 known;

	if (in == NULL) {
		json_null(j, "tls");
		return;
	}
	json_object(j, "tls");
	json_str(j, "protocol", in->protocol);
	json_str(j, "cipher", in->cipher);
	json_bool(j, "verified", in->verified);
	json_str(j, "verdict", in->verdict);
	json_str(j, "advice", in->advice);
	json_str(j, "name", in->name);
	days = check_days_left(p, &known);
	json_bool(j, "covers_name", known && !(in->problems & TLS_P_NAME));
	if (known) {
		json_int(j, "days_left", days);
		json_str(j, "subject", in->certs[0].subject);
		json_str(j, "issuer", in->certs[0].issuer);
		json_str(j, "sans", in->certs[0].sans);
	} else {
		json_null(j, "days_left");
		json_null(j, "subject");
		json_null(j, "issuer");
		json_null(j, "sans");
	}
	check_json_problems(j, in->problems);
	check_json_dane(j, in);
	json_end(j);
}

static void
check_json_versions(struct json *j, const struct check_port *p)
{
	static const char *const states[] = {
		"not-tried", "accepted", "refused", "disabled-here", "error"
	};
	const struct check_version	*v;
	int				 i;

	if (!p->tls_tried) {
		json_null(j, "tls_versions");
		return;
	}
	json_object(j, "tls_versions");
	for (i = 0; i < CHECK_NVERSIONS; i++) {
		v = &p->versions[i];
		json_object(j, check_version_name(i) + 4);
		json_str(j, "result", states[v->state]);
		json_str(j, "cipher", v->cipher);
		json_str(j, "error", v->error);
		json_end(j);
	}
	json_end(j);
}

static void
check_json_port(struct json *j, const struct check_addr *a,
    const struct check_port *p)
{
	int	m;

	json_object(j, NULL);
	json_int(j, "port", p->port);
	json_str(j, "mode", check_port_mode(p));
	json_str(j, "connect", check_conn_names[p->conn]);
	if (p->conn != CHECK_C_UNTRIED)
		json_int(j, "connect_ms", p->connect_ms);
	else
		json_null(j, "connect_ms");
	json_str(j, "connect_error", p->conn_error);
	if (p->greeting != NULL) {
		json_int(j, "greeting_code", p->greeting_code);
		json_int(j, "greeting_ms", p->greeting_ms);
	} else {
		json_null(j, "greeting_code");
		json_null(j, "greeting_ms");
	}
	json_str(j, "greeting", p->greeting);
	json_str(j, "greeting_name", p->greeting_name);
	m = check_ptr_match(a, p);
	if (m < 0)
		json_null(j, "ptr_matches_greeting");
	else
		json_bool(j, "ptr_matches_greeting", m);
	json_str(j, "error", p->error);
	check_json_caps(j, "ehlo", &p->plain);
	if (p->implicit || !p->plain.seen)
		json_null(j, "starttls_offered");
	else
		json_bool(j, "starttls_offered", p->plain.starttls);
	if (p->starttls_required)
		json_bool(j, "starttls_required", 1);
	else
		json_null(j, "starttls_required");
	json_str(j, "tls_error", p->tls_error);
	check_json_tls(j, p);
	check_json_caps(j, "ehlo_tls", &p->tls);
	check_json_versions(j, p);
	json_end(j);
}

static void
check_json_hosts(struct json *j, const struct check_report *r)
{
	const struct check_host	*h;
	const struct check_addr	*a;
	size_t			 i, k, n;

	json_array(j, "hosts");
	for (i = 0; i < r->nhosts; i++) {
		h = &r->hosts[i];
		json_object(j, NULL);
		json_str(j, "name", h->name);
		if (h->pref >= 0)
			json_int(j, "preference", h->pref);
		else
			json_null(j, "preference");
		json_str(j, "error", h->error);
		json_array(j, "addresses");
		for (k = 0; k < h->naddrs; k++) {
			a = &h->addrs[k];
			json_object(j, NULL);
			json_str(j, "address", a->addr.text);
			json_int(j, "family", a->addr.family == AF_INET6 ? 6 : 4);
			json_str(j, "ptr", a->ptr);
			json_array(j, "ports");
			for (n = 0; n < r->nports; n++)
				check_json_port(j, a, &a->ports[n]);
			json_end(j);
			json_end(j);
		}
		json_end(j);
		json_end(j);
	}
	json_end(j);
}

static void
check_json_sts_hosts(struct json *j, const struct check_report *r)
{
	const char	*pat;
	char		*why;
	size_t		 i;
	int		 v;

	json_array(j, "hosts");
	for (i = 0; r->sts->have_policy && i < r->nhosts; i++) {
		v = check_sts_host(r, &r->hosts[i], &pat, &why);
		json_object(j, NULL);
		json_str(j, "name", r->hosts[i].name);
		json_str(j, "matches", pat);
		json_str(j, "sender", check_sts_verdict_name(v));
		json_str(j, "reason", why);
		json_end(j);
		free(why);
	}
	json_end(j);
}

/* MTA-STS and TLS-RPT: null unless the target is a domain with MX records. */
static void
check_json_sts(struct json *j, const struct check_report *r)
{
	const struct sts	*st = r->sts;
	size_t			 i;

	if (st == NULL) {
		json_null(j, "mta_sts");
		json_null(j, "tls_rpt");
		return;
	}
	json_object(j, "mta_sts");
	json_str(j, "txt_status", check_json_mx_status(st->txt_status));
	json_str(j, "record", st->txt);
	json_str(j, "id", st->id);
	json_str(j, "record_error", st->txt_error);
	json_str(j, "url", st->url);
	json_str(j, "fetch_error", st->fetch_error);
	json_str(j, "policy_error", st->policy_error);
	if (st->have_policy) {
		json_object(j, "policy");
		json_str(j, "mode", mtasts_mode_name(st->policy.mode));
		json_int(j, "max_age", st->policy.max_age);
		json_array(j, "mx");
		for (i = 0; i < st->policy.nmx; i++)
			json_str(j, NULL, st->policy.mx[i]);
		json_end(j);
		json_end(j);
	} else
		json_null(j, "policy");
	check_json_sts_hosts(j, r);
	json_end(j);
	json_object(j, "tls_rpt");
	json_str(j, "txt_status", check_json_mx_status(st->rpt_status));
	json_str(j, "record", st->rpt_txt);
	json_str(j, "error", st->rpt_error);
	json_array(j, "rua");
	for (i = 0; i < st->nrua; i++)
		json_str(j, NULL, st->rua[i]);
	json_end(j);
	json_end(j);
}

static void
check_json_summary(struct json *j, const struct check_summary *s, int exit_status)
{
	size_t	i;

	json_object(j, "summary");
	json_str(j, "result", check_result_names[s->result]);
	json_str(j, "result_text", s->result_text);
	json_int(j, "exit_status", exit_status);
	json_array(j, "problems");
	for (i = 0; i < s->nproblems; i++)
		json_str(j, NULL, s->problems[i]);
	json_end(j);
	if (s->port != NULL) {
		json_object(j, "use");
		json_str(j, "host", s->host->name);
		json_str(j, "address", s->addr->addr.text);
		json_int(j, "port", s->port->port);
		json_str(j, "mode", check_port_mode(s->port));
		json_bool(j, "verified", s->port->tls_info != NULL &&
		    s->port->tls_info->verified);
		json_end(j);
	} else
		json_null(j, "use");
	json_str(j, "command", s->command);
	json_end(j);
}

char *
check_report_json(const struct check_report *r, const struct check_summary *s,
    int exit_status)
{
	struct json	 j;
	char		*out;
	size_t		 i;

	json_init(&j, 1);
	json_object(&j, NULL);
	json_int(&j, "schema", CHECK_JSON_SCHEMA);
	json_str(&j, "target", r->target);
	json_str(&j, "kind", check_kind_names[r->kind]);
	json_array(&j, "ports");
	for (i = 0; i < r->nports; i++)
		json_int(&j, NULL, r->ports[i]);
	json_end(&j);
	json_object(&j, "mx");
	json_str(&j, "status", check_json_mx_status(r->mx_status));
	json_str(&j, "error", r->dns_error);
	json_array(&j, "records");
	for (i = 0; i < r->nmx; i++) {
		json_object(&j, NULL);
		json_int(&j, "preference", r->mx[i].pref);
		json_str(&j, "host", r->mx[i].host);
		json_bool(&j, "checked", i < r->nhosts);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	check_json_hosts(&j, r);
	check_json_sts(&j, r);
	check_json_summary(&j, s, exit_status);
	json_int(&j, "elapsed_ms", r->elapsed_ms);
	json_end(&j);
	out = json_take(&j);
	json_free(&j);
	return (out);
}
