/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The secret for AUTH: from --password-file, SMTPCON_PASSWORD or a profile's password
 * file or command, read once and wiped where it passed; and the spellings of a
 * password option that would put it on the command line, refused.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opts-int.h"
#include "xmalloc.h"

/*
 * The first line of what command prints (run with /bin/sh -c, as the user wrote it in
 * their own config file): the secret, malloc'd, or NULL after saying why. The command's
 * standard input and error are ours, so that it can ask (gpg's pinentry, pass).
 */
static char *
opts_secret_command(const char *cmd)
{
	char	 buf[4096], rest[512], *secret = NULL;
	size_t	 n = 0;
	ssize_t	 r;
	pid_t	 pid;
	int	 fd[2], status;

	if (pipe2(fd, O_CLOEXEC) == -1) {
		fprintf(stderr, "smtpcon: password-command: pipe: %s\n",
		    strerror(errno));
		return (NULL);
	}
	fflush(stdout);
	if ((pid = fork()) == -1) {
		fprintf(stderr, "smtpcon: password-command: fork: %s\n",
		    strerror(errno));
		close(fd[0]);
		close(fd[1]);
		return (NULL);
	}
	if (pid == 0) {
		dup2(fd[1], STDOUT_FILENO);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	/* Read it all (a command killed by SIGPIPE would fail); the first line counts. */
	for (;;) {
		if (n < sizeof buf - 1)
			r = read(fd[0], buf + n, sizeof buf - 1 - n);
		else
			r = read(fd[0], rest, sizeof rest);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (n < sizeof buf - 1)
			n += r;
	}
	xwipe(rest, sizeof rest);
	close(fd[0]);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fprintf(stderr, "smtpcon: password-command failed (%s %d): %s\n",
		    WIFEXITED(status) ? "exit status" : "signal",
		    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), cmd);
	else if (buf[0] == '\0')
		fprintf(stderr, "smtpcon: password-command printed nothing: %s\n",
		    cmd);
	else
		secret = xstrdup(buf);
	xwipe(buf, sizeof buf);
	return (secret);
}

/*
 * The AUTH secret: from --password-file, SMTPCON_PASSWORD, or the profile's
 * password-file or password-command, in that order; never from the command line.
 */
int
opts_secret(struct opts *o, const char *path)
{
	const char	*env = getenv("SMTPCON_PASSWORD");
	const char	*cmd = NULL, *opt = "--password-file";
	struct stat	 st;
	char		 buf[4096];
	ssize_t		 n;
	int		 fd;

	if (path == NULL && (env == NULL || *env == '\0') && o->profile != NULL) {
		path = o->profile->password_file;
		cmd = o->profile->password_command;
		opt = "password-file";
	}
	if (path != NULL) {
		/* read(2) into a buffer of ours: stdio's would keep a copy. */
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
			fprintf(stderr, "smtpcon: cannot read %s %s: %s\n", opt,
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
			fprintf(stderr, "smtpcon: %s %s is empty\n", opt, path);
			xwipe(buf, sizeof buf);
			return (-1);
		}
		o->secret = xstrdup(buf);
		xwipe(buf, sizeof buf);
	} else if (cmd != NULL) {
		if ((o->secret = opts_secret_command(cmd)) == NULL)
			return (-1);
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
int
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
