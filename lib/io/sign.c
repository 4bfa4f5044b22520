// SPDX-License-Identifier: GPL-2.0-only
/*
 * Signing mails as patatt does: its key, found where patatt finds it, git
 * mailinfo run as patatt runs it, and ed25519 and SHA-256 from OpenSSL's
 * libcrypto.  The canonical form is lib/core/patatt.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dlfcn.h>

#include <openssl/evp.h>

#include "kvmx86/error.h"
#include "kvmx86/file.h"
#include "kvmx86/mailinfo.h"
#include "kvmx86/run.h"
#include "kvmx86/sign.h"
#include "kvmx86/util.h"

struct kx_sign_key {
	unsigned char seed[KX_PATATT_SEED_LEN];
	char *path;		/* the private key's file */
	char *identity;		/* patatt.identity or user.email, or NULL */
	char *selector;		/* patatt.selector, or NULL */
};

/* patatt's get_data_dir(): $XDG_DATA_HOME/patatt, ~/.local/share/patatt */
static char *data_dir(void)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");

	if (xdg && *xdg)
		return kx_xasprintf("%s/patatt", xdg);
	return kx_xasprintf("%s/.local/share/patatt", home ? home : "");
}

static bool exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/* get_algo_keydata(): an absolute path, the data directory, .git/ */
static int find_key(char **out, const char *name, const char *workdir)
{
	char *dir = NULL, *p = NULL, *q = NULL;

	*out = NULL;
	if (name[0] == '/' && exists(name)) {
		*out = kx_xstrdup(name);
		return 0;
	}
	dir = data_dir();
	p = kx_xasprintf("%s/private/%s.key", dir, name);
	if (exists(p)) {
		*out = p;
		free(dir);
		return 0;
	}
	if (workdir) {
		q = kx_xasprintf("%s/.git/%s.key", workdir, name);
		if (exists(q)) {
			*out = q;
			free(p);
			free(dir);
			return 0;
		}
	}
	kx_error_set(KX_EINVALID,
		     "cannot find the key of patatt.signingkey 'ed25519:%s': there is no '%s'%s%s",
		     name, p, q ? " nor " : "", q ? q : "");
	kx_error_hint("make one with 'patatt genkey -n %s', or send with --no-sign",
		      name);
	free(q);
	free(p);
	free(dir);
	return KX_EINVALID;
}

static int refuse(const char *kind, const char *key, const char *what)
{
	kx_error_set(KX_EINVALID,
		     "kvmx86 signs with ed25519 keys, and %s is the %s key '%s'",
		     key, kind, what);
	kx_error_hint("set patatt.signingkey to ed25519:<name> ('patatt genkey' makes one), or send with --no-sign");
	return KX_EINVALID;
}

int kx_sign_key_load_at(struct kx_sign_key **out, kx_smtp_lookup lookup,
			void *data, const char *workdir)
{
	struct kx_sign_key *k = NULL;
	char *sk = NULL, *text = NULL;
	size_t len = 0;
	int error;

	*out = NULL;
	if ((error = lookup(data, "patatt.signingkey", &sk)) == KX_ENOTFOUND) {
		/* patatt then signs with user.signingkey as an OpenPGP key */
		if ((error = lookup(data, "user.signingkey", &sk)) == 0)
			error = refuse("OpenPGP", "user.signingkey (patatt's key when patatt.signingkey is unset)",
				       sk);
		else if (error == KX_ENOTFOUND)
			error = kx_error_set(KX_ENOTFOUND,
					     "patatt.signingkey is not set");
		goto done;
	}
	if (error < 0)
		goto done;
	if (kx_starts_with(sk, "openpgp:")) {
		error = refuse("OpenPGP", "patatt.signingkey", sk + 8);
		goto done;
	}
	if (kx_starts_with(sk, "openssh:")) {
		error = refuse("OpenSSH", "patatt.signingkey", sk + 8);
		goto done;
	}
	if (!kx_starts_with(sk, "ed25519:") || !sk[8]) {
		error = kx_error_set(KX_EINVALID,
				     "patatt.signingkey '%s' is not <type>:<key>", sk);
		kx_error_hint("set it to ed25519:<name>, as 'patatt genkey' says");
		goto done;
	}
	k = kx_xcalloc(1, sizeof(*k));
	if ((error = find_key(&k->path, sk + 8, workdir)) < 0)
		goto done;
	if ((error = kx_file_read(&text, &len, k->path, 4096)) < 0)
		goto done;
	if (kx_patatt_key_parse(k->seed, text, len) < 0) {
		error = kx_error_set(KX_EINVALID,
				     "the ed25519 key '%s' is malformed: it is not the base64 of 32 bytes",
				     k->path);
		kx_error_hint("'patatt genkey' writes such keys");
		goto done;
	}
	if ((error = lookup(data, "patatt.identity", &k->identity)) ==
	    KX_ENOTFOUND)
		error = lookup(data, "user.email", &k->identity);
	if (error < 0 && error != KX_ENOTFOUND)
		goto done;
	if ((error = lookup(data, "patatt.selector", &k->selector)) < 0 &&
	    error != KX_ENOTFOUND)
		goto done;
	error = 0;
	*out = k;
	k = NULL;
done:
	if (text) {
		explicit_bzero(text, len);
		free(text);
	}
	free(sk);
	kx_sign_key_free(k);
	return error;
}

int kx_sign_key_load(struct kx_sign_key **out, kx_smtp_lookup lookup,
		     void *data)
{
	return kx_sign_key_load_at(out, lookup, data, NULL);
}

const char *kx_sign_key_identity(const struct kx_sign_key *k)
{
	return k->identity;
}

const char *kx_sign_key_path(const struct kx_sign_key *k)
{
	return k->path;
}

void kx_sign_key_free(struct kx_sign_key *k)
{
	if (!k)
		return;
	explicit_bzero(k->seed, sizeof(k->seed));
	free(k->path);
	free(k->identity);
	free(k->selector);
	free(k);
}

/*
 * libcrypto is loaded on the first signature, not with the program: most
 * commands never sign, and a shared object loaded at start costs every
 * one of them (lib/io/http.c says the same of libcurl).  OpenSSL 3 keeps
 * itself loaded (it pins its own object), so the handle is never closed;
 * its globals stay reachable for the leak checker.
 */
#define KX_LIBCRYPTO "libcrypto.so.3"

static struct {
	EVP_PKEY *(*new_raw_private_key)(int type, ENGINE *e,
					 const unsigned char *priv, size_t len);
	int (*get_raw_public_key)(const EVP_PKEY *pkey, unsigned char *pub,
				  size_t *len);
	void (*pkey_free)(EVP_PKEY *pkey);
	EVP_MD_CTX *(*md_ctx_new)(void);
	void (*md_ctx_free)(EVP_MD_CTX *ctx);
	int (*digest_sign_init)(EVP_MD_CTX *ctx, EVP_PKEY_CTX **pctx,
				const EVP_MD *type, ENGINE *e, EVP_PKEY *pkey);
	int (*digest_sign)(EVP_MD_CTX *ctx, unsigned char *sig, size_t *siglen,
			   const unsigned char *tbs, size_t tbslen);
	int (*digest)(const void *data, size_t count, unsigned char *md,
		      unsigned int *size, const EVP_MD *type, ENGINE *impl);
	const EVP_MD *(*sha256)(void);
} lib;

/* Loads libcrypto once; 0 or KX_ERROR. */
static int crypto_init(void)
{
	static bool done;
	void *h;

	if (done)
		return 0;
	h = dlopen(KX_LIBCRYPTO, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return kx_error_set(KX_ERROR, "cannot sign: cannot load %s: %s",
				    KX_LIBCRYPTO, dlerror());
	*(void **)&lib.new_raw_private_key = dlsym(h, "EVP_PKEY_new_raw_private_key");
	*(void **)&lib.get_raw_public_key = dlsym(h, "EVP_PKEY_get_raw_public_key");
	*(void **)&lib.pkey_free = dlsym(h, "EVP_PKEY_free");
	*(void **)&lib.md_ctx_new = dlsym(h, "EVP_MD_CTX_new");
	*(void **)&lib.md_ctx_free = dlsym(h, "EVP_MD_CTX_free");
	*(void **)&lib.digest_sign_init = dlsym(h, "EVP_DigestSignInit");
	*(void **)&lib.digest_sign = dlsym(h, "EVP_DigestSign");
	*(void **)&lib.digest = dlsym(h, "EVP_Digest");
	*(void **)&lib.sha256 = dlsym(h, "EVP_sha256");
	if (!lib.new_raw_private_key || !lib.get_raw_public_key ||
	    !lib.pkey_free || !lib.md_ctx_new || !lib.md_ctx_free ||
	    !lib.digest_sign_init || !lib.digest_sign || !lib.digest ||
	    !lib.sha256) {
		memset(&lib, 0, sizeof(lib));
		dlclose(h);
		return kx_error_set(KX_ERROR, "%s lacks a function kvmx86 needs",
				    KX_LIBCRYPTO);
	}
	done = true;
	return 0;
}

static int sha256(unsigned char md[32], const void *data, size_t n)
{
	unsigned int len = 0;

	if (lib.digest(data, n, md, &len, lib.sha256(), NULL) != 1 || len != 32)
		return kx_error_set(KX_ERROR, "cannot sign: SHA-256 failed");
	return 0;
}

/* sig = ed25519(seed, msg), pk = the seed's public key */
static int ed25519(unsigned char sig[KX_PATATT_SIG_LEN],
		   unsigned char pk[KX_PATATT_PK_LEN], const unsigned char *seed,
		   const unsigned char *msg, size_t n)
{
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *ctx = NULL;
	size_t siglen = KX_PATATT_SIG_LEN, pklen = KX_PATATT_PK_LEN;
	int error = 0;

	key = lib.new_raw_private_key(EVP_PKEY_ED25519, NULL, seed,
				      KX_PATATT_SEED_LEN);
	if (!key || !(ctx = lib.md_ctx_new()) ||
	    lib.digest_sign_init(ctx, NULL, NULL, NULL, key) != 1 ||
	    lib.digest_sign(ctx, sig, &siglen, msg, n) != 1 ||
	    siglen != KX_PATATT_SIG_LEN ||
	    lib.get_raw_public_key(key, pk, &pklen) != 1 ||
	    pklen != KX_PATATT_PK_LEN)
		error = kx_error_set(KX_ERROR, "cannot sign: ed25519 failed in %s",
				     KX_LIBCRYPTO);
	if (ctx)
		lib.md_ctx_free(ctx);
	if (key)
		lib.pkey_free(key);
	return error;
}

/* Canonicalises m as patatt does: git mailinfo, then the pure part. */
static int canonicalize(struct kx_patatt_canon *c,
			const struct kx_patatt_mail *m)
{
	struct kx_mailinfo mi = KX_MAILINFO_INIT;
	struct kx_buf mp = KX_BUF_INIT;
	char *input;
	size_t len;
	int error;

	memset(c, 0, sizeof(*c));
	input = kx_patatt_mailinfo_input(m, &len);
	if ((error = kx_git_mailinfo(&mi, input, len, NULL, "cannot sign")) < 0)
		goto done;
	/* git mailinfo's message and patch files, in that order */
	kx_buf_add(&mp, mi.msg, mi.msg_len);
	kx_buf_add(&mp, mi.patch, mi.patch_len);
	if (!mp.len)
		kx_buf_adds(&mp, "");
	error = kx_patatt_canonicalize(c, m, mp.buf, mp.len, mi.info);
done:
	kx_mailinfo_release(&mi);
	kx_buf_release(&mp);
	free(input);
	return error;
}

int kx_sign_mail(char **out, const char *msg, size_t len,
		 const struct kx_sign_key *k, const char *identity,
		 long long t)
{
	struct kx_patatt_mail m = { 0 };
	struct kx_patatt_canon c = { 0 };
	struct kx_patatt_sig s = { 0 };
	unsigned char md[32], sig[KX_PATATT_SIG_LEN + 32], pk[KX_PATATT_PK_LEN];
	struct kx_buf bh = KX_BUF_INIT, b = KX_BUF_INIT, pkb = KX_BUF_INIT;
	char *value = NULL, *input = NULL, *sigh = NULL, *keyv = NULL;
	char *keyh = NULL;
	size_t n;
	int error;

	*out = NULL;
	if ((error = kx_patatt_parse(&m, msg, len)) < 0 ||
	    (error = canonicalize(&c, &m)) < 0)
		goto done;
	if (!identity)
		identity = c.identity;
	if ((error = kx_patatt_check_field("the identity", identity)) < 0 ||
	    (k->selector &&
	     (error = kx_patatt_check_field("patatt.selector", k->selector)) < 0) ||
	    (error = crypto_init()) < 0 ||
	    (error = sha256(md, c.body, c.body_len)) < 0)
		goto done;
	kx_patatt_base64(&bh, md, sizeof(md));

	s.t = t;
	s.l = c.body_len;
	s.identity = identity;
	s.selector = k->selector;
	s.h = c.h;
	s.bh = bh.buf;
	value = kx_patatt_sig_value(&s);
	input = kx_patatt_signed_input(&c, value, &n);
	/* patatt signs the digest: b= is PyNaCl's signed message, sig || digest */
	if ((error = sha256(md, input, n)) < 0 ||
	    (error = ed25519(sig, pk, k->seed, md, sizeof(md))) < 0)
		goto done;
	memcpy(sig + KX_PATATT_SIG_LEN, md, sizeof(md));
	kx_patatt_base64(&b, sig, sizeof(sig));
	kx_patatt_base64(&pkb, pk, sizeof(pk));
	free(value);
	s.b = b.buf;
	value = kx_patatt_sig_value(&s);
	sigh = kx_patatt_fold("X-Developer-Signature", value);
	keyv = kx_patatt_key_value(identity, pkb.buf);
	keyh = kx_patatt_fold("X-Developer-Key", keyv);
	*out = kx_patatt_assemble(&m, sigh, keyh, &n);
done:
	kx_patatt_mail_release(&m);
	kx_patatt_canon_release(&c);
	kx_buf_release(&bh);
	kx_buf_release(&b);
	kx_buf_release(&pkb);
	free(value);
	free(input);
	free(sigh);
	free(keyv);
	free(keyh);
	return error;
}
