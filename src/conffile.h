/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The config file, $XDG_CONFIG_HOME/smtpcon/config (~/.config/smtpcon/config), and the
 * server profiles in it. The format (README, "Config file"):
 *
 *	# a comment
 *	[profile work]
 *	host = mail.example.com
 *	port = 587
 *	mode = starttls
 *
 * A line is blank, a comment (# first), a section header [profile NAME], or
 * "key = value" inside a section. A value runs to the end of the line, spaces around it
 * dropped; # inside a value is part of it. The parser is pure (text in, profiles out) and
 * stops at the first problem, reported as "FILE:LINE: problem".
 *
 * A password never sits in the file: a "password" key is refused; password-file names a
 * file holding it, password-command a command (run with /bin/sh -c) that prints it.
 */
#ifndef CONFFILE_H
#define CONFFILE_H

#include <stddef.h>

enum conffile_mode {
	CONFFILE_MODE_UNSET = 0,
	CONFFILE_MODE_PLAIN,
	CONFFILE_MODE_STARTTLS,
	CONFFILE_MODE_TLS,
	CONFFILE_MODE_STARTTLS_IF_OFFERED	/* "starttls=if-offered" */
};

/* One profile. Unset strings are NULL, unset numbers 0, journal -1 when unset. */
struct conffile_profile {
	const char		*name;
	const char		*host;
	const char		*port;		/* digits, 1 to 65535 */
	enum conffile_mode	 mode;
	const char		*user;
	const char		*password_file;
	const char		*password_command;
	const char		*cafile;
	const char		*sni;
	const char		*ehlo;		/* a name, as --ehlo takes */
	int			 tls_version;	/* 12 or 13 */
	const char		*priority;
	int			 connect_timeout;	/* seconds */
	int			 timeout;		/* seconds */
	int			 journal;	/* 1 on, 0 off, -1 unset */
	const char		*note;		/* one line for --profile list */
	int			 line;		/* where its header is; 0: built in */
};

struct conffile {
	char			*path;		/* the file read, or NULL */
	struct conffile_profile	*profiles;
	size_t			 n;
};

/* The config file's path (malloc'd): $XDG_CONFIG_HOME/smtpcon/config when that is an
 * absolute path, else $HOME/.config/smtpcon/config. */
char	*conffile_path(void);

/*
 * Parse text (the contents of the file named path, used only in messages) into c, which
 * is emptied first. Returns 0, or -1 with *errstr ("FILE:LINE: problem", malloc'd) and c
 * left empty.
 */
int	 conffile_parse(struct conffile *c, const char *path, const char *text,
	    char **errstr);

/* Read and parse the file at path. A missing file is an empty config (0). */
int	 conffile_load(struct conffile *c, const char *path, char **errstr);

/* Free what c holds; c is empty again. */
void	 conffile_free(struct conffile *c);

/* The profile called name: the user's first, then the built-in ones; NULL if none. */
const struct conffile_profile *conffile_find(const struct conffile *c, const char *name);

/* The built-in profiles (profiles.c), and how many there are. */
extern const struct conffile_profile	conffile_builtin[];
extern const size_t			conffile_nbuiltin;

/* "plain", "starttls", "tls" or "-". */
const char *conffile_mode_name(enum conffile_mode);

/* The config this run loaded, for whoever lists profiles later (completion); NULL if none. */
void	 conffile_use(const struct conffile *);
const struct conffile *conffile_used(void);

#endif
