/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * smtpcon-practice: a small teaching SMTP server.  This file has main, the
 * options, the scenarios, the listening socket and the poll loop; one
 * session is in pserver.c.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fs.h"
#include "pcert.h"
#include "pgrey.h"
#include "plog.h"
#include "pmaildir.h"
#include "pserver.h"
#include "ptls.h"
#include "xmalloc.h"
#include "xtime.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0.1.0"
#endif

#define PRACTICE_MAX_CLIENTS	64
#define PRACTICE_ACCEPT_PAUSE	1000	/* ms without accepting after EMFILE */

/* Exit statuses. */
#define PRACTICE_EXIT_OK	0
#define PRACTICE_EXIT_FAIL	1
#define PRACTICE_EXIT_USAGE	2

static const struct practice_scenario {
	const char	*name;
	const char	*description;
	int		 flags;
	enum pcert_leaf	 leaf;
} practice_scenarios[] = {
	{ "normal", "STARTTLS offered, AUTH allowed with or without TLS",
	  0, PCERT_GOOD },
	{ "strict", "STARTTLS required first: MAIL, RCPT, DATA and AUTH get "
	  "530 before TLS; AUTH advertised only under TLS",
	  PSERVER_TLS_REQUIRED, PCERT_GOOD },
	{ "bad-cert", "TLS offered with an expired certificate: clients that "
	  "verify see the failure", 0, PCERT_EXPIRED },
	{ "slow", "every reply, the greeting too, comes 2 seconds late",
	  PSERVER_SLOW, PCERT_GOOD },
	{ "greylist", "the first RCPT of each sender and recipient pair gets "
	  "451 4.7.1; trying again works", PSERVER_GREYLIST, PCERT_GOOD },
};

static const struct option practice_options[] = {
	{ "listen", required_argument, NULL, 'l' },
	{ "port", required_argument, NULL, 'p' },
	{ "portfile", required_argument, NULL, 'P' },
	{ "scenario", required_argument, NULL, 's' },
	{ "maildir", required_argument, NULL, 'm' },
	{ "datadir", required_argument, NULL, 'd' },
	{ "tls-required", no_argument, NULL, 'T' },
	{ "once", no_argument, NULL, 'O' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "list-scenarios", no_argument, NULL, 'L' },
	{ NULL, 0, NULL, 0 }
};

static volatile sig_atomic_t practice_signal;

static void
practice_usage(FILE *f)
{
	fprintf(f,
"Usage: smtpcon-practice [OPTION]...\n"
"A small SMTP server to practise the dialogue on (with smtpcon --practice,\n"
"or alone to serve a class).  Logins: demo / demo and student / practice.\n"
"It offers PIPELINING, SIZE, 8BITMIME, ENHANCEDSTATUSCODES, STARTTLS, AUTH\n"
"and CHUNKING: a message goes with DATA, or in BDAT chunks (RFC 3030).\n"
"\n"
"  -l, --listen ADDR       address to listen on (default 127.0.0.1)\n"
"  -p, --port N            port (default 0: pick a free one)\n"
"      --portfile FILE     write the port number to FILE once listening\n"
"  -s, --scenario NAME     how the server behaves (default normal; see\n"
"                          --list-scenarios)\n"
"  -m, --maildir DIR       Maildir for accepted messages\n"
"                          (default DATADIR/maildir)\n"
"  -d, --datadir DIR       certificates, envelopes and the default Maildir\n"
"                          (default ${XDG_DATA_HOME:-$HOME/.local/share}/\n"
"                          smtpcon/practice)\n"
"      --tls-required      refuse MAIL, RCPT, DATA, BDAT and AUTH before\n"
"                          STARTTLS\n"
"      --once              exit after the first connection ends\n"
"  -q, --quiet             print nothing but errors\n"
"      --list-scenarios    list the scenarios and exit\n"
"  -h, --help              show this help and exit\n"
"  -V, --version           show the version and exit\n"
"\n"
"The practice CA is DATADIR/ca.pem: give it to a client (smtpcon --cafile,\n"
"swaks --tls-ca-path, gnutls-cli --x509cafile) to verify the server.\n"
"SIGTERM or SIGINT stops the server.\n"
"\n"
"Report bugs to: <%s>\n"
"smtpcon home page: <%s>\n", PACKAGE_BUGREPORT, PACKAGE_URL);
}

static void
practice_on_signal(int sig)
{
	practice_signal = sig;
}

static const struct practice_scenario *
practice_find_scenario(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof practice_scenarios /
	    sizeof practice_scenarios[0]; i++) {
		if (strcmp(practice_scenarios[i].name, name) == 0)
			return (&practice_scenarios[i]);
	}
	return (NULL);
}

static char *
practice_absolute(const char *path)
{
	char	cwd[PATH_MAX];

	if (*path == '/' || getcwd(cwd, sizeof cwd) == NULL)
		return (xstrdup(path));
	return (xasprintf("%s/%s", cwd, path));
}

/* The default data directory, per the XDG base directory rules. */
static char *
practice_default_datadir(char **errstr)
{
	const char	*xdg, *home;

	xdg = getenv("XDG_DATA_HOME");
	if (xdg != NULL && *xdg == '/')
		return (xasprintf("%s/smtpcon/practice", xdg));
	home = getenv("HOME");
	if (home == NULL || *home == '\0') {
		*errstr = xstrdup("neither XDG_DATA_HOME nor HOME is set: "
		    "use --datadir");
		return (NULL);
	}
	return (xasprintf("%s/.local/share/smtpcon/practice", home));
}

/* "host:port" or "[v6]:port" for a socket address. */
static char *
practice_addr_string(const struct sockaddr *sa, socklen_t len)
{
	char	host[NI_MAXHOST], serv[NI_MAXSERV];

	if (getnameinfo(sa, len, host, sizeof host, serv, sizeof serv,
	    NI_NUMERICHOST|NI_NUMERICSERV) != 0)
		return (xstrdup("?"));
	if (sa->sa_family == AF_INET6)
		return (xasprintf("[%s]:%s", host, serv));
	return (xasprintf("%s:%s", host, serv));
}

static int
practice_listen(const char *addr, const char *port, char **where,
    unsigned int *portnum, char **errstr)
{
	struct addrinfo		 hints, *res, *ai;
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;
	int			 fd = -1, on = 1, ret, saved = 0;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE|AI_NUMERICSERV;
	if ((ret = getaddrinfo(addr, port, &hints, &res)) != 0) {
		*errstr = xasprintf("cannot listen on %s port %s: %s",
		    addr, port, gai_strerror(ret));
		return (-1);
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype|SOCK_NONBLOCK|
		    SOCK_CLOEXEC, ai->ai_protocol);
		if (fd == -1) {
			saved = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(fd, 16) == 0)
			break;
		saved = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd == -1) {
		*errstr = xasprintf("cannot listen on %s port %s: %s",
		    addr, port, strerror(saved));
		return (-1);
	}
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1) {
		*errstr = xasprintf("getsockname: %s", strerror(errno));
		close(fd);
		return (-1);
	}
	*where = practice_addr_string((struct sockaddr *)&ss, len);
	if (ss.ss_family == AF_INET6)
		*portnum = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	else
		*portnum = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return (fd);
}

/* Take every waiting connection. */
static void
practice_accept(int lfd, const struct pserver_config *cfg,
    struct pserver **sessions, size_t *nsessions, int64_t now,
    int64_t *pause_until, int once, int *accepted)
{
	static const char	 busy[] = "421 4.7.0 " PSERVER_HOST
				    " Too many connections, try again later\r\n";
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	char			*peer;
	int			 fd;

	while (!(once && *accepted)) {
		len = sizeof ss;
		fd = accept4(lfd, (struct sockaddr *)&ss, &len,
		    SOCK_NONBLOCK|SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				/* The listener stays ready: do not spin on it. */
				plog_warn("accept: %s", strerror(errno));
				*pause_until = now + PRACTICE_ACCEPT_PAUSE;
			}
			return;
		}
		if (*nsessions == PRACTICE_MAX_CLIENTS) {
			/* Best effort: it is turned away either way. */
			(void)!send(fd, busy, sizeof busy - 1, MSG_NOSIGNAL);
			close(fd);
			continue;
		}
		peer = practice_addr_string((struct sockaddr *)&ss, len);
		sessions[(*nsessions)++] = pserver_new(cfg, fd, peer, now);
		free(peer);
		*accepted = 1;
		if (pserver_run(sessions[*nsessions - 1], now) == -1) {
			pserver_free(sessions[*nsessions - 1]);
			(*nsessions)--;
		}
	}
}

static int
practice_loop(int lfd, const struct pserver_config *cfg, int once)
{
	struct pserver	*sessions[PRACTICE_MAX_CLIENTS];
	struct pollfd	 pfd[PRACTICE_MAX_CLIENTS + 1];
	struct timespec	 ts, *tsp;
	sigset_t	 unblocked;
	int64_t		 now, deadline, d, pause_until = 0;
	size_t		 n = 0, i, j;
	nfds_t		 nfds;
	short		 events;
	int		 accepted = 0, ret;

	sigemptyset(&unblocked);
	while (practice_signal == 0) {
		if (once && accepted && lfd != -1) {
			/* --once: nobody else gets in. */
			close(lfd);
			lfd = -1;
		}
		if (once && accepted && n == 0)
			break;
		now = xtime_ms();
		deadline = -1;
		for (i = 0; i < n; i++) {
			pserver_wait(sessions[i], now, &events, &d);
			/* No events: not even POLLHUP must wake us in vain. */
			pfd[i].fd = events != 0 ? pserver_fd(sessions[i]) : -1;
			pfd[i].events = events;
			pfd[i].revents = 0;
			if (d != -1 && (deadline == -1 || d < deadline))
				deadline = d;
		}
		pfd[n].fd = lfd;
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		if (lfd != -1 && now < pause_until) {
			pfd[n].fd = -1;
			if (deadline == -1 || pause_until < deadline)
				deadline = pause_until;
		}
		if (deadline == -1)
			tsp = NULL;
		else {
			d = deadline > now ? deadline - now : 0;
			ts.tv_sec = d / 1000;
			ts.tv_nsec = (d % 1000) * 1000000;
			tsp = &ts;
		}
		nfds = n + 1;
		ret = ppoll(pfd, nfds, tsp, &unblocked);
		if (ret == -1 && errno != EINTR) {
			plog_warn("poll: %s", strerror(errno));
			return (-1);
		}
		if (practice_signal != 0)
			break;
		now = xtime_ms();
		for (i = 0, j = 0; i < n; i++) {
			pserver_wait(sessions[i], now, &events, &d);
			if (ret > 0 && pfd[i].revents != 0)
				d = now;
			if ((d != -1 && d <= now) &&
			    pserver_run(sessions[i], now) == -1) {
				pserver_free(sessions[i]);
				continue;
			}
			sessions[j++] = sessions[i];
		}
		n = j;
		if (lfd != -1 && ret > 0 && pfd[nfds - 1].fd != -1 &&
		    pfd[nfds - 1].revents != 0)
			practice_accept(lfd, cfg, sessions, &n, now,
			    &pause_until, once, &accepted);
	}
	for (i = 0; i < n; i++) {
		pserver_shutdown(sessions[i]);
		pserver_free(sessions[i]);
	}
	if (lfd != -1)
		close(lfd);
	return (0);
}

/* What the command line asks for. */
struct practice_opts {
	const char	*listen_addr;
	const char	*port;
	const char	*scenario;
	char		*portfile;	/* absolute, or NULL */
	char		*maildir;	/* absolute, or NULL: under datadir */
	char		*datadir;	/* absolute, or NULL: the XDG default */
	int		 once;
	int		 tls_required;
};

/* The command line, into o.  Returns -1 to go on, or the status to exit with. */
static int
practice_parse(int argc, char **argv, struct practice_opts *o)
{
	char		*end;
	unsigned long	 pn;
	size_t		 i;
	int		 ch;

	while ((ch = getopt_long(argc, argv, "l:p:s:m:d:qhV",
	    practice_options, NULL)) != -1) {
		switch (ch) {
		case 'l':
			o->listen_addr = optarg;
			break;
		case 'p':
			errno = 0;
			pn = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || errno != 0 ||
			    pn > 65535) {
				fprintf(stderr, "%s: bad port \"%s\": give a "
				    "number from 0 to 65535\n",
				    PLOG_PROGNAME, optarg);
				return (PRACTICE_EXIT_USAGE);
			}
			o->port = optarg;
			break;
		case 'P':
			free(o->portfile);
			o->portfile = practice_absolute(optarg);
			break;
		case 's':
			o->scenario = optarg;
			break;
		case 'm':
			free(o->maildir);
			o->maildir = practice_absolute(optarg);
			break;
		case 'd':
			free(o->datadir);
			o->datadir = practice_absolute(optarg);
			break;
		case 'T':
			o->tls_required = 1;
			break;
		case 'O':
			o->once = 1;
			break;
		case 'q':
			plog_quiet = 1;
			break;
		case 'h':
			practice_usage(stdout);
			return (PRACTICE_EXIT_OK);
		case 'V':
			printf("smtpcon-practice (smtpcon) %s\n"
			    "Copyright (C) 2026 The smtpcon developers\n"
			    "License GPLv3+: GNU GPL version 3 or later "
			    "<https://gnu.org/licenses/gpl.html>.\n"
			    "This is free software: you are free to change "
			    "and redistribute it.\n"
			    "There is NO WARRANTY, to the extent permitted by "
			    "law.\n", PACKAGE_VERSION);
			return (PRACTICE_EXIT_OK);
		case 'L':
			for (i = 0; i < sizeof practice_scenarios /
			    sizeof practice_scenarios[0]; i++)
				printf("%-10s %s\n", practice_scenarios[i].name,
				    practice_scenarios[i].description);
			return (PRACTICE_EXIT_OK);
		default:
			fprintf(stderr, "Try '%s --help' for more "
			    "information.\n", PLOG_PROGNAME);
			return (PRACTICE_EXIT_USAGE);
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument \"%s\"\n"
		    "Try '%s --help' for more information.\n", PLOG_PROGNAME,
		    argv[optind], PLOG_PROGNAME);
		return (PRACTICE_EXIT_USAGE);
	}
	return (-1);
}

/* Signals wait blocked and are taken only inside ppoll. */
static void
practice_signals(void)
{
	struct sigaction	sa;
	sigset_t		block;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = practice_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, NULL);
}

int
main(int argc, char **argv)
{
	const struct practice_scenario	*sc;
	struct practice_opts		 o;
	struct pserver_config		 cfg;
	struct ptls_server		*tls = NULL;
	struct pmaildir			*md = NULL;
	char				*envdir = NULL, *errstr = NULL;
	char				*cafile = NULL, *certfile = NULL;
	char				*keyfile = NULL, *where = NULL, *portstr;
	unsigned int			 portnum;
	int				 lfd, made, status;

	xmalloc_progname(PLOG_PROGNAME);
	memset(&o, 0, sizeof o);
	o.listen_addr = "127.0.0.1";
	o.port = "0";
	o.scenario = "normal";
	if ((status = practice_parse(argc, argv, &o)) != -1)
		goto out;
	status = PRACTICE_EXIT_FAIL;
	if ((sc = practice_find_scenario(o.scenario)) == NULL) {
		fprintf(stderr, "%s: unknown scenario \"%s\" (see "
		    "--list-scenarios)\n", PLOG_PROGNAME, o.scenario);
		status = PRACTICE_EXIT_USAGE;
		goto out;
	}

	if (o.datadir == NULL &&
	    (o.datadir = practice_default_datadir(&errstr)) == NULL)
		goto fail;
	if (fs_mkdirs(o.datadir, 0700, &errstr) == -1)
		goto fail;
	if (o.maildir == NULL)
		o.maildir = xasprintf("%s/maildir", o.datadir);
	envdir = xasprintf("%s/envelopes", o.datadir);

	if (pcert_ensure(o.datadir, sc->leaf, &cafile, &certfile, &keyfile,
	    &made, &errstr) == -1)
		goto fail;
	if (made)
		plog_info("made the practice certificates in %s", o.datadir);
	if ((tls = ptls_server_new(certfile, keyfile, &errstr)) == NULL)
		goto fail;
	if ((md = pmaildir_open(o.maildir, envdir, &errstr)) == NULL)
		goto fail;

	practice_signals();

	if ((lfd = practice_listen(o.listen_addr, o.port, &where, &portnum,
	    &errstr)) == -1)
		goto fail;
	if (o.portfile != NULL) {
		portstr = xasprintf("%u\n", portnum);
		if (fs_write_atomic(o.portfile, portstr, strlen(portstr), 0644,
		    &errstr) == -1) {
			free(portstr);
			close(lfd);
			goto fail;
		}
		free(portstr);
	}
	plog_info("listening on %s", where);
	plog_info("scenario %s: %s%s", sc->name, sc->description,
	    o.tls_required && !(sc->flags & PSERVER_TLS_REQUIRED) ?
	    "; STARTTLS required" : "");
	plog_info("practice CA: %s (clients verify with --cafile %s)",
	    cafile, cafile);
	plog_info("messages are saved in %s/new", pmaildir_path(md));
	plog_info("logins: demo / demo, student / practice");

	memset(&cfg, 0, sizeof cfg);
	cfg.scenario = sc->name;
	cfg.flags = sc->flags | (o.tls_required ? PSERVER_TLS_REQUIRED : 0);
	cfg.tls = tls;
	cfg.maildir = md;
	cfg.greylist = pgrey_new();
	if (practice_loop(lfd, &cfg, o.once) == 0)
		status = PRACTICE_EXIT_OK;
	if (practice_signal != 0)
		plog_info("stopped by signal %d", (int)practice_signal);
	pgrey_free(cfg.greylist);
	if (o.portfile != NULL)
		unlink(o.portfile);
	goto out;

fail:
	plog_warn("%s", errstr);
	free(errstr);
out:
	ptls_server_free(tls);
	pmaildir_free(md);
	free(where);
	free(cafile);
	free(certfile);
	free(keyfile);
	free(o.portfile);
	free(o.maildir);
	free(o.datadir);
	free(envdir);
	return (status);
}
