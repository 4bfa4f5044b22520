// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sending mails: SMTP through libcurl (one easy handle per session, so
 * one connection carries the mails of a batch), or a sendmail-like
 * program fed through a pipe.  What happened to a mail is read from
 * libcurl's protocol trace (CURLOPT_DEBUGFUNCTION): the last command sent,
 * the reply to it, and whether the read callback gave the whole message;
 * libcurl's error codes alone cannot tell a refused recipient from a
 * connection that broke after the final dot.  The trace also carries the
 * AUTH exchange: nothing of it is kept but the reply codes; and the EHLO
 * reply's AUTH line, which says what the server offers: libcurl goes on
 * without a login when a server offers none, so the pre-request callback
 * (after the handshake, before MAIL FROM) stops a mail that would.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "kvmx86/error.h"
#include "kvmx86/run.h"
#include "kvmx86/safe.h"
#include "kvmx86/smtp.h"
#include "kvmx86/util.h"
#include "curl.h"

/* Net::SMTP's time-out, git send-email's client. */
#define KX_SMTP_TIMEOUT 120L

enum phase {
	PH_NONE,	/* connecting, greeting, EHLO, STARTTLS */
	PH_AUTH,
	PH_MAIL,
	PH_RCPT,
	PH_DATA,	/* DATA sent, waiting for 354, or sending */
	PH_POSTDATA,	/* the whole message given to libcurl */
	PH_QUIT,
};

enum auth_state { AUTH_UNTRIED, AUTH_ACCEPTED, AUTH_REFUSED };

struct kx_smtp {
	enum kx_smtp_kind kind;
	char *server;		/* host or program */
	char *sendmail_cmd;
	bool envelope_flag;	/* sendemail.envelopeSender set: "-f" */
	unsigned batch_size, relogin_delay, in_batch;
	bool relogin_pending;

	/* SMTP */
	CURL *h;
	char *url;
	char *ca_path;
	bool ca_dir;
	long use_ssl;
	char *login_options;	/* "AUTH=PLAIN;AUTH=LOGIN" */
	char *user;
	char *pass;		/* wiped when freed */
	bool pass_from_helper;
	char *cred_host;	/* git send-email's smtp_host_string */
	char *git_dir;
	enum auth_state auth;
	char *user_key;		/* the key of smtpUser, for messages */
	char *auth_key;		/* the key of smtpAuth, or NULL */
	char *auth_names;	/* its value: mechanism names only */
	char *mechs;		/* the last EHLO's AUTH mechanisms (escaped) */
	bool conn_login;	/* this connection's login was accepted */
	bool auth_sent;		/* this transfer sent AUTH */
	bool no_login;		/* a mail stopped: the server offered no login */
	char errbuf[CURL_ERROR_SIZE];

	/* what the current mail went through */
	enum phase phase;
	enum phase quit_from;	/* the phase before QUIT */
	char *rcpt;		/* the last RCPT TO */
	int code;		/* the last reply's code, 0: none yet */
	bool reply_after_eof;	/* a reply came after the whole message */
	struct kx_buf reply;	/* the last reply's text */
	const char *msg;
	size_t len, pos;
	bool cr;		/* the byte before pos was CR */
	bool eof;
};

static void wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

/* Addresses go into argv and SMTP commands: nothing that could split one. */
static int check_address(const char *a, const char *what)
{
	const unsigned char *p = (const unsigned char *)a;
	int error;

	if (!*p || *p == '-')
		goto bad;
	for (; *p; p++)
		if (*p < 0x21 || *p == 0x7f || *p == '<' || *p == '>')
			goto bad;
	return 0;
bad:
	{
		char *shown = kx_escape(a, 0);

		error = kx_error_set(KX_EINVALID, "'%s' is not an address "
				     "kvmx86 sends to (%s)", shown, what);
		free(shown);
		kx_error_hint("an address has no blanks, control characters "
			      "or angle brackets, and does not start with "
			      "'-'");
		return error;
	}
}

/* The key that set sendemail.<name> ("kvmx86.smtpUser"), or NULL. */
static const char *origin_of(const struct kx_smtp_conf *c, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < c->origin.nr; i++)
		if (!strncmp(c->origin.items[i], name, n) &&
		    c->origin.items[i][n] == '=')
			return c->origin.items[i] + n + 1;
	return NULL;
}

/* "git [--git-dir=D] credential <verb>" with what git send-email gives. */
static int credential(struct kx_smtp *s, const char *verb, char **out)
{
	struct kx_strlist argv = KX_STRLIST_INIT;
	const char **args;
	char *in;
	size_t n;
	int error, status;

	kx_strlist_add(&argv, "git");
	if (s->git_dir)
		kx_strlist_addf(&argv, "--git-dir=%s", s->git_dir);
	kx_strlist_add(&argv, "credential");
	kx_strlist_add(&argv, verb);
	/* one exact allocation: a growing buffer would leave copies behind */
#define CRED_ARGS "protocol=smtp\nhost=%s\n%s%s%s%s%s%s\n", s->cred_host, \
		s->user ? "username=" : "", s->user ? s->user : "", \
		s->user ? "\n" : "", s->pass ? "password=" : "", \
		s->pass ? s->pass : "", s->pass ? "\n" : ""
	n = (size_t)snprintf(NULL, 0, CRED_ARGS) + 1;
	in = kx_xmalloc(n);
	snprintf(in, n, CRED_ARGS);
#undef CRED_ARGS
	args = kx_strlist_argv(&argv);
	error = kx_run_input(args, NULL, in, strlen(in), out, &status, NULL, 0);
	if (!error && status)
		error = kx_error_set(KX_ERROR, "git credential %s exited with "
				     "status %d", verb, status);
	free(args);
	kx_strlist_release(&argv);
	wipe_free(in);
	return error;
}

/* Fills s->user and s->pass from `git credential fill`. */
static int credential_fill(struct kx_smtp *s)
{
	char *out = NULL, *line, *next;
	size_t outlen = 0;
	int error;

	error = credential(s, "fill", &out);
	if (out)
		outlen = strlen(out);
	if (error < 0) {
		kx_error_hint("configure a credential helper, or set "
			      "sendemail.smtpPass");
		goto done;
	}
	for (line = out; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (kx_starts_with(line, "password=")) {
			wipe_free(s->pass);
			s->pass = kx_xstrdup(line + 9);
		} else if (kx_starts_with(line, "username=")) {
			free(s->user);
			s->user = kx_xstrdup(line + 9);
		}
	}
	if (!s->pass) {
		error = kx_error_set(KX_ERROR, "git credential fill gave no "
				     "password for smtp://%s", s->cred_host);
		kx_error_hint("configure a credential helper, or set "
			      "sendemail.smtpPass");
		goto done;
	}
	s->pass_from_helper = true;
done:
	if (out) {
		explicit_bzero(out, outlen);
		free(out);
	}
	return error;
}

/* Strips the CRLF of a trace line and keeps it escaped as the last reply. */
static void keep_reply(struct kx_smtp *s, const char *p, size_t n)
{
	char *line;

	while (n && (p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	line = kx_xstrndup(p, n);
	s->reply.len = 0;
	kx_buf_add_escaped(&s->reply, line, n, 0);
	free(line);
}

/* One reply line from the server. */
static void trace_in(struct kx_smtp *s, const char *p, size_t n)
{
	int code;

	if (n < 3 || !isdigit((unsigned char)p[0]) ||
	    !isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]))
		return;
	/* "250-AUTH PLAIN LOGIN", or the old "250-AUTH=LOGIN" */
	if (s->phase == PH_NONE && n > 9 && !strncmp(p, "250", 3) &&
	    (p[3] == '-' || p[3] == ' ') && !strncasecmp(p + 4, "AUTH", 4) &&
	    (p[8] == ' ' || p[8] == '=') && !s->mechs) {
		struct kx_buf b = KX_BUF_INIT;
		size_t len = n - 9;

		while (len && (p[9 + len - 1] == '\r' || p[9 + len - 1] == ' '))
			len--;
		kx_buf_adds(&b, "");
		kx_buf_add_escaped(&b, p + 9, len > 200 ? 200 : len, 0);
		s->mechs = kx_buf_detach(&b);
	}
	if (n > 3 && p[3] == '-')
		return;		/* a continued reply: its last line counts */
	if (s->phase == PH_QUIT)
		return;		/* the reply that counts came before */
	code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	s->code = code;
	if (s->phase == PH_POSTDATA)
		s->reply_after_eof = true;
	if (s->phase == PH_AUTH) {
		if (code == 235) {
			s->auth = AUTH_ACCEPTED;
			s->conn_login = true;
		}
		else if (code == 535)
			s->auth = AUTH_REFUSED;
		if (code == 334)
			return;	/* a SASL challenge is no reply to show */
	}
	keep_reply(s, p, n);
}

/* One command to the server; AUTH lines carry secrets: only the verb counts. */
static void trace_out(struct kx_smtp *s, const char *p, size_t n)
{
	const char *e;

	if (s->phase == PH_AUTH && s->code == 334)
		return;		/* an answer to a challenge */
	if (n >= 5 && !strncasecmp(p, "AUTH ", 5)) {
		s->phase = PH_AUTH;
		s->auth_sent = true;
	} else if (n >= 4 && (!strncasecmp(p, "EHLO", 4) ||
			      !strncasecmp(p, "HELO", 4))) {
		/* a new connection, or the one after STARTTLS: ask again */
		s->conn_login = false;
		free(s->mechs);
		s->mechs = NULL;
	} else if (n >= 10 && !strncasecmp(p, "MAIL FROM:", 10)) {
		s->phase = PH_MAIL;
	} else if (n >= 8 && !strncasecmp(p, "RCPT TO:", 8)) {
		s->phase = PH_RCPT;
		p += 8;
		n -= 8;
		if (n && *p == '<') {
			p++;
			n--;
		}
		e = memchr(p, '>', n);
		free(s->rcpt);
		s->rcpt = kx_xstrndup(p, e ? (size_t)(e - p) : n);
	} else if (n >= 4 && !strncasecmp(p, "DATA", 4)) {
		s->phase = PH_DATA;
	} else if (n >= 4 && !strncasecmp(p, "QUIT", 4)) {
		/* the phase that failed stays the one that counts */
		s->quit_from = s->phase;
		s->phase = PH_QUIT;
	}
}

static int on_trace(CURL *h, curl_infotype type, char *data, size_t size,
		    void *arg)
{
	struct kx_smtp *s = arg;
	size_t i, start = 0;

	(void)h;
	if (type != CURLINFO_HEADER_IN && type != CURLINFO_HEADER_OUT)
		return 0;
	/* one call may hold several lines */
	for (i = 0; i <= size; i++) {
		if (i < size && data[i] != '\n')
			continue;
		if (i > start) {
			if (type == CURLINFO_HEADER_IN)
				trace_in(s, data + start, i - start);
			else
				trace_out(s, data + start, i - start);
		}
		start = i + 1;
	}
	return 0;
}

/* The message with every lone LF made CRLF; libcurl stuffs the dots. */
static size_t on_read(char *buf, size_t size, size_t nitems, void *arg)
{
	struct kx_smtp *s = arg;
	size_t room = size * nitems, n = 0;

	while (s->pos < s->len && n < room) {
		char c = s->msg[s->pos];

		if (c == '\n' && !s->cr) {
			buf[n++] = '\r';
			/* a full buffer: the LF comes first in the next one */
			s->cr = true;
			if (n == room)
				break;
		}
		buf[n++] = c;
		s->cr = c == '\r';
		s->pos++;
	}
	if (!n && s->pos == s->len) {
		s->eof = true;
		s->phase = PH_POSTDATA;
	}
	return n;
}

static char *url_host(const char *host)
{
	/* an IPv6 literal goes in brackets */
	if (strchr(host, ':') && host[0] != '[')
		return kx_xasprintf("[%s]", host);
	return kx_xstrdup(host);
}

static char *ehlo_name(const struct kx_smtp_conf *c)
{
	char host[256];

	if (c->domain)
		return kx_xstrdup(c->domain);
	/* git send-email's maildomain(): a name with a dot, else this */
	if (!gethostname(host, sizeof(host)) &&
	    (host[sizeof(host) - 1] = '\0', strchr(host, '.'))) {
		const char *p;

		for (p = host; *p; p++)
			if (!isalnum((unsigned char)*p) && *p != '.' &&
			    *p != '-')
				break;
		if (!*p)
			return kx_xstrdup(host);
	}
	return kx_xstrdup("localhost.localdomain");
}

static int open_server(struct kx_smtp *s, const struct kx_smtp_conf *c,
		       const char *git_dir)
{
	struct stat st;
	char *host, *domain;
	bool loopback = kx_smtp_host_is_loopback(c->server);
	int error = 0;

	host = url_host(c->server);
	domain = ehlo_name(c);
	s->url = kx_xasprintf("%s://%s:%u/%s",
			      c->tls == KX_SMTP_TLS_IMPLICIT ? "smtps" : "smtp",
			      host, c->port, domain);
	free(host);
	free(domain);
	switch (c->tls) {
	case KX_SMTP_TLS_IMPLICIT:
	case KX_SMTP_TLS_STARTTLS:
		s->use_ssl = CURLUSESSL_ALL;
		break;
	case KX_SMTP_TLS_NONE:
		s->use_ssl = CURLUSESSL_NONE;
		break;
	case KX_SMTP_TLS_UNSET:
		/*
		 * git send-email sends plain text; kvmx86 insists on
		 * STARTTLS but to loopback (where a local MTA's snake-oil
		 * certificate would fail every check), and merely tries it
		 * where --smtp-insecure allows plain text.
		 */
		s->use_ssl = loopback ? CURLUSESSL_NONE :
			     c->insecure ? CURLUSESSL_TRY : CURLUSESSL_ALL;
		break;
	}
	if (c->ca_path) {
		if (stat(c->ca_path, &st) < 0) {
			char *shown = kx_escape(c->ca_path, 0);

			error = kx_error_set(KX_EINVALID, "the CA path '%s' of "
					     "sendemail.smtpSSLCertPath: %s",
					     shown, strerror(errno));
			free(shown);
			return error;
		}
		s->ca_dir = S_ISDIR(st.st_mode);
		s->ca_path = kx_xstrdup(c->ca_path);
	}
	if (c->auth) {
		struct kx_buf b = KX_BUF_INIT;
		const char *p = c->auth;

		while (*p) {
			size_t n;

			p += strspn(p, " \t");
			n = strcspn(p, " \t");
			if (!n)
				break;
			kx_buf_addf(&b, "%sAUTH=%.*s", b.len ? ";" : "",
				    (int)n, p);
			p += n;
		}
		s->login_options = kx_buf_detach(&b);
	}
	s->user_key = kx_xstrdup(origin_of(c, "smtpUser") ?
				 origin_of(c, "smtpUser") : "sendemail.smtpUser");
	s->auth_key = c->auth && origin_of(c, "smtpAuth") ?
		kx_xstrdup(origin_of(c, "smtpAuth")) : NULL;
	s->auth_names = c->auth ? kx_xstrdup(c->auth) : NULL;
	s->cred_host = kx_xstrdup(c->cred_host ? c->cred_host : c->server);
	s->git_dir = git_dir ? kx_xstrdup(git_dir) : NULL;
	/* git's credential protocol is lines: a newline would add a key */
	if (c->user && strpbrk(c->user, "\r\n"))
		return kx_error_set(KX_EINVALID, "sendemail.smtpUser holds a "
				    "line break");
	if (c->pass && strpbrk(c->pass, "\r\n"))
		return kx_error_set(KX_EINVALID, "sendemail.smtpPass holds a "
				    "line break");
	if (c->user) {
		/*
		 * The password is about to be in memory (and libcurl's copy
		 * is freed unwiped): no core dump of this process from now.
		 */
		prctl(PR_SET_DUMPABLE, 0L, 0L, 0L, 0L);
		s->user = kx_xstrdup(c->user);
		if (c->pass)
			s->pass = kx_xstrdup(c->pass);
		else if ((error = credential_fill(s)) < 0)
			return error;
	}
	return 0;
}

int kx_smtp_open(struct kx_smtp **out, const struct kx_smtp_conf *c,
		 const char *git_dir)
{
	struct kx_smtp *s;
	int error;

	*out = NULL;
	if ((error = kx_smtp_conf_check(c)) < 0)
		return error;
	s = kx_xcalloc(1, sizeof(*s));
	s->kind = c->kind;
	s->server = kx_xstrdup(c->server ? c->server : "");
	s->sendmail_cmd = c->sendmail_cmd ? kx_xstrdup(c->sendmail_cmd) : NULL;
	s->envelope_flag = c->envelope_sender != NULL;
	s->batch_size = c->batch_size;
	s->relogin_delay = c->relogin_delay;
	if (c->kind == KX_SMTP_SERVER &&
	    (error = open_server(s, c, git_dir)) < 0) {
		kx_smtp_close(s);
		return error;
	}
	*out = s;
	return 0;
}

static void set_result(struct kx_smtp_result *res, enum kx_smtp_outcome o,
		       const char *refused, const char *reply)
{
	res->outcome = o;
	res->refused = refused ? kx_xstrdup(refused) : NULL;
	res->reply = reply && *reply ? kx_xstrdup(reply) : NULL;
}

/* The program's argv: git send-email's, with "-f" for envelopeSender. */
static int send_program(struct kx_smtp *s, const char *from,
			const char *const *rcpts, size_t nr, const char *msg,
			size_t len, struct kx_smtp_result *res)
{
	struct kx_strlist argv = KX_STRLIST_INIT;
	const char **args;
	char *reply, *shown;
	int error, status;
	bool killed, signalled = false;
	size_t i;

	if (s->kind == KX_SMTP_SHELL) {
		/* the user's own command; every address stays an argument */
		kx_strlist_add(&argv, "sh");
		kx_strlist_add(&argv, "-c");
		kx_strlist_addf(&argv, "%s \"$@\"", s->sendmail_cmd);
		kx_strlist_add(&argv, "-");
	} else {
		kx_strlist_add(&argv, s->server);
	}
	if (s->envelope_flag) {
		kx_strlist_add(&argv, "-f");
		kx_strlist_add(&argv, from);
	}
	kx_strlist_add(&argv, "-i");
	for (i = 0; i < nr; i++)
		kx_strlist_add(&argv, rcpts[i]);
	args = kx_strlist_argv(&argv);
	/* the terminal's Ctrl-C is kvmx86's: the mail on its way gets its answer */
	error = kx_run_input(args, NULL, msg, len, NULL, &status, &signalled,
			     KX_RUN_NO_SIGINT);
	free(args);
	kx_strlist_release(&argv);
	shown = kx_escape(s->kind == KX_SMTP_SHELL ? s->sendmail_cmd :
			  s->server, 0);
	if (error < 0) {
		set_result(res, KX_SMTP_FAILED, NULL, kx_error_last());
		free(shown);
		return error;
	}
	if (!status) {
		set_result(res, KX_SMTP_ACCEPTED, NULL, NULL);
		free(shown);
		return 0;
	}
	/*
	 * Killed, it may have handed the mail on before it died: possibly
	 * sent.  A shell (sendmailCmd) says so of its command by 128 + the
	 * signal; a program's own exit of 129 to 255 is a failure.
	 */
	killed = signalled ||
		 (s->kind == KX_SMTP_SHELL && status > 128 && status < 128 + 65);
	reply = killed ?
		kx_xasprintf("'%s' was killed by signal %d", shown, status - 128) :
		kx_xasprintf("'%s' exited with status %d", shown, status);
	free(shown);
	error = kx_error_set(KX_ERROR, "%s", reply);
	set_result(res, killed ? KX_SMTP_UNKNOWN : KX_SMTP_FAILED, NULL, reply);
	kx_error_hint("%s", killed ?
		      "the program may have handed the mail on before it was killed: it counts as possibly sent" :
		      "the mail was not handed over; the program's own messages say why");
	free(reply);
	return error;
}

/*
 * After the handshake (EHLO, STARTTLS, AUTH), before MAIL FROM: a login
 * configured but not done means the server offered no AUTH, and libcurl
 * would send the mail without one; git send-email dies there too.
 */
static int on_prereq(void *arg, char *remote_ip, char *local_ip,
		     int remote_port, int local_port)
{
	struct kx_smtp *s = arg;

	(void)remote_ip;
	(void)local_ip;
	(void)remote_port;
	(void)local_port;
	if (s->user && !s->conn_login) {
		s->no_login = true;
		return CURL_PREREQFUNC_ABORT;
	}
	return CURL_PREREQFUNC_OK;
}

static int new_handle(struct kx_smtp *s)
{
	CURL *h;

	if (!(h = curl_easy_init()))
		return kx_error_set(KX_ENET, "libcurl could not start a "
				    "session with '%s'", s->server);
	curl_easy_setopt(h, CURLOPT_URL, s->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	/* git send-email goes through no proxy either */
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	curl_easy_setopt(h, CURLOPT_USE_SSL, s->use_ssl);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (s->ca_path)
		curl_easy_setopt(h, s->ca_dir ? CURLOPT_CAPATH : CURLOPT_CAINFO,
				 s->ca_path);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, KX_SMTP_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, KX_SMTP_TIMEOUT);
	if (s->user) {
		curl_easy_setopt(h, CURLOPT_USERNAME, s->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, s->pass ? s->pass : "");
		if (s->login_options)
			curl_easy_setopt(h, CURLOPT_LOGIN_OPTIONS,
					 s->login_options);
		if (curl_easy_setopt(h, CURLOPT_PREREQFUNCTION,
				     on_prereq) != CURLE_OK) {
			curl_easy_cleanup(h);
			return kx_error_set(KX_ENET, "this libcurl cannot "
					    "check the login before a mail "
					    "goes (7.80 or later can)");
		}
		curl_easy_setopt(h, CURLOPT_PREREQDATA, s);
	}
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(h, CURLOPT_READDATA, s);
	/* the protocol trace tells what became of a mail; it prints nothing */
	curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_trace);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, s);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, s->errbuf);
	s->h = h;
	return 0;
}

static void sleep_s(unsigned sec)
{
	struct timespec ts = { (time_t)sec, 0 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* The message of a mail that did not go, from libcurl's code and the trace. */
static int send_error(struct kx_smtp *s, CURLcode rc)
{
	const char *detail = *s->errbuf ? s->errbuf : curl_easy_strerror(rc);
	char *shown = kx_escape(s->server, 0);
	int error;

	if (s->no_login) {
		error = kx_error_set(KX_ENET, "the SMTP server '%s' offers no "
				     "login (AUTH), and %s is set: nothing "
				     "was sent", shown, s->user_key);
		kx_error_hint("git send-email stops here too; if the server "
			      "takes mail without a login, unset %s or set "
			      "sendemail.smtpAuth to none (servers often offer "
			      "AUTH only after STARTTLS: sendemail.smtpEncryption "
			      "tls)", s->user_key);
		free(shown);
		return error;
	}
	if (rc == CURLE_LOGIN_DENIED && !s->auth_sent && s->mechs &&
	    (!s->auth_key || s->auth_names)) {
		/* libcurl found no mechanism to use: no password was tried */
		if (s->auth_key)
			error = kx_error_set(KX_ENET, "the SMTP server '%s' "
					     "offers AUTH %s, and %s (%s) names "
					     "none of them", shown, s->mechs,
					     s->auth_key, s->auth_names);
		else
			error = kx_error_set(KX_ENET, "the SMTP server '%s' "
					     "offers AUTH %s, none of which "
					     "kvmx86 (libcurl) can use", shown,
					     s->mechs);
		kx_error_hint(s->auth_key ? "set %s to mechanisms the server "
			      "offers, or unset it" : "ask the server's "
			      "administrator for PLAIN or LOGIN over TLS",
			      s->auth_key);
		free(shown);
		return error;
	}
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
		error = kx_error_set(KX_ENET, "could not connect to the SMTP "
				     "server '%s': %s", shown, detail);
		kx_error_hint("check sendemail.smtpServer and "
			      "sendemail.smtpServerPort, and the network");
		break;
	case CURLE_USE_SSL_FAILED:
		error = kx_error_set(KX_ENET, "the SMTP server '%s' offers no "
				     "STARTTLS: %s", shown, detail);
		kx_error_hint("kvmx86 sends through TLS only: set "
			      "sendemail.smtpEncryption to ssl if the server "
			      "speaks TLS from the start");
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CACERT_BADFILE:
		error = kx_error_set(KX_ENET, "TLS failed with the SMTP server "
				     "'%s': %s", shown, detail);
		kx_error_hint("kvmx86 always verifies certificates: a "
			      "private CA goes in sendemail.smtpSSLCertPath");
		break;
	case CURLE_LOGIN_DENIED:
		error = kx_error_set(KX_ENET, "the SMTP server '%s' refused "
				     "the login%s%s", shown,
				     s->reply.len ? ": " : "",
				     s->reply.len ? s->reply.buf : "");
		kx_error_hint(s->pass_from_helper ?
			      "check the user name; the credential helper "
			      "is told to forget the password" :
			      "check sendemail.smtpUser and the password");
		break;
	default:
		error = kx_error_set(KX_ENET, "sending through '%s' failed: "
				     "%s%s%s", shown, detail,
				     s->reply.len ? "; the server said: " : "",
				     s->reply.len ? s->reply.buf : "");
		kx_error_hint("nothing was sent of this mail; check the "
			      "server and try again");
		break;
	}
	free(shown);
	return error;
}

static int send_server(struct kx_smtp *s, const char *from,
		       const char *const *rcpts, size_t nr, const char *msg,
		       size_t len, struct kx_smtp_result *res)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_pipe;
	struct curl_slist *list = NULL, *l;
	char *shown;
	CURLcode rc;
	int error = 0;
	size_t i;

	if ((error = kx_curl_load()) < 0) {
		kx_error_hint("install libcurl (Debian: libcurl4)");
		goto failed;
	}
	if (s->auth == AUTH_REFUSED) {
		/* another try would be another 535, and may lock the account */
		shown = kx_escape(s->server, 0);
		error = kx_error_set(KX_ENET, "the SMTP server '%s' refused "
				     "the login of this session", shown);
		free(shown);
		kx_error_hint("check sendemail.smtpUser and the password");
		goto failed;
	}
	if (s->relogin_pending) {
		sleep_s(s->relogin_delay);
		s->relogin_pending = false;
	}
	if (!s->h && (error = new_handle(s)) < 0)
		goto failed;
	for (i = 0; i < nr; i++) {
		if (!(l = curl_slist_append(list, rcpts[i]))) {
			error = kx_error_set(KX_ENOMEM, "out of memory");
			goto failed;
		}
		list = l;
	}
	curl_easy_setopt(s->h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(s->h, CURLOPT_MAIL_RCPT, list);
	s->phase = PH_NONE;
	s->auth_sent = false;
	s->no_login = false;
	s->code = 0;
	s->reply_after_eof = false;
	s->reply.len = 0;
	free(s->rcpt);
	s->rcpt = NULL;
	s->msg = msg;
	s->len = len;
	s->pos = 0;
	s->cr = false;
	s->eof = false;
	s->errbuf[0] = '\0';
	/* a server gone mid-write must not kill kvmx86 with SIGPIPE */
	sigaction(SIGPIPE, &ign, &old_pipe);
	rc = curl_easy_perform(s->h);
	sigaction(SIGPIPE, &old_pipe, NULL);
	if (s->phase == PH_QUIT)
		s->phase = s->quit_from;
	curl_easy_setopt(s->h, CURLOPT_MAIL_RCPT, NULL);
	curl_slist_free_all(list);
	list = NULL;
	if (rc == CURLE_OK) {
		set_result(res, KX_SMTP_ACCEPTED, NULL,
			   s->reply.len ? s->reply.buf : NULL);
		goto sent;
	}
	if (s->eof && !s->reply_after_eof) {
		/* the whole mail went; whether the server kept it is unknown */
		shown = kx_escape(*s->errbuf ? s->errbuf :
				  curl_easy_strerror(rc), 0);
		set_result(res, KX_SMTP_UNKNOWN, NULL, shown);
		free(shown);
		goto sent;
	}
	/* 421: the server closes the channel, which says nothing of the mail */
	if (s->code >= 400 && s->code != 421 &&
	    (s->phase == PH_MAIL || s->phase == PH_RCPT ||
	     s->phase == PH_DATA || s->phase == PH_POSTDATA)) {
		/* the server said no: to the sender, a recipient or the mail */
		set_result(res, KX_SMTP_REFUSED,
			   s->phase == PH_RCPT ? s->rcpt : NULL,
			   s->reply.buf);
		goto sent;
	}
	error = send_error(s, rc);
	if (s->no_login) {
		/* QUIT now: the connection must not carry a mail */
		curl_easy_cleanup(s->h);
		s->h = NULL;
	}
	/* libcurl closed the connection; the next mail opens one */
	goto failed;
sent:
	if (s->batch_size && ++s->in_batch >= s->batch_size) {
		/* git send-email: QUIT, then wait before the next login */
		curl_easy_cleanup(s->h);
		s->h = NULL;
		s->in_batch = 0;
		s->relogin_pending = true;
	}
	return 0;
failed:
	if (list)	/* libcurl may not be loaded */
		curl_slist_free_all(list);
	/* a reply that says why (a 535, a 421), not the EHLO before it */
	set_result(res, KX_SMTP_FAILED, NULL,
		   s->code >= 400 ? s->reply.buf : NULL);
	return error;
}

int kx_smtp_send(struct kx_smtp *s, const char *from, const char *const *rcpts,
		 size_t nr, const char *msg, size_t len,
		 struct kx_smtp_result *res)
{
	int error;
	size_t i;

	memset(res, 0, sizeof(*res));
	res->outcome = KX_SMTP_FAILED;
	if (!nr) {
		error = kx_error_set(KX_EINVALID, "a mail without recipients");
		goto failed;
	}
	if ((error = check_address(from, "the envelope sender")) < 0)
		goto failed;
	for (i = 0; i < nr; i++)
		if ((error = check_address(rcpts[i], "a recipient")) < 0)
			goto failed;
	if (s->kind == KX_SMTP_SERVER)
		return send_server(s, from, rcpts, nr, msg, len, res);
	return send_program(s, from, rcpts, nr, msg, len, res);
failed:
	res->reply = kx_xstrdup(kx_error_last());
	return error;
}

void kx_smtp_close(struct kx_smtp *s)
{
	char *out = NULL;

	if (!s)
		return;
	if (s->h)
		curl_easy_cleanup(s->h);	/* QUIT */
	if (s->pass_from_helper && s->auth != AUTH_UNTRIED) {
		/* the caller's message stays: this changes nothing sent */
		char *msg = kx_xstrdup(kx_error_last());
		char *hint = kx_xstrdup(kx_error_last_hint());
		int code = kx_error_code();

		if (credential(s, s->auth == AUTH_ACCEPTED ? "approve" :
			       "reject", &out) == 0)
			explicit_bzero(out, strlen(out));
		free(out);
		kx_error_clear();
		if (code) {
			kx_error_set(code, "%s", msg);
			if (*hint)
				kx_error_hint("%s", hint);
		}
		free(msg);
		free(hint);
	}
	free(s->server);
	free(s->sendmail_cmd);
	free(s->url);
	free(s->ca_path);
	free(s->login_options);
	free(s->user);
	wipe_free(s->pass);
	free(s->cred_host);
	free(s->user_key);
	free(s->auth_key);
	free(s->auth_names);
	free(s->mechs);
	free(s->git_dir);
	free(s->rcpt);
	kx_buf_release(&s->reply);
	free(s);
}

void kx_smtp_result_release(struct kx_smtp_result *r)
{
	free(r->refused);
	free(r->reply);
	memset(r, 0, sizeof(*r));
}
