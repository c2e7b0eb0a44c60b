/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The server check (smtpcon --check): which mail servers a domain has, and for each of
 * them and each port asked for, what a client meets there: connect, greeting, EHLO
 * capabilities before and after TLS, STARTTLS or implicit TLS, the certificate's verdict
 * (the same as a session's: tls.c), the TLS versions it accepts and the PTR name of its
 * address. Every probe is polite: EHLO, then QUIT; never MAIL, never AUTH.
 *
 * The engine never prints: it fills a struct check_report, which check-report.c turns
 * into text and check-json.c into JSON, and check-verdict.c into a summary and a result.
 * The MX and address lookups happen in check_new() and block; the probes then run in
 * parallel in the caller's poll loop (check_poll, check_io), a few connections per host
 * at once, each step of each probe with a deadline from the connect and reply timeouts,
 * beside the TLSA lookups and the MTA-STS lookup and fetch (sts.h), which run in the
 * background from check_new() on.
 */
#ifndef CHECK_H
#define CHECK_H

#include <poll.h>
#include <stddef.h>

#include "dns.h"
#include "sts.h"
#include "tls.h"

#define CHECK_PORTS_DEFAULT	"25,465,587"
#define CHECK_MX_DEFAULT	3	/* MX hosts checked without --all-mx */
#define CHECK_PER_HOST		4	/* connections to one host at once */
#define CHECK_PORTS_MAX		16

struct check_opts {
	const int	*ports;
	size_t		 nports;
	int		 all_mx;
	int		 family;		/* AF_UNSPEC, AF_INET, AF_INET6 */
	int		 connect_timeout;	/* seconds */
	int		 reply_timeout;		/* seconds */
	const char	*ehlo;			/* "EHLO name" */
	struct tls_config tls;			/* its version (--tls-version) pins
						 * the main probes only */
};

enum check_kind {
	CHECK_K_DOMAIN,		/* a name with MX records */
	CHECK_K_HOST,		/* a name with none: its own address (RFC 5321 5.1) */
	CHECK_K_ADDRESS		/* an address literal */
};

enum check_conn {
	CHECK_C_UNTRIED,
	CHECK_C_OK,
	CHECK_C_REFUSED,
	CHECK_C_TIMEOUT,	/* no answer within the connect timeout */
	CHECK_C_ERROR		/* unreachable, or another error */
};

/* One TLS version tried on its own connection. */
enum check_tv {
	CHECK_TV_UNTRIED,	/* TLS never got that far on this port */
	CHECK_TV_ACCEPTED,
	CHECK_TV_REFUSED,	/* the handshake failed */
	CHECK_TV_LOCAL,		/* this client's TLS library does not offer it */
	CHECK_TV_ERROR		/* the probe failed before the handshake */
};
#define CHECK_NVERSIONS	4	/* TLS 1.0, 1.1, 1.2, 1.3 */

struct check_version {
	enum check_tv	 state;
	char		*cipher;	/* ACCEPTED: the suite negotiated */
	char		*error;		/* REFUSED or ERROR: why */
};

/* What an EHLO reply advertised. */
struct check_caps {
	int		 seen;		/* an EHLO was answered 250 */
	int		 starttls, pipelining, chunking, smtputf8, eightbitmime, dsn;
	int		 size;		/* SIZE advertised */
	long long	 size_max;	/* its limit, 0 for none */
	char		*auth;		/* "PLAIN LOGIN", or NULL: no AUTH */
};

/* The probe of one port of one address. */
struct check_port {
	int		 port;
	int		 implicit;	/* implicit TLS (465) */
	enum check_conn	 conn;
	long		 connect_ms;
	char		*conn_error;
	int		 greeting_code;	/* 0: no greeting */
	long		 greeting_ms;	/* since connected */
	char		*greeting;	/* first line, display-safe */
	char		*greeting_name;	/* its first word after the code */
	char		*error;		/* what went wrong after connect, or NULL */
	struct check_caps plain;	/* EHLO before TLS (none with implicit TLS) */
	struct check_caps tls;		/* EHLO under TLS */
	int		 starttls_required;	/* 1: the server said so; 0: unknown */
	int		 tls_tried;	/* a handshake started */
	int		 tls_up;
	char		*tls_error;
	struct tls_info	*tls_info;	/* the certificate, verdict, protocol, cipher */
	struct check_version versions[CHECK_NVERSIONS];
};

struct check_addr {
	struct dns_addr	 addr;
	char		*ptr;		/* PTR name, or NULL */
	struct check_port *ports;	/* one per port asked for */
};

struct check_host {
	char		*name;
	int		 pref;		/* MX preference, -1 when not from MX */
	char		*error;		/* its addresses could not be found */
	struct check_addr *addrs;
	size_t		 naddrs;
};

struct check_report {
	char		*target;
	enum check_kind	 kind;
	int		 mx_status;	/* enum dns_status of the MX lookup */
	char		*dns_error;	/* DNS_FAIL: why */
	struct dns_mx	*mx;		/* every MX record, by preference */
	size_t		 nmx;
	struct check_host *hosts;	/* the hosts checked */
	size_t		 nhosts;
	int		*ports;
	size_t		 nports;
	long		 elapsed_ms;
	/* The options that shaped the probes, for the command line to suggest. */
	int		 family;
	const char	*cafile, *sni, *priority;
	int		 tls_version;	/* 12, 13 or 0 */
	struct sts	*sts;		/* MTA-STS and TLS-RPT (sts.h): a domain with
					 * MX records; else NULL */
};

struct check;

/*
 * Parse a port list "25,465,587" (1 to CHECK_PORTS_MAX ports, 1-65535, no repeats).
 * Return 0 with *ports malloc'd and *n set, or -1 with *errstr malloc'd.
 */
int	check_ports_parse(const char *list, int **ports, size_t *n, char **errstr);

/*
 * Prepare the check of target (a domain, a host name, an address literal, [v6]): DNS
 * lookups are done here. The options and their strings must outlive the check. Returns
 * NULL with *errstr malloc'd when the target cannot be used at all; a name not found is
 * not an error here: the report says so.
 */
struct check	*check_new(const struct check_opts *, const char *target, char **errstr);
void		 check_free(struct check *);

/*
 * The descriptors to poll (an array owned by the check, valid until the next call) and
 * the timeout in milliseconds (-1: none); starts waiting probes first. *n is 0 when the
 * check is done.
 */
struct pollfd	*check_poll(struct check *, size_t *n, int *timeout);
/* After poll() on that array (revents filled, or all 0 when it timed out). */
void		 check_io(struct check *);
int		 check_done(const struct check *);
/* Run every probe to its end in a poll loop of its own. */
void		 check_run(struct check *);
/* The report; complete once check_done(). Owned by the check. */
const struct check_report *check_report(const struct check *);

/* "TLS 1.0" ... "TLS 1.3" for version index i. */
const char	*check_version_name(int i);

/* --- The verdict (check-verdict.c): what the report means, for both outputs. --- */

enum check_result {
	CHECK_R_VERIFIED,	/* every host that answered takes mail over verified TLS */
	CHECK_R_NOTLS,		/* a host answered without verified TLS on any port */
	CHECK_R_UNREACHABLE,	/* no host answered, or the name was not found */
	CHECK_R_NOMAIL		/* null MX: the domain takes no mail */
};

struct check_summary {
	enum check_result	 result;
	const char		*result_text;	/* the result in words */
	const struct check_host	*host;		/* where to go; NULL: nowhere */
	const struct check_addr	*addr;
	const struct check_port	*port;
	char			*use;		/* "mx1.example.org port 25 with ..." */
	char			*command;	/* the smtpcon command line for it */
	char			**problems;	/* what is wrong or worth knowing */
	size_t			 nproblems;
};

void	 check_summarize(const struct check_report *, struct check_summary *);
void	 check_summary_free(struct check_summary *);
/* "implicit TLS", "STARTTLS" or "plain" (no TLS) for what the probe did. */
const char *check_port_mode(const struct check_port *);
/* The PTR name of a against the greeting's name on p: 1 same, 0 differ, -1 unknown. */
int	 check_ptr_match(const struct check_addr *a, const struct check_port *p);
/* Days left on the server's certificate; *known 0 when there was none. */
long	 check_days_left(const struct check_port *, int *known);

/* --- MTA-STS and TLS-RPT (check-sts.c). --- */

/*
 * What a sender that applies r's policy does with host h, judged from its port 25
 * probes: *pattern the mx pattern h matches (NULL: none), *why (malloc'd, NULL with
 * STS_NA) in words: "delivers: ...", "refuses: ...".
 */
enum sts_verdict check_sts_host(const struct check_report *r,
	    const struct check_host *h, const char **pattern, char **why);
/* "deliver", "refuse", "unknown", or NULL for STS_NA. */
const char *check_sts_verdict_name(enum sts_verdict);

/* --- The outputs: malloc'd text (check-report.c) and JSON (check-json.c). --- */

char	*check_report_text(const struct check_report *, const struct check_summary *);
char	*check_report_json(const struct check_report *, const struct check_summary *,
	    int exit_status);

#endif
