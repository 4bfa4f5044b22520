// SPDX-License-Identifier: GPL-2.0-only
/*
 * prep --reorder, the repository side: each commit of the series picked
 * onto its new parent in memory (the paths it changes merged into the new
 * parent's tree, or git_cherrypick_commit into an in-memory index when
 * that is not enough; git_commit_create), the author kept, the
 * committer the current one; no work tree or index is touched.  Anything
 * but a clean result with the old tip's tree is refused, changing nothing.
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

#include "io.h"
#include "rewrite.h"
#include "kvmx86/error.h"
#include "kvmx86/prep.h"
#include "kvmx86/reorder.h"
#include "kvmx86/resolve.h"

#define REPO(r) ((r)->in.repo)

int kx_reorder_plan(struct kx_reorder *r, struct kx_resolved *s)
{
	int error;

	memset(r, 0, sizeof(*r));
	r->series = s;
	if ((error = kx_check_load(&r->in, s)) < 0)
		return error;
	/* a range rewrites the branch at its tip; a bare revision nothing */
	r->branch = s->prep.branch && !s->prep.branch_gone ?
		    kx_xstrdup(s->prep.branch) : NULL;
	if (r->in.nr)
		memcpy(r->old_tip, r->in.patches[r->in.nr - 1].id, sizeof(r->old_tip));
	kx_order_analyze(&r->order, r->in.patches, r->in.nr);
	return 0;
}

/* What kx_reorder_apply returns when it refuses; the reason is the kvmx86 error. */
#define REFUSED 1

/* "a/b.c" or "a/b.c and 2 more": the conflicted paths of idx. */
static char *conflict_paths(git_index *idx)
{
	git_index_conflict_iterator *it = NULL;
	const git_index_entry *anc, *ours, *theirs;
	char *first = NULL, *out;
	size_t n = 0;

	if (git_index_conflict_iterator_new(&it, idx) == 0) {
		while (git_index_conflict_next(&anc, &ours, &theirs, it) == 0) {
			const git_index_entry *e = ours ? ours : theirs ? theirs : anc;

			if (!first && e)
				first = kx_xstrdup(e->path);
			n++;
		}
	}
	git_index_conflict_iterator_free(it);
	git_error_clear();
	if (n > 1)
		out = kx_xasprintf("%s and %zu more", first ? first : "?", n - 1);
	else
		out = kx_xstrdup(first ? first : "?");
	free(first);
	return out;
}

/*
 * A cherry-pick that reads only what the picked commit changes: for each
 * path it changes (kx_tree_diff, which skips equal subtrees), take its
 * side when the new parent still has the old content, keep the parent's
 * when it already has the new one, else merge the three blobs; then
 * rewrite only the touched subtrees (git_tree_create_updated).  A full
 * merge of two kernel trees reads every entry of all three, seconds per
 * commit; this reads a few.  Anything it cannot decide is a "conflict",
 * and the caller asks git_cherrypick_commit, which also follows renames.
 */
struct pick {
	git_repository *repo;
	git_tree *base, *ours, *theirs;
	git_tree_update *updates;
	size_t nr, alloc;
	bool conflict;
	int error;
};

static bool same_entry(const git_tree_entry *a, const git_tree_entry *b)
{
	if (!a || !b)
		return !a && !b;
	return !git_oid_cmp(git_tree_entry_id(a), git_tree_entry_id(b)) &&
	       git_tree_entry_filemode(a) == git_tree_entry_filemode(b);
}

static git_tree_entry *entry_at(git_tree *tree, const char *path)
{
	git_tree_entry *e = NULL;

	if (git_tree_entry_bypath(&e, tree, path) < 0) {
		git_error_clear();
		return NULL;
	}
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		git_tree_entry_free(e);
		return NULL;
	}
	return e;
}

/* Merges three versions of a file into *out; 1 if they conflict. */
static int merge_blobs(git_oid *out, git_repository *repo, const char *path,
		       const git_tree_entry *b, const git_tree_entry *o,
		       const git_tree_entry *t)
{
	git_blob *blobs[3] = { NULL, NULL, NULL };
	const git_tree_entry *entries[3] = { b, o, t };
	git_merge_file_input in[3];
	git_merge_file_result res;
	int error = 0, i;

	memset(&res, 0, sizeof(res));
	for (i = 0; i < 3; i++) {
		if ((error = kx_git(git_blob_lookup(&blobs[i], repo,
						    git_tree_entry_id(entries[i])))) < 0)
			goto done;
		git_merge_file_input_init(&in[i], GIT_MERGE_FILE_INPUT_VERSION);
		in[i].ptr = git_blob_rawcontent(blobs[i]);
		in[i].size = (size_t)git_blob_rawsize(blobs[i]);
		in[i].path = path;
		in[i].mode = git_tree_entry_filemode(entries[i]);
	}
	if ((error = kx_git(git_merge_file(&res, &in[0], &in[1], &in[2], NULL))) < 0)
		goto done;
	if (!res.automergeable) {
		error = 1;
		goto done;
	}
	error = kx_git(git_blob_create_from_buffer(out, repo, res.ptr, res.len));
done:
	git_merge_file_result_free(&res);
	for (i = 0; i < 3; i++)
		git_blob_free(blobs[i]);
	return error;
}

static int pick_path(void *data, const char *path, const git_oid *old_id,
		     const git_oid *new_id)
{
	struct pick *s = data;
	git_tree_entry *b, *o, *t;
	git_tree_update *u;
	git_oid merged;
	int error = 0;

	(void)old_id;
	(void)new_id;
	if (s->conflict || s->error)
		return 0;
	b = entry_at(s->base, path);
	o = entry_at(s->ours, path);
	t = entry_at(s->theirs, path);
	if (same_entry(o, t))
		goto done;			/* the parent has it already */
	if (!same_entry(o, b)) {
		if (!b || !o || !t ||
		    git_tree_entry_filemode(o) != git_tree_entry_filemode(b)) {
			s->conflict = true;
			goto done;
		}
		if ((error = merge_blobs(&merged, s->repo, path, b, o, t)) != 0) {
			if (error > 0)
				s->conflict = true;
			else
				s->error = error;
			goto done;
		}
	}
	kx_grow((void **)&s->updates, &s->alloc, s->nr, sizeof(*s->updates));
	u = &s->updates[s->nr++];
	memset(u, 0, sizeof(*u));
	u->path = kx_xstrdup(path);
	if (!t) {
		u->action = GIT_TREE_UPDATE_REMOVE;
	} else {
		u->action = GIT_TREE_UPDATE_UPSERT;
		u->filemode = git_tree_entry_filemode(t);
		git_oid_cpy(&u->id, same_entry(o, b) ? git_tree_entry_id(t) : &merged);
	}
done:
	git_tree_entry_free(b);
	git_tree_entry_free(o);
	git_tree_entry_free(t);
	return 0;
}

/*
 * Picks commit onto parent as a tree: 0 with *tree_id, 1 on a conflict
 * (conflicting paths in *paths), or a negative KX_E*.
 */
static int pick_tree(git_oid *tree_id, char **paths, git_repository *repo,
		     git_commit *commit, git_commit *parent,
		     const git_merge_options *mopts)
{
	struct pick s;
	git_commit *orig_parent = NULL;
	git_index *idx = NULL;
	size_t i;
	int error;

	memset(&s, 0, sizeof(s));
	s.repo = repo;
	*paths = NULL;
	if ((error = kx_git(git_commit_parent(&orig_parent, commit, 0))) < 0 ||
	    (error = kx_git(git_commit_tree(&s.base, orig_parent))) < 0 ||
	    (error = kx_git(git_commit_tree(&s.ours, parent))) < 0 ||
	    (error = kx_git(git_commit_tree(&s.theirs, commit))) < 0 ||
	    (error = kx_tree_diff(repo, s.base, s.theirs, pick_path, &s)) < 0)
		goto done;
	if ((error = s.error) < 0)
		goto done;
	if (!s.conflict) {
		error = kx_git(git_tree_create_updated(tree_id, repo, s.ours, s.nr,
						       s.updates));
		goto done;
	}
	/* the full merge decides: renames, a file become a directory... */
	if ((error = kx_git(git_cherrypick_commit(&idx, repo, commit, parent, 0,
						  mopts))) < 0)
		goto done;
	if (git_index_has_conflicts(idx)) {
		*paths = conflict_paths(idx);
		error = 1;
		goto done;
	}
	error = kx_git(git_index_write_tree_to(tree_id, idx, repo));
done:
	git_index_free(idx);
	for (i = 0; i < s.nr; i++)
		free((char *)s.updates[i].path);
	free(s.updates);
	git_tree_free(s.base);
	git_tree_free(s.ours);
	git_tree_free(s.theirs);
	git_commit_free(orig_parent);
	return error;
}

/* Commits made only in memory: a dry run writes nothing to the repository. */
static int objects_in_memory(git_repository *repo)
{
	git_odb *odb = NULL;
	git_odb_backend *mempack = NULL;
	int error;

	if ((error = kx_git(git_repository_odb(&odb, repo))) < 0 ||
	    (error = kx_git(git_mempack_new(&mempack))) < 0)
		goto done;
	/* above the loose and packed backends: every write goes to memory */
	if ((error = kx_git(git_odb_add_backend(odb, mempack, 1000))) < 0) {
		mempack->free(mempack);
		goto done;
	}
done:
	git_odb_free(odb);
	return error;
}

/* Checks that the series is a line of commits ending at the branch tip. */
static int check_series(struct kx_reorder *r)
{
	git_oid tip, id;
	git_commit *c = NULL;
	char *ref;
	size_t i;
	int error = 0;

	if (!r->branch) {
		kx_error_set(KX_EINVALID, "there is no branch to reorder");
		kx_error_hint("give a branch name, or a range that ends at a branch");
		return REFUSED;
	}
	ref = kx_xasprintf("refs/heads/%s", r->branch);
	error = kx_git(git_reference_name_to_id(&tip, REPO(r), ref));
	free(ref);
	if (error < 0)
		return error;
	if (strcmp(git_oid_tostr_s(&tip), r->old_tip)) {
		kx_error_set(KX_EINVALID, "the series does not end at the tip of %s",
			     r->branch);
		kx_error_hint("give the branch, or a range that ends at its tip");
		return REFUSED;
	}
	for (i = 1; i < r->in.nr && !error; i++) {
		git_oid_fromstr(&id, r->in.patches[i].id);
		if ((error = kx_git(git_commit_lookup(&c, REPO(r), &id))) < 0)
			break;
		if (git_commit_parentcount(c) != 1 ||
		    strcmp(git_oid_tostr_s(git_commit_parent_id(c, 0)), r->in.patches[i - 1].id)) {
			kx_error_set(KX_EINVALID, "commit %.12s of the series is not on top of %.12s",
				     r->in.patches[i].id, r->in.patches[i - 1].id);
			error = REFUSED;
		}
		git_commit_free(c);
		c = NULL;
	}
	return error;
}

int kx_reorder_apply(struct kx_reorder *r, bool dry_run)
{
	git_merge_options mopts;
	git_commit *parent = NULL, *pick = NULL, *first = NULL;
	git_signature *me = NULL;
	git_oid id, tip, new_tip;
	char *reason = NULL;
	bool same = true;
	size_t j;
	int error;

	if (!r->order.moved)
		return 0;
	git_merge_options_init(&mopts, GIT_MERGE_OPTIONS_VERSION);
	if ((error = check_series(r)) != 0)
		return error;
	if ((error = kx_rewrite_check_clean(REPO(r), r->branch)) < 0)
		return error == KX_EINVALID ? REFUSED : error;
	/* a dry run writes its objects in memory only */
	if (dry_run && (error = objects_in_memory(REPO(r))) < 0)
		return error;
	if (!dry_run && (error = kx_rewrite_check_writable(REPO(r))) < 0)
		return error;
	r->new_ids = kx_xcalloc(r->in.nr, sizeof(*r->new_ids));
	git_oid_fromstr(&id, r->in.patches[0].id);
	if ((error = kx_git(git_commit_lookup(&first, REPO(r), &id))) < 0)
		goto done;
	if (!git_commit_parentcount(first)) {
		kx_error_set(KX_EINVALID, "the series starts with a root commit: nothing to build it on");
		error = REFUSED;
		goto done;
	}
	if ((error = kx_git(git_commit_parent(&parent, first, 0))) < 0 ||
	    (error = kx_rewrite_committer(&me, REPO(r), git_commit_committer(first))) < 0)
		goto done;
	for (j = 0; j < r->in.nr; j++) {
		const struct kx_patch *p = &r->in.patches[r->order.order[j]];
		git_tree *tree = NULL;
		git_oid tree_id, created;

		git_oid_fromstr(&id, p->id);
		if ((error = kx_git(git_commit_lookup(&pick, REPO(r), &id))) < 0)
			goto done;
		/* the commits below the first that moves stay as they are */
		same = same && r->order.order[j] == j;
		if (same) {
			git_oid_cpy(&created, &id);
		} else {
			char *paths = NULL;

			if ((error = pick_tree(&tree_id, &paths, REPO(r), pick, parent,
					       &mopts)) == 1) {
				kx_error_set(KX_EINVALID,
					     "%.12s (\"%s\") does not apply on %.12s in the new order: conflict in %s",
					     p->id, p->subject, git_oid_tostr_s(git_commit_id(parent)),
					     paths);
				kx_error_hint("nothing was changed; reorder by hand (git rebase -i) or leave the order as it is");
				free(paths);
				error = REFUSED;
				goto done;
			}
			free(paths);
			if (error < 0 ||
			    (error = kx_git(git_tree_lookup(&tree, REPO(r), &tree_id))) < 0 ||
			    (error = kx_git(git_commit_create(&created, REPO(r), NULL,
						git_commit_author(pick), me,
						git_commit_message_encoding(pick),
						git_commit_message(pick), tree, 1,
						(const git_commit **)&parent))) < 0) {
				git_tree_free(tree);
				goto done;
			}
			git_tree_free(tree);
		}
		git_oid_tostr(r->new_ids[j], sizeof(r->new_ids[j]), &created);
		git_commit_free(pick);
		pick = NULL;
		git_commit_free(parent);
		parent = NULL;
		if ((error = kx_git(git_commit_lookup(&parent, REPO(r), &created))) < 0)
			goto done;
	}
	git_oid_cpy(&new_tip, git_commit_id(parent));
	git_oid_fromstr(&tip, r->old_tip);
	git_commit_free(pick);
	if ((error = kx_git(git_commit_lookup(&pick, REPO(r), &tip))) < 0)
		goto done;
	if (git_oid_cmp(git_commit_tree_id(pick), git_commit_tree_id(parent))) {
		kx_error_set(KX_EINVALID, "in the new order %s would not end with the tree of %.12s",
			     r->branch, r->old_tip);
		kx_error_hint("nothing was changed; reorder by hand (git rebase -i) or leave the order as it is");
		error = REFUSED;
		goto done;
	}
	git_oid_tostr(r->new_tip, sizeof(r->new_tip), &new_tip);
	if (dry_run)
		goto done;
	reason = kx_xasprintf("reorder %s for bisection (selftest-order)", r->branch);
	/* the state must follow the branch: known writable before it moves */
	if (r->series->prep.has_state && !r->series->prep.branch_gone &&
	    (error = kx_prep_lock_writable(&r->series->prep)) < 0)
		goto done;
	if ((error = kx_rewrite_update_branch(&r->backup, REPO(r), r->branch, &tip,
					      &new_tip, "prep --reorder", reason)) < 0) {
		if (error == KX_EINVALID)
			error = REFUSED;
		goto done;
	}
	/* an enrolled branch: its state follows the tip (last_tip) */
	r->series->prep.range_valid = false;
	if (r->series->prep.has_state && !r->series->prep.branch_gone &&
	    (error = kx_prep_save(&r->series->prep)) < 0)
		goto done;
done:
	git_signature_free(me);
	git_commit_free(pick);
	git_commit_free(parent);
	git_commit_free(first);
	free(reason);
	return error;
}

void kx_reorder_release(struct kx_reorder *r)
{
	kx_order_release(&r->order);
	kx_check_release(&r->in);
	free(r->branch);
	free(r->new_ids);
	free(r->backup);
	memset(r, 0, sizeof(*r));
}
