/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Directories and files made safely. Shared by smtpcon and smtpcon-practice (libcommon). */
#ifndef FS_H
#define FS_H

#include <sys/types.h>

#include <stddef.h>

/*
 * mkdir -p: create dir and its missing parents, each with mode (an existing one is left
 * as it is). Returns 0 when dir is then a directory, or -1 with *errstr set to a
 * malloc'd reason naming the part that failed (the caller frees it).
 */
int	 fs_mkdirs(const char *dir, mode_t mode, char **errstr);

/*
 * Write len bytes at data to path atomically: a temporary file beside it, created with
 * mode, written, synced, then renamed over path; a reader sees the old file or the new
 * one, never a part. Returns 0, or -1 with *errstr allocated (nothing is left behind).
 */
int	 fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
	     char **errstr);

#endif
