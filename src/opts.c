/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* smtpcon's command line: options parsed into struct opts, read by both front ends. */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal.h"
#include "opts.h"
#include "outcome.h"
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
	OPT_SAVE_CHAIN
};

static const struct option opts_long[] = {
	{ "ipv4",		no_argument,		NULL, '4' },
	{ "ipv6",		no_argument,		NULL, '6' },
	{ "starttls",		no_argument,		NULL, OPT_STARTTLS },
	{ "tls",		no_argument,		NULL, OPT_TLS },
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
	{ "help",		no_argument,		NULL, 'h' },
	{ "version",		no_argument,		NULL, 'V' },
	{ NULL,			0,			NULL, 0 }
};

static void
opts_usage(FILE *f)
{
	fprintf(f,
"Usage: smtpcon [OPTION]... [HOST[:PORT]]\n"
"Talk SMTP to a mail server by hand: a console that shows every byte of the\n"
"dialogue, does the TLS upgrade, base64 for AUTH and dot-stuffing for DATA.\n"
"On a terminal it opens the console; with --batch, or when standard input is\n"
"not a terminal, it reads lines from standard input and prints the transcript.\n"
"\n"
"PORT defaults to 25; port 465 means implicit TLS. IPv6 literals go in\n"
"brackets: [::1]:25.\n"
"\n"
"Connection:\n"
"  -4, --ipv4                 use IPv4 only\n"
"  -6, --ipv6                 use IPv6 only\n"
"      --starttls             send EHLO and STARTTLS right after the greeting\n"
"      --tls                  implicit TLS: handshake before the greeting\n"
"      --ehlo NAME            name for the automatic EHLO (default: this host)\n"
"      --connect-timeout SEC  give up connecting after SEC seconds (default 10)\n"
"      --timeout SEC          wait at most SEC seconds for a reply (default 30)\n"
"TLS:\n"
"      --cafile FILE          trust the CA certificates in FILE (PEM) instead\n"
"                             of the system trust store\n"
"      --insecure             send AUTH over plain text or unverified TLS\n"
"                             without asking\n"
"      --sni NAME             send NAME as server name and verify against it\n"
"      --cert FILE            client certificate (PEM)\n"
"      --key FILE             its private key (PEM)\n"
"      --priority STRING      GnuTLS priority string (default NORMAL)\n"
"      --tls-version 1.2|1.3  offer only this TLS version\n"
"AUTH:\n"
"      --user NAME            user name for AUTH (with the secret below, line mode\n"
"                             and /auth answer the server's questions by itself)\n"
"      --password-file FILE   read the password or token from the first line of\n"
"                             FILE; or set SMTPCON_PASSWORD (never an argument:\n"
"                             other users can see those)\n"
"      --authzid NAME         authorization identity for AUTH PLAIN\n"
"Modes:\n"
"      --practice[=SCENARIO]  start the built-in practice server on loopback and\n"
"                             connect to it; --practice=list names the scenarios\n"
"      --batch                line mode, no curses\n"
"      --timestamps[=ms]      show the time of each line (=ms: to the\n"
"                             millisecond) and how long each reply took\n"
"      --debug FILE           trace every dialogue state change and every\n"
"                             command queued and paired with its reply in FILE\n"
"                             (never a secret or a line's text)\n"
"      --no-journal           write no session journal (see below)\n"
"      --save FILE            at the end, write the transcript to FILE as /save\n"
"                             does: every line with its time, TLS details\n"
"                             included, secrets redacted\n"
"      --save-chain FILE      at the end, write the server's certificates to\n"
"                             FILE (PEM) as /chain does\n"
"  -h, --help                 show this help and exit\n"
"  -V, --version              show the version and exit\n"
"\n"
"Line mode: a line starting with / is a console command, not sent: /save FILE,\n"
"/chain FILE or /quit, run once the lines before it are answered (in a message\n"
"body, a BDAT chunk or an AUTH exchange the line goes to the server as typed).\n"
"Lines starting with # before the first other line are comments: the header\n"
"the console's /save --script writes.\n"
"\n"
"Exit status (line mode): 0 the dialogue ended well; 1 the server answered a\n"
"command with 4xx or 5xx; 2 usage error; 3 connection failed; 4 TLS failed or\n"
"the certificate was not verified (without --insecure); 5 protocol failure (no\n"
"greeting, no reply in time, malformed reply, the server hung up or stopped\n"
"reading); 6 an input line could not be sent as given (NUL byte, bare CR, too\n"
"long): the message was abandoned.  Both modes: 129, 130 or 143 (128 + the\n"
"signal) when ended by SIGHUP, SIGINT or SIGTERM.\n"
"\n"
"Journal: each run writes its transcript, secrets redacted, as it goes to a file\n"
"of its own in $XDG_STATE_HOME/smtpcon/journal/ (by default\n"
"~/.local/state/smtpcon/journal/), named by the time and the server, so that a\n"
"crash or a lost terminal loses nothing.  When one starts, journals last written\n"
"more than %d days ago are deleted, and all but the newest %d.\n",
	    JOURNAL_KEEP_DAYS, JOURNAL_KEEP);
}

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

/* The AUTH secret: from a file or the environment, never from the command line. */
static int
opts_secret(struct opts *o, const char *path)
{
	const char	*env = getenv("SMTPCON_PASSWORD");
	struct stat	 st;
	char		 buf[4096];
	ssize_t		 n;
	int		 fd;

	if (path != NULL) {
		/* read(2) into a buffer of ours: stdio's would keep a copy. */
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
			fprintf(stderr, "smtpcon: cannot read --password-file %s: %s\n",
			    path, strerror(errno));
			return (-1);
		}
		if (fstat(fd, &st) == 0 && (st.st_mode & 077) != 0)
			fprintf(stderr, "smtpcon: warning: %s can be read by other "
			    "users (chmod 600 it)\n", path);
		n = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (n < 0)
			n = 0;
		buf[n] = '\0';
		buf[strcspn(buf, "\r\n")] = '\0';
		if (buf[0] == '\0') {
			fprintf(stderr, "smtpcon: --password-file %s is empty\n", path);
			xwipe(buf, sizeof buf);
			return (-1);
		}
		o->secret = xstrdup(buf);
		xwipe(buf, sizeof buf);
	} else if (env != NULL && *env != '\0') {
		o->secret = xstrdup(env);
	}
	/* Children (the practice server) have no business with it. */
	if (env != NULL) {
		xwipe((char *)env, strlen(env));
		unsetenv("SMTPCON_PASSWORD");
	}
	if (o->secret != NULL && o->user == NULL) {
		fprintf(stderr, "smtpcon: a password was given but no --user\n");
		xfree_secret_str(o->secret);
		o->secret = NULL;
		return (-1);
	}
	return (0);
}

/*
 * getopt_long takes any unique prefix of an option, so "--password X" would be read as
 * --password-file and its error would echo X. An option that names a secret is taken
 * only spelled in full, and a secret is never taken from the command line, where other
 * users can read it: refuse, without echoing the value.
 */
static int
opts_secret_spelling(int argc, char *argv[])
{
	static const char	 full[] = "--password-file";
	size_t			 n;
	int			 i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strncmp(argv[i], "--pa", 4) != 0)
			continue;
		n = strcspn(argv[i], "=");
		if (n == sizeof full - 1 && strncmp(argv[i], full, n) == 0)
			continue;
		if (n > 10 && strncmp(argv[i], full, n) == 0) {
			fprintf(stderr, "smtpcon: spell --password-file in full: an "
			    "option that names a secret is not taken abbreviated\n");
			return (-1);
		}
		if (strncmp(argv[i], "--password", n < 10 ? n : 10) == 0 ||
		    strncmp(argv[i], "--pass", 6) == 0) {
			fprintf(stderr, "smtpcon: passwords never go on the command "
			    "line: use --password-file or SMTPCON_PASSWORD\n");
			return (-1);
		}
	}
	return (0);
}

/* After the options: the server, what goes together, the EHLO line, the secret. */
static int
opts_finish(struct opts *o, int argc, char *argv[], const char *ehlo_name,
    const char *password_file)
{
	static char	 host[HOST_NAME_MAX + 1];

	if (argc - optind > 1) {
		fprintf(stderr, "smtpcon: one server at a time (got \"%s\" and \"%s\")\n"
		    "Try 'smtpcon --help' for more information.\n", argv[optind],
		    argv[optind + 1]);
		return (EXIT_USAGE);
	}
	if (optind < argc)
		o->target = argv[optind];
	if ((o->sess.tls.certfile == NULL) != (o->sess.tls.keyfile == NULL)) {
		fprintf(stderr, "smtpcon: --cert and --key go together\n");
		return (EXIT_USAGE);
	}
	if (ehlo_name == NULL) {
		if (gethostname(host, sizeof host) == 0 && host[0] != '\0')
			o->ehlo = xasprintf("EHLO %s", host);
		else
			o->ehlo = xstrdup("EHLO localhost");
	} else
		o->ehlo = xasprintf("EHLO %s", ehlo_name);
	o->sess.ehlo = o->ehlo;

	if (opts_secret(o, password_file) != 0)
		return (EXIT_USAGE);
	return (-1);
}

int
opts_parse(struct opts *o, int argc, char *argv[])
{
	const char	*ehlo_name = NULL, *password_file = NULL;
	char		*err = NULL;
	int		 c;

	memset(o, 0, sizeof *o);
	if (opts_secret_spelling(argc, argv) != 0)
		return (EXIT_USAGE);
	o->sess.family = AF_UNSPEC;
	o->sess.connect_timeout = 10;
	o->sess.reply_timeout = 30;
	o->mode = SESSION_PLAIN;

	while ((c = getopt_long(argc, argv, "46hV", opts_long, NULL)) != -1) {
		switch (c) {
		case '4':
			o->sess.family = AF_INET;
			break;
		case '6':
			o->sess.family = AF_INET6;
			break;
		case OPT_STARTTLS:
			o->mode = SESSION_STARTTLS;
			break;
		case OPT_TLS:
			o->mode = SESSION_TLS;
			break;
		case OPT_EHLO:
			ehlo_name = optarg;
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
		case OPT_CAFILE:
			o->sess.tls.cafile = optarg;
			break;
		case OPT_INSECURE:
			o->sess.insecure = 1;
			break;
		case OPT_SNI:
			o->sess.tls.sni = optarg;
			break;
		case OPT_CERT:
			o->sess.tls.certfile = optarg;
			break;
		case OPT_KEY:
			o->sess.tls.keyfile = optarg;
			break;
		case OPT_PRIORITY:
			o->sess.tls.priority = optarg;
			break;
		case OPT_TLS_VERSION:
			if (strcmp(optarg, "1.2") == 0)
				o->sess.tls.version = 12;
			else if (strcmp(optarg, "1.3") == 0)
				o->sess.tls.version = 13;
			else {
				fprintf(stderr, "smtpcon: --tls-version takes 1.2 or "
				    "1.3, not \"%s\"\n", optarg);
				return (EXIT_USAGE);
			}
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
			password_file = optarg;
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
			printf("smtpcon %s\n", PACKAGE_VERSION);
			return (EXIT_OK);
		default:
			fprintf(stderr, "Try 'smtpcon --help' for more information.\n");
			return (EXIT_USAGE);
		}
	}
	return (opts_finish(o, argc, argv, ehlo_name, password_file));
}

void
opts_free(struct opts *o)
{
	xfree_secret_str(o->secret);
	o->secret = NULL;
	free(o->ehlo);
	o->ehlo = NULL;
	o->sess.ehlo = NULL;
}
