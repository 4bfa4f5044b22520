/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The series model: the commits of a series with what each one touches.
 * io/ fills it from a repository; core/ decides from it.  Pure data.
 */
#ifndef KVMX86_SERIES_H
#define KVMX86_SERIES_H

#include <stddef.h>

#include "kvmx86/area.h"

/* Where the commit that a Fixes: trailer names lives (ordered: max wins). */
enum kx_fix_target {
	KX_FIX_NONE = 0,	/* no Fixes: trailer */
	KX_FIX_UNKNOWN,		/* the commit is not in this repository */
	KX_FIX_OTHER,		/* released, in next only, or elsewhere */
	KX_FIX_CURRENT,		/* in kvm/master (or the newest rc), not released */
	/*
	 * A Fixes: names a commit in this repository, and where it lives
	 * (OTHER or CURRENT) is left to kx_base_lookups.fix.
	 */
	KX_FIX_PENDING,
};

struct kx_file_change {
	char *path;
	enum kx_area area;
	unsigned added, removed;
	unsigned kinds[KX_LINE__COUNT];	/* added + removed lines by kind */
};

struct kx_commit {
	char id[41];
	char *subject;
	enum kx_area area;		/* heaviest area of its files */
	struct kx_file_change *files;
	size_t files_nr, files_alloc;
	enum kx_fix_target fix;		/* the highest over its Fixes: trailers */
	char *fixes;			/* the first Fixes: value, or NULL */
};

struct kx_series {
	struct kx_commit *commits;	/* oldest first */
	size_t nr, alloc;
};
#define KX_SERIES_INIT { NULL, 0, 0 }

/* Appends an empty commit with id and subject; returns it (owned by s). */
struct kx_commit *kx_series_add(struct kx_series *s, const char *id,
				const char *subject);

/* Appends a file to c with its area from the path; returns it (owned by c). */
struct kx_file_change *kx_commit_add_file(struct kx_commit *c,
					  const char *path);

/* Sets c->area to the heaviest area among its files (non-kvm if none). */
void kx_commit_finish(struct kx_commit *c);

/* Frees everything the series owns; it may be reused. */
void kx_series_release(struct kx_series *s);

/*
 * Returns the values of every "Fixes:" trailer in message, in order,
 * appended to out (trailers are the last paragraph's "Key: value" lines).
 */
struct kx_strlist;
void kx_message_fixes(struct kx_strlist *out, const char *message);

#endif
