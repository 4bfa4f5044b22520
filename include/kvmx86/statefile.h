/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The state file of a series (lib/io/state.c): JSON under
 * <git-common-dir>/kvmx86/state/, read whole and checked field by field,
 * written atomically and only under its lock.
 *
 * Every read-modify-write holds "<file>.lock", created with O_EXCL as git
 * creates its locks and holding "<pid> <host>".  A command that decides
 * from what it read takes the lock before reading (kx_state_file_lock());
 * a save without the lock takes it for the write and merges: what this
 * kvmx86 changed since it read the file goes onto what is there now,
 * field by field (kvmx86 test's records commit by commit), and a field
 * both changed is refused, never overwritten.
 */
#ifndef KVMX86_STATEFILE_H
#define KVMX86_STATEFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/state.h"

struct json_t;

/* How long a lock held by another kvmx86 is waited for. */
#define KX_STATE_LOCK_WAIT_MS 3000

/* The state with what io keeps of its file; one destructor for all. */
struct kx_state_file {
	struct kx_state state;
	struct json_t *test_results;	/* kvmx86 test's records, as they are */
	struct json_t *extra;		/* unknown keys, by object: kept */
	struct json_t *loaded;		/* the file as read; NULL: there was none */
	char *path;			/* the file read, or to be written */
	char *lock;			/* "<path>.lock" while held, or NULL */
};

/* Empties f: an empty state (kx_state_init()), no file, no lock. */
void kx_state_file_init(struct kx_state_file *f);

/*
 * Loads path into f (initialised by the call).  Returns 0, KX_ENOTFOUND
 * if there is no file (f then holds an empty state for path), or
 * KX_EINVALID with a message naming the file and the field for a corrupt,
 * truncated, out-of-bounds or newer-schema file, which is left untouched.
 */
int kx_state_file_load(struct kx_state_file *f, const char *path);

/*
 * Takes path's lock, waiting up to KX_STATE_LOCK_WAIT_MS for another
 * kvmx86, then loads path into f (initialised, or loaded before) as
 * kx_state_file_load() does; the lock
 * stays held (also with KX_ENOTFOUND) until a save, kx_state_file_unlock()
 * or kx_state_file_release().  A lock that stays taken is KX_ERROR:
 * "another kvmx86 is working on this series (pid N)", or, when process N
 * is gone, a message naming the lock left behind and a hint to remove it.
 */
int kx_state_file_lock(struct kx_state_file *f, const char *path);

/*
 * Reads the state file from (another branch's) into f, replacing f's
 * state but keeping f's path, lock and what f read of its own file, so
 * that the next save writes it there as any change.  Errors as a load.
 */
int kx_state_file_adopt(struct kx_state_file *f, const char *from);

/*
 * Writes f's state to path, atomically (a temporary file, fsync, rename).
 * Without the lock of path, takes it for the write and merges what
 * changed since f was read into the file as it is now (see above); a
 * field both changed, or a file that came or went meanwhile, is KX_ERROR
 * and nothing is written.  A state that kx_state_check() refuses is never
 * written (KX_EINVALID).  The lock that the call took is released; one
 * held before stays held.  f then holds what was written.
 */
int kx_state_file_save(struct kx_state_file *f, const char *path);

/*
 * Finds out whether a save of f to path would be written now: a file of
 * the state's size (with room to grow) written beside path and removed.
 * For the rewrites, which must know it before a branch moves.  Returns 0,
 * or KX_ERROR naming path and why (a full disk, a read-only directory).
 */
int kx_state_file_probe(struct kx_state_file *f, const char *path);

/*
 * Removes f's file (after an archive), under its lock as a save, and
 * refuses (KX_ERROR) if another kvmx86 changed it since f was read.
 */
int kx_state_file_remove(struct kx_state_file *f);

/*
 * Writes f's state to a new file in dir, "<stem>.json" or "<stem>-N.json",
 * never over another (kx_write_new()); *out names it (caller frees).
 */
int kx_state_file_archive(struct kx_state_file *f, const char *dir,
			  const char *stem, char **out);

/* Releases the lock if f holds it. */
void kx_state_file_unlock(struct kx_state_file *f);

/* Frees what f owns and releases its lock; f may be loaded again. */
void kx_state_file_release(struct kx_state_file *f);

/*
 * Parses the len bytes of text as a state file into f (initialised by the
 * call); what names it in messages.  kx_state_file_load() without the file.
 */
int kx_state_file_parse(struct kx_state_file *f, const char *text,
			size_t len, const char *what);

/*
 * Returns the text a save writes for f (caller frees), or NULL with
 * KX_EINVALID if kx_state_check() refuses f's state.
 */
char *kx_state_file_format(const struct kx_state_file *f);

/*
 * Reads b4's tracking data ({"series": {"change-id", "revision",
 * "prefixes", "history": {"vN": [message-ids]}}}) into s: the change-id,
 * the revision, the prefixes, and a sent entry per version of the history
 * (its first message-id the cover's).  Every value is checked as the state
 * file's are; what names the data in messages ("b4's tracking data of
 * x86/foo").  Returns 0, or KX_EINVALID naming the value, with s unchanged.
 */
int kx_b4_tracking_parse(struct kx_state *s, const char *text,
			 const char *what);

#endif
