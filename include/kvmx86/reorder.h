/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kvmx86 prep --reorder: the series of a branch put in the bisect-safe
 * order (order.h), its commits re-created in memory with libgit2 and the
 * branch moved the way every rewrite does (a backup ref, a reflog entry,
 * a refusal on any conflict or local change).
 */
#ifndef KVMX86_REORDER_H
#define KVMX86_REORDER_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/check.h"
#include "kvmx86/order.h"

struct kx_resolved;

struct kx_reorder {
	struct kx_resolved *series;	/* borrowed: the repository, the state */
	struct kx_check_input in;	/* the series, oldest first */
	struct kx_order order;		/* relations and the proposed order */
	char *branch;			/* the branch rewritten; NULL for a revision */
	char old_tip[41], new_tip[41];
	char (*new_ids)[41];		/* per position of order.order: the new id */
	char *backup;			/* refs/kvmx86/backup/<branch>/<n> */
};

/*
 * Loads the series s (as prep --check does) and decides its order; r
 * borrows s, which must outlive it.  Returns 0 or a negative KX_E*.
 */
int kx_reorder_plan(struct kx_reorder *r, struct kx_resolved *s);

/*
 * Makes the order of r: returns 0 when done (or when nothing moves), 1
 * when refused, with the reason in kx_error_last() and nothing changed (a
 * conflict, local changes in a worktree that has the branch, a tree that
 * would change, not a branch), or a negative KX_E*.  With dry_run the
 * commits are made in memory only and no ref moves.
 */
int kx_reorder_apply(struct kx_reorder *r, bool dry_run);

/* Frees what r owns. */
void kx_reorder_release(struct kx_reorder *r);

#endif
