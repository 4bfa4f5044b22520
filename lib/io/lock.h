/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kvmx86's lock files, made as git makes its own: "<file>.lock" created
 * with O_EXCL, holding "<pid> <host>", removed when this process exits or
 * dies of a signal it can catch (git's tempfile.c does the same).  The
 * series' state and kvmx86 test's records take them.
 */
#ifndef KVMX86_IO_LOCK_H
#define KVMX86_IO_LOCK_H

/* How a lock's messages name what it guards. */
struct kx_lock_words {
	const char *what;	/* "this series": "... left this series locked" */
	const char *busy;	/* "is working on this series" */
	const char *gone;	/* "no kvmx86 is working on it now" */
	const char *wait;	/* "wait for it to finish" */
};

/*
 * Creates lock (its directory too), waiting up to wait_ms for another
 * kvmx86 that holds it, and sets *out to its path (caller releases it with
 * kx_lock_release()).  Returns 0 or KX_ERROR: held on, "another kvmx86 <busy>
 * (pid N)", or left by a process that is gone, named with the rm that
 * clears it.
 */
int kx_lock_take(char **out, const char *lock, long wait_ms,
		 const struct kx_lock_words *w);

/* Removes *lock and frees it (NULL is fine). */
void kx_lock_release(char **lock);

#endif
