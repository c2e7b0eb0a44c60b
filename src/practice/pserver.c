/* One SMTP session of the practice server. */
#include "config.h"

#include <sys/socket.h>

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "codec.h"
#include "plog.h"
#include "pmaildir.h"
#include "psasl.h"
#include "pserver.h"
#include "ptls.h"
#include "vis.h"
#include "xmalloc.h"

#define PSERVER_INBUF		(66 * 1024)	/* > the longest line kept */
#define PSERVER_CMD_MAX		1000	/* command line, CRLF included */
#define PSERVER_AUTH_MAX	12288	/* SASL response line (RFC 4954) */
#define PSERVER_BODY_PART	65536	/* body line written in parts past this */
#define PSERVER_OUT_MAX		65536	/* unsent replies before we stop reading */
#define PSERVER_RCPT_MAX	100
#define PSERVER_ERRORS_MAX	20
#define PSERVER_ADDR_MAX	256	/* RFC 5321 path limit */
#define PSERVER_SLOW_MS		2000
#define PSERVER_CLOSE_MS	10000	/* time to get the last reply out */
#define PSERVER_RUN_STEPS	64	/* loop passes before letting others in */
#ifndef PSERVER_IDLE_MS
#define PSERVER_IDLE_MS		(300 * 1000)
#endif
#define PSERVER_GREY_MAX	10000

enum pserver_state {
	PSERVER_COMMAND,	/* reading commands */
	PSERVER_AUTH_PLAIN,	/* waiting for the PLAIN response */
	PSERVER_AUTH_LOGIN_USER, /* waiting for the LOGIN user name */
	PSERVER_AUTH_LOGIN_PASS, /* waiting for the LOGIN password */
	PSERVER_AUTH_CRAM,	/* waiting for the CRAM-MD5 response */
	PSERVER_DATA,		/* reading the message body */
	PSERVER_BDAT,		/* reading the octets of a BDAT chunk */
	PSERVER_STARTTLS,	/* 220 queued; the handshake follows it */
	PSERVER_HANDSHAKE,	/* TLS handshake under way */
	PSERVER_CLOSING,	/* last reply queued; close once it is sent */
	PSERVER_DONE		/* over: to be freed */
};

static const char *const pserver_state_names[] = {
	"COMMAND",
	"AUTH PLAIN",
	"AUTH LOGIN user",
	"AUTH LOGIN password",
	"AUTH CRAM-MD5",
	"DATA",
	"BDAT",
	"STARTTLS",
	"TLS handshake",
	"CLOSING",
	"DONE"
};

/* Results of one pass over the input. */
enum pserver_progress {
	PSERVER_PROGRESS,	/* something was consumed */
	PSERVER_NEED_MORE,	/* a partial line: more input needed */
	PSERVER_BLOCKED		/* waiting on output or a state change */
};

struct pserver_grey_entry {
	char				*key;
	struct pserver_grey_entry	*next;
};

struct pserver_greylist {
	struct pserver_grey_entry	*head;
	size_t				 n;
};

struct pserver {
	const struct pserver_config	*cfg;
	int				 fd;
	unsigned int			 id;
	char				*peer;
	enum pserver_state		 state;
	int64_t				 now;
	int64_t				 last_input;	/* for the idle timeout */
	int64_t				 close_by;	/* in CLOSING */
	int64_t				 hold_until;	/* slow: no output before */
	int				 busy;		/* more to do right away */
	int				 eof;		/* the client closed */

	struct ptls			*tls;
	int				 tls_active;

	char				 in[PSERVER_INBUF];
	size_t				 inoff, inlen;
	int				 discarding;	/* a too-long line */

	char				*out;
	size_t				 outoff, outlen, outsize;

	int				 errors;
	int				 helo;		/* 0, 'H' or 'E' */
	char				*auth_user;
	char				*login_user;	/* AUTH LOGIN step 2 */
	char				*challenge;	/* AUTH CRAM-MD5 */

	int				 have_mail;
	char				*mail_from;
	char				*rcpts[PSERVER_RCPT_MAX];
	size_t				 nrcpts;

	struct pmaildir_msg		*msg;
	int				 body_bol;	/* after CRLF */
	uint64_t			 body_size;
	int				 body_toobig;

	int				 bdat;		/* msg is a BDAT message */
	uint64_t			 chunk_left;	/* octets still to read */
	uint64_t			 chunk_size;
	int				 chunk_last;
	char				*chunk_error;	/* refused: the reply */
};

static unsigned int	pserver_next_id;

static void	pserver_out(struct pserver *, const char *);
static void	pserver_reply(struct pserver *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

struct pserver_greylist *
pserver_greylist_new(void)
{
	return (xcalloc(1, sizeof(struct pserver_greylist)));
}

static void
pserver_greylist_clear(struct pserver_greylist *gl)
{
	struct pserver_grey_entry	*e, *next;

	for (e = gl->head; e != NULL; e = next) {
		next = e->next;
		free(e->key);
		free(e);
	}
	gl->head = NULL;
	gl->n = 0;
}

void
pserver_greylist_free(struct pserver_greylist *gl)
{
	if (gl == NULL)
		return;
	pserver_greylist_clear(gl);
	free(gl);
}

/* Whether the pair is new (defer it) or seen before (let it pass). */
static int
pserver_greylist_defer(struct pserver_greylist *gl, const char *from,
    const char *rcpt)
{
	struct pserver_grey_entry	*e;
	char				*key, *p;

	key = xasprintf("%s\n%s", from, rcpt);
	for (p = key; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	for (e = gl->head; e != NULL; e = e->next) {
		if (strcmp(e->key, key) == 0) {
			free(key);
			return (0);
		}
	}
	/* A bounded memory: forgetting everything only means one more 451. */
	if (gl->n >= PSERVER_GREY_MAX)
		pserver_greylist_clear(gl);
	e = xmalloc(sizeof *e);
	e->key = key;
	e->next = gl->head;
	gl->head = e;
	gl->n++;
	return (1);
}

static void
pserver_log(struct pserver *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
pserver_log(struct pserver *s, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (plog_quiet)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	plog_info("[%u] %s", s->id, msg);
	free(msg);
}

static void
pserver_set_state(struct pserver *s, enum pserver_state state)
{
	s->state = state;
}

/* Forget the mail transaction (RSET, EHLO, after DATA, after STARTTLS). */
static void
pserver_reset(struct pserver *s)
{
	size_t	i;

	s->have_mail = 0;
	free(s->mail_from);
	s->mail_from = NULL;
	for (i = 0; i < s->nrcpts; i++)
		free(s->rcpts[i]);
	s->nrcpts = 0;
	if (s->msg != NULL) {
		pmaildir_msg_abort(s->msg);
		s->msg = NULL;
	}
	s->bdat = 0;
	s->body_size = 0;
}

static void
pserver_auth_clear(struct pserver *s)
{
	xfree_secret_str(s->login_user);
	s->login_user = NULL;
	free(s->challenge);
	s->challenge = NULL;
}

/* Queue the last reply and close once it is out (or after a while). */
static void
pserver_close(struct pserver *s)
{
	if (s->state == PSERVER_DATA && s->msg != NULL)
		pserver_log(s, "* message discarded: the session ended in DATA");
	else if (s->bdat)
		pserver_log(s, "* message discarded: the session ended before "
		    "BDAT LAST");
	pserver_reset(s);
	pserver_auth_clear(s);
	pserver_set_state(s, PSERVER_CLOSING);
	s->close_by = s->now + PSERVER_CLOSE_MS;
}

/* The session is over, nothing more can be sent. */
static void
pserver_done(struct pserver *s, const char *why)
{
	if ((s->state == PSERVER_DATA && s->msg != NULL) || s->bdat)
		pserver_log(s, "* partial message discarded");
	if (s->state == PSERVER_CLOSING)
		pserver_log(s, "* connection closed: %s", why);
	else
		pserver_log(s, "* connection closed: %s (in %s)", why,
		    pserver_state_names[s->state]);
	pserver_reset(s);
	pserver_auth_clear(s);
	pserver_set_state(s, PSERVER_DONE);
}

static void
pserver_out(struct pserver *s, const char *line)
{
	size_t	 len = strlen(line);
	char	*vis;

	if (s->outoff == s->outlen) {
		s->outoff = s->outlen = 0;
		/* Slow: each reply waits its own 2 s once nothing is queued. */
		if ((s->cfg->flags & PSERVER_SLOW) && s->hold_until <= s->now)
			s->hold_until = s->now + PSERVER_SLOW_MS;
	}
	if (s->outlen + len + 2 > s->outsize) {
		if (s->outoff > 0) {
			memmove(s->out, s->out + s->outoff,
			    s->outlen - s->outoff);
			s->outlen -= s->outoff;
			s->outoff = 0;
		}
		while (s->outlen + len + 2 > s->outsize)
			s->outsize = s->outsize == 0 ? 4096 : s->outsize * 2;
		s->out = xreallocarray(s->out, s->outsize, 1);
	}
	memcpy(s->out + s->outlen, line, len);
	memcpy(s->out + s->outlen + len, "\r\n", 2);
	s->outlen += len + 2;

	vis = vis_ascii(line, len, 300);
	pserver_log(s, "S: %s", vis);
	free(vis);
}

/* Replies that count towards the limit on bad commands. */
static int
pserver_is_error(int code)
{
	return ((code >= 500 && code <= 504) || code == 530 || code == 535 ||
	    code == 555);
}

static void
pserver_reply(struct pserver *s, const char *fmt, ...)
{
	va_list	 ap;
	char	*line;
	int	 code;

	va_start(ap, fmt);
	line = xvasprintf(fmt, ap);
	va_end(ap);
	pserver_out(s, line);
	code = atoi(line);
	free(line);

	if (pserver_is_error(code) && ++s->errors >= PSERVER_ERRORS_MAX &&
	    s->state != PSERVER_CLOSING) {
		pserver_out(s, "421 4.7.0 " PSERVER_HOST " Error: too many "
		    "errors, closing the connection");
		pserver_close(s);
	}
}

/* A copy of text safe to put in a reply or the log: printable ASCII only. */
static char *
pserver_safe(const char *text)
{
	return (vis_ascii(text, strlen(text), PSERVER_ADDR_MAX));
}

struct pserver *
pserver_new(const struct pserver_config *cfg, int fd, const char *peer,
    int64_t now)
{
	struct pserver	*s;

	s = xcalloc(1, sizeof *s);
	s->cfg = cfg;
	s->fd = fd;
	s->id = ++pserver_next_id;
	s->peer = xstrdup(peer);
	s->now = now;
	s->last_input = now;
	pserver_set_state(s, PSERVER_COMMAND);
	pserver_log(s, "* connection from %s", peer);
	pserver_reply(s, "220 " PSERVER_HOST " ESMTP smtpcon practice server "
	    "(scenario %s) - demo login: demo / demo", cfg->scenario);
	return (s);
}

int
pserver_fd(const struct pserver *s)
{
	return (s->fd);
}

void
pserver_free(struct pserver *s)
{
	if (s == NULL)
		return;
	pserver_reset(s);
	pserver_auth_clear(s);
	free(s->auth_user);
	free(s->chunk_error);
	ptls_free(s->tls);
	close(s->fd);
	free(s->out);
	free(s->peer);
	xwipe(s->in, sizeof s->in);
	free(s);
}

/*
 * Parse a path "<local@domain>" at p.  A source route is dropped; with
 * null_ok the null path "<>" is fine; with need_domain the domain part is
 * required.  On success returns the address (allocated), sets *at to the
 * offset of its '@' (or -1) and *end past the '>'.
 */
static char *
pserver_path(const char *p, int null_ok, int need_domain, long *at,
    const char **end)
{
	const char	*start, *q, *colon;
	char		*addr;
	int		 quoted = 0;
	long		 atpos = -1;
	size_t		 len, i;

	if (*p != '<')
		return (NULL);
	start = p + 1;
	for (q = start; *q != '\0'; q++) {
		if (quoted && *q == '\\' && q[1] != '\0')
			q++;
		else if (*q == '"')
			quoted = !quoted;
		else if (!quoted && *q == '>')
			break;
	}
	if (*q != '>')
		return (NULL);
	*end = q + 1;
	if (*start == '@') {
		/* An old source route, "<@relay:user@domain>": ignored. */
		if ((colon = memchr(start, ':', q - start)) == NULL)
			return (NULL);
		start = colon + 1;
	}
	len = q - start;
	if (len == 0) {
		if (!null_ok)
			return (NULL);
		*at = -1;
		return (xstrdup(""));
	}
	if (len > PSERVER_ADDR_MAX)
		return (NULL);
	quoted = 0;
	for (i = 0; i < len; i++) {
		unsigned char	c = start[i];

		if (c < 0x20 || c == 0x7f)
			return (NULL);
		if (quoted && c == '\\' && i + 1 < len) {
			i++;
			continue;
		}
		if (c == '"') {
			quoted = !quoted;
			continue;
		}
		if (quoted)
			continue;
		if (c == ' ' || c == '<' || c == '>' || c == ',' ||
		    c == ';' || c == ':')
			return (NULL);
		if (c == '@') {
			if (atpos != -1)
				return (NULL);
			atpos = i;
		}
	}
	if (quoted)
		return (NULL);
	if (atpos == 0 || (size_t)atpos == len - 1 ||
	    (atpos == -1 && need_domain))
		return (NULL);
	if (atpos != -1) {
		const char	*d = start + atpos + 1;
		size_t		 dlen = len - atpos - 1;

		if (d[0] == '[') {
			if (d[dlen - 1] != ']')
				return (NULL);
		} else {
			if (d[0] == '.' || d[dlen - 1] == '.')
				return (NULL);
			for (i = 0; i < dlen; i++) {
				if (!isalnum((unsigned char)d[i]) &&
				    d[i] != '-' && d[i] != '.' &&
				    (unsigned char)d[i] < 0x80)
					return (NULL);
				if (d[i] == '.' && d[i + 1] == '.')
					return (NULL);
			}
		}
	}
	addr = xstrndup(start, len);
	*at = atpos;
	return (addr);
}

/* Skip "FROM:" or "TO:" (any case) and the spaces after it. */
static const char *
pserver_keyword(const char *arg, const char *kw)
{
	size_t	len = strlen(kw);

	if (arg == NULL || strncasecmp(arg, kw, len) != 0)
		return (NULL);
	arg += len;
	while (*arg == ' ')
		arg++;
	return (arg);
}

static void
pserver_cmd_helo(struct pserver *s, const char *arg)
{
	char	*name;

	if (arg == NULL) {
		pserver_reply(s, "501 5.5.4 Syntax: HELO hostname");
		return;
	}
	pserver_reset(s);
	s->helo = 'H';
	name = pserver_safe(arg);
	pserver_reply(s, "250 " PSERVER_HOST " greets %s", name);
	free(name);
}

static void
pserver_cmd_ehlo(struct pserver *s, const char *arg)
{
	char	*name, *line;

	if (arg == NULL) {
		pserver_reply(s, "501 5.5.4 Syntax: EHLO hostname");
		return;
	}
	pserver_reset(s);
	s->helo = 'E';
	name = pserver_safe(arg);
	line = xasprintf("250-" PSERVER_HOST " greets %s", name);
	pserver_out(s, line);
	free(line);
	free(name);
	pserver_out(s, "250-PIPELINING");
	line = xasprintf("250-SIZE %d", PSERVER_SIZE_MAX);
	pserver_out(s, line);
	free(line);
	pserver_out(s, "250-8BITMIME");
	pserver_out(s, "250-ENHANCEDSTATUSCODES");
	pserver_out(s, "250-CHUNKING");
	if (s->cfg->tls != NULL && !s->tls_active)
		pserver_out(s, "250-STARTTLS");
	if (!(s->cfg->flags & PSERVER_TLS_REQUIRED) || s->tls_active)
		pserver_out(s, "250-AUTH PLAIN LOGIN CRAM-MD5");
	pserver_reply(s, "250 HELP");
}

static void
pserver_cmd_starttls(struct pserver *s, const char *arg)
{
	size_t	left;

	if (arg != NULL) {
		pserver_reply(s, "501 5.5.4 Syntax: STARTTLS");
		return;
	}
	if (s->tls_active) {
		pserver_reply(s, "503 5.5.1 Error: TLS is already active");
		return;
	}
	if (s->cfg->tls == NULL) {
		pserver_reply(s, "454 4.7.0 TLS not available");
		return;
	}
	pserver_reply(s, "220 2.0.0 Ready to start TLS");
	pserver_set_state(s, PSERVER_STARTTLS);
	/* Never run commands sent before the handshake (CVE-2011-0411). */
	left = s->inlen - s->inoff;
	if (left > 0)
		pserver_log(s, "* ignored %zu bytes sent after STARTTLS "
		    "before the handshake", left);
	s->inoff = s->inlen = 0;
	s->discarding = 0;
}

static void
pserver_auth_ok(struct pserver *s, char *user, const char *mech)
{
	char	*vis;

	pserver_auth_clear(s);
	pserver_set_state(s, PSERVER_COMMAND);
	s->auth_user = user;
	vis = pserver_safe(user);
	pserver_log(s, "* authenticated as %s (%s)", vis, mech);
	free(vis);
	pserver_reply(s, "235 2.7.0 Authentication successful");
}

static void
pserver_auth_failed(struct pserver *s, const char *mech)
{
	pserver_auth_clear(s);
	pserver_set_state(s, PSERVER_COMMAND);
	pserver_log(s, "* %s authentication failed", mech);
	pserver_reply(s, "535 5.7.8 Authentication credentials invalid");
}

/* A SASL response: a line in one of the AUTH states, or an initial one. */
static void
pserver_auth_response(struct pserver *s, const char *line)
{
	enum psasl_result	 r = PSASL_BAD;
	char			*msg, *user = NULL;
	size_t			 len;

	if (strcmp(line, "*") == 0) {
		pserver_auth_clear(s);
		pserver_set_state(s, PSERVER_COMMAND);
		pserver_reply(s, "501 5.0.0 Authentication cancelled");
		return;
	}
	/* RFC 4954: "=" is an empty initial response. */
	if (strcmp(line, "=") == 0) {
		msg = xstrdup("");
		len = 0;
	} else if (codec_b64_decode(line, strlen(line), (unsigned char **)&msg,
	    &len, NULL) == -1) {
		pserver_auth_clear(s);
		pserver_set_state(s, PSERVER_COMMAND);
		pserver_reply(s, "501 5.5.2 Invalid base64 data in the "
		    "authentication response");
		return;
	}

	switch (s->state) {
	case PSERVER_AUTH_PLAIN:
		r = psasl_plain(msg, len, &user);
		if (r == PSASL_MALFORMED) {
			pserver_auth_clear(s);
			pserver_set_state(s, PSERVER_COMMAND);
			pserver_reply(s, "501 5.5.2 Invalid PLAIN response: "
			    "expected authzid NUL user NUL password");
		} else if (r == PSASL_OK)
			pserver_auth_ok(s, user, "PLAIN");
		else
			pserver_auth_failed(s, "PLAIN");
		break;
	case PSERVER_AUTH_LOGIN_USER:
		/* A name with a NUL in it can match no account. */
		if (memchr(msg, '\0', len) != NULL)
			s->login_user = xstrdup("");
		else
			s->login_user = xstrndup(msg, len);
		pserver_set_state(s, PSERVER_AUTH_LOGIN_PASS);
		/* "Password:" */
		pserver_reply(s, "334 UGFzc3dvcmQ6");
		break;
	case PSERVER_AUTH_LOGIN_PASS:
		if (memchr(msg, '\0', len) == NULL &&
		    psasl_check(s->login_user, msg))
			pserver_auth_ok(s, xstrdup(s->login_user),
			    "LOGIN");
		else
			pserver_auth_failed(s, "LOGIN");
		break;
	case PSERVER_AUTH_CRAM:
		r = psasl_cram_verify(s->challenge, msg, len, &user);
		if (r == PSASL_MALFORMED) {
			pserver_auth_clear(s);
			pserver_set_state(s, PSERVER_COMMAND);
			pserver_reply(s, "501 5.5.2 Invalid CRAM-MD5 response: "
			    "expected \"user hex-digest\"");
		} else if (r == PSASL_OK)
			pserver_auth_ok(s, user, "CRAM-MD5");
		else
			pserver_auth_failed(s, "CRAM-MD5");
		break;
	default:
		break;
	}
	xwipe(msg, len);
	free(msg);
}

static void
pserver_cmd_auth(struct pserver *s, const char *arg)
{
	char	*mech, *ir = NULL, *sp, *b64, *vis;

	if (arg == NULL) {
		pserver_reply(s, "501 5.5.4 Syntax: AUTH mechanism "
		    "[initial-response]");
		return;
	}
	if (s->helo != 'E') {
		pserver_reply(s, "503 5.5.1 Error: send EHLO first");
		return;
	}
	if (s->auth_user != NULL) {
		pserver_reply(s, "503 5.5.1 Error: already authenticated");
		return;
	}
	if (s->have_mail) {
		pserver_reply(s, "503 5.5.1 Error: MAIL transaction in "
		    "progress");
		return;
	}
	mech = xstrdup(arg);
	if ((sp = strchr(mech, ' ')) != NULL) {
		*sp = '\0';
		ir = sp + 1;
		while (*ir == ' ')
			ir++;
		if (*ir == '\0' || strchr(ir, ' ') != NULL) {
			pserver_reply(s, "501 5.5.4 Syntax: AUTH mechanism "
			    "[initial-response]");
			xfree_secret_str(mech);
			return;
		}
	}
	if (strcasecmp(mech, "PLAIN") == 0) {
		pserver_set_state(s, PSERVER_AUTH_PLAIN);
		if (ir != NULL)
			pserver_auth_response(s, ir);
		else
			pserver_reply(s, "334 ");
	} else if (strcasecmp(mech, "LOGIN") == 0) {
		pserver_set_state(s, PSERVER_AUTH_LOGIN_USER);
		if (ir != NULL)
			pserver_auth_response(s, ir);
		else {
			/* "Username:" */
			pserver_reply(s, "334 VXNlcm5hbWU6");
		}
	} else if (strcasecmp(mech, "CRAM-MD5") == 0) {
		if (ir != NULL)
			pserver_reply(s, "501 5.5.4 Syntax: CRAM-MD5 takes no "
			    "initial response");
		else {
			s->challenge = psasl_cram_challenge(PSERVER_HOST);
			b64 = codec_b64_encode(s->challenge,
			    strlen(s->challenge));
			pserver_set_state(s, PSERVER_AUTH_CRAM);
			pserver_reply(s, "334 %s", b64);
			free(b64);
		}
	} else {
		vis = pserver_safe(mech);
		pserver_reply(s, "504 5.5.4 Unrecognized authentication "
		    "type %s (offered: PLAIN LOGIN CRAM-MD5)", vis);
		free(vis);
	}
	xfree_secret_str(mech);
}

/* A SIZE= value: digits only, no overflow. */
static int
pserver_parse_size(const char *value, unsigned long long *size)
{
	char	*end;

	if (value == NULL || !isdigit((unsigned char)*value))
		return (-1);
	errno = 0;
	*size = strtoull(value, &end, 10);
	if (*end != '\0' || errno != 0)
		return (-1);
	return (0);
}

/* Parse "KEY=VALUE ..." after a path; returns -1 once it has replied. */
static int
pserver_mail_params(struct pserver *s, const char *p)
{
	unsigned long long	 size;
	char			*copy, *word, *last, *eq, *vis;
	int			 ret = 0;

	copy = xstrdup(p);
	for (word = strtok_r(copy, " ", &last); word != NULL && ret == 0;
	    word = strtok_r(NULL, " ", &last)) {
		if ((eq = strchr(word, '=')) != NULL)
			*eq++ = '\0';
		if (strcasecmp(word, "SIZE") == 0) {
			if (pserver_parse_size(eq, &size) == -1) {
				pserver_reply(s, "501 5.5.4 Bad SIZE parameter "
				    "(SIZE=octets)");
				ret = -1;
			} else if (size > PSERVER_SIZE_MAX) {
				pserver_reply(s, "552 5.3.4 Message size "
				    "exceeds fixed limit of %d octets",
				    PSERVER_SIZE_MAX);
				ret = -1;
			}
		} else if (strcasecmp(word, "BODY") == 0) {
			if (eq == NULL || (strcasecmp(eq, "7BIT") != 0 &&
			    strcasecmp(eq, "8BITMIME") != 0)) {
				pserver_reply(s, "501 5.5.4 Bad BODY parameter "
				    "(BODY=7BIT or BODY=8BITMIME)");
				ret = -1;
			}
		} else if (strcasecmp(word, "AUTH") == 0) {
			/* RFC 4954 AUTH=: accepted and ignored. */
		} else {
			vis = pserver_safe(word);
			pserver_reply(s, "555 5.5.4 Unsupported parameter %s",
			    vis);
			free(vis);
			ret = -1;
		}
	}
	free(copy);
	return (ret);
}

static void
pserver_cmd_mail(struct pserver *s, const char *arg)
{
	const char	*p, *end;
	char		*addr;
	long		 at;

	if (!s->helo) {
		pserver_reply(s, "503 5.5.1 Error: send HELO/EHLO first");
		return;
	}
	if (s->have_mail) {
		pserver_reply(s, "503 5.5.1 Error: nested MAIL command");
		return;
	}
	if ((p = pserver_keyword(arg, "FROM:")) == NULL) {
		pserver_reply(s, "501 5.5.4 Syntax: MAIL FROM:<address>");
		return;
	}
	if ((addr = pserver_path(p, 1, 1, &at, &end)) == NULL ||
	    (*end != '\0' && *end != ' ')) {
		free(addr);
		pserver_reply(s, "501 5.1.7 Bad sender address syntax "
		    "(write MAIL FROM:<user@example.com>)");
		return;
	}
	while (*end == ' ')
		end++;
	if (pserver_mail_params(s, end) == -1) {
		free(addr);
		return;
	}
	s->have_mail = 1;
	s->mail_from = addr;
	pserver_reply(s, "250 2.1.0 Ok");
}

static int
pserver_local_domain(const char *domain)
{
	static const char *const domains[] = {
		PSERVER_HOST, "localhost", "example.com"
	};
	size_t	i;

	for (i = 0; i < sizeof domains / sizeof domains[0]; i++) {
		if (strcasecmp(domain, domains[i]) == 0)
			return (1);
	}
	return (0);
}

static int
pserver_local_user(const char *user, size_t len)
{
	static const char *const users[] = {
		"demo", "student", "postmaster", "alice", "bob"
	};
	size_t	i;

	for (i = 0; i < sizeof users / sizeof users[0]; i++) {
		if (strlen(users[i]) == len &&
		    strncasecmp(user, users[i], len) == 0)
			return (1);
	}
	return (0);
}

static void
pserver_cmd_rcpt(struct pserver *s, const char *arg)
{
	const char	*p, *end;
	char		*addr, *vis;
	long		 at;
	size_t		 ulen;

	if (!s->have_mail) {
		pserver_reply(s, "503 5.5.1 Error: need MAIL command");
		return;
	}
	if ((p = pserver_keyword(arg, "TO:")) == NULL) {
		pserver_reply(s, "501 5.5.4 Syntax: RCPT TO:<address>");
		return;
	}
	if ((addr = pserver_path(p, 0, 0, &at, &end)) == NULL ||
	    (*end != '\0' && *end != ' ')) {
		free(addr);
		pserver_reply(s, "501 5.1.3 Bad recipient address syntax "
		    "(write RCPT TO:<user@example.com>)");
		return;
	}
	while (*end == ' ')
		end++;
	if (*end != '\0') {
		free(addr);
		vis = pserver_safe(end);
		pserver_reply(s, "555 5.5.4 Unsupported parameter %s", vis);
		free(vis);
		return;
	}
	if (s->nrcpts >= PSERVER_RCPT_MAX) {
		free(addr);
		pserver_reply(s, "452 4.5.3 Error: too many recipients");
		return;
	}
	vis = pserver_safe(addr);
	ulen = at == -1 ? strlen(addr) : (size_t)at;
	if (at == -1 || pserver_local_domain(addr + at + 1)) {
		if (!pserver_local_user(addr, ulen)) {
			pserver_reply(s, "550 5.1.1 <%s>: Recipient address "
			    "rejected: User unknown", vis);
			goto out;
		}
	} else if (s->auth_user == NULL) {
		pserver_reply(s, "554 5.7.1 <%s>: Relay access denied", vis);
		goto out;
	}
	if ((s->cfg->flags & PSERVER_GREYLIST) && s->cfg->greylist != NULL &&
	    pserver_greylist_defer(s->cfg->greylist, s->mail_from, addr)) {
		pserver_reply(s, "451 4.7.1 <%s>: Recipient address rejected: "
		    "Greylisted, try again later", vis);
		goto out;
	}
	s->rcpts[s->nrcpts++] = addr;
	addr = NULL;
	pserver_reply(s, "250 2.1.5 Ok");
out:
	free(vis);
	free(addr);
}

static void
pserver_cmd_data(struct pserver *s, const char *arg)
{
	char	*errstr = NULL;

	if (arg != NULL) {
		pserver_reply(s, "501 5.5.4 Syntax: DATA");
		return;
	}
	if (!s->have_mail) {
		pserver_reply(s, "503 5.5.1 Error: need MAIL command");
		return;
	}
	if (s->nrcpts == 0) {
		pserver_reply(s, "503 5.5.1 Error: need RCPT command");
		return;
	}
	/* RFC 3030: one message is sent one way, never half and half. */
	if (s->bdat) {
		pserver_reply(s, "503 5.5.1 Error: DATA after BDAT in the same "
		    "message (end it with BDAT 0 LAST, or RSET)");
		return;
	}
	if ((s->msg = pmaildir_msg_begin(s->cfg->maildir, &errstr)) == NULL) {
		plog_warn("%s", errstr);
		free(errstr);
		pserver_reply(s, "451 4.3.0 Error: cannot store the message "
		    "(see the server log)");
		return;
	}
	s->body_bol = 1;
	s->body_size = 0;
	s->body_toobig = 0;
	pserver_set_state(s, PSERVER_DATA);
	pserver_reply(s, "354 End data with <CR><LF>.<CR><LF>");
}

static void	pserver_chunk_end(struct pserver *);

/*
 * BDAT size [LAST] (RFC 3030): exactly size octets of the message follow
 * the command line, raw.  Once the size is known they are read whatever
 * the verdict, so that they are never taken for commands; a refusal is
 * kept in chunk_error and sent after them, in order.  (BDAT after DATA
 * in one transaction cannot happen here: after 354 every line is body
 * text, and the "." ends the transaction.)
 */
static void
pserver_cmd_bdat(struct pserver *s, const char *arg)
{
	unsigned long long	 size;
	const char		*p;
	char			*word, *errstr = NULL;
	size_t			 len;
	int			 last;

	/* The size: digits only, up to a space or the end. */
	len = arg == NULL ? 0 : strcspn(arg, " ");
	word = xstrndup(arg == NULL ? "" : arg, len);
	if (pserver_parse_size(word, &size) == -1) {
		free(word);
		/* Without a size nobody knows where the chunk ends. */
		pserver_reply(s, "501 5.5.4 Syntax: BDAT octets [LAST]");
		return;
	}
	free(word);
	p = arg + len;
	while (*p == ' ')
		p++;
	if (*p != '\0' && strcasecmp(p, "LAST") != 0) {
		pserver_reply(s, "501 5.5.4 Syntax: BDAT octets [LAST]");
		return;
	}
	last = *p != '\0';

	free(s->chunk_error);
	s->chunk_error = NULL;
	s->chunk_size = size;
	s->chunk_left = size;
	s->chunk_last = last;
	if ((s->cfg->flags & PSERVER_TLS_REQUIRED) && !s->tls_active)
		s->chunk_error = xstrdup("530 5.7.0 Must issue a "
		    "STARTTLS command first");
	else if (!s->have_mail)
		s->chunk_error = xstrdup("503 5.5.1 Error: need MAIL "
		    "command");
	else if (s->nrcpts == 0)
		s->chunk_error = xstrdup("503 5.5.1 Error: need RCPT "
		    "command");
	else if (size > PSERVER_SIZE_MAX - s->body_size) {
		pserver_log(s, "* message too big: discarded");
		pserver_reset(s);
		s->chunk_error = xasprintf("552 5.3.4 Message size "
		    "exceeds fixed maximum message size (%d octets)",
		    PSERVER_SIZE_MAX);
	} else if (s->msg == NULL) {
		if ((s->msg = pmaildir_msg_begin(s->cfg->maildir,
		    &errstr)) == NULL) {
			plog_warn("%s", errstr);
			free(errstr);
			s->chunk_error = xstrdup("451 4.3.0 Error: cannot "
			    "store the message (see the server log)");
		} else {
			s->bdat = 1;
			s->body_size = 0;
			s->body_toobig = 0;
		}
	}
	if (size == 0)
		pserver_chunk_end(s);
	else
		pserver_set_state(s, PSERVER_BDAT);
}

static void
pserver_cmd_rset(struct pserver *s, const char *arg)
{
	if (arg != NULL) {
		pserver_reply(s, "501 5.5.4 Syntax: RSET");
		return;
	}
	pserver_reset(s);
	pserver_reply(s, "250 2.0.0 Ok");
}

static void
pserver_cmd_noop(struct pserver *s, const char *arg)
{
	(void)arg;
	pserver_reply(s, "250 2.0.0 Ok");
}

static void
pserver_cmd_vrfy(struct pserver *s, const char *arg)
{
	if (arg == NULL) {
		pserver_reply(s, "501 5.5.4 Syntax: VRFY address");
		return;
	}
	/* Like real servers, do not tell who exists: spammers ask. */
	pserver_reply(s, "252 2.5.2 Cannot VRFY user (servers do not reveal "
	    "who exists), but will accept message and attempt delivery");
}

static void
pserver_cmd_expn(struct pserver *s, const char *arg)
{
	(void)arg;
	pserver_reply(s, "502 5.5.1 EXPN not implemented (servers turn it "
	    "off: it would reveal list members)");
}

static void
pserver_cmd_help(struct pserver *s, const char *arg)
{
	(void)arg;
	pserver_out(s, "214-2.0.0 Commands: HELO EHLO STARTTLS AUTH MAIL RCPT "
	    "DATA BDAT RSET NOOP VRFY HELP QUIT");
	pserver_out(s, "214-2.0.0 A message: EHLO name, MAIL FROM:<you@host>, "
	    "RCPT TO:<demo@" PSERVER_HOST ">,");
	pserver_out(s, "214-2.0.0 DATA, the message, a line with only \".\", "
	    "QUIT.  Login: demo / demo");
	pserver_reply(s, "214 2.0.0 End of HELP info");
}

static void
pserver_cmd_quit(struct pserver *s, const char *arg)
{
	(void)arg;
	pserver_reply(s, "221 2.0.0 Bye");
	pserver_close(s);
}

static const struct pserver_cmd {
	const char	*verb;
	void		(*fn)(struct pserver *, const char *);
	int		 needs_tls;	/* refused before TLS when required */
} pserver_cmds[] = {
	{ "HELO", pserver_cmd_helo, 0 },
	{ "EHLO", pserver_cmd_ehlo, 0 },
	{ "STARTTLS", pserver_cmd_starttls, 0 },
	{ "AUTH", pserver_cmd_auth, 1 },
	{ "MAIL", pserver_cmd_mail, 1 },
	{ "RCPT", pserver_cmd_rcpt, 1 },
	{ "DATA", pserver_cmd_data, 1 },
	{ "BDAT", pserver_cmd_bdat, 0 },	/* checks TLS itself */
	{ "RSET", pserver_cmd_rset, 0 },
	{ "NOOP", pserver_cmd_noop, 0 },
	{ "VRFY", pserver_cmd_vrfy, 0 },
	{ "EXPN", pserver_cmd_expn, 0 },
	{ "HELP", pserver_cmd_help, 0 },
	{ "QUIT", pserver_cmd_quit, 0 },
};

static void
pserver_command(struct pserver *s, char *line)
{
	const struct pserver_cmd	*cmd = NULL;
	char				*arg, *end, *vis, *sp;
	size_t				 i;

	/* Hide the secret in an initial AUTH response from the log. */
	if (strncasecmp(line, "AUTH ", 5) == 0 &&
	    (sp = strchr(line + 5, ' ')) != NULL) {
		vis = vis_ascii(line, sp - line, 300);
		pserver_log(s, "C: %s <initial response hidden>", vis);
	} else {
		vis = vis_ascii(line, strlen(line), 300);
		pserver_log(s, "C: %s", vis);
	}
	free(vis);

	if ((arg = strchr(line, ' ')) != NULL) {
		*arg++ = '\0';
		while (*arg == ' ')
			arg++;
		end = arg + strlen(arg);
		while (end > arg && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (*arg == '\0')
			arg = NULL;
	}
	if (*line == '\0') {
		pserver_reply(s, "500 5.5.2 Error: bad syntax");
		return;
	}
	for (i = 0; i < sizeof pserver_cmds / sizeof pserver_cmds[0]; i++) {
		if (strcasecmp(line, pserver_cmds[i].verb) == 0) {
			cmd = &pserver_cmds[i];
			break;
		}
	}
	if (cmd == NULL) {
		pserver_reply(s, "500 5.5.2 Error: command not recognized");
		return;
	}
	if (cmd->needs_tls && (s->cfg->flags & PSERVER_TLS_REQUIRED) &&
	    !s->tls_active) {
		pserver_reply(s, "530 5.7.0 Must issue a STARTTLS command first");
		return;
	}
	cmd->fn(s, arg);
}

static void
pserver_body_write(struct pserver *s, const char *p, size_t len)
{
	if (s->body_toobig)
		return;
	if (s->body_size + len > PSERVER_SIZE_MAX) {
		/* Keep reading to the end, but keep nothing more. */
		s->body_toobig = 1;
		return;
	}
	s->body_size += len;
	pmaildir_msg_write(s->msg, p, len);
}

/* The message is complete (the "." of DATA, or BDAT LAST): deliver it. */
static void
pserver_body_end(struct pserver *s)
{
	char		*name, *path, *errstr = NULL;
	uint64_t	 size = s->body_size;
	int		 bdat = s->bdat;

	pserver_set_state(s, PSERVER_COMMAND);
	if (s->body_toobig) {
		pserver_log(s, "* message too big: discarded");
		pmaildir_msg_abort(s->msg);
		s->msg = NULL;
		pserver_reset(s);
		pserver_reply(s, "552 5.3.4 Message size exceeds fixed maximum "
		    "message size (%d octets)", PSERVER_SIZE_MAX);
		return;
	}
	if (pmaildir_msg_commit(s->msg, s->mail_from, s->rcpts, s->nrcpts,
	    &name, &path, &errstr) == -1) {
		s->msg = NULL;
		plog_warn("%s", errstr);
		free(errstr);
		pserver_reset(s);
		pserver_reply(s, "451 4.3.0 Error: cannot store the message "
		    "(see the server log)");
		return;
	}
	s->msg = NULL;
	pserver_log(s, "* message of %llu octets saved in %s",
	    (unsigned long long)size, path);
	pserver_reset(s);
	if (bdat)
		pserver_reply(s, "250 2.0.0 Ok: %llu octets queued as %s "
		    "(saved in %s)", (unsigned long long)size, name, path);
	else
		pserver_reply(s, "250 2.0.0 Ok: queued as %s (saved in %s)",
		    name, path);
	free(name);
	free(path);
}

/* Take body lines from the input: un-dot-stuff, write, spot the end. */
static enum pserver_progress
pserver_body(struct pserver *s)
{
	const char	*p, *lf;
	size_t		 avail, n;
	int		 progress = 0;

	while (s->state == PSERVER_DATA && s->inoff < s->inlen) {
		p = s->in + s->inoff;
		avail = s->inlen - s->inoff;
		if ((lf = memchr(p, '\n', avail)) != NULL) {
			n = lf - p + 1;
			s->inoff += n;
			progress = 1;
			if (s->body_bol && p[0] == '.') {
				if (n == 3 && p[1] == '\r') {
					pserver_body_end(s);
					break;
				}
				p++;
				n--;
			}
			pserver_body_write(s, p, n);
			s->body_bol = n >= 2 && p[n - 2] == '\r';
			continue;
		}
		if (avail < PSERVER_BODY_PART)
			break;
		/* A very long line: write what we have, keep a lone CR. */
		n = avail;
		if (p[n - 1] == '\r')
			n--;
		s->inoff += n;
		if (s->body_bol && p[0] == '.') {
			p++;
			n--;
		}
		pserver_body_write(s, p, n);
		s->body_bol = 0;
		progress = 1;
	}
	return (progress ? PSERVER_PROGRESS : PSERVER_NEED_MORE);
}

/* A chunk has been read in full: reply, and deliver on LAST. */
static void
pserver_chunk_end(struct pserver *s)
{
	char	*reply;

	pserver_set_state(s, PSERVER_COMMAND);
	if ((reply = s->chunk_error) != NULL) {
		s->chunk_error = NULL;
		pserver_log(s, "* chunk of %llu octets read and dropped",
		    (unsigned long long)s->chunk_size);
		pserver_reply(s, "%s", reply);
		free(reply);
		return;
	}
	if (s->chunk_last)
		pserver_body_end(s);
	else
		pserver_reply(s, "250 2.0.0 %llu octets received",
		    (unsigned long long)s->chunk_size);
}

/* Take chunk octets from the input as they are: no lines, no dots. */
static enum pserver_progress
pserver_chunk(struct pserver *s)
{
	size_t	avail = s->inlen - s->inoff, n;

	if (avail == 0)
		return (PSERVER_NEED_MORE);
	n = avail;
	if (n > s->chunk_left)
		n = s->chunk_left;
	if (s->chunk_error == NULL)
		pserver_body_write(s, s->in + s->inoff, n);
	s->inoff += n;
	s->chunk_left -= n;
	if (s->chunk_left == 0)
		pserver_chunk_end(s);
	return (PSERVER_PROGRESS);
}

/* Whether commands may be taken now: not while replies wait too long. */
static int
pserver_can_process(struct pserver *s)
{
	size_t	queued = s->outlen - s->outoff;

	if ((s->cfg->flags & PSERVER_SLOW) && queued > 0)
		return (0);
	return (queued < PSERVER_OUT_MAX);
}

static enum pserver_progress
pserver_process(struct pserver *s)
{
	const char	*p, *lf;
	char		*line;
	size_t		 avail, n, len, max;
	int		 progress = 0;

	for (;;) {
		if (s->state != PSERVER_COMMAND && s->state != PSERVER_DATA &&
		    s->state != PSERVER_BDAT &&
		    (s->state < PSERVER_AUTH_PLAIN ||
		    s->state > PSERVER_AUTH_CRAM))
			return (progress ? PSERVER_PROGRESS : PSERVER_BLOCKED);
		if (!pserver_can_process(s))
			return (progress ? PSERVER_PROGRESS : PSERVER_BLOCKED);
		if (s->state == PSERVER_DATA) {
			if (pserver_body(s) == PSERVER_PROGRESS) {
				progress = 1;
				continue;
			}
			break;
		}
		if (s->state == PSERVER_BDAT) {
			if (pserver_chunk(s) == PSERVER_PROGRESS) {
				progress = 1;
				continue;
			}
			break;
		}

		p = s->in + s->inoff;
		avail = s->inlen - s->inoff;
		max = s->state == PSERVER_COMMAND ? PSERVER_CMD_MAX :
		    PSERVER_AUTH_MAX;
		if ((lf = memchr(p, '\n', avail)) == NULL) {
			if (s->discarding || avail > max) {
				/* Too long already: drop it up to the LF. */
				s->discarding = 1;
				s->inoff = s->inlen;
				progress = progress || avail > 0;
			}
			break;
		}
		n = lf - p + 1;
		s->inoff += n;
		progress = 1;
		if (s->discarding || n > max) {
			s->discarding = 0;
			pserver_log(s, "C: (a line too long: dropped)");
			if (s->state != PSERVER_COMMAND) {
				pserver_auth_clear(s);
				pserver_set_state(s, PSERVER_COMMAND);
			}
			pserver_reply(s, "500 5.5.2 Error: line too long "
			    "(limit %zu octets)", max);
			continue;
		}
		len = n - 1;
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (memchr(p, '\0', len) != NULL) {
			pserver_log(s, "C: (a line with a NUL byte)");
			pserver_reply(s, "500 5.5.2 Error: NUL byte in a "
			    "command line");
			continue;
		}
		line = xstrndup(p, len);
		if (s->state == PSERVER_COMMAND)
			pserver_command(s, line);
		else {
			pserver_log(s, "C: <authentication data hidden>");
			pserver_auth_response(s, line);
		}
		xfree_secret_str(line);
	}
	return (progress ? PSERVER_PROGRESS : PSERVER_NEED_MORE);
}

/* Read what the socket has, if there is room.  Returns 1 on progress. */
static int
pserver_read(struct pserver *s)
{
	char	*errstr = NULL;
	ssize_t	 n;
	size_t	 room;

	if (s->eof || s->state == PSERVER_STARTTLS ||
	    s->state == PSERVER_HANDSHAKE || s->state >= PSERVER_CLOSING)
		return (0);
	if (s->inoff > 0) {
		memmove(s->in, s->in + s->inoff, s->inlen - s->inoff);
		s->inlen -= s->inoff;
		s->inoff = 0;
	}
	if ((room = sizeof s->in - s->inlen) == 0)
		return (0);
	if (s->tls_active) {
		n = ptls_recv(s->tls, s->in + s->inlen, room, &errstr);
		if (n == PTLS_AGAIN)
			return (0);
		if (n == PTLS_ERROR) {
			pserver_log(s, "* %s", errstr);
			free(errstr);
			pserver_done(s, "TLS error");
			return (0);
		}
	} else {
		n = read(s->fd, s->in + s->inlen, room);
		if (n == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				return (0);
			pserver_done(s, strerror(errno));
			return (0);
		}
	}
	if (n == 0) {
		s->eof = 1;
		return (1);
	}
	s->inlen += n;
	s->last_input = s->now;
	return (1);
}

/* Before the 220 goes out, drop plain text the client already sent. */
static void
pserver_drain(struct pserver *s)
{
	char	buf[4096];
	ssize_t	n;
	size_t	total = 0;

	while ((n = read(s->fd, buf, sizeof buf)) > 0)
		total += n;
	if (total > 0)
		pserver_log(s, "* ignored %zu bytes sent after STARTTLS "
		    "before the handshake", total);
}

/* Send queued replies once their time has come.  Returns 1 on progress. */
static int
pserver_flush(struct pserver *s)
{
	char	*errstr = NULL;
	ssize_t	 n;
	size_t	 len;
	int	 progress = 0;

	while (s->outoff < s->outlen && s->now >= s->hold_until) {
		if (s->state == PSERVER_STARTTLS)
			pserver_drain(s);
		len = s->outlen - s->outoff;
		if (s->tls_active) {
			n = ptls_send(s->tls, s->out + s->outoff, len,
			    &errstr);
			if (n == PTLS_AGAIN)
				break;
			if (n == PTLS_ERROR) {
				pserver_log(s, "* %s", errstr);
				free(errstr);
				pserver_done(s, "TLS error");
				return (0);
			}
		} else {
			n = send(s->fd, s->out + s->outoff, len, MSG_NOSIGNAL);
			if (n == -1) {
				if (errno == EAGAIN || errno == EWOULDBLOCK ||
				    errno == EINTR)
					break;
				pserver_done(s, strerror(errno));
				return (0);
			}
		}
		s->outoff += n;
		progress = 1;
	}
	if (s->outoff == s->outlen)
		s->outoff = s->outlen = 0;
	return (progress);
}

static int
pserver_handshake(struct pserver *s)
{
	char	*errstr = NULL, *desc;
	int	 ret;

	ret = ptls_handshake(s->tls, &errstr);
	if (ret == PTLS_AGAIN)
		return (0);
	if (ret == PTLS_ERROR) {
		pserver_log(s, "* %s", errstr);
		free(errstr);
		pserver_done(s, "TLS handshake failed");
		return (0);
	}
	s->tls_active = 1;
	s->last_input = s->now;
	desc = ptls_describe(s->tls);
	pserver_log(s, "* TLS established: %s", desc);
	free(desc);
	/* RFC 3207: forget all that the client said before TLS. */
	pserver_reset(s);
	pserver_auth_clear(s);
	free(s->auth_user);
	s->auth_user = NULL;
	s->helo = 0;
	pserver_set_state(s, PSERVER_COMMAND);
	return (1);
}

static void
pserver_timers(struct pserver *s)
{
	if (s->state == PSERVER_CLOSING) {
		if (s->now >= s->close_by)
			pserver_done(s, "the last reply could not be sent");
		return;
	}
	if (s->state == PSERVER_DONE ||
	    s->now < s->last_input + PSERVER_IDLE_MS)
		return;
	if (s->state == PSERVER_HANDSHAKE || s->state == PSERVER_STARTTLS) {
		pserver_done(s, "idle timeout");
		return;
	}
	pserver_log(s, "* idle for %d s", PSERVER_IDLE_MS / 1000);
	pserver_close(s);
	pserver_reply(s, "421 4.4.2 " PSERVER_HOST " Error: timeout exceeded");
	s->hold_until = 0;
}

int
pserver_run(struct pserver *s, int64_t now)
{
	char			*errstr = NULL;
	enum pserver_progress	 pr;
	int			 step, progress;

	s->now = now;
	s->busy = 0;
	pserver_timers(s);
	for (step = 0; s->state != PSERVER_DONE; step++) {
		if (step == PSERVER_RUN_STEPS) {
			/* Let the other clients in; come back at once. */
			s->busy = 1;
			break;
		}
		progress = 0;
		if (s->state == PSERVER_HANDSHAKE) {
			if (!pserver_handshake(s))
				break;
			progress = 1;
		}
		progress |= pserver_flush(s);
		if (s->state == PSERVER_DONE)
			break;
		if (s->state == PSERVER_STARTTLS && s->outoff == s->outlen) {
			if ((s->tls = ptls_new(s->cfg->tls, s->fd,
			    &errstr)) == NULL) {
				pserver_log(s, "* %s", errstr);
				free(errstr);
				pserver_done(s, "TLS failed");
				break;
			}
			pserver_set_state(s, PSERVER_HANDSHAKE);
			continue;
		}
		if (s->state == PSERVER_CLOSING && s->outoff == s->outlen) {
			if (s->tls_active)
				ptls_bye(s->tls);
			pserver_done(s, "the last reply was sent");
			break;
		}
		pr = pserver_process(s);
		if (pr == PSERVER_PROGRESS)
			progress = 1;
		else if (pr == PSERVER_NEED_MORE && s->eof) {
			pserver_done(s, "client closed");
			break;
		}
		progress |= pserver_read(s);
		if (!progress)
			break;
	}
	return (s->state == PSERVER_DONE ? -1 : 0);
}

void
pserver_wait(struct pserver *s, int64_t now, short *events,
    int64_t *deadline)
{
	int64_t	d = -1;
	short	ev = 0;

	switch (s->state) {
	case PSERVER_DONE:
		break;
	case PSERVER_HANDSHAKE:
		ev = ptls_want_write(s->tls) ? POLLOUT : POLLIN;
		d = s->last_input + PSERVER_IDLE_MS;
		break;
	default:
		if (s->outoff < s->outlen) {
			if (now >= s->hold_until)
				ev |= POLLOUT;
			else
				d = s->hold_until;
		}
		if (!s->eof && s->state != PSERVER_STARTTLS &&
		    s->state != PSERVER_CLOSING &&
		    s->inlen - s->inoff < sizeof s->in) {
			ev |= POLLIN;
			if (s->tls_active && ptls_pending(s->tls) > 0)
				d = now;
		}
		if (s->state == PSERVER_CLOSING) {
			if (d == -1 || s->close_by < d)
				d = s->close_by;
		} else if (d == -1 || s->last_input + PSERVER_IDLE_MS < d)
			d = s->last_input + PSERVER_IDLE_MS;
		break;
	}
	if (s->busy)
		d = now;
	*events = ev;
	*deadline = d;
}

void
pserver_shutdown(struct pserver *s)
{
	if (s->state == PSERVER_DONE || s->state == PSERVER_HANDSHAKE)
		return;
	if (s->state != PSERVER_CLOSING)
		pserver_close(s);
	pserver_reply(s, "421 4.3.2 " PSERVER_HOST " Service shutting down");
	s->hold_until = 0;
	pserver_flush(s);
	if (s->state != PSERVER_DONE)
		pserver_done(s, "server shutting down");
}
