/* Console commands: one table of name, usage, help topic and handler. */
#ifndef CMD_H
#define CMD_H

struct ui;

struct cmd {
	const char	*name;		/* without the '/' */
	const char	*usage;
	const char	*summary;
	void		(*fn)(struct ui *, int argc, char **argv);
};

/* The table, ended by a row with a NULL name. */
extern const struct cmd	cmd_table[];

#endif
