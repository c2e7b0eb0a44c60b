/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Console commands: one table of name, usage, summary, help topic and handler. Lookup,
 * the list an unknown command gets, the commands in the help index, the help topics
 * (help.c) and Tab completion (cmd-complete.c) all read it: adding a command is adding a
 * row, a function and its help file.
 */
#ifndef CMD_H
#define CMD_H

#include <stddef.h>

struct ui;

struct cmd {
	const char	*name;		/* without the '/' */
	const char	*usage;		/* "/save FILE" */
	const char	*summary;	/* a few words, for the help index */
	const char	*topic;		/* its help file without ".txt": "cmd-save" */
	const char	*words;		/* what Tab offers after it, space-separated, or NULL */
	void		(*fn)(struct ui *, int argc, char **argv);
};

/* Run a console command line (it starts with '/'): 0, or -1 when there was none to run
 * (the reason is in the transcript). */
int		 cmd_run(struct ui *, const char *line);
/* --save and --save-chain, when the console ends (the terminal is given back): 0, or
 * -1 when one failed, said on standard error. */
int		 cmd_save_at_exit(struct ui *);

/* "usage: /save FILE" for the command called name, in the transcript. */
void		 cmd_usage(struct ui *, const char *name);
/* cmd-check.c: /check TARGET [--ports LIST] [--all-mx], the server check. */
void		 cmd_check_run(struct ui *, int argc, char **argv);

/* The number of commands, and command i of them in the table's order (NULL past the
 * end). Static; never freed. */
size_t		 cmd_count(void);
const struct cmd *cmd_at(size_t i);
/* The command called name (without the '/', exact case), or NULL. */
const struct cmd *cmd_find(const char *name);
/* The error for an unknown command name: "unknown command /x: the commands are
 * /connect ... (/help for more)"; malloc'd. */
char		*cmd_unknown(const char *name);
/* The commands part of the help index: a line of usage and summary for each command;
 * malloc'd. */
char		*cmd_index(void);

/*
 * cmd-help.c: which help topic is which file. cmd_help_load() loads topic ("DATA",
 * "save", "/save", "" for the index): malloc'd text, or NULL with *errstr malloc'd
 * (an unknown topic lists what exists). cmd_help_topics(): the topic names, for
 * completion, NULL-terminated, built once and kept.
 */
char		*cmd_help_load(const char *topic, char **errstr);
const char *const *cmd_help_topics(void);

/*
 * cmd-complete.c: what Tab offers. text is the word being completed, starting at byte
 * start of line (the whole input line); caps are the EHLO lines the server advertised
 * ("AUTH PLAIN LOGIN", "SIZE 1000"), NULL-terminated, or NULL. Return the candidates that text begins (in any case) as a NULL-terminated
 * malloc'd array of malloc'd strings (free with cmd_complete_free), or NULL for none.
 */
char		**cmd_complete(const char *line, const char *text, int start,
		    const char *const *caps);
void		 cmd_complete_free(char **);

#endif
