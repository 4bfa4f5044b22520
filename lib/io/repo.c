// SPDX-License-Identifier: GPL-2.0-only
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include <git2.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>

#include "io.h"
#include "kvmx86/config.h"
#include "kvmx86/error.h"
#include "kvmx86/resolve.h"
#include "kvmx86/safe.h"
#include "kvmx86/seriesplan.h"
#include "kvmx86/util.h"

/*
 * libgit2 names no object when one it reads is damaged ("failed to
 * inflate loose object", or zlib's own words): the last object a read
 * failed on, with libgit2's message then, so that kx_git() can name it.
 */
static struct {
	git_oid id;
	char message[256];
	bool set;
} bad_object;

/*
 * The commits, trees and tags read last, and the database they came
 * from: kvmx86 reads as git does, without hashing what it reads, so a
 * damaged object may read well and fail to parse later (a revision walk
 * reads only a commit's parents; libgit2 keeps what it read and parses
 * it again without reading), when only its contents can name it.
 */
/* The repository opened is a shallow clone: a missing object is expected. */
static bool opened_shallow;

/* color.kvmx86 or color.ui, and color.pager, of the repository opened */
static struct kx_color_config opened_color = { KX_COLOR_UNSET, true };

/*
 * The repository opened is a partial clone (git clone --filter): a missing
 * object is one a promisor remote promised, which git fetches when it
 * needs it and libgit2 1.5 cannot.  The remote's name, "" if unknown.
 */
static struct {
	bool set;
	char remote[128];
} opened_partial;

#define KX_RECENT_READS 1024
static struct {
	git_oid id[KX_RECENT_READS];
	size_t nr, next;
	git_odb *odb;
	bool paused;		/* while they are read again */
} recent;

/*
 * An object database backend in front of the others, reading through
 * them and noting the object a read fails on.  The others are listed
 * when it is added: libgit2 holds the database's lock while it calls a
 * backend, so one cannot list them from inside a read.
 */
struct watch_backend {
	git_odb_backend parent;
	git_odb_backend **others;
	size_t nr;
};

static int watch_failed(int error, const git_oid *id)
{
	const git_error *e = git_error_last();

	if (error == GIT_ENOTFOUND || error == GIT_PASSTHROUGH || error >= 0)
		return error;
	git_oid_cpy(&bad_object.id, id);
	snprintf(bad_object.message, sizeof(bad_object.message), "%s",
		 e && e->message ? e->message : "");
	bad_object.set = true;
	return error;
}

static int watch_read(void **data, size_t *len, git_object_t *type,
		      git_odb_backend *backend, const git_oid *id)
{
	struct watch_backend *w = (struct watch_backend *)backend;
	int error = GIT_ENOTFOUND;

	for (size_t i = 0; i < w->nr && error == GIT_ENOTFOUND; i++) {
		git_odb_backend *b = w->others[i];

		if (b->read)
			error = watch_failed(b->read(data, len, type, b, id), id);
	}
	if (error == 0 && *type != GIT_OBJECT_BLOB && !recent.paused) {
		if (recent.odb != backend->odb)
			recent.nr = recent.next = 0;
		recent.odb = backend->odb;
		git_oid_cpy(&recent.id[recent.next], id);
		recent.next = (recent.next + 1) % KX_RECENT_READS;
		if (recent.nr < KX_RECENT_READS)
			recent.nr++;
	}
	/* not found: libgit2 asks the others itself, and refreshes them */
	return error == GIT_PASSTHROUGH ? GIT_ENOTFOUND : error;
}

static int watch_read_header(size_t *len, git_object_t *type,
			     git_odb_backend *backend, const git_oid *id)
{
	struct watch_backend *w = (struct watch_backend *)backend;

	for (size_t i = 0; i < w->nr; i++) {
		git_odb_backend *b = w->others[i];
		int error;

		/* one that cannot read headers: libgit2 reads the object */
		if (!b->read_header)
			return GIT_PASSTHROUGH;
		error = watch_failed(b->read_header(len, type, b, id), id);
		if (error != GIT_ENOTFOUND)
			return error;
	}
	return GIT_ENOTFOUND;
}

static void watch_free(git_odb_backend *backend)
{
	struct watch_backend *w = (struct watch_backend *)backend;

	if (recent.odb == backend->odb)
		recent.odb = NULL;
	free(w->others);
	free(w);
}

/* Puts the watch in front of repo's object database. */
static int watch_objects(git_repository *repo)
{
	struct watch_backend *w;
	git_odb *odb = NULL;
	size_t nr;
	int error;

	if ((error = git_repository_odb(&odb, repo)) < 0)
		return error;
	nr = git_odb_num_backends(odb);
	w = kx_xcalloc(1, sizeof(*w));
	w->others = kx_xcalloc(nr ? nr : 1, sizeof(*w->others));
	for (size_t i = 0; i < nr; i++)
		if (git_odb_get_backend(&w->others[w->nr], odb, i) == 0)
			w->nr++;
	git_odb_init_backend(&w->parent, GIT_ODB_BACKEND_VERSION);
	w->parent.read = watch_read;
	w->parent.read_header = watch_read_header;
	w->parent.free = watch_free;
	/* above every priority libgit2 gives (loose 1, packs 2) */
	if ((error = git_odb_add_backend(odb, &w->parent, 1000)) < 0)
		watch_free(&w->parent);
	git_odb_free(odb);
	return error;
}

/*
 * Do id's contents in odb hash to id?  Reading it again replaces
 * libgit2's error: the caller's message is kept aside first.
 */
static bool hashes_to_id(git_odb *odb, const git_oid *id)
{
	git_odb_object *obj = NULL;
	git_oid actual;
	bool ok;

	if (git_odb_read(&obj, odb, id) < 0)
		return false;
	ok = git_odb_hash(&actual, git_odb_object_data(obj),
			  git_odb_object_size(obj), git_odb_object_type(obj)) == 0 &&
	     git_oid_equal(&actual, id);
	git_odb_object_free(obj);
	return ok;
}

/*
 * The damaged object behind libgit2's last error, if it is one: one a
 * read failed on (the message still libgit2's from then), or one whose
 * contents do not hash to its id.
 */
static bool bad_object_id(char out[GIT_OID_HEXSZ + 1], int klass,
			  const char *message)
{
	static const char mismatch[] = "object hash mismatch - expected ";
	const char *hex = message + sizeof(mismatch) - 1;
	bool found = false;

	if (bad_object.set && !strcmp(message, bad_object.message)) {
		git_oid_tostr(out, GIT_OID_HEXSZ + 1, &bad_object.id);
		return true;
	}
	if (!strncmp(message, mismatch, sizeof(mismatch) - 1) &&
	    strspn(hex, "0123456789abcdef") >= GIT_OID_HEXSZ) {
		snprintf(out, GIT_OID_HEXSZ + 1, "%s", hex);
		return true;
	}
	if ((klass != GIT_ERROR_OBJECT && klass != GIT_ERROR_INVALID) ||
	    !recent.odb)
		return false;
	/* the newest first: the one that failed, unless it was kept */
	recent.paused = true;
	for (size_t i = 1; i <= recent.nr && !found; i++) {
		const git_oid *id = &recent.id[(recent.next + KX_RECENT_READS - i) %
					       KX_RECENT_READS];

		if (!hashes_to_id(recent.odb, id)) {
			git_oid_tostr(out, GIT_OID_HEXSZ + 1, id);
			found = true;
		}
	}
	recent.paused = false;
	return found;
}

/* If libgit2's last error is a damaged object: the error naming it. */
static int bad_object_error(void)
{
	const git_error *e = git_error_last();
	char id[GIT_OID_HEXSZ + 1], *message;
	int error = 0, klass;

	if (!e || !e->message)
		return 0;
	message = kx_xstrdup(e->message);
	klass = e->klass;
	if (bad_object_id(id, klass, message))
		error = kx_error_set(KX_EGIT, "object %s is corrupt: %s", id,
				     message);
	if (!error)
		/* what the look-up replaced */
		git_error_set_str(klass, message);
	free(message);
	if (!error)
		return 0;
	kx_error_hint("'git fsck --full' lists every damaged object; fetch it again from a remote that has it, or restore it from a backup");
	return error;
}

/*
 * If libgit2's last error is an object that is not there: the error
 * (code) naming it, with what to do, unless the user typed it (typed
 * holds the start of its id), when it is only a revision that does not
 * exist.
 */
static int missing_object_error(int code, const char *typed)
{
	static const char notfound[] = "object not found - no match for id (";
	const git_error *e = git_error_last();
	const char *hex;
	int error;

	if (!e || !e->message ||
	    strncmp(e->message, notfound, sizeof(notfound) - 1))
		return 0;
	hex = e->message + sizeof(notfound) - 1;
	if (strspn(hex, "0123456789abcdef") != GIT_OID_HEXSZ)
		return 0;
	for (const char *t = typed; t && *t; t++)
		if (!strncasecmp(t, hex, 4))
			return 0;
	if (opened_shallow) {
		/* below the boundary of a shallow clone: no damage, no fsck */
		error = kx_error_set(code, "object %.40s is missing: this is a shallow clone, and the history needed is below its boundary",
				     hex);
		kx_error_hint("fetch the whole history: git fetch --unshallow");
		return error;
	}
	if (opened_partial.set) {
		/* promised, not lost: git fsck finds nothing wrong */
		const char *name = opened_partial.remote;
		char *remote = *name ? kx_shell_word(name) : kx_xstrdup("<remote>");
		char *from = *name ? kx_xasprintf("remote '%s'", name) :
			     kx_xstrdup("its promisor remote");

		error = kx_error_set(code, "object %.40s is missing: this is a partial clone, and git fetches what it lacks from %s when it needs it, but kvmx86 reads through libgit2, which cannot",
				     hex, from);
		kx_error_hint("have git fetch the objects the series' diffs need (git fetches them as it reads), then run kvmx86 again:\n"
			      "  git log -p --format= <base>..<tip> >/dev/null\n"
			      "or make the clone whole: git fetch --refetch --no-filter %s", remote);
		free(from);
		free(remote);
		return error;
	}
	error = kx_error_set(code, "object %.40s is missing", hex);
	kx_error_hint("'git fsck --full' lists every missing or damaged object; fetch it again from a remote that has it, or restore it from a backup");
	return error;
}

/* Notes a promisor remote's name (remote.<name>.promisor true). */
static int promisor_remote(const git_config_entry *e, void *data)
{
	const char *name = e->name + strlen("remote.");
	size_t len = strlen(name) - strlen(".promisor");
	int yes = 0;

	(void)data;
	if (git_config_parse_bool(&yes, e->value) < 0 || !yes)
		return 0;
	opened_partial.set = true;
	if (!*opened_partial.remote && len < sizeof(opened_partial.remote))
		memcpy(opened_partial.remote, name, len);
	return 0;
}

/*
 * Is repo a partial clone?  As git decides: a promisor remote in the
 * configuration (remote.<name>.promisor, or extensions.partialClone as
 * git before 2.24 set it), or packs a promisor remote sent (*.promisor).
 */
static void note_partial_clone(git_repository *repo)
{
	git_config *cfg = NULL;
	git_config_entry *e = NULL;
	struct dirent *d;
	char *packs;
	DIR *dir;

	memset(&opened_partial, 0, sizeof(opened_partial));
	if (git_repository_config_snapshot(&cfg, repo) == 0) {
		if (git_config_get_entry(&e, cfg, "extensions.partialclone") == 0 &&
		    e->value && *e->value) {
			opened_partial.set = true;
			/* a name cut short would be another remote's: none */
			if (strlen(e->value) < sizeof(opened_partial.remote))
				strcpy(opened_partial.remote, e->value);
		}
		git_config_entry_free(e);
		git_config_foreach_match(cfg, "^remote\\..*\\.promisor$",
					 promisor_remote, NULL);
		git_config_free(cfg);
	}
	packs = kx_xasprintf("%sobjects/pack", git_repository_commondir(repo));
	if (!opened_partial.set && (dir = opendir(packs))) {
		while (!opened_partial.set && (d = readdir(dir)))
			opened_partial.set = kx_ends_with(d->d_name, ".promisor");
		closedir(dir);
	}
	free(packs);
	git_error_clear();
}

/*
 * A partial clone that git before 2.24 made names its promisor remote in
 * extensions.partialClone, which libgit2 1.5 refuses to open ("unsupported
 * extension").  It only lets objects be missing, which every read here
 * handles (missing_object_error()); fetching them is git's business.
 */
static void allow_partial_clone(void)
{
	const char *ext[] = { "partialclone" };

	git_libgit2_opts(GIT_OPT_SET_EXTENSIONS, ext, ARRAY_SIZE(ext));
}

int kx_git(int ret)
{
	const git_error *e;
	int error;

	if (ret >= 0)
		return ret;
	/* every object read fails then: the reason, not an object's name */
	if (kx_zlib_error()) {
		error = kx_error_set(KX_EGIT, "%s", kx_zlib_error());
		kx_error_hint("kvmx86 reads objects with zlib: install it (Debian: apt-get install zlib1g)");
		return error;
	}
	if (ret != GIT_ENOTFOUND && (error = bad_object_error()) < 0)
		return error;
	if (ret == GIT_ENOTFOUND && (error = missing_object_error(KX_ENOTFOUND, NULL)) < 0)
		return error;
	e = git_error_last();
	return kx_error_set(ret == GIT_ENOTFOUND ? KX_ENOTFOUND : KX_EGIT,
			    "%s", e && e->message ? e->message : "libgit2 error");
}

/*
 * A name holding an '@' (not "@" alone) is a ref called so, or nothing:
 * git refuses "xyzw@" where libgit2 reads it as HEAD.  Resolves the ref,
 * then the rest of spec (~, ^, :) against its commit.
 */
static int resolve_literal(git_object **out, git_repository *repo,
			   const char *spec, size_t len)
{
	git_reference *ref = NULL, *direct = NULL;
	char *name = kx_xstrndup(spec, len), *rest = NULL;
	int error;

	if ((error = git_reference_dwim(&ref, repo, name)) < 0 ||
	    (error = git_reference_resolve(&direct, ref)) < 0)
		goto done;
	if (!spec[len]) {
		error = git_reference_peel(out, direct, GIT_OBJECT_ANY);
		goto done;
	}
	if (spec[len] == '@') {		/* name@@{...}: a reflog of a name with '@' */
		error = GIT_ENOTFOUND;
		goto done;
	}
	rest = kx_xasprintf("%s%s", git_oid_tostr_s(git_reference_target(direct)),
			    spec + len);
	error = git_revparse_single(out, repo, rest);
done:
	git_reference_free(direct);
	git_reference_free(ref);
	free(name);
	free(rest);
	return error;
}

int kx_git_resolve_commit(git_oid *out, git_repository *repo, const char *spec)
{
	git_object *obj = NULL, *peeled = NULL;
	size_t len = kx_rev_name_len(spec);
	int error = 0, r;

	if (kx_rev_name_is_literal(spec, len))
		r = resolve_literal(&obj, repo, spec, len);
	else
		r = git_revparse_single(&obj, repo, spec);
	if (r < 0 || git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		/* a revision that leads to a damaged object is no unknown one */
		error = bad_object_error();
		if (!error)
			error = missing_object_error(KX_EGIT, spec);
		git_error_clear();
		/* git's own words for a revision it cannot read */
		if (!error)
			error = kx_error_set(KX_ENOTFOUND,
					     "ambiguous argument '%s': unknown revision or path not in the working tree",
					     spec);
	} else {
		git_oid_cpy(out, git_object_id(peeled));
	}
	git_object_free(peeled);
	git_object_free(obj);
	return error;
}

int kx_git_ref_commit(git_oid *out, git_repository *repo, const char *refname)
{
	git_reference *ref = NULL;
	git_object *obj = NULL;
	int error = git_reference_lookup(&ref, repo, refname);

	if (!error)
		error = git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT);
	if (!error)
		git_oid_cpy(out, git_object_id(obj));
	git_object_free(obj);
	git_reference_free(ref);
	if (error < 0) {
		int code = error;

		/* a ref whose commit is damaged is there, and unreadable */
		if ((error = bad_object_error()) < 0) {
			git_error_clear();
			return error;
		}
		/* there, and unreadable for another reason: libgit2's words */
		if (code != GIT_ENOTFOUND)
			return kx_git(code);
		git_error_clear();
		return kx_error_set(KX_ENOTFOUND, "there is no %s", refname);
	}
	return 0;
}

/*
 * Is wd (with its trailing '/') the directory dir?  libgit2 1.5's
 * git_repository_set_workdir() leaks when asked for the work tree it has.
 */
static bool same_dir(const char *wd, const char *dir)
{
	size_t n = strlen(dir);

	return wd && !strncmp(wd, dir, n) && (!strcmp(wd + n, "/") || !wd[n]);
}

/*
 * What `git -c key=value kvmx86 ...` (GIT_CONFIG_PARAMETERS) and
 * GIT_CONFIG_COUNT set, above every configuration file as git has it:
 * libgit2 reads neither.  The text lives in a memory file for the
 * process (libgit2 reads a path, and stats it to notice changes).
 */
static int env_config(git_repository *repo)
{
	const char *params = getenv("GIT_CONFIG_PARAMETERS");
	const char *count = getenv("GIT_CONFIG_COUNT");
	static int fd = -1;
	const char **keys = NULL, **values = NULL;
	char *text = NULL, *end, path[64];
	git_config *cfg = NULL;
	unsigned long n = 0, i;
	int error = 0;

	if ((!params || !*params) && (!count || !*count))
		return 0;
	if (count && *count) {
		n = strtoul(count, &end, 10);
		if (*end || n > 10000)
			return kx_error_set(KX_EINVALID, "bad GIT_CONFIG_COUNT '%.20s'", count);
	}
	keys = kx_xcalloc(n + 1, sizeof(*keys));
	values = kx_xcalloc(n + 1, sizeof(*values));
	for (i = 0; i < n && !error; i++) {
		char name[48];

		snprintf(name, sizeof(name), "GIT_CONFIG_KEY_%lu", i);
		keys[i] = getenv(name);
		snprintf(name, sizeof(name), "GIT_CONFIG_VALUE_%lu", i);
		values[i] = getenv(name);
		/* as git: each of the count is there */
		if (!keys[i] || !*keys[i] || !values[i])
			error = kx_error_set(KX_EINVALID, "GIT_CONFIG_COUNT is %lu, and %s is missing",
					     n, !keys[i] || !*keys[i] ? "a GIT_CONFIG_KEY_<n>" :
					     "a GIT_CONFIG_VALUE_<n>");
	}
	if (error < 0 ||
	    (error = kx_config_env_text(&text, params, keys, values, n)) < 0 || !*text)
		goto done;
	if (fd < 0 && (fd = memfd_create("kvmx86-git-config", MFD_CLOEXEC)) < 0) {
		error = kx_error_set(KX_ERROR, "cannot keep the settings of git -c: %s",
				     strerror(errno));
		goto done;
	}
	if (ftruncate(fd, 0) < 0 || pwrite(fd, text, strlen(text), 0) != (ssize_t)strlen(text)) {
		error = kx_error_set(KX_ERROR, "cannot keep the settings of git -c: %s",
				     strerror(errno));
		goto done;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if ((error = kx_git(git_repository_config(&cfg, repo))) < 0 ||
	    (error = kx_git(git_config_add_file_ondisk(cfg, path, GIT_CONFIG_LEVEL_APP,
							 repo, 1))) < 0)
		goto done;
done:
	git_config_free(cfg);
	free(text);
	free(keys);
	free(values);
	return error;
}

/*
 * GIT_CONFIG_GLOBAL, GIT_CONFIG_SYSTEM and GIT_CONFIG_NOSYSTEM, as git
 * 2.39 reads them: libgit2 1.5 knows only fixed file names, so the
 * levels they govern are replaced once the repository is open (a level
 * read from /dev/null has nothing in it).  GIT_CONFIG_GLOBAL stands for
 * both ~/.gitconfig and $XDG_CONFIG_HOME/git/config, as in git.
 */
static int env_config_files(git_repository *repo)
{
	const char *global = getenv("GIT_CONFIG_GLOBAL");
	const char *system = getenv("GIT_CONFIG_SYSTEM");
	const char *nosystem = getenv("GIT_CONFIG_NOSYSTEM");
	git_config *cfg = NULL;
	int off = 0, error;

	if (nosystem && git_config_parse_bool(&off, nosystem) < 0) {
		git_error_clear();
		error = kx_error_set(KX_EINVALID,
				     "bad boolean value '%.40s' for GIT_CONFIG_NOSYSTEM", nosystem);
		kx_error_hint("set GIT_CONFIG_NOSYSTEM=1 to skip the system configuration, or unset it");
		return error;
	}
	if (!global && !system && !off)
		return 0;
	if ((error = kx_git(git_repository_config(&cfg, repo))) < 0)
		return error;
	if (off || system)
		error = kx_git(git_config_add_file_ondisk(cfg, off || !*system ? "/dev/null" : system,
							 GIT_CONFIG_LEVEL_SYSTEM, repo, 1));
	if (!error && global) {
		error = kx_git(git_config_add_file_ondisk(cfg, "/dev/null", GIT_CONFIG_LEVEL_XDG,
							 repo, 1));
		if (!error)
			error = kx_git(git_config_add_file_ondisk(cfg, *global ? global : "/dev/null",
								 GIT_CONFIG_LEVEL_GLOBAL, repo, 1));
	}
	git_config_free(cfg);
	return error;
}

/*
 * The colour the configuration asks for, read as the repository opens,
 * with git -c's settings: a bad value fails every command, as in git.
 * Three keys: the repository's own configuration, not a snapshot (a copy
 * of every entry, 2% of a check-base's instructions).
 */
static int read_color(git_repository *repo)
{
	git_config *cfg = NULL;
	int error;

	if ((error = kx_git(git_repository_config(&cfg, repo))) == 0)
		error = kx_config_color(&opened_color, cfg);
	git_config_free(cfg);
	return error;
}

int kx_repo_open(git_repository **out)
{
	const char *gitdir = getenv("GIT_DIR"), *worktree = getenv("GIT_WORK_TREE");
	const char *index = getenv("GIT_INDEX_FILE");
	git_index *idx = NULL;
	git_config *cfg = NULL;
	char cwd[PATH_MAX], real[PATH_MAX];
	int error;

	*out = NULL;
	if (!getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, ".");
	allow_partial_clone();
	if (getenv("GIT_COMMON_DIR")) {
		error = kx_error_set(KX_EUSAGE,
				     "GIT_COMMON_DIR is set, and kvmx86 cannot honour it (libgit2 1.5 does not)");
		kx_error_hint("unset GIT_COMMON_DIR, or run kvmx86 inside the linked worktree itself");
		return error;
	}
	if (worktree && *worktree) {
		/* libgit2's environment discovery refuses GIT_WORK_TREE: set it here */
		if (gitdir && *gitdir)
			error = git_repository_open_ext(out, gitdir,
							GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
		else
			error = git_repository_open_ext(out, ".", 0,
							getenv("GIT_CEILING_DIRECTORIES"));
		if (!error && index && *index &&
		    !(error = git_index_open(&idx, index)))
			git_repository_set_index(*out, idx);
		if (!error && !(realpath(worktree, real) &&
				same_dir(git_repository_workdir(*out), real)))
			error = git_repository_set_workdir(*out, worktree, 0);
	} else {
		/* GIT_DIR, GIT_INDEX_FILE, GIT_CEILING_DIRECTORIES, ... */
		error = git_repository_open_ext(out, NULL, GIT_REPOSITORY_OPEN_FROM_ENV,
						NULL);
		/* git: GIT_DIR without a work tree makes the current directory one */
		if (!error && gitdir && *gitdir && !git_repository_is_bare(*out) &&
		    git_repository_config_snapshot(&cfg, *out) == 0) {
			git_config_entry *e = NULL;

			if (git_config_get_entry(&e, cfg, "core.worktree") < 0 &&
			    !same_dir(git_repository_workdir(*out), cwd))
				error = git_repository_set_workdir(*out, cwd, 0);
			git_config_entry_free(e);
		}
	}
	git_config_free(cfg);
	git_index_free(idx);
	if (error == GIT_ENOTFOUND) {
		git_error_clear();
		git_repository_free(*out);
		*out = NULL;
		error = kx_error_set(KX_ENOTFOUND,
				     "not a git repository (or any of the parent directories): %s",
				     gitdir && *gitdir ? gitdir : cwd);
		kx_error_hint("run kvmx86 inside your kernel tree");
		return error;
	}
	if (!error)
		error = watch_objects(*out);
	if (!error && ((error = env_config_files(*out)) < 0 ||
		       (error = env_config(*out)) < 0)) {
		git_repository_free(*out);
		*out = NULL;
		return error;
	}
	if ((error = kx_git(error)) < 0) {
		git_repository_free(*out);
		*out = NULL;
		return error;
	}
	if ((error = read_color(*out)) < 0) {
		git_repository_free(*out);
		*out = NULL;
		return error;
	}
	opened_shallow = git_repository_is_shallow(*out) == 1;
	note_partial_clone(*out);
	git_error_clear();
	return error;
}

const struct kx_color_config *kx_repo_color_config(void)
{
	return &opened_color;
}

void kx_repo_git_argv(struct kx_strlist *argv, git_repository *repo)
{
	const char *wd = git_repository_workdir(repo);

	kx_strlist_add(argv, "git");
	kx_strlist_addf(argv, "--git-dir=%s", git_repository_path(repo));
	if (wd)
		kx_strlist_addf(argv, "--work-tree=%s", wd);
}

const char *kx_repo_cwd(git_repository *repo)
{
	const char *wd = git_repository_workdir(repo);

	return wd ? wd : git_repository_path(repo);
}
