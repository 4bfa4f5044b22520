// SPDX-License-Identifier: GPL-2.0-only
/*
 * check-base's facts from a repository.  Everything here is a git query;
 * the decision is made by kx_base_decide() over plain data.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <git2.h>

#include "io.h"
#include "kvmx86/branch.h"
#include "kvmx86/checkbase.h"
#include "kvmx86/error.h"
#include "kvmx86/seriesplan.h"

#define KX_X86_URL "https://github.com/kvm-x86/linux.git"

/* An open-addressing set of object ids. */
struct oidset {
	git_oid *slots;		/* zero id: empty */
	size_t nr, alloc;	/* alloc is a power of two */
};

static size_t oid_hash(const git_oid *oid)
{
	size_t h;

	memcpy(&h, oid->id, sizeof(h));
	return h;
}

/* Adds oid; returns false if it was there already. */
static bool oidset_insert(struct oidset *s, const git_oid *oid)
{
	size_t i;

	if ((s->nr + 1) * 2 > s->alloc) {
		struct oidset bigger = { NULL, 0, s->alloc ? s->alloc * 2 : 256 };

		bigger.slots = kx_xcalloc(bigger.alloc, sizeof(*bigger.slots));
		for (i = 0; i < s->alloc; i++)
			if (!git_oid_is_zero(&s->slots[i]))
				oidset_insert(&bigger, &s->slots[i]);
		free(s->slots);
		*s = bigger;
	}
	for (i = oid_hash(oid) & (s->alloc - 1);
	     !git_oid_is_zero(&s->slots[i]);
	     i = (i + 1) & (s->alloc - 1))
		if (!git_oid_cmp(&s->slots[i], oid))
			return false;
	git_oid_cpy(&s->slots[i], oid);
	s->nr++;
	return true;
}

static bool oidset_contains(const struct oidset *s, const git_oid *oid)
{
	size_t i;

	if (!s->alloc)
		return false;
	for (i = oid_hash(oid) & (s->alloc - 1);
	     !git_oid_is_zero(&s->slots[i]);
	     i = (i + 1) & (s->alloc - 1))
		if (!git_oid_cmp(&s->slots[i], oid))
			return true;
	return false;
}

/* A v* tag peeled to its commit, with its version for ordering. */
struct tag {
	char *name;
	git_oid commit;
	int major, minor, rc;	/* rc == 0: a final release */
	int stable;		/* v6.2.1: 1; a stable release, not mainline */
};

/* The Fixes: targets of one series commit that this repository has. */
struct targets {
	git_oid *ids;
	size_t nr, alloc;
};

/*
 * The facts that cost a walk of history and that only some decisions read
 * (struct kx_base_lookups): kept with the facts, walked when asked.
 */
struct kx_checkbase_history {
	struct kx_base_lookups lookups;
	git_repository *repo;
	git_repository *owned;		/* repo, when gather opened it */
	git_oid fork;
	bool has_cycle;
	git_oid cycle;			/* the cycle rc's commit */
	int fork_in_cycle;		/* -1: not asked yet */
	/* this cycle's mainline: newest release..<kvm>/master (or newest rc) */
	bool have_master, have_final, have_rc;
	git_oid master, final, rc;
	/* <x86>/fixes: fixes for this cycle routed through the KVM x86 tree */
	bool have_fixes;
	git_oid fixes;
	bool cycle_set_loaded;
	struct oidset mainline_set;	/* see load_cycle_set() */
	struct targets *targets;	/* per series commit */
	size_t targets_nr, targets_alloc;
};

struct ctx {
	git_repository *repo;
	git_config *cfg;
	struct kx_checkbase *out;
	struct kx_checkbase_history *h;
	struct tag *tags;
	size_t tags_nr, tags_alloc;
	git_oid next, fork;
	const struct tag *newest_final, *newest_rc;
	struct oidset old_next;		/* see load_old_next() */
	git_oid b4_cover;		/* b4's cover commit, if the series had one */
	bool branches_only;		/* no tags: only the trees' branches */
	bool config_error;		/* a kvmx86.* key names what is not there */
	struct kx_strlist mainline;	/* remotes of Linus' tree */
	struct kx_series_diffs *diffs;	/* the series model's, or its own */
};

static void oid_hex(char out[41], const git_oid *oid)
{
	git_oid_tostr(out, 41, oid);
}

/*
 * Parses "v6.3", "v6.3-rc2" or the stable "v6.3.1"; other v* tags (such
 * as v2.6.11-tree) are rejected.
 */
static bool parse_version(const char *name, struct tag *t)
{
	char *end;

	if (name[0] != 'v' || !isdigit((unsigned char)name[1]))
		return false;
	t->major = (int)strtol(name + 1, &end, 10);
	if (*end != '.' || !isdigit((unsigned char)end[1]))
		return false;
	t->minor = (int)strtol(end + 1, &end, 10);
	t->rc = t->stable = 0;
	if (*end == '.' && isdigit((unsigned char)end[1]))
		t->stable = (int)strtol(end + 1, &end, 10);
	if (!*end)
		return true;
	if (t->stable || strncmp(end, "-rc", 3) || !isdigit((unsigned char)end[3]))
		return false;
	t->rc = (int)strtol(end + 3, &end, 10);
	return !*end && t->rc > 0;
}

/* Does version a come after b?  vX.Y comes after every vX.Y-rcN. */
static bool version_after(const struct tag *a, const struct tag *b)
{
	if (a->major != b->major)
		return a->major > b->major;
	if (a->minor != b->minor)
		return a->minor > b->minor;
	if (!a->rc || !b->rc)
		return !a->rc && b->rc;
	return a->rc > b->rc;
}

static int collect_tag(const char *refname, void *payload)
{
	struct ctx *c = payload;
	const char *name = refname + strlen("refs/tags/");
	struct tag t;

	/* unversioned v* tags (v2.6.11-tree) name no base */
	if (!parse_version(name, &t))
		return 0;
	t.name = kx_xstrdup(name);
	kx_grow((void **)&c->tags, &c->tags_alloc, c->tags_nr,
		sizeof(*c->tags));
	c->tags[c->tags_nr++] = t;
	return 0;
}

/* Orders versions (major, minor), newest first. */
static int cmp_tag_version(const void *a, const void *b)
{
	const struct tag *x = a, *y = b;

	if (x->major != y->major)
		return x->major > y->major ? -1 : 1;
	if (x->minor != y->minor)
		return x->minor > y->minor ? -1 : 1;
	return 0;
}

/*
 * Keeps the tags of the newest three versions, peeled to their commits.
 * Older tags are ancestors of every KVM tree: they name no base worth
 * checking, and peeling the 1,500 tags of a kernel repository would cost
 * more than everything else together.
 */
static void keep_recent_tags(struct ctx *c)
{
	size_t i, kept = 0, versions = 0;

	qsort(c->tags, c->tags_nr, sizeof(*c->tags), cmp_tag_version);
	for (i = 0; i < c->tags_nr; i++) {
		struct tag *t = &c->tags[i];
		char *refname;

		if (!i || cmp_tag_version(&c->tags[i - 1], t))
			versions++;
		refname = kx_xasprintf("refs/tags/%s", t->name);
		/* a tag of a tree or blob is no base either */
		if (versions <= 3 && !kx_git_resolve_commit(&t->commit, c->repo, refname))
			c->tags[kept++] = *t;
		else
			free(t->name);
		free(refname);
	}
	c->tags_nr = kept;
	kx_error_clear();
}

/* 0 if remote name is there, else an error naming key, the configuration's. */
static int configured_remote(struct ctx *c, const char *name, const char *key,
			     const char *tree)
{
	git_remote *remote = NULL;
	int error;

	if (git_remote_lookup(&remote, c->repo, name) == 0) {
		git_remote_free(remote);
		return 0;
	}
	git_error_clear();
	c->config_error = true;
	error = kx_error_set(KX_ENOTFOUND, "there is no remote '%s' (%s names it)",
			     name, key);
	kx_error_hint("git remote -v lists the remotes; unset %s to find %s by its URL",
		      key, tree);
	return error;
}

/* Finds the remotes of the two trees by URL, unless config names them. */
static int find_remotes(struct ctx *c)
{
	struct kx_checkbase *out = c->out;
	git_config_iterator *it = NULL;
	git_config_entry *entry;
	bool kvm_configured;
	int error;

	kx_config_string(&out->x86_remote, c->cfg, "kvmx86.x86Remote");
	kx_config_string(&out->kvm_remote, c->cfg, "kvmx86.kvmRemote");
	kvm_configured = out->kvm_remote != NULL;
	/*
	 * remote.<name>.url from a plain config iteration: git_remote_list()
	 * matches a regex, and libgit2 1.5 leaks pcre2 data on every key the
	 * regex does not match (fixed in 1.6).  First match wins, as in
	 * git's config order.
	 */
	if ((error = kx_git(git_config_iterator_new(&it, c->cfg))) < 0)
		return error;
	while (git_config_next(&entry, it) == 0) {
		const char *name = entry->name, *dot;

		if (strncasecmp(name, "remote.", 7) ||
		    !(dot = strrchr(name + 7, '.')) ||
		    strcasecmp(dot, ".url") || dot == name + 7)
			continue;
		if (!out->x86_remote && kx_url_is_kvm_x86(entry->value))
			out->x86_remote = kx_xstrndup(name + 7,
						      (size_t)(dot - name - 7));
		else if (!out->kvm_remote && kx_url_is_kvm(entry->value))
			out->kvm_remote = kx_xstrndup(name + 7,
						      (size_t)(dot - name - 7));
		else if (kx_url_is_mainline(entry->value))
			kx_strlist_addf(&c->mainline, "%.*s",
					(int)(dot - name - 7), name + 7);
	}
	git_config_iterator_free(it);
	kx_error_clear();

	if (!out->x86_remote) {
		error = kx_error_set(KX_ENOTFOUND,
				     "no remote points to the KVM x86 tree (github.com/kvm-x86/linux)");
		kx_error_hint("add it and fetch it:\n"
			      "  git remote add kvm-x86 " KX_X86_URL "\n"
			      "  git fetch kvm-x86\n"
			      "or name your remote with: git config kvmx86.x86Remote <name>");
		return error;
	}
	/* no kvm/master would make a current-release fix look wrong */
	if (kvm_configured &&
	    (error = configured_remote(c, out->kvm_remote, "kvmx86.kvmRemote",
				       "the KVM tree")) < 0)
		return error;
	if (!kx_branch_name_is_safe(out->x86_remote) ||
	    (out->kvm_remote && !kx_branch_name_is_safe(out->kvm_remote))) {
		error = kx_error_set(KX_EINVALID,
				     "remote name '%s' has characters that are unsafe in a shell command",
				     kx_branch_name_is_safe(out->x86_remote) ?
				     out->kvm_remote : out->x86_remote);
		kx_error_hint("rename it: git remote rename <old> <new>");
		return error;
	}
	return 0;
}

struct ref_payload {
	struct ctx *c;
	size_t prefix_len;
	bool x86;
};

static int collect_remote_ref(const char *refname, void *payload)
{
	struct ref_payload *p = payload;
	struct ctx *c = p->c;
	const char *branch = refname + p->prefix_len;
	enum kx_cand_kind kind;
	char *name;
	char hex[41];
	git_oid oid;

	if (!strcmp(branch, "HEAD"))
		return 0;
	if (p->x86) {
		if (!strcmp(branch, "next"))
			kind = KX_CAND_NEXT;
		else if (!strcmp(branch, "fixes"))
			kind = KX_CAND_FIXES;
		else
			kind = KX_CAND_TOPIC;
	} else if (!strcmp(branch, "master")) {
		kind = KX_CAND_KVM_MASTER;
	} else if (!strcmp(branch, "next")) {
		kind = KX_CAND_KVM_NEXT;
	} else {
		return 0;
	}
	if (kx_git_resolve_commit(&oid, c->repo, refname) < 0) {
		/* a base left out unsaid could change the verdict unseen */
		kx_strlist_addf(&c->out->warnings,
				"%s/%s was not considered as a base: %s (git fetch %s puts it right)",
				p->x86 ? c->out->x86_remote : c->out->kvm_remote,
				branch, kx_error_last(),
				p->x86 ? c->out->x86_remote : c->out->kvm_remote);
		kx_error_clear();
		return 0;
	}
	if (kind == KX_CAND_KVM_MASTER) {
		c->h->have_master = true;
		git_oid_cpy(&c->h->master, &oid);
	} else if (kind == KX_CAND_FIXES) {
		c->h->have_fixes = true;
		git_oid_cpy(&c->h->fixes, &oid);
	}
	oid_hex(hex, &oid);
	name = kx_xasprintf("%s/%s", p->x86 ? c->out->x86_remote :
			    c->out->kvm_remote, branch);
	kx_base_facts_add(&c->out->facts, name, kind, hex);
	free(name);
	return 0;
}

static int collect_candidates(struct ctx *c)
{
	struct kx_checkbase *out = c->out;
	struct ref_payload p = { c, 0, true };
	char *glob, *nextref;
	size_t i;
	int error;

	nextref = kx_xasprintf("refs/remotes/%s/next", out->x86_remote);
	error = kx_git_resolve_commit(&c->next, c->repo, nextref);
	free(nextref);
	/* there, and damaged: its error says what to do */
	if (error < 0 && error != KX_ENOTFOUND)
		return error;
	if (error < 0) {
		/* kvmx86.x86Remote may name a remote that is not there at all */
		if ((error = configured_remote(c, out->x86_remote, "kvmx86.x86Remote",
					       "the KVM x86 tree")) < 0)
			return error;
		error = kx_error_set(KX_ENOTFOUND, "%s/next is missing",
				     out->x86_remote);
		kx_error_hint("fetch the KVM x86 tree: git fetch %s",
			      out->x86_remote);
		return error;
	}

	/* next first: the order breaks ties between candidates */
	glob = kx_xasprintf("refs/remotes/%s/*", out->x86_remote);
	p.prefix_len = strlen(glob) - 1;
	error = git_reference_foreach_glob(c->repo, glob, collect_remote_ref, &p);
	free(glob);
	if (error < 0)
		return kx_git(error);
	for (i = 0; i < out->facts.cands_nr; i++) {
		if (out->facts.cands[i].kind == KX_CAND_NEXT && i) {
			struct kx_candidate tmp = out->facts.cands[0];

			out->facts.cands[0] = out->facts.cands[i];
			out->facts.cands[i] = tmp;
		}
	}
	if (out->kvm_remote) {
		p.x86 = false;
		glob = kx_xasprintf("refs/remotes/%s/*", out->kvm_remote);
		p.prefix_len = strlen(glob) - 1;
		error = git_reference_foreach_glob(c->repo, glob,
						   collect_remote_ref, &p);
		free(glob);
		if (error < 0)
			return kx_git(error);
	}

	if (c->branches_only)
		return 0;
	error = git_reference_foreach_glob(c->repo, "refs/tags/v[0-9]*",
					   collect_tag, c);
	if (error < 0)
		return kx_git(error);
	keep_recent_tags(c);
	return 0;
}

static int cmp_oid_tag(const void *a, const void *b)
{
	return git_oid_cmp(&((const struct tag *)a)->commit,
			   &((const struct tag *)b)->commit);
}

/* A max-heap of commits by commit time: a date-ordered walk. */
struct heap_item {
	int64_t time;
	git_oid oid;
	uint64_t flags;
};

struct heap {
	struct heap_item *items;
	size_t nr, alloc;
};

static void heap_push(struct heap *h, int64_t time, const git_oid *oid,
		      uint64_t flags)
{
	size_t i;

	kx_grow((void **)&h->items, &h->alloc, h->nr, sizeof(*h->items));
	i = h->nr++;
	while (i && h->items[(i - 1) / 2].time < time) {
		h->items[i] = h->items[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->items[i].time = time;
	h->items[i].flags = flags;
	git_oid_cpy(&h->items[i].oid, oid);
}

static struct heap_item heap_pop(struct heap *h)
{
	struct heap_item top = h->items[0], last = h->items[--h->nr];
	size_t i = 0;

	for (;;) {
		size_t child = 2 * i + 1;

		if (child >= h->nr)
			break;
		if (child + 1 < h->nr &&
		    h->items[child + 1].time > h->items[child].time)
			child++;
		if (h->items[child].time <= last.time)
			break;
		h->items[i] = h->items[child];
		i = child;
	}
	if (h->nr)
		h->items[i] = last;
	return top;
}

static const struct tag *tag_at(const struct ctx *c, const git_oid *oid)
{
	struct tag key;

	git_oid_cpy(&key.commit, oid);
	return bsearch(&key, c->tags, c->tags_nr, sizeof(*c->tags), cmp_oid_tag);
}

/*
 * The v* tag that <x86>/next is built on: the first tagged commit met
 * walking back from next, newest first (what git describe would name).
 * libgit2 1.5's sorted revwalks visit the whole history first, so this
 * walk keeps its own queue and stops at the first tag.
 */
static const struct tag *find_cycle_rc(struct ctx *c)
{
	struct heap h = { NULL, 0, 0 };
	struct oidset seen = { NULL, 0, 0 };
	const struct tag *found = NULL;

	if (!c->tags_nr)
		return NULL;
	qsort(c->tags, c->tags_nr, sizeof(*c->tags), cmp_oid_tag);
	heap_push(&h, INT64_MAX, &c->next, 1);
	while (h.nr && !found && seen.nr < 200000) {
		struct heap_item it = heap_pop(&h);
		git_commit *commit = NULL;
		unsigned p;

		if (!oidset_insert(&seen, &it.oid))
			continue;
		if ((found = tag_at(c, &it.oid)))
			break;
		if (git_commit_lookup(&commit, c->repo, &it.oid) < 0)
			break;
		for (p = 0; p < git_commit_parentcount(commit); p++) {
			git_commit *parent = NULL;

			if (git_commit_parent(&parent, commit, p) < 0)
				continue;
			heap_push(&h, git_commit_time(parent),
				  git_commit_id(parent), 1);
			git_commit_free(parent);
		}
		git_commit_free(commit);
	}
	free(seen.slots);
	free(h.items);
	git_error_clear();
	return found;
}

/* An open-addressing map from object ids to 64-bit flags. */
struct oidflags {
	git_oid *keys;		/* zero id: empty */
	uint64_t *vals;
	size_t nr, alloc;	/* alloc is a power of two */
};

static uint64_t *oidflags_at(struct oidflags *m, const git_oid *oid)
{
	size_t i;

	if ((m->nr + 1) * 2 > m->alloc) {
		struct oidflags bigger = { NULL, NULL, 0, m->alloc ? m->alloc * 2 : 256 };

		bigger.keys = kx_xcalloc(bigger.alloc, sizeof(*bigger.keys));
		bigger.vals = kx_xcalloc(bigger.alloc, sizeof(*bigger.vals));
		for (i = 0; i < m->alloc; i++)
			if (!git_oid_is_zero(&m->keys[i]))
				*oidflags_at(&bigger, &m->keys[i]) = m->vals[i];
		free(m->keys);
		free(m->vals);
		*m = bigger;
	}
	for (i = oid_hash(oid) & (m->alloc - 1); !git_oid_is_zero(&m->keys[i]);
	     i = (i + 1) & (m->alloc - 1))
		if (!git_oid_cmp(&m->keys[i], oid))
			return &m->vals[i];
	git_oid_cpy(&m->keys[i], oid);
	m->nr++;
	return &m->vals[i];
}

/* Commit dates may run a little backwards (clock skew); git allows a day. */
#define KX_DATE_SLOP (24 * 60 * 60)

/*
 * Which of tips[] (at most 64) reach target: bit i of the result is set
 * when tips[i] is target or has it as an ancestor.  One date-ordered walk
 * from every tip at once, that stops below target's commit date: what is
 * older cannot be a descendant of target.  Without a commit-graph this is
 * what keeps "does not contain" cheap, where a merge-base query walks
 * down to the common ancestor.
 */
static uint64_t paint_reaches(git_repository *repo, const git_oid *tips,
			      size_t nr, const git_oid *target)
{
	struct oidflags seen = { NULL, NULL, 0, 0 };
	struct heap h = { NULL, 0, 0 };
	uint64_t all = nr >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << nr) - 1;
	uint64_t found = 0;
	git_commit *commit = NULL;
	int64_t cutoff;
	size_t i;

	if (git_commit_lookup(&commit, repo, target) < 0)
		goto done;
	cutoff = git_commit_time(commit) - KX_DATE_SLOP;
	git_commit_free(commit);
	for (i = 0; i < nr && i < 64; i++) {
		if (git_commit_lookup(&commit, repo, &tips[i]) < 0)
			continue;
		heap_push(&h, git_commit_time(commit), &tips[i], (uint64_t)1 << i);
		git_commit_free(commit);
	}
	while (h.nr && found != all) {
		struct heap_item it = heap_pop(&h);
		uint64_t *done_flags, flags;
		unsigned p;

		if (it.time < cutoff)
			break;	/* all that is left is older still */
		done_flags = oidflags_at(&seen, &it.oid);
		flags = it.flags & ~*done_flags;
		if (!flags)
			continue;
		*done_flags |= flags;
		if (!git_oid_cmp(&it.oid, target)) {
			found |= flags;
			continue;
		}
		if (git_commit_lookup(&commit, repo, &it.oid) < 0)
			continue;
		for (p = 0; p < git_commit_parentcount(commit); p++) {
			git_commit *parent = NULL;

			if (git_commit_parent(&parent, commit, p) < 0)
				continue;
			heap_push(&h, git_commit_time(parent),
				  git_commit_id(parent), flags);
			git_commit_free(parent);
		}
		git_commit_free(commit);
	}
done:
	free(seen.keys);
	free(seen.vals);
	free(h.items);
	git_error_clear();
	return found;
}

static void find_newest_tags(struct ctx *c)
{
	size_t i;

	for (i = 0; i < c->tags_nr; i++) {
		const struct tag *t = &c->tags[i];

		if (t->stable)
			continue;	/* not in mainline's history */
		if (!t->rc && (!c->newest_final || version_after(t, c->newest_final)))
			c->newest_final = t;
		if (t->rc && (!c->newest_rc || version_after(t, c->newest_rc)))
			c->newest_rc = t;
	}
	if ((c->h->have_final = c->newest_final))
		git_oid_cpy(&c->h->final, &c->newest_final->commit);
	if ((c->h->have_rc = c->newest_rc))
		git_oid_cpy(&c->h->rc, &c->newest_rc->commit);
}

/* Is ancestor reachable from (or equal to) descendant? */
static bool reaches(git_repository *repo, const git_oid *descendant,
		    const git_oid *ancestor)
{
	return paint_reaches(repo, descendant, 1, ancestor) & 1;
}

static size_t count_between(git_repository *repo, const git_oid *from,
			    const git_oid *to)
{
	git_revwalk *walk = NULL;
	git_oid oid;
	size_t n = 0;

	if (git_revwalk_new(&walk, repo) < 0 ||
	    git_revwalk_push(walk, to) < 0 || git_revwalk_hide(walk, from) < 0)
		goto done;
	while (!git_revwalk_next(&oid, walk))
		n++;
done:
	git_revwalk_free(walk);
	git_error_clear();
	return n;
}

/* Adds to set every commit reachable from tips[] but not from hide. */
static void collect_range(struct oidset *set, git_repository *repo,
			  const git_oid *tips, size_t nr, const git_oid *hide)
{
	git_revwalk *walk = NULL;
	git_oid oid;
	size_t i;

	if (git_revwalk_new(&walk, repo) < 0)
		goto done;
	for (i = 0; i < nr; i++)
		git_revwalk_push(walk, &tips[i]);
	if (hide)
		git_revwalk_hide(walk, hide);
	while (!git_revwalk_next(&oid, walk))
		oidset_insert(set, &oid);
done:
	git_revwalk_free(walk);
	git_error_clear();
}

/*
 * The commits of this cycle's mainline: newest release..<kvm>/master (or
 * the newest rc without it).  One walk, made the first time a Fixes: needs
 * it: without a commit-graph a reachability query per Fixes: costs more,
 * and a negative one ("not in the release") walks the whole cycle anyway.
 */
static void load_cycle_set(struct kx_checkbase_history *h)
{
	const git_oid *hide = h->have_final ? &h->final : NULL;

	if (h->cycle_set_loaded)
		return;
	h->cycle_set_loaded = true;
	if (h->have_master)
		collect_range(&h->mainline_set, h->repo, &h->master, 1, hide);
	else if (h->have_rc)
		collect_range(&h->mainline_set, h->repo, &h->rc, 1, hide);
	kx_trace("check-base: cycle set");
}

/*
 * Is target in this cycle's mainline: reachable from <kvm>/master (or the
 * newest rc) and not from the newest release?  A target committed after
 * the release is painted for from both, which walks only what is newer
 * than it; an older one is looked up in the cycle's commit set, which
 * costs one walk of the cycle instead of all history since the target.
 */
static bool in_this_cycle(struct kx_checkbase_history *h,
			  const git_oid *target)
{
	const git_oid *mainline = h->have_master ? &h->master :
				  h->have_rc ? &h->rc : NULL;
	git_commit *final = NULL, *commit = NULL;
	git_oid tips[2];
	uint64_t found;
	bool newer = false;

	if (!mainline)
		return false;
	if (!h->have_final)
		return reaches(h->repo, mainline, target);
	if (git_commit_lookup(&final, h->repo, &h->final) == 0 &&
	    git_commit_lookup(&commit, h->repo, target) == 0)
		newer = git_commit_time(commit) >
			git_commit_time(final) + KX_DATE_SLOP;
	git_commit_free(commit);
	git_commit_free(final);
	git_error_clear();
	if (!newer) {
		load_cycle_set(h);
		return oidset_contains(&h->mainline_set, target);
	}
	git_oid_cpy(&tips[0], mainline);
	git_oid_cpy(&tips[1], &h->final);
	found = paint_reaches(h->repo, tips, 2, target);
	return found == 1;
}

/*
 * The commit that a Fixes: value names, if this repository has it; where
 * it lives is asked later, if the decision needs it (lookup_fix()).
 */
static bool fix_target(git_oid *out, git_repository *repo, const char *value)
{
	git_object *obj = NULL;
	git_oid oid;
	size_t len = 0;
	bool found = false;

	while (isxdigit((unsigned char)value[len]))
		len++;
	if (len >= 4 && len <= GIT_OID_HEXSZ &&
	    git_oid_fromstrn(&oid, value, len) == 0 &&
	    git_object_lookup_prefix(&obj, repo, &oid, len,
				     GIT_OBJECT_COMMIT) == 0) {
		git_oid_cpy(out, git_object_id(obj));
		found = true;
	}
	git_object_free(obj);
	git_error_clear();
	return found;
}

/*
 * Is target one of <x86>/fixes' own commits, above the newest release: a
 * fix for this cycle queued in the KVM x86 tree ("In the unlikely event
 * that a fix for the current cycle is routed through the KVM x86 tree, it
 * will be applied to the fixes branch")?
 */
static bool in_x86_fixes(struct kx_checkbase_history *h, const git_oid *target)
{
	git_oid tips[2];

	if (!h->have_fixes || !h->have_final)
		return false;
	git_oid_cpy(&tips[0], &h->fixes);
	git_oid_cpy(&tips[1], &h->final);
	return paint_reaches(h->repo, tips, 2, target) == 1;
}

/* kx_base_lookups.fix: CURRENT if a target of commit i is in this cycle */
static enum kx_fix_target lookup_fix(void *data, size_t i)
{
	struct kx_checkbase_history *h = data;
	enum kx_fix_target where = KX_FIX_UNKNOWN;
	size_t k;

	for (k = 0; i < h->targets_nr && k < h->targets[i].nr; k++) {
		/* released, a bug of next, or of another tree */
		where = KX_FIX_OTHER;
		if (in_this_cycle(h, &h->targets[i].ids[k]) ||
		    in_x86_fixes(h, &h->targets[i].ids[k]))
			return KX_FIX_CURRENT;
	}
	return where;
}

/* kx_base_lookups.fork_in_cycle */
static bool lookup_fork_in_cycle(void *data)
{
	struct kx_checkbase_history *h = data;

	if (h->fork_in_cycle < 0) {
		h->fork_in_cycle = h->has_cycle &&
				   reaches(h->repo, &h->fork, &h->cycle);
		kx_trace("check-base: fork in cycle");
	}
	return h->fork_in_cycle;
}

static void classify_hunk(void *data, const char *header,
			  const struct kx_diff_line *lines, unsigned nr)
{
	struct kx_file_change *f = data;
	unsigned i;

	(void)header;
	for (i = 0; i < nr; i++) {
		f->added += lines[i].origin == '+';
		f->removed += lines[i].origin == '-';
	}
	kx_classify_hunk(f->path, lines, nr, f->kinds);
}

/*
 * Fills the files of commit kc from its diff against its parent, the
 * series model's: only common and other-arch lines decide the scope.
 */
static int add_files(struct kx_commit *kc, struct ctx *c, git_commit *commit)
{
	struct kx_commit_diff *cd;
	size_t i;
	int error;

	if ((error = kx_commit_diff(&cd, c->diffs, c->repo, commit)) >= 0)
		for (i = 0; i < cd->nr && error >= 0; i++) {
			struct kx_file_change *f = kx_commit_add_file(kc, cd->files[i].path);

			if (f->area == KX_AREA_COMMON || f->area == KX_AREA_OTHER_ARCH)
				error = kx_diff_file_hunks(c->repo, &cd->files[i],
							   classify_hunk, f);
		}
	kx_commit_finish(kc);
	return error;
}

/*
 * Hides every candidate (v* tags included), and mainline's master where a
 * remote of Linus' tree has it: the series is what none has.  Mainline is
 * no base, but its commits are no one's series either (a branch started
 * on master between two rcs).
 */
static int hide_candidates(struct ctx *c, git_revwalk *walk)
{
	size_t i;
	int error;

	for (i = 0; i < c->out->facts.cands_nr; i++) {
		git_oid oid;

		git_oid_fromstr(&oid, c->out->facts.cands[i].tip);
		if ((error = kx_git(git_revwalk_hide(walk, &oid))) < 0)
			return error;
	}
	for (i = 0; i < c->mainline.nr; i++) {
		char *ref = kx_xasprintf("refs/remotes/%s/master", c->mainline.items[i]);
		git_oid oid;

		if (kx_git_ref_commit(&oid, c->repo, ref) == 0)
			git_revwalk_hide(walk, &oid);
		git_error_clear();
		kx_error_clear();
		free(ref);
	}
	return 0;
}

/* The values <x86>/next had, from its reflog (fetches record them). */
static void load_old_next(struct ctx *c)
{
	git_reflog *log = NULL;
	char *ref = kx_xasprintf("refs/remotes/%s/next", c->out->x86_remote);
	size_t i, n;

	if (git_reflog_read(&log, c->repo, ref) == 0) {
		n = git_reflog_entrycount(log);
		for (i = 0; i < n; i++) {
			const git_reflog_entry *e = git_reflog_entry_byindex(log, i);

			if (!git_oid_is_zero(git_reflog_entry_id_old(e)))
				oidset_insert(&c->old_next, git_reflog_entry_id_old(e));
			if (!git_oid_is_zero(git_reflog_entry_id_new(e)))
				oidset_insert(&c->old_next, git_reflog_entry_id_new(e));
		}
	}
	git_reflog_free(log);
	free(ref);
	git_error_clear();
}

/* Did a value of <x86>/next, current or old, contain commit? */
static bool in_old_next(struct ctx *c, const git_oid *commit)
{
	git_oid tips[64];
	size_t i, nr = 0;

	for (i = 0; i < c->old_next.alloc; i++) {
		if (git_oid_is_zero(&c->old_next.slots[i]))
			continue;
		git_oid_cpy(&tips[nr++], &c->old_next.slots[i]);
		if (nr == ARRAY_SIZE(tips)) {
			if (paint_reaches(c->repo, tips, nr, commit))
				return true;
			nr = 0;
		}
	}
	return nr && paint_reaches(c->repo, tips, nr, commit);
}

/*
 * Is merge the top of a pile of merges down to the KVM refs, such as an
 * old <x86>/next rebuilt since?  Then it is a base, not part of the series:
 * its first-parent line holds no commit of its own until it leaves the
 * series.
 */
static bool merges_only(struct ctx *c, const struct oidset *series,
			git_commit *merge)
{
	git_commit *cur = NULL;
	git_oid oid;
	bool only = true;

	git_oid_cpy(&oid, git_commit_id(merge));
	while (only && oidset_contains(series, &oid)) {
		if (git_commit_lookup(&cur, c->repo, &oid) < 0)
			break;
		only = git_commit_parentcount(cur) > 1;
		git_oid_cpy(&oid, git_commit_parent_id(cur, 0));
		git_commit_free(cur);
	}
	git_error_clear();
	return only;
}

/* Appends commit to the series with its files and Fixes: targets. */
static int add_series_commit(struct ctx *c, git_commit *commit)
{
	struct kx_checkbase *out = c->out;
	struct kx_strlist fixes = KX_STRLIST_INIT;
	git_commit *parent = NULL;
	struct kx_commit *kc;
	struct targets *t;
	char hex[41];
	size_t i;
	int error;

	oid_hex(hex, git_commit_id(commit));
	kc = kx_series_add(&out->series, hex, git_commit_summary(commit));
	kx_message_fixes(&fixes, git_commit_message(commit));
	kx_grow((void **)&c->h->targets, &c->h->targets_alloc,
		c->h->targets_nr, sizeof(*c->h->targets));
	t = &c->h->targets[c->h->targets_nr++];
	memset(t, 0, sizeof(*t));
	for (i = 0; i < fixes.nr; i++) {
		git_oid target;

		if (!fix_target(&target, c->repo, fixes.items[i])) {
			if (kc->fix < KX_FIX_UNKNOWN)
				kc->fix = KX_FIX_UNKNOWN;
			continue;
		}
		kx_grow((void **)&t->ids, &t->alloc, t->nr, sizeof(*t->ids));
		git_oid_cpy(&t->ids[t->nr++], &target);
		kc->fix = KX_FIX_PENDING;
	}
	if (fixes.nr)
		kc->fixes = kx_xstrdup(fixes.items[0]);
	kx_strlist_release(&fixes);
	error = kx_git(git_commit_parent(&parent, commit, 0));
	if (!error)
		error = add_files(kc, c, commit);
	git_commit_free(parent);
	return error;
}

/*
 * The commits of tip that no KVM ref or release has (nor bottom, if set),
 * down its first parents to the fork point (c->fork), oldest first:
 * check-base's series of a revision or a range, or the unpublished commits
 * below an enrolled base.
 */
static int walk_series(struct ctx *c, const git_oid *tip, const git_oid *bottom)
{
	struct kx_checkbase *out = c->out;
	git_revwalk *walk = NULL;
	struct oidset series = { NULL, 0, 0 };
	git_commit **chain = NULL;
	size_t chain_nr = 0, chain_alloc = 0;
	git_oid oid;
	int error;

	if ((error = kx_git(git_revwalk_new(&walk, c->repo))) < 0)
		goto done;
	/* unsorted: libgit2 1.5 visits all history to sort (see above) */
	git_revwalk_sorting(walk, GIT_SORT_NONE);
	if ((error = kx_git(git_revwalk_push(walk, tip))) < 0 ||
	    (error = hide_candidates(c, walk)) < 0 ||
	    (bottom && (error = kx_git(git_revwalk_hide(walk, bottom))) < 0))
		goto done;

	/* the tip and everything the walk says is in none of the bases */
	while ((error = git_revwalk_next(&oid, walk)) == 0)
		oidset_insert(&series, &oid);
	if (error != GIT_ITEROVER) {
		error = kx_git(error);
		goto done;
	}
	error = 0;

	/*
	 * Merges are refused, so the series is one chain down from the tip.
	 * It ends early at an old <x86>/next (force-pushed away): what lies
	 * below is the old next, not the series.
	 */
	load_old_next(c);
	git_oid_cpy(&oid, tip);
	git_oid_cpy(&c->fork, tip);
	while (oidset_contains(&series, &oid) &&
	       !oidset_contains(&c->old_next, &oid)) {
		git_commit *commit = NULL;
		char hex[41];

		if ((error = kx_git(git_commit_lookup(&commit, c->repo, &oid))) < 0)
			goto done;
		oid_hex(hex, &oid);
		if (git_commit_parentcount(commit) > 1 &&
		    (merges_only(c, &series, commit) || in_old_next(c, &oid))) {
			git_commit_free(commit);
			break;
		}
		if (git_commit_parentcount(commit) > 1) {
			error = kx_series_merge_error(hex, git_commit_summary(commit),
						      false);
			git_commit_free(commit);
			goto done;
		}
		if (git_commit_parentcount(commit) == 0) {
			error = kx_error_set(KX_EINVALID,
					     "the series reaches the root commit %.12s: it shares no history with the KVM trees",
					     hex);
			kx_error_hint("unrelated histories: create the branch from %s/next, or give a range BASE..TIP",
				      out->x86_remote);
			git_commit_free(commit);
			goto done;
		}
		kx_grow((void **)&chain, &chain_alloc, chain_nr, sizeof(*chain));
		chain[chain_nr++] = commit;
		git_oid_cpy(&oid, git_commit_parent_id(commit, 0));
	}
	/* b4's empty cover commit at the bottom is no patch: the base is below */
	if (chain_nr && kx_is_b4_cover(chain[chain_nr - 1])) {
		git_oid_cpy(&oid, git_commit_parent_id(chain[chain_nr - 1], 0));
		git_oid_cpy(&c->b4_cover, git_commit_id(chain[chain_nr - 1]));
		git_commit_free(chain[--chain_nr]);
		kx_strlist_addf(&out->warnings,
				"%.12s is b4's cover letter commit, not a patch: left out of the series",
				git_oid_tostr_s(&c->b4_cover));
	}
	git_oid_cpy(&c->fork, &oid);

	/* oldest first */
	while (chain_nr && !error) {
		git_commit *commit = chain[--chain_nr];

		error = add_series_commit(c, commit);
		git_commit_free(commit);
	}
done:
	while (chain_nr)
		git_commit_free(chain[--chain_nr]);
	free(chain);
	free(series.slots);
	git_revwalk_free(walk);
	return error;
}

static void place_fork(struct ctx *c, const struct tag *cycle)
{
	struct kx_base_facts *f = &c->out->facts;
	struct kx_candidate *painted[64];
	git_oid tips[64];
	uint64_t found;
	size_t i, nr = 0;
	bool any = false;

	oid_hex(f->fork, &c->fork);
	for (i = 0; i < f->cands_nr; i++) {
		struct kx_candidate *cand = &f->cands[i];
		git_oid tip;

		git_oid_fromstr(&tip, cand->tip);
		if (!git_oid_cmp(&tip, &c->fork)) {
			cand->contains_fork = true;	/* distance 0 */
		} else if (cand->kind == KX_CAND_TAG && !cand->cycle_rc) {
			/* other tags name the fork only when they are it */
		} else if (nr < ARRAY_SIZE(tips)) {
			painted[nr] = cand;
			git_oid_cpy(&tips[nr++], &tip);
		} else {
			cand->contains_fork = reaches(c->repo, &tip, &c->fork);
		}
	}
	found = paint_reaches(c->repo, tips, nr, &c->fork);
	for (i = 0; i < nr; i++)
		painted[i]->contains_fork = found & ((uint64_t)1 << i);
	for (i = 0; i < f->cands_nr; i++) {
		struct kx_candidate *cand = &f->cands[i];
		git_oid tip;

		if (!cand->contains_fork)
			continue;
		/* kvm/next keeps an old next's commits, merged: see base.c */
		any |= cand->kind != KX_CAND_KVM_NEXT;
		git_oid_fromstr(&tip, cand->tip);
		cand->distance = count_between(c->repo, &c->fork, &tip);
	}
	/* fork_in_cycle: a walk down to the rc, made if the decision asks */
	git_oid_cpy(&c->h->fork, &c->fork);
	if ((c->h->has_cycle = cycle))
		git_oid_cpy(&c->h->cycle, &cycle->commit);
	if (!any)
		f->fork_in_old_next = in_old_next(c, &c->fork);
}

/* The handbook's --base=auto trap: an upstream that is not a KVM tree. */
static void check_upstream(struct ctx *c)
{
	struct kx_checkbase *out = c->out;
	git_buf remote = GIT_BUF_INIT;
	char *refname;

	if (!out->facts.branch)
		return;
	refname = kx_xasprintf("refs/heads/%s", out->facts.branch);
	if (git_branch_upstream_remote(&remote, c->repo, refname) == 0 &&
	    strcmp(remote.ptr, out->x86_remote) &&
	    (!out->kvm_remote || strcmp(remote.ptr, out->kvm_remote)))
		kx_strlist_addf(&out->warnings,
				"the upstream of %s is on remote '%s', not a KVM tree: git format-patch --base=auto would take the base from it; use --base=$(kvmx86 check-base --print-base) or set the upstream to %s/next",
				out->facts.branch,
				strcmp(remote.ptr, ".") ? remote.ptr : "(local)",
				out->x86_remote);
	git_buf_dispose(&remote);
	free(refname);
	git_error_clear();
}

static void check_topic(struct ctx *c)
{
	struct kx_checkbase *out = c->out;
	char topic[128];
	size_t i;

	if (!out->facts.branch ||
	    kx_branch_topic(topic, sizeof(topic), out->facts.branch) < 0)
		return;
	out->facts.target_topic = kx_xstrdup(topic);
	for (i = 0; i < out->facts.cands_nr; i++) {
		const struct kx_candidate *cand = &out->facts.cands[i];
		const char *slash = strrchr(cand->name, '/');

		if (cand->kind <= KX_CAND_TOPIC && slash && !strcmp(slash + 1, topic))
			return;
	}
	kx_strlist_addf(&out->warnings,
			"branch %s names topic '%s', but %s has no branch %s/%s",
			out->facts.branch, topic, out->x86_remote,
			out->x86_remote, topic);
}

static int read_config(struct ctx *c)
{
	struct kx_base_config *cfg = &c->out->config;
	int error;

	if ((error = kx_config_uint(&cfg->superficial_lines, c->cfg,
				    "kvmx86.superficialLines")) < 0) {
		kx_error_hint("a number of lines: git config kvmx86.superficialLines %u, or git config --unset kvmx86.superficialLines",
			      KX_SUPERFICIAL_LINES_DEFAULT);
		return error;
	}
	if ((error = kx_config_bool(&cfg->count_decls, c->cfg,
				    "kvmx86.countDeclarations")) < 0) {
		kx_error_hint("a boolean: git config kvmx86.countDeclarations true, or git config --unset kvmx86.countDeclarations");
		return error;
	}
	if ((error = kx_config_bool(&cfg->count_renames, c->cfg,
				    "kvmx86.countRenames")) < 0)
		kx_error_hint("a boolean: git config kvmx86.countRenames true, or git config --unset kvmx86.countRenames");
	return error;
}

/*
 * check-base's facts: the KVM trees, the series (with given, the commits
 * resolved elsewhere above base, and what lies below base that no KVM ref
 * has; without, the commits of tip that no KVM ref has), the fork point.
 */
static int gather(struct kx_checkbase *out, git_repository *repo,
		  const char *branch, const char *tip_hex, const char *bottom_hex,
		  const struct kx_checkbase_given *given)
{
	git_oid bottom;
	struct ctx c;
	const struct tag *cycle;
	git_oid oid;
	size_t i;
	int error;

	memset(&c, 0, sizeof(c));
	c.out = out;
	c.repo = repo;
	c.diffs = given && given->diffs ? given->diffs : kx_series_diffs_new();
	c.h = out->history = kx_xcalloc(1, sizeof(*c.h));
	c.h->repo = repo;
	c.h->fork_in_cycle = -1;
	c.h->lookups.fork_in_cycle = lookup_fork_in_cycle;
	c.h->lookups.fix = lookup_fix;
	c.h->lookups.data = c.h;
	if (git_repository_is_shallow(c.repo)) {
		error = kx_error_set(KX_EINVALID,
				     "this is a shallow clone: the history needed to find the base is missing");
		kx_error_hint("fetch the whole history: git fetch --unshallow");
		out->trees_unusable = true;
		goto done;
	}
	/* the remedy names the branch; a range's series may do without */
	if (branch && !kx_branch_name_is_safe(branch) && bottom_hex)
		branch = NULL;
	if (branch && !kx_branch_name_is_safe(branch)) {
		error = kx_error_set(KX_EINVALID,
				     "branch name '%s' has characters that are unsafe to paste into a shell command",
				     branch);
		kx_error_hint("rename it, e.g. git branch -m '%s' x86/<topic>/<name>",
			      branch);
		goto done;
	}
	out->facts.branch = branch ? kx_xstrdup(branch) : NULL;
	if ((error = kx_git(git_repository_config_snapshot(&c.cfg, c.repo))) < 0)
		goto done;
	if ((error = read_config(&c)) < 0) {
		out->config_bad = true;
		goto done;
	}
	if ((error = find_remotes(&c)) < 0 ||
	    (error = collect_candidates(&c)) < 0) {
		/* no trees to compare with, unless the configuration is wrong */
		out->config_bad = c.config_error;
		out->trees_unusable = !c.config_error;
		goto done;
	}

	kx_trace("check-base: trees and refs");
	cycle = find_cycle_rc(&c);
	kx_trace("check-base: cycle rc");
	find_newest_tags(&c);
	/* Tags that may name the fork: the cycle rc, the newest final and rc. */
	for (i = 0; i < c.tags_nr; i++) {
		char hex[41];
		struct kx_candidate *cand;

		oid_hex(hex, &c.tags[i].commit);
		cand = kx_base_facts_add(&out->facts, c.tags[i].name,
					 KX_CAND_TAG, hex);
		cand->cycle_rc = &c.tags[i] == cycle;
	}
	if (cycle)
		out->cycle_rc = kx_xstrdup(cycle->name);

	git_oid_fromstr(&oid, given ? given->base : tip_hex);
	if (bottom_hex)
		git_oid_fromstr(&bottom, bottom_hex);
	if ((error = walk_series(&c, &oid, bottom_hex ? &bottom : NULL)) < 0)
		goto done;
	/* with a given series, what the walk found lies below its base */
	out->prerequisites = given ? out->series.nr : 0;
	for (i = 0; given && i < given->nr && !error; i++) {
		git_commit *commit = NULL;
		git_oid id;

		git_oid_fromstr(&id, given->ids[i]);
		if (!(error = kx_git(git_commit_lookup(&commit, c.repo, &id))))
			error = add_series_commit(&c, commit);
		git_commit_free(commit);
	}
	if (error < 0)
		goto done;
	if (!out->series.nr) {
		error = kx_error_set(KX_EINVALID,
				     "the series is empty: %s has no commits that %s/next and the other KVM refs lack",
				     branch ? branch : tip_hex, out->x86_remote);
		kx_error_hint("commit your changes first, or give a range: kvmx86 check-base <base>..<branch>");
		goto done;
	}
	if (!git_oid_is_zero(&c.b4_cover))
		oid_hex(out->b4_cover, &c.b4_cover);
	memcpy(out->facts.tip, out->series.commits[out->series.nr - 1].id,
	       sizeof(out->facts.tip));
	kx_trace("check-base: series");
	place_fork(&c, cycle);
	kx_trace("check-base: fork point");
	check_upstream(&c);
	check_topic(&c);
	out->facts.lookups = &c.h->lookups;
done:
	for (i = 0; i < c.tags_nr; i++)
		free(c.tags[i].name);
	free(c.tags);
	free(c.old_next.slots);
	kx_strlist_release(&c.mainline);
	git_config_free(c.cfg);
	if (!(given && given->diffs))
		kx_series_diffs_free(c.diffs);
	return error;
}

int kx_checkbase_gather_tip(struct kx_checkbase *out, struct git_repository *repo,
			    const char *branch, const char *tip, const char *bottom)
{
	return gather(out, repo, branch, tip, bottom, NULL);
}

int kx_checkbase_gather_given(struct kx_checkbase *out, struct git_repository *repo,
			      const char *branch,
			      const struct kx_checkbase_given *given)
{
	return gather(out, repo, branch, NULL, NULL, given);
}

static void history_free(struct kx_checkbase_history *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < h->targets_nr; i++)
		free(h->targets[i].ids);
	free(h->targets);
	free(h->mainline_set.slots);
	git_repository_free(h->owned);
	free(h);
}

void kx_checkbase_release(struct kx_checkbase *cb)
{
	cb->facts.lookups = NULL;
	history_free(cb->history);
	cb->history = NULL;
	kx_series_release(&cb->series);
	kx_base_facts_release(&cb->facts);
	kx_strlist_release(&cb->warnings);
	free(cb->x86_remote);
	free(cb->kvm_remote);
	free(cb->cycle_rc);
	cb->x86_remote = cb->kvm_remote = cb->cycle_rc = NULL;
}

bool kx_is_b4_cover(git_commit *commit)
{
	git_commit *parent = NULL;
	bool empty;

	if (git_commit_parentcount(commit) != 1 ||
	    !strstr(git_commit_message(commit), KX_B4_TRACKING_MARKER) ||
	    git_commit_parent(&parent, commit, 0) < 0) {
		git_error_clear();
		return false;
	}
	empty = !git_oid_cmp(git_commit_tree_id(commit),
			     git_commit_tree_id(parent));
	git_commit_free(parent);
	return empty;
}

/*
 * The KVM trees alone, for the look-ups that need no series: c reads
 * repo's configuration and finds the remotes into cb.  ctx_close() undoes
 * it, whatever ctx_open() returned.
 */
static int ctx_open(struct ctx *c, struct kx_checkbase *cb,
		    struct kx_checkbase_history *h, git_repository *repo,
		    bool branches_only)
{
	int error;

	memset(c, 0, sizeof(*c));
	memset(h, 0, sizeof(*h));
	c->out = cb;
	c->h = h;
	c->repo = repo;
	c->branches_only = branches_only;
	if ((error = kx_git(git_repository_config_snapshot(&c->cfg, repo))) < 0)
		return error;
	return find_remotes(c);
}

static void ctx_close(struct ctx *c, struct kx_checkbase *cb)
{
	size_t i;

	for (i = 0; i < c->tags_nr; i++)
		free(c->tags[i].name);
	free(c->tags);
	kx_strlist_release(&c->mainline);
	git_config_free(c->cfg);
	kx_checkbase_release(cb);
}

int kx_trees_lookup(struct kx_trees *out, git_repository *repo)
{
	struct kx_checkbase cb = KX_CHECKBASE_INIT;
	struct kx_checkbase_history h;
	struct ctx c;
	size_t i;
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = ctx_open(&c, &cb, &h, repo, false)) < 0 ||
	    (error = collect_candidates(&c)) < 0)
		goto done;
	oid_hex(out->next, &c.next);
	out->x86_remote = kx_xstrdup(cb.x86_remote);
	for (i = 0; i < cb.facts.cands_nr; i++)
		if (cb.facts.cands[i].kind == KX_CAND_TOPIC)
			kx_strlist_add(&out->topics,
				       strchr(cb.facts.cands[i].name, '/') + 1);
done:
	ctx_close(&c, &cb);
	return error;
}

int kx_checkbase_is_kvm_tip(bool *out, struct git_repository *repo,
			    const char *hex, const char *hint)
{
	struct kx_checkbase cb = KX_CHECKBASE_INIT;
	struct kx_checkbase_history h;
	struct ctx c;
	size_t i;
	int error;

	*out = false;
	if ((error = ctx_open(&c, &cb, &h, repo, true)) < 0)
		goto done;
	/* the ref the base was taken from, when it is a KVM branch: one look-up */
	if (hint && ((kx_starts_with(hint, cb.x86_remote) &&
		      hint[strlen(cb.x86_remote)] == '/') ||
		     (cb.kvm_remote && kx_starts_with(hint, cb.kvm_remote) &&
		      hint[strlen(cb.kvm_remote)] == '/'))) {
		char *ref = kx_xasprintf("refs/remotes/%s", hint), tip[41];
		git_oid oid;

		if (!git_reference_name_to_id(&oid, repo, ref)) {
			oid_hex(tip, &oid);
			*out = !strcmp(tip, hex);
		}
		git_error_clear();
		free(ref);
		if (*out)
			goto done;
	}
	if ((error = collect_candidates(&c)) < 0)
		goto done;
	for (i = 0; i < cb.facts.cands_nr; i++)
		if (!strcmp(cb.facts.cands[i].tip, hex))
			*out = true;
done:
	ctx_close(&c, &cb);
	return error;
}

int kx_kvm_refs_load(struct kx_kvm_refs *out, git_repository *repo, bool tags)
{
	struct kx_checkbase cb = KX_CHECKBASE_INIT;
	struct kx_checkbase_history h;
	struct ctx c;
	size_t i;
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = ctx_open(&c, &cb, &h, repo, !tags)) < 0 ||
	    (error = collect_candidates(&c)) < 0)
		goto done;
	for (i = 0; i < c.tags_nr; i++) {
		char hex[41];

		oid_hex(hex, &c.tags[i].commit);
		kx_base_facts_add(&cb.facts, c.tags[i].name, KX_CAND_TAG, hex);
	}
	out->x86_remote = cb.x86_remote;
	out->kvm_remote = cb.kvm_remote;
	cb.x86_remote = cb.kvm_remote = NULL;
	out->refs = cb.facts;
	memset(&cb.facts, 0, sizeof(cb.facts));
done:
	ctx_close(&c, &cb);
	return error;
}

const struct kx_candidate *kx_kvm_refs_find(const struct kx_kvm_refs *r,
					    const char *name)
{
	size_t i;

	for (i = 0; name && i < r->refs.cands_nr; i++)
		if (!strcmp(r->refs.cands[i].name, name))
			return &r->refs.cands[i];
	return NULL;
}

void kx_kvm_refs_release(struct kx_kvm_refs *r)
{
	free(r->x86_remote);
	free(r->kvm_remote);
	kx_base_facts_release(&r->refs);
	memset(r, 0, sizeof(*r));
}

void kx_trees_release(struct kx_trees *t)
{
	free(t->x86_remote);
	kx_strlist_release(&t->topics);
	memset(t, 0, sizeof(*t));
}
