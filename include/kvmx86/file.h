/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Files kvmx86 reads and writes beside the repository: read whole with a
 * bound, written so that a reader sees the old or the new text, created
 * without ever replacing one that exists.  lib/io/file.c.
 */
#ifndef KVMX86_FILE_H
#define KVMX86_FILE_H

#include <stdbool.h>
#include <stddef.h>

/* What kx_read_file() reads at most. */
#define KX_FILE_MAX ((size_t)64 << 20)

/*
 * Reads path, which must be a regular file (a symbolic link to one is
 * fine) of at most max bytes, into *out (NUL-terminated; caller frees) and
 * its length into *len (may be NULL).  Returns 0, KX_ENOTFOUND if there is
 * no such file, or KX_EINVALID (a directory, a device or a FIFO, or too
 * large) or KX_ERROR, with a message naming path.
 */
int kx_file_read(char **out, size_t *len, const char *path, size_t max);

/*
 * Returns the whole text of path (malloc'd) as kx_file_read() reads it with
 * KX_FILE_MAX, or NULL with errno set (EISDIR for a directory, EINVAL for
 * something that is not a regular file, EFBIG for one too large).
 */
char *kx_read_file(const char *path);

/*
 * One version of a file as stat() sees it: kx_write_atomic()'s rename and
 * any write in place change it.  Zeroed: no version known.
 */
struct kx_file_sig {
	bool known;
	unsigned long long dev, ino, size;
	long long mtime_s, mtime_ns, ctime_s, ctime_ns;
};

/* Fills sig for path as it is now (known stays false if stat fails). */
void kx_file_sig_take(struct kx_file_sig *sig, const char *path);

/* Whether a and b are both known and the same version of a file. */
bool kx_file_sig_same(const struct kx_file_sig *a,
		      const struct kx_file_sig *b);

/* Creates dir and its missing parents (mkdir -p); 0 or KX_ERROR. */
int kx_mkdir_p(const char *dir);

/*
 * Removes from dir the temporary files that a killed kx_write_atomic() of
 * a file whose name ends with ending left (".<name>.tmpXXXXXX"), adding
 * their names to removed.  Returns 0, or KX_ERROR when one stays.
 */
struct kx_strlist;
int kx_remove_stale_temps(const char *dir, const char *ending,
			  struct kx_strlist *removed);

/*
 * Replaces path's content with text through a temporary file and a
 * rename, so that readers see the old or the new file, never a part;
 * with sync, both reach the disk first.  Creates missing directories.
 * A new file is 0666 less the umask (as git's files are); one replaced
 * keeps its mode.
 */
int kx_write_atomic(const char *path, const char *text, bool sync);

/*
 * Makes a new directory of this user's, "$TMPDIR/kvmx86-<stem>.<random>"
 * (/tmp without TMPDIR), and stores its path in *out (caller frees, and
 * removes the directory).  Returns 0, or KX_ERROR naming the path.
 */
int kx_temp_dir(char **out, const char *stem);

/*
 * Writes text to a new file "<dir>/<stem><ext>", or "<stem>-2<ext>",
 * "<stem>-3<ext>"... if that exists: never over an existing file, even
 * when another process creates the same name at the same moment (the
 * complete file is linked into place, or created with O_EXCL).  Stores
 * the path in *out (caller frees).  Creates dir.  The file is 0666 less
 * the umask.  Returns 0 or KX_ERROR.
 */
int kx_write_new(char **out, const char *dir, const char *stem,
		 const char *ext, const char *text);

#endif
