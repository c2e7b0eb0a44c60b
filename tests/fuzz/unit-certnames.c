/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Certificate names are shown whole: a SAN or CN "localhost\0.evil.example" must not
 * show as "localhost" (issue 10). The certificate is a seed of the cert fuzzer: made by
 * certtool with "localhostX", then X patched to a NUL (the signature no longer matches,
 * which the display does not check).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls.h"
#include "tlsview.h"
#include "unit.h"

static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE		*f;
	unsigned char	*buf;

	if ((f = fopen(path, "rb")) == NULL)
		return (NULL);
	buf = malloc(65536);
	*len = fread(buf, 1, 65536, f);
	fclose(f);
	return (buf);
}

int
main(void)
{
	const char		*srcdir = getenv("srcdir");
	char			 path[4096];
	unsigned char		*der;
	size_t			 len, n, i;
	struct tls_info		*in;
	struct tlsview_line	*v;
	int			 shown = 0;

	snprintf(path, sizeof path, "%s/tests/fuzz/corpus/cert/nul-in-name.der",
	    srcdir != NULL ? srcdir : ".");
	der = slurp(path, &len);
	CHECK(der != NULL);
	if (der == NULL)
		return (unit_done());
	in = tls_info_from_der(der, len);
	CHECK(strstr(in->certs[0].sans, "DNS:localhost^@.evil.example") != NULL);
	CHECK(strstr(in->certs[0].sans, "DNS:mx.example.org") != NULL);
	CHECK(strstr(in->certs[0].sans, "IP:192.0.2.1") != NULL);
	CHECK(strstr(in->certs[0].sans, "IP:2001:db8::25") != NULL);
	CHECK(strstr(in->certs[0].sans, "URI:https://example.org/") != NULL);
	/* The subject's CN is whole too: GnuTLS writes a DN value holding a NUL in
	 * hex (RFC 4514), "localhost\0.evil.example" being 6c...74 00 2e...65. */
	CHECK(strstr(in->certs[0].subject,
	    "6c6f63616c686f7374002e6576696c2e6578616d706c65") != NULL);
	v = tlsview_lines(in, &n);
	for (i = 0; i < n; i++) {
		if (strstr(v[i].text, "names   ") != NULL &&
		    strstr(v[i].text, "DNS:localhost^@.evil.example") != NULL)
			shown = 1;
	}
	CHECK(shown);
	tlsview_free(v, n);
	tls_info_free(in);
	free(der);
	return (unit_done());
}
