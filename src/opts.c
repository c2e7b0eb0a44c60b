/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* smtpcon's command line: options parsed into struct opts, read by both front ends. */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "conn.h"
#include "dns.h"
#include "journal.h"
#include "opts.h"
#include "opts-int.h"
#include "outcome.h"
#include "tls.h"
#include "trace.h"
#include "xmalloc.h"

enum {
	OPT_STARTTLS = 256,
	OPT_TLS,
	OPT_EHLO,
	OPT_CONNECT_TIMEOUT,
	OPT_TIMEOUT,
	OPT_CAFILE,
	OPT_INSECURE,
	OPT_SNI,
	OPT_CERT,
	OPT_KEY,
	OPT_PRIORITY,
	OPT_TLS_VERSION,
	OPT_BATCH,
	OPT_TIMESTAMPS,
	OPT_USER,
	OPT_PASSWORD_FILE,
	OPT_AUTHZID,
	OPT_PRACTICE,
	OPT_DEBUG,
	OPT_NO_JOURNAL,
	OPT_SAVE,
	OPT_SAVE_CHAIN,
	OPT_NO_DANE,
	OPT_MX,
	OPT_DNSSEC_ANCHOR,
	OPT_CHECK,		/* the server check: its four options */
	OPT_PORTS,
	OPT_ALL_MX,
	OPT_JSON,
	/* issue 15: the options people already type, and profiles */
	OPT_PROFILE
};

static const struct option opts_long[] = {
	{ "ipv4",		no_argument,		NULL, '4' },
	{ "ipv6",		no_argument,		NULL, '6' },
	{ "starttls",		optional_argument,	NULL, OPT_STARTTLS },
	{ "tls",		no_argument,		NULL, OPT_TLS },
	{ "tls-on-connect",	no_argument,		NULL, OPT_TLS },
	{ "port",		required_argument,	NULL, 'p' },
	{ "profile",		required_argument,	NULL, OPT_PROFILE },
	{ "ehlo",		required_argument,	NULL, OPT_EHLO },
	{ "connect-timeout",	required_argument,	NULL, OPT_CONNECT_TIMEOUT },
	{ "timeout",		required_argument,	NULL, OPT_TIMEOUT },
	{ "cafile",		required_argument,	NULL, OPT_CAFILE },
	{ "insecure",		no_argument,		NULL, OPT_INSECURE },
	{ "sni",		required_argument,	NULL, OPT_SNI },
	{ "cert",		required_argument,	NULL, OPT_CERT },
	{ "key",		required_argument,	NULL, OPT_KEY },
	{ "priority",		required_argument,	NULL, OPT_PRIORITY },
	{ "tls-version",	required_argument,	NULL, OPT_TLS_VERSION },
	{ "batch",		no_argument,		NULL, OPT_BATCH },
	{ "timestamps",		optional_argument,	NULL, OPT_TIMESTAMPS },
	{ "user",		required_argument,	NULL, OPT_USER },
	{ "password-file",	required_argument,	NULL, OPT_PASSWORD_FILE },
	{ "authzid",		required_argument,	NULL, OPT_AUTHZID },
	{ "practice",		optional_argument,	NULL, OPT_PRACTICE },
	{ "debug",		required_argument,	NULL, OPT_DEBUG },
	{ "no-journal",		no_argument,		NULL, OPT_NO_JOURNAL },
	{ "save",		required_argument,	NULL, OPT_SAVE },
	{ "save-chain",		required_argument,	NULL, OPT_SAVE_CHAIN },
	{ "no-dane",		no_argument,		NULL, OPT_NO_DANE },
	{ "mx",			required_argument,	NULL, OPT_MX },
	{ "dnssec-anchor",	required_argument,	NULL, OPT_DNSSEC_ANCHOR },
	{ "check",		required_argument,	NULL, OPT_CHECK },
	{ "ports",		required_argument,	NULL, OPT_PORTS },
	{ "all-mx",		no_argument,		NULL, OPT_ALL_MX },
	{ "json",		no_argument,		NULL, OPT_JSON },
	{ "help",		no_argument,		NULL, 'h' },
	{ "version",		no_argument,		NULL, 'V' },
	{ NULL,			0,			NULL, 0 }
};

/* What the command line gave that is settled only after it all is read. */
struct opts_given {
	const char	*ehlo_name;	/* --ehlo */
	const char	*password_file;	/* --password-file */
	const char	*profile;	/* --profile, or @NAME */
	const char	*port;		/* -p, --port */
	int		 mode_set;	/* --starttls, --tls */
	int		 swaks_tls;	/* swaks's -tls */
};

static int
opts_seconds(const char *opt, const char *arg)
{
	char	*end;
	long	 v;

	v = strtol(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || v < 1 || v > 3600) {
		fprintf(stderr, "smtpcon: %s wants a number of seconds from 1 to "
		    "3600, not \"%s\"\n", opt, arg);
		return (-1);
	}
	return ((int)v);
}


/* A port: a number from 1 to 65535 or a TCP service name ("submission"). */
static int
opts_port_ok(const char *port)
{
	char	*end;
	long	 v;

	if (*port >= '0' && *port <= '9') {
		v = strtol(port, &end, 10);
		return (*end == '\0' && v >= 1 && v <= 65535);
	}
	return (*port != '\0' && getservbyname(port, "tcp") != NULL);
}

/*
 * swaks's spellings: -tls (STARTTLS) and -tlsc (TLS on connect) would be read by
 * getopt as -t -l -s. The copy of argv has them as --starttls and --tls-on-connect;
 * *swaks_tls says -tls was given, for the hint on port 465.
 */
static char **
opts_swaks(int argc, char *argv[], int *swaks_tls)
{
	static char	 starttls[] = "--starttls", tlsc[] = "--tls-on-connect";
	char		**v = xcalloc(argc + 1, sizeof *v);
	int		  i, end = 0;

	for (i = 0; i < argc; i++) {
		v[i] = argv[i];
		if (i == 0 || end)
			continue;
		if (strcmp(argv[i], "--") == 0)
			end = 1;
		else if (strcmp(argv[i], "-tls") == 0) {
			v[i] = starttls;
			*swaks_tls = 1;
		} else if (strcmp(argv[i], "-tlsc") == 0)
			v[i] = tlsc;
	}
	return (v);
}

/* One note, folded at words to fit 80 columns behind an indent of 4. */
static void
opts_profile_note(const char *note)
{
	const char	*p = note, *brk;
	size_t		 len;

	while (*p != '\0') {
		len = strlen(p);
		if (len > 74) {
			for (brk = p + 74; brk > p && *brk != ' '; brk--)
				;
			len = brk > p ? (size_t)(brk - p) : 74;
		}
		printf("    %.*s\n", (int)len, p);
		p += len;
		while (*p == ' ')
			p++;
	}
}

static void
opts_profile_line(const struct conffile_profile *p, const char *from)
{
	char	*where;

	where = xasprintf("%s:%s", p->host != NULL ? p->host : "(no host)",
	    p->port != NULL ? p->port : p->mode == CONFFILE_MODE_TLS ? "465" : "25");
	printf("@%-12s %-32s %-9s %s\n", p->name, where,
	    p->mode != CONFFILE_MODE_UNSET ? conffile_mode_name(p->mode) :
	    p->port != NULL && strcmp(p->port, "465") == 0 ? "tls" : "plain", from);
	free(where);
}

/* --profile list: the user's profiles, then the built-in ones. */
static void
opts_profile_list(const struct conffile *c)
{
	char	*from;
	size_t	 i;

	printf("Profiles in %s:\n", c->path != NULL ? c->path : "the config file");
	if (c->n == 0)
		printf("    none (the README, \"Config file\", says how to write "
		    "one)\n");
	for (i = 0; i < c->n; i++) {
		from = xasprintf("line %d", c->profiles[i].line);
		opts_profile_line(&c->profiles[i], from);
		free(from);
		if (c->profiles[i].note != NULL)
			opts_profile_note(c->profiles[i].note);
	}
	printf("Built in (a profile of the same name in the config file wins):\n");
	for (i = 0; i < conffile_nbuiltin; i++) {
		opts_profile_line(&conffile_builtin[i],
		    conffile_find(c, conffile_builtin[i].name) == &conffile_builtin[i] ?
		    "built in" : "replaced");
		opts_profile_note(conffile_builtin[i].note);
	}
}

static enum session_mode
opts_profile_mode(enum conffile_mode m)
{
	switch (m) {
	case CONFFILE_MODE_STARTTLS:
		return (SESSION_STARTTLS);
	case CONFFILE_MODE_TLS:
		return (SESSION_TLS);
	case CONFFILE_MODE_STARTTLS_IF_OFFERED:
		return (SESSION_STARTTLS_IF_OFFERED);
	default:
		return (SESSION_PLAIN);
	}
}

/* "host:port", IPv6 in brackets; malloc'd. */
static char *
opts_join(const char *host, const char *port)
{
	if (port == NULL)
		return (xstrdup(host));
	if (strchr(host, ':') != NULL)
		return (xasprintf("[%s]:%s", host, port));
	return (xasprintf("%s:%s", host, port));
}

/* The settings of profile p that o does not have yet (the command line's win). */
static void
opts_profile_settings(struct opts *o, const struct conffile_profile *p)
{
	if (o->sess.tls.cafile == NULL)
		o->sess.tls.cafile = p->cafile;
	if (o->sess.tls.sni == NULL)
		o->sess.tls.sni = p->sni;
	if (o->sess.tls.priority == NULL)
		o->sess.tls.priority = p->priority;
	if (o->sess.tls.version == 0)
		o->sess.tls.version = p->tls_version;
	if (o->sess.connect_timeout == 0)
		o->sess.connect_timeout = p->connect_timeout;
	if (o->sess.reply_timeout == 0)
		o->sess.reply_timeout = p->timeout;
	if (o->user == NULL)
		o->user = p->user;
}

char *
opts_profile_target(struct opts *o, const struct conffile_profile *p,
    enum session_mode *mode)
{
	const char	*ehlo = o->ehlo_cmdline != NULL ? o->ehlo_cmdline : p->ehlo;
	char		*was = o->ehlo;

	/* The command line's settings, and the profile's where it gave none. */
	o->sess = o->sess_cmdline;
	o->user = o->user_cmdline;
	opts_profile_settings(o, p);
	if (o->sess.connect_timeout == 0)
		o->sess.connect_timeout = 10;
	if (o->sess.reply_timeout == 0)
		o->sess.reply_timeout = 30;
	if (ehlo != NULL) {
		o->ehlo = xasprintf("EHLO %s", ehlo);
		free(was);
	}
	o->sess.ehlo = o->ehlo;
	*mode = opts_profile_mode(p->mode);
	return (p->host != NULL ? opts_join(p->host, p->port) : NULL);
}

/*
 * The server: HOST[:PORT] or HOST PORT, -p, and the profile's host and port. Two ports
 * that disagree are a usage error. Sets o->target; EXIT_USAGE after saying why, or -1.
 */
static int
opts_target(struct opts *o, const char *spec, const char *port2,
    const char *port_opt)
{
	const struct conffile_profile	*p = o->profile;
	const char			*port = NULL, *why = NULL;
	char				*host = NULL, *hport = NULL, *err = NULL;

	if (spec != NULL && conn_parse_target(spec, &host, &hport, &err) != 0) {
		fprintf(stderr, "smtpcon: %s\n", err);
		free(err);
		return (EXIT_USAGE);
	}
	if (hport != NULL && port2 != NULL && strcmp(hport, port2) != 0)
		why = xasprintf("\"%s\" names port %s, and then port %s is given",
		    spec, hport, port2);
	else if (port_opt != NULL && (hport != NULL || port2 != NULL) &&
	    strcmp(port_opt, hport != NULL ? hport : port2) != 0)
		why = xasprintf("-p %s, and port %s after the host", port_opt,
		    hport != NULL ? hport : port2);
	if (why != NULL) {
		fprintf(stderr, "smtpcon: two ports: %s; give one\n"
		    "Try 'smtpcon --help' for more information.\n", why);
		free((char *)why);
		free(host);
		free(hport);
		return (EXIT_USAGE);
	}
	port = hport != NULL ? hport : port2 != NULL ? port2 : port_opt;
	if (port == NULL && p != NULL)
		port = p->port;
	if (port != NULL && !opts_port_ok(port)) {
		fprintf(stderr, "smtpcon: bad port \"%s\": a number from 1 to 65535 "
		    "or a service name\n", port);
		free(host);
		free(hport);
		return (EXIT_USAGE);
	}
	if (host == NULL && p != NULL && p->host != NULL)
		host = xstrdup(p->host);
	if (host == NULL && port != NULL && o->scenario == NULL && o->mx == NULL) {
		fprintf(stderr, "smtpcon: a port (%s) but no server to connect to\n",
		    port);
		free(hport);
		return (EXIT_USAGE);
	}
	if (host != NULL)
		o->target = o->target_buf = opts_join(host, port);
	o->port = port != NULL ? xstrdup(port) : NULL;
	free(host);
	free(hport);
	return (-1);
}

/* STARTTLS asked for (--starttls, or swaks's -tls) to the implicit-TLS port. */
static int
opts_port_465(const struct opts *o, int swaks_tls)
{
	if ((o->mode != SESSION_STARTTLS && o->mode != SESSION_STARTTLS_IF_OFFERED) ||
	    o->port == NULL ||
	    (strcmp(o->port, "465") != 0 && strcmp(o->port, "smtps") != 0 &&
	    strcmp(o->port, "submissions") != 0))
		return (-1);
	fprintf(stderr, "smtpcon: port %s expects implicit TLS, not %s: type %s\n",
	    o->port, swaks_tls ? "-tls (swaks's STARTTLS)" : "--starttls",
	    swaks_tls ? "--tls-on-connect (swaks's -tlsc)" : "--tls");
	return (EXIT_USAGE);
}

/* The config file, and the profile asked for (NULL: none). EXIT_USAGE, EXIT_OK after
 * --profile list, or -1 to go on. */
static int
opts_profile(struct opts *o, const char *name)
{
	char	*path, *err = NULL;

	path = conffile_path();
	if (conffile_load(&o->conf, path, &err) != 0) {
		fprintf(stderr, "smtpcon: %s\n", err);
		free(err);
		free(path);
		return (EXIT_USAGE);
	}
	if (o->conf.path == NULL)
		o->conf.path = path;
	else
		free(path);
	conffile_use(&o->conf);
	if (name == NULL)
		return (-1);
	if (strcmp(name, "list") == 0) {
		opts_profile_list(&o->conf);
		return (EXIT_OK);
	}
	if ((o->profile = conffile_find(&o->conf, name)) == NULL) {
		fprintf(stderr, "smtpcon: no profile \"%s\" (smtpcon --profile list "
		    "shows them)\n", name);
		return (EXIT_USAGE);
	}
	return (-1);
}

/* The server check's options: alone, or with the connection and TLS ones. */
static int
opts_check_finish(struct opts *o)
{
	char	*err = NULL;

	if (o->check == NULL) {
		if (o->check_ports != NULL || o->check_all_mx || o->check_json) {
			fprintf(stderr, "smtpcon: --ports, --all-mx and --json go "
			    "with --check\n");
			return (-1);
		}
		return (0);
	}
	if (o->target != NULL || o->scenario != NULL || o->mx != NULL) {
		fprintf(stderr, "smtpcon: --check takes its target as its "
		    "argument: give no other server (nor --practice, --mx)\n");
		return (-1);
	}
	if (o->check_ports == NULL && check_ports_parse(CHECK_PORTS_DEFAULT,
	    &o->check_ports, &o->check_nports, &err) != 0) {
		fprintf(stderr, "smtpcon: %s\n", err);
		free(err);
		return (-1);
	}
	return (0);
}

/* After the options: the profile, the server, what goes together, the EHLO line,
 * checks of values that only GnuTLS or the practice server know, the secret. */
static int
opts_finish(struct opts *o, int argc, char *argv[], struct opts_given *g)
{
	static char	 host[HOST_NAME_MAX + 1];
	const char	*pos[3], *spec = NULL, *port2 = NULL;
	char		*err = NULL;
	int		 st, i, n = 0;

	/* @NAME anywhere among them; then HOST[:PORT] and PORT. */
	for (i = optind; i < argc; i++) {
		if (argv[i][0] == '@') {
			if (g->profile != NULL &&
			    strcmp(g->profile, argv[i] + 1) != 0) {
				fprintf(stderr, "smtpcon: two profiles: %s%s and %s; "
				    "give one\n", o->profile_at ? "@" : "--profile ",
				    g->profile, argv[i]);
				return (EXIT_USAGE);
			}
			g->profile = argv[i] + 1;
			o->profile_at = 1;
		} else if (n == 2) {
			fprintf(stderr, "smtpcon: one server at a time (got \"%s\", "
			    "\"%s\" and \"%s\")\nTry 'smtpcon --help' for more "
			    "information.\n", pos[0], pos[1], argv[i]);
			return (EXIT_USAGE);
		} else
			pos[n++] = argv[i];
	}
	if (n > 0)
		spec = pos[0];
	if (n > 1)
		port2 = pos[1];
	o->sess_cmdline = o->sess;
	o->user_cmdline = o->user;
	o->ehlo_cmdline = g->ehlo_name;
	if ((st = opts_profile(o, g->profile)) != -1)
		return (st);
	if (o->profile != NULL) {
		opts_profile_settings(o, o->profile);
		if (!g->mode_set)
			o->mode = opts_profile_mode(o->profile->mode);
		if (g->ehlo_name == NULL)
			g->ehlo_name = o->profile->ehlo;
		if (o->profile->journal == 0)
			journal_disable();
	}
	if (o->sess.connect_timeout == 0)
		o->sess.connect_timeout = 10;
	if (o->sess.reply_timeout == 0)
		o->sess.reply_timeout = 30;
	if ((st = opts_target(o, spec, port2, g->port)) != -1)
		return (st);
	if ((st = opts_port_465(o, g->swaks_tls)) != -1)
		return (st);
	if (o->mx != NULL && o->scenario != NULL) {
		fprintf(stderr, "smtpcon: --practice connects to the practice "
		    "server: give no --mx\n");
		return (EXIT_USAGE);
	}
	if (o->mx != NULL && !dns_name_ok(o->mx)) {
		fprintf(stderr, "smtpcon: --mx wants a mail domain, not \"%s\"\n",
		    o->mx);
		return (EXIT_USAGE);
	}
	if (opts_check_finish(o) != 0)
		return (EXIT_USAGE);
	if ((o->sess.tls.certfile == NULL) != (o->sess.tls.keyfile == NULL)) {
		fprintf(stderr, "smtpcon: --cert and --key go together\n");
		return (EXIT_USAGE);
	}
	if (o->sess.tls.dnssec_anchor != NULL &&
	    access(o->sess.tls.dnssec_anchor, R_OK) != 0) {
		fprintf(stderr, "smtpcon: --dnssec-anchor %s: %s\n",
		    o->sess.tls.dnssec_anchor, strerror(errno));
		return (EXIT_USAGE);
	}
	if ((o->sess.tls.priority != NULL || o->sess.tls.version != 0) &&
	    tls_check_priority(&o->sess.tls, &err) != 0) {
		fprintf(stderr, "smtpcon: %s%s\n", err, o->profile != NULL &&
		    o->profile->priority == o->sess.tls.priority &&
		    o->profile->priority != NULL ? " (from the profile)" : "");
		free(err);
		return (EXIT_USAGE);
	}
	if (o->scenario != NULL && strcmp(o->scenario, "list") != 0 &&
	    launch_scenario_check(o->scenario, &err) != 0) {
		fprintf(stderr, "smtpcon: --practice=%s: %s; --practice=list "
		    "describes them\n", o->scenario, err);
		free(err);
		return (EXIT_USAGE);
	}
	if (g->ehlo_name == NULL) {
		if (gethostname(host, sizeof host) == 0 && host[0] != '\0')
			o->ehlo = xasprintf("EHLO %s", host);
		else
			o->ehlo = xstrdup("EHLO localhost");
	} else
		o->ehlo = xasprintf("EHLO %s", g->ehlo_name);
	o->sess.ehlo = o->ehlo;

	if (opts_secret(o, g->password_file) != 0)
		return (EXIT_USAGE);
	return (-1);
}

/* The TLS options and the server check's: 1 taken, -1 after saying what is wrong, 0 not
 * one of them. */
static int
opts_parse_tls(struct opts *o, int c)
{
	char	*err = NULL;

	switch (c) {
	case OPT_CAFILE:
		o->sess.tls.cafile = optarg;
		return (1);
	case OPT_NO_DANE:
		o->sess.tls.dane = 0;
		return (1);
	case OPT_DNSSEC_ANCHOR:
		o->sess.tls.dnssec_anchor = optarg;
		return (1);
	case OPT_CHECK:
		o->check = optarg;
		return (1);
	case OPT_PORTS:
		free(o->check_ports);
		if (check_ports_parse(optarg, &o->check_ports, &o->check_nports,
		    &err) != 0) {
			fprintf(stderr, "smtpcon: %s\n", err);
			free(err);
			return (-1);
		}
		return (1);
	case OPT_ALL_MX:
		o->check_all_mx = 1;
		return (1);
	case OPT_JSON:
		o->check_json = 1;
		return (1);
	case OPT_INSECURE:
		o->sess.insecure = 1;
		return (1);
	case OPT_SNI:
		o->sess.tls.sni = optarg;
		return (1);
	case OPT_CERT:
		o->sess.tls.certfile = optarg;
		return (1);
	case OPT_KEY:
		o->sess.tls.keyfile = optarg;
		return (1);
	case OPT_PRIORITY:
		o->sess.tls.priority = optarg;
		return (1);
	case OPT_TLS_VERSION:
		if (strcmp(optarg, "1.2") == 0)
			o->sess.tls.version = 12;
		else if (strcmp(optarg, "1.3") == 0)
			o->sess.tls.version = 13;
		else {
			fprintf(stderr, "smtpcon: --tls-version takes 1.2 or 1.3, "
			    "not \"%s\"\n", optarg);
			return (-1);
		}
		return (1);
	}
	return (0);
}

int
opts_parse(struct opts *o, int argc, char *argv[])
{
	struct opts_given	 g;
	char			*err = NULL;
	int			 c, r;

	memset(o, 0, sizeof *o);
	memset(&g, 0, sizeof g);
	if (opts_secret_spelling(argc, argv) != 0)
		return (EXIT_USAGE);
	argv = o->argv = opts_swaks(argc, argv, &g.swaks_tls);
	o->sess.family = AF_UNSPEC;
	/* 0 until the end: a profile may set them. */
	o->sess.connect_timeout = 0;
	o->sess.reply_timeout = 0;
	o->mode = SESSION_PLAIN;
	o->sess.tls.dane = 1;

	while ((c = getopt_long(argc, argv, "46p:hV", opts_long, NULL)) != -1) {
		switch (c) {
		case '4':
			o->sess.family = AF_INET;
			break;
		case '6':
			o->sess.family = AF_INET6;
			break;
		case OPT_STARTTLS:
			if (optarg == NULL)
				o->mode = SESSION_STARTTLS;
			else if (strcmp(optarg, "if-offered") == 0)
				o->mode = SESSION_STARTTLS_IF_OFFERED;
			else {
				fprintf(stderr, "smtpcon: --starttls takes =if-offered or "
				    "nothing, not =%s\n", optarg);
				return (EXIT_USAGE);
			}
			g.mode_set = 1;
			break;
		case OPT_TLS:
			o->mode = SESSION_TLS;
			g.mode_set = 1;
			break;
		case 'p':
			g.port = optarg;
			break;
		case OPT_MX:
			o->mx = optarg;
			break;
		case OPT_PROFILE:
			g.profile = optarg;
			break;
		case OPT_EHLO:
			g.ehlo_name = optarg;
			break;
		case OPT_CONNECT_TIMEOUT:
			if ((o->sess.connect_timeout = opts_seconds("--connect-timeout",
			    optarg)) == -1)
				return (EXIT_USAGE);
			break;
		case OPT_TIMEOUT:
			if ((o->sess.reply_timeout = opts_seconds("--timeout",
			    optarg)) == -1)
				return (EXIT_USAGE);
			break;
		case OPT_BATCH:
			o->batch = 1;
			break;
		case OPT_TIMESTAMPS:
			if (optarg == NULL)
				o->timestamps = TRANSCRIPT_STAMP;
			else if (strcmp(optarg, "ms") == 0)
				o->timestamps = TRANSCRIPT_STAMP_MS;
			else {
				fprintf(stderr, "smtpcon: --timestamps takes =ms or "
				    "nothing, not \"%s\"\n", optarg);
				return (EXIT_USAGE);
			}
			break;
		case OPT_USER:
			o->user = optarg;
			break;
		case OPT_PASSWORD_FILE:
			g.password_file = optarg;
			break;
		case OPT_AUTHZID:
			o->authzid = optarg;
			break;
		case OPT_PRACTICE:
			o->scenario = optarg != NULL ? optarg : "normal";
			break;
		case OPT_SAVE:
			o->save = optarg;
			break;
		case OPT_SAVE_CHAIN:
			o->save_chain = optarg;
			break;
		case OPT_NO_JOURNAL:
			journal_disable();
			break;
		case OPT_DEBUG:
			if (trace_open(optarg, &err) != 0) {
				fprintf(stderr, "smtpcon: %s\n", err);
				free(err);
				return (EXIT_USAGE);
			}
			break;
		case 'h':
			opts_usage(stdout);
			return (EXIT_OK);
		case 'V':
			opts_version();
			return (EXIT_OK);
		default:
			if ((r = opts_parse_tls(o, c)) == 1)
				break;
			if (r == 0)
				fprintf(stderr, "Try 'smtpcon --help' for more "
				    "information.\n");
			return (EXIT_USAGE);
		}
	}
	return (opts_finish(o, argc, argv, &g));
}

void
opts_free(struct opts *o)
{
	xfree_secret_str(o->secret);
	o->secret = NULL;
	free(o->check_ports);
	o->check_ports = NULL;
	free(o->ehlo);
	o->ehlo = NULL;
	o->sess.ehlo = NULL;
	free(o->target_buf);
	o->target_buf = NULL;
	free(o->port);
	o->port = NULL;
	free(o->argv);
	o->argv = NULL;
	conffile_free(&o->conf);
	o->profile = NULL;
}
