/* Help topics: text files in help/, one per console command and per SMTP verb. */
#ifndef HELP_H
#define HELP_H

/*
 * Load the text of topic ("DATA", "save", "/save", "" for the index). Return the malloc'd
 * text, or NULL with *errstr malloc'd (unknown topic: lists what exists; missing files: says
 * where they were looked for). The topics are smtp.c's verbs and cmd.c's commands, each
 * row naming its file; the index gets its command lines from cmd_index().
 */
char	*help_load(const char *topic, char **errstr);
/* The directory the topics are read from ($SMTPCON_HELPDIR, next to the program, or the
 * installed one); NULL if none has them. */
const char *help_dir(void);
/* Topic names for completion, from the verb and command tables: a NULL-terminated
 * array, built on the first call and kept. */
const char *const *help_topics(void);

#endif
