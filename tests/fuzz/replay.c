/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Replay a harness's inputs with the normal compiler, so that "make check" runs the seed
 * corpus and every past finding of the fuzzers as regression tests (no libFuzzer needed).
 *
 * Usage: replay-NAME [file or directory ...]. Without arguments, the inputs are
 * $srcdir/tests/fuzz/corpus/NAME/ (which must hold some) and
 * $srcdir/tests/fuzz/findings/NAME/ (which may be absent).
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#ifndef FUZZ_HARNESS
#error FUZZ_HARNESS must name the harness
#endif

static size_t	replayed;

static int
replay_file(const char *path)
{
	FILE		*f;
	uint8_t		*buf = NULL;
	size_t		 len = 0, n;
	uint8_t		 chunk[4096];

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if ((buf = realloc(buf, len + n)) == NULL) {
			fprintf(stderr, "replay: out of memory\n");
			exit(1);
		}
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	/* As libFuzzer does: the input is exactly its bytes, nothing after them. */
	printf("%s (%zu bytes)\n", path, len);
	fflush(stdout);
	LLVMFuzzerTestOneInput(buf != NULL ? buf : (const uint8_t *)"", len);
	free(buf);
	replayed++;
	return (0);
}

/* Replay path: a file, or every file in a directory (not its dotfiles). -1 if absent. */
static int
replay_path(const char *path)
{
	struct stat	 sb;
	DIR		*d;
	struct dirent	*de;
	char		*p;
	int		 ret = 0;

	if (stat(path, &sb) == -1)
		return (-1);
	if (!S_ISDIR(sb.st_mode))
		return (replay_file(path));
	if ((d = opendir(path)) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&p, "%s/%s", path, de->d_name) == -1)
			exit(1);
		if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && replay_file(p) != 0)
			ret = -1;
		free(p);
	}
	closedir(d);
	return (ret);
}

int
main(int argc, char **argv)
{
	struct stat	 sb;
	const char	*srcdir = getenv("srcdir");
	char		*corpus, *findings;
	int		 i, ret = 0;

	if (argc > 1) {
		for (i = 1; i < argc; i++) {
			if (replay_path(argv[i]) != 0) {
				fprintf(stderr, "replay: cannot read %s\n", argv[i]);
				ret = 1;
			}
		}
		printf("%zu inputs replayed\n", replayed);
		return (ret);
	}
	if (srcdir == NULL)
		srcdir = ".";
	if (asprintf(&corpus, "%s/tests/fuzz/corpus/%s", srcdir, FUZZ_HARNESS) == -1 ||
	    asprintf(&findings, "%s/tests/fuzz/findings/%s", srcdir,
	    FUZZ_HARNESS) == -1)
		return (1);
	if (replay_path(corpus) != 0 || replayed == 0) {
		fprintf(stderr, "replay: no seed corpus in %s\n", corpus);
		ret = 1;
	}
	/* Findings are kept only once there are some: the directory may be absent. */
	if (stat(findings, &sb) == 0 && replay_path(findings) != 0)
		ret = 1;
	printf("%s: %zu inputs replayed\n", FUZZ_HARNESS, replayed);
	free(corpus);
	free(findings);
	return (ret);
}
