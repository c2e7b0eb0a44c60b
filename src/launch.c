/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Starting and stopping the practice server for smtpcon --practice. */
#include "config.h"

#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "launch.h"
#include "xmalloc.h"

#define LAUNCH_WAIT_MS	10000

/* The practice server binary: next to us, then the installed one, then PATH. */
static char *
launch_binary(void)
{
	char	 exe[PATH_MAX - 32], *slash, *p;
	ssize_t	 n;

	if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			p = xasprintf("%s/smtpcon-practice", exe);
			if (access(p, X_OK) == 0)
				return (p);
			free(p);
		}
	}
	p = xasprintf("%s/smtpcon-practice", BINDIR);
	if (access(p, X_OK) == 0)
		return (p);
	free(p);
	return (xstrdup("smtpcon-practice"));
}

int
launch_list(void)
{
	char	*bin = launch_binary();
	pid_t	 pid;
	int	 status;

	fflush(stdout);
	if ((pid = fork()) == -1) {
		free(bin);
		return (1);
	}
	if (pid == 0) {
		execlp(bin, "smtpcon-practice", "--list-scenarios", (char *)NULL);
		fprintf(stderr, "smtpcon: cannot run %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	free(bin);
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status))
		return (1);
	return (WEXITSTATUS(status));
}

int
launch_scenario_check(const char *scenario, char **errstr)
{
	char	*bin, buf[4096], *names = NULL, *t, *line, *save = NULL;
	size_t	 n = 0;
	ssize_t	 r;
	pid_t	 pid;
	int	 fd[2], status, found = 0;

	if (pipe2(fd, O_CLOEXEC) == -1)
		return (0);
	bin = launch_binary();
	if ((pid = fork()) == -1) {
		close(fd[0]);
		close(fd[1]);
		free(bin);
		return (0);
	}
	if (pid == 0) {
		dup2(fd[1], STDOUT_FILENO);
		execlp(bin, "smtpcon-practice", "--list-scenarios", (char *)NULL);
		_exit(127);
	}
	free(bin);
	close(fd[1]);
	while (n < sizeof buf - 1 &&
	    ((r = read(fd[0], buf + n, sizeof buf - 1 - n)) > 0 ||
	    (r == -1 && errno == EINTR)))
		n += r > 0 ? (size_t)r : 0;
	buf[n] = '\0';
	close(fd[0]);
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return (0);	/* no list to check against: starting it will say */
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, " \t")] = '\0';
		if (strcmp(line, scenario) == 0)
			found = 1;
		t = xasprintf("%s%s%s", names != NULL ? names : "",
		    names != NULL ? ", " : "", line);
		free(names);
		names = t;
	}
	if (!found)
		*errstr = xasprintf("unknown practice scenario \"%s\" (there are: "
		    "%s)", scenario, names != NULL ? names : "none");
	free(names);
	return (found ? 0 : -1);
}

static char *
launch_datadir(void)
{
	const char	*xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");

	if (xdg != NULL && *xdg == '/')
		return (xasprintf("%s/smtpcon/practice", xdg));
	return (xasprintf("%s/.local/share/smtpcon/practice",
	    home != NULL && *home != '\0' ? home : "/tmp"));
}

/* The first line of the server's log, for a failure message. */
static char *
launch_log_line(const struct launch *l)
{
	char	*path = xasprintf("%s/log", l->dir), buf[512] = "";
	FILE	*f;

	if ((f = fopen(path, "r")) != NULL) {
		if (fgets(buf, sizeof buf, f) == NULL)
			buf[0] = '\0';
		fclose(f);
	}
	free(path);
	buf[strcspn(buf, "\n")] = '\0';
	return (xstrdup(buf));
}

static void
launch_free(struct launch *l)
{
	char	*p;

	if (l->dir != NULL) {
		p = xasprintf("%s/port", l->dir);
		unlink(p);
		free(p);
		p = xasprintf("%s/log", l->dir);
		unlink(p);
		free(p);
		rmdir(l->dir);
	}
	free(l->dir);
	free(l->datadir);
	free(l->cafile);
	free(l->maildir);
	free(l->scenario);
	free(l->port);
	memset(l, 0, sizeof *l);
}

int
launch_practice(const char *scenario, struct launch *l, char **errstr)
{
	char		 tmpl[] = "/tmp/smtpcon-practice.XXXXXX", *bin, *portfile;
	char		*log, buf[32], *line;
	struct timespec	 ts = { 0, 50 * 1000 * 1000 };
	FILE		*f;
	int		 fd, waited, status;

	memset(l, 0, sizeof *l);
	if (mkdtemp(tmpl) == NULL) {
		*errstr = xasprintf("cannot make a temporary directory: %s",
		    strerror(errno));
		return (-1);
	}
	l->dir = xstrdup(tmpl);
	l->datadir = launch_datadir();
	l->cafile = xasprintf("%s/ca.pem", l->datadir);
	l->maildir = xasprintf("%s/maildir", l->datadir);
	l->scenario = xstrdup(scenario != NULL ? scenario : "normal");
	portfile = xasprintf("%s/port", l->dir);
	log = xasprintf("%s/log", l->dir);
	bin = launch_binary();

	fflush(stdout);
	if ((l->pid = fork()) == -1) {
		*errstr = xasprintf("cannot start the practice server: %s",
		    strerror(errno));
		goto fail;
	}
	if (l->pid == 0) {
		/* If smtpcon dies without stopping it, it goes too. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		/* Its messages go to the log: the console owns the terminal. */
		if ((fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600)) != -1) {
			dup2(fd, STDERR_FILENO);
			dup2(fd, STDOUT_FILENO);
			close(fd);
		}
		if ((fd = open("/dev/null", O_RDONLY)) != -1) {
			dup2(fd, STDIN_FILENO);
			close(fd);
		}
		execlp(bin, "smtpcon-practice", "--listen", "127.0.0.1",
		    "--port", "0", "--portfile", portfile, "--scenario", l->scenario,
		    "--datadir", l->datadir, (char *)NULL);
		fprintf(stderr, "cannot run %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	for (waited = 0; waited < LAUNCH_WAIT_MS; waited += 50) {
		if ((f = fopen(portfile, "r")) != NULL) {
			if (fgets(buf, sizeof buf, f) != NULL) {
				buf[strcspn(buf, "\n")] = '\0';
				l->port = xstrdup(buf);
			}
			fclose(f);
			if (l->port != NULL)
				break;
		}
		if (waitpid(l->pid, &status, WNOHANG) == l->pid) {
			l->pid = 0;
			line = launch_log_line(l);
			*errstr = xasprintf("the practice server did not start: %s",
			    *line ? line : "no message");
			free(line);
			goto fail;
		}
		nanosleep(&ts, NULL);
	}
	if (l->port == NULL) {
		*errstr = xstrdup("the practice server did not start within 10 s");
		goto fail;
	}
	free(portfile);
	free(log);
	free(bin);
	return (0);
fail:
	free(portfile);
	free(log);
	free(bin);
	launch_stop(l);
	return (-1);
}

void
launch_stop(struct launch *l)
{
	struct timespec	ts = { 0, 20 * 1000 * 1000 };
	int		status, i;

	if (l->pid > 0) {
		kill(l->pid, SIGTERM);
		for (i = 0; i < 100; i++) {
			if (waitpid(l->pid, &status, WNOHANG) == l->pid)
				break;
			nanosleep(&ts, NULL);
		}
		if (i == 100) {
			kill(l->pid, SIGKILL);
			waitpid(l->pid, &status, 0);
		}
	}
	launch_free(l);
}

void
launch_welcome(const struct launch *l, struct transcript *tr)
{
	transcript_addf(tr, TR_LOCAL, "practice server (scenario \"%s\") on "
	    "127.0.0.1 port %s; it stops when you quit", l->scenario, l->port);
	transcript_add(tr, TR_LOCAL, "demo logins: demo / demo and student / "
	    "practice; mailboxes demo, student, alice, bob, postmaster at "
	    "practice.smtpcon.test", NULL);
	transcript_addf(tr, TR_LOCAL, "its certificate comes from a practice CA "
	    "that smtpcon trusts here (%s)", l->cafile);
	transcript_addf(tr, TR_LOCAL, "messages you send are saved in %s/new",
	    l->maildir);
	transcript_add(tr, TR_HINT, "try: EHLO me, STARTTLS, EHLO me, AUTH LOGIN, "
	    "MAIL FROM:<demo@practice.smtpcon.test>, RCPT "
	    "TO:<alice@practice.smtpcon.test>, DATA, a few lines, a lone \".\", "
	    "QUIT (F1 or /help DATA for more)", NULL);
}
