// SPDX-License-Identifier: GPL-2.0-only
/*
 * The function index, the repository side: the KVM files of a commit's
 * tree, scanned by kx_funcindex_scan(), cached by the commit's id in
 * <git-common-dir>/kvmx86/funcindex/<40-hex>.  A tree never changes, so a
 * cached index is never stale; the directory keeps the MAX_CACHED newest.
 *
 * Only the directories that hold KVM's files are read (git_tree_entry_bypath
 * then a walk of that subtree), and the two include directories are listed,
 * not walked: the rest of the kernel's tree costs nothing.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "io.h"
#include "kvmx86/error.h"
#include "kvmx86/file.h"
#include "kvmx86/funcindex.h"
#include "kvmx86/state.h"

/* Index files kept; each is the tree of one base (a few hundred KiB). */
#define MAX_CACHED 8

/* KVM's directories, walked whole. */
static const char *const walked[] = {
	"arch/x86/kvm", "virt/kvm", "tools/testing/selftests/kvm",
	"include/kvm",
};

/* Directories whose KVM headers are picked by name. */
static const char *const listed[] = {
	"arch/x86/include/asm", "include/linux",
};

struct scan {
	git_repository *repo;
	const char *prefix;	/* the walked directory, with a '/' */
	struct kx_strlist names;
};

static void scan_blob(struct scan *s, const git_oid *id)
{
	git_blob *blob = NULL;

	if (git_blob_lookup(&blob, s->repo, id) < 0) {
		git_error_clear();
		return;
	}
	kx_funcindex_scan(&s->names, git_blob_rawcontent(blob),
			  (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
}

static int walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
	struct scan *s = payload;
	char *path;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	path = kx_xasprintf("%s%s%s", s->prefix, root, git_tree_entry_name(e));
	if (kx_funcindex_wants(path))
		scan_blob(s, git_tree_entry_id(e));
	free(path);
	return 0;
}

/* The subtree at dir of root, or NULL if there is none. */
static git_tree *subtree(git_repository *repo, git_tree *root, const char *dir)
{
	git_tree_entry *e = NULL;
	git_tree *t = NULL;

	if (git_tree_entry_bypath(&e, root, dir) == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_TREE)
		git_tree_lookup(&t, repo, git_tree_entry_id(e));
	git_tree_entry_free(e);
	git_error_clear();
	return t;
}

static void scan_tree(struct scan *s, git_tree *root)
{
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(walked); i++) {
		git_tree *t = subtree(s->repo, root, walked[i]);
		char *prefix = kx_xasprintf("%s/", walked[i]);

		s->prefix = prefix;
		if (t && git_tree_walk(t, GIT_TREEWALK_PRE, walk_cb, s) < 0)
			git_error_clear();
		git_tree_free(t);
		free(prefix);
	}
	for (i = 0; i < ARRAY_SIZE(listed); i++) {
		git_tree *t = subtree(s->repo, root, listed[i]);

		for (k = 0; t && k < git_tree_entrycount(t); k++) {
			const git_tree_entry *e = git_tree_entry_byindex(t, k);
			char *path = kx_xasprintf("%s/%s", listed[i],
						  git_tree_entry_name(e));

			if (git_tree_entry_type(e) == GIT_OBJECT_BLOB &&
			    kx_funcindex_wants(path))
				scan_blob(s, git_tree_entry_id(e));
			free(path);
		}
		git_tree_free(t);
	}
}

/* Removes all but the MAX_CACHED newest index files of dir. */
static void prune(const char *dir)
{
	struct old {
		char *path;
		time_t mtime;
	} *files = NULL;
	size_t nr = 0, alloc = 0, i, oldest;
	struct dirent *d;
	DIR *dh = opendir(dir);

	if (!dh)
		return;
	while ((d = readdir(dh))) {
		struct stat st;
		char *path;

		if (strlen(d->d_name) != 40)
			continue;
		path = kx_xasprintf("%s/%s", dir, d->d_name);
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		kx_grow((void **)&files, &alloc, nr, sizeof(*files));
		files[nr].path = path;
		files[nr++].mtime = st.st_mtime;
	}
	closedir(dh);
	while (nr > MAX_CACHED) {
		for (oldest = 0, i = 1; i < nr; i++)
			if (files[i].mtime < files[oldest].mtime)
				oldest = i;
		unlink(files[oldest].path);
		free(files[oldest].path);
		files[oldest] = files[--nr];
	}
	for (i = 0; i < nr; i++)
		free(files[i].path);
	free(files);
}

struct kx_funcindex *kx_funcindex_open(struct git_repository *repo,
				       const char *commit)
{
	struct kx_funcindex *idx = kx_xcalloc(1, sizeof(*idx));
	struct scan s = { repo, NULL, KX_STRLIST_INIT };
	git_commit *c = NULL, *base = NULL;
	git_tree *tree = NULL;
	char *dir = NULL, *path = NULL, *text = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid id;
	bool ok = false;

	if (!repo || !commit || git_oid_fromstr(&id, commit) < 0 ||
	    git_commit_lookup(&c, repo, &id) < 0 ||
	    !git_commit_parentcount(c) || git_commit_parent(&base, c, 0) < 0)
		goto done;
	git_oid_tostr(hex, sizeof(hex), git_commit_id(base));
	dir = kx_xasprintf("%skvmx86/funcindex", git_repository_commondir(repo));
	path = kx_xasprintf("%s/%s", dir, hex);
	if ((text = kx_read_file(path))) {
		ok = kx_funcindex_parse(idx, text, hex);
		text = NULL;	/* idx's, or freed */
		if (ok)
			goto done;
	}
	if (git_commit_tree(&tree, base) < 0)
		goto done;
	scan_tree(&s, tree);
	kx_funcindex_set(idx, &s.names, hex);
	kx_trace("funcindex: scanned");
	ok = true;
	/* a cache that cannot be written only costs the next run the scan */
	text = kx_funcindex_format(idx);
	if (kx_write_atomic(path, text, false) == 0)
		prune(dir);
done:
	git_error_clear();
	kx_error_clear();
	kx_strlist_release(&s.names);
	free(text);
	free(path);
	free(dir);
	git_tree_free(tree);
	git_commit_free(base);
	git_commit_free(c);
	if (!ok) {
		kx_funcindex_free(idx);
		return NULL;
	}
	return idx;
}

void kx_funcindex_free(struct kx_funcindex *idx)
{
	if (!idx)
		return;
	kx_funcindex_release(idx);
	free(idx);
}

struct kx_funcindex_lazy {
	git_repository *repo;
	char commit[GIT_OID_HEXSZ + 1];
	struct kx_funcindex *idx;
	bool tried;
};

struct kx_funcindex_lazy *kx_funcindex_lazy_new(struct git_repository *repo,
						const char *commit)
{
	struct kx_funcindex_lazy *l = kx_xcalloc(1, sizeof(*l));

	l->repo = repo;
	snprintf(l->commit, sizeof(l->commit), "%s", commit ? commit : "");
	return l;
}

void kx_funcindex_lazy_free(struct kx_funcindex_lazy *lazy)
{
	if (!lazy)
		return;
	kx_funcindex_free(lazy->idx);
	free(lazy);
}

bool kx_funcindex_env(void *data, const char *name, size_t n)
{
	struct kx_funcindex_lazy *l = data;

	if (!l)
		return false;
	if (!l->tried) {
		l->tried = true;
		l->idx = kx_funcindex_open(l->repo, l->commit);
	}
	return kx_funcindex_has(l->idx, name, n);
}
