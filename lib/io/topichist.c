// SPDX-License-Identifier: GPL-2.0-only
/*
 * The topic from history, the repository side: the latest commits that
 * touched some files, found by walking back from a commit's first parent.
 *
 * libgit2 1.5 has no path-limited walk (no commit-graph Bloom filters), and
 * its sorted revwalks read the whole history before returning the first
 * commit, so this walk is its own: newest commit first by committer date (a
 * heap), every parent followed, at most KX_TOPICHIST_WALK commits.  The
 * whole graph, not the first-parent line: in the kernel the KVM commits
 * reach mainline and kvm-x86/next through merges, so the first-parent line
 * is mostly merge commits.  Merges themselves do not vote (their diff
 * against the first parent is a whole topic branch).
 *
 * Whether a commit touched a path is a comparison of the path's ids in its
 * tree and its parent's, one level at a time, stopping at the first equal
 * subtree: most commits do not touch arch/ at all, and cost one entry
 * look-up in the root trees.  No diff.
 *
 * Each path's commits are cached for the run, and prep --check announces
 * the paths of all its ambiguous commits first, so that one walk, from the
 * parent of the first commit that needs it, serves the whole series: the
 * series' own commits never vote.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "io.h"
#include "kvmx86/error.h"
#include "kvmx86/rules.h"
#include "kvmx86/topichist.h"

struct touch {
	git_oid id;
	char *subject;
};

struct path_hist {
	char *path;
	struct touch *items;
	size_t nr, alloc;
	bool walked;		/* else expected, waiting for the next walk */
};

struct kx_topichist_cache {
	git_repository *repo;
	struct path_hist *paths;
	size_t nr, alloc;
	size_t walked;
};

/* --- a set of commit ids, open addressing --- */

struct oidset {
	git_oid *slots;
	unsigned char *used;
	size_t cap, nr;
};

static size_t oid_hash(const git_oid *id)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));
	return h;
}

static bool oidset_insert(struct oidset *s, const git_oid *id);

static void oidset_grow(struct oidset *s)
{
	struct oidset big = { NULL, NULL, s->cap ? 2 * s->cap : 1024, 0 };
	size_t i;

	big.slots = kx_xcalloc(big.cap, sizeof(*big.slots));
	big.used = kx_xcalloc(big.cap, 1);
	for (i = 0; i < s->cap; i++)
		if (s->used[i])
			oidset_insert(&big, &s->slots[i]);
	free(s->slots);
	free(s->used);
	*s = big;
}

/* Adds id; returns false if it was there already. */
static bool oidset_insert(struct oidset *s, const git_oid *id)
{
	size_t i;

	if (2 * (s->nr + 1) > s->cap)
		oidset_grow(s);
	for (i = oid_hash(id) & (s->cap - 1); s->used[i]; i = (i + 1) & (s->cap - 1))
		if (!git_oid_cmp(&s->slots[i], id))
			return false;
	s->used[i] = 1;
	git_oid_cpy(&s->slots[i], id);
	s->nr++;
	return true;
}

static void oidset_release(struct oidset *s)
{
	free(s->slots);
	free(s->used);
	memset(s, 0, sizeof(*s));
}

/* --- a max-heap of commits by committer date, then by order of discovery --- */

struct heap_item {
	int64_t time;
	uint64_t seq;
	git_oid id;
};

struct heap {
	struct heap_item *items;
	size_t nr, alloc;
	uint64_t seq;
};

static bool heap_before(const struct heap_item *a, const struct heap_item *b)
{
	return a->time != b->time ? a->time > b->time : a->seq < b->seq;
}

static void heap_swap(struct heap_item *a, struct heap_item *b)
{
	struct heap_item t = *a;

	*a = *b;
	*b = t;
}

static void heap_push(struct heap *h, int64_t time, const git_oid *id)
{
	size_t i;

	kx_grow((void **)&h->items, &h->alloc, h->nr, sizeof(*h->items));
	i = h->nr++;
	h->items[i].time = time;
	h->items[i].seq = h->seq++;
	git_oid_cpy(&h->items[i].id, id);
	for (; i && heap_before(&h->items[i], &h->items[(i - 1) / 2]); i = (i - 1) / 2)
		heap_swap(&h->items[i], &h->items[(i - 1) / 2]);
}

static void heap_pop(struct heap *h, git_oid *out)
{
	size_t i = 0, c;

	git_oid_cpy(out, &h->items[0].id);
	h->items[0] = h->items[--h->nr];
	for (;;) {
		c = 2 * i + 1;
		if (c >= h->nr)
			break;
		if (c + 1 < h->nr && heap_before(&h->items[c + 1], &h->items[c]))
			c++;
		if (!heap_before(&h->items[c], &h->items[i]))
			break;
		heap_swap(&h->items[i], &h->items[c]);
		i = c;
	}
}

/* --- the walk --- */

/*
 * Whether path differs between trees a and b (b NULL for a root commit):
 * 1 or 0, or a negative KX_E*.
 */
static int path_changed(git_repository *repo, git_tree *a, git_tree *b,
			const char *path)
{
	git_tree *ta = a, *tb = b, *na, *nb;
	char *buf = kx_xstrdup(path), *comp = buf, *slash;
	int ret;

	for (;;) {
		const git_tree_entry *ea, *eb;

		slash = strchr(comp, '/');
		if (slash)
			*slash = '\0';
		ea = ta ? git_tree_entry_byname(ta, comp) : NULL;
		eb = tb ? git_tree_entry_byname(tb, comp) : NULL;
		if (!ea || !eb || !git_oid_cmp(git_tree_entry_id(ea), git_tree_entry_id(eb))) {
			/* in neither, or the same: untouched; in one: touched */
			ret = !ea != !eb;
			break;
		}
		if (!slash || git_tree_entry_type(ea) != GIT_OBJECT_TREE ||
		    git_tree_entry_type(eb) != GIT_OBJECT_TREE) {
			ret = 1;
			break;
		}
		na = nb = NULL;
		if ((ret = kx_git(git_tree_lookup(&na, repo, git_tree_entry_id(ea)))) < 0 ||
		    (ret = kx_git(git_tree_lookup(&nb, repo, git_tree_entry_id(eb)))) < 0) {
			git_tree_free(na);
			break;
		}
		if (ta != a)
			git_tree_free(ta);
		if (tb != b)
			git_tree_free(tb);
		ta = na;
		tb = nb;
		comp = slash + 1;
	}
	if (ta != a)
		git_tree_free(ta);
	if (tb != b)
		git_tree_free(tb);
	free(buf);
	return ret;
}

/* Records commit c in each pending path it touched; returns how many are full. */
static int visit(struct kx_topichist_cache *cache, git_commit *c,
		 struct path_hist **pending, size_t nr, size_t *full)
{
	git_commit *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	size_t i;
	int error, changed;

	if ((error = kx_git(git_commit_tree(&tree, c))) < 0 ||
	    (git_commit_parentcount(c) &&
	     ((error = kx_git(git_commit_parent(&parent, c, 0))) < 0 ||
	      (error = kx_git(git_commit_tree(&ptree, parent))) < 0)))
		goto done;
	*full = 0;
	for (i = 0; i < nr; i++) {
		struct path_hist *h = pending[i];
		struct touch *t;

		if (h->nr >= KX_TOPICHIST_PER_FILE) {
			(*full)++;
			continue;
		}
		changed = path_changed(cache->repo, tree, ptree, h->path);
		if (changed < 0) {
			error = changed;
			goto done;
		}
		if (!changed)
			continue;
		kx_grow((void **)&h->items, &h->alloc, h->nr, sizeof(*h->items));
		t = &h->items[h->nr++];
		git_oid_cpy(&t->id, git_commit_id(c));
		t->subject = kx_xstrdup(git_commit_summary(c) ? git_commit_summary(c) : "");
		*full += h->nr >= KX_TOPICHIST_PER_FILE;
	}
done:
	git_tree_free(ptree);
	git_tree_free(tree);
	git_commit_free(parent);
	return error;
}

/* Walks from start until every pending path has its commits, or the cap. */
static int walk(struct kx_topichist_cache *cache, const git_oid *start,
		struct path_hist **pending, size_t nr)
{
	struct oidset seen = { NULL, NULL, 0, 0 };
	struct heap heap = { NULL, 0, 0, 0 };
	size_t count = 0, full = 0, i;
	git_commit *c = NULL;
	git_oid id;
	int error = 0;

	if ((error = kx_git(git_commit_lookup(&c, cache->repo, start))) < 0)
		goto done;
	oidset_insert(&seen, start);
	heap_push(&heap, git_commit_time(c), start);
	git_commit_free(c);
	c = NULL;
	while (heap.nr && count < KX_TOPICHIST_WALK && full < nr) {
		heap_pop(&heap, &id);
		if ((error = kx_git(git_commit_lookup(&c, cache->repo, &id))) < 0)
			goto done;
		count++;
		for (i = 0; i < git_commit_parentcount(c); i++) {
			const git_oid *pid = git_commit_parent_id(c, i);
			git_commit *p = NULL;

			if (!oidset_insert(&seen, pid))
				continue;
			/* a parent missing from a shallow clone ends that line */
			if (git_commit_lookup(&p, cache->repo, pid) < 0) {
				git_error_clear();
				continue;
			}
			heap_push(&heap, git_commit_time(p), pid);
			git_commit_free(p);
		}
		if (git_commit_parentcount(c) <= 1 &&
		    (error = visit(cache, c, pending, nr, &full)) < 0)
			goto done;
		git_commit_free(c);
		c = NULL;
	}
done:
	cache->walked += count;
	git_commit_free(c);
	free(heap.items);
	oidset_release(&seen);
	return error;
}

struct kx_topichist_cache *kx_topichist_cache_new(git_repository *repo)
{
	struct kx_topichist_cache *c = kx_xcalloc(1, sizeof(*c));

	c->repo = repo;
	return c;
}

void kx_topichist_cache_free(struct kx_topichist_cache *c)
{
	size_t i, k;

	if (!c)
		return;
	for (i = 0; i < c->nr; i++) {
		for (k = 0; k < c->paths[i].nr; k++)
			free(c->paths[i].items[k].subject);
		free(c->paths[i].items);
		free(c->paths[i].path);
	}
	free(c->paths);
	free(c);
}

size_t kx_topichist_walked(const struct kx_topichist_cache *c)
{
	return c ? c->walked : 0;
}

static struct path_hist *find_path(struct kx_topichist_cache *c, const char *path)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		if (!strcmp(c->paths[i].path, path))
			return &c->paths[i];
	return NULL;
}

/* Adds the paths the cache lacks, to be filled by the next walk. */
static void add_paths(struct kx_topichist_cache *c, const struct kx_strlist *paths)
{
	size_t i;

	for (i = 0; i < paths->nr; i++) {
		if (find_path(c, paths->items[i]))
			continue;
		kx_grow((void **)&c->paths, &c->alloc, c->nr, sizeof(*c->paths));
		memset(&c->paths[c->nr], 0, sizeof(c->paths[c->nr]));
		c->paths[c->nr].path = kx_xstrdup(paths->items[i]);
		c->nr++;
	}
}

void kx_topichist_cache_expect(struct kx_topichist_cache *c,
			       const struct kx_patch *patches, size_t nr)
{
	struct kx_strlist paths = KX_STRLIST_INIT;
	size_t i;

	for (i = 0; i < nr; i++) {
		if (kx_topic_ambiguous(&patches[i], &paths))
			add_paths(c, &paths);
		kx_strlist_release(&paths);
	}
}

int kx_topichist_lookup(struct kx_topichist_vote *out,
			struct kx_topichist_cache *c, const char *commit,
			const struct kx_strlist *paths)
{
	struct path_hist **pending = NULL, **hists = NULL;
	struct oidset counted = { NULL, NULL, 0, 0 };
	const char **subjects = NULL;
	size_t i, k, nr = 0, pending_nr = 0, alloc = 0;
	git_commit *cm = NULL;
	git_oid id;
	char *what = NULL;
	int error = 0;

	kx_topichist_vote_release(out);
	if (!paths->nr)
		return kx_error_set(KX_EINVALID, "no paths for the topic from history");
	if (git_oid_fromstr(&id, commit) < 0) {
		git_error_clear();
		return kx_error_set(KX_EINVALID, "bad commit id '%s'", commit);
	}
	if ((error = kx_git(git_commit_lookup(&cm, c->repo, &id))) < 0)
		return error;

	/*
	 * Grow the cache first: the pointers into it are taken once it no
	 * longer moves.  One walk fills every path not walked yet, the
	 * expected ones too.
	 */
	add_paths(c, paths);
	hists = kx_xcalloc(paths->nr, sizeof(*hists));
	for (i = 0; i < paths->nr; i++)
		hists[i] = find_path(c, paths->items[i]);
	for (i = 0; i < c->nr; i++)
		pending_nr += !c->paths[i].walked;
	if (pending_nr) {
		pending = kx_xcalloc(pending_nr, sizeof(*pending));
		for (i = 0, k = 0; i < c->nr; i++)
			if (!c->paths[i].walked)
				pending[k++] = &c->paths[i];
		for (i = 0; i < pending_nr; i++)
			pending[i]->walked = true;
		/* a root commit has no history: the paths stay empty */
		if (git_commit_parentcount(cm) &&
		    (error = walk(c, git_commit_parent_id(cm, 0), pending, pending_nr)) < 0)
			goto done;
	}

	/* one vote per commit, whichever of the paths it touched */
	for (i = 0; i < paths->nr; i++) {
		for (k = 0; k < hists[i]->nr; k++) {
			if (!oidset_insert(&counted, &hists[i]->items[k].id))
				continue;
			kx_grow((void **)&subjects, &alloc, nr, sizeof(*subjects));
			subjects[nr++] = hists[i]->items[k].subject;
		}
	}
	what = paths->nr == 1 ? kx_xstrdup(paths->items[0]) :
	       kx_xasprintf("%s and %zu more", paths->items[0], paths->nr - 1);
	kx_topichist_vote(out, subjects, nr, what);
done:
	if (error < 0) {
		/* the paths this walk could not fill stay empty for the run */
		for (i = 0; i < pending_nr; i++) {
			struct path_hist *h = pending[i];

			for (k = 0; k < h->nr; k++)
				free(h->items[k].subject);
			h->nr = 0;
		}
	}
	free(what);
	free(subjects);
	free(pending);
	free(hists);
	oidset_release(&counted);
	git_commit_free(cm);
	return error;
}

char *kx_topichist_env(void *data, const char *commit,
		       const struct kx_strlist *paths, char **reason)
{
	struct kx_topichist_vote v = KX_TOPICHIST_VOTE_INIT;
	char *prefix;

	*reason = NULL;
	if (kx_topichist_lookup(&v, data, commit, paths) < 0) {
		/* a hint, not a fact: no history topic rather than a failure */
		kx_error_clear();
		kx_topichist_vote_release(&v);
		return NULL;
	}
	prefix = v.prefix;
	if (prefix) {
		*reason = v.reason;
		v.reason = NULL;
		v.prefix = NULL;
	}
	kx_topichist_vote_release(&v);
	return prefix;
}
