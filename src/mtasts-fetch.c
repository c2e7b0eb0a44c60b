/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The MTA-STS policy over HTTPS, with libcurl (its GnuTLS build). */
#include "config.h"

#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "mtasts.h"
#include "mtasts-fetch.h"
#include "vis.h"
#include "xmalloc.h"

struct mtasts_fetch_buf {
	char	*data;
	size_t	 len;
	int	 too_big;
};

char *
mtasts_fetch_url(const char *domain)
{
	return (xasprintf("https://mta-sts.%s/.well-known/mta-sts.txt", domain));
}

static size_t
mtasts_fetch_write(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct mtasts_fetch_buf	*b = arg;
	size_t			 n = size * nmemb;

	if (n > MTASTS_POLICY_MAX - b->len) {
		b->too_big = 1;
		return (0);	/* curl stops with CURLE_WRITE_ERROR */
	}
	b->data = xreallocarray(b->data, b->len + n + 1, 1);
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	b->data[b->len] = '\0';
	return (n);
}

/* What a failed transfer means, in words. */
static char *
mtasts_fetch_error(CURLcode e, const char *host, const char *detail,
    const struct mtasts_fetch_opts *o, const struct mtasts_fetch_buf *b)
{
	switch (e) {
	case CURLE_COULDNT_RESOLVE_HOST:
		return (xasprintf("%s: name not found (no address for the policy "
		    "host)", host));
	case CURLE_COULDNT_CONNECT:
		return (xasprintf("cannot connect to %s port 443: %s", host, detail));
	case CURLE_OPERATION_TIMEDOUT:
		return (xasprintf("no answer from %s within %d s", host, o->timeout));
	case CURLE_PEER_FAILED_VERIFICATION:
#if LIBCURL_VERSION_NUM < 0x073e00
	case CURLE_SSL_CACERT:
#endif
		return (xasprintf("the HTTPS certificate of %s is not valid for it "
		    "or not trusted (%s)", host, detail));
	case CURLE_SSL_CONNECT_ERROR:
		return (xasprintf("TLS with %s failed: %s", host, detail));
	case CURLE_ABORTED_BY_CALLBACK:
		return (xasprintf("fetching from %s: given up", host));
	case CURLE_FILESIZE_EXCEEDED:
	case CURLE_WRITE_ERROR:
		if (b->too_big || e == CURLE_FILESIZE_EXCEEDED)
			return (xasprintf("the policy at %s is larger than %d KiB: "
			    "refused", host, MTASTS_POLICY_MAX / 1024));
		break;
	default:
		break;
	}
	return (xasprintf("fetching from %s failed: %s", host, detail));
}

/* Told to give up (sts_cancel): curl asks at least once a second. */
static int
mtasts_fetch_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	const int	*cancel = arg;

	(void)dt, (void)dn, (void)ut, (void)un;
	return (__atomic_load_n(cancel, __ATOMIC_ACQUIRE) != 0);
}

static int mtasts_fetch_inited;

void
mtasts_fetch_init(void)
{
	if (!mtasts_fetch_inited && curl_global_init(CURL_GLOBAL_DEFAULT) == 0)
		mtasts_fetch_inited = 1;
}

static void
mtasts_fetch_setup(CURL *h, const char *url, const struct mtasts_fetch_opts *o,
    struct mtasts_fetch_buf *b, char *errbuf)
{
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	/* RFC 8461 §3.3: senders MUST NOT follow redirects. */
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
#endif
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->cafile != NULL)
		curl_easy_setopt(h, CURLOPT_CAINFO, o->cafile);
	curl_easy_setopt(h, CURLOPT_IPRESOLVE, o->family == AF_INET ?
	    CURL_IPRESOLVE_V4 : o->family == AF_INET6 ? CURL_IPRESOLVE_V6 :
	    CURL_IPRESOLVE_WHATEVER);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)o->connect_timeout);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)o->timeout);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE, (long)MTASTS_POLICY_MAX);
	curl_easy_setopt(h, CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, mtasts_fetch_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
	if (o->cancel != NULL) {
		curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, mtasts_fetch_progress);
		curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)o->cancel);
		curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	}
}

int
mtasts_fetch(const char *domain, const struct mtasts_fetch_opts *o, char **body,
    size_t *len, char **errstr)
{
	struct mtasts_fetch_buf	 b = { NULL, 0, 0 };
	char			 errbuf[CURL_ERROR_SIZE] = "", *url, *host;
	char			*loc = NULL, *safe;
	CURL			*h;
	CURLcode		 e;
	long			 code = 0;

	mtasts_fetch_init();
	if ((h = curl_easy_init()) == NULL) {
		*errstr = xstrdup("libcurl could not start");
		return (-1);
	}
	url = mtasts_fetch_url(domain);
	host = xasprintf("mta-sts.%s", domain);
	mtasts_fetch_setup(h, url, o, &b, errbuf);
	e = curl_easy_perform(h);
	if (e == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (e != CURLE_OK) {
		/* The library's words may quote the server's certificate: made safe. */
		safe = vis_ascii(errbuf[0] != '\0' ? errbuf : curl_easy_strerror(e),
		    strlen(errbuf[0] != '\0' ? errbuf : curl_easy_strerror(e)), 300);
		*errstr = mtasts_fetch_error(e, host, safe, o, &b);
		free(safe);
	} else if (code >= 300 && code < 400) {
		curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &loc);
		safe = loc != NULL ? vis_ascii(loc, strlen(loc), 300) : NULL;
		*errstr = xasprintf("HTTP %ld: a redirect%s%s, not followed (RFC 8461 "
		    "§3.3: senders do not follow redirects)", code, safe != NULL ?
		    " to " : "", safe != NULL ? safe : "");
		free(safe);
	} else if (code != 200)
		*errstr = xasprintf("HTTP %ld from %s%s", code, host, code == 404 ?
		    ": no policy there" : "");
	curl_easy_cleanup(h);
	free(url);
	free(host);
	if (e != CURLE_OK || code != 200) {
		free(b.data);
		return (-1);
	}
	*body = b.data != NULL ? b.data : xstrdup("");
	*len = b.len;
	return (0);
}
