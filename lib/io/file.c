// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading and writing whole files.  A read is bounded and refuses what is
 * not a regular file: a directory read as text is "" and /dev/zero never
 * ends.  A write never leaves a half-written file where a reader looks.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kvmx86/error.h"
#include "kvmx86/file.h"
#include "kvmx86/util.h"

int kx_file_read(char **out, size_t *len, const char *path, size_t max)
{
	struct kx_buf b = KX_BUF_INIT;
	struct stat st;
	int fd, error = 0;

	*out = NULL;
	if (len)
		*len = 0;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return kx_error_set(KX_ENOTFOUND, "there is no file '%s'",
					    path);
		return kx_error_set(KX_ERROR, "cannot read '%s': %s", path,
				    strerror(errno));
	}
	if (fstat(fd, &st) < 0) {
		error = kx_error_set(KX_ERROR, "cannot read '%s': %s", path,
				     strerror(errno));
		goto done;
	}
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		error = kx_error_set(KX_EINVALID, "'%s' is a directory, not a file",
				     path);
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		error = kx_error_set(KX_EINVALID, "'%s' is not a regular file",
				     path);
		goto done;
	}
	if ((size_t)st.st_size > max) {
		errno = EFBIG;
		error = kx_error_set(KX_EINVALID, "'%s' is too large: %lld bytes, at most %zu",
				     path, (long long)st.st_size, max);
		goto done;
	}
	/* the size may change while it is read: the bound holds anyway */
	b.alloc = (size_t)st.st_size + 4097;
	b.buf = kx_xmalloc(b.alloc);
	for (;;) {
		ssize_t n;

		if (b.alloc - b.len < 4097) {
			b.alloc *= 2;
			b.buf = kx_xrealloc(b.buf, b.alloc);
		}
		n = read(fd, b.buf + b.len, b.alloc - b.len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error = kx_error_set(KX_ERROR, "cannot read '%s': %s",
					     path, strerror(errno));
			goto done;
		}
		if (!n)
			break;
		b.len += (size_t)n;
		if (b.len > max) {
			errno = EFBIG;
			error = kx_error_set(KX_EINVALID, "'%s' is too large: over %zu bytes",
					     path, max);
			goto done;
		}
	}
	b.buf[b.len] = '\0';
	if (len)
		*len = b.len;
	*out = kx_buf_detach(&b);
done:
	close(fd);
	kx_buf_release(&b);
	return error;
}

char *kx_read_file(const char *path)
{
	char *text;
	int saved;

	if (kx_file_read(&text, NULL, path, KX_FILE_MAX) < 0) {
		saved = errno;
		kx_error_clear();
		errno = saved;
		return NULL;
	}
	return text;
}

int kx_mkdir_p(const char *dir)
{
	char *copy = kx_xstrdup(dir), *p;
	int error = 0;

	for (p = copy + 1; ; p++) {
		char c;

		if (*p != '/' && *p)
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(copy, 0777) < 0 && errno != EEXIST) {
			error = kx_error_set(KX_ERROR, "cannot create %s: %s",
					     copy, strerror(errno));
			break;
		}
		*p = c;
		if (!c)
			break;
	}
	free(copy);
	return error;
}

/* Writes all of text to fd; 0 or -1 with errno set. */
static int write_all(int fd, const char *text, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (!n) {
			errno = ENOSPC;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

/* The characters mkstemp() puts in a name, and how many. */
#define TEMP_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
#define TEMP_LEN 6
#define TEMP_TRIES 100

/* Fills name (TEMP_LEN characters) with TEMP_CHARS, as unguessable as can be. */
static void temp_chars(char *name)
{
	static unsigned long long counter;
	unsigned char r[TEMP_LEN];
	unsigned long long x;
	struct timespec t;
	size_t i;

	if (getrandom(r, sizeof(r), GRND_NONBLOCK) == (ssize_t)sizeof(r)) {
		for (i = 0; i < TEMP_LEN; i++)
			name[i] = TEMP_CHARS[r[i] % (sizeof(TEMP_CHARS) - 1)];
		return;
	}
	/* no entropy yet (early boot): O_EXCL keeps it safe, only slower */
	clock_gettime(CLOCK_REALTIME, &t);
	x = (unsigned long long)t.tv_nsec ^ ((unsigned long long)t.tv_sec << 20) ^
	    ((unsigned long long)getpid() << 40) ^ (++counter * 0x9e3779b97f4a7c15ULL);
	for (i = 0; i < TEMP_LEN; i++, x /= sizeof(TEMP_CHARS) - 1)
		name[i] = TEMP_CHARS[x % (sizeof(TEMP_CHARS) - 1)];
}

/*
 * Creates a new file for "<dir>/.<base>.tmpXXXXXX" as mkstemp() does, but
 * with mode less the umask: mkstemp() makes it 0600 whatever the umask.
 */
static int open_temp(char **tmp, const char *dir, const char *base,
		     mode_t mode)
{
	int fd = -1, tries;

	*tmp = kx_xasprintf("%s/.%s.tmp%0*d", dir, base, TEMP_LEN, 0);
	for (tries = 0; tries < TEMP_TRIES; tries++) {
		temp_chars(*tmp + strlen(*tmp) - TEMP_LEN);
		fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	return fd;
}

/*
 * Writes text to a new temporary file in dir (its name in *tmp, caller
 * frees), synced when sync; 0 or KX_ERROR.  The file is 0666 less the
 * umask, as git's own files and git format-patch's are (a file the user
 * reads, mails or shares with git), or, with keep, exactly *keep before
 * a byte of text is in it: a file chmod'ed 0600 never shows its text.
 */
static int write_temp(char **tmp, const char *dir, const char *base,
		      const char *text, const mode_t *keep, bool sync)
{
	int fd, error = 0;

	/* not *.json: only state files end so in the state directory */
	fd = open_temp(tmp, dir, base, keep ? (*keep & 0777) : 0666);
	if (fd < 0) {
		error = kx_error_set(KX_ERROR, "cannot create %s: %s", *tmp,
				     strerror(errno));
		free(*tmp);
		*tmp = NULL;
		return error;
	}
	if ((keep && fchmod(fd, *keep) < 0) ||
	    write_all(fd, text, strlen(text)) < 0 || (sync && fsync(fd) < 0)) {
		error = kx_error_set(KX_ERROR, "cannot write %s: %s", *tmp,
				     strerror(errno));
		close(fd);
	} else if (close(fd) < 0) {
		error = kx_error_set(KX_ERROR, "cannot write %s: %s", *tmp,
				     strerror(errno));
	}
	if (error < 0) {
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
	}
	return error;
}

static void sync_dir(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
}

void kx_file_sig_take(struct kx_file_sig *sig, const char *path)
{
	struct stat st;

	memset(sig, 0, sizeof(*sig));
	if (stat(path, &st) < 0)
		return;
	sig->known = true;
	sig->dev = (unsigned long long)st.st_dev;
	sig->ino = (unsigned long long)st.st_ino;
	sig->size = (unsigned long long)st.st_size;
	sig->mtime_s = (long long)st.st_mtim.tv_sec;
	sig->mtime_ns = (long long)st.st_mtim.tv_nsec;
	sig->ctime_s = (long long)st.st_ctim.tv_sec;
	sig->ctime_ns = (long long)st.st_ctim.tv_nsec;
}

bool kx_file_sig_same(const struct kx_file_sig *a, const struct kx_file_sig *b)
{
	return a->known && b->known && a->dev == b->dev && a->ino == b->ino &&
	       a->size == b->size && a->mtime_s == b->mtime_s &&
	       a->mtime_ns == b->mtime_ns && a->ctime_s == b->ctime_s &&
	       a->ctime_ns == b->ctime_ns;
}

int kx_write_atomic(const char *path, const char *text, bool sync)
{
	char *dir_copy = kx_xstrdup(path), *dir = dirname(dir_copy);
	char *base_copy = kx_xstrdup(path), *base = basename(base_copy);
	char *tmp = NULL;
	mode_t mode, *keep = NULL;
	struct stat st;
	int error;

	/*
	 * A file replaced keeps its permissions, as one git format-patch
	 * or git config writes over does: the user's chmod stays.
	 */
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		mode = st.st_mode & 07777;
		keep = &mode;
	}
	if ((error = kx_mkdir_p(dir)) < 0 ||
	    (error = write_temp(&tmp, dir, base, text, keep, sync)) < 0)
		goto done;
	if (rename(tmp, path) < 0) {
		error = kx_error_set(KX_ERROR, "cannot rename %s to %s: %s", tmp,
				     path, strerror(errno));
		unlink(tmp);
		goto done;
	}
	/* the rename itself must reach the disk */
	if (sync)
		sync_dir(dir);
done:
	free(tmp);
	free(dir_copy);
	free(base_copy);
	return error;
}

/* Creates path with O_EXCL and writes text; 0, 1 if it exists, or KX_ERROR. */
static int create_excl(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	int error = 0;

	if (fd < 0)
		return errno == EEXIST ? 1 :
			kx_error_set(KX_ERROR, "cannot create %s: %s", path,
				     strerror(errno));
	if (write_all(fd, text, strlen(text)) < 0 || fsync(fd) < 0)
		error = kx_error_set(KX_ERROR, "cannot write %s: %s", path,
				     strerror(errno));
	if (close(fd) < 0 && !error)
		error = kx_error_set(KX_ERROR, "cannot write %s: %s", path,
				     strerror(errno));
	if (error < 0)
		unlink(path);
	return error;
}

/* Tries so many names before it gives up: a directory of archives is small. */
#define NEW_NAME_TRIES 10000

int kx_write_new(char **out, const char *dir, const char *stem,
		 const char *ext, const char *text)
{
	char *tmp = NULL, *path = NULL;
	bool can_link = true;
	int error, n;

	*out = NULL;
	if ((error = kx_mkdir_p(dir)) < 0 ||
	    (error = write_temp(&tmp, dir, stem, text, NULL, true)) < 0)
		return error;
	for (n = 1; n <= NEW_NAME_TRIES; n++) {
		free(path);
		path = n == 1 ? kx_xasprintf("%s/%s%s", dir, stem, ext) :
			kx_xasprintf("%s/%s-%d%s", dir, stem, n, ext);
		if (can_link) {
			/* link() puts the whole file there, or fails if one is */
			if (link(tmp, path) == 0)
				break;
			if (errno == EEXIST)
				continue;
			if (errno != EPERM && errno != ENOTSUP && errno != EXDEV) {
				error = kx_error_set(KX_ERROR, "cannot create %s: %s",
						     path, strerror(errno));
				goto done;
			}
			/* a file system without hard links */
			can_link = false;
		}
		if ((error = create_excl(path, text)) < 0)
			goto done;
		if (!error)
			break;
		error = 0;
	}
	if (n > NEW_NAME_TRIES) {
		error = kx_error_set(KX_ERROR, "cannot find a free name for %s/%s%s",
				     dir, stem, ext);
		goto done;
	}
	sync_dir(dir);
	*out = path;
	path = NULL;
done:
	unlink(tmp);
	free(tmp);
	free(path);
	return error;
}

int kx_remove_stale_temps(const char *dir, const char *ending,
			  struct kx_strlist *removed)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = strlen(ending);
	int error = 0;

	if (!d)
		return errno == ENOENT ? 0 : kx_error_set(KX_ERROR, "cannot read %s: %s",
							  dir, strerror(errno));
	while ((e = readdir(d))) {
		const char *name = e->d_name, *t = strstr(name, ".tmp");
		char *path;

		/* exactly what write_temp() names: ".<base>.tmp" and 6 characters */
		if (name[0] != '.' || !t || strlen(t) != 10 ||
		    (size_t)(t - name) < n + 1 || strncmp(t - n, ending, n))
			continue;
		path = kx_xasprintf("%s/%s", dir, name);
		if (unlink(path) == 0)
			kx_strlist_add(removed, name);
		else if (errno != ENOENT)
			error = kx_error_set(KX_ERROR, "cannot remove %s: %s", path,
					     strerror(errno));
		free(path);
	}
	closedir(d);
	return error;
}

int kx_temp_dir(char **out, const char *stem)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = kx_xasprintf("%s/kvmx86-%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", stem);
	int error;

	*out = NULL;
	if (!mkdtemp(dir)) {
		error = kx_error_set(KX_ERROR, "cannot make a temporary directory '%s': %s",
				     dir, strerror(errno));
		free(dir);
		return error;
	}
	*out = dir;
	return 0;
}
