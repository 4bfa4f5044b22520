// SPDX-License-Identifier: GPL-2.0-only
/*
 * selftest-order (rule 41): selftests and KVM changes in a bisect-safe
 * order.  lib/core/order.c relates the commits; this reports what is out of
 * order, with the evidence, and the order `kvmx86 prep --reorder` would
 * make.
 */
#include <stdio.h>
#include <string.h>

#include "kvmx86/order.h"
#include "kvmx86/rules.h"

/* "e4c87cf4e089, fd08651a00d5, c7edc781f0b1" */
static void format_order(char *buf, size_t size, const struct kx_order *o,
			 const struct kx_patch *patches)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < o->nr && len + 16 < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%.12s",
					i ? ", " : "", patches[o->order[i]].id);
	if (i < o->nr)
		snprintf(buf + len, size - len, ", ...");
}

static void join_evidence(char *buf, size_t size, const struct kx_order_rel *rel)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < rel->evidence.nr && len + 4 < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					i ? "; " : "", rel->evidence.items[i]);
}

void kx_rule_selftest_order(struct kx_findings *out,
			    const struct kx_patch *patches, size_t nr,
			    const struct kx_rule_env *env)
{
	struct kx_order o = KX_ORDER_INIT;
	char evidence[1024], order[640];
	size_t r, i;

	(void)env;
	kx_order_analyze(&o, patches, nr);
	for (r = 0; r < o.rels_nr; r++) {
		const struct kx_order_rel *rel = &o.rels[r];
		const struct kx_patch *k = &patches[rel->kvm];

		if (!kx_order_rel_suspect(rel))
			continue;
		join_evidence(evidence, sizeof(evidence), rel);
		if (rel->dir == KX_ORDER_UNKNOWN)
			kx_findings_add_at(out, patches[rel->test].id, KX_SEV_ADVICE,
					   "selftest-order",
					   "the test may depend on %.12s (\"%s\"), but %s; evidence: %s",
					   k->id, k->subject, rel->why, evidence);
		else
			kx_findings_add_at(out, patches[rel->test].id, KX_SEV_WARNING,
					   "selftest-order",
					   "the test goes %s %.12s (\"%s\"): %s; evidence: %s",
					   kx_order_dir_name(rel->dir), k->id, k->subject,
					   rel->why, evidence);
	}
	/* a test that goes first must pass on both sides of the change */
	for (r = 0; r < o.rels_nr; r++)
		if (o.rels[r].both_sides && o.rels[r].satisfied)
			kx_findings_add_at(out, patches[o.rels[r].test].id, KX_SEV_ADVICE,
					   "selftest-order",
					   "the test comes before %.12s, whose change of behaviour it expects: it must pass both before and after it; run kvmx86 test at each commit to prove it",
					   patches[o.rels[r].kvm].id);
	for (i = 0; i < o.notes.nr; i++)
		kx_findings_add_at(out, NULL, KX_SEV_ADVICE, "selftest-order", "%s",
				   o.notes.items[i]);
	if (o.moved) {
		format_order(order, sizeof(order), &o, patches);
		kx_findings_add_at(out, NULL, KX_SEV_WARNING, "selftest-order",
				"the bisect-safe order is %s: 'kvmx86 prep --reorder' makes it (--dry-run shows it first)",
				order);
	}
	kx_order_release(&o);
}
