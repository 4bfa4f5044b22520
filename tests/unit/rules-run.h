/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A patch rule run over a made-up patch, for the unit tests of the rules
 * on code: the patch and its findings, started, run and released, and the
 * findings counted (each printed when the count is not the one expected).
 * Include after cmocka.h.
 */
#ifndef KX_TEST_RULES_RUN_H
#define KX_TEST_RULES_RUN_H

#include "kvmx86/rules.h"

struct run {
	struct kx_patch p;
	struct kx_findings f;
};

static inline void start(struct run *r)
{
	struct kx_findings init = KX_FINDINGS_INIT;

	kx_patch_init(&r->p);
	r->f = init;
	kx_patch_set_message(&r->p, "KVM: x86: Do it\n\nDo it.\n");
}

static inline struct kx_findings *check(struct run *r, kx_patch_rule_fn rule)
{
	rule(&r->f, &r->p, NULL);
	return &r->f;
}

static inline void done(struct run *r)
{
	kx_findings_release(&r->f);
	kx_patch_release(&r->p);
}

static inline void count(const struct kx_findings *f, size_t n)
{
	size_t i;

	if (f->nr == n)
		return;
	for (i = 0; i < f->nr; i++)
		print_message("finding: %s:%u: %s: %s\n",
			      f->items[i].path ? f->items[i].path : "-",
			      f->items[i].line, f->items[i].rule,
			      f->items[i].message);
	fail_msg("%zu findings, expected %zu", f->nr, n);
}

#endif
