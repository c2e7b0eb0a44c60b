/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Fuzz the display sanitizer (vis.h): whatever the bytes, the result is safe for a
 * terminal, printable ASCII passes unchanged, and the UTF-8 decoder stays in bounds.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "vis.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*buf = (const char *)data;
	char		*out;
	size_t		 printable, i, n;
	long		 cp;

	out = vis_bytes(buf, size);
	FUZZ_CHECK(out != NULL);
	FUZZ_CHECK(fuzz_display_safe(out));
	/* Nothing is dropped: every byte gives at least one. */
	FUZZ_CHECK(strlen(out) >= size);

	printable = vis_printable(buf, size);
	FUZZ_CHECK(printable <= size);
	for (i = 0; i < printable; i++)
		FUZZ_CHECK(data[i] >= 0x20 && data[i] < 0x7f);
	/* Printable ASCII is shown as it is. */
	if (printable == size)
		FUZZ_CHECK(strlen(out) == size && memcmp(out, buf, size) == 0);
	free(out);

	for (i = 0; i < size; i += n) {
		cp = vis_utf8(data + i, size - i, &n);
		FUZZ_CHECK(n >= 1 && n <= 4 && n <= size - i);
		if (cp >= 0) {
			FUZZ_CHECK(cp <= 0x10ffff);
			FUZZ_CHECK(cp < 0xd800 || cp > 0xdfff);
		} else
			FUZZ_CHECK(n == 1);
	}
	return (0);
}
