// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvmx86 prep, the repository side.  The state lives in a file beside the
 * repository, so nothing here rewrites a commit except --drop-b4-cover,
 * which keeps the old tip under refs/kvmx86/backup/ and in the reflog.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>
#include <jansson.h>

#include "io.h"
#include "rewrite.h"
#include "kvmx86/b4cover.h"
#include "kvmx86/base.h"
#include "kvmx86/branch.h"
#include "kvmx86/safe.h"
#include "kvmx86/sendattempt.h"
#include "kvmx86/checkbase.h"
#include "kvmx86/error.h"
#include "kvmx86/file.h"
#include "kvmx86/fromthread.h"
#include "kvmx86/prep.h"
#include "kvmx86/rangecache.h"
#include "kvmx86/resolve.h"
#include "kvmx86/run.h"
#include "kvmx86/suggest.h"
#include "kvmx86/testrun.h"

#define REPO(p) ((git_repository *)(p)->repo)

static void oid_hex(char out[41], const git_oid *oid)
{
	git_oid_tostr(out, 41, oid);
}

static char *state_path_of(const char *commondir, const char *branch)
{
	char *name = kx_state_file_name(branch);
	char *path = kx_xasprintf("%skvmx86/state/%s", commondir, name);

	free(name);
	return path;
}

static int branch_tip(git_oid *out, git_repository *repo, const char *branch)
{
	char *ref = kx_xasprintf("refs/heads/%s", branch);
	int error = git_reference_name_to_id(out, repo, ref);

	free(ref);
	git_error_clear();
	return error < 0 ? KX_ENOTFOUND : 0;
}

/*
 * The error for p's branch having no tip: HEAD's branch with no commit
 * yet, or none.
 */
static int no_branch(struct kx_prep *p)
{
	git_reference *head = NULL;
	char *ref = kx_xasprintf("refs/heads/%s", p->branch);
	bool unborn = git_reference_lookup(&head, REPO(p), "HEAD") == 0 &&
		      git_reference_symbolic_target(head) &&
		      !strcmp(git_reference_symbolic_target(head), ref);
	int error;

	git_reference_free(head);
	free(ref);
	if (unborn) {
		error = kx_error_set(KX_ENOTFOUND,
				     "the current branch %s has no commits yet",
				     p->branch);
		kx_error_hint("commit your changes first");
	} else {
		error = kx_error_set(KX_ENOTFOUND, "there is no branch %s",
				     p->branch);
		kx_error_hint("git branch lists the branches there are");
	}
	git_error_clear();
	return error;
}

/*
 * "<new id> <time>" of the entry of branch's reflog that made it (caller
 * frees), or NULL: no reflog, or its first entry has expired.
 */
static char *branch_creation(git_repository *repo, const char *branch)
{
	git_reflog *log = NULL;
	const git_reflog_entry *e;
	char *ref = kx_xasprintf("refs/heads/%s", branch), *out = NULL;
	size_t n;

	if (git_reflog_read(&log, repo, ref) == 0 &&
	    (n = git_reflog_entrycount(log)) > 0 &&
	    (e = git_reflog_entry_byindex(log, n - 1)) &&
	    git_oid_is_zero(git_reflog_entry_id_old(e))) {
		char hex[41];

		oid_hex(hex, git_reflog_entry_id_new(e));
		out = kx_xasprintf("%s %lld", hex,
				   (long long)git_reflog_entry_committer(e)->when.time);
	}
	git_reflog_free(log);
	git_error_clear();
	free(ref);
	return out;
}

int kx_prep_attach(struct kx_prep *p, git_repository *repo, const char *branch)
{
	git_oid tip;
	int error;

	memset(p, 0, sizeof(*p));
	kx_state_file_init(&p->file);
	p->repo = repo;
	p->commondir = kx_xstrdup(git_repository_commondir(REPO(p)));
	if (!branch)
		return 0;
	if (kx_starts_with(branch, "refs/heads/"))
		branch += strlen("refs/heads/");
	p->branch = kx_xstrdup(branch);
	p->state_path = state_path_of(p->commondir, p->branch);
	error = kx_state_file_load(&p->file, p->state_path);
	if (error == KX_ENOTFOUND) {
		kx_error_clear();
		return 0;
	}
	if (error < 0)
		return error;
	p->has_state = true;
	p->branch_gone = branch_tip(&tip, REPO(p), p->branch) < 0;
	/*
	 * A branch at the tip the state last saw is that series, made again
	 * or not: its reflog is read only when the tip moved (every command
	 * passes here, the cached --show-info too).
	 */
	if (!p->branch_gone && p->state.branch_created &&
	    !(p->state.last_tip && !git_oid_streq(&tip, p->state.last_tip))) {
		char *now = branch_creation(REPO(p), p->branch);

		/* made after the state was: not the series the state is of */
		if (now && strcmp(now, p->state.branch_created)) {
			kx_state_file_release(&p->file);
			kx_state_file_init(&p->file);
			p->has_state = false;
			p->earlier_state = true;
		}
		free(now);
	}
	return 0;
}

bool kx_prep_is_branch(struct kx_prep *p, const char *name)
{
	git_oid tip;

	return p->repo && branch_tip(&tip, REPO(p), name) == 0;
}

void kx_prep_close(struct kx_prep *p)
{
	kx_state_file_release(&p->file);
	git_repository_free(REPO(p));
	free(p->commondir);
	free(p->branch);
	free(p->state_path);
	memset(p, 0, sizeof(*p));
}

static bool str_differs(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

typedef bool (*orphan_fn)(struct kx_prep *p, const struct kx_state *st,
			  const char *path, const git_oid *tip, void *data);

/*
 * Calls fn with each state whose branch is gone (another name than p's),
 * and p's branch tip, until fn returns true; returns whether it did.
 */
static bool each_orphan(struct kx_prep *p, orphan_fn fn, void *data)
{
	char *dir = kx_xasprintf("%skvmx86/state", p->commondir);
	DIR *d = opendir(dir);
	struct dirent *e;
	git_oid tip, old;
	bool done = false;

	if (!d || branch_tip(&tip, REPO(p), p->branch) < 0)
		goto out;
	while (!done && (e = readdir(d))) {
		struct kx_state_file s;
		char *path;

		if (e->d_name[0] == '.' || !kx_ends_with(e->d_name, ".json"))
			continue;
		path = kx_xasprintf("%s/%s", dir, e->d_name);
		if (kx_state_file_load(&s, path) == 0 && s.state.branch &&
		    strcmp(s.state.branch, p->branch) &&
		    branch_tip(&old, REPO(p), s.state.branch) < 0)
			done = fn(p, &s.state, path, &tip, data);
		kx_state_file_release(&s);
		kx_error_clear();
		git_error_clear();
		free(path);
	}
out:
	if (d)
		closedir(d);
	free(dir);
	return done;
}

struct orphan {
	char *path, *old_branch;
};

/*
 * orphan_fn: a series with commits of its own whose last tip is the tip
 * (or an ancestor of it): most likely the branch renamed behind kvmx86's
 * back.  An empty one's last tip is its base, a public commit every new
 * branch contains.
 */
static bool renamed_from(struct kx_prep *p, const struct kx_state *st,
			 const char *path, const git_oid *tip, void *data)
{
	struct orphan *o = data;
	git_oid last;

	if (!st->last_tip || !str_differs(st->last_tip, st->base_commit) ||
	    git_oid_fromstr(&last, st->last_tip) < 0 ||
	    (git_oid_cmp(&last, tip) &&
	     git_graph_descendant_of(REPO(p), tip, &last) != 1))
		return false;
	o->path = kx_xstrdup(path);
	o->old_branch = kx_xstrdup(st->branch);
	return true;
}

/* The state p's branch was renamed from: its path (caller frees) or NULL. */
static char *find_orphan(struct kx_prep *p, char **old_branch)
{
	struct orphan o = { NULL, NULL };

	each_orphan(p, renamed_from, &o);
	*old_branch = o.old_branch;
	return o.path;
}

/*
 * orphan_fn: notes (data) a state that recorded no commit of its own and
 * sits below the tip: find_orphan() adopts none of them (any branch
 * started there would do), but one may be this branch under its old name.
 */
static bool note_empty(struct kx_prep *p, const struct kx_state *st,
		       const char *path, const git_oid *tip, void *data)
{
	git_oid base;
	char *w, *me;

	(void)path;
	if (!st->base_commit || (st->last_tip && strcmp(st->last_tip, st->base_commit)) ||
	    git_oid_fromstr(&base, st->base_commit) < 0 ||
	    git_graph_descendant_of(REPO(p), tip, &base) != 1)
		return false;
	w = kx_shell_word(st->branch);
	me = kx_shell_word(p->branch);
	kx_strlist_addf(data, "the state of %s (its branch gone, no commit recorded) was not adopted; if %s is it renamed, rename it back (git branch -m %s %s), else drop it (kvmx86 prep --cleanup --force %s)",
			st->branch, p->branch, me, w, w);
	free(me);
	free(w);
	return false;
}

static void note_empty_orphans(struct kx_prep *p, struct kx_strlist *notes)
{
	each_orphan(p, note_empty, notes);
}

/* A local branch whose tip is hex, or NULL (caller frees). */
static char *branch_at(struct kx_prep *p, const char *hex)
{
	git_branch_iterator *it = NULL;
	git_reference *ref;
	git_branch_t type;
	git_oid want;
	char *found = NULL;

	if (!hex || git_oid_fromstr(&want, hex) < 0 ||
	    git_branch_iterator_new(&it, REPO(p), GIT_BRANCH_LOCAL) < 0)
		return NULL;
	while (!found && git_branch_next(&ref, &type, it) == 0) {
		const git_oid *id = git_reference_target(ref);

		if (id && !git_oid_cmp(id, &want))
			found = kx_xstrdup(git_reference_shorthand(ref));
		git_reference_free(ref);
	}
	git_branch_iterator_free(it);
	git_error_clear();
	return found;
}

int kx_prep_require_state(struct kx_prep *p)
{
	char *old = NULL, *orphan;
	int error;

	if (p->has_state && p->branch_gone) {
		char *holder = branch_at(p, p->state.last_tip);

		error = kx_error_set(KX_ENOTFOUND,
				     "branch %s has a kvmx86 state (%s) but the branch is gone: renamed or deleted behind kvmx86's back%s%s%s",
				     p->branch, p->state_path,
				     holder ? "; branch " : "", holder ? holder : "",
				     holder ? " holds its last tip" : "");
		if (holder) {
			char *w = kx_shell_word(holder);

			kx_error_hint("if %s is it renamed, adopt the state there: kvmx86 prep --enroll %s",
				      holder, w);
			free(w);
			free(holder);
			return error;
		}
		{
			char *w = kx_shell_word(p->branch);

			/*
			 * A state that recorded no commit of its own (its last
			 * tip is its base, in every branch started there) is
			 * adopted by no other name: that would take it for any.
			 */
			if (!p->state.last_tip ||
			    (p->state.base_commit &&
			     !strcmp(p->state.last_tip, p->state.base_commit)))
				kx_error_hint("it recorded no commit of its own, so kvmx86 cannot tell which branch it became:\n"
					      "if you renamed it, rename it back (git branch -m <new-name> %s);\n"
					      "if you deleted it, drop the state: kvmx86 prep --cleanup --force %s",
					      w, w);
			else
				kx_error_hint("if you renamed it, run 'kvmx86 prep --enroll' on the new name to adopt this state;\n"
					      "if you deleted it, drop the state: kvmx86 prep --cleanup --force %s",
					      w);
			free(w);
		}
		return error;
	}
	if (p->has_state)
		return 0;
	if (p->earlier_state) {
		char *w = kx_shell_word(p->branch);

		error = kx_error_set(KX_ENOTFOUND,
				     "branch %s is not enrolled: its state (%s) is an earlier branch's of that name, deleted and made again since",
				     p->branch, p->state_path);
		kx_error_hint("enroll it anew, which archives the earlier state: kvmx86 prep --enroll %s", w);
		free(w);
		return error;
	}
	orphan = find_orphan(p, &old);
	error = kx_error_set(KX_ENOTFOUND, "branch %s is not enrolled",
			     p->branch);
	{
		char *w = kx_shell_word(p->branch);

		/* a name unsafe to paste enrolls only with --base */
		if (orphan)
			kx_error_hint("it looks like %s renamed (its state %s has no branch any more):\n"
				      "adopt that state with: kvmx86 prep --enroll %s",
				      old, orphan, w);
		else if (!kx_branch_name_is_safe(p->branch))
			kx_error_hint("enroll it: kvmx86 prep --enroll --base <rev> %s", w);
		else
			kx_error_hint("enroll it: kvmx86 prep --enroll %s", w);
		free(w);
	}
	free(orphan);
	free(old);
	return error;
}

/*
 * Lets prep --show-info answer without opening the object database; a
 * cache that cannot be written only costs the next reader the walk.
 */
static void save_range_cache(struct kx_prep *p, const struct kx_prep_range *r)
{
	struct kx_range_cache c = { .count = r->count };
	char *path, *text;

	memcpy(c.tip, r->end, sizeof(c.tip));
	memcpy(c.base, r->base, sizeof(c.base));
	if (p->state.b4_cover_commit && strlen(p->state.b4_cover_commit) == 40)
		memcpy(c.cover, p->state.b4_cover_commit, sizeof(c.cover));
	memcpy(c.start, r->start, sizeof(c.start));
	memcpy(c.from, r->from, sizeof(c.from));
	path = kx_range_cache_path(p->commondir, p->branch);
	text = kx_range_cache_format(&c);
	if (kx_write_atomic(path, text, false) < 0)
		kx_error_clear();
	free(text);
	free(path);
}

int kx_prep_lock(struct kx_prep *p)
{
	int error = kx_state_file_lock(&p->file, p->state_path);

	/* an earlier branch's state is loaded, locked, but not this one's */
	p->has_state = !error && !p->earlier_state;
	return error == KX_ENOTFOUND ? 0 : error;
}

int kx_prep_lock_writable(struct kx_prep *p)
{
	int error;

	/* a lock held or left behind says its own way out */
	if (p->has_state && !p->branch_gone && (error = kx_prep_lock(p)) < 0)
		return error;
	if ((error = kx_state_file_probe(&p->file, p->state_path)) < 0) {
		kx_error_hint("nothing was changed: %s stays as it is", p->branch);
		return error;
	}
	return 0;
}

int kx_prep_save(struct kx_prep *p)
{
	git_oid tip;
	char hex[41] = "";
	int error;

	if (branch_tip(&tip, REPO(p), p->branch) == 0) {
		oid_hex(hex, &tip);
		free(p->state.last_tip);
		p->state.last_tip = kx_xstrdup(hex);
		/* to tell this branch from one made again under its name */
		if (!p->state.branch_created)
			p->state.branch_created = branch_creation(REPO(p), p->branch);
	}
	free(p->state.branch);
	p->state.branch = kx_xstrdup(p->branch);
	if ((error = kx_state_file_save(&p->file, p->state_path)) < 0)
		return error;
	/* the range cache lets the next --show-info skip the walk */
	kx_prep_cache_range(p);
	return 0;
}

void kx_prep_cache_range(struct kx_prep *p)
{
	git_oid tip;
	char hex[41];

	/* keyed by tip, base and cover: a stale one is never read */
	if (!p->range_valid || !p->has_state || p->branch_gone ||
	    !p->state.base_commit || strcmp(p->range.base, p->state.base_commit) ||
	    branch_tip(&tip, REPO(p), p->branch) < 0)
		return;
	oid_hex(hex, &tip);
	if (!strcmp(p->range.end, hex))
		save_range_cache(p, &p->range);
}

/*
 * The KVM ref that rev (resolved to the commit hex) names or is the tip
 * of, to be followed later; NULL for any other base, which is given and
 * never followed (caller frees).
 */
static char *kvm_ref_of(struct kx_prep *p, const char *rev, const char *hex)
{
	struct kx_kvm_refs refs;
	const struct kx_candidate *named = NULL;
	char *name, *found = NULL;
	size_t i;

	if (kx_kvm_refs_load(&refs, REPO(p), true) < 0) {
		kx_error_clear();
		return NULL;
	}
	/* "kvm-x86/next", "refs/remotes/kvm-x86/next", "v6.3-rc2" */
	if (kx_starts_with(rev, "refs/remotes/"))
		name = kx_xstrdup(rev + strlen("refs/remotes/"));
	else if (kx_starts_with(rev, "refs/tags/"))
		name = kx_xstrdup(rev + strlen("refs/tags/"));
	else
		name = kx_xstrdup(rev);
	named = kx_kvm_refs_find(&refs, name);
	if (named && strcmp(named->tip, hex))
		named = NULL;
	for (i = 0; !named && i < refs.refs.cands_nr; i++)
		if (!strcmp(refs.refs.cands[i].tip, hex))
			named = &refs.refs.cands[i];
	if (named)
		found = kx_xstrdup(named->name);
	free(name);
	kx_kvm_refs_release(&refs);
	return found;
}

/* The base of --base rev, which must be below the tip, and its ref. */
static int given_base(struct kx_prep *p, const char *rev, const git_oid *tip,
		      git_oid *base)
{
	char hex[41];
	int error;

	if ((error = kx_git_resolve_commit(base, REPO(p), rev)) < 0)
		return error;
	if (git_oid_cmp(base, tip) &&
	    (error = git_graph_descendant_of(REPO(p), tip, base)) != 1) {
		/*
		 * the history could not be read: a damaged object, say
		 * (git_repository_is_shallow() clears libgit2's error)
		 */
		if (error < 0 && (error = kx_git(error)) < 0 &&
		    !git_repository_is_shallow(REPO(p)))
			return error;
		git_error_clear();
		if (git_repository_is_shallow(REPO(p))) {
			error = kx_error_set(KX_EINVALID,
					     "this is a shallow clone: whether %s is below %s cannot be told",
					     rev, p->branch);
			kx_error_hint("fetch the whole history: git fetch --unshallow");
			return error;
		}
		return kx_error_set(KX_EINVALID, "%s is not an ancestor of %s",
				    rev, p->branch);
	}
	/* a series is linear: every command would refuse a merge in it */
	{
		git_oid oid;
		size_t n;

		git_oid_cpy(&oid, tip);
		for (n = 0; git_oid_cmp(&oid, base) && n < 100000; n++) {
			git_commit *c = NULL;
			unsigned parents;

			if ((error = kx_git(git_commit_lookup(&c, REPO(p), &oid))) < 0)
				return error;
			parents = git_commit_parentcount(c);
			if (parents != 1) {
				oid_hex(hex, &oid);
				error = parents ?
					kx_series_merge_error(hex, git_commit_summary(c), false) :
					kx_error_set(KX_EINVALID, "%s is not an ancestor of %s",
						     rev, p->branch);
				git_commit_free(c);
				return error;
			}
			git_oid_cpy(&oid, git_commit_parent_id(c, 0));
			git_commit_free(c);
		}
	}
	oid_hex(hex, base);
	free(p->state.base_ref);
	p->state.base_ref = kvm_ref_of(p, rev, hex);
	return 0;
}

static void random12(char out[13])
{
	unsigned char bytes[6];
	int fd = open("/dev/urandom", O_RDONLY);
	size_t i;

	if (fd < 0 || read(fd, bytes, sizeof(bytes)) != (ssize_t)sizeof(bytes)) {
		/* no entropy source: time and pid are unique enough for an id */
		unsigned long v = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16);

		memcpy(bytes, &v, sizeof(bytes));
	}
	if (fd >= 0)
		close(fd);
	for (i = 0; i < sizeof(bytes); i++)
		sprintf(out + 2 * i, "%02x", bytes[i]);
}

static char *new_change_id(const char *branch)
{
	const char *name = strrchr(branch, '/');
	char date[16], rnd[13];
	time_t now = time(NULL);

	strftime(date, sizeof(date), "%Y%m%d", gmtime(&now));
	random12(rnd);
	return kx_change_id(name ? name + 1 : branch, date, rnd);
}

/* The kvm-x86 topic an imported version's shortlog names, if trees has it. */
static const char *import_topic(const struct kx_import *im,
				const struct kx_trees *trees)
{
	struct kx_lore_subject s = KX_LORE_SUBJECT_INIT;
	const char *topic;

	kx_lore_subject_parse(&s, im->series.patches[0]->subject ?
			      im->series.patches[0]->subject : "");
	topic = kx_thread_topic_of(s.subject);
	kx_lore_subject_release(&s);
	return topic && kx_strlist_has(&trees->topics, topic) ? topic : NULL;
}

/* The base an imported version names, which must be here. */
static int import_base(git_oid *oid, char **ref_desc, struct kx_prep *p,
		       const struct kx_import *im)
{
	const char *hex = im->series.base_commit;
	git_commit *c = NULL;
	int error;

	if (git_oid_fromstr(oid, hex) < 0 || git_commit_lookup(&c, REPO(p), oid) < 0) {
		git_error_clear();
		error = kx_error_set(KX_ENOTFOUND,
				     "v%u's base-commit %.12s is not in this repository",
				     im->series.revision, hex);
		kx_error_hint("fetch it (git fetch kvm-x86, or the remote it is on), or give the base with --base");
		return error;
	}
	git_commit_free(c);
	*ref_desc = kx_xasprintf("v%u's base-commit", im->series.revision);
	return 0;
}

/* What an imported version gives the state: its change-id, cover, next version. */
static void import_state(struct kx_state *st, const struct kx_import *im)
{
	const struct kx_thread_series *ts = &im->series;

	if (ts->change_id) {
		free(st->change_id);
		st->change_id = kx_xstrdup(ts->change_id);
	}
	st->revision = ts->revision < KX_REVISION_MAX ? ts->revision + 1 : ts->revision;
	free(st->cover_subject);
	st->cover_subject = ts->subject ? kx_xstrdup(ts->subject) : NULL;
	free(st->cover_body);
	st->cover_body = kx_cover_next_version(ts->body ? ts->body : "", st->revision);
}

/*
 * Whether the directory at path (relative to the work tree wd) holds
 * anything the index does not: the checkout would remove the tracked
 * files, then fail to write the file in its place, where git switch
 * refuses ("would lose untracked files").
 */
static bool untracked_under(git_index *index, const char *wd, const char *path)
{
	char *full = kx_xasprintf("%s%s", wd, path);
	DIR *dir = opendir(full);
	struct dirent *de;
	bool found = false;

	free(full);
	if (!dir)
		return false;
	while (!found && (de = readdir(dir))) {
		char *sub;
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		sub = kx_xasprintf("%s/%s", path, de->d_name);
		full = kx_xasprintf("%s%s", wd, sub);
		if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode))
			found = untracked_under(index, wd, sub) ||
				!strcmp(de->d_name, ".git");
		else
			found = !git_index_get_bypath(index, sub, 0);
		free(full);
		free(sub);
	}
	closedir(dir);
	return found;
}

/*
 * What of the work tree a checkout limited to the paths that differ does
 * not look at, and git switch would: a file or symlink where a path
 * needs a directory goes into the paths (the checkout sees it, and stops
 * on it, untracked, instead of writing through a symlink); untracked
 * files in a directory that becomes a file stop it here.
 */
static int paths_in_the_way(struct kx_strlist *extra, git_repository *repo,
			    git_diff *diff)
{
	const char *wd = git_repository_workdir(repo);
	git_index *index = NULL;
	size_t i, n = git_diff_num_deltas(diff);
	int error;

	if ((error = git_repository_index(&index, repo)) < 0)
		return error;
	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *path = d->new_file.path, *slash;
		struct stat st;
		char *full;

		if (d->status == GIT_DELTA_DELETED)
			continue;
		for (slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
			full = kx_xasprintf("%s%.*s", wd, (int)(slash - path), path);
			if (lstat(full, &st) == 0 && !S_ISDIR(st.st_mode))
				kx_strlist_addf(extra, "%.*s", (int)(slash - path), path);
			free(full);
		}
		full = kx_xasprintf("%s%s", wd, path);
		if (d->new_file.mode != GIT_FILEMODE_COMMIT &&
		    lstat(full, &st) == 0 && S_ISDIR(st.st_mode) &&
		    untracked_under(index, wd, path)) {
			char *why = kx_xasprintf("untracked files in %s would be lost", path);

			/* the caller says why from libgit2's last error */
			git_error_set_str(GIT_ERROR_CHECKOUT, why);
			free(why);
			error = -1;
		}
		free(full);
		if (error < 0)
			break;
	}
	git_index_free(index);
	return error;
}

/* Is path outside a sparse checkout (skip-worktree: not in the work tree)? */
static bool is_sparse(git_index *index, const char *path)
{
	const git_index_entry *e = git_index_get_bypath(index, path, 0);

	return e && (e->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE);
}

/*
 * The index entries of the files a sparse checkout leaves out, as git
 * switch updates them: the new blob, still left out (libgit2's checkout
 * knows no skip-worktree, and would take the missing files for deleted).
 */
static int update_sparse(git_index *index, const git_diff_delta **sparse, size_t n)
{
	size_t i;
	int error = 0;

	for (i = 0; i < n && !error; i++) {
		const git_diff_delta *d = sparse[i];
		const git_index_entry *old = git_index_get_bypath(index, d->old_file.path, 0);
		git_index_entry e;

		if (d->status == GIT_DELTA_DELETED || !old) {
			error = git_index_remove(index, d->old_file.path, 0);
			continue;
		}
		e = *old;
		memset(&e.mtime, 0, sizeof(e.mtime));
		memset(&e.ctime, 0, sizeof(e.ctime));
		e.file_size = 0;
		git_oid_cpy(&e.id, &d->new_file.id);
		e.mode = d->new_file.mode;
		e.path = d->new_file.path;
		error = git_index_add(index, &e);
	}
	return error ? error : git_index_write(index);
}

/*
 * Checks out target's tree as git switch does: only the files that differ
 * from HEAD's tree are written, and local changes to them stop it
 * (GIT_CHECKOUT_SAFE); others are carried over.  libgit2 would otherwise
 * compare every file of a kernel tree (1.4 s of `prep -n` on the
 * fixture's 78,635 files, where git switch takes 0.45 s).
 */
static int switch_to(git_repository *repo, git_commit *target)
{
	git_checkout_options co;
	git_object *head = NULL;
	git_tree *tree = NULL;
	git_diff *diff = NULL;
	struct kx_strlist extra = KX_STRLIST_INIT;
	const git_diff_delta **sparse = NULL;
	git_index *index = NULL;
	char **paths = NULL;
	size_t i, n, nr = 0, nsparse = 0;
	int error;

	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_SAFE;
	if (git_revparse_single(&head, repo, "HEAD^{tree}") < 0) {
		/* an unborn HEAD: everything is new */
		git_error_clear();
		return git_checkout_tree(repo, (git_object *)target, &co);
	}
	if ((error = git_commit_tree(&tree, target)) < 0 ||
	    (error = git_diff_tree_to_tree(&diff, repo, (git_tree *)head, tree, NULL)) < 0)
		goto done;
	if ((error = paths_in_the_way(&extra, repo, diff)) < 0)
		goto done;
	if ((error = git_repository_index(&index, repo)) < 0)
		goto done;
	n = git_diff_num_deltas(diff);
	paths = kx_xcalloc(2 * n + extra.nr + 1, sizeof(*paths));
	sparse = kx_xcalloc(n + 1, sizeof(*sparse));
	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		if (is_sparse(index, d->old_file.path)) {
			sparse[nsparse++] = d;
			continue;
		}
		paths[nr++] = (char *)d->old_file.path;
		if (strcmp(d->old_file.path, d->new_file.path))
			paths[nr++] = (char *)d->new_file.path;
	}
	for (i = 0; i < extra.nr; i++)
		paths[nr++] = extra.items[i];
	if (nr) {
		co.checkout_strategy |= GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
		co.paths.strings = paths;
		co.paths.count = nr;
		if ((error = git_checkout_tree(repo, (git_object *)target, &co)) < 0)
			goto done;
	}
	if (nsparse)
		error = update_sparse(index, sparse, nsparse);
done:
	free(sparse);
	git_index_free(index);
	free(paths);
	kx_strlist_release(&extra);
	git_diff_free(diff);
	git_tree_free(tree);
	git_object_free(head);
	return error;
}

int kx_prep_create(struct kx_prep *p, const char *name, const char *topic,
		   const char *base_rev, const struct kx_import *im,
		   char **created, char **base_desc)
{
	struct kx_trees trees = { NULL, { 0 }, KX_STRLIST_INIT };
	git_reference *ref = NULL;
	git_commit *base = NULL, *tip = NULL;
	git_oid oid, tip_oid;
	char *branch = NULL, *refname = NULL, *ref_desc = NULL;
	char hex[41], tip_hex[41];
	size_t i;
	int error;

	*created = *base_desc = NULL;
	if (!topic && im) {
		/* the version's shortlog names the topic branch, when kvm-x86 has it */
		if (kx_trees_lookup(&trees, REPO(p)) == 0)
			topic = import_topic(im, &trees);
		kx_trees_release(&trees);
		memset(&trees, 0, sizeof(trees));
		kx_error_clear();
	}
	if (!topic)
		topic = "misc";
	branch = kx_xasprintf("x86/%s/%s", topic, name);
	if (!*name || strchr(name, '/') || !kx_branch_name_is_safe(branch) ||
	    !git_reference_is_valid_name(refname = kx_xasprintf("refs/heads/%s", branch))) {
		error = kx_error_set(KX_EUSAGE, "'%s' cannot name a series branch",
				     branch);
		kx_error_hint("use letters, digits and . _ + @ - in the name, e.g. kvmx86 prep -n fix-foo");
		goto done;
	}
	if (branch_tip(&oid, REPO(p), branch) == 0) {
		error = kx_error_set(KX_EINVALID, "branch %s already exists", branch);
		if (im)
			kx_error_hint("name the new one: kvmx86 prep -n <another name> -F <msgid>");
		else
			kx_error_hint("enroll it instead: kvmx86 prep --enroll %s", branch);
		goto done;
	}
	{
		/* a state left by a deleted branch of that name is never overwritten */
		char *old = state_path_of(p->commondir, branch);
		bool exists = access(old, F_OK) == 0;

		if (exists) {
			error = kx_error_set(KX_EINVALID,
					     "a kvmx86 state for %s exists (%s), left by a branch of that name",
					     branch, old);
			kx_error_hint("archive it first: kvmx86 prep --cleanup --force %s", branch);
		}
		free(old);
		if (exists)
			goto done;
	}

	/* The topic names a kvm-x86 branch (not a shortlog topic). */
	error = kx_trees_lookup(&trees, REPO(p));
	if (error < 0 && !base_rev && !(im && im->series.base_commit))
		goto done;
	if (error == 0) {
		bool known = false;

		for (i = 0; i < trees.topics.nr; i++)
			known |= !strcmp(trees.topics.items[i], topic);
		if (!known) {
			char list[512] = "";

			for (i = 0; i < trees.topics.nr; i++) {
				strncat(list, i ? ", " : "", sizeof(list) - strlen(list) - 1);
				strncat(list, trees.topics.items[i], sizeof(list) - strlen(list) - 1);
			}
			const char *meant = kx_suggest(topic,
						       (const char *const *)trees.topics.items,
						       trees.topics.nr);

			error = kx_error_set(KX_EINVALID,
					     "'%s' is not a topic branch of %s: the topics are %s",
					     topic, trees.x86_remote, *list ? list : "(none)");
			if (meant)
				kx_error_hint("did you mean --topic %s?  Topics are kvm-x86 branches, not shortlog topics",
					      meant);
			else
				kx_error_hint("name one with --topic; topics are kvm-x86 branches, not shortlog topics");
			goto done;
		}
	}
	kx_error_clear();
	if (base_rev) {
		if ((error = kx_git_resolve_commit(&oid, REPO(p), base_rev)) < 0)
			goto done;
		ref_desc = kx_xstrdup(base_rev);
	} else if (im && im->series.base_commit) {
		if ((error = import_base(&oid, &ref_desc, p, im)) < 0)
			goto done;
	} else {
		git_oid_fromstr(&oid, trees.next);
		ref_desc = kx_xasprintf("%s/next", trees.x86_remote);
	}
	if ((error = kx_git(git_commit_lookup(&base, REPO(p), &oid))) < 0)
		goto done;
	/* an imported version's commits, made before anything else is */
	git_oid_cpy(&tip_oid, &oid);
	if (im && (error = kx_import_commits(&tip_oid, REPO(p), &oid, im)) < 0)
		goto done;
	if ((error = kx_git(git_commit_lookup(&tip, REPO(p), &tip_oid))) < 0)
		goto done;
	oid_hex(tip_hex, &tip_oid);

	/*
	 * The state first: a state that cannot be written (a full disk)
	 * leaves nothing made; what fails after it takes the state back.
	 */
	free(p->branch);
	p->branch = kx_xstrdup(branch);
	free(p->state_path);
	p->state_path = state_path_of(p->commondir, branch);
	kx_state_file_release(&p->file);
	p->state.change_id = new_change_id(branch);
	oid_hex(hex, &oid);
	p->state.base_commit = kx_xstrdup(hex);
	p->state.base_ref = kvm_ref_of(p, base_rev ? base_rev : ref_desc, hex);
	p->state.base_scope = kx_xstrdup("x86");
	if (im)
		import_state(&p->state, im);
	/* the tip the branch is about to have */
	p->state.last_tip = kx_xstrdup(tip_hex);
	if ((error = kx_prep_save(p)) < 0) {
		kx_error_hint("nothing was made: no branch, no checkout");
		goto done;
	}
	p->has_state = true;

	/* then check out: if local changes are in the way, nothing is made */
	if (!git_repository_is_bare(REPO(p)) &&
	    (error = switch_to(REPO(p), tip)) < 0) {
		error = kx_error_set(KX_EINVALID,
				     "cannot switch to %s: %s", ref_desc,
				     git_error_last() ? git_error_last()->message : "local changes are in the way");
		kx_error_hint("commit or stash your changes first; nothing was changed");
		goto undo;
	}
	if ((error = kx_git(git_branch_create(&ref, REPO(p), branch, tip, 0))) < 0 ||
	    (!git_repository_is_bare(REPO(p)) &&
	     (error = kx_git(git_repository_set_head(REPO(p), refname))) < 0))
		goto undo;
	/*
	 * The reflog entry that made it, which the state saved before had
	 * no branch to read: else a branch made again under its name before
	 * the next save would take this state, and be recorded as its own
	 */
	if (kx_prep_save(p) < 0)
		kx_error_clear();
	*created = branch;
	branch = NULL;
	*base_desc = kx_xasprintf("%s (%.12s)", ref_desc, hex);
	goto done;
undo:
	/* the branch was not made (or cannot be checked out): no state for it */
	{
		char *why = kx_xstrdup(kx_error_last());
		char *hint = kx_xstrdup(kx_error_last_hint());

		if (ref) {
			git_branch_delete(ref);
			git_error_clear();
		}
		if (kx_state_file_remove(&p->file) < 0)
			kx_error_clear();
		p->has_state = false;
		kx_error_set(error, "%s", why);
		if (*hint)
			kx_error_hint("%s", hint);
		free(why);
		free(hint);
	}
done:
	kx_trees_release(&trees);
	git_commit_free(tip);
	git_commit_free(base);
	git_reference_free(ref);
	free(branch);
	free(refname);
	free(ref_desc);
	return error;
}

/* Reads a string from the branch's config, or NULL. */
static char *branch_config(struct kx_prep *p, const char *key)
{
	git_config *cfg = NULL;
	char *name = kx_xasprintf("branch.%s.%s", p->branch, key), *v = NULL;

	if (git_repository_config_snapshot(&cfg, REPO(p)) == 0)
		kx_config_string(&v, cfg, name);
	git_config_free(cfg);
	free(name);
	git_error_clear();
	kx_error_clear();
	return v;
}

/* The series' name in b4's tags: the branch without b4's "b4/". */
static const char *b4_name(const char *branch)
{
	return kx_starts_with(branch, "b4/") ? branch + 3 : branch;
}

/* Fills a sent entry from b4's sent/<name>-vN tag, if there is one. */
static void import_sent_tag(struct kx_prep *p, struct kx_sent *e)
{
	char *tagname = kx_xasprintf("sent/%s-v%u", b4_name(p->branch), e->revision);
	char *ref = kx_xasprintf("refs/tags/%s", tagname);
	git_object *obj = NULL, *peeled = NULL;
	char hex[41];

	if (git_revparse_single(&obj, REPO(p), ref) == 0 &&
	    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0) {
		e->tag = kx_xstrdup(tagname);
		oid_hex(hex, git_object_id(peeled));
		e->tip = kx_xstrdup(hex);
		if (git_object_type(obj) == GIT_OBJECT_TAG) {
			const char *msg = git_tag_message((git_tag *)obj);
			const char *b = msg ? strstr(msg, "base-commit: ") : NULL;
			size_t n = 0;

			if (b) {
				b += strlen("base-commit: ");
				while (isxdigit((unsigned char)b[n]))
					n++;
				if (n == 40)
					e->base = kx_xstrndup(b, n);
			}
		}
	}
	git_object_free(peeled);
	git_object_free(obj);
	git_error_clear();
	free(ref);
	free(tagname);
}

/* The change-id: line b4 writes into tag tagname (caller frees), or NULL. */
static char *tag_change_id(struct kx_prep *p, const char *tagname)
{
	char *ref = kx_xasprintf("refs/tags/%s", tagname), *id = NULL;
	git_object *obj = NULL;

	if (git_revparse_single(&obj, REPO(p), ref) == 0 &&
	    git_object_type(obj) == GIT_OBJECT_TAG) {
		const char *msg = git_tag_message((git_tag *)obj);
		const char *c = msg ? strstr(msg, "\nchange-id: ") : NULL;

		if (c) {
			c += strlen("\nchange-id: ");
			id = kx_xstrndup(c, strcspn(c, " \t\r\n"));
		}
	}
	git_object_free(obj);
	git_error_clear();
	free(ref);
	return id;
}

/*
 * The branch b4/<name> that b4's naming gives the same sent/ tags as
 * <name>, if it exists: they are b4's, made for that branch.
 */
static char *tag_sibling(struct kx_prep *p)
{
	char *other;
	git_oid oid;

	if (kx_starts_with(p->branch, "b4/"))
		return NULL;
	other = kx_xasprintf("b4/%s", p->branch);

	if (branch_tip(&oid, REPO(p), other) == 0)
		return other;
	git_error_clear();
	kx_error_clear();
	free(other);
	return NULL;
}

/*
 * b4's sent/<name>-vN tags of versions its history does not list, those
 * of this series only: with its change-id (a fresh enrollment takes the
 * newest tag's, the series' identity when its state was lost), or none;
 * never those of the branch that b4's naming gives the same tags.
 */
static void import_other_sent_tags(struct kx_prep *p, bool fresh,
				   struct kx_strlist *notes)
{
	char *glob = kx_xasprintf("sent/%s-v*", b4_name(p->branch));
	char *sibling = tag_sibling(p), *newest = NULL;
	git_strarray tags = { NULL, 0 };
	size_t i, prefix = strlen(glob) - 1;
	unsigned top = 0;

	if (git_tag_list_match(&tags, glob, REPO(p)) < 0 || !tags.count)
		goto done;
	if (sibling) {
		kx_strlist_addf(notes, "the sent/%s-v* tags are %s's: not imported",
				b4_name(p->branch), sibling);
		goto done;
	}
	for (i = 0; fresh && i < tags.count; i++) {
		unsigned rev;

		if (kx_parse_revision(&rev, tags.strings[i] + prefix - 1) == 0 &&
		    rev > top) {
			top = rev;
			free(newest);
			newest = tag_change_id(p, tags.strings[i]);
		}
	}
	if (newest) {
		free(p->state.change_id);
		p->state.change_id = newest;
		newest = NULL;
	}
	for (i = 0; i < tags.count; i++) {
		char *id;
		unsigned rev;
		bool other;

		if (kx_parse_revision(&rev, tags.strings[i] + prefix - 1) < 0 ||
		    kx_state_find_sent(&p->state, rev))
			continue;
		id = tag_change_id(p, tags.strings[i]);
		other = id && (!p->state.change_id || strcmp(id, p->state.change_id));
		free(id);
		if (other)
			continue;
		import_sent_tag(p, kx_state_add_sent(&p->state, rev));
		/* the next version is the one to prepare */
		if (rev >= p->state.revision)
			p->state.revision = rev + 1;
	}
done:
	git_strarray_dispose(&tags);
	git_error_clear();
	kx_error_clear();
	free(newest);
	free(sibling);
	free(glob);
}

/* Imports b4's tracking JSON ({"series": {...}}) into the state. */
static int import_b4_tracking(struct kx_prep *p, const char *text,
			      struct kx_strlist *notes)
{
	char *what = kx_xasprintf("b4's tracking data of %s", p->branch);
	size_t i, before = p->state.sent_nr;
	int error = kx_b4_tracking_parse(&p->state, text, what);

	free(what);
	if (error < 0)
		return error;
	for (i = before; i < p->state.sent_nr; i++)
		import_sent_tag(p, &p->state.sent[i]);
	import_other_sent_tags(p, false, notes);
	kx_error_clear();
	free(p->state.imported_from);
	p->state.imported_from = kx_xstrdup("b4");
	kx_strlist_addf(notes, "imported b4's series: change-id %s, v%u, %zu sent version%s",
			p->state.change_id, p->state.revision, p->state.sent_nr,
			p->state.sent_nr == 1 ? "" : "s");
	return 0;
}

/*
 * Sets the cover from text (first line the subject), which what names: a
 * text that is not UTF-8 is read as Latin-1, which a note says.  b4's
 * cover holds more than its text (help, recipients, a sign-off, version
 * notes): kx_b4_cover_import() takes it apart, the recipients kept for send.
 */
static int set_cover(struct kx_prep *p, const char *text, const char *what,
		     bool b4, struct kx_strlist *notes)
{
	struct kx_b4_cover c = KX_B4_COVER_INIT;
	char *subject, *body;
	bool converted;
	size_t i;
	int error;

	if (b4)
		kx_b4_cover_import(&c, text);
	error = kx_cover_from_text(&subject, &body, b4 ? c.text : text, false,
				   what, &converted);
	if (error < 0)
		goto done;
	if (converted)
		kx_strlist_addf(notes, "%s is not UTF-8: it was read as Latin-1 (Windows-1252)",
				what);
	free(p->state.cover_subject);
	free(p->state.cover_body);
	p->state.cover_subject = subject;
	p->state.cover_body = body;
	if (!b4)
		goto done;
	for (i = 0; i < c.to.nr; i++)
		kx_strlist_add(&p->state.to, c.to.items[i]);
	for (i = 0; i < c.cc.nr; i++)
		kx_strlist_add(&p->state.cc, c.cc.items[i]);
	if (c.to.nr || c.cc.nr)
		kx_strlist_addf(notes, "b4's cover: %zu To: and %zu Cc: kept as the recipients for send",
				c.to.nr, c.cc.nr);
	if (c.versions)
		kx_strlist_addf(notes, "b4's cover: its 'Changes in vN:' notes are the cover's version notes");
	if (c.help || c.signoffs)
		kx_strlist_addf(notes, "b4's cover: its help lines and Signed-off-by: are left out");
done:
	kx_b4_cover_release(&c);
	return error;
}

/*
 * Re-creates the commits above b4's cover commit on its parent.  The cover
 * commit is empty, so every tree stays as it is and so does the work tree;
 * the branch moves the way every rewrite does (rewrite.c).
 */
static int drop_b4_cover(struct kx_prep *p, git_commit *cover,
			 struct kx_strlist *notes)
{
	git_commit *c = NULL;
	git_oid *above = NULL;
	size_t nr = 0, alloc = 0, i;
	git_oid tip, parent;
	char *refname = kx_xasprintf("refs/heads/%s", p->branch), *bref = NULL;
	char *reason = NULL;
	int error;

	if ((error = kx_git(git_reference_name_to_id(&tip, REPO(p), refname))) < 0 ||
	    (error = kx_rewrite_check_clean(REPO(p), p->branch)) < 0 ||
	    (error = kx_rewrite_check_writable(REPO(p))) < 0)
		goto done;
	/* the commits from the tip down to the cover, newest first */
	git_oid_cpy(&parent, &tip);
	while (git_oid_cmp(&parent, git_commit_id(cover))) {
		if ((error = kx_git(git_commit_lookup(&c, REPO(p), &parent))) < 0)
			goto done;
		kx_grow((void **)&above, &alloc, nr, sizeof(*above));
		git_oid_cpy(&above[nr++], &parent);
		git_oid_cpy(&parent, git_commit_parent_id(c, 0));
		git_commit_free(c);
		c = NULL;
	}
	/* oldest first, on the cover's parent */
	for (i = 0; i < nr / 2; i++) {
		git_oid t = above[i];

		above[i] = above[nr - 1 - i];
		above[nr - 1 - i] = t;
	}
	git_oid_cpy(&parent, git_commit_parent_id(cover, 0));
	if (nr && (error = kx_rewrite_recreate(&parent, NULL, REPO(p), &parent,
					       above, nr, NULL)) < 0)
		goto done;

	reason = kx_xasprintf("drop b4's cover commit %.12s",
			      git_oid_tostr_s(git_commit_id(cover)));
	/* the state must follow the branch: known writable before it moves */
	if ((error = kx_prep_lock_writable(p)) < 0)
		goto done;
	if ((error = kx_rewrite_update_branch(&bref, REPO(p), p->branch, &tip, &parent,
					      "prep --drop-b4-cover", reason)) < 0)
		goto done;
	{
		char cover_hex[41], tip_hex[41];

		oid_hex(cover_hex, git_commit_id(cover));
		oid_hex(tip_hex, &tip);
		kx_strlist_addf(notes, "dropped b4's cover commit %.12s; the old tip %.12s is kept as %s",
				cover_hex, tip_hex, bref);
	}
done:
	git_commit_free(c);
	free(above);
	free(refname);
	free(bref);
	free(reason);
	return error;
}

/* The commit right above base on the branch's first-parent line, or NULL. */
static git_commit *first_above(struct kx_prep *p, const git_oid *base,
			       const git_oid *tip)
{
	git_commit *c = NULL;
	git_oid oid;
	size_t guard = 0;

	git_oid_cpy(&oid, tip);
	while (git_oid_cmp(&oid, base) && guard++ < 100000) {
		git_commit_free(c);
		c = NULL;
		if (git_commit_lookup(&c, REPO(p), &oid) < 0 ||
		    !git_commit_parentcount(c))
			break;
		if (!git_oid_cmp(git_commit_parent_id(c, 0), base))
			return c;
		git_oid_cpy(&oid, git_commit_parent_id(c, 0));
	}
	git_commit_free(c);
	git_error_clear();
	return NULL;
}

/*
 * The base that check-base finds, with its scope and name: the branch's
 * series as the one series model resolves it (kx_series_resolve(), the
 * walk every command shares), and check-base's verdict on it.  The model
 * opens the repository again as git finds it, p's own: p holds the state
 * lock, and the unenrolled branch has no state to read.
 */
static int checkbase_base(struct kx_prep *p, const git_oid *tip, git_oid *base)
{
	struct kx_series_query q;
	struct kx_resolved s;
	struct kx_checkbase *cb = NULL;
	struct kx_base_result r = KX_BASE_RESULT_INIT;
	char *arg = kx_xasprintf("refs/heads/%s", p->branch);
	char hex[41];
	int error;

	memset(&q, 0, sizeof(q));
	q.arg = arg;
	q.need_branch = true;
	if ((error = kx_series_resolve(&s, &q)) < 0 ||
	    (error = kx_series_checkbase(&cb, &s)) < 0 ||
	    (error = kx_base_decide(&r, &cb->series, &cb->facts, &cb->config)) < 0) {
		{
			char *w = kx_shell_word(p->branch);

			kx_error_hint("give the base yourself: kvmx86 prep --enroll --base <rev> %s", w);
			free(w);
		}
		goto done;
	}
	/* the branch moved between the two looks: say so rather than guess */
	oid_hex(hex, tip);
	if (strcmp(hex, s.prep.range.end)) {
		error = kx_error_set(KX_EINVALID, "branch %s moved while it was enrolled",
				     p->branch);
		kx_error_hint("run kvmx86 prep --enroll again");
		goto done;
	}
	git_oid_fromstr(base, cb->facts.fork);
	free(p->state.base_scope);
	free(p->state.base_ref);
	p->state.base_scope = kx_xstrdup(kx_scope_name(r.scope));
	/* only a KVM ref is followed; a fork point elsewhere is given */
	p->state.base_ref = r.actual && !strcmp(r.actual->tip, cb->facts.fork) ?
			    kx_xstrdup(r.actual->name) : NULL;
done:
	kx_base_result_release(&r);
	kx_resolved_release(&s);
	free(arg);
	return error;
}

/* --enroll --base on an enrolled branch: a new base, the rest kept. */
static int rebase_state(struct kx_prep *p, const char *rev,
			struct kx_strlist *notes)
{
	char *old = p->state.base_commit;
	git_oid tip, base;
	char hex[41];
	int error;

	if (branch_tip(&tip, REPO(p), p->branch) < 0)
		return no_branch(p);
	if ((error = given_base(p, rev, &tip, &base)) < 0)
		return error;
	oid_hex(hex, &base);
	p->state.base_commit = kx_xstrdup(hex);
	/* the resolver's range was for the old base */
	p->range_valid = false;
	if ((error = kx_prep_save(p)) < 0) {
		free(p->state.base_commit);
		p->state.base_commit = old;
		return error;
	}
	kx_strlist_addf(notes, "the base of %s is now %.12s%s%s%s (was %.12s); the change-id and v%u stay",
			p->branch, hex, p->state.base_ref ? " (" : "",
			p->state.base_ref ? p->state.base_ref : "",
			p->state.base_ref ? ")" : "", old ? old : "none",
			p->state.revision);
	free(old);
	return 0;
}

/*
 * What an enrollment of the enrolled branch would change, or NULL: the
 * base, the cover letter of git's description or b4's, b4's tracking.
 */
static const char *reenroll_change(struct kx_prep *p, const char *base_rev)
{
	char *desc = branch_config(p, "description");
	char *tracking = branch_config(p, "b4-tracking");
	char *subject = NULL, *body = NULL;
	const char *what = NULL;
	git_oid want;

	if (base_rev && (kx_git_resolve_commit(&want, REPO(p), base_rev) < 0 ||
			 str_differs(git_oid_tostr_s(&want), p->state.base_commit)))
		what = "base";
	if (!what && desc && !p->state.b4_cover_commit) {
		struct kx_b4_cover c = KX_B4_COVER_INIT;
		bool converted;

		/* read as an enrollment reads it (set_cover()) */
		if (tracking)
			kx_b4_cover_import(&c, desc);
		if (kx_cover_from_text(&subject, &body, tracking ? c.text : desc,
				       false, "the branch description", &converted) < 0)
			kx_error_clear();
		kx_b4_cover_release(&c);
		if (str_differs(subject, p->state.cover_subject) ||
		    str_differs(body, p->state.cover_body))
			what = "cover letter (the branch description changed)";
	}
	if (!what && tracking) {
		json_t *root = json_loads(tracking, 0, NULL);
		json_t *series = json_object_get(root, "series");
		json_t *v = json_object_get(series, "change-id");

		if (json_is_string(v) &&
		    str_differs(json_string_value(v), p->state.change_id))
			what = "change-id (b4's tracking changed)";
		v = json_object_get(series, "revision");
		if (!what && json_is_integer(v) &&
		    (unsigned)json_integer_value(v) != p->state.revision)
			what = "revision (b4's tracking changed)";
		json_decref(root);
	}
	kx_error_clear();
	free(subject);
	free(body);
	free(desc);
	free(tracking);
	return what;
}

/*
 * --enroll --drop-b4-cover of an enrolled branch: b4's cover commit, kept
 * at the enrollment, goes now (the commit right above the base, whatever
 * id a rebase gave it).
 */
static int drop_enrolled_b4_cover(struct kx_prep *p, struct kx_strlist *notes)
{
	git_commit *first = NULL;
	git_oid oid;
	size_t n;
	int error;

	if (!p->state.b4_cover_commit)
		return kx_error_set(KX_EINVALID, "%s has no b4 cover commit to drop",
				    p->branch);
	if (branch_tip(&oid, REPO(p), p->branch) < 0)
		return no_branch(p);
	/* down the first parents to b4's cover, by its message: a rebase renames it */
	for (n = 0; n < 10000; n++) {
		if (git_commit_lookup(&first, REPO(p), &oid) < 0 ||
		    kx_is_b4_cover(first) || git_commit_parentcount(first) != 1 ||
		    (p->state.base_commit && !strcmp(git_oid_tostr_s(&oid), p->state.base_commit)))
			break;
		git_oid_cpy(&oid, git_commit_parent_id(first, 0));
		git_commit_free(first);
		first = NULL;
	}
	git_error_clear();
	if (!first || !kx_is_b4_cover(first)) {
		git_commit_free(first);
		return kx_error_set(KX_EINVALID, "%s has no b4 cover commit to drop any more",
				    p->branch);
	}
	if ((error = drop_b4_cover(p, first, notes)) == 0) {
		free(p->state.b4_cover_commit);
		p->state.b4_cover_commit = NULL;
		p->range_valid = false;
		error = kx_prep_save(p);
	}
	git_commit_free(first);
	return error;
}


/*
 * Moves the state file f of p's branch to
 * <common dir>/kvmx86/archive/<name>-<UTC time>[-N].json; *path names it.
 */
static int archive_state(struct kx_prep *p, struct kx_state_file *f, char **path)
{
	char *name, *dir, *stem, stamp[32];
	time_t now = time(NULL);
	int error;

	/* room for "-<date>-N.json" and the temporary name beside it */
	name = kx_state_file_name_max(p->branch, 200);
	name[strlen(name) - strlen(".json")] = '\0';
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", gmtime(&now));
	dir = kx_xasprintf("%skvmx86/archive", p->commondir);
	stem = kx_xasprintf("%s-%s", name, stamp);
	if ((error = kx_state_file_archive(f, dir, stem, path)) == 0 &&
	    (error = kx_state_file_remove(f)) < 0) {
		free(*path);
		*path = NULL;
	}
	free(name);
	free(dir);
	free(stem);
	return error;
}

/*
 * Archives the state of an earlier branch of p's name (p->earlier_state)
 * before p's branch is enrolled anew, leaving p->file empty (and locked,
 * if it was); the earlier branch's sent/ tags stay its own.
 */
static int archive_earlier(struct kx_prep *p, struct kx_strlist *notes)
{
	bool locked = p->file.lock != NULL;
	char *path = NULL;
	int error;

	if (!p->file.loaded && (error = kx_state_file_load(&p->file, p->state_path)) < 0)
		return error;
	if ((error = archive_state(p, &p->file, &path)) < 0)
		return error;
	kx_strlist_addf(notes, "the state of an earlier branch %s (deleted, and the name used again) is archived to %s; its sent/ tags are left as they are, and not imported",
			p->branch, path);
	free(path);
	kx_state_file_release(&p->file);
	if (!locked) {
		kx_state_file_init(&p->file);
		return 0;
	}
	if ((error = kx_state_file_lock(&p->file, p->state_path)) == 0)
		return kx_error_set(KX_ERROR, "another kvmx86 wrote %s meanwhile: run the command again",
				    p->state_path);
	return error == KX_ENOTFOUND ? 0 : error;
}

int kx_prep_enroll(struct kx_prep *p, const char *base_rev,
		   bool drop_b4_cover_commit, struct kx_strlist *notes)
{
	git_commit *first = NULL;
	git_oid tip, base;
	char *desc = NULL, *tracking = NULL, *orphan = NULL, *old = NULL;
	char hex[41];
	int error;

	if (p->has_state && drop_b4_cover_commit) {
		/* one change at a time: a new base is an enrollment's own */
		if (base_rev)
			return kx_error_set(KX_EINVALID,
					    "%s is enrolled: give --drop-b4-cover alone, then --enroll --base",
					    p->branch);
		return drop_enrolled_b4_cover(p, notes);
	}
	if (p->has_state) {
		const char *what = reenroll_change(p, base_rev);

		/* a new base (after a rebase): the change-id and revision stay */
		if (what && !strcmp(what, "base"))
			return rebase_state(p, base_rev, notes);
		if (!what) {
			kx_error_clear();
			kx_strlist_addf(notes, "%s is enrolled already: nothing changed",
					p->branch);
			return 0;
		}
		error = kx_error_set(KX_EINVALID,
				     "branch %s is enrolled already, and enrolling it again would change its %s",
				     p->branch, what);
		/* the actions that change the state; starting anew loses its history */
		if (kx_starts_with(what, "cover letter"))
			kx_error_hint("the description is read once, when the branch is enrolled: change the cover letter with\n"
				      "  kvmx86 prep --edit-cover");
		else if (kx_starts_with(what, "revision"))
			kx_error_hint("kvmx86 keeps its own revision (v%u); to set another: kvmx86 prep --force-revision <N>",
				      p->state.revision);
		else if (p->state.sent_nr)
			kx_error_hint("kvmx86 keeps the state it has: starting it anew (kvmx86 prep --cleanup --force) would drop the %zu version%s sent, their sent/ tags and the change-id that links them",
				      p->state.sent_nr, p->state.sent_nr == 1 ? "" : "s");
		else
			kx_error_hint("kvmx86 keeps the state it has; to start it anew from the branch (nothing was sent):\n"
				      "  kvmx86 prep --cleanup --force && kvmx86 prep --enroll");
		return error;
	}
	if (branch_tip(&tip, REPO(p), p->branch) < 0)
		return no_branch(p);

	/*
	 * A state left by this branch under its old name: adopt it.  Not
	 * when a base is given (that is a new enrollment), nor for a name
	 * that enrolls only with one.
	 */
	if (!base_rev && kx_branch_name_is_safe(p->branch))
		orphan = find_orphan(p, &old);
	if (!orphan)
		note_empty_orphans(p, notes);
	if (p->earlier_state && (error = archive_earlier(p, notes)) < 0)
		goto done;
	if (orphan) {
		if ((error = kx_state_file_adopt(&p->file, orphan)) < 0)
			goto done;
		/* the branch it is now: the old name's reflog went with it, or not */
		free(p->state.branch_created);
		p->state.branch_created = NULL;
		if ((error = kx_prep_save(p)) < 0)
			goto done;
		unlink(orphan);
		p->has_state = true;
		kx_strlist_addf(notes, "adopted the state of %s, renamed to %s",
				old, p->branch);
		goto done;
	}

	p->state.change_id = new_change_id(p->branch);
	if (base_rev) {
		if ((error = given_base(p, base_rev, &tip, &base)) < 0)
			goto done;
	} else if ((error = checkbase_base(p, &tip, &base)) < 0) {
		goto done;
	}

	/* b4's cover commit sits right above the base (check-base skips it) */
	first = first_above(p, &base, &tip);
	if (first && kx_is_b4_cover(first)) {
		const char *msg = git_commit_message(first);
		const char *marker = strstr(msg, KX_B4_TRACKING_MARKER);
		char *cover = kx_xstrndup(msg, (size_t)(marker - msg));
		const char *json = strchr(marker, '{');

		error = set_cover(p, cover, "b4's cover commit", true, notes);
		free(cover);
		if (error < 0)
			goto done;
		if (json && (error = import_b4_tracking(p, json, notes)) < 0)
			goto done;
		git_oid_cpy(&base, git_commit_parent_id(first, 0));
		if (drop_b4_cover_commit) {
			if ((error = drop_b4_cover(p, first, notes)) < 0)
				goto done;
		} else {
			oid_hex(hex, git_commit_id(first));
			p->state.b4_cover_commit = kx_xstrdup(hex);
			kx_strlist_addf(notes, "b4's cover commit %.12s is kept and left out of the series (--drop-b4-cover removes it)",
					hex);
		}
	} else if ((tracking = branch_config(p, "b4-tracking"))) {
		if ((desc = branch_config(p, "description")) &&
		    (error = set_cover(p, desc, "the branch description", true,
				       notes)) < 0)
			goto done;
		if ((error = import_b4_tracking(p, tracking, notes)) < 0)
			goto done;
	} else if ((desc = branch_config(p, "description"))) {
		if ((error = set_cover(p, desc, "the branch description", false,
				       notes)) < 0)
			goto done;
		kx_strlist_add(notes, "the branch description is the cover letter");
	} else if (drop_b4_cover_commit) {
		error = kx_error_set(KX_EINVALID, "%s has no b4 cover commit to drop",
				     p->branch);
		goto done;
	}
	if (!p->state.imported_from && !p->earlier_state) {
		import_other_sent_tags(p, true, notes);
		if (p->state.sent_nr)
			kx_strlist_addf(notes, "imported %zu sent version%s from b4's sent/ tags",
					p->state.sent_nr, p->state.sent_nr == 1 ? "" : "s");
	}
	oid_hex(hex, &base);
	free(p->state.base_commit);
	p->state.base_commit = kx_xstrdup(hex);
	if ((error = kx_prep_save(p)) < 0)
		goto done;
	p->has_state = true;
done:
	git_commit_free(first);
	free(desc);
	free(tracking);
	free(orphan);
	free(old);
	return error;
}

bool kx_prep_cached_range(struct kx_prep *p, const char *tip)
{
	struct kx_prep_range *r = &p->range;
	struct kx_range_cache c;
	char *path = kx_range_cache_path(p->commondir, p->branch);
	char *text = kx_read_file(path);
	bool hit = text && !kx_range_cache_parse(&c, text) &&
		   kx_range_cache_matches(&c, tip, p->state.base_commit,
					  p->state.b4_cover_commit);

	if (hit) {
		memset(r, 0, sizeof(*r));
		memcpy(r->end, tip, sizeof(r->end));
		memcpy(r->base, c.base, sizeof(r->base));
		memcpy(r->start, c.start, sizeof(r->start));
		memcpy(r->from, c.from, sizeof(r->from));
		r->count = c.count;
		kx_trace("prep: the series range from the range cache");
		p->range_valid = true;
	}
	free(text);
	free(path);
	return hit;
}

/*
 * `git var GIT_EDITOR`: what git itself would run.  Its stderr goes to a
 * file of dir, so that its reason is part of kvmx86's one fatal line.
 */
static int git_editor(char **out, const char *dir)
{
	char *errpath = kx_xasprintf("%s/.git-var.XXXXXX", dir), *why = NULL;
	/* the file's path is an argument of the script, never part of it */
	const char *argv[] = { "sh", "-c", "exec git var GIT_EDITOR 2>\"$1\"",
			       "sh", errpath, NULL };
	int fd, status, error;
	size_t n;

	*out = NULL;
	if ((fd = mkstemp(errpath)) < 0) {
		error = kx_error_set(KX_ERROR, "cannot create %s: %s", errpath,
				     strerror(errno));
		free(errpath);
		return error;
	}
	close(fd);
	error = kx_run(argv, NULL, out, &status);
	why = kx_read_file(errpath);
	unlink(errpath);
	free(errpath);
	if (error < 0)
		goto done;
	n = strlen(*out);
	while (n && ((*out)[n - 1] == '\n' || (*out)[n - 1] == '\r'))
		(*out)[--n] = '\0';
	if (status || !n) {
		const char *w = why ? why : "";

		if (kx_starts_with(w, "fatal: "))
			w += strlen("fatal: ");
		free(*out);
		*out = NULL;
		error = kx_error_set(KX_ERROR, "git var GIT_EDITOR names no editor%s%.*s",
				     *w ? ": " : "", (int)strcspn(w, "\n"), w);
		kx_error_hint("set one: git config core.editor <editor>");
	}
done:
	free(why);
	return error;
}

/*
 * Whether the first line the editor left, past the '#' lines, is blank:
 * the subject left empty (the file shows a cover without one so: a single
 * patch's needs none), the text below it being the body.  The first
 * non-empty line would otherwise become the subject, a "v2:" header that
 * send added below no subject among them.
 */
static bool subject_left_empty(const char *text)
{
	const char *nl;

	while (*text == '#') {
		if (!(nl = strchr(text, '\n')))
			return false;
		text = nl + 1;
	}
	while (*text == ' ' || *text == '\t' || *text == '\r')
		text++;
	return *text == '\n';
}

int kx_prep_edit_cover(struct kx_prep *p, bool *changed,
		       struct kx_strlist *notes)
{
	char *name = kx_state_file_name(p->branch);
	char *dir = kx_xasprintf("%skvmx86/cover", p->commondir);
	char *path, *editor = NULL, *script = NULL, *text = NULL, *subject = NULL, *body = NULL;
	const char *argv[6];
	bool converted, keep = true;
	FILE *f = NULL;
	int fd, status, error;

	*changed = false;
	/*
	 * A lock left behind fails now, before anything is typed: at the
	 * save it would keep the text in a file the next edit refuses.
	 */
	if (p->has_state) {
		if ((error = kx_prep_lock(p)) < 0) {
			free(name);
			free(dir);
			return error;
		}
		kx_state_file_unlock(&p->file);
	}
	/* one file a branch, never shared: two edits at once stay apart */
	name[strlen(name) - strlen(".json")] = '\0';
	path = kx_xasprintf("%s/%s.EDITMSG", dir, name);
	free(name);
	if ((error = kx_mkdir_p(dir)) < 0)
		goto done;
	/* not over another edit's file, nor over text an earlier one kept */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0 && errno == EEXIST) {
		error = kx_error_set(KX_EINVALID,
				     "the cover letter of %s is being edited by another kvmx86, or an earlier edit kept its text in %s",
				     p->branch, path);
		kx_error_hint("finish that edit; else take what you need from the file, then: rm %s",
			      path);
		goto done;
	}
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		error = kx_error_set(KX_ERROR, "cannot write %s: %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		keep = true;
		goto done;
	}
	keep = false;
	fprintf(f, "%s\n\n%s%s"
		"# The cover letter of %s, v%u.  The first line is its subject, the\n"
		"# rest its blurb.  End it with what changed in each version, newest\n"
		"# first: a line \"v%u:\" after a blank line, terse \" - \" bullets below;\n"
		"# kvmx86 prep --cover links the earlier versions to lore.\n"
		"# Lines starting with '#' are dropped; an empty or\n"
		"# unchanged text changes nothing.  Nothing here changes a commit.\n",
		p->state.cover_subject ? p->state.cover_subject : "",
		p->state.cover_body ? p->state.cover_body : "",
		p->state.cover_body && *p->state.cover_body ? "\n\n" : "",
		p->branch, p->state.revision, p->state.revision);
	if (fclose(f)) {
		error = kx_error_set(KX_ERROR, "cannot write %s", path);
		goto done;
	}
	f = NULL;
	if ((error = git_editor(&editor, dir)) < 0)
		goto done;
	/* as git runs it: the editor string may hold arguments */
	script = kx_xasprintf("%s \"$@\"", editor);
	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = script;
	argv[3] = editor;
	argv[4] = path;
	argv[5] = NULL;
	if ((error = kx_run(argv, NULL, NULL, &status)) < 0)
		goto done;
	if (status) {
		error = kx_error_set(KX_ERROR, "the editor '%s' failed (exit %d): the cover letter is unchanged",
				     editor, status);
		goto done;
	}
	text = kx_read_file(path);
	if (!text) {
		error = kx_error_set(KX_ERROR, "cannot read %s", path);
		goto done;
	}
	/* what the editor wrote is never lost: kept unless it is stored */
	keep = true;
	if (subject_left_empty(text)) {
		/* a stand-in subject line, so that the text below stays the body */
		char *marked = kx_xasprintf("-\n%s", text);

		error = kx_cover_from_text(&subject, &body, marked, true,
					   "the cover letter", &converted);
		free(marked);
		if (!error) {
			free(subject);
			subject = kx_xstrdup("");
		}
	} else {
		error = kx_cover_from_text(&subject, &body, text, true,
					   "the cover letter", &converted);
	}
	if (error < 0) {
		kx_error_hint("the subject goes into a mail header: one line of UTF-8 without control characters;\n"
			      "your text is kept in %s", path);
		goto done;
	}
	if (converted)
		kx_strlist_add(notes, "the cover letter is not UTF-8: it was read as Latin-1 (Windows-1252)");
	if ((!*subject && !*body) ||
	    (!strcmp(subject, p->state.cover_subject ? p->state.cover_subject : "") &&
	     !strcmp(body, p->state.cover_body ? p->state.cover_body : ""))) {
		keep = false;
		goto done;
	}
	free(p->state.cover_subject);
	free(p->state.cover_body);
	/* no subject is none, as a new series' state has it */
	p->state.cover_subject = *subject ? subject : NULL;
	p->state.cover_body = body;
	if (!*subject)
		free(subject);
	subject = body = NULL;
	if ((error = kx_prep_save(p)) < 0) {
		kx_error_hint("your text is kept in %s", path);
		goto done;
	}
	*changed = true;
	keep = false;
done:
	/* the directory stays: another edit may be about to make its file */
	if (!keep)
		unlink(path);
	free(path);
	free(dir);
	free(editor);
	free(script);
	free(text);
	free(subject);
	free(body);
	return error;
}

int kx_prep_compare_argv(struct kx_prep *p, unsigned rev, struct kx_strlist *argv)
{
	const struct kx_sent *e = kx_state_find_sent(&p->state, rev);
	struct kx_prep_range r;
	char base_hex[41] = "";
	int error;

	if (e && e->tip && !e->base) {
		/* a tag without base-commit: where that version left the base */
		git_oid tip, base, mb;

		if (!git_oid_fromstr(&tip, e->tip) && p->state.base_commit &&
		    !git_oid_fromstr(&base, p->state.base_commit) &&
		    !git_merge_base(&mb, REPO(p), &tip, &base))
			oid_hex(base_hex, &mb);
		git_error_clear();
	}
	if (!e || !e->tip || (!e->base && !*base_hex)) {
		error = kx_error_set(KX_ENOTFOUND, "v%u of %s was not sent, or kvmx86 does not know its commits",
				     rev, p->branch);
		kx_error_hint("kvmx86 prep --show-info lists the versions it knows (series-vN)");
		return error;
	}
	if (!p->range_valid)
		return kx_error_set(KX_EINVALID, "the series of %s is not known", p->branch);
	r = p->range;
	kx_repo_git_argv(argv, REPO(p));
	kx_strlist_add(argv, "range-diff");
	kx_strlist_addf(argv, "%s..%s", e->base ? e->base : base_hex, e->tip);
	kx_strlist_addf(argv, "%s..%s", r.from, r.end);
	return 0;
}

/*
 * How many of the series model's commits no sent version's tip has (a
 * reword makes new ones): a commit is sent when a sent tip is it or
 * descends from it.
 */
static size_t unsent_commits(struct kx_prep *p, const struct kx_series *series)
{
	size_t i, k, unsent = 0;

	for (i = 0; i < series->nr; i++) {
		bool sent = false;
		git_oid id, tip;

		if (git_oid_fromstr(&id, series->commits[i].id) < 0)
			continue;
		/* a sent tip gone from the repository holds nothing here */
		for (k = 0; k < p->state.sent_nr && !sent; k++)
			sent = p->state.sent[k].tip &&
			       git_oid_fromstr(&tip, p->state.sent[k].tip) == 0 &&
			       (git_oid_equal(&tip, &id) ||
				git_graph_descendant_of(REPO(p), &tip, &id) == 1);
		unsent += !sent;
	}
	git_error_clear();
	return unsent;
}

int kx_prep_cleanup(struct kx_prep *p, const struct kx_series *series,
		    bool force, char **archived)
{
	char *name = NULL, *path = NULL;
	size_t i, unsent;
	int error;

	*archived = NULL;
	/*
	 * An unfinished send has mails on the list already and the rest
	 * recorded nowhere else: archived, they would never go (a resend,
	 * or a version whose commits an earlier one has, counts no unsent
	 * commit).
	 */
	if (!force && p->state.attempt) {
		const struct kx_attempt *a = p->state.attempt;
		const char *resend = strcmp(a->kind, "resend") ? "" : " --resend v";
		char ver[16] = "";
		/* a command to paste: the branch is one word of it */
		char *w = kx_shell_word(p->branch);

		if (*resend)
			snprintf(ver, sizeof(ver), "%u", a->revision);
		kx_error_set(KX_EINVALID,
			     "an attempt to %s v%u of %s began %s and is not finished (%zu of %zu mails accepted): nothing was cleaned up",
			     a->kind, a->revision, p->branch, a->date ? a->date : "earlier",
			     kx_attempt_count(a, "accepted"), a->nr);
		kx_error_hint("finish it first (the same mails, byte for byte):\n"
			      "  kvmx86 send%s%s %s\n"
			      "or archive anyway, its mails left never sent:\n"
			      "  kvmx86 prep --cleanup --force %s",
			      resend, ver, w, w);
		free(w);
		return 1;
	}
	if (!force) {
		if (!p->range_valid)
			return kx_error_set(KX_EINVALID, "the series of %s is not known",
					    p->branch);
		if ((unsent = unsent_commits(p, series))) {
			kx_error_set(KX_EINVALID,
				     "%s has %zu commit%s that no sent version holds: nothing was cleaned up",
				     p->branch, unsent, unsent == 1 ? "" : "s");
			kx_error_hint("send it first, or archive anyway: kvmx86 prep --cleanup --force");
			return 1;
		}
	}
	/* a running kvmx86 test: its worktrees stay, and so does the state */
	if ((error = kx_test_worktrees_busy(p->commondir, p->branch)) < 0)
		return error;
	if ((error = archive_state(p, &p->file, &path)) < 0)
		goto done;
	name = kx_range_cache_path(p->commondir, p->branch);
	unlink(name);
	for (i = 0; i < p->state.sent_nr; i++)
		if (p->state.sent[i].tag)
			git_tag_delete(REPO(p), p->state.sent[i].tag);
	git_error_clear();
	p->has_state = false;
	*archived = path;
	path = NULL;
done:
	free(name);
	free(path);
	return error;
}
