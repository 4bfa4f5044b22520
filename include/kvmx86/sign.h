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

/* A signing key as patatt configures it. */
struct kx_sign_key;

/*
 * Loads the key of patatt.signingkey ("ed25519:<name>", its private key
 * under patatt's data directory) and patatt.selector through lookup, as
 * patatt reads them.  Returns 0, KX_ENOTFOUND when no key is configured
 * (mails go unsigned), or KX_EINVALID naming the key for an OpenPGP key
 * ("kvmx86 signs with ed25519 keys"), a missing or malformed key file.
 */
int kx_sign_key_load(struct kx_sign_key **out, kx_smtp_lookup lookup,
		     void *data);

/*
 * Returns msg (a whole mail, LF line ends) with the X-Developer-Key and
 * X-Developer-Signature headers patatt adds, signing as identity (the
 * From address) at time t (seconds since the epoch), in *out (caller
 * frees).  Returns 0 or a negative KX_E*.
 */
int kx_sign_mail(char **out, const char *msg, size_t len,
		 const struct kx_sign_key *k, const char *identity,
		 long long t);

/* Frees k (its secret overwritten first); NULL is accepted. */
void kx_sign_key_free(struct kx_sign_key *k);

#endif
