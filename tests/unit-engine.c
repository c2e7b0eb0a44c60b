/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Unit tests of the engine's pure parts: the dialogue state machine, dot-stuffing,
 * display escaping, host:port parsing and the transcript file. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"
#include "reply.h"
#include "smtp-int.h"
#include "transcript.h"
#include "vis.h"
#include "unit.h"

/* Parse one complete reply from text. */
static struct reply *
mkreply(const char *text)
{
	struct reply_parser	 p;
	const struct reply_line	*l;
	struct reply		*r = NULL;
	size_t			 off = 0, len = strlen(text);

	reply_parser_init(&p);
	while (off < len && r == NULL)
		off += reply_parser_feed(&p, text + off, len - off, &l, &r);
	reply_parser_clear(&p);
	return (r);
}

/* Deliver a reply to the state machine; return the action and the verb paired. */
static enum smtp_action
deliver(struct smtp *s, const char *text, const char **verb)
{
	static struct smtp_sent	 c;
	struct reply		*r = mkreply(text);
	enum smtp_action	 act;

	smtp_reply(s, r, &c, &act);
	*verb = c.verb;
	reply_free(r);
	return (act);
}

/* Record a command the way the session does. */
static void
sent(struct smtp *s, const char *line)
{
	char	verb[SMTP_VERB_MAX];

	smtp_verb(line, verb, sizeof verb);
	smtp_sent(s, smtp_classify(verb), verb, 0);
}

static void
test_dialogue(void)
{
	struct smtp	 s;
	const char	*verb;

	smtp_init(&s);
	smtp_reset(&s, SMTP_GREETING);
	CHECK(smtp_waiting(&s));
	CHECK(deliver(&s, "220 mx ESMTP\r\n", &verb) == SMTP_ACT_NONE);
	CHECK_STR(verb, "");
	CHECK(s.state == SMTP_READY && !smtp_waiting(&s));

	CHECK(smtp_line_kind(&s) == SMTP_LINE_COMMAND);
	sent(&s, "ehlo client.example");
	CHECK(smtp_waiting(&s) && smtp_must_wait(&s));
	CHECK_STR(smtp_pending_verb(&s), "EHLO");
	deliver(&s, "250-mx\r\n250-PIPELINING\r\n250-SIZE 1000\r\n"
	    "250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n", &verb);
	CHECK_STR(verb, "EHLO");
	CHECK(s.ehlo && s.ncaps == 4);
	CHECK_STR(smtp_cap(&s, "SIZE"), "1000");
	CHECK_STR(smtp_cap(&s, "starttls"), "");
	CHECK_STR(smtp_cap(&s, "AUTH"), "PLAIN LOGIN");
	CHECK(smtp_cap(&s, "SMTPUTF8") == NULL);
	CHECK(smtp_cap(&s, "SIZ") == NULL);

	/* STARTTLS's 220 asks for the handshake; then the capabilities are gone. */
	sent(&s, "STARTTLS");
	CHECK(deliver(&s, "220 2.0.0 go ahead\r\n", &verb) == SMTP_ACT_STARTTLS);
	CHECK(s.state == SMTP_HANDSHAKE);
	smtp_tls_up(&s, 0);
	CHECK(s.tls && !s.ehlo && s.ncaps == 0 && s.state == SMTP_READY);
	CHECK(smtp_cap(&s, "STARTTLS") == NULL);

	/* AUTH LOGIN: 334 makes the next line an AUTH answer. */
	sent(&s, "AUTH LOGIN");
	deliver(&s, "334 VXNlcm5hbWU6\r\n", &verb);
	CHECK(s.state == SMTP_AUTH);
	CHECK(smtp_line_kind(&s) == SMTP_LINE_AUTH);
	smtp_sent(&s, SMTP_CMD_ANSWER, "AUTH", 0);
	CHECK(s.state == SMTP_READY && smtp_waiting(&s));
	deliver(&s, "334 UGFzc3dvcmQ6\r\n", &verb);
	CHECK(s.state == SMTP_AUTH);
	smtp_sent(&s, SMTP_CMD_ANSWER, "AUTH", 0);
	deliver(&s, "235 2.7.0 ok\r\n", &verb);
	CHECK(s.authed && s.state == SMTP_READY);

	/* DATA: 354 turns lines into body lines until the lone dot. */
	sent(&s, "MAIL FROM:<a@example.com>");
	deliver(&s, "250 ok\r\n", &verb);
	sent(&s, "RCPT TO:<b@example.com>");
	deliver(&s, "250 ok\r\n", &verb);
	sent(&s, "DATA");
	deliver(&s, "354 go\r\n", &verb);
	CHECK(s.state == SMTP_DATA);
	CHECK(smtp_line_kind(&s) == SMTP_LINE_BODY);
	smtp_sent(&s, SMTP_CMD_DOT, ".", 0);
	CHECK(s.state == SMTP_READY && smtp_waiting(&s));
	CHECK_STR(smtp_pending_verb(&s), ".");
	deliver(&s, "250 queued\r\n", &verb);
	CHECK_STR(verb, ".");

	/* A refused DATA stays out of the body. */
	sent(&s, "DATA");
	deliver(&s, "503 5.5.1 no recipients\r\n", &verb);
	CHECK(s.state == SMTP_READY);

	/* QUIT is answered, whatever the answer: the end. */
	sent(&s, "QUIT");
	CHECK(deliver(&s, "500 no\r\n", &verb) == SMTP_ACT_CLOSING);
	CHECK(s.state == SMTP_QUIT);
	smtp_reset(&s, SMTP_READY);
	sent(&s, "QUIT");
	CHECK(deliver(&s, "221 bye\r\n", &verb) == SMTP_ACT_CLOSING);
	CHECK(s.state == SMTP_QUIT);
	smtp_reset(&s, SMTP_CLOSED);
}

static void
test_pipelined(void)
{
	struct smtp	 s;
	const char	*verb;

	smtp_init(&s);
	smtp_reset(&s, SMTP_READY);
	/* Without PIPELINING every command is a sync point. */
	sent(&s, "MAIL FROM:<a@x>");
	CHECK(smtp_must_wait(&s));
	deliver(&s, "250 ok\r\n", &verb);
	CHECK(!smtp_must_wait(&s));
	sent(&s, "EHLO x");
	deliver(&s, "250-mx\r\n250 PIPELINING\r\n", &verb);

	/* With it, MAIL, RCPT and RSET go as a group; DATA closes the group. */
	sent(&s, "MAIL FROM:<a@x>");
	CHECK(!smtp_must_wait(&s));
	sent(&s, "RCPT TO:<b@x>");
	CHECK(!smtp_must_wait(&s));
	sent(&s, "DATA");
	CHECK(smtp_must_wait(&s));
	CHECK(smtp_pending_last(&s)->cmd == SMTP_CMD_DATA);
	CHECK(smtp_pending_first(&s)->cmd == SMTP_CMD_MAIL);
	deliver(&s, "250 ok\r\n", &verb);
	CHECK_STR(verb, "MAIL");
	deliver(&s, "250 ok\r\n", &verb);
	CHECK_STR(verb, "RCPT");
	CHECK(s.state == SMTP_READY);
	deliver(&s, "354 go\r\n", &verb);
	CHECK_STR(verb, "DATA");
	CHECK(s.state == SMTP_DATA);
	CHECK(!smtp_must_wait(&s));

	/* AUTH, STARTTLS, EHLO, QUIT wait even with PIPELINING; BDAT chunks do not,
	 * but the LAST one does. */
	smtp_set_state(&s, SMTP_READY, "test");
	CHECK(smtp_is_sync(&s, SMTP_CMD_AUTH) && smtp_is_sync(&s, SMTP_CMD_STARTTLS) &&
	    smtp_is_sync(&s, SMTP_CMD_EHLO) && smtp_is_sync(&s, SMTP_CMD_QUIT) &&
	    smtp_is_sync(&s, SMTP_CMD_OTHER));
	CHECK(smtp_sent(&s, SMTP_CMD_BDAT, "BDAT", 0)->sync == 0);
	CHECK(smtp_sent(&s, SMTP_CMD_BDAT, "BDAT", 1)->sync == 1);
	deliver(&s, "250 ok\r\n", &verb);
	deliver(&s, "250 ok\r\n", &verb);
	CHECK(!smtp_waiting(&s));

	/* A reply nobody asked for pairs with nothing. */
	CHECK(deliver(&s, "250 stray\r\n", &verb) == SMTP_ACT_NONE);
	CHECK_STR(verb, "");

	/* 421 at any time means the server is going away. */
	smtp_reset(&s, SMTP_READY);
	sent(&s, "NOOP");
	CHECK(deliver(&s, "421 4.3.2 shutting down\r\n", &verb) == SMTP_ACT_CLOSING);

	/* The ring never overwrites: a full queue makes the sender wait. */
	smtp_reset(&s, SMTP_READY);
	sent(&s, "EHLO x");
	deliver(&s, "250-mx\r\n250 PIPELINING\r\n", &verb);
	{
		int	i;

		for (i = 0; i < SMTP_PENDING_MAX; i++)
			sent(&s, "RCPT TO:<b@x>");
		CHECK(smtp_must_wait(&s));
		CHECK(smtp_sent(&s, SMTP_CMD_RCPT, "RCPT", 0) == NULL);
		CHECK(s.npending == SMTP_PENDING_MAX);
	}
	smtp_reset(&s, SMTP_CLOSED);
}

static void
test_dotstuff(void)
{
	char	*s;

	s = smtp_dotstuff(".hidden");
	CHECK_STR(s, "..hidden");
	free(s);
	s = smtp_dotstuff("..");
	CHECK_STR(s, "...");
	free(s);
	s = smtp_dotstuff("plain . line");
	CHECK_STR(s, "plain . line");
	free(s);
	s = smtp_dotstuff("");
	CHECK_STR(s, "");
	free(s);
}

static void
test_vis(void)
{
	char	*s;

	s = vis_bytes("ok \x1b[31mred\x07", 12);
	CHECK_STR(s, "ok ^[[31mred^G");
	free(s);
	s = vis_bytes("a\0b\x7f", 4);
	CHECK_STR(s, "a^@b^?");
	free(s);
	s = vis_bytes("caf\xc3\xa9 \xe2\x82\xac", 9);	/* valid UTF-8 is kept */
	CHECK_STR(s, "caf\xc3\xa9 \xe2\x82\xac");
	free(s);
	s = vis_bytes("\xc3\x28 \xc0\xaf \xed\xa0\x80", 9);	/* invalid, overlong, surrogate */
	CHECK_STR(s, "\\xC3( \\xC0\\xAF \\xED\\xA0\\x80");
	free(s);
	s = vis_bytes("\xc2\x9b" "31m \xe2\x80\xae" "evil", 13);	/* C1 CSI, RLO */
	CHECK_STR(s, "<U+009B>31m <U+202E>evil");
	free(s);
}

static void
test_target(void)
{
	char	*host, *port, *err = NULL;

	CHECK(conn_parse_target("mx.example.com", &host, &port, &err) == 0);
	CHECK_STR(host, "mx.example.com");
	CHECK(port == NULL);
	free(host);
	CHECK(conn_parse_target("mx.example.com:587", &host, &port, &err) == 0);
	CHECK_STR(host, "mx.example.com");
	CHECK_STR(port, "587");
	free(host);
	free(port);
	CHECK(conn_parse_target("[::1]:2525", &host, &port, &err) == 0);
	CHECK_STR(host, "::1");
	CHECK_STR(port, "2525");
	free(host);
	free(port);
	CHECK(conn_parse_target("[2001:db8::1]", &host, &port, &err) == 0);
	CHECK_STR(host, "2001:db8::1");
	CHECK(port == NULL);
	free(host);
	CHECK(conn_parse_target("2001:db8::1", &host, &port, &err) == 0);
	CHECK_STR(host, "2001:db8::1");
	free(host);
	CHECK(conn_parse_target("[::1", &host, &port, &err) == -1 && err != NULL);
	free(err);
	err = NULL;
	CHECK(conn_parse_target("host:", &host, &port, &err) == -1 && err != NULL);
	free(err);
	err = NULL;
	CHECK(conn_parse_target("[::1]x", &host, &port, &err) == -1 && err != NULL);
	free(err);
	err = NULL;
	/* A bare IPv6 address is one only when its last group cannot be a port. */
	CHECK(conn_parse_target("::1", &host, &port, &err) == 0);
	CHECK_STR(host, "::1");
	free(host);
	CHECK(conn_parse_target("2001:db8::25", &host, &port, &err) == 0);
	CHECK_STR(host, "2001:db8::25");
	CHECK(port == NULL);
	free(host);
	CHECK(conn_parse_target("::ffff:192.0.2.1", &host, &port, &err) == 0);
	free(host);
	CHECK(conn_parse_target("::1:4465", &host, &port, &err) == -1 && err != NULL);
	CHECK(strstr(err, "[::1]:4465") != NULL && strstr(err, "[::1:4465]") != NULL);
	free(err);
	err = NULL;
	CHECK(conn_parse_target("2001:db8::1:25", &host, &port, &err) == -1 &&
	    err != NULL);
	free(err);
}

static void
test_transcript(void)
{
	struct transcript	 tr;
	struct tr_entry		*e;
	char			 path[] = "/tmp/unit-engine.XXXXXX", buf[4096];
	FILE			*f;
	struct stat		 st;
	size_t			 n;
	int			 fd;
	char			*err = NULL;

	transcript_init(&tr);
	transcript_add(&tr, TR_SERVER, "220 hello", NULL);
	e = transcript_add(&tr, TR_CLIENT, "********", "password hidden");
	CHECK(e->note != NULL);
	transcript_addf(&tr, TR_LOCAL, "connected to %s", "mx");
	CHECK(transcript_end(&tr) == 3);
	CHECK(transcript_get(&tr, 1) != NULL && transcript_get(&tr, 3) == NULL);

	fd = mkstemp(path);
	CHECK(fd != -1);
	close(fd);
	CHECK(transcript_save(&tr, path, &err) == 0);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	f = fopen(path, "r");
	n = f != NULL ? fread(buf, 1, sizeof buf - 1, f) : 0;
	buf[n] = '\0';
	if (f != NULL)
		fclose(f);
	CHECK(strstr(buf, "S: 220 hello\n") != NULL);
	CHECK(strstr(buf, "C: ********    (password hidden)\n") != NULL);
	CHECK(strstr(buf, "*  connected to mx\n") != NULL);
	unlink(path);
	CHECK(transcript_save(&tr, "/nonexistent/dir/x", &err) == -1 && err != NULL);
	free(err);
	transcript_clear(&tr);

	/* Memory stays bounded: the oldest entries go, numbering goes on. */
	transcript_init(&tr);
	transcript_set_limits(&tr, 3 * TRANSCRIPT_CHUNK, TRANSCRIPT_BYTES_MAX);
	for (n = 0; n < 3 * TRANSCRIPT_CHUNK + 5; n++)
		transcript_add(&tr, TR_SERVER, "250 ok", NULL);
	CHECK(transcript_count(&tr) <= 3 * TRANSCRIPT_CHUNK);
	CHECK(transcript_end(&tr) == 3 * TRANSCRIPT_CHUNK + 5);
	CHECK(transcript_get(&tr, 0) == NULL);
	CHECK(transcript_get(&tr, transcript_end(&tr) - 1) != NULL &&
	    strcmp(transcript_get(&tr, transcript_end(&tr) - 1)->text, "250 ok") == 0);
	transcript_clear(&tr);

	/* The bytes bound, on text in shared blocks and on malloc'd text alike. */
	transcript_init(&tr);
	transcript_set_limits(&tr, TRANSCRIPT_MAX, 100000);
	for (n = 0; n < 20000; n++) {
		transcript_add_bytes(&tr, TR_CLIENT, "a plain body line", 17, NULL);
		transcript_add(&tr, TR_SERVER, "250 ok", "a note");
	}
	CHECK(tr.bytes <= 100000 + 64);
	CHECK(transcript_end(&tr) == 40000);
	CHECK(transcript_get(&tr, transcript_end(&tr) - 2) != NULL &&
	    strcmp(transcript_get(&tr, transcript_end(&tr) - 2)->text,
	    "a plain body line") == 0);
	transcript_clear(&tr);

	/* An entry stays small: a million lines fit in 48 MB beside their text, the
	 * latency of a reply included. */
	CHECK(sizeof(struct tr_entry) <= 48);
}

/* A reply's latency: beside its first line when times are shown, and in /save's file. */
static void
test_latency(void)
{
	struct transcript	 tr;
	struct tr_entry		*e;
	char			 path[] = "/tmp/unit-engine.XXXXXX", buf[4096];
	char			 ts[TRANSCRIPT_TIME_MAX], lat[TRANSCRIPT_LATENCY_MAX];
	char			*s, *err = NULL;
	FILE			*f;
	size_t			 n;
	int			 fd;

	transcript_init(&tr);
	e = transcript_add_timed(&tr, TR_SERVER, "250 2.1.5 Ok", "recipient ok", 1503);
	CHECK(e->timed && e->latency == 1503);
	CHECK(transcript_latency(e, lat) == 8);
	CHECK_STR(lat, "+1503 ms");
	s = transcript_format(e, TRANSCRIPT_NOSTAMP);
	CHECK_STR(s, "S: 250 2.1.5 Ok    (recipient ok)");
	free(s);
	s = transcript_format(e, TRANSCRIPT_STAMP);
	CHECK(s != NULL && strlen(s) > 9 && s[2] == ':' && s[8] == ' ');
	CHECK_STR(s != NULL ? s + 9 : NULL, "S: 250 2.1.5 Ok    (+1503 ms; recipient ok)");
	free(s);
	CHECK(transcript_time(e, TRANSCRIPT_STAMP_MS, ts) == 13);
	CHECK(ts[8] == '.' && ts[12] == ' ' && ts[13] == '\0');
	CHECK(transcript_time(e, TRANSCRIPT_NOSTAMP, ts) == 0 && *ts == '\0');
	e = transcript_add_timed(&tr, TR_SERVER, "250-mx", NULL, 0);
	s = transcript_format(e, TRANSCRIPT_STAMP_MS);
	CHECK_STR(s != NULL ? s + 13 : NULL, "S: 250-mx    (+0 ms)");
	free(s);
	e = transcript_add(&tr, TR_SERVER, "250 HELP", NULL);
	CHECK(!e->timed && transcript_latency(e, lat) == 0 && *lat == '\0');
	s = transcript_format(e, TRANSCRIPT_STAMP);
	CHECK_STR(s != NULL ? s + 9 : NULL, "S: 250 HELP");
	free(s);

	/* /save: millisecond times and the latencies. */
	fd = mkstemp(path);
	CHECK(fd != -1);
	close(fd);
	CHECK(transcript_save(&tr, path, &err) == 0);
	f = fopen(path, "r");
	n = f != NULL ? fread(buf, 1, sizeof buf - 1, f) : 0;
	buf[n] = '\0';
	if (f != NULL)
		fclose(f);
	CHECK(n > 13 && buf[8] == '.' && buf[12] == ' ');
	CHECK(strstr(buf, " S: 250 2.1.5 Ok    (+1503 ms; recipient ok)\n") != NULL);
	CHECK(strstr(buf, " S: 250 HELP\n") != NULL);
	unlink(path);
	transcript_clear(&tr);
}

/* An EHLO reply, delivered to a command sent for it. */
static void
ehlo(struct smtp *s, const char *reply)
{
	const char	*verb;

	sent(s, "EHLO me");
	deliver(s, reply, &verb);
}

/* What changed in the capabilities after TLS and after AUTH, and only then. */
static void
test_caps_change(void)
{
	struct smtp	 s;
	const char	*verb;

	smtp_init(&s);
	smtp_reset(&s, SMTP_GREETING);
	CHECK(smtp_latency(&s) >= 0);
	deliver(&s, "220 mx ESMTP\r\n", &verb);
	CHECK(smtp_latency(&s) == -1);
	ehlo(&s, "250-mx\r\n250-SIZE 1000\r\n250 STARTTLS\r\n");
	CHECK(s.changed == NULL);
	/* Again, with nothing between: nothing to say. */
	ehlo(&s, "250-mx\r\n250-SIZE 1000\r\n250 STARTTLS\r\n");
	CHECK(s.changed == NULL);

	sent(&s, "STARTTLS");
	CHECK(smtp_latency(&s) >= 0 && smtp_latency(&s) < 1000);
	deliver(&s, "220 2.0.0 go ahead\r\n", &verb);
	smtp_tls_up(&s, 0);
	ehlo(&s, "250-mx\r\n250-SIZE 2000\r\n250-AUTH PLAIN LOGIN\r\n"
	    "250 AUTH=PLAIN LOGIN\r\n");
	CHECK_STR(s.changed, "+AUTH PLAIN LOGIN, -STARTTLS");
	CHECK(s.changed_by == SMTP_SINCE_TLS);
	CHECK_STR(smtp_cap(&s, "SIZE"), "2000");

	/* After AUTH: a mechanism more, one fewer; then the same list. */
	sent(&s, "AUTH PLAIN AGFsaWNlAHMzY3JldA==");
	deliver(&s, "235 2.7.0 ok\r\n", &verb);
	ehlo(&s, "250-mx\r\n250-AUTH PLAIN XOAUTH2\r\n250 SMTPUTF8\r\n");
	CHECK_STR(s.changed, "+SMTPUTF8, -SIZE, AUTH +XOAUTH2 -LOGIN");
	CHECK(s.changed_by == SMTP_SINCE_AUTH);
	ehlo(&s, "250-mx\r\n250-AUTH PLAIN XOAUTH2\r\n250 SMTPUTF8\r\n");
	CHECK(s.changed == NULL);

	/* A new connection compares with nothing; HELO's answer is not a list. */
	smtp_reset(&s, SMTP_READY);
	CHECK(s.changed == NULL && s.before == NULL);
	sent(&s, "HELO me");
	deliver(&s, "250 mx\r\n", &verb);
	smtp_tls_up(&s, 0);
	ehlo(&s, "250-mx\r\n250 AUTH PLAIN\r\n");
	CHECK(s.changed == NULL);
	/* Implicit TLS: the greeting's latency counts from the handshake. */
	smtp_reset(&s, SMTP_HANDSHAKE);
	smtp_tls_up(&s, 1);
	CHECK(s.state == SMTP_GREETING && smtp_latency(&s) >= 0 &&
	    smtp_latency(&s) < 1000);
	smtp_reset(&s, SMTP_CLOSED);
}

/* The connect-timeout hint fits the port tried: no "try port 587" on 587. */
static void
test_conn_hint(void)
{
	char	*why, *hint;

	conn_explain(ETIMEDOUT, "mx.example", "192.0.2.1", "587", &why, &hint);
	CHECK(strstr(why, "port 587") != NULL);
	CHECK(hint != NULL && strstr(hint, "try port 587") == NULL);
	CHECK(strstr(hint, "port 587") != NULL);
	free(why);
	free(hint);
	conn_explain(ETIMEDOUT, "mx.example", "192.0.2.1", "25", &why, &hint);
	CHECK(hint != NULL && strstr(hint, "port 25") != NULL &&
	    strstr(hint, "try port 587") != NULL);
	free(why);
	free(hint);
}

int
main(void)
{
	test_conn_hint();
	test_dialogue();
	test_pipelined();
	test_dotstuff();
	test_vis();
	test_target();
	test_transcript();
	test_latency();
	test_caps_change();
	return (unit_done());
}
