/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Delivering mails as git send-email does: to an SMTP server through
 * libcurl (loaded only when a mail goes), or to a sendmail-like program.
 * The configuration is git send-email's (sendemail.*, with
 * sendemail.<identity>.* first and kvmx86.* over both), resolved by pure
 * code (lib/core/smtpconf.c); the connection, git's credential helpers
 * and the programs are io's (lib/io/smtp.c).  No password ever reaches
 * output, a log, the state or an error message.
 */
#ifndef KVMX86_SMTP_H
#define KVMX86_SMTP_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/util.h"

/* How the mails leave. */
enum kx_smtp_kind {
	KX_SMTP_SERVER,		/* SMTP to host:port */
	KX_SMTP_PROGRAM,	/* sendemail.smtpServer is an absolute path: argv */
	KX_SMTP_SHELL,		/* sendemail.sendmailCmd: "sh -c '<cmd> \"$@\"'" */
};

/* sendemail.smtpEncryption. */
enum kx_smtp_tls {
	KX_SMTP_TLS_UNSET,	/* STARTTLS required, except on loopback */
	KX_SMTP_TLS_STARTTLS,	/* "tls" */
	KX_SMTP_TLS_IMPLICIT,	/* "ssl" */
	KX_SMTP_TLS_NONE,	/* "none" or --smtp-insecure: plain text */
};

/* sendemail.confirm and --confirm: whether a send asks first. */
enum kx_confirm {
	KX_CONFIRM_UNSET,	/* git's default: auto, Enter (or no terminal) sends */
	KX_CONFIRM_AUTO,	/* "auto", "cc", "always": ask, an answer needed */
	KX_CONFIRM_NEVER,	/* "never", "compose" (kvmx86 composes nothing) */
};

/*
 * Parses a --confirm or sendemail.confirm value as git send-email takes
 * it (auto, cc, compose, always, never); KX_EINVALID naming what otherwise.
 */
int kx_confirm_parse(enum kx_confirm *out, const char *value, const char *what);

/* What kx_smtp_conf_resolve() makes of the configuration. */
struct kx_smtp_conf {
	enum kx_smtp_kind kind;
	char *server;		/* host (a ":port" of smtpServer split off),
				   or the program's absolute path */
	char *sendmail_cmd;	/* KX_SMTP_SHELL's shell text */
	unsigned port;		/* 0 for a program; symbolic names resolved */
	enum kx_smtp_tls tls;
	bool insecure;		/* --smtp-insecure: plain text allowed anywhere */
	char *user;		/* NULL: no AUTH */
	char *pass;		/* sendemail.smtpPass, or NULL: git credential fill */
	char *auth;		/* sendemail.smtpAuth: SASL mechanisms, or NULL */
	char *domain;		/* sendemail.smtpDomain: the EHLO name, or NULL */
	char *envelope_sender;	/* sendemail.envelopeSender's address (of
				   "Name <addr>" too), "auto", or NULL */
	char *ca_path;		/* sendemail.smtpSSLCertPath: file or directory */
	unsigned batch_size;	/* sendemail.smtpBatchSize, 0: no limit */
	unsigned relogin_delay;	/* sendemail.smtpReloginDelay, seconds */
	enum kx_confirm confirm;	/* sendemail.confirm */
	char *identity;		/* sendemail.identity or --identity, or NULL */
	/*
	 * git send-email's smtp_host_string, the host it asks git credential
	 * for: smtpServer as given, ':', and the port it hands Net::SMTP
	 * (smtpServerPort as given, else 465 for ssl, 25 for the rest), so
	 * that both find the same stored password.  NULL for a program.
	 */
	char *cred_host;
	struct kx_strlist origin;	/* "key=where" of each value, for --dry-run */
};

/*
 * Looks a value up in the caller's configuration: *out a copy (caller
 * frees), returning 0, or KX_ENOTFOUND when key is unset.
 */
typedef int (*kx_smtp_lookup)(void *data, const char *key, char **out);

/*
 * Stores in *out (caller frees; NULL for none) the sendemail identity of a
 * send: option (--identity), else kvmx86.identity, else
 * sendemail.identity, as git send-email takes it; an empty value is none.
 * Returns where it came from ("--identity" or the key; static), or NULL.
 */
const char *kx_sendemail_identity(char **out, kx_smtp_lookup lookup,
				  void *data, const char *option);

/*
 * Resolves where the mails go from the configuration seen through lookup
 * (identity: --identity, or NULL for sendemail.identity): for each value
 * kvmx86.<key>, then sendemail.<identity>.<key>, then sendemail.<key>;
 * git send-email's defaults (port 465 for "ssl", else 25; no
 * server: /usr/sbin/sendmail or /usr/lib/sendmail if executable, else
 * localhost).  A port in smtpServer ("host:port", "[v6]:port") wins over
 * smtpServerPort, as in git send-email; a port may be a service name
 * ("submission").  Returns 0, or KX_EINVALID naming the key of a value
 * that does not parse (also an envelopeSender that is not one address).
 * out is initialised by the call; release it either way.
 */
int kx_smtp_conf_resolve(struct kx_smtp_conf *out, kx_smtp_lookup lookup,
			 void *data, const char *identity, bool insecure);

/*
 * Returns 0 if c may carry mail as configured: TLS (STARTTLS or implicit)
 * to every server that is not loopback (127.0.0.0/8, ::1, "localhost"),
 * unless c->insecure.  KX_EINVALID otherwise, with a message and a hint.
 */
int kx_smtp_conf_check(const struct kx_smtp_conf *c);

/* Frees what c owns (c->pass overwritten first). */
void kx_smtp_conf_release(struct kx_smtp_conf *c);

/*
 * kx_smtp_conf_resolve() with the system's answers given, so that they
 * are a unit test: whether the default sendmail is executable (NULL: none
 * is) and a TCP service name's port (0: unknown; NULL: none is known).
 * kx_smtp_conf_resolve() passes access(X_OK) and getservbyname().
 */
int kx_smtp_conf_resolve_with(struct kx_smtp_conf *out, kx_smtp_lookup lookup,
			      void *data, const char *identity, bool insecure,
			      bool (*executable)(const char *path),
			      int (*service)(const char *name));

/*
 * Returns true if host is loopback: "localhost", 127.0.0.0/8, ::1 (also
 * in brackets, and as ::ffff:127.x.y.z); no name is resolved.
 */
bool kx_smtp_host_is_loopback(const char *host);

/*
 * Returns the envelope sender for a mail whose From address is from:
 * sendemail.envelopeSender unless unset or "auto" (git send-email's
 * word for the From), else from.
 */
const char *kx_smtp_conf_envelope(const struct kx_smtp_conf *c,
				  const char *from);

/* What became of one mail. */
enum kx_smtp_outcome {
	KX_SMTP_ACCEPTED,	/* the server's 250 after the data (or the program's 0) */
	KX_SMTP_REFUSED,	/* refused (sender, recipient, DATA, or a
				   4xx/5xx to the data): not delivered */
	KX_SMTP_UNKNOWN,	/* the data went, the answer did not come: possibly sent */
	KX_SMTP_FAILED,		/* not delivered: connection, TLS or AUTH failed */
};

struct kx_smtp_result {
	enum kx_smtp_outcome outcome;
	char *refused;		/* the recipient the server refused, or NULL */
	char *reply;		/* the server's last reply or the program's
				   error, escaped for a terminal, or NULL */
};

/* A session with a server (or the program to run per mail). */
struct kx_smtp;

/*
 * Prepares a session for c (kx_smtp_conf_check() first); connects lazily
 * with the first mail.  For AUTH without c->pass, asks `git credential
 * fill` (protocol smtp, host as git send-email gives it, username) once,
 * in the repository at git_dir (NULL: none).  Returns 0 or a negative
 * KX_E* with the message stored.
 */
int kx_smtp_open(struct kx_smtp **out, const struct kx_smtp_conf *c,
		 const char *git_dir);

/*
 * Sends the len bytes of msg (LF line ends; CRLF and dot-stuffing are
 * the transport's) from the envelope sender from to the nr addresses of
 * rcpts, and stores what became of it in *res (release it).  Returns 0
 * when *res says what happened (also a refusal), or a negative KX_E* for
 * a failure before anything was sent (res->outcome KX_SMTP_FAILED); so is
 * a login configured that the server does not offer (no AUTH, or none of
 * c->auth's mechanisms), found before MAIL FROM.
 */
int kx_smtp_send(struct kx_smtp *s, const char *from, const char *const *rcpts,
		 size_t nr, const char *msg, size_t len,
		 struct kx_smtp_result *res);

/*
 * Ends the session: QUIT, then `git credential approve` if the server
 * accepted the password, `reject` if it refused it.  NULL is accepted.
 */
void kx_smtp_close(struct kx_smtp *s);

/* Frees what r owns. */
void kx_smtp_result_release(struct kx_smtp_result *r);

#endif
