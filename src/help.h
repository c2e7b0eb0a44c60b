/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The help files: text in help/, one per console command and per SMTP verb. */
#ifndef HELP_H
#define HELP_H

/*
 * The text of help/FILE.txt ("smtp-data", "cmd-save", "index"): malloc'd, or NULL with
 * *errstr malloc'd (not installed: says where they were looked for).
 */
char	*help_read(const char *file, char **errstr);
/* The directory the topics are read from ($SMTPCON_HELPDIR, next to the program, or the
 * installed one); NULL if none has them. */
const char *help_dir(void);

#endif
