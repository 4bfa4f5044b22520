// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vote of the topic from history: which 'KVM: <topic>:' prefix the
 * latest commits touching some files used.  A majority, not a plurality:
 * files shared by several topics (vmx.h, the Hyper-V files) should give
 * no answer rather than a coin toss.
 */
#include <stdlib.h>
#include <string.h>

#include "kvmx86/topichist.h"

size_t kx_topichist_prefix(const char *subject)
{
	const char *p;

	if (!subject || strncmp(subject, "KVM: ", 5))
		return 0;
	/* one component without blanks, ending in ':' */
	for (p = subject + 5; *p && *p != ' ' && *p != '\t' && *p != ':'; p++)
		;
	if (*p != ':' || p == subject + 5 || (p[1] && p[1] != ' '))
		return 0;
	return (size_t)(p + 1 - subject);
}

void kx_topichist_vote(struct kx_topichist_vote *out,
		       const char *const *subjects, size_t nr,
		       const char *what)
{
	size_t i, j, n, best = 0, best_n = 0, best_i = 0;

	kx_topichist_vote_release(out);
	out->total = nr;
	for (i = 0; i < nr; i++) {
		n = kx_topichist_prefix(subjects[i]);
		if (!n)
			continue;
		/* count each prefix once, at its latest use */
		for (j = 0; j < i; j++)
			if (kx_topichist_prefix(subjects[j]) == n &&
			    !strncmp(subjects[j], subjects[i], n))
				break;
		if (j < i)
			continue;
		best_n = 0;
		for (j = i; j < nr; j++)
			if (kx_topichist_prefix(subjects[j]) == n &&
			    !strncmp(subjects[j], subjects[i], n))
				best_n++;
		if (best_n > best) {
			best = best_n;
			best_i = i;
		}
	}
	if (!nr) {
		out->reason = kx_xasprintf("from history: no earlier commit touching %s within %d commits",
					   what, KX_TOPICHIST_WALK);
		return;
	}
	n = best ? kx_topichist_prefix(subjects[best_i]) : 0;
	if (best >= KX_TOPICHIST_MIN_VOTES && 2 * best > nr) {
		out->prefix = kx_xstrndup(subjects[best_i], n);
		out->votes = best;
		out->reason = kx_xasprintf("from history: %zu of the last %zu commits touching %s used '%s'",
					   best, nr, what, out->prefix);
	} else if (best) {
		out->reason = kx_xasprintf("from history: no 'KVM: <topic>:' prefix has a majority among the last %zu commits touching %s (most: '%.*s', %zu)",
					   nr, what, (int)n, subjects[best_i], best);
	} else {
		out->reason = kx_xasprintf("from history: none of the last %zu commits touching %s used a 'KVM: <topic>:' prefix",
					   nr, what);
	}
}

void kx_topichist_vote_release(struct kx_topichist_vote *v)
{
	free(v->prefix);
	free(v->reason);
	memset(v, 0, sizeof(*v));
}
