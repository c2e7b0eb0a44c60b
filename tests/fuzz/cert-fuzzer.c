/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Fuzz the certificate display: DER read by the code that reads a server's chain
 * (tls_info_from_der), then drawn by tlsview as the TLS pane and line mode show it. Every
 * line must be safe for a terminal, whatever the certificate holds.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "tls.h"
#include "tlsview.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tls_info		*in;
	struct tlsview_line	*v;
	size_t			 n, i;

	in = tls_info_from_der(data, size);
	FUZZ_CHECK(in != NULL && in->ncerts == 1);
	FUZZ_CHECK(fuzz_display_safe(in->certs[0].subject));
	FUZZ_CHECK(fuzz_display_safe(in->certs[0].issuer));
	FUZZ_CHECK(fuzz_display_safe(in->certs[0].sans));
	v = tlsview_lines(in, &n);
	FUZZ_CHECK(n > 0);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(v[i].text != NULL && fuzz_display_safe(v[i].text));
	tlsview_free(v, n);
	tls_info_free(in);
	return (0);
}
