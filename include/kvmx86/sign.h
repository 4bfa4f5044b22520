/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Signing mails as patatt does (b4's default, verified by kernel.org's
 * tooling): X-Developer-Signature (ed25519 over the canonicalised
 * headers and body) and X-Developer-Key.  The canonical form and the
 * header values are pure (lib/core/patatt.c); the key and the
 * cryptography (OpenSSL's libcrypto, loaded only when a mail is signed)
 * are io's (lib/io/sign.c).
 */
#ifndef KVMX86_SIGN_H
#define KVMX86_SIGN_H

#include <stddef.h>

#include "kvmx86/smtp.h"	/* kx_smtp_lookup */
#include "kvmx86/util.h"

/* A signing key as patatt configures it. */
struct kx_sign_key;

/*
 * Loads the key of patatt.signingkey ("ed25519:<name>", its private key
 * under patatt's data directory) and patatt.selector through lookup, as
 * patatt reads them.  Returns 0, KX_ENOTFOUND when no key is configured
 * (mails go unsigned), or KX_EINVALID naming the key for an OpenPGP key
 * ("kvmx86 signs with ed25519 keys"), a missing or malformed key file.
 * user.signingkey without patatt.signingkey is such an OpenPGP key: patatt
 * (and b4) would sign with it.
 */
int kx_sign_key_load(struct kx_sign_key **out, kx_smtp_lookup lookup,
		     void *data);

/*
 * Returns msg (a whole mail, LF line ends) with the X-Developer-Key and
 * X-Developer-Signature headers patatt adds, signing as identity (the
 * From address) at time t (seconds since the epoch), in *out (caller
 * frees).  Returns 0 or a negative KX_E*.
 * identity may be NULL: the address git mailinfo finds, as patatt does
 * when it has none.  patatt itself signs as kx_sign_key_identity().
 */
int kx_sign_mail(char **out, const char *msg, size_t len,
		 const struct kx_sign_key *k, const char *identity,
		 long long t);

/* Frees k (its secret overwritten first); NULL is accepted. */
void kx_sign_key_free(struct kx_sign_key *k);

/*
 * Like kx_sign_key_load(), with workdir (the repository's work tree, or
 * NULL) for patatt's last place to look: <workdir>/.git/<name>.key.
 */
int kx_sign_key_load_at(struct kx_sign_key **out, kx_smtp_lookup lookup,
			void *data, const char *workdir);

/*
 * Returns the identity patatt signs as (patatt sign, b4): patatt.identity,
 * else user.email, else NULL (borrowed from k).  Verifiers find the public
 * key by it, so it is the identity to give kx_sign_mail().
 */
const char *kx_sign_key_identity(const struct kx_sign_key *k);

/* Returns the file the private key was read from (borrowed from k). */
const char *kx_sign_key_path(const struct kx_sign_key *k);

/*
 * The pure parts (lib/core/patatt.c), as patatt 0.6 computes them.
 * patatt canonicalises a mail with git mailinfo (--encoding=utf-8
 * --no-scissors): the signed From and Subject are mailinfo's author and
 * cleaned subject, the signed body its message and patch.  kx_sign_mail()
 * runs that same git mailinfo and hands its output to these.
 */

#define KX_PATATT_SEED_LEN 32	/* an ed25519 private key (its seed) */
#define KX_PATATT_PK_LEN 32
#define KX_PATATT_SIG_LEN 64

/* A mail split as patatt splits it. */
struct kx_patatt_mail {
	struct kx_strlist headers;	/* each with its folds and line end */
	char *lf;			/* the blank line ending the headers */
	char *body;
	size_t body_len;
};

/*
 * Splits msg into m (caller releases, also after an error), dropping
 * X-Developer-Signature and X-Developer-Key headers as patatt does before
 * it signs.  Returns 0, or KX_EINVALID for a mail without headers or
 * without a body.
 */
int kx_patatt_parse(struct kx_patatt_mail *m, const char *msg, size_t len);

/* Frees what m owns. */
void kx_patatt_mail_release(struct kx_patatt_mail *m);

/*
 * Returns the text patatt gives git mailinfo on its stdin: headers, blank
 * line and body, CRLF made LF; its length in *len (caller frees).
 */
char *kx_patatt_mailinfo_input(const struct kx_patatt_mail *m, size_t *len);

/* What is signed. */
struct kx_patatt_canon {
	char *headers;		/* "from:...\r\nsubject:...\r\n[message-id:...\r\n]" */
	char *h;		/* the h= list: "from:subject[:message-id]" */
	char *body;		/* the canonical body, hashed for bh= */
	size_t body_len;	/* l= */
	char *identity;		/* mailinfo's Email: the i= when none is given */
};

/*
 * Canonicalises m with mp (git mailinfo's message file followed by its
 * patch file, mp_len bytes) and info (its stdout) into c (caller
 * releases, also after an error).  Returns 0, or KX_EINVALID when From or
 * Subject is missing or a signed header holds an RFC 2047 word patatt
 * would decode after mailinfo already did.
 */
int kx_patatt_canonicalize(struct kx_patatt_canon *c,
			   const struct kx_patatt_mail *m, const char *mp,
			   size_t mp_len, const char *info);

/* Frees what c owns. */
void kx_patatt_canon_release(struct kx_patatt_canon *c);

/* The fields of an X-Developer-Signature. */
struct kx_patatt_sig {
	long long t;
	size_t l;
	const char *identity;	/* i= */
	const char *selector;	/* s=, or NULL: none (patatt.selector unset) */
	const char *h;
	const char *bh;		/* base64 of the body's SHA-256 */
	const char *b;		/* base64 of signature and digest, or NULL */
};

/*
 * Returns the X-Developer-Signature value (caller frees): up to and with
 * "b=" when s->b is NULL (what is signed), else with b= split as patatt
 * splits it.
 */
char *kx_patatt_sig_value(const struct kx_patatt_sig *s);

/*
 * Returns what the ed25519 signature's SHA-256 covers: the canonical
 * headers, then "x-developer-signature:" and value (kx_patatt_sig_value()
 * without b); its length in *len (caller frees).
 */
char *kx_patatt_signed_input(const struct kx_patatt_canon *c,
			     const char *value, size_t *len);

/* Returns the X-Developer-Key value for identity and pk (base64). */
char *kx_patatt_key_value(const char *identity, const char *pk);

/*
 * Returns "name: value" folded as Python's email.header does at 78
 * columns (patatt's make_header(...).encode()), LF between lines and none
 * at the end (caller frees).
 */
char *kx_patatt_fold(const char *name, const char *value);

/*
 * Returns the signed mail: m's headers, then sig and key (folded header
 * fields, each followed by a line end), the blank line and the body; its
 * length in *len (caller frees).
 */
char *kx_patatt_assemble(const struct kx_patatt_mail *m, const char *sig,
			 const char *key, size_t *len);

/*
 * Decodes a private key file's text (base64 of the 32-byte seed, as
 * patatt genkey writes it; blanks and line breaks ignored) into seed.
 * Returns 0 or KX_EINVALID.
 */
int kx_patatt_key_parse(unsigned char seed[KX_PATATT_SEED_LEN],
			const char *text, size_t len);

/* Appends base64 (RFC 4648, padded) of n bytes of data to b. */
void kx_patatt_base64(struct kx_buf *b, const unsigned char *data, size_t n);

/*
 * Returns 0 if s may stand in an i= or s= field (printable ASCII without
 * blanks or ';'), else KX_EINVALID naming what (the field).
 */
int kx_patatt_check_field(const char *what, const char *s);

#endif
