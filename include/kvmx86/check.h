/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * prep --check's repository side: the series as patches, the per-rule
 * configuration, and the facts the rules look up (commits, sent history).
 */
#ifndef KVMX86_CHECK_H
#define KVMX86_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/findings.h"
#include "kvmx86/patch.h"
#include "kvmx86/util.h"

struct git_repository;

struct kx_check_input {
	struct kx_patch *patches;	/* oldest first */
	size_t nr, alloc;
	struct kx_rule_override *overrides;	/* kvmx86.rule.<id> */
	size_t overrides_nr, overrides_alloc;
	struct kx_findings base;	/* base-choice and config findings */
	struct kx_strlist notes;	/* what was skipped and why */
	struct kx_strlist sent_msgids;	/* earlier versions (state) */
	struct kx_strlist prefixes;	/* RFC, RESEND... (state) */
	struct git_repository *repo;	/* borrowed from the series */
	struct kx_strlist checkpatch_types;	/* "checkpatch/<TYPE>" rule ids */
	struct kx_test_record *tests;	/* kvmx86 test's, for these commits */
	size_t tests_nr, tests_alloc;
	/* the enrolled branch's cover letter (state), or NULL */
	char *cover_subject, *cover_body;
	bool enrolled;			/* the series has a cover letter, written or not */
	/* the versions (state): being prepared (0: no state), and sent */
	unsigned revision;
	unsigned *sent_revisions;
	const char **sent_link_msgids;	/* each borrowed from sent_msgids, or NULL */
	size_t sent_revisions_nr;
	/* RESEND's comparison (kx_rule_env), when known */
	unsigned resend_of;
	struct kx_strlist sent_patch_ids, patch_ids;
	bool resend_known;
};

struct kx_resolved;
/*
 * Loads the commits of the resolved series s as patches, with the
 * configuration and check-base's findings over s; in borrows s's
 * repository, so s must outlive it.  Returns 0 or a negative KX_E*.
 */
int kx_check_load(struct kx_check_input *in, struct kx_resolved *s);

/*
 * Loads only the commit rev (NULL: HEAD) of s's repository as one patch,
 * for --suggest-topic.
 */
int kx_check_load_one(struct kx_check_input *in, struct kx_resolved *s,
		      const char *rev);

/* How kx_check_run() treats what a caller checks in its own way. */
enum kx_check_flags {
	/* a cover letter never written is not a finding (send refuses it itself) */
	KX_CHECK_COVER_OPTIONAL = 1 << 0,
};

/*
 * prep --check's rules over in (from kx_check_load()), into f: the
 * base-choice and configuration findings first, then each commit's, then
 * the cover letter's, with kvmx86.rule.<id> applied.  The one place they
 * run, for prep --check and send's pre-flight alike.
 */
void kx_check_run(struct kx_findings *f, struct kx_check_input *in, unsigned flags);

/*
 * Runs the tree's scripts/checkpatch.pl on each patch and adds its findings
 * to f as checkpatch/<TYPE>, leaving out those a kvmx86 rule already
 * reported for that commit.  Without the script, adds a note and succeeds.
 */
int kx_check_checkpatch(struct kx_check_input *in, struct kx_findings *f);

/* kx_rule_env.lookup_commit over the repository in data (the input). */
int kx_check_lookup_commit(void *data, const char *hex, char **subject);

/* Frees what in owns. */
void kx_check_release(struct kx_check_input *in);

/* kvmx86 test's records, owned (each string is the list's). */
struct kx_test_records {
	struct kx_test_record *items;
	size_t nr, alloc;
};

/*
 * Appends to out what kvmx86 test's records (lib/io/testrecords.c, in
 * commondir, "<git-common-dir>/") hold for the trees of commits (40-hex,
 * in repo): the newest pass or failure of each kind, command and
 * configuration per commit, with its build level and what its .config
 * showed.  Returns 0, or a negative KX_E* if the records cannot be read.
 */
int kx_test_records_load(struct kx_test_records *out, const char *commondir,
			 struct git_repository *repo,
			 const char *const *commits, size_t nr);

/* Frees what r owns. */
void kx_test_records_release(struct kx_test_records *r);

#endif
