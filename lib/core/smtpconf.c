// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where the mails go, from git send-email's configuration (its
 * git-send-email.perl: read_config, send_message, smtp_host_string).
 * Pure: the one question for the system, whether the default sendmail
 * is executable, comes through a callback.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "kvmx86/config.h"
#include "kvmx86/error.h"
#include "kvmx86/mail.h"
#include "kvmx86/safe.h"
#include "kvmx86/smtp.h"

/* git send-email's order when neither a server nor a command is set. */
static const char *const default_sendmails[] = {
	"/usr/sbin/sendmail", "/usr/lib/sendmail",
};

struct reader {
	kx_smtp_lookup lookup;
	void *data;
	const char *identity;
	struct kx_strlist *origin;
	int (*service)(const char *name);
};

/*
 * The value of sendemail.<name> as git send-email sees it: kvmx86.<name>
 * first, then sendemail.<identity>.<name>, then sendemail.<name>.  *out
 * NULL when unset; *where the key that gave it (static or in keybuf).
 */
static int get(struct reader *r, const char *name, char **out,
	       char *keybuf, size_t keylen)
{
	char *key;
	int error;

	*out = NULL;
	key = kx_xasprintf("kvmx86.%s", name);
	error = r->lookup(r->data, key, out);
	if (error == KX_ENOTFOUND && r->identity) {
		free(key);
		key = kx_xasprintf("sendemail.%s.%s", r->identity, name);
		error = r->lookup(r->data, key, out);
	}
	if (error == KX_ENOTFOUND) {
		free(key);
		key = kx_xasprintf("sendemail.%s", name);
		error = r->lookup(r->data, key, out);
	}
	if (error == KX_ENOTFOUND) {
		*out = NULL;
		error = 0;
	} else if (!error) {
		snprintf(keybuf, keylen, "%s", key);
		/* the value itself never goes there: smtpPass is one */
		kx_strlist_addf(r->origin, "%s=%s", name, key);
	}
	free(key);
	return error;
}

static int bad(const char *key, const char *value, const char *what)
{
	char *shown = kx_escape(strlen(value) > 60 ? "(too long)" : value, 0);
	int error = kx_error_set(KX_EINVALID, "bad config value '%s' for "
				 "'%s': %s", shown, key, what);

	free(shown);
	return error;
}

/* A service name as /etc/services writes them: "submission", "smtps". */
static bool service_name_ok(const char *v)
{
	if (!isalpha((unsigned char)*v) || strlen(v) > 32)
		return false;
	for (; *v; v++)
		if (!isalnum((unsigned char)*v) && *v != '-' && *v != '_')
			return false;
	return true;
}

/*
 * A port: digits from 1 to 65535, or a service name (git-send-email(1):
 * "symbolic port names (e.g. submission instead of 587) are also
 * accepted"), resolved through r->service as Perl's sockets resolve it.
 */
static int parse_port(unsigned *out, struct reader *r, const char *key,
		      const char *v)
{
	unsigned long n = 0;
	const char *p;
	int port;

	if (service_name_ok(v)) {
		port = r->service ? r->service(v) : 0;
		if (port < 1 || port > 65535)
			return bad(key, v, "no TCP service of that name is "
				   "known (/etc/services)");
		*out = (unsigned)port;
		return 0;
	}
	for (p = v; isdigit((unsigned char)*p) && n <= 65535; p++)
		n = n * 10 + (unsigned)(*p - '0');
	if (!*v || *p || n < 1 || n > 65535)
		return bad(key, v, "expected a port number from 1 to 65535, "
			   "or a service name such as submission");
	*out = (unsigned)n;
	return 0;
}

/*
 * Splits "host:port" and "[v6]:port" (Net::SMTP takes both in
 * smtpServer): *port the port's text in server, or NULL; a bare IPv6
 * literal ("::1") has no port.  The host's end is made a '\0'.
 */
static void split_host_port(char *server, char **port)
{
	char *colon = strrchr(server, ':');

	*port = NULL;
	if (!colon)
		return;
	if (server[0] == '[') {
		if (colon > server && colon[-1] == ']') {
			*colon = '\0';
			*port = colon + 1;
		}
		return;
	}
	if (strchr(server, ':') != colon)
		return;		/* more than one: an IPv6 literal */
	*colon = '\0';
	*port = colon + 1;
}

/*
 * sendemail.envelopeSender as git send-email's extract_valid_address()
 * takes it: "Name <addr>" gives addr; a local address alone (no '@') is
 * kept.  Returns the address (caller frees), or NULL if there is none.
 */
static char *envelope_address(const char *v)
{
	struct kx_strlist l = KX_STRLIST_INIT;
	struct kx_mailbox mb;
	char *addr = NULL;
	const char *p;

	kx_mail_split_list(&l, v);
	if (l.nr != 1)
		goto done;
	if (kx_mailbox_parse(&mb, l.items[0]) == 0) {
		addr = mb.addr;
		mb.addr = NULL;
		kx_mailbox_release(&mb);
		goto done;
	}
	kx_error_clear();
	/* a local address: printable ASCII, no option, nothing to split */
	for (p = l.items[0]; *p > 0x20 && *p < 0x7f; p++)
		if (strchr("<>\"@,;()[]\\", *p))
			break;
	if (!*p && l.items[0][0] != '-')
		addr = kx_xstrdup(l.items[0]);
done:
	kx_strlist_release(&l);
	return addr;
}

/* An EHLO name: it goes into libcurl's URL, so a host name's bytes only. */
static bool domain_ok(const char *d)
{
	if (!*d || strlen(d) > 253)
		return false;
	for (; *d; d++)
		if (!isalnum((unsigned char)*d) && !strchr(".-_[]:", *d))
			return false;
	return true;
}

static bool host_ok(const char *h)
{
	if (!*h || strlen(h) > 253)
		return false;
	for (; *h; h++)
		if (!isalnum((unsigned char)*h) && !strchr(".-_[]:", *h))
			return false;
	return true;
}

/* SASL mechanism names (RFC 4422: upper case, digits, '-', '_'). */
static bool auth_ok(const char *a)
{
	bool any = false;

	for (; *a; a++) {
		if (isspace((unsigned char)*a))
			continue;
		if (!isupper((unsigned char)*a) && !isdigit((unsigned char)*a) &&
		    *a != '-' && *a != '_')
			return false;
		any = true;
	}
	return any;
}

#define GET(name, var) \
	do { \
		if ((error = get(&r, name, &var, key, sizeof(key))) < 0) \
			goto done; \
	} while (0)

const char *kx_sendemail_identity(char **out, kx_smtp_lookup lookup,
				  void *data, const char *option)
{
	static const char *const keys[] = { "kvmx86.identity", "sendemail.identity" };
	const char *from = NULL;
	size_t i;

	*out = NULL;
	if (option) {
		*out = kx_xstrdup(option);
		from = "--identity";
	}
	for (i = 0; !*out && i < ARRAY_SIZE(keys); i++)
		if (lookup(data, keys[i], out) == 0)
			from = keys[i];
		else
			*out = NULL;
	if (*out && !**out) {
		free(*out);
		*out = NULL;
		from = NULL;
	}
	return from;
}

int kx_smtp_conf_resolve_with(struct kx_smtp_conf *out, kx_smtp_lookup lookup,
			      void *data, const char *identity, bool insecure,
			      bool (*executable)(const char *path),
			      int (*service)(const char *name))
{
	struct reader r = { lookup, data, NULL, &out->origin, service };
	char key[320], server_key[320], *v = NULL, *id = NULL;
	char *server_port = NULL, *server_raw = NULL;
	const char *from;
	bool server_kvmx86;
	int error = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->insecure = insecure;
	from = kx_sendemail_identity(&id, lookup, data, identity);
	if (from)
		kx_strlist_addf(&out->origin, "identity=%s", from);
	out->identity = id;
	r.identity = id;

	GET("smtpServer", out->server);
	snprintf(server_key, sizeof(server_key), "%s", key);
	if (out->server && !*out->server) {
		free(out->server);
		out->server = NULL;
	}
	server_kvmx86 = out->server && kx_starts_with(key, "kvmx86.");
	GET("sendmailCmd", out->sendmail_cmd);
	if (out->sendmail_cmd && !*out->sendmail_cmd) {
		free(out->sendmail_cmd);
		out->sendmail_cmd = NULL;
	}
	/*
	 * git send-email: the command wins over the server; but
	 * kvmx86.smtpServer overrides a sendemail.sendmailCmd, as a
	 * kvmx86.* value overrides git's for kvmx86 alone.
	 */
	if (out->sendmail_cmd && server_kvmx86 &&
	    !kx_starts_with(key, "kvmx86.")) {
		free(out->sendmail_cmd);
		out->sendmail_cmd = NULL;
		/* the origin says what counts: sendmailCmd came last */
		free(out->origin.items[--out->origin.nr]);
	}
	if (out->sendmail_cmd) {
		out->kind = KX_SMTP_SHELL;
	} else if (out->server && out->server[0] == '/') {
		out->kind = KX_SMTP_PROGRAM;
	} else if (out->server) {
		out->kind = KX_SMTP_SERVER;
		v = kx_xstrdup(out->server);
		server_raw = kx_xstrdup(out->server);
		split_host_port(out->server, &server_port);
		if (!host_ok(out->server) ||
		    (server_port && !*server_port)) {
			error = bad(server_key, v, "expected a host name or "
				    "an address (with :port if you like), or an "
				    "absolute path");
			goto done;
		}
		if (server_port &&
		    (error = parse_port(&out->port, &r, server_key,
					v + (server_port - out->server))) < 0)
			goto done;
		free(v);
		v = NULL;
	} else {
		for (i = 0; i < ARRAY_SIZE(default_sendmails); i++)
			if (executable && executable(default_sendmails[i]))
				break;
		if (i < ARRAY_SIZE(default_sendmails)) {
			out->kind = KX_SMTP_PROGRAM;
			out->server = kx_xstrdup(default_sendmails[i]);
		} else {
			out->kind = KX_SMTP_SERVER;
			out->server = kx_xstrdup("localhost");
		}
		kx_strlist_add(&out->origin, "smtpServer=default");
	}

	GET("smtpEncryption", v);
	if (!v || !*v || !strcasecmp(v, "none"))
		out->tls = v && *v ? KX_SMTP_TLS_NONE : KX_SMTP_TLS_UNSET;
	else if (!strcasecmp(v, "tls"))
		out->tls = KX_SMTP_TLS_STARTTLS;
	else if (!strcasecmp(v, "ssl"))
		out->tls = KX_SMTP_TLS_IMPLICIT;
	else {
		error = bad(key, v, "expected ssl, tls or none");
		kx_error_hint("git send-email sends plain text for any other "
			      "value; kvmx86 does not guess");
		goto done;
	}
	free(v);
	v = NULL;

	GET("smtpServerPort", v);
	if (server_port) {
		/*
		 * git send-email hands both to Net::SMTP, whose socket class
		 * takes the port in the host over its Port argument: so
		 * does kvmx86, and the origin says where the port came from.
		 */
		if (v) {
			unsigned ignored;

			if ((error = parse_port(&ignored, &r, key, v)) < 0)
				goto done;
			free(out->origin.items[--out->origin.nr]);
		}
		kx_strlist_addf(&out->origin, "smtpServerPort=%s", server_key);
	} else if (v) {
		if ((error = parse_port(&out->port, &r, key, v)) < 0)
			goto done;
	} else if (out->kind == KX_SMTP_SERVER) {
		/* git send-email: 465 for ssl, 25 for the rest */
		out->port = out->tls == KX_SMTP_TLS_IMPLICIT ? 465 : 25;
	}
	if (out->kind == KX_SMTP_SERVER) {
		const char *raw = server_raw ? server_raw : out->server;

		out->cred_host = v ? kx_xasprintf("%s:%s", raw, v) :
			kx_xasprintf("%s:%u", raw, out->tls == KX_SMTP_TLS_IMPLICIT ? 465 : 25);
	}
	if (out->kind != KX_SMTP_SERVER)
		out->port = 0;
	free(v);
	v = NULL;

	GET("smtpUser", out->user);
	if (out->user && !*out->user) {
		free(out->user);
		out->user = NULL;
	}
	GET("smtpPass", out->pass);
	GET("smtpAuth", out->auth);
	if (out->auth) {
		if (!strcasecmp(out->auth, "none")) {
			/* git send-email: no AUTH at all */
			free(out->auth);
			out->auth = NULL;
			free(out->user);
			out->user = NULL;
		} else if (!auth_ok(out->auth)) {
			error = bad(key, out->auth, "expected SASL mechanism "
				    "names, such as PLAIN or LOGIN");
			goto done;
		}
	}
	GET("smtpDomain", out->domain);
	if (out->domain && !domain_ok(out->domain)) {
		error = bad(key, out->domain, "expected a host name");
		goto done;
	}
	GET("envelopeSender", v);
	if (v && *v && strcasecmp(v, "auto")) {
		out->envelope_sender = envelope_address(v);
		if (!out->envelope_sender) {
			error = bad(key, v, "expected one address, or "
				    "\"Name <address>\", or auto");
			goto done;
		}
	} else if (v && *v) {
		out->envelope_sender = kx_xstrdup("auto");
	}
	free(v);
	v = NULL;
	GET("smtpSSLCertPath", out->ca_path);
	if (out->ca_path && !*out->ca_path) {
		error = kx_error_set(KX_EINVALID, "'%s' is empty: git send-email "
				     "then skips the certificate checks, and "
				     "kvmx86 never does", key);
		kx_error_hint("unset it for the system's certificates, or "
			      "name the file or directory of the CA");
		goto done;
	}

	GET("confirm", v);
	if (v && (error = kx_confirm_parse(&out->confirm, v, key)) < 0)
		goto done;
	free(v);
	v = NULL;

	GET("smtpBatchSize", v);
	if (v && (error = kx_config_parse_uint(&out->batch_size, key, v, 0,
					       1000000)) < 0)
		goto done;
	free(v);
	v = NULL;
	GET("smtpReloginDelay", v);
	if (v) {
		if ((error = kx_config_parse_uint(&out->relogin_delay, key, v,
						  0, 86400)) < 0)
			goto done;
		if (!out->batch_size) {
			error = kx_error_set(KX_EINVALID, "'%s' is set without "
					     "sendemail.smtpBatchSize", key);
			kx_error_hint("git send-email wants both or neither");
			goto done;
		}
	}
done:
	free(server_raw);
	free(v);
	return error;
}

int kx_confirm_parse(enum kx_confirm *out, const char *value, const char *what)
{
	/* git: kvmx86 always adds recipients of its own (the list, MAINTAINERS),
	 * so "cc" and "auto" ask as "always" does; it composes nothing */
	if (!strcmp(value, "auto") || !strcmp(value, "cc") || !strcmp(value, "always")) {
		*out = KX_CONFIRM_AUTO;
		return 0;
	}
	if (!strcmp(value, "never") || !strcmp(value, "compose")) {
		*out = KX_CONFIRM_NEVER;
		return 0;
	}
	return bad(what, value, "use always, auto, cc, compose or never");
}

static bool is_executable(const char *path)
{
	return !access(path, X_OK);
}

/* getservbyname() reads /etc/services (or NSS): the system's answer */
static int tcp_service(const char *name)
{
	struct servent *se = getservbyname(name, "tcp");

	return se ? ntohs((uint16_t)se->s_port) : 0;
}

int kx_smtp_conf_resolve(struct kx_smtp_conf *out, kx_smtp_lookup lookup,
			 void *data, const char *identity, bool insecure)
{
	return kx_smtp_conf_resolve_with(out, lookup, data, identity, insecure,
					 is_executable, tcp_service);
}

bool kx_smtp_host_is_loopback(const char *host)
{
	unsigned char a[16];
	char buf[64];
	size_t n;

	if (!strcasecmp(host, "localhost") || !strcasecmp(host, "localhost."))
		return true;
	if (inet_pton(AF_INET, host, a) == 1)
		return a[0] == 127;
	n = strlen(host);
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		if (n - 2 >= sizeof(buf))
			return false;
		memcpy(buf, host + 1, n - 2);
		buf[n - 2] = '\0';
		host = buf;
	}
	if (inet_pton(AF_INET6, host, a) == 1) {
		static const unsigned char mapped[12] = {
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
		};
		static const unsigned char one[16] = {
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		};

		if (!memcmp(a, one, 16))
			return true;
		return !memcmp(a, mapped, 12) && a[12] == 127;
	}
	return false;
}

int kx_smtp_conf_check(const struct kx_smtp_conf *c)
{
	int error;

	/* unset: the transport insists on STARTTLS off loopback */
	if (c->kind != KX_SMTP_SERVER || c->tls != KX_SMTP_TLS_NONE)
		return 0;
	if (c->insecure || kx_smtp_host_is_loopback(c->server))
		return 0;
	error = kx_error_set(KX_EINVALID, "sendemail.smtpEncryption is none, "
			     "and '%s' is not on loopback: the password and "
			     "the mails would cross the network in plain text",
			     c->server);
	kx_error_hint("set sendemail.smtpEncryption to tls (STARTTLS) or ssl, "
		      "or pass --smtp-insecure to send in plain text anyway");
	return error;
}

const char *kx_smtp_conf_envelope(const struct kx_smtp_conf *c,
				  const char *from)
{
	if (c->envelope_sender && strcasecmp(c->envelope_sender, "auto"))
		return c->envelope_sender;
	return from;
}

void kx_smtp_conf_release(struct kx_smtp_conf *c)
{
	if (c->pass) {
		explicit_bzero(c->pass, strlen(c->pass));
		free(c->pass);
	}
	free(c->server);
	free(c->sendmail_cmd);
	free(c->user);
	free(c->auth);
	free(c->domain);
	free(c->envelope_sender);
	free(c->ca_path);
	free(c->identity);
	free(c->cred_host);
	kx_strlist_release(&c->origin);
	memset(c, 0, sizeof(*c));
}
