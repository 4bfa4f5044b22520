/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kvmx86 send's repository side: the sender, each patch's author, message
 * and diff as git format-patch writes them, the MAINTAINERS answer of
 * each patch, the addresses the configuration asks for.  mail.h and
 * recipients.h make the mails of it.
 */
#ifndef KVMX86_SEND_H
#define KVMX86_SEND_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/mail.h"
#include "kvmx86/maintainers.h"
#include "kvmx86/util.h"

struct kx_resolved;

struct kx_send_patch {
	char id[41];
	struct kx_mailbox author;
	long long author_time;		/* seconds since the epoch */
	int author_offset;		/* minutes east of UTC */
	char *message;			/* the commit's, raw */
	char *subject, *body;		/* kx_mail_split_message()'s */
	char *diff;			/* what git format-patch writes after "---" */
	struct kx_maint_hits maint;	/* MAINTAINERS of its files */
};

struct kx_send_facts {
	struct kx_mailbox sender;
	char *sender_from;		/* where it came from: "sendemail.from" */
	struct kx_send_patch *patches;	/* oldest first */
	size_t nr;
	struct kx_strlist to, cc;	/* kvmx86.to/.cc, sendemail[.<identity>].to/.cc */
	struct kx_strlist to_why, cc_why;
	struct kx_strlist warnings;	/* MAINTAINERS patterns not understood,
					   configuration not used */
	bool maintainers;		/* the tree has a MAINTAINERS file */
	unsigned suppress_cc;		/* sendemail.suppressCc &c., resolved (recipients.h) */
	/*
	 * What it was resolved from, for a --suppress-cc to join as git
	 * send-email joins them: kx_suppress_cc_resolve(suppress_cc_values |
	 * the option's, suppress_from, signed_off_by_cc).
	 */
	unsigned suppress_cc_values;	/* enum kx_suppress, unresolved */
	int suppress_from, signed_off_by_cc;	/* 1, 0, -1: unset */
	void *mailmap;			/* the series model's .mailmap (git_mailmap) */
};

/*
 * The repository's say on a trailer's person (data: the struct
 * kx_send_facts), as struct kx_rcpt_opts's mailmap wants it: false if
 * f's sendemail.suppressCc takes it out, else mapped through f's mailmap.
 */
bool kx_send_mailmap(void *data, const char *tag, char **name, char **addr);

/*
 * Gathers what the mails of the resolved series s need (one git
 * format-patch for the diffs, the rest through libgit2; MAINTAINERS and
 * .mailmap from the tip's tree); the sendemail.* keys of the identity
 * (identity: --identity, or NULL for kvmx86.identity or
 * sendemail.identity) first; suppress_cc (enum kx_suppress, from
 * --suppress-cc) joins sendemail.suppressCc as git send-email joins them.
 * With preflight (the pre-flight follows), the series model's check-base
 * facts and diffs that it reads are made while git format-patch runs.
 * Returns 0 or a negative KX_E* with the message stored; out must be
 * released either way.
 */
int kx_send_gather(struct kx_send_facts *out, struct kx_resolved *s,
		   const char *identity, unsigned suppress_cc, bool preflight);

/* Frees what f owns. */
void kx_send_facts_release(struct kx_send_facts *f);

#include "kvmx86/run.h"

/* git's look at the work tree, running while kvmx86 does the rest. */
struct kx_send_dirty {
	struct kx_proc proc;
	bool started;
	bool series_only;		/* only the paths the series touches */
	/* the paths taken before check-base's facts, which must confirm them */
	struct kx_resolved *unconfirmed;
};

/* Which tracked files the pre-flight looks at (kvmx86.worktreeCheck). */
enum kx_worktree_check {
	KX_WORKTREE_CHECK_CONFIG = 0,	/* as kvmx86.worktreeCheck says (all) */
	KX_WORKTREE_CHECK_ALL,
	KX_WORKTREE_CHECK_SERIES,
};

/* Parses "all" or "series" into *out; 0, or KX_EINVALID with the message. */
int kx_worktree_check_parse(enum kx_worktree_check *out, const char *value);

/*
 * Starts `git status --porcelain --untracked-files=no` in s's work tree
 * (nothing for a bare repository): git's own index refresh and parallel
 * lstat, which a kernel tree needs, beside the rest of kvmx86's work;
 * with KX_WORKTREE_CHECK_SERIES (or the configuration's), limited to the
 * files the commits of s touch.  Returns 0 or a negative KX_E*.
 */
int kx_send_dirty_start(struct kx_send_dirty *d, struct kx_resolved *s,
			enum kx_worktree_check which);

/*
 * Waits for it: *dirty is whether tracked files differ from HEAD (in the
 * index or the work tree).  Returns 0 or a negative KX_E*.
 */
int kx_send_dirty_finish(struct kx_send_dirty *d, bool *dirty);

/*
 * Sets *reached to whether a remote-tracking ref (refs/remotes/) holds
 * the commit base (40-hex): a base-commit: line others can fetch.
 * Returns 0 or a negative KX_E*.
 */
int kx_send_base_published(bool *reached, struct kx_resolved *s,
			   const char *base);

/*
 * Applies the series' commits one by one onto the current tip of ref (a
 * revision: "kvm-x86/next", "v6.3-rc2"), in memory as a cherry-pick does
 * without rename detection: each file a commit touches merged three ways
 * (its parent's, the result so far, the commit's); merged blobs written,
 * no ref, index or work tree touched.  Sets *conflict
 * to the first commit that does not apply (40-hex, "" if all do) and
 * *tip to the tip found.  Returns 0 or a negative KX_E*.
 */
int kx_send_applies(char conflict[41], char tip[41], struct kx_resolved *s,
		    const char *ref);

#include "kvmx86/smtp.h"

struct kx_sign_key;

/*
 * Resolves where the mails of s go (kx_smtp_conf_resolve() over the
 * repository's configuration).  Returns 0 or a negative KX_E*; release
 * out either way.
 */
int kx_send_smtp_conf(struct kx_smtp_conf *out, struct kx_resolved *s,
		      const char *identity, bool insecure);

/* The repository's git directory, for git credential (borrowed). */
const char *kx_send_git_dir(struct kx_resolved *s);

/*
 * Loads the patatt signing key of s's configuration (kx_sign_key_load_at()
 * with s's work tree): 0 with *out, KX_ENOTFOUND when none is configured,
 * or a negative KX_E* naming what is wrong.
 */
int kx_send_sign_key(struct kx_sign_key **out, struct kx_resolved *s);

/*
 * kx_sign_mail() of msg as patatt.identity (else user.email) when k names
 * one, else as identity (the From address).
 */
int kx_send_sign(char **out, const char *msg, const struct kx_sign_key *k,
		 const char *identity, long long t);

/* Frees k; NULL is accepted. */
void kx_send_sign_key_free(struct kx_sign_key *k);

/*
 * Returns the archive link of msgid (no <>) as the cover letter links a
 * version: kvmx86.loreUrl's link base (caller frees).
 */
char *kx_send_lore_link(struct kx_resolved *s, const char *msgid);

/* Sets out to the 40-hex git blob id of text: a fingerprint. */
void kx_send_hash(char out[41], const char *text);

/*
 * Creates the annotated tag name (without refs/tags/) on commit tip
 * (40-hex) with message, tagged by the user as git tag -a does, its
 * message cleaned as git's default cleanup does; *existed when a tag of
 * that name is there already (it is left as it is).  Returns 0 or a
 * negative KX_E*.
 */
int kx_send_tag(bool *existed, struct kx_resolved *s, const char *name,
		const char *tip, const char *message);

/*
 * Reads tag name (without refs/tags/): *message its message (caller
 * frees), tip its commit (40-hex).  Returns 0, KX_ENOTFOUND, or a
 * negative KX_E*.
 */
int kx_send_read_tag(char **message, char tip[41], struct kx_resolved *s,
		     const char *name);

#endif
