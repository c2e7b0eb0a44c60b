/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Inside the options module, shared by its files only: opts.c (parsing), opts-usage.c
 * (--help, --version) and opts-secret.c (the secret).
 */
#ifndef OPTS_INT_H
#define OPTS_INT_H

#include <stdio.h>

#include "opts.h"

/* --help's text to f. */
void	opts_usage(FILE *f);
/* --version's text to standard output. */
void	opts_version(void);
/*
 * Read the secret into o->secret: from path (--password-file), SMTPCON_PASSWORD (then
 * wiped from the environment), or the profile's password file or command. 0, or -1
 * after saying why on standard error.
 */
int	opts_secret(struct opts *o, const char *path);
/* A password given on the command line (--password, --pass...): -1 after saying to use
 * --password-file; 0 when there is none. */
int	opts_secret_spelling(int argc, char *argv[]);

#endif
