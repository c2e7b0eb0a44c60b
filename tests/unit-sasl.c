/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Unit tests of the SASL answer builders against the RFCs' own examples. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sasl.h"
#include "unit.h"

/* Encode then decode len bytes; check the text if want is not NULL. */
static void
round_trip(const char *file, int line, const void *data, size_t len,
    const char *want)
{
	unsigned char	*out = NULL;
	char		*b64, *err = NULL;
	size_t		 outlen = 99;
	int		 ok;

	b64 = sasl_b64_encode(data, len);
	if (want != NULL && strcmp(b64, want) != 0) {
		unit_failed++;
		printf("%s:%d: FAILED: encode gave \"%s\", want \"%s\"\n", file,
		    line, b64, want);
	} else
		unit_passed++;
	ok = sasl_b64_decode(b64, &out, &outlen, &err) == 0 && out != NULL &&
	    err == NULL && outlen == len && memcmp(out, data, len) == 0 &&
	    out[len] == '\0';
	if (ok)
		unit_passed++;
	else {
		unit_failed++;
		printf("%s:%d: FAILED: round trip of %zu bytes via \"%s\" (%s)\n",
		    file, line, len, b64, err != NULL ? err : "decoded wrong");
	}
	if (out != NULL) {
		sasl_wipe(out, outlen);
		free(out);
	}
	free(err);
	sasl_free(b64);
}
#define ROUND_TRIP(d, l, w) round_trip(__FILE__, __LINE__, d, l, w)

/* Decoding must fail with a reason and leave nothing allocated behind. */
static void
bad_b64(const char *file, int line, const char *b64)
{
	unsigned char	*out = (unsigned char *)"x";
	char		*err = NULL;
	size_t		 outlen = 99;
	int		 ret;

	ret = sasl_b64_decode(b64, &out, &outlen, &err);
	if (ret == -1 && out == NULL && outlen == 0 && err != NULL &&
	    *err != '\0')
		unit_passed++;
	else {
		unit_failed++;
		printf("%s:%d: FAILED: \"%s\" was not rejected with a reason\n",
		    file, line, b64);
	}
	free(err);
	if (ret == 0)
		free(out);
}
#define BAD_B64(s) bad_b64(__FILE__, __LINE__, s)

/* Decode b64 into a malloc'd buffer for comparing layouts; NULL if invalid. */
static unsigned char *
decode(const char *b64, size_t *len)
{
	unsigned char	*out;

	if (sasl_b64_decode(b64, &out, len, NULL) != 0)
		return (NULL);
	return (out);
}

static void
test_base64(void)
{
	unsigned char	 all[256], *out;
	char		*err;
	size_t		 i, len;

	/* RFC 4648 section 10. */
	ROUND_TRIP("", 0, "");
	ROUND_TRIP("f", 1, "Zg==");
	ROUND_TRIP("fo", 2, "Zm8=");
	ROUND_TRIP("foo", 3, "Zm9v");
	ROUND_TRIP("foob", 4, "Zm9vYg==");
	ROUND_TRIP("fooba", 5, "Zm9vYmE=");
	ROUND_TRIP("foobar", 6, "Zm9vYmFy");

	/* Binary, NULs included. */
	ROUND_TRIP("\0", 1, "AA==");
	ROUND_TRIP("\0\0", 2, "AAA=");
	ROUND_TRIP("\0\0\0", 3, "AAAA");
	ROUND_TRIP("a\0b\0\xff", 5, "YQBiAP8=");
	for (i = 0; i < sizeof all; i++)
		all[i] = (unsigned char)(255 - i);
	ROUND_TRIP(all, sizeof all, NULL);
	for (i = 0; i < 70; i++)
		ROUND_TRIP(all, i, NULL);

	/* Long input: no line breaks in the output. */
	{
		char	*b64 = sasl_b64_encode(all, sizeof all);

		CHECK(strchr(b64, '\n') == NULL && strlen(b64) == 344);
		sasl_free(b64);
	}
	{
		char	*b64 = sasl_b64_encode(NULL, 0);

		CHECK(b64 != NULL && *b64 == '\0');
		sasl_free(b64);
	}

	/* Empty and spaced text. */
	out = NULL;
	CHECK(sasl_b64_decode("", &out, &len, NULL) == 0 && out != NULL &&
	    len == 0 && out[0] == '\0');
	free(out);
	CHECK(sasl_b64_decode("  \r\n", &out, &len, NULL) == 0 && len == 0);
	free(out);
	CHECK(sasl_b64_decode(" \tZm9v\r\n", &out, &len, NULL) == 0 &&
	    len == 3 && strcmp((char *)out, "foo") == 0);
	free(out);

	/* Invalid text is refused, with a reason. */
	BAD_B64("Zm9");
	BAD_B64("Zg");
	BAD_B64("Zg=");
	BAD_B64("Zm9v!");
	BAD_B64("Zm 9v");
	BAD_B64("Zm9v\nYmFy");
	BAD_B64("Z===");
	BAD_B64("====");
	BAD_B64("=");
	BAD_B64("Zg==Zg==");
	BAD_B64("Zh==");
	BAD_B64("Zm9=");
	BAD_B64("Zm9v\x80");
	BAD_B64("Zm9v-_");

	/* errstr NULL is allowed. */
	CHECK(sasl_b64_decode("***", &out, &len, NULL) == -1 && out == NULL);
	err = NULL;
	CHECK(sasl_b64_decode("Zm9v", &out, &len, &err) == 0 && err == NULL);
	free(out);
}

static void
test_plain_login(void)
{
	char		*s;
	unsigned char	*raw;
	size_t		 len;

	/* RFC 4616 section 4. */
	s = sasl_plain("", "tim", "tanstaaftanstaaf");
	CHECK_STR(s, "AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
	sasl_free(s);
	s = sasl_plain(NULL, "tim", "tanstaaftanstaaf");
	CHECK_STR(s, "AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
	sasl_free(s);
	s = sasl_plain("Ursel", "Kurt", "xipj3plmq");
	CHECK_STR(s, "VXJzZWwAS3VydAB4aXBqM3BsbXE=");
	raw = decode(s, &len);
	CHECK(raw != NULL && len == 20 &&
	    memcmp(raw, "Ursel\0Kurt\0xipj3plmq", 20) == 0);
	free(raw);
	sasl_free(s);
	s = sasl_plain(NULL, "", "");
	CHECK_STR(s, "AAA=");
	sasl_free(s);

	/* AUTH LOGIN: the prompts servers send, and answers. */
	s = sasl_login("Username:");
	CHECK_STR(s, "VXNlcm5hbWU6");
	sasl_free(s);
	s = sasl_login("Password:");
	CHECK_STR(s, "UGFzc3dvcmQ6");
	sasl_free(s);
	raw = decode("VXNlcm5hbWU6", &len);
	CHECK(raw != NULL && len == 9 && strcmp((char *)raw, "Username:") == 0);
	free(raw);
	raw = decode("UGFzc3dvcmQ6", &len);
	CHECK(raw != NULL && len == 9 && strcmp((char *)raw, "Password:") == 0);
	free(raw);
	s = sasl_login("");
	CHECK_STR(s, "");
	sasl_free(s);
}

static void
test_cram_md5(void)
{
	char	*chal, *out, *err;

	/* RFC 2195 section 2. */
	chal = sasl_b64_encode("<1896.697170952@postoffice.reston.mci.net>", 42);
	CHECK_STR(chal, "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+");
	out = err = NULL;
	CHECK(sasl_cram_md5("tim", "tanstaaftanstaaf", chal, &out, &err) == 0);
	CHECK(err == NULL);
	CHECK_STR(out, "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw");
	if (out != NULL) {
		size_t		 len;
		unsigned char	*raw = decode(out, &len);

		CHECK(raw != NULL &&
		    strcmp((char *)raw, "tim b913a602c7eda7a495b4e6e7334d3890") == 0);
		free(raw);
	}
	sasl_free(out);

	/* Spaces around the challenge, as after "334 ", do not matter. */
	{
		char	*spaced = malloc(strlen(chal) + 4);

		sprintf(spaced, " %s\r\n", chal);
		out = NULL;
		CHECK(sasl_cram_md5("tim", "tanstaaftanstaaf", spaced, &out, NULL) == 0);
		CHECK_STR(out, "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw");
		sasl_free(out);
		free(spaced);
	}
	sasl_free(chal);

	/* A challenge that is not base64 is refused with a reason. */
	out = (char *)"x";
	err = NULL;
	CHECK(sasl_cram_md5("tim", "pw", "<1896.697170952@postoffice>", &out,
	    &err) == -1);
	CHECK(out == NULL);
	CHECK(err != NULL && strstr(err, "base64") != NULL);
	free(err);
	out = (char *)"x";
	CHECK(sasl_cram_md5("tim", "pw", "Zm9", &out, NULL) == -1 && out == NULL);

	/* An empty password is still a key. */
	out = NULL;
	CHECK(sasl_cram_md5("u", "", "PGE+", &out, NULL) == 0 && out != NULL);
	sasl_free(out);
}

static void
test_oauth(void)
{
	static const char	 want_x[] = "user=someuser@example.com\001auth=Bearer "
	    "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg\001\001";
	static const char	 want_o[] = "n,a=user@example.com,\001host=server.example.com"
	    "\001port=143\001auth=Bearer vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg=="
	    "\001\001";
	static const char	 want_e[] = "n,a=a=2Cb=3D=3Dc,\001host=h\001port=587"
	    "\001auth=Bearer t\001\001";
	static const char	 want_n[] = "n,,\001auth=Bearer t\001\001";
	char			*s;
	unsigned char		*raw;
	size_t			 len;

	/* XOAUTH2: Google's documented example. */
	s = sasl_xoauth2("someuser@example.com",
	    "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg");
	CHECK_STR(s, "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRm"
	    "dDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==");
	raw = decode(s, &len);
	CHECK(raw != NULL && len == sizeof want_x - 1 &&
	    memcmp(raw, want_x, len) == 0);
	free(raw);
	sasl_free(s);

	/* OAUTHBEARER: RFC 7628 section 4.1. */
	s = sasl_oauthbearer("user@example.com", "server.example.com", 143,
	    "vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg==");
	CHECK_STR(s, "bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBv"
	    "cnQ9MTQzAWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRH"
	    "RXVZMjl0Q2c9PQEB");
	raw = decode(s, &len);
	CHECK(raw != NULL && len == sizeof want_o - 1 &&
	    memcmp(raw, want_o, len) == 0);
	free(raw);
	sasl_free(s);

	/* ',' and '=' in the user name are escaped (RFC 5801). */
	s = sasl_oauthbearer("a,b==c", "h", 587, "t");
	raw = decode(s, &len);
	CHECK(raw != NULL && len == sizeof want_e - 1 &&
	    memcmp(raw, want_e, len) == 0);
	if (raw != NULL && (len != sizeof want_e - 1 || memcmp(raw, want_e, len)))
		printf("  got \"%s\"\n", raw);
	free(raw);
	sasl_free(s);

	/* Optional parts left out. */
	s = sasl_oauthbearer(NULL, NULL, 0, "t");
	raw = decode(s, &len);
	CHECK(raw != NULL && len == sizeof want_n - 1 &&
	    memcmp(raw, want_n, len) == 0);
	free(raw);
	sasl_free(s);
	s = sasl_oauthbearer("", NULL, 0, "t");
	raw = decode(s, &len);
	CHECK(raw != NULL && len == sizeof want_n - 1 &&
	    memcmp(raw, want_n, len) == 0);
	free(raw);
	sasl_free(s);
}

/* Decode the base64 of len bytes at data for display and compare with want. */
static void
decode_text(const char *file, int line, const char *data, size_t len,
    const char *want)
{
	char	*b64, *text = (char *)"x";

	b64 = sasl_b64_encode(data, len);
	if (sasl_decode_text(b64, &text) == 0 && text != NULL &&
	    strcmp(text, want) == 0)
		unit_passed++;
	else {
		unit_failed++;
		printf("%s:%d: FAILED: decode_text(\"%s\") gave \"%s\", want "
		    "\"%s\"\n", file, line, b64, text ? text : "(null)", want);
	}
	free(text);
	sasl_free(b64);
}
#define DECODE_TEXT(d, l, w) decode_text(__FILE__, __LINE__, d, l, w)

static void
test_decode_text(void)
{
	char	*text;

	DECODE_TEXT("Username:", 9, "Username:");
	DECODE_TEXT("", 0, "");
	DECODE_TEXT("a\tb\r\n", 5, "a^Ib^M^J");
	DECODE_TEXT("\0\001\033[2J\177", 7, "^@^A^[[2J^?");
	DECODE_TEXT("caf\xc3\xa9 \xe2\x82\xac", 9, "caf\xc3\xa9 \xe2\x82\xac");
	DECODE_TEXT("\xff\xfe", 2, "\\xFF\\xFE");
	DECODE_TEXT("a\xc3", 2, "a\\xC3");
	DECODE_TEXT("\xc0\xaf", 2, "\\xC0\\xAF");
	DECODE_TEXT("x\xc2\x9b" "y", 4, "x<U+009B>y");

	text = NULL;
	CHECK(sasl_decode_text("", &text) == 0 && text != NULL && *text == '\0');
	free(text);
	text = NULL;
	CHECK(sasl_decode_text(" ", &text) == 0 && text != NULL && *text == '\0');
	free(text);
	text = (char *)"x";
	CHECK(sasl_decode_text("Username:", &text) == -1 && text == NULL);
	text = (char *)"x";
	CHECK(sasl_decode_text("VXNlcm5hbWU", &text) == -1 && text == NULL);
}

static void
test_wipe(void)
{
	char	buf[8] = "secret!";
	char	*s;

	sasl_wipe(buf, sizeof buf);
	CHECK(memcmp(buf, "\0\0\0\0\0\0\0\0", 8) == 0);
	sasl_wipe(NULL, 0);
	sasl_free(NULL);
	s = strdup("password");
	sasl_free(s);
	CHECK(1);
}

int
main(void)
{
	test_base64();
	test_plain_login();
	test_cram_md5();
	test_oauth();
	test_decode_text();
	test_wipe();
	return (unit_done());
}
