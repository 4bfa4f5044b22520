// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cover letter's facts.  The shortlog and the diffstat come from git
 * itself (an argv, in the repository): format-patch's cover letter prints
 * `git shortlog -w72,2,4` and `git diff --stat=72 --summary` of the range,
 * and only git's own code gives its name shortening, rename notation,
 * mailmap and wrapping byte for byte.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <git2.h>

#include "io.h"
#include "kvmx86/check.h"
#include "kvmx86/checkbase.h"
#include "kvmx86/coverio.h"
#include "kvmx86/error.h"
#include "kvmx86/file.h"
#include "kvmx86/lore.h"
#include "kvmx86/resolve.h"
#include "kvmx86/run.h"
#include "kvmx86/state.h"
#include "kvmx86/testing.h"

#define REPO(p) ((git_repository *)(p)->repo)

/* The largest cover template read (kvmx86.coverTemplate). */
#define KX_COVER_TEMPLATE_MAX ((size_t)1 << 20)

/* Waits for git's block started with kx_run_start(); 0 or KX_ERROR. */
static int finish_git(struct kx_proc *proc, char **out, const char *what)
{
	int status;

	if (kx_run_finish(proc, out, &status) < 0)
		return KX_ERROR;
	if (status) {
		free(*out);
		*out = NULL;
		return kx_error_set(KX_ERROR, "git %s failed (exit %d)", what, status);
	}
	return 0;
}

/* Runs git with args in repo and captures its output; 0 or KX_ERROR. */
static int run_git(git_repository *repo, const char *const *args, char **out)
{
	struct kx_strlist argv = KX_STRLIST_INIT;
	const char **av;
	struct kx_proc proc;
	size_t k;
	int error;

	kx_repo_git_argv(&argv, repo);
	kx_strlist_add(&argv, "--no-pager");
	for (k = 0; args[k]; k++)
		kx_strlist_add(&argv, args[k]);
	av = kx_strlist_argv(&argv);
	*out = NULL;
	error = kx_run_start(&proc, av, kx_repo_cwd(repo));
	if (!error)
		error = finish_git(&proc, out, args[0]);
	else
		error = KX_ERROR;
	free(av);
	kx_strlist_release(&argv);
	return error;
}

/*
 * The prerequisite-patch-id lines of git format-patch --base for the
 * series: git's own, since its patch-ids of renames and binary files are
 * not those of `git patch-id --stable` (or libgit2's) over a diff.  Only
 * the first patch is formatted; the lines follow its last base-commit.
 */
static int prerequisite_ids(struct kx_cover_facts *f, struct kx_prep *p)
{
	char *base = kx_xasprintf("--base=%s", f->base_commit), *out = NULL;
	const char *args[] = { "format-patch", "--stdout", "--no-signature",
			       base, "-1", f->range.start, NULL };
	const char *s, *last = NULL;
	int error;

	if ((error = run_git(REPO(p), args, &out)) < 0)
		goto done;
	for (s = out; (s = strstr(s, "\nbase-commit: ")); s++)
		last = s + 1;
	for (s = last; s && *s; ) {
		size_t len = strcspn(s, "\n");

		if (kx_starts_with(s, "prerequisite-patch-id: "))
			kx_strlist_addf(&f->prerequisites, "%.*s", (int)len, s);
		s += len + (s[len] == '\n');
	}
done:
	free(out);
	free(base);
	return error;
}

/*
 * base-commit: the published commit the series forks from (check-base's
 * fork point); the commits between it and the series' own base are
 * prerequisites, each a prerequisite-patch-id line, oldest first.
 * Without the KVM trees, the recorded base alone.
 */
static void base_and_prerequisites(struct kx_cover_facts *f, struct kx_resolved *s)
{
	struct kx_prep *p = &s->prep;
	struct kx_checkbase *cb;
	size_t start;
	bool published = false;

	strcpy(f->base_commit, f->range.base);
	if (!f->range.start[0])
		return;
	/* on the tip of a KVM branch: published, nothing to walk */
	if (!kx_checkbase_is_kvm_tip(&published, REPO(p), f->range.base,
				     s->base_ref ? s->base_ref : p->state.base_ref) &&
	    published)
		return;
	kx_error_clear();
	if (kx_series_checkbase(&cb, s) < 0) {
		kx_strlist_addf(&f->warnings,
				"base-commit is the recorded base %.12s, not checked against the KVM trees: %s",
				f->range.base, kx_error_last());
		kx_error_clear();
		return;
	}
	if (!cb->facts.fork[0])
		return;
	strcpy(f->base_commit, cb->facts.fork);
	start = cb->prerequisites;
	if (start && prerequisite_ids(f, p) < 0) {
		kx_strlist_addf(&f->warnings, "no prerequisite-patch-id lines: %s",
				kx_error_last());
		kx_error_clear();
	}
	if (start)
		kx_strlist_addf(&f->warnings,
				"%zu commit%s between %.12s (published) and the series are not in a KVM tree: prerequisite-patch-id lines name them",
				start, start == 1 ? "" : "s", cb->facts.fork);
}

/* lore's URL for a Message-ID, as a cover letter links a version. */
static char *lore_url(const char *base, const char *msgid)
{
	char *link = kx_lore_link(base, msgid), *url;

	url = kx_xasprintf("%s/", link);
	free(link);
	return url;
}

int kx_series_lore_versions(struct kx_lore_versions *out, struct kx_prep *p,
			    const char *email, const char *subject)
{
	struct kx_lore_config lc;
	struct kx_lore_find q;
	git_config *cfg = NULL;
	int error;

	if (!email)
		return kx_error_set(KX_EINVALID,
				    "no author email to search lore with: set user.email");
	if (git_repository_config_snapshot(&cfg, REPO(p)) < 0)
		git_error_clear();
	if ((error = kx_config_lore(&lc, cfg)) < 0)
		goto done;
	memset(&q, 0, sizeof(q));
	q.base_url = lc.url;
	q.change_id = p->state.change_id;
	q.subject = subject && *subject ? subject : NULL;
	q.author_email = email;
	q.revision = p->state.revision;
	q.http = &lc.http;
	error = kx_lore_find_versions(out, &q);
done:
	kx_lore_config_release(&lc);
	git_config_free(cfg);
	return error;
}

static void add_link(struct kx_cover_facts *f, unsigned revision,
		     const char *url, const char *missing)
{
	struct kx_version_link *l;
	size_t alloc = f->links_nr;

	f->links = kx_xrealloc(f->links, (alloc + 1) * sizeof(*f->links));
	l = &f->links[f->links_nr++];
	l->revision = revision;
	l->url = NULL;
	l->missing = NULL;
	if (url) {
		kx_strlist_add(&f->owned, url);
		l->url = f->owned.items[f->owned.nr - 1];
	}
	if (missing) {
		kx_strlist_add(&f->owned, missing);
		l->missing = f->owned.items[f->owned.nr - 1];
	}
}

/* Links to every earlier version: recorded message-ids first. */
static void version_links(struct kx_cover_facts *f, struct kx_prep *p,
			  git_config *cfg, const struct kx_cover_options *opts,
			  const char *email)
{
	struct kx_lore_versions found = KX_LORE_VERSIONS_INIT;
	struct kx_cover_text text;
	struct kx_lore_config lc;
	char *failed = NULL;
	const char *link_base;
	bool asked = false;
	size_t i;
	unsigned k;

	/* kx_cover_gather() checked the configuration: no error here */
	kx_config_lore(&lc, cfg);
	link_base = lc.link_url;
	kx_error_clear();
	kx_cover_text_parse(&text, p->state.cover_body ? p->state.cover_body : "");
	for (k = 1; k < p->state.revision; k++) {
		const struct kx_sent *e = kx_state_find_sent(&p->state, k);
		const struct kx_version_notes *own = kx_cover_text_notes(&text, k);
		const char *msgid = e ? e->cover_msgid : NULL;
		char *url, *why;

		if (!msgid && e && e->msgids.nr)
			msgid = e->msgids.items[0];
		if (!msgid && !opts->offline) {
			if (!asked && kx_series_lore_versions(&found, p, email,
					f->range.count > 1 && p->state.cover_subject &&
					*p->state.cover_subject ?
					p->state.cover_subject : f->first_subject) < 0) {
				failed = kx_xstrdup(kx_error_last());
				kx_error_clear();
			}
			asked = true;
			for (i = 0; i < found.nr; i++)
				if (found.items[i].revision == k)
					msgid = found.items[i].msgid;
		}
		if (msgid) {
			url = lore_url(link_base, msgid);
			add_link(f, k, url, NULL);
			free(url);
			continue;
		}
		/* the cover's own "vN: <link>" stands: nothing to warn of */
		if (own && own->link)
			continue;
		if (opts->offline) {
			why = kx_xasprintf("link to v%u (no message-id recorded; --offline: lore not asked)", k);
			kx_strlist_addf(&f->warnings, "v%u is not linked: no message-id is recorded for it and --offline does not ask lore", k);
		} else if (failed) {
			why = kx_xasprintf("link to v%u (lore could not be asked)", k);
			kx_strlist_addf(&f->warnings, "v%u is not linked: no message-id is recorded for it and the lore look-up failed", k);
		} else {
			why = kx_xasprintf("link to v%u (not found on lore)", k);
			kx_strlist_addf(&f->warnings, "v%u is not linked: no message-id is recorded for it and lore has no posting of it by %s", k, email ? email : "you");
		}
		add_link(f, k, NULL, why);
		free(why);
	}
	if (failed)
		kx_strlist_addf(&f->warnings, "the lore look-up failed: %s (kvmx86.loreUrl names the server; --offline does without it)",
				failed);
	for (i = 0; i < found.warnings.nr; i++)
		kx_strlist_addf(&f->warnings, "lore: %s", found.warnings.items[i]);
	kx_lore_versions_release(&found);
	kx_cover_text_release(&text);
	free(failed);
	kx_lore_config_release(&lc);
}

static void range_diff(struct kx_cover_facts *f, struct kx_prep *p)
{
	struct kx_strlist argv = KX_STRLIST_INIT;
	const char *args[8];
	unsigned k, last = 0;
	char *out = NULL;
	size_t i;

	for (i = 0; i < p->state.sent_nr; i++)
		if (p->state.sent[i].revision < p->state.revision &&
		    p->state.sent[i].revision > last)
			last = p->state.sent[i].revision;
	if (!last) {
		kx_strlist_add(&f->warnings, "no range-diff: no earlier version was sent");
		return;
	}
	if (kx_prep_compare_argv(p, last, &argv) < 0) {
		kx_strlist_addf(&f->warnings, "no range-diff against v%u: %s", last,
				kx_error_last());
		goto done;
	}
	/* argv is "git [--git-dir=...] range-diff A..B C..D": the two ranges */
	args[0] = "range-diff";
	args[1] = "--no-color";
	for (k = 0; k < 2 && k < argv.nr; k++)
		args[2 + k] = argv.items[argv.nr - 2 + k];
	args[2 + k] = NULL;
	if (run_git(REPO(p), args, &out) < 0) {
		kx_strlist_addf(&f->warnings, "no range-diff against v%u: %s", last,
				kx_error_last());
		goto done;
	}
	f->range_diff = kx_xasprintf("Range-diff against v%u:\n%s", last, out);
done:
	kx_error_clear();
	free(out);
	kx_strlist_release(&argv);
}

/* The series' commits, oldest first, as the resolver found them. */
static int series_commits(git_commit ***out, size_t *nr,
			  const struct kx_resolved *s, git_repository *repo)
{
	size_t i;
	int error = 0;

	*out = kx_xcalloc(s->series.nr ? s->series.nr : 1, sizeof(**out));
	*nr = 0;
	for (i = 0; i < s->series.nr && !error; i++) {
		git_oid id;

		git_oid_fromstr(&id, s->series.commits[i].id);
		if (!(error = kx_git(git_commit_lookup(&(*out)[*nr], repo, &id))))
			(*nr)++;
	}
	return error;
}

/*
 * git shortlog -w72,2,4 of the series, made here (kx_shortlog_format()
 * follows git's rules: the mailmap, the "[PATCH]" strip, the wrapping)
 * when every subject is plain ASCII; NULL otherwise, for git to make.
 */
static char *shortlog_here(git_commit **commits, size_t nr, struct kx_resolved *s)
{
	struct kx_shortlog_entry *e = kx_xcalloc(nr ? nr : 1, sizeof(*e));
	struct kx_strlist names = KX_STRLIST_INIT;
	git_mailmap *mm = NULL;
	char *out = NULL;
	size_t i;

	/* the series model's, which the mails' trailers read too */
	if (kx_series_mailmap(&mm, s) < 0) {
		kx_error_clear();
		goto done;
	}
	for (i = 0; i < nr; i++) {
		const git_signature *a = git_commit_author(commits[i]);
		const char *enc = git_commit_message_encoding(commits[i]);
		const char *name = NULL, *email = NULL;

		/* git re-encodes other encodings for output; leave it to git */
		if (enc && strcasecmp(enc, "UTF-8") && strcasecmp(enc, "utf8"))
			goto done;
		if (git_mailmap_resolve(&name, &email, mm, a->name, a->email) < 0)
			goto done;
		kx_strlist_add(&names, name);
		e[i].message = git_commit_message(commits[i]);
	}
	for (i = 0; i < nr; i++)
		e[i].author = names.items[i];
	out = kx_shortlog_format(e, nr);
done:
	git_error_clear();
	kx_strlist_release(&names);
	free(e);
	return out;
}

/*
 * The testing statement, from what kvmx86 test recorded for the series'
 * exact commits.
 */
static void testing(struct kx_cover_facts *f, struct kx_prep *p,
		    git_commit **commits, size_t nr)
{
	struct kx_testing_input in;
	struct kx_test_records r = { NULL, 0, 0 };
	struct kx_strlist ids = KX_STRLIST_INIT;
	size_t i;

	for (i = 0; i < nr; i++)
		kx_strlist_add(&ids, git_oid_tostr_s(git_commit_id(commits[i])));
	if (kx_test_records_load(&r, p->commondir, REPO(p),
				 (const char *const *)ids.items, ids.nr) < 0) {
		f->testing = kx_xasprintf("EDITME: how was this tested? kvmx86 test's records were not read (%s).",
					  kx_error_last());
		kx_error_clear();
		goto done;
	}
	in.commits = (const char *const *)ids.items;
	in.commits_nr = ids.nr;
	in.records = r.items;
	in.records_nr = r.nr;
	/* nothing recorded: the letter must not guess, the sender says */
	f->testing = r.nr ? kx_testing_paragraph(&in) :
		kx_xstrdup("EDITME: how was this tested? kvmx86 test recorded no build or test of these commits.");
done:
	kx_strlist_release(&ids);
	kx_test_records_release(&r);
}

static char *expand_home(const char *path)
{
	const char *home = getenv("HOME");

	if (path[0] == '~' && path[1] == '/' && home)
		return kx_xasprintf("%s%s", home, path + 1);
	return kx_xstrdup(path);
}

int kx_cover_gather(struct kx_cover_facts *f, struct kx_resolved *s,
		    const struct kx_cover_options *opts)
{
	struct kx_prep *p = &s->prep;
	git_config *cfg = NULL;
	git_signature *me = NULL;
	char *name = NULL, *email = NULL, range[84];
	struct kx_proc diffstat;
	struct kx_strlist dsargv = KX_STRLIST_INIT;
	const char *ds[11], **dsav = NULL;
	git_commit **commits = NULL;
	size_t commits_nr = 0, i;
	bool started = false;
	int error;

	memset(f, 0, sizeof(*f));
	f->range = p->range;
	if (!f->range.count || !f->range.start[0])
		return kx_error_set(KX_EINVALID, "%s has no commits on its base %.12s",
				    p->branch, f->range.base);
	if ((error = kx_git(git_repository_config_snapshot(&cfg, REPO(p)))) < 0)
		return error;
	{
		/* a bad lore setting is named before anything is asked */
		struct kx_lore_config lc;

		error = kx_config_lore(&lc, cfg);
		kx_lore_config_release(&lc);
		if (error < 0) {
			git_config_free(cfg);
			return error;
		}
	}

	/* git's diffstat, made while this process does the rest */
	snprintf(range, sizeof(range), "%s..%s", f->range.from, f->range.end);
	kx_cover_diffstat_argv(ds, f->range.from, f->range.end);
	kx_repo_git_argv(&dsargv, REPO(p));
	for (i = 1; ds[i]; i++)
		kx_strlist_add(&dsargv, ds[i]);
	dsav = kx_strlist_argv(&dsargv);
	if ((error = kx_run_start(&diffstat, dsav, kx_repo_cwd(REPO(p)))) < 0)
		goto done;
	started = true;
	kx_trace("cover: git started");
	if ((error = series_commits(&commits, &commits_nr, s, REPO(p))) < 0)
		goto done;
	f->shortlog = shortlog_here(commits, commits_nr, s);
	if (!f->shortlog) {
		const char *sl[] = { "shortlog", "-w72,2,4", range, NULL };

		if ((error = run_git(REPO(p), sl, &f->shortlog)) < 0)
			goto done;
	}
	kx_trace("cover: shortlog");

	if (git_signature_default(&me, REPO(p)) < 0) {
		git_error_clear();
		kx_strlist_add(&f->warnings,
			       "no From: identity: set user.name and user.email");
		f->from = kx_xstrdup("EDITME <your address>");
	} else {
		f->from = kx_xasprintf("%s <%s>", me->name, me->email);
		email = kx_xstrdup(me->email);
	}
	/* the series walk made for the shortlog has the first commit */
	f->first_subject = kx_xstrdup(commits_nr && git_commit_summary(commits[0]) ?
				      git_commit_summary(commits[0]) : "");

	base_and_prerequisites(f, s);
	kx_trace("cover: base");
	version_links(f, p, cfg, opts, email);
	kx_trace("cover: links");
	if (opts->range_diff)
		range_diff(f, p);
	testing(f, p, commits, commits_nr);

	if (kx_config_string(&f->signature, cfg, "format.signature") < 0)
		f->signature = kx_xstrdup("kvmx86 " KX_VERSION);
	if (kx_config_string(&name, cfg, "kvmx86.coverTemplate") == 0) {
		char *path = expand_home(name);

		/* a regular file of sane size: not a directory, not /dev/zero */
		if ((error = kx_file_read(&f->template, NULL, path,
					  KX_COVER_TEMPLATE_MAX)) < 0) {
			char *why = kx_xstrdup(kx_error_last());

			error = kx_error_set(error, "cannot use the cover template (kvmx86.coverTemplate): %s",
					     why);
			kx_error_hint("name a text file: git config kvmx86.coverTemplate <file>");
			free(why);
		}
		free(path);
		if (error < 0)
			goto done;
	}
	kx_error_clear();
done:
	free(email);
	if (started && finish_git(&diffstat, &f->diffstat, "diff --stat") < 0 && !error)
		error = KX_ERROR;
	for (i = 0; i < commits_nr; i++)
		git_commit_free(commits[i]);
	free(commits);
	free(dsav);
	kx_strlist_release(&dsargv);
	kx_trace("cover: diffstat");
	free(name);
	git_signature_free(me);
	git_config_free(cfg);
	return error;
}

void kx_cover_facts_release(struct kx_cover_facts *f)
{
	free(f->from);
	free(f->first_subject);
	free(f->shortlog);
	free(f->diffstat);
	free(f->range_diff);
	kx_strlist_release(&f->prerequisites);
	free(f->signature);
	free(f->template);
	free(f->testing);
	free(f->links);
	kx_strlist_release(&f->owned);
	kx_strlist_release(&f->warnings);
	memset(f, 0, sizeof(*f));
}

/*
 * Removes the lines "---" of a cover template rendered for one patch: the
 * text goes under the patch's own "---", which one more would repeat.
 */
static void drop_separators(char *text)
{
	char *r = text, *w = text;

	while (*r) {
		size_t len = strcspn(r, "\n");
		bool sep = len == 3 && !strncmp(r, "---", 3);

		len += r[len] == '\n';
		if (!sep) {
			memmove(w, r, len);
			w += len;
		}
		r += len;
	}
	*w = '\0';
}

int kx_cover_body(char **out, const struct kx_prep *p,
		  const struct kx_cover_facts *f, bool single,
		  const char *blurb, const char *testing)
{
	struct kx_cover_text text;
	struct kx_cover_blocks b;
	struct kx_buf prereq = KX_BUF_INIT;
	char *changelog, *bad = NULL;
	size_t i;
	int error = 0;

	kx_cover_text_parse(&text, p->state.cover_body ? p->state.cover_body : "");
	changelog = kx_cover_changelog(&text, p->state.revision, f->links,
				       f->links_nr);
	for (i = 0; i < f->prerequisites.nr; i++)
		kx_buf_addf(&prereq, "%s\n", f->prerequisites.items[i]);
	memset(&b, 0, sizeof(b));
	b.cover = *text.blurb ? text.blurb : blurb;
	b.changelog = changelog;
	b.testing = testing ? testing : f->testing;
	/* one patch: its own mail has the diffstat, under its own "---" */
	b.shortlog = single ? NULL : f->shortlog;
	b.diffstat = single ? NULL : f->diffstat;
	b.range_diff = f->range_diff;
	b.base_commit = f->base_commit;
	b.prerequisites = prereq.buf;
	b.change_id = p->state.change_id;
	b.signature = f->signature;
	*out = kx_cover_render(f->template ? f->template :
			       single ? kx_cover_single_template :
			       kx_cover_default_template, &b, &bad);
	if (*out && single && f->template)
		drop_separators(*out);
	if (!*out) {
		error = kx_error_set(KX_EINVALID, "unknown placeholder '%s' in the cover template",
				     bad);
		kx_error_hint("the placeholders are ${cover}, ${changelog}, ${testing}, ${shortlog}, ${diffstat}, ${range_diff}, ${base_commit}, ${prerequisites}, ${change_id} and ${signature}");
	}
	free(bad);
	free(changelog);
	kx_buf_release(&prereq);
	kx_cover_text_release(&text);
	return error;
}
