/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * tls-sink.c -- a discarding SMTP sink with STARTTLS (GnuTLS), for bench/tls.sh.
 *
 *	tls-sink CERT KEY LOG --portfile PORTFILE	(as tests/lib.sh's _lib_run calls it)
 *
 * The C twin of tls-sink.py: the Python sink pays about 9 us per TLS record, so
 * a client that sends one record per line (134,000 a 10 MiB message) would be
 * measured against the sink.  This one costs next to nothing per record.
 * Built by tls.sh at run time: cc -O2 tls-sink.c $(pkg-config --cflags --libs gnutls).
 *
 * Listens on 127.0.0.1, a free port written to PORTFILE; one connection at a time;
 * offers PIPELINING, 8BITMIME, STARTTLS; 250 to everything but DATA (354, then 250
 * after CRLF.CRLF) and QUIT (221).  Appends "message N BYTES" to LOG per message.
 * A connection silent for 60 s is dropped.  Ends on SIGTERM.
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <gnutls/gnutls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define BUFSZ (1 << 20)

static gnutls_certificate_credentials_t cred;
static gnutls_session_t tls;
static int fd;
static char buf[BUFSZ + 8];
static size_t len;		/* bytes in buf */
static const char term[] = "\r\n.\r\n";

static ssize_t
rd(char *p, size_t n)
{
	ssize_t r;

	if (tls == NULL)
		return recv(fd, p, n, 0);
	do
		r = gnutls_record_recv(tls, p, n);
	while (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED);
	return r < 0 ? -1 : r;
}

static int
wr(const char *s)
{
	size_t n = strlen(s);
	ssize_t r;

	while (n > 0) {
		if (tls == NULL)
			r = send(fd, s, n, MSG_NOSIGNAL);
		else {
			do
				r = gnutls_record_send(tls, s, n);
			while (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED);
		}
		if (r <= 0)
			return -1;
		s += r;
		n -= r;
	}
	return 0;
}

/* The body after "354": returns its size (without the final "."), or -1. */
static long long
body(void)
{
	char tail[16];
	size_t tl = 2, k;
	long long size;
	char *hit;
	ssize_t n;

	/* The DATA line's CRLF is the first CRLF of CRLF.CRLF. */
	memcpy(tail, "\r\n", 2);
	size = 0;
	for (;;) {
		if (len > 0) {
			/* Across the boundary: the tail and this data's first 4 bytes. */
			char join[16];
			size_t m = len < 4 ? len : 4;

			memcpy(join, tail, tl);
			memcpy(join + tl, buf, m);
			hit = memmem(join, tl + m, term, 5);
			if (hit != NULL)
				k = (size_t)(hit - join) + 5 - tl;
			else if ((hit = memmem(buf, len, term, 5)) != NULL)
				k = (size_t)(hit - buf) + 5;
			if (hit != NULL) {
				size += (long long)k - 3;
				memmove(buf, buf + k, len - k);
				len -= k;
				return size;
			}
			size += len;
			if (len >= 4) {
				memcpy(tail, buf + len - 4, 4);
				tl = 4;
			} else {
				memcpy(join, tail, tl);
				memcpy(join + tl, buf, len);
				m = tl + len > 4 ? tl + len - 4 : 0;
				memmove(tail, join + m, tl + len - m);
				tl = tl + len - m;
			}
			len = 0;
		}
		if ((n = rd(buf, BUFSZ)) <= 0)
			return -1;
		len = n;
	}
}

static void
session(FILE *log, long *count)
{
	char line[1024], *nl;
	size_t ll;
	ssize_t n;
	long long size;
	int ret;

	len = 0;
	tls = NULL;
	if (wr("220 tls-sink ESMTP\r\n") < 0)
		return;
	for (;;) {
		if ((nl = memchr(buf, '\n', len)) == NULL) {
			if (len >= BUFSZ || (n = rd(buf + len, BUFSZ - len)) <= 0)
				return;
			len += n;
			continue;
		}
		ll = (size_t)(nl - buf) + 1;
		if (ll >= sizeof(line))
			ll = sizeof(line) - 1;
		memcpy(line, buf, ll);
		line[ll] = '\0';
		memmove(buf, nl + 1, len - (size_t)(nl + 1 - buf));
		len -= (size_t)(nl + 1 - buf);
		if (strncasecmp(line, "EHLO", 4) == 0 || strncasecmp(line, "HELO", 4) == 0) {
			if (wr(tls ? "250-tls-sink\r\n250-PIPELINING\r\n250 8BITMIME\r\n" :
			    "250-tls-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 STARTTLS\r\n") < 0)
				return;
		} else if (strncasecmp(line, "STARTTLS", 8) == 0 && tls == NULL) {
			if (wr("220 2.0.0 go ahead\r\n") < 0)
				return;
			len = 0;
			gnutls_init(&tls, GNUTLS_SERVER);
			gnutls_set_default_priority(tls);
			gnutls_credentials_set(tls, GNUTLS_CRD_CERTIFICATE, cred);
			gnutls_transport_set_int(tls, fd);
			do
				ret = gnutls_handshake(tls);
			while (ret < 0 && gnutls_error_is_fatal(ret) == 0);
			if (ret < 0) {
				fprintf(stderr, "tls-sink: handshake: %s\n", gnutls_strerror(ret));
				return;
			}
		} else if (strncasecmp(line, "DATA", 4) == 0) {
			if (wr("354 go ahead\r\n") < 0 || (size = body()) < 0)
				return;
			fprintf(log, "message %ld %lld\n", ++*count, size);
			fflush(log);
			if (wr("250 2.0.0 ok\r\n") < 0)
				return;
		} else if (strncasecmp(line, "QUIT", 4) == 0) {
			if (wr("221 2.0.0 bye\r\n") == 0 && tls != NULL)
				gnutls_bye(tls, GNUTLS_SHUT_WR);
			return;
		} else if (wr("250 2.0.0 ok\r\n") < 0)
			return;
	}
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sin;
	struct timeval tv = { 60, 0 };
	socklen_t sl = sizeof(sin);
	char tmp[4096];
	FILE *f, *log;
	long count = 0;
	int ls, one = 1;

	if (argc != 6 || strcmp(argv[4], "--portfile") != 0) {
		fprintf(stderr, "usage: tls-sink CERT KEY LOG --portfile FILE\n");
		return 2;
	}
	gnutls_global_init();
	gnutls_certificate_allocate_credentials(&cred);
	if (gnutls_certificate_set_x509_key_file(cred, argv[1], argv[2],
	    GNUTLS_X509_FMT_PEM) < 0) {
		fprintf(stderr, "tls-sink: cannot load %s / %s\n", argv[1], argv[2]);
		return 1;
	}
	if ((log = fopen(argv[3], "a")) == NULL) {
		perror(argv[3]);
		return 1;
	}
	ls = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(ls, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(ls, 16) < 0 ||
	    getsockname(ls, (struct sockaddr *)&sin, &sl) < 0) {
		perror("tls-sink: listen");
		return 1;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[5]);
	if ((f = fopen(tmp, "w")) == NULL || fprintf(f, "%d\n", ntohs(sin.sin_port)) < 0 ||
	    fclose(f) != 0 || rename(tmp, argv[5]) < 0) {
		perror(argv[5]);
		return 1;
	}
	for (;;) {
		if ((fd = accept(ls, NULL, NULL)) < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		session(log, &count);
		if (tls != NULL)
			gnutls_deinit(tls);
		tls = NULL;
		close(fd);
	}
}
