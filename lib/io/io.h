/* SPDX-License-Identifier: GPL-2.0-only */
/* Private helpers shared by the io/ files: libgit2 errors and config. */
#ifndef KVMX86_IO_IO_H
#define KVMX86_IO_IO_H

#include <stdbool.h>

#include <git2.h>

/*
 * Translates a libgit2 return value once, at the call site: 0 and positive
 * values pass, GIT_ENOTFOUND becomes KX_ENOTFOUND, anything else KX_EGIT;
 * the message of git_error_last() is stored as the kvmx86 error.
 */
int kx_git(int ret);

/*
 * Resolves spec (a revision) to the commit it names, as git reads it (a
 * name holding '@' is a ref of that name, never HEAD); KX_ENOTFOUND, with
 * git's message naming spec, if it names none.
 */
int kx_git_resolve_commit(git_oid *out, git_repository *repo, const char *spec);

/*
 * Resolves the full ref name refname (refs/heads/..., refs/tags/...) to
 * its commit, without revision parsing; KX_ENOTFOUND if there is none.
 */
int kx_git_ref_commit(git_oid *out, git_repository *repo, const char *refname);

/*
 * Opens the repository as git finds it: from the current directory, or
 * GIT_DIR, with GIT_WORK_TREE, GIT_INDEX_FILE, GIT_CEILING_DIRECTORIES and
 * the object directories honoured; GIT_COMMON_DIR is refused (KX_EUSAGE).
 * KX_ENOTFOUND, with git's "not a git repository" message, when there is
 * none.
 */
int kx_repo_open(git_repository **out);

/*
 * The git patch-id of commit id's change to its first parent, as 40-hex
 * in out; "" for an empty change (git patch-id prints none for it).
 */
int kx_commit_patch_id(char out[41], git_repository *repo, const git_oid *id);

struct kx_sent;
struct kx_strlist;
/*
 * The patch-ids of version e's commits as sent (e->base..e->tip on the
 * first-parent line, oldest first; empty changes, such as b4's cover
 * commit, left out) into out.  Returns 0, or -1 if they cannot be told
 * (no base or tip recorded, objects gone, tip not above base).
 */
int kx_sent_patch_ids(struct kx_strlist *out, git_repository *repo,
		      const struct kx_sent *e);

struct kx_strlist;
/*
 * Appends "git --git-dir=<repo's> [--work-tree=<its work tree>]" to argv:
 * a git kvmx86 starts works on the repository kvmx86 opened, whatever the
 * caller's environment said (kx_run_env() drops GIT_DIR and the rest).
 */
void kx_repo_git_argv(struct kx_strlist *argv, git_repository *repo);

/* The directory to run git in for repo: its work tree, or its git dir if bare. */
const char *kx_repo_cwd(git_repository *repo);

/* Reads string key from cfg into *out (caller frees); 0 or KX_ENOTFOUND. */
int kx_config_string(char **out, git_config *cfg, const char *key);

/*
 * kx_config_string() with cfg as void *: a kx_smtp_lookup (smtp.h) over
 * git's configuration, for the pure resolvers of sendemail.* and patatt.*.
 */
int kx_config_lookup(void *cfg, const char *key, char **out);

/* Reads a boolean; *out keeps its value if key is unset. */
int kx_config_bool(bool *out, git_config *cfg, const char *key);

/* Reads a non-negative integer; *out keeps its value if key is unset. */
int kx_config_uint(unsigned *out, git_config *cfg, const char *key);

/*
 * Reads an integer from min to max (kx_config_parse_uint()); *out keeps
 * its value if key is unset.  A bad value is KX_EINVALID naming key.
 */
int kx_config_uint_range(unsigned *out, git_config *cfg, const char *key,
			 unsigned min, unsigned max);

/*
 * Reads key as an http(s) URL (kx_config_check_url()) into *out (caller
 * frees); 0, KX_ENOTFOUND, or KX_EINVALID naming key for a bad one.
 */
int kx_config_url(char **out, git_config *cfg, const char *key);

/*
 * Reads colour as git's commands do: color.kvmx86 (git's color.<command>)
 * if set, else color.ui, and color.pager (default true), into *out; each
 * of the three is checked even when another decides.  Returns 0, or
 * KX_EINVALID naming the key of a bad value.
 */
struct kx_color_config;
int kx_config_color(struct kx_color_config *out, git_config *cfg);

#include "kvmx86/http.h"

/*
 * Fills o with the defaults, then kvmx86.httpTimeout (seconds a whole
 * look-up may take: every request, retry and wait) and
 * kvmx86.httpRetries from cfg.  Returns 0, or KX_EINVALID naming the key
 * of a value that is not a number in range.
 */
int kx_config_http(struct kx_http_opts *o, git_config *cfg);

/* What a lore look-up reads from the configuration, every value checked. */
struct kx_lore_config {
	char *url;		/* kvmx86.loreUrl, or the default */
	char *link_url;		/* kvmx86.loreLinkUrl, or url */
	struct kx_http_opts http;
};

/*
 * Reads kvmx86.loreUrl, kvmx86.loreLinkUrl and the http keys from cfg
 * (NULL: the defaults) into out (caller releases, also after an
 * error).  Returns 0, or
 * KX_EINVALID naming the key of a bad value, with a hint.
 */
int kx_config_lore(struct kx_lore_config *out, git_config *cfg);

/* Frees what c owns. */
void kx_lore_config_release(struct kx_lore_config *c);

struct kx_lore_messages;
/*
 * Fetches the thread of msgid from lore (kvmx86.loreUrl) as public-inbox
 * gives it (t.mbox.gz) into out; *url (caller frees, also after an error)
 * is what was asked.  Returns 0 or a negative KX_E* with a hint.
 */
int kx_lore_fetch_thread(struct kx_lore_messages *out, char **url,
			 git_repository *repo, const char *msgid);

#ifdef KX_LAZY_ZLIB
/*
 * Why zlib could not be loaded on its first call (lib/io/zlib.c), or
 * NULL: it was, or nothing has asked for it yet.
 */
const char *kx_zlib_error(void);
#else
static inline const char *kx_zlib_error(void)
{
	return NULL;
}
#endif

/* Called for each changed file; either id is NULL for an add or delete. */
typedef int (*kx_tree_diff_cb)(void *data, const char *path,
			       const git_oid *old_id, const git_oid *new_id);

/* Calls cb for every blob that differs between the trees (either NULL). */
int kx_tree_diff(git_repository *repo, git_tree *old_tree, git_tree *new_tree,
		 kx_tree_diff_cb cb, void *data);

struct kx_diff_line;
/*
 * Called for each hunk of a blob diff with its lines (3 lines of context)
 * and the text after its "@@ ... @@" (the enclosing function, or "").
 */
typedef void (*kx_hunk_cb)(void *data, const char *header,
			   const struct kx_diff_line *lines, unsigned nr);

/* Diffs two blobs (either id NULL) and calls cb for each hunk. */
int kx_blob_hunks(git_repository *repo, const git_oid *old_id,
		  const git_oid *new_id, kx_hunk_cb cb, void *data);

/* Diffs two buffers (either NULL: no file) as kx_blob_hunks() does. */
int kx_buffer_hunks(const char *a, size_t alen, const char *b, size_t blen,
		    kx_hunk_cb cb, void *data);

/*
 * The series model's diffs (lib/io/series.c): each commit's changed files
 * against its first parent, and each file's hunks, computed once however
 * many of check-base, prep --check and send's applies check ask.
 */
struct kx_diff_hunk {
	char *header;			/* what follows "@@ ... @@" */
	struct kx_diff_line *lines;	/* their texts owned */
	unsigned nr;
};

struct kx_diff_file {
	char *path;
	git_oid old_id, new_id;
	bool has_old, has_new;		/* false: added, or deleted */
	bool hunks_done;
	struct kx_diff_hunk *hunks;
	size_t hunks_nr;
};

struct kx_commit_diff {
	git_oid oid;
	char id[41];
	struct kx_diff_file *files;	/* as kx_tree_diff() reports them */
	size_t nr, alloc;
};

struct kx_series_diffs;
struct kx_resolved;

/* s's diffs, made empty on the first call (owned by s). */
struct kx_series_diffs *kx_series_diffs(struct kx_resolved *s);

/* An empty set of diffs of its own (free with kx_series_diffs_free()). */
struct kx_series_diffs *kx_series_diffs_new(void);

/*
 * Sets *out to commit's changed files against its first parent (none: the
 * empty tree), diffed on the first call for it (borrowed from d).
 * Returns 0 or a negative KX_E*.
 */
int kx_commit_diff(struct kx_commit_diff **out, struct kx_series_diffs *d,
		   git_repository *repo, git_commit *commit);

/*
 * Calls cb for each hunk of f (a file of a kx_commit_diff()), as
 * kx_blob_hunks() would, diffing it on the first call.  0 or a negative KX_E*.
 */
int kx_diff_file_hunks(git_repository *repo, struct kx_diff_file *f,
		       kx_hunk_cb cb, void *data);

/*
 * Diffs every commit of s and every file of them, for the checks that
 * follow (send does it while git format-patch runs).  0 or a negative KX_E*.
 */
int kx_series_diffs_load(struct kx_resolved *s);

/* Frees d (NULL is fine). */
void kx_series_diffs_free(struct kx_series_diffs *d);

/*
 * Sets *out to s's repository's mailmap (the work tree's .mailmap, else
 * HEAD's, mailmap.file, mailmap.blob), read on the first call; borrowed
 * from s.  Returns 0, or a negative KX_E* (every time) if it cannot be read.
 */
int kx_series_mailmap(git_mailmap **out, struct kx_resolved *s);

#endif
