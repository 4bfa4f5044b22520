// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvmx86 prep --reorder [--dry-run] [REV]: prints the relations between the
 * selftests and the KVM commits with their evidence, the order, and what
 * was done.  Exit 0 when reordered or nothing to do, 1 when refused.
 */
#include <stdio.h>
#include <string.h>

#include "kvmx86.h"
#include "kvmx86/error.h"
#include "kvmx86/reorder.h"
#include "kvmx86/resolve.h"

static void print_relations(const struct kx_reorder *r)
{
	const struct kx_patch *p = r->in.patches;
	size_t i, k;

	for (i = 0; i < r->order.rels_nr; i++) {
		const struct kx_order_rel *rel = &r->order.rels[i];
		const char *state = rel->dir == KX_ORDER_UNKNOWN ? "weak evidence, not moved" :
				    rel->satisfied ? "in order" : "out of order";

		kx_out_printf(stdout, "%.12s %s\n", p[rel->test].id, p[rel->test].subject);
		kx_out_printf(stdout, "  %s %.12s %s (%s)\n", kx_order_dir_name(rel->dir),
		       p[rel->kvm].id, p[rel->kvm].subject, state);
		kx_out_printf(stdout, "    why: %s\n", rel->why);
		for (k = 0; k < rel->evidence.nr; k++)
			kx_out_printf(stdout, "    evidence: %s\n", rel->evidence.items[k]);
	}
	for (i = 0; i < r->order.notes.nr; i++)
		kx_out_printf(stdout, "note: %s\n", r->order.notes.items[i]);
}

static void print_order(const struct kx_reorder *r, bool done)
{
	size_t j;

	for (j = 0; j < r->in.nr; j++) {
		size_t was = r->order.order[j];
		const struct kx_patch *p = &r->in.patches[was];

		if (done && r->new_ids && r->new_ids[j][0] && strcmp(r->new_ids[j], p->id))
			kx_out_printf(stdout, "  %zu %.12s %s (was %.12s, %zu)\n", j + 1, r->new_ids[j],
			       p->subject, p->id, was + 1);
		else if (was != j)
			kx_out_printf(stdout, "  %zu %.12s %s (was %zu)\n", j + 1, p->id, p->subject, was + 1);
		else
			kx_out_printf(stdout, "  %zu %.12s %s\n", j + 1, p->id, p->subject);
	}
}

int kx_prep_reorder(const char *rev, bool dry_run)
{
	struct kx_series_query q = { 0 };
	struct kx_resolved s;
	struct kx_reorder r;
	size_t i;
	int ret = KX_EXIT_OK, error;

	memset(&r, 0, sizeof(r));
	q.arg = rev;
	q.alone_without_trees = true;
	if (kx_series_resolve(&s, &q) < 0 || kx_reorder_plan(&r, &s) < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	for (i = 0; i < s.notes.nr; i++)
		kx_out_printf(stderr, "note: %s\n", s.notes.items[i]);
	kx_out_printf(stdout, "series: %s, %zu commit%s\n", r.branch ? r.branch : rev ? rev : "HEAD",
	       r.in.nr, r.in.nr == 1 ? "" : "s");
	print_relations(&r);
	if (!r.order.moved) {
		kx_out_printf(stdout, "nothing to reorder: %s\n", r.order.rels_nr ?
		       "no test is known to be out of order" :
		       "no selftest is related to a KVM commit");
		goto done;
	}
	error = kx_reorder_apply(&r, dry_run);
	if (error < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	kx_out_printf(stdout, "order:\n");
	print_order(&r, !error && !dry_run);
	if (error == 1) {
		kx_out_printf(stderr, "error: %s\n", kx_error_last());
		kx_out_prefixed(stderr, "hint: ", kx_error_last_hint());
		ret = KX_EXIT_FINDINGS;
	} else if (dry_run) {
		kx_out_printf(stdout, "dry run: nothing changed; 'kvmx86 prep --reorder%s%s' makes this order\n",
		       rev ? " " : "", rev ? rev : "");
	} else {
		kx_out_printf(stdout, "reordered %s: %.12s -> %.12s; the old tip is kept as %s\n",
		       r.branch, r.old_tip, r.new_tip, r.backup);
	}
done:
	kx_reorder_release(&r);
	kx_resolved_release(&s);
	return ret;
}
