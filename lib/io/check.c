// SPDX-License-Identifier: GPL-2.0-only
/*
 * prep --check, the repository side: which commits form the series, and
 * each as a patch.  The rules themselves never see libgit2.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <git2.h>
#include <jansson.h>

#include "io.h"
#include "kvmx86/base.h"
#include "kvmx86/check.h"
#include "kvmx86/checkbase.h"
#include "kvmx86/error.h"
#include "kvmx86/funcindex.h"
#include "kvmx86/prep.h"
#include "kvmx86/resolve.h"
#include "kvmx86/rules.h"
#include "kvmx86/run.h"
#include "kvmx86/topichist.h"

#define REPO(in) ((in)->repo)

static void collect_hunk(void *data, const char *header,
			 const struct kx_diff_line *lines, unsigned nr)
{
	struct kx_patch_file *f = data;
	unsigned i;

	if (*header)
		kx_strlist_add(&f->context, header);
	for (i = 0; i < nr; i++) {
		if (lines[i].origin == '+')
			kx_patch_file_add_line(f, lines[i].text, lines[i].line);
		else if (lines[i].origin == '-')
			kx_strlist_add(&f->removed, lines[i].text);
	}
}

/* Appends commit id as a patch, its diff from the series model's d. */
static int load_patch(struct kx_check_input *in, struct kx_series_diffs *d,
		      const git_oid *id)
{
	struct kx_commit_diff *cd;
	git_commit *c = NULL;
	const git_signature *author;
	struct kx_patch *p;
	size_t i;
	int error;

	if ((error = kx_git(git_commit_lookup(&c, REPO(in), id))) < 0)
		return error;
	kx_grow((void **)&in->patches, &in->alloc, in->nr, sizeof(*in->patches));
	p = &in->patches[in->nr++];
	kx_patch_init(p);
	git_oid_tostr(p->id, sizeof(p->id), id);
	kx_patch_set_message(p, git_commit_message(c));
	author = git_commit_author(c);
	p->author_name = kx_xstrdup(author->name ? author->name : "");
	p->author_email = kx_xstrdup(author->email ? author->email : "");
	if ((error = kx_commit_diff(&cd, d, REPO(in), c)) < 0)
		goto done;
	for (i = 0; i < cd->nr && !error; i++) {
		struct kx_diff_file *df = &cd->files[i];
		struct kx_patch_file *f = kx_patch_add_file(p, df->path);

		f->created = !df->has_old;
		f->deleted = !df->has_new;
		error = kx_diff_file_hunks(REPO(in), df, collect_hunk, f);
	}
done:
	git_commit_free(c);
	return error;
}

/* kvmx86.rule.<id> = off|advice|warning|error; problems become findings. */
static void load_overrides(struct kx_check_input *in)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;

	if (git_repository_config_snapshot(&cfg, REPO(in)) < 0 ||
	    git_config_iterator_new(&it, cfg) < 0)
		goto done;
	while (git_config_next(&e, it) == 0) {
		const char *id;
		enum kx_severity sev;
		struct kx_rule_override *o;

		if (strncasecmp(e->name, "kvmx86.rule.", 12))
			continue;
		id = e->name + 12;
		if (!kx_rule_find(id)) {
			const char *meant = kx_rule_suggest(id);

			if (meant)
				kx_findings_add(&in->base, KX_SEV_WARNING, "config",
						"unknown rule '%s' in %s: did you mean '%s'? (docs/rules.md lists the ids)",
						id, e->name, meant);
			else
				kx_findings_add(&in->base, KX_SEV_WARNING, "config",
						"unknown rule '%s' in %s: see docs/rules.md for the ids",
						id, e->name);
			continue;
		}
		if (kx_severity_parse(&sev, e->value) < 0) {
			kx_findings_add(&in->base, KX_SEV_WARNING, "config",
					"bad value '%s' of %s: use off, advice, warning or error",
					e->value, e->name);
			continue;
		}
		kx_grow((void **)&in->overrides, &in->overrides_alloc,
			in->overrides_nr, sizeof(*in->overrides));
		o = &in->overrides[in->overrides_nr++];
		o->rule = kx_xstrdup(id);
		o->severity = sev;
	}
done:
	git_config_iterator_free(it);
	git_config_free(cfg);
	git_error_clear();
	kx_error_clear();
}

/*
 * base-choice and base-trailer: check-base's decision over the same
 * series, made once (kx_series_checkbase()); core maps it to findings.
 */
static int base_choice(struct kx_check_input *in, struct kx_resolved *s)
{
	struct kx_checkbase *cb;
	struct kx_base_result r = KX_BASE_RESULT_INIT;
	int error;

	error = kx_series_checkbase(&cb, s);
	/* a bad kvmx86.* value is the user's to fix, never advice */
	if (error < 0 && s->checkbase_config_bad)
		return error;
	if (error == 0)
		error = kx_base_decide(&r, &cb->series, &cb->facts, &cb->config);
	/* no KVM trees here: one line of advice, and the rest goes on */
	kx_base_choice_findings(&in->base, error < 0 ? NULL : &r,
				error < 0 ? kx_error_last() : NULL,
				error < 0 ? NULL : &cb->series,
				error < 0 ? 0 : cb->prerequisites,
				error < 0 ? NULL : cb->facts.fork);
	kx_error_clear();
	kx_base_result_release(&r);
	return 0;
}

/*
 * The versions of the state, and for a series tagged RESEND the patch-ids
 * of the version it sends again (the sent one of the revision being
 * prepared, else the last sent) and of the series; what cannot be told
 * is a note, and resend-only-unmodified is then not checked.
 */
static void load_versions(struct kx_check_input *in, const struct kx_state *st)
{
	const struct kx_sent *e = NULL;
	bool resend = false;
	size_t i;

	in->revision = st->revision;
	in->sent_revisions = kx_xcalloc(st->sent_nr ? st->sent_nr : 1,
					sizeof(*in->sent_revisions));
	in->sent_link_msgids = kx_xcalloc(st->sent_nr ? st->sent_nr : 1,
					  sizeof(*in->sent_link_msgids));
	for (i = 0; i < st->sent_nr; i++) {
		const char *msgid = st->sent[i].cover_msgid;
		size_t k;

		/* as prep --cover links a version: its cover, else its first mail */
		if (!msgid && st->sent[i].msgids.nr)
			msgid = st->sent[i].msgids.items[0];
		for (k = 0; msgid && k < in->sent_msgids.nr; k++)
			if (!strcmp(in->sent_msgids.items[k], msgid))
				break;
		if (msgid && k == in->sent_msgids.nr)
			kx_strlist_add(&in->sent_msgids, msgid);
		in->sent_link_msgids[i] = msgid ? in->sent_msgids.items[k] : NULL;
		in->sent_revisions[in->sent_revisions_nr++] = st->sent[i].revision;
		if (!e || st->sent[i].revision > e->revision)
			e = &st->sent[i];
	}
	for (i = 0; i < st->prefixes.nr; i++)
		resend |= !strcasecmp(st->prefixes.items[i], "RESEND");
	if (!resend || !e)
		return;
	if (kx_state_find_sent(st, st->revision))
		e = kx_state_find_sent(st, st->revision);
	in->resend_of = e->revision;
	if (kx_sent_patch_ids(&in->sent_patch_ids, in->repo, e) < 0) {
		kx_strlist_addf(&in->notes, "resend-only-unmodified: the commits of v%u as sent are not known here, so RESEND was not checked against them",
				e->revision);
		kx_strlist_release(&in->sent_patch_ids);
		return;
	}
	for (i = 0; i < in->nr; i++) {
		char pid[41];
		git_oid id;

		if (git_oid_fromstr(&id, in->patches[i].id) < 0 ||
		    kx_commit_patch_id(pid, in->repo, &id) < 0) {
			kx_strlist_addf(&in->notes, "resend-only-unmodified: not checked: %s",
					kx_error_last());
			kx_error_clear();
			kx_strlist_release(&in->patch_ids);
			return;
		}
		kx_strlist_add(&in->patch_ids, pid);
	}
	in->resend_known = true;
}

/*
 * kvmx86 test's results for the loaded commits: keyed by commit id, they
 * hold whichever way the series was named.
 */
static void load_test_records(struct kx_check_input *in, const char *commondir)
{
	struct kx_test_records r = { NULL, 0, 0 };
	const char **ids = kx_xcalloc(in->nr ? in->nr : 1, sizeof(*ids));
	size_t i;

	for (i = 0; i < in->nr; i++)
		ids[i] = in->patches[i].id;
	/* unreadable records: the reminders stand as if none were kept */
	if (kx_test_records_load(&r, commondir, in->repo, ids, in->nr) < 0) {
		kx_strlist_addf(&in->notes, "kvmx86 test's records were not read: %s",
				kx_error_last());
		kx_error_clear();
	}
	free(ids);
	in->tests = r.items;
	in->tests_nr = r.nr;
	in->tests_alloc = r.alloc;
}

void kx_check_run(struct kx_findings *f, struct kx_check_input *in, unsigned flags)
{
	struct kx_rule_env env = { 0 };
	struct kx_topichist_cache *hist;
	struct kx_funcindex_lazy *fidx;
	size_t i;

	env.lookup_commit = kx_check_lookup_commit;
	env.data = in;
	env.sent_msgids = &in->sent_msgids;
	env.prefixes = &in->prefixes;
	env.tests = in->tests;
	env.tests_nr = in->tests_nr;
	env.revision = in->revision;
	env.sent_revisions = in->sent_revisions;
	env.sent_link_msgids = in->sent_link_msgids;
	env.sent_revisions_nr = in->sent_revisions_nr;
	if (in->resend_known) {
		env.resend_of = in->resend_of;
		env.sent_patch_ids = &in->sent_patch_ids;
		env.patch_ids = &in->patch_ids;
	}
	/* the topic from history, only for commits whose files are ambiguous */
	env.history_topic = kx_topichist_env;
	env.history_data = hist = kx_topichist_cache_new(in->repo);
	kx_topichist_cache_expect(hist, in->patches, in->nr);
	/* function names of the tree the series sits on, read if asked */
	env.is_function = kx_funcindex_env;
	env.function_data = fidx = kx_funcindex_lazy_new(in->repo,
					in->nr ? in->patches[0].id : NULL);
	f->overrides = in->overrides;
	f->overrides_nr = in->overrides_nr;
	/* base-choice and config findings first, as series-wide ones */
	for (i = 0; i < in->base.nr; i++)
		kx_findings_add_at(f, NULL, in->base.items[i].severity,
				   in->base.items[i].rule, "%s", in->base.items[i].message);
	kx_rules_run(f, in->patches, in->nr, &env);
	kx_rule_cover_letter(f, in->cover_subject, in->cover_body,
			     !(flags & KX_CHECK_COVER_OPTIONAL) && in->enrolled && in->nr > 1,
			     &env);
	kx_funcindex_lazy_free(fidx);
	kx_topichist_cache_free(hist);
	kx_trace("check: rules run");
}

int kx_check_load(struct kx_check_input *in, struct kx_resolved *s)
{
	struct kx_state *st = &s->prep.state;
	size_t i;
	int error = 0;

	memset(in, 0, sizeof(*in));
	in->repo = s->prep.repo;
	load_overrides(in);
	in->base.overrides = in->overrides;
	in->base.overrides_nr = in->overrides_nr;
	for (i = 0; s->prep.has_state && i < st->sent_nr; i++) {
		size_t k;

		for (k = 0; k < st->sent[i].msgids.nr; k++)
			kx_strlist_add(&in->sent_msgids, st->sent[i].msgids.items[k]);
	}
	for (i = 0; s->prep.has_state && i < st->prefixes.nr; i++)
		kx_strlist_add(&in->prefixes, st->prefixes.items[i]);
	for (i = 0; i < s->notes.nr; i++)
		kx_strlist_add(&in->notes, s->notes.items[i]);
	for (i = 0; i < s->series.nr && !error; i++) {
		git_oid id;

		git_oid_fromstr(&id, s->series.commits[i].id);
		error = load_patch(in, kx_series_diffs(s), &id);
	}
	kx_trace("check: patches loaded");
	if (error < 0)
		return error;
	if (s->alone)
		kx_findings_add_at(&in->base, NULL, KX_SEV_ADVICE, "base-choice",
				   "the base was not checked: %s", s->alone_reason);
	else if ((error = base_choice(in, s)) < 0)
		return error;
	kx_trace("check: base checked");
	if (s->prep.has_state) {
		load_test_records(in, s->prep.commondir);
		load_versions(in, st);
	}
	/* an enrolled branch's cover letter, for kx_rule_cover_letter() */
	if (s->source == KX_SOURCE_ENROLLED) {
		in->enrolled = true;
		in->cover_subject = st->cover_subject ? kx_xstrdup(st->cover_subject) : NULL;
		in->cover_body = st->cover_body ? kx_xstrdup(st->cover_body) : NULL;
	}
	return 0;
}

int kx_check_load_one(struct kx_check_input *in, struct kx_resolved *s,
		      const char *rev)
{
	git_oid oid;
	int error;

	memset(in, 0, sizeof(*in));
	in->repo = s->prep.repo;
	if ((error = kx_git_resolve_commit(&oid, in->repo, rev ? rev : "HEAD")) < 0)
		return error;
	return load_patch(in, kx_series_diffs(s), &oid);
}

/*
 * checkpatch types that a kvmx86 rule reports too; with text, only the
 * messages that hold it (any case).
 */
static const struct {
	const char *type, *rule, *text;
} checkpatch_dups[] = {
	{ "MISSING_SIGN_OFF", "signoff", NULL },
	{ "NO_AUTHOR_SIGN_OFF", "signoff", NULL },
	{ "BAD_SIGN_OFF", "signoff", NULL },
	{ "FROM_SIGN_OFF_MISMATCH", "signoff", NULL },
	{ "BAD_FIXES_TAG", "fixes-tag-format", NULL },
	{ "UNKNOWN_COMMIT_ID", "fixes-tag-format", NULL },
	{ "GIT_COMMIT_ID", "commit-ref-format", NULL },
	{ "BAD_STABLE_ADDRESS_STYLE", "cc-stable", NULL },
	{ "PREFER_LORE_ARCHIVE", "lore-link-format", NULL },
	{ "COMMIT_LOG_WRONG_LINK", "lore-link-format", NULL },
	{ "COMMIT_MESSAGE", "changelog-nonempty", NULL },
	{ "COMMIT_LOG_LONG_LINE", "changelog-wrap-75", NULL },
	{ "EMAIL_SUBJECT", "shortlog-no-tool-name", NULL },
	/* "Non-standard signature: Reported-and-tested-by:" */
	{ "BAD_SIGN_OFF", "no-combined-tags", "-and-" },
};

static bool reported(const struct kx_findings *f, const char *commit,
		     const char *rule)
{
	size_t i;

	for (i = 0; i < f->nr; i++)
		if (!strcmp(f->items[i].commit, commit) &&
		    !strcmp(f->items[i].rule, rule))
			return true;
	return false;
}

/*
 * "<sha>:<line>: WARNING:TYPE: message" (--terse --show-types); returns
 * whether line is one, reported or not.
 */
static bool add_checkpatch_line(struct kx_findings *f, const char *commit,
				const char *line, struct kx_strlist *types)
{
	static const struct {
		const char *word;
		enum kx_severity sev;
	} levels[] = {
		{ "ERROR:", KX_SEV_ERROR },
		{ "WARNING:", KX_SEV_WARNING },
		{ "CHECK:", KX_SEV_ADVICE },
	};
	const char *p = NULL, *type, *colon;
	size_t i, l;

	for (l = 0; l < sizeof(levels) / sizeof(levels[0]) && !p; l++)
		if ((p = strstr(line, levels[l].word)))
			break;
	if (!p)
		return false;
	type = p + strlen(levels[l].word);
	colon = strstr(type, ": ");
	if (!colon)
		return false;
	for (i = 0; i < sizeof(checkpatch_dups) / sizeof(checkpatch_dups[0]); i++)
		if ((size_t)(colon - type) == strlen(checkpatch_dups[i].type) &&
		    !strncmp(type, checkpatch_dups[i].type, (size_t)(colon - type)) &&
		    (!checkpatch_dups[i].text || strcasestr(colon, checkpatch_dups[i].text)) &&
		    reported(f, commit, checkpatch_dups[i].rule))
			return true;
	/* rule ids live as long as the findings: keep them in types */
	kx_strlist_addf(types, "checkpatch/%.*s", (int)(colon - type), type);
	kx_findings_add_at(f, commit, levels[l].sev, types->items[types->nr - 1],
			   "%s", colon + 2);
	return true;
}

/*
 * Runs argv in cwd with its stdout and stderr in *out (caller frees):
 * checkpatch says on stderr why it could not run.
 */
static int run_captured(const char *const *argv, const char *cwd, char **out,
			int *status)
{
	FILE *tmp = tmpfile();
	struct kx_buf b = KX_BUF_INIT;
	char chunk[4096];
	size_t n;
	int error;

	*out = NULL;
	if (!tmp)
		return kx_error_set(KX_ERROR, "cannot create a temporary file: %s",
				    strerror(errno));
	if ((error = kx_run_fd(argv, cwd, fileno(tmp), status)) == 0) {
		rewind(tmp);
		while ((n = fread(chunk, 1, sizeof(chunk), tmp)) > 0)
			kx_buf_add(&b, chunk, n);
		*out = kx_buf_detach(&b);
	}
	fclose(tmp);
	return error;
}

/* The last line of text that is not a finding: why a run failed. */
static char *failure_reason(const char *text)
{
	const char *line = text, *why = NULL;
	size_t why_len = 0;

	while (*line) {
		size_t len = strcspn(line, "\n");

		if (len && !memmem(line, len, "ERROR:", 6) &&
		    !memmem(line, len, "WARNING:", 8) && !memmem(line, len, "CHECK:", 6)) {
			why = line;
			why_len = len;
		}
		line += len + (line[len] == '\n');
	}
	return why ? kx_xstrndup(why, why_len > 200 ? 200 : why_len) :
		kx_xstrdup("it printed nothing");
}

int kx_check_checkpatch(struct kx_check_input *in, struct kx_findings *f)
{
	const char *workdir = git_repository_workdir(REPO(in));
	char *script = workdir ? kx_xasprintf("%sscripts/checkpatch.pl", workdir) : NULL;
	size_t i;
	int error = 0;

	if (!script || access(script, R_OK) < 0) {
		kx_strlist_add(&in->notes,
			       "--checkpatch: this tree has no scripts/checkpatch.pl to run");
		free(script);
		return 0;
	}
	for (i = 0; i < in->nr && !error; i++) {
		const char *argv[] = { "perl", script, "-q", "--show-types", "--terse",
				       "--no-summary", "--git", in->patches[i].id, NULL };
		char *out = NULL, *line, *save = NULL, *why;
		size_t said = 0;
		int status;

		if ((error = run_captured(argv, workdir, &out, &status)) < 0)
			break;
		why = failure_reason(out);
		for (line = strtok_r(out, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			said += add_checkpatch_line(f, in->patches[i].id, line,
						    &in->checkpatch_types);
		/* 0 is clean, 1 problems found: else it did not check the commit */
		if (status > 1 || (status == 1 && !said))
			kx_findings_add_at(f, in->patches[i].id, KX_SEV_ERROR, "checkpatch",
					   "scripts/checkpatch.pl failed (exit %d), this commit is not checked: %s",
					   status, why);
		free(why);
		free(out);
	}
	free(script);
	return error;
}

int kx_check_lookup_commit(void *data, const char *hex, char **subject)
{
	struct kx_check_input *in = data;
	git_object *obj = NULL;
	git_oid oid;
	size_t len = strlen(hex);
	int r;

	*subject = NULL;
	if (len < 4 || len > GIT_OID_HEXSZ || git_oid_fromstrn(&oid, hex, len) < 0)
		return 0;
	r = git_object_lookup_prefix(&obj, REPO(in), &oid, len, GIT_OBJECT_COMMIT);
	git_error_clear();
	if (r == GIT_EAMBIGUOUS)
		return -1;
	if (r < 0)
		return 0;
	*subject = kx_xstrdup(git_commit_summary((git_commit *)obj));
	git_object_free(obj);
	return 1;
}

void kx_check_release(struct kx_check_input *in)
{
	size_t i;

	for (i = 0; i < in->nr; i++)
		kx_patch_release(&in->patches[i]);
	free(in->patches);
	for (i = 0; i < in->overrides_nr; i++)
		free(in->overrides[i].rule);
	free(in->overrides);
	kx_findings_release(&in->base);
	kx_strlist_release(&in->notes);
	kx_strlist_release(&in->sent_msgids);
	kx_strlist_release(&in->prefixes);
	{
		struct kx_test_records r = { in->tests, in->tests_nr, in->tests_alloc };

		kx_test_records_release(&r);
	}
	kx_strlist_release(&in->checkpatch_types);
	free(in->sent_revisions);
	free(in->sent_link_msgids);
	kx_strlist_release(&in->sent_patch_ids);
	kx_strlist_release(&in->patch_ids);
	free(in->cover_subject);
	free(in->cover_body);
	memset(in, 0, sizeof(*in));
}
