/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The base decision: which base the handbook asks for (scope), which base
 * the series uses, and the verdict.  Pure: io/ gathers the facts.
 */
#ifndef KVMX86_BASE_H
#define KVMX86_BASE_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/series.h"
#include "kvmx86/util.h"

enum kx_scope {
	KX_SCOPE_UNSET = 0,
	KX_SCOPE_X86,
	KX_SCOPE_MULTI_ARCH,
	KX_SCOPE_CURRENT_FIX,
};

enum kx_verdict {
	KX_VERDICT_OK = 0,
	KX_VERDICT_BEHIND,
	KX_VERDICT_STALE,
	KX_VERDICT_WRONG,
};

/* Returns "x86", "multi-arch" or "current-fix" ("" for unset). */
const char *kx_scope_name(enum kx_scope scope);

/* Parses a scope name (also the fixture's x86-only and fix-current). */
int kx_scope_parse(enum kx_scope *out, const char *name);

/* Returns "ok", "behind", "stale" or "wrong". */
const char *kx_verdict_name(enum kx_verdict verdict);

enum kx_cand_kind {
	KX_CAND_NEXT,		/* <x86>/next */
	KX_CAND_FIXES,		/* <x86>/fixes */
	KX_CAND_TOPIC,		/* <x86>/<topic> */
	KX_CAND_KVM_MASTER,	/* <kvm>/master */
	KX_CAND_KVM_NEXT,	/* <kvm>/next */
	KX_CAND_TAG,		/* a v* tag */
};

/* A ref that a series could be based on, and where the fork point sits. */
struct kx_candidate {
	char *name;		/* git's short name: kvm-x86/next, v6.3-rc2 */
	enum kx_cand_kind kind;
	char tip[41];		/* the commit (tags peeled) */
	bool contains_fork;	/* the fork point is tip or an ancestor of it */
	size_t distance;	/* commits in fork..tip, if contains_fork */
	bool cycle_rc;		/* the v* tag that <x86>/next is built on */
};

/*
 * Facts that cost a walk of history and that only some decisions read:
 * io may leave them to these callbacks, which kx_base_decide() calls only
 * when its decision reads the fact (and io remembers the answer).
 */
struct kx_base_lookups {
	/* fork_in_cycle */
	bool (*fork_in_cycle)(void *data);
	/* the fix of series commit i, which io left at KX_FIX_PENDING */
	enum kx_fix_target (*fix)(void *data, size_t i);
	void *data;
};

struct kx_base_facts {
	char fork[41];			/* parent of the oldest series commit */
	struct kx_candidate *cands;
	size_t cands_nr, cands_alloc;
	bool fork_in_cycle;		/* fork is or descends from the cycle rc */
	bool fork_in_old_next;		/* an old <x86>/next in the reflog has it */
	char *branch;			/* the branch for the remedy, or NULL */
	char tip[41];			/* the newest series commit: the remedy's without a branch */
	char *target_topic;		/* x86/<topic>/..., or NULL */
	enum kx_scope forced;		/* --scope, or unset */
	/* NULL: fork_in_cycle and every commit's fix are known already */
	const struct kx_base_lookups *lookups;
};
#define KX_BASE_FACTS_INIT { { 0 }, NULL, 0, 0, false, false, NULL, { 0 }, \
			     NULL, KX_SCOPE_UNSET, NULL }

/* Appends a candidate (name copied); returns it (owned by f). */
struct kx_candidate *kx_base_facts_add(struct kx_base_facts *f,
				       const char *name,
				       enum kx_cand_kind kind,
				       const char *tip);

/* Frees what f owns. */
void kx_base_facts_release(struct kx_base_facts *f);

/* The tunable definition of "superficial" (git config kvmx86.*). */
struct kx_base_config {
	/*
	 * A series is multi-arch when its substantive (logic) lines in common
	 * KVM code, or in other architectures' KVM code, exceed this.
	 */
	unsigned superficial_lines;		/* kvmx86.superficialLines */
	bool count_decls;			/* kvmx86.countDeclarations=false */
	bool count_renames;			/* kvmx86.countRenames=false */
};
#define KX_SUPERFICIAL_LINES_DEFAULT 5
#define KX_BASE_CONFIG_INIT { KX_SUPERFICIAL_LINES_DEFAULT, false, false }

struct kx_base_result {
	enum kx_scope scope;
	enum kx_scope detected;		/* before --scope */
	enum kx_verdict verdict;
	const struct kx_candidate *recommended;	/* NULL: no such ref here */
	const struct kx_candidate *actual;	/* NULL: no candidate has fork */
	size_t behind_by;
	char *remedy;			/* the git rebase command, or NULL */
	unsigned common_logic;		/* substantive lines, common code */
	unsigned other_logic;		/* substantive lines, other arches */
	bool current_fix_rule;		/* every kernel commit fixes this rc */
	struct kx_strlist reasons;	/* why this scope and verdict */
	struct kx_strlist warnings;	/* advice that does not change it */
};
#define KX_BASE_RESULT_INIT { 0, 0, 0, NULL, NULL, 0, NULL, 0, 0, false, \
			      KX_STRLIST_INIT, KX_STRLIST_INIT }

/*
 * Decides scope, recommended base and verdict for series s from facts;
 * out borrows candidates from facts.  Returns 0, or KX_EINVALID for an
 * empty series.
 */
int kx_base_decide(struct kx_base_result *out, const struct kx_series *s,
		   const struct kx_base_facts *facts,
		   const struct kx_base_config *cfg);

/* Frees what out owns. */
void kx_base_result_release(struct kx_base_result *out);

/*
 * Returns the commit to pass as format-patch --base, or NULL when the
 * verdict leaves no right base to print (stale or wrong).
 */
const char *kx_base_print_commit(const struct kx_base_result *r,
				 const struct kx_base_facts *facts);

struct kx_findings;
/*
 * prep --check's view of the base: base-choice for the verdict of r (or,
 * with r NULL, advice that the base was not checked, and why), its
 * warnings as advice, base-trailer for the prerequisites, the first nr
 * commits of s, which sit on fork, and co-post-selftests for selftests
 * alone on KVM prerequisites.  Findings are series-wide.
 */
void kx_base_choice_findings(struct kx_findings *out,
			     const struct kx_base_result *r, const char *why,
			     const struct kx_series *s, size_t prerequisites,
			     const char *fork);

#endif
