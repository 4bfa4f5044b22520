/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * git mailinfo, as git am and patatt read a mail: its author, subject and
 * date, its message and its patch.
 */
#ifndef KVMX86_MAILINFO_H
#define KVMX86_MAILINFO_H

#include <stddef.h>

struct kx_mailinfo {
	char *info;		/* its stdout: "Author: ...\nEmail: ...\n..." */
	char *msg;		/* the message below the subject */
	size_t msg_len;
	char *patch;		/* what follows the message ("" for none) */
	size_t patch_len;
};
#define KX_MAILINFO_INIT { NULL, NULL, 0, NULL, 0 }

/*
 * Runs `git mailinfo --encoding=utf-8 --no-scissors` in cwd (NULL: here)
 * on the len bytes of mail into out (caller releases, also after an
 * error); a failure's message begins with what and carries git's own
 * complaint.  Returns 0 or KX_ERROR.
 */
int kx_git_mailinfo(struct kx_mailinfo *out, const char *mail, size_t len,
		    const char *cwd, const char *what);

/*
 * kx_git_mailinfo() as git am runs git mailinfo: -u (the header and the
 * message in i18n.commitEncoding, UTF-8 by default; git 2.39's
 * --encoding=utf-8, which patatt gives, re-encodes nothing) and
 * mailinfo.scissors as configured.
 */
int kx_git_mailinfo_am(struct kx_mailinfo *out, const char *mail, size_t len,
		       const char *cwd, const char *what);

/*
 * The value of key ("Author", "Email", "Subject", "Date") in git
 * mailinfo's info, or NULL (caller frees).
 */
char *kx_mailinfo_get(const struct kx_mailinfo *mi, const char *key);

/* Frees what mi owns and empties it. */
void kx_mailinfo_release(struct kx_mailinfo *mi);

#endif
