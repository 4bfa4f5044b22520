// SPDX-License-Identifier: GPL-2.0-only
/*
 * The series resolver: the one place that turns what the user named into
 * the branch, its state, the base and the commits.  Every command starts
 * here (resolve.h); core decides (seriesplan.h), this reads the repository.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "io.h"
#include "kvmx86/safe.h"
#include "kvmx86/checkbase.h"
#include "kvmx86/error.h"
#include "kvmx86/resolve.h"
#include "kvmx86/seriesplan.h"

#define REPO(s) ((git_repository *)(s)->prep.repo)

/* A first-parent walk gives up after this many commits. */
#define WALK_MAX 100000

static void oid_hex(char out[41], const git_oid *oid)
{
	git_oid_tostr(out, 41, oid);
}

/* The local branch that rev names exactly, or NULL (caller frees). */
static char *local_branch(git_repository *repo, const char *rev)
{
	git_reference *ref = NULL;
	char *name = NULL;

	if (kx_starts_with(rev, "refs/heads/")) {
		if (git_reference_lookup(&ref, repo, rev) == 0)
			name = kx_xstrdup(rev + strlen("refs/heads/"));
	} else if (git_branch_lookup(&ref, repo, rev, GIT_BRANCH_LOCAL) == 0) {
		name = kx_xstrdup(git_reference_shorthand(ref));
	}
	git_reference_free(ref);
	git_error_clear();
	return name;
}

/*
 * The branch HEAD is on (unborn included), or NULL when detached: HEAD's
 * own file, as `git symbolic-ref HEAD` reads it, without opening the
 * object database as git_repository_head_detached() would.
 */
static char *head_branch(git_repository *repo, bool *detached)
{
	git_reference *head = NULL;
	const char *target;
	char *name = NULL;

	*detached = false;
	if (git_reference_lookup(&head, repo, "HEAD") < 0) {
		git_error_clear();
		return NULL;
	}
	target = git_reference_symbolic_target(head);
	*detached = !target;
	if (target && kx_starts_with(target, "refs/heads/"))
		name = kx_xstrdup(target + strlen("refs/heads/"));
	git_reference_free(head);
	return name;
}

/* Whether kvmx86 has a state for branch name (a branch renamed or gone). */
static bool has_state_file(const char *commondir, const char *name)
{
	char *file = kx_state_file_name(name);
	char *path = kx_xasprintf("%skvmx86/state/%s", commondir, file);
	bool found = access(path, F_OK) == 0;

	free(file);
	free(path);
	return found;
}

/*
 * The branch of what was named: HEAD's, a revision that is a local branch
 * (or a branch kvmx86 still has a state for), a range's right side.
 */
static char *named_branch(struct kx_resolved *s, git_repository *repo,
			  const struct kx_series_arg *a, const char *commondir)
{
	const char *rev = a->kind == KX_NAMED_REV ? a->rev :
			  a->kind == KX_NAMED_RANGE ? a->right : "HEAD";
	char *name;

	if (!strcmp(rev, "HEAD") || !strcmp(rev, "@")) {
		bool detached;

		name = head_branch(repo, &detached);
		if (a->kind != KX_NAMED_RANGE)
			s->detached = detached;
		return name;
	}
	if ((name = local_branch(repo, rev)))
		return name;
	if (a->kind == KX_NAMED_REV && has_state_file(commondir, rev))
		return kx_xstrdup(rev);
	return NULL;
}

/* Walks first parents down from tip until a point, a merge or the root. */
static int walk_chain(struct kx_chain_commit **out, size_t *nr,
		      struct kx_strlist *subjects, git_repository *repo,
		      const git_oid *tip, const struct kx_base_point *points,
		      size_t points_nr)
{
	size_t alloc = 0, i;
	git_oid oid;
	int error = 0;

	*out = NULL;
	*nr = 0;
	git_oid_cpy(&oid, tip);
	while (*nr < WALK_MAX) {
		git_commit *c = NULL;
		struct kx_chain_commit *cc;
		bool stop = false;

		if ((error = kx_git(git_commit_lookup(&c, repo, &oid))) < 0)
			break;
		kx_grow((void **)out, &alloc, *nr, sizeof(**out));
		cc = &(*out)[(*nr)++];
		oid_hex(cc->id, &oid);
		cc->parents = git_commit_parentcount(c);
		cc->b4_cover = kx_is_b4_cover(c);
		/* the strings stay put as the list grows */
		kx_strlist_add(subjects, git_commit_summary(c) ?
			       git_commit_summary(c) : "");
		cc->subject = subjects->items[subjects->nr - 1];
		for (i = 0; i < points_nr && !stop; i++)
			stop = !strcmp(points[i].id, cc->id);
		if (stop || cc->parents != 1) {
			git_commit_free(c);
			break;
		}
		git_oid_cpy(&oid, git_commit_parent_id(c, 0));
		git_commit_free(c);
	}
	return error;
}

struct points {
	struct kx_base_point *items;
	size_t nr, alloc;
	struct kx_strlist names;	/* the refs' names, owned */
};

static void point_add(struct points *p, const char *hex, enum kx_point_kind kind,
		      const char *ref)
{
	struct kx_base_point *bp;

	kx_grow((void **)&p->items, &p->alloc, p->nr, sizeof(*p->items));
	bp = &p->items[p->nr++];
	memcpy(bp->id, hex, sizeof(bp->id));
	bp->id[40] = '\0';
	bp->kind = kind;
	bp->ref = NULL;
	if (ref) {
		/* the strings stay put as the list grows */
		kx_strlist_add(&p->names, ref);
		bp->ref = p->names.items[p->names.nr - 1];
	}
}

static void points_release(struct points *p)
{
	free(p->items);
	kx_strlist_release(&p->names);
	memset(p, 0, sizeof(*p));
}

/* The values the tracked ref had, from its reflog (fetches record them). */
static void add_reflog_points(struct points *p, git_repository *repo,
			      const char *ref)
{
	git_reflog *log = NULL;
	char *name = kx_xasprintf("refs/remotes/%s", ref), hex[41];
	size_t i, n;

	if (git_reflog_read(&log, repo, name) == 0) {
		n = git_reflog_entrycount(log);
		for (i = 0; i < n; i++) {
			const git_reflog_entry *e = git_reflog_entry_byindex(log, i);

			if (git_oid_is_zero(git_reflog_entry_id_new(e)))
				continue;
			oid_hex(hex, git_reflog_entry_id_new(e));
			point_add(p, hex, KX_POINT_TRACKED_OLD, ref);
		}
	}
	git_reflog_free(log);
	free(name);
	git_error_clear();
}

/*
 * The base points of an enrolled branch: its recorded base and, when that
 * tracks a ref, the ref's tip and its old values.  Enough unless the branch
 * was rebased onto another ref: the second pass (all) adds the tips of the
 * KVM trees' branches and the release tags, and tells from the trees
 * whether the recorded ref is one of them.  *tracked says whether the
 * base follows a ref.
 */
static void enrolled_points(struct points *p, bool *tracked,
			    git_repository *repo, const struct kx_state *st,
			    bool all)
{
	struct kx_kvm_refs refs;
	const struct kx_candidate *own = NULL;
	char *name, hex[41];
	git_oid oid;
	size_t i;

	point_add(p, st->base_commit, KX_POINT_RECORDED, NULL);
	*tracked = false;
	if (!st->base_ref)
		return;
	if (!all) {
		/* one look-up: what enrollment recorded was a KVM ref then */
		name = kx_xasprintf("refs/remotes/%s", st->base_ref);
		if (kx_git_ref_commit(&oid, repo, name) == 0) {
			oid_hex(hex, &oid);
			point_add(p, hex, KX_POINT_TRACKED, st->base_ref);
			add_reflog_points(p, repo, st->base_ref);
			*tracked = true;
		} else if (kx_starts_with(st->base_ref, "v")) {
			free(name);
			name = kx_xasprintf("refs/tags/%s", st->base_ref);
			if (kx_git_ref_commit(&oid, repo, name) == 0) {
				oid_hex(hex, &oid);
				point_add(p, hex, KX_POINT_TRACKED, st->base_ref);
				*tracked = true;
			}
		}
		kx_error_clear();
		free(name);
		return;
	}
	if (kx_kvm_refs_load(&refs, repo, true) < 0) {
		kx_error_clear();
		return;
	}
	own = kx_kvm_refs_find(&refs, st->base_ref);
	if (own) {
		*tracked = true;
		point_add(p, own->tip, KX_POINT_TRACKED, own->name);
		if (own->kind != KX_CAND_TAG)
			add_reflog_points(p, repo, own->name);
	}
	for (i = 0; *tracked && i < refs.refs.cands_nr; i++)
		if (&refs.refs.cands[i] != own)
			point_add(p, refs.refs.cands[i].tip, KX_POINT_KVM_REF,
				  refs.refs.cands[i].name);
	kx_kvm_refs_release(&refs);
}

/* Fills the series and the range from the walk and core's decision. */
static void take_chain(struct kx_resolved *s, const struct kx_chain_commit *chain,
		       const struct kx_follow *f)
{
	size_t i, n = f->top - (f->cover_skipped ? 1 : 0);
	struct kx_prep_range *r = &s->prep.range;

	memset(r, 0, sizeof(*r));
	memcpy(r->end, chain[0].id, sizeof(r->end));
	memcpy(r->base, f->base, sizeof(r->base));
	memcpy(r->from, f->cover_skipped ? chain[f->top - 1].id : f->base,
	       sizeof(r->from));
	for (i = n; i-- > 0;)
		kx_series_add(&s->series, chain[i].id, chain[i].subject);
	if (n)
		memcpy(r->start, chain[n - 1].id, sizeof(r->start));
	r->count = n;
	s->prep.range_valid = true;
	/* b4's cover commit made anew (a git rebase): the state follows it */
	if (f->cover_skipped && s->prep.state.b4_cover_commit &&
	    strcmp(s->prep.state.b4_cover_commit, chain[f->top - 1].id)) {
		free(s->prep.state.b4_cover_commit);
		s->prep.state.b4_cover_commit = kx_xstrdup(chain[f->top - 1].id);
	}
}

static int gather_walk(struct kx_resolved *s, const git_oid *tip,
		       const char *bottom, bool *unusable, bool *config_bad);

/*
 * BASE..TIP: the commits above their merge base that no KVM ref has, which
 * must be linear; without the KVM trees, all of them.
 */
static int resolve_range(struct kx_resolved *s, const struct kx_series_arg *a,
			 const char *text)
{
	struct kx_strlist subjects = KX_STRLIST_INIT;
	struct kx_chain_commit *chain = NULL;
	struct kx_follow f = KX_FOLLOW_INIT;
	struct kx_follow_input in;
	struct points p;
	git_oid left, tip, mb;
	char hex[41];
	size_t nr = 0;
	bool unusable, config_bad;
	int error;

	memset(&p, 0, sizeof(p));
	if ((error = kx_git_resolve_commit(&left, REPO(s), a->left)) < 0 ||
	    (error = kx_git_resolve_commit(&tip, REPO(s), a->right)) < 0) {
		/* a damaged object's error says what to do */
		if (error == KX_ENOTFOUND)
			kx_error_hint("give a range of two revisions: <base>..<tip>");
		return error;
	}
	if ((error = git_merge_base(&mb, REPO(s), &left, &tip)) < 0) {
		/* the history could not be read: a damaged object, say */
		if (error != GIT_ENOTFOUND)
			return kx_git(error);
		git_error_clear();
		error = kx_error_set(KX_EINVALID, "'%s' has no common history", text);
		kx_error_hint("give a range whose sides share history: <base>..<tip>");
		return error;
	}
	oid_hex(hex, &mb);
	s->base_how = KX_BASE_RANGE;
	/* what a KVM ref has is no part of it: v6.3-rc2..topic is topic's own */
	if ((error = gather_walk(s, &tip, hex, &unusable, &config_bad)) == 0)
		return 0;
	if (!unusable) {
		if (kx_starts_with(kx_error_last(), "the series is empty")) {
			error = kx_error_set(KX_EINVALID,
					     "the series is empty: every commit of %s is in a KVM branch or release",
					     text);
			kx_error_hint("a range names your own commits: <base>..<your branch>");
		}
		return error;
	}
	/* no KVM trees: the range as git reads it */
	s->alone_reason = kx_xstrdup(kx_error_last());
	s->alone_hint = kx_xstrdup(kx_error_last_hint());
	kx_error_clear();
	point_add(&p, hex, KX_POINT_RECORDED, NULL);
	if ((error = walk_chain(&chain, &nr, &subjects, REPO(s), &tip, p.items,
				p.nr)) < 0)
		goto done;
	memset(&in, 0, sizeof(in));
	in.branch = text;
	in.source = KX_SOURCE_RANGE;
	in.recorded = hex;
	in.chain = chain;
	in.chain_nr = nr;
	in.points = p.items;
	in.points_nr = p.nr;
	if ((error = kx_base_follow(&f, &in)) < 0)
		goto done;
	s->base_how = KX_BASE_RANGE;
	take_chain(s, chain, &f);
done:
	kx_follow_release(&f);
	free(chain);
	kx_strlist_release(&subjects);
	points_release(&p);
	return error;
}

/*
 * An enrolled branch: from its tip down to its base, which follows.  With
 * range_only, the range cache answers when it was written for this tip,
 * base and b4 cover commit (commits never change, so neither does it).
 */
static int resolve_enrolled(struct kx_resolved *s, bool range_only)
{
	struct kx_state *st = &s->prep.state;
	struct kx_strlist subjects = KX_STRLIST_INIT;
	struct kx_chain_commit *chain = NULL;
	struct kx_follow f = KX_FOLLOW_INIT;
	struct kx_follow_input in;
	struct points p;
	char *ref = kx_xasprintf("refs/heads/%s", s->prep.branch);
	git_oid tip, base;
	bool tracked = false;
	size_t nr = 0;
	int error, pass;

	memset(&p, 0, sizeof(p));
	if (!st->base_commit || git_oid_fromstr(&base, st->base_commit) < 0) {
		error = kx_error_set(KX_EINVALID, "the state of %s has no base",
				     s->prep.branch);
		{
			char *w = kx_shell_word(s->prep.branch);

			kx_error_hint("record it: kvmx86 prep --enroll --base <rev> %s", w);
			free(w);
		}
		goto done;
	}
	memcpy(s->recorded_base, st->base_commit, sizeof(s->recorded_base));
	/*
	 * The cache holds the commit the branch was peeled to: a branch whose
	 * own target is that id names that commit, and no object needs to be
	 * read (a pack opened, zlib loaded) to answer from the cache.
	 */
	if (range_only && git_reference_name_to_id(&tip, REPO(s), ref) == 0) {
		char hex[41];

		oid_hex(hex, &tip);
		if (kx_prep_cached_range(&s->prep, hex)) {
			s->base_how = st->base_ref ? KX_BASE_RECORDED : KX_BASE_GIVEN;
			s->base_ref = st->base_ref ? kx_xstrdup(st->base_ref) : NULL;
			error = 0;
			goto done;
		}
	}
	git_error_clear();
	if ((error = kx_git_ref_commit(&tip, REPO(s), ref)) < 0)
		goto done;
	if (range_only) {
		char hex[41];

		oid_hex(hex, &tip);
		if (kx_prep_cached_range(&s->prep, hex)) {
			s->base_how = st->base_ref ? KX_BASE_RECORDED : KX_BASE_GIVEN;
			s->base_ref = st->base_ref ? kx_xstrdup(st->base_ref) : NULL;
			goto done;
		}
	}
	/* the branches first; the release tags only if they are needed */
	for (pass = 0; pass < 2; pass++) {
		points_release(&p);
		kx_strlist_release(&subjects);
		free(chain);
		chain = NULL;
		enrolled_points(&p, &tracked, REPO(s), st, pass);
			if ((error = walk_chain(&chain, &nr, &subjects, REPO(s), &tip,
					p.items, p.nr)) < 0)
			goto done;
		memset(&in, 0, sizeof(in));
		in.branch = s->prep.branch;
		in.source = KX_SOURCE_ENROLLED;
		in.recorded = st->base_commit;
		in.recorded_ref = st->base_ref;
		in.tracked = tracked;
		in.chain = chain;
		in.chain_nr = nr;
		in.points = p.items;
		in.points_nr = p.nr;
		in.b4_cover = st->b4_cover_commit;
		kx_follow_release(&f);
		if ((error = kx_base_follow(&f, &in)) == 0 || !tracked)
			break;
	}
	/*
	 * A merge met on the way down, when the recorded base is not below
	 * the tip at all: the branch was moved onto something else (a stacked
	 * series onto its reworked lower branch, whose KVM base is a merge).
	 * That is what to say, not the merge, which is not the series'.
	 */
	if (error == KX_EINVALID && kx_starts_with(kx_error_last(), "merge commit ")) {
		git_oid rec;

		if (st->base_commit && git_oid_fromstr(&rec, st->base_commit) == 0 &&
		    git_graph_descendant_of(REPO(s), &tip, &rec) == 0) {
			error = kx_error_set(KX_EINVALID,
					     "the recorded base %.12s of %s is no longer below its tip: the branch was moved onto other commits",
					     st->base_commit, s->prep.branch);
			kx_error_hint("record the base it sits on now (the change-id and revision stay):\n"
				      "  kvmx86 prep --enroll --base <rev> %s", s->prep.branch);
		}
		git_error_clear();
	}
	if (error < 0)
		goto done;
	take_chain(s, chain, &f);
	s->base_how = f.how;
	s->base_ref = f.ref ? kx_xstrdup(f.ref) : NULL;
	if (!f.note)
		kx_prep_cache_range(&s->prep);
	if (f.note) {
		/* what a state written later records (kx_prep_save) */
		kx_strlist_add(&s->notes, f.note);
		free(st->base_commit);
		st->base_commit = kx_xstrdup(f.base);
		free(st->base_ref);
		st->base_ref = f.ref ? kx_xstrdup(f.ref) : NULL;
	}
done:
	kx_follow_release(&f);
	free(chain);
	free(ref);
	kx_strlist_release(&subjects);
	points_release(&p);
	return error;
}

/* The tip alone, when there is nothing to find a series with. */
static int resolve_alone(struct kx_resolved *s, const git_oid *tip)
{
	struct kx_prep_range *r = &s->prep.range;
	git_commit *c = NULL;
	int error;

	if ((error = kx_git(git_commit_lookup(&c, REPO(s), tip))) < 0)
		return error;
	memset(r, 0, sizeof(*r));
	oid_hex(r->end, tip);
	memcpy(r->start, r->end, sizeof(r->start));
	if (git_commit_parentcount(c))
		oid_hex(r->base, git_commit_parent_id(c, 0));
	memcpy(r->from, r->base, sizeof(r->from));
	r->count = 1;
	kx_series_add(&s->series, r->end, git_commit_summary(c));
	git_commit_free(c);
	s->alone = true;
	return 0;
}

/*
 * check-base's series of the tip: the commits no KVM ref has (nor bottom,
 * when set).  *unusable tells a failure for want of the KVM trees.
 */
static int gather_walk(struct kx_resolved *s, const git_oid *tip,
		       const char *bottom, bool *unusable, bool *config_bad)
{
	struct kx_checkbase *cb = kx_xcalloc(1, sizeof(*cb));
	struct kx_prep_range *r = &s->prep.range;
	char hex[41];
	size_t i;
	int error;

	*cb = (struct kx_checkbase)KX_CHECKBASE_INIT;
	oid_hex(hex, tip);
	error = kx_checkbase_gather_tip(cb, REPO(s), s->prep.branch, hex, bottom);
	*unusable = cb->trees_unusable;
	*config_bad = cb->config_bad;
	if (error < 0) {
		kx_checkbase_release(cb);
		free(cb);
		return error;
	}
	s->checkbase = cb;
	memset(r, 0, sizeof(*r));
	memcpy(r->end, hex, sizeof(r->end));
	memcpy(r->base, cb->facts.fork, sizeof(r->base));
	memcpy(r->from, cb->b4_cover[0] ? cb->b4_cover : cb->facts.fork,
	       sizeof(r->from));
	for (i = 0; i < cb->series.nr; i++)
		kx_series_add(&s->series, cb->series.commits[i].id,
			      cb->series.commits[i].subject);
	if (s->series.nr)
		memcpy(r->start, s->series.commits[0].id, sizeof(r->start));
	r->count = s->series.nr;
	s->prep.range_valid = true;
	for (i = 0; i < cb->warnings.nr; i++)
		if (strstr(cb->warnings.items[i], "b4's cover letter commit"))
			kx_strlist_add(&s->notes, cb->warnings.items[i]);
	return 0;
}

/* check-base's series of a revision, or with alone_ok the tip alone. */
static int resolve_fork_point(struct kx_resolved *s, const git_oid *tip,
			      const char *named, bool alone_ok)
{
	bool unusable, config_bad;
	int error;

	s->base_how = KX_BASE_FORK_POINT;
	if ((error = gather_walk(s, tip, NULL, &unusable, &config_bad)) == 0)
		return 0;
	if (s->detached && error == KX_EINVALID && !strcmp(named, "HEAD") &&
	    kx_starts_with(kx_error_last(), "the series is empty")) {
		error = kx_error_set(KX_EINVALID,
				     "HEAD is detached and has no commits beyond the KVM trees: nothing to compare");
		kx_error_hint("check out your series branch, or name it: kvmx86 <command> <branch>");
	}
	/* a bad kvmx86.* value is the user's to fix, never advice */
	if (!alone_ok || config_bad)
		return error;
	s->alone_reason = kx_xstrdup(kx_error_last());
	s->alone_hint = kx_xstrdup(kx_error_last_hint());
	kx_error_clear();
	/* the reason the series was not found: no KVM trees, a merge, ... */
	kx_strlist_addf(&s->notes,
			"the series of %s was not found (%s): checking %s alone (give a range for a series)",
			named, s->alone_reason, named);
	return resolve_alone(s, tip);
}

int kx_series_resolve(struct kx_resolved *s, const struct kx_series_query *q)
{
	struct kx_series_arg a = KX_SERIES_ARG_INIT;
	struct kx_series_situation sit;
	git_repository *repo = NULL;
	const char *tip_rev;
	char *branch = NULL;
	git_oid tip;
	int error;

	memset(s, 0, sizeof(*s));
	kx_state_init(&s->prep.state);
	if ((error = kx_series_arg_parse(&a, q->arg)) < 0 ||
	    (error = kx_repo_open(&repo)) < 0)
		goto done;
	if (q->need_branch && a.kind == KX_NAMED_REV && !strcmp(a.rev, "@")) {
		/* git: an '@' alone is HEAD, never a branch's name */
		error = kx_error_set(KX_EUSAGE, "'@' is not a valid branch name");
		kx_error_hint("name the branch, or name nothing for the current one");
		git_repository_free(repo);
		goto done;
	}
	branch = named_branch(s, repo, &a, git_repository_commondir(repo));
	if ((error = kx_prep_attach(&s->prep, repo, branch)) < 0)
		goto done;
	s->named = a.kind;
	if (s->prep.earlier_state)
		kx_strlist_addf(&s->notes,
				"the state of %s is an earlier branch's of that name (deleted, and the name used again): not used; kvmx86 prep --enroll archives it and starts anew",
				branch);

	memset(&sit, 0, sizeof(sit));
	sit.named = a.kind;
	sit.has_branch = branch != NULL;
	sit.enrolled = s->prep.has_state;
	sit.branch_gone = s->prep.branch_gone;
	sit.detached = s->detached;
	sit.need_branch = q->need_branch || q->need_enrolled;
	sit.name = a.kind == KX_NAMED_REV ? a.rev : q->arg;
	if ((error = kx_series_choose(&s->source, &sit)) < 0)
		goto done;
	if (q->need_enrolled && (error = kx_prep_require_state(&s->prep)) < 0)
		goto done;
	if (q->state_only)
		goto done;
	if (s->source == KX_SOURCE_ENROLLED) {
		error = resolve_enrolled(s, q->range_only);
		goto done;
	}
	if (s->source == KX_SOURCE_RANGE) {
		error = resolve_range(s, &a, q->arg);
		goto done;
	}
	tip_rev = a.kind == KX_NAMED_REV ? a.rev : "HEAD";
	if (s->prep.branch_gone) {
		error = kx_prep_require_state(&s->prep);
		goto done;
	}
	if ((error = kx_git_resolve_commit(&tip, REPO(s), tip_rev)) < 0) {
		/* a damaged object: its error says what to do */
		if (error != KX_ENOTFOUND)
			goto done;
		if (a.kind == KX_NAMED_HEAD) {
			error = kx_error_set(KX_EINVALID,
					     "the current branch %s has no commits yet",
					     s->prep.branch ? s->prep.branch : "");
			kx_error_hint("commit your changes first");
		} else {
			kx_error_hint("give a branch, a commit or a range <base>..<tip>");
		}
		goto done;
	}
	error = resolve_fork_point(s, &tip, tip_rev, q->alone_without_trees);
done:
	free(branch);
	kx_series_arg_release(&a);
	return error;
}

int kx_series_use_range(struct kx_resolved *s, const char *base,
			const char *tip)
{
	struct kx_strlist subjects = KX_STRLIST_INIT;
	struct kx_chain_commit *chain = NULL;
	struct kx_base_point point;
	struct kx_prep_range *r = &s->prep.range;
	git_oid oid;
	size_t nr = 0, i;
	int error;

	if (git_oid_fromstr(&oid, tip) < 0 || strlen(base) != 40)
		return kx_error_set(KX_EINVALID, "not commit ids: %s..%s", base, tip);
	memset(&point, 0, sizeof(point));
	snprintf(point.id, sizeof(point.id), "%s", base);
	if ((error = walk_chain(&chain, &nr, &subjects, REPO(s), &oid, &point, 1)) < 0)
		goto done;
	/* the walk ends at base itself, else at a merge or the root */
	if (nr < 2 || strcmp(chain[nr - 1].id, base)) {
		error = kx_error_set(KX_EINVALID, "%.12s..%.12s is no line of commits on %.12s",
				     base, tip, base);
		goto done;
	}
	kx_series_release(&s->series);
	memset(r, 0, sizeof(*r));
	for (i = nr - 1; i-- > 0;)
		kx_series_add(&s->series, chain[i].id, chain[i].subject);
	memcpy(r->base, base, sizeof(r->base));
	memcpy(r->from, base, sizeof(r->from));
	memcpy(r->start, chain[nr - 2].id, sizeof(r->start));
	memcpy(r->end, chain[0].id, sizeof(r->end));
	r->count = nr - 1;
done:
	free(chain);
	kx_strlist_release(&subjects);
	return error;
}

/*
 * The series' diffs: check-base, prep --check and send's applies check
 * each read a commit's changed files and hunks; the model diffs each
 * commit and each file once for all of them.
 */
struct kx_series_diffs {
	struct kx_commit_diff **commits;
	size_t nr, alloc;
	size_t *slots;		/* by id: an index into commits + 1, 0 free */
	size_t slots_nr;	/* a power of two, or 0 */
};

struct kx_series_diffs *kx_series_diffs_new(void)
{
	return kx_xcalloc(1, sizeof(struct kx_series_diffs));
}

struct kx_series_diffs *kx_series_diffs(struct kx_resolved *s)
{
	if (!s->diffs)
		s->diffs = kx_series_diffs_new();
	return s->diffs;
}

static void hunks_release(struct kx_diff_file *f)
{
	size_t h;
	unsigned l;

	for (h = 0; h < f->hunks_nr; h++) {
		for (l = 0; l < f->hunks[h].nr; l++)
			free((char *)f->hunks[h].lines[l].text);
		free(f->hunks[h].lines);
		free(f->hunks[h].header);
	}
	free(f->hunks);
	f->hunks = NULL;
	f->hunks_nr = 0;
}

static void commit_diff_free(struct kx_commit_diff *cd)
{
	size_t i;

	for (i = 0; i < cd->nr; i++) {
		hunks_release(&cd->files[i]);
		free(cd->files[i].path);
	}
	free(cd->files);
	free(cd);
}

void kx_series_diffs_free(struct kx_series_diffs *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->nr; i++)
		commit_diff_free(d->commits[i]);
	free(d->commits);
	free(d->slots);
	free(d);
}

static int add_diff_file(void *data, const char *path, const git_oid *old_id,
			 const git_oid *new_id)
{
	struct kx_commit_diff *cd = data;
	struct kx_diff_file *f;

	kx_grow((void **)&cd->files, &cd->alloc, cd->nr, sizeof(*cd->files));
	f = &cd->files[cd->nr++];
	memset(f, 0, sizeof(*f));
	f->path = kx_xstrdup(path);
	if ((f->has_old = old_id))
		git_oid_cpy(&f->old_id, old_id);
	if ((f->has_new = new_id))
		git_oid_cpy(&f->new_id, new_id);
	return 0;
}

/* The slot of id in d->slots: its commit's, or the free one to take. */
static size_t *diff_slot(const struct kx_series_diffs *d, const git_oid *id)
{
	size_t h, mask = d->slots_nr - 1;

	memcpy(&h, id->id, sizeof(h));
	for (h &= mask; d->slots[h]; h = (h + 1) & mask)
		if (git_oid_equal(&d->commits[d->slots[h] - 1]->oid, id))
			break;
	return &d->slots[h];
}

static void diff_add(struct kx_series_diffs *d, struct kx_commit_diff *cd)
{
	size_t i;

	kx_grow((void **)&d->commits, &d->alloc, d->nr, sizeof(*d->commits));
	d->commits[d->nr++] = cd;
	if (d->nr * 2 > d->slots_nr) {
		free(d->slots);
		d->slots_nr = d->slots_nr ? 2 * d->slots_nr : 64;
		d->slots = kx_xcalloc(d->slots_nr, sizeof(*d->slots));
		for (i = 0; i < d->nr; i++)
			*diff_slot(d, &d->commits[i]->oid) = i + 1;
	} else {
		*diff_slot(d, &cd->oid) = d->nr;
	}
}

int kx_commit_diff(struct kx_commit_diff **out, struct kx_series_diffs *d,
		   git_repository *repo, git_commit *commit)
{
	struct kx_commit_diff *cd;
	git_commit *parent = NULL;
	git_tree *old_tree = NULL, *new_tree = NULL;
	size_t *slot;
	int error;

	*out = NULL;
	if (d->slots_nr && *(slot = diff_slot(d, git_commit_id(commit)))) {
		*out = d->commits[*slot - 1];
		return 0;
	}
	cd = kx_xcalloc(1, sizeof(*cd));
	git_oid_cpy(&cd->oid, git_commit_id(commit));
	oid_hex(cd->id, &cd->oid);
	if (git_commit_parentcount(commit) &&
	    (error = kx_git(git_commit_parent(&parent, commit, 0))) < 0)
		goto done;
	if ((error = kx_git(git_commit_tree(&new_tree, commit))) < 0 ||
	    (parent && (error = kx_git(git_commit_tree(&old_tree, parent))) < 0))
		goto done;
	error = kx_tree_diff(repo, old_tree, new_tree, add_diff_file, cd);
done:
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	git_commit_free(parent);
	if (error < 0) {
		commit_diff_free(cd);
		return error;
	}
	diff_add(d, cd);
	*out = cd;
	return 0;
}

static void keep_hunk(void *data, const char *header,
		      const struct kx_diff_line *lines, unsigned nr)
{
	struct kx_diff_file *f = data;
	struct kx_diff_hunk *h;
	unsigned l;

	f->hunks = kx_xrealloc(f->hunks, (f->hunks_nr + 1) * sizeof(*f->hunks));
	h = &f->hunks[f->hunks_nr++];
	h->header = kx_xstrdup(header);
	h->nr = nr;
	h->lines = kx_xcalloc(nr ? nr : 1, sizeof(*h->lines));
	for (l = 0; l < nr; l++) {
		h->lines[l] = lines[l];
		h->lines[l].text = kx_xstrdup(lines[l].text);
	}
}

int kx_diff_file_hunks(git_repository *repo, struct kx_diff_file *f,
		       kx_hunk_cb cb, void *data)
{
	size_t h;
	int error = 0;

	if (!f->hunks_done) {
		git_blob *a = NULL, *b = NULL;

		if ((!f->has_old || (error = kx_git(git_blob_lookup(&a, repo, &f->old_id))) == 0) &&
		    (!f->has_new || (error = kx_git(git_blob_lookup(&b, repo, &f->new_id))) == 0))
			error = kx_buffer_hunks(a ? git_blob_rawcontent(a) : NULL,
						a ? (size_t)git_blob_rawsize(a) : 0,
						b ? git_blob_rawcontent(b) : NULL,
						b ? (size_t)git_blob_rawsize(b) : 0,
						keep_hunk, f);
		git_blob_free(a);
		git_blob_free(b);
		if (error < 0) {
			hunks_release(f);
			return error;
		}
		f->hunks_done = true;
	}
	for (h = 0; cb && h < f->hunks_nr; h++)
		cb(data, f->hunks[h].header, f->hunks[h].lines, f->hunks[h].nr);
	return 0;
}

int kx_series_diffs_load(struct kx_resolved *s)
{
	struct kx_series_diffs *d = kx_series_diffs(s);
	size_t i, k;
	int error = 0;

	for (i = 0; i < s->series.nr && !error; i++) {
		struct kx_commit_diff *cd;
		git_commit *c = NULL;
		git_oid id;

		git_oid_fromstr(&id, s->series.commits[i].id);
		if ((error = kx_git(git_commit_lookup(&c, REPO(s), &id))) == 0 &&
		    (error = kx_commit_diff(&cd, d, REPO(s), c)) == 0)
			for (k = 0; k < cd->nr && !error; k++)
				error = kx_diff_file_hunks(REPO(s), &cd->files[k],
							   NULL, NULL);
		git_commit_free(c);
	}
	return error;
}

int kx_series_mailmap(git_mailmap **out, struct kx_resolved *s)
{
	/* the cover letter's shortlog and the mails' trailers: one read */
	if (!s->mailmap_read) {
		git_mailmap *mm = NULL;

		if (git_mailmap_from_repository(&mm, REPO(s)) < 0)
			git_error_clear();
		s->mailmap = mm;
		s->mailmap_read = true;
	}
	*out = s->mailmap;
	return *out ? 0 : kx_error_set(KX_ERROR, "the mailmap cannot be read");
}

int kx_series_checkbase(struct kx_checkbase **out, struct kx_resolved *s)
{
	struct kx_checkbase_given given;
	const char **ids;
	size_t i;
	int error;

	*out = s->checkbase;
	if (*out)
		return 0;
	/* the trees were missing when the series was resolved */
	if (s->alone || s->source == KX_SOURCE_RANGE) {
		kx_error_set(KX_ENOTFOUND, "%s", s->alone_reason ?
			     s->alone_reason : "no KVM trees");
		if (s->alone_hint && *s->alone_hint)
			kx_error_hint("%s", s->alone_hint);
		return KX_ENOTFOUND;
	}
	ids = kx_xcalloc(s->series.nr ? s->series.nr : 1, sizeof(*ids));
	for (i = 0; i < s->series.nr; i++)
		ids[i] = s->series.commits[i].id;
	given.base = s->prep.range.base;
	given.ids = ids;
	given.nr = s->series.nr;
	given.diffs = kx_series_diffs(s);
	s->checkbase = kx_xcalloc(1, sizeof(*s->checkbase));
	*s->checkbase = (struct kx_checkbase)KX_CHECKBASE_INIT;
	error = kx_checkbase_gather_given(s->checkbase, REPO(s), s->prep.branch,
					  &given);
	free(ids);
	if (error < 0) {
		s->checkbase_config_bad = s->checkbase->config_bad;
		kx_checkbase_release(s->checkbase);
		free(s->checkbase);
		s->checkbase = NULL;
		return error;
	}
	*out = s->checkbase;
	return 0;
}

void kx_resolved_release(struct kx_resolved *s)
{
	if (s->checkbase) {
		kx_checkbase_release(s->checkbase);
		free(s->checkbase);
	}
	kx_series_diffs_free(s->diffs);
	git_mailmap_free(s->mailmap);
	kx_series_release(&s->series);
	kx_strlist_release(&s->notes);
	free(s->base_ref);
	free(s->alone_reason);
	free(s->alone_hint);
	kx_prep_close(&s->prep);
	memset(s, 0, sizeof(*s));
}
