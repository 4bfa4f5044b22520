/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * prep -n <name> -F <msgid>: a series branch started from a version posted
 * on lore, as b4 prep -F starts one.  The core picks the version and its
 * facts out of a thread; io/ fetches the thread and makes the commits.
 */
#ifndef KVMX86_FROMTHREAD_H
#define KVMX86_FROMTHREAD_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/lore.h"
#include "kvmx86/util.h"

/* One version of a series in a thread, its mails borrowed from the thread. */
struct kx_thread_series {
	unsigned revision;
	unsigned total;			/* the N of k/N; 1 for a single patch */
	const struct kx_lore_message *cover;	/* [PATCH vR 0/N], or NULL */
	const struct kx_lore_message **patches;	/* patch k at [k - 1] */
	char *subject;		/* the cover's subject without [...], or NULL */
	char *body;		/* the cover's text (a single patch: under its ---), or NULL */
	char *base_commit;	/* the hex of its "base-commit:", or NULL */
	char *change_id;	/* its "change-id:", or NULL */
	bool is_rfc;		/* its subjects say RFC */
};
#define KX_THREAD_SERIES_INIT { 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, false }

/*
 * Picks from thread the newest version of which every patch (1..N) was
 * posted, as b4 does, into out (released first): its mails, the cover
 * letter's subject and text (above the shortlog, the diffstat, a "---"
 * line or the signature), and the base-commit and change-id its mails
 * carry.  Only the series' sender's mails count: that of the posting
 * msgid names (NULL, or not a posting: of the first posting).  Returns 0;
 * KX_ENOTFOUND when the thread holds no patch at all; KX_EINVALID, naming
 * the patches missing, when no version is whole.
 */
int kx_thread_series_pick(struct kx_thread_series *out,
			  const struct kx_lore_messages *thread, const char *msgid);

/*
 * Returns the kvm-x86 topic branch a shortlog's prefix names ("KVM: nVMX:
 * Foo" -> "vmx", "KVM: x86/mmu: Foo" -> "mmu"), or NULL for "KVM: x86:"
 * and anything else.
 */
const char *kx_thread_topic_of(const char *subject);

/*
 * Returns the name of the series' branch when none is given, as b4 names
 * it (caller frees): its change-id's middle ("20230101-fix-foo-<12 hex>"
 * gives "fix-foo"), else its first three words past the shortlog's
 * prefix ("KVM: x86: Fix the frob" gives "fix-the-frob").
 */
char *kx_thread_series_name(const struct kx_thread_series *s);

/* Frees what s owns (not the thread's mails) and empties it. */
void kx_thread_series_release(struct kx_thread_series *s);

/* --- lib/io/fromthread.c ------------------------------------------------ */

struct git_repository;
struct git_oid;

/* A version read from lore, with the thread that holds it. */
struct kx_import {
	char *msgid;			/* the Message-ID asked for */
	char *url;			/* the thread's mbox on lore */
	struct kx_lore_messages thread;
	struct kx_thread_series series;
};
#define KX_IMPORT_INIT { NULL, NULL, KX_LORE_MESSAGES_INIT, KX_THREAD_SERIES_INIT }

/*
 * Fetches from lore (kvmx86.loreUrl) the thread of the message arg names
 * (a Message-ID or an archive URL) and picks its newest whole version into
 * out.  Returns 0 or a negative KX_E*.
 */
int kx_import_fetch(struct kx_import *out, struct git_repository *repo,
		    const char *arg);

/*
 * Makes the commits of in's patches on base as git am makes them (git
 * mailinfo reads each mail: author, date, message; the diff is applied to
 * the tree in memory, with no checkout) and stores the last in *tip.
 * Nothing but unreachable objects is left when a patch does not apply.
 * Returns 0 or a negative KX_E* naming the patch.
 */
int kx_import_commits(struct git_oid *tip, struct git_repository *repo,
		      const struct git_oid *base, const struct kx_import *in);

struct kx_resolved;
/*
 * Records im's version as sent on s's branch, its commits ending at tip
 * (40-hex) on the state's base: its Message-IDs and lore link (for prep
 * --trailers, --compare-to and the next cover letter), and the
 * sent/<branch>-vN tag kvmx86 send would have made (*tag_existed: one of
 * that name was there, and is left as it is); with bump, the next version
 * is begun as after a send.  Writes the state.  Returns 0 or a negative
 * KX_E*.
 */
int kx_import_record(struct kx_resolved *s, const struct kx_import *im,
		     const char *tip, bool bump, bool *tag_existed);

/*
 * Sets *same when im's nr patches, applied on base, make the tree of tip
 * (both 40-hex): the mails are that series.  A patch that does not apply
 * there is no error: *same stays false.  Returns 0 or a negative KX_E*.
 */
int kx_import_same(bool *same, struct git_repository *repo, const struct kx_import *im,
		   const char *base, const char *tip, size_t nr);

/* Frees what im owns. */
void kx_import_release(struct kx_import *im);

#endif
