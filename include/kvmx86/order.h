/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The bisect-safe order of KVM selftests and KVM changes (rule 41,
 * selftest-order): which selftest commit depends on which KVM commit, in
 * which direction, on what evidence, and the order that satisfies every
 * relation known for sure.  Pure: patches in, relations and an order out.
 *
 * The handbook: "KVM changes that result in test failures should be ordered
 * after the selftests updates, and vice versa, new tests that fail due to
 * KVM bugs should be ordered after the KVM fixes."
 */
#ifndef KVMX86_ORDER_H
#define KVMX86_ORDER_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/patch.h"
#include "kvmx86/util.h"

/* What a commit of the series is, for ordering. */
enum kx_order_class {
	KX_ORDER_OTHER = 0,	/* neither KVM code nor KVM selftests */
	KX_ORDER_KVM,		/* KVM code (perhaps with selftests too) */
	KX_ORDER_TEST,		/* only tools/testing/selftests/kvm/ */
};

/* What a selftest commit does to the tests. */
enum kx_test_kind {
	KX_TEST_NEW = 0,	/* adds a test or a test case, changes none */
	KX_TEST_UPDATE,		/* changes what existing tests expect */
};

/* Where the selftest goes relative to the KVM commit. */
enum kx_order_dir {
	KX_ORDER_UNKNOWN = 0,	/* related, but the evidence is weak */
	KX_ORDER_AFTER,		/* the test fails (or does not build) before K */
	KX_ORDER_BEFORE,	/* K breaks what the test expected before it */
};

/* Evidence this strong or more makes a relation known. */
#define KX_ORDER_STRONG 3

/* One selftest commit and one KVM commit it depends on. */
struct kx_order_rel {
	size_t test, kvm;		/* indices into the series */
	enum kx_test_kind kind;		/* of the test commit */
	enum kx_order_dir dir;
	unsigned score;			/* sum of the evidence's weights */
	bool satisfied;			/* the series has them in that order */
	bool both_sides;		/* BEFORE: the test must pass before and after */
	char *why;			/* the direction, in words */
	struct kx_strlist evidence;	/* one line a fact */
};

struct kx_order {
	struct kx_order_rel *rels;
	size_t rels_nr, rels_alloc;
	size_t *order;			/* the proposed order: indices, oldest first */
	size_t nr;			/* the length of the series */
	bool moved;			/* order differs from the series' */
	struct kx_strlist notes;	/* why a test was not moved */
};
#define KX_ORDER_INIT { NULL, 0, 0, NULL, 0, false, KX_STRLIST_INIT }

/* Returns the class of p. */
enum kx_order_class kx_order_class_of(const struct kx_patch *p);

/* Returns the kind of the selftest commit p; *what says why (static). */
enum kx_test_kind kx_order_test_kind(const struct kx_patch *p,
				     const char **what);

/*
 * Relates every selftest commit of the series (oldest first) to the KVM
 * commits it depends on, decides each direction, and proposes the order
 * that moves only selftest commits, each as little as it can: right after
 * the last KVM commit it must follow, or right before the first it must
 * precede.  Relations of weak evidence are kept (KX_ORDER_UNKNOWN) but move
 * nothing.  out must be KX_ORDER_INIT; release it with kx_order_release().
 */
void kx_order_analyze(struct kx_order *out, const struct kx_patch *patches,
		      size_t nr);

/*
 * Returns true if rel's current order may be wrong: a known relation not
 * satisfied, or an unknown one whose test sits where a new test (after)
 * or an update (before) would be wrong.
 */
bool kx_order_rel_suspect(const struct kx_order_rel *rel);

/* Returns "after", "before" or "unknown". */
const char *kx_order_dir_name(enum kx_order_dir dir);

/* Frees what o owns and resets it to KX_ORDER_INIT. */
void kx_order_release(struct kx_order *o);

#endif
