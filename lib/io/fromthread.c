// SPDX-License-Identifier: GPL-2.0-only
/*
 * prep -n <name> -F <msgid>: the version of a series a lore thread holds,
 * made into commits as git am makes them.  git mailinfo reads each mail
 * (in-body From: and Date:, encodings, the "---" cut); the diff is applied
 * to the parent's tree in memory, so nothing is checked out until the
 * whole series applies, and a patch that does not leaves only objects no
 * ref reaches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "io.h"
#include "rewrite.h"
#include "kvmx86/error.h"
#include "kvmx86/fromthread.h"
#include "kvmx86/mailinfo.h"
#include "kvmx86/prep.h"
#include "kvmx86/resolve.h"
#include "kvmx86/send.h"
#include "kvmx86/sendattempt.h"

int kx_import_fetch(struct kx_import *out, git_repository *repo,
		    const char *arg)
{
	int error;

	if ((error = kx_lore_msgid_from_arg(&out->msgid, arg)) < 0) {
		kx_error_hint("give the Message-ID of a mail of the series, or its lore link");
		return error;
	}
	if ((error = kx_lore_fetch_thread(&out->thread, &out->url, repo,
					  out->msgid)) < 0)
		return error;
	if ((error = kx_thread_series_pick(&out->series, &out->thread, out->msgid)) < 0) {
		if (error == KX_ENOTFOUND)
			kx_error_hint("<%s> is in no thread of [PATCH] mails on %s",
				      out->msgid, out->url);
		else
			kx_error_hint("a version whose every patch reached lore can be started from; pick its cover letter's Message-ID");
	}
	return error;
}

/*
 * The mail as git mailsplit gives it to git mailinfo in git am: each line
 * ending in CR LF ends in LF (am.keepcr unset), so that a mail sent with
 * CR LF line ends (as many mailers do) has a diff that applies.
 */
static char *strip_cr(size_t *len, const char *raw, size_t n)
{
	char *out = kx_xmalloc(n + 1);
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (raw[i] == '\r' && i + 1 < n && raw[i + 1] == '\n')
			continue;
		out[o++] = raw[i];
	}
	out[o] = '\0';
	*len = o;
	return out;
}

/* The extended header lines of git's diffs, as git apply knows them. */
static bool is_diff_header(const char *s)
{
	static const char *const headers[] = {
		"old mode ", "new mode ", "deleted file mode ", "new file mode ",
		"copy from ", "copy to ", "rename old ", "rename new ",
		"rename from ", "rename to ", "similarity index ",
		"dissimilarity index ", "index ",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(headers); i++)
		if (kx_starts_with(s, headers[i]))
			return true;
	return false;
}

/*
 * The diffs of a patch, without the text after a diff of no hunks (a mode
 * change, a rename): git apply passes over the "-- " signature or the
 * base-commit lines that follow it, libgit2's parser takes them for a
 * bad header line.
 */
static char *diff_text(size_t *len, const char *patch, size_t n)
{
	enum { OUTSIDE, HEADER, BODY, SKIP } state = OUTSIDE;
	struct kx_buf b = KX_BUF_INIT;
	const char *s = patch, *end = patch + n;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t ln = nl ? (size_t)(nl - s) + 1 : (size_t)(end - s);
		char *line = kx_xstrndup(s, ln);

		if (kx_starts_with(line, "diff --git "))
			state = HEADER;
		else if (state == HEADER && (kx_starts_with(line, "--- ") ||
					     kx_starts_with(line, "@@ ") ||
					     kx_starts_with(line, "Binary files ") ||
					     kx_starts_with(line, "GIT binary patch")))
			state = BODY;
		else if (state == HEADER && !is_diff_header(line))
			state = SKIP;
		if (state != SKIP)
			kx_buf_add(&b, s, ln);
		free(line);
		s += ln;
	}
	*len = b.len;
	if (!b.len)
		kx_buf_adds(&b, "");
	return kx_buf_detach(&b);
}

/* The commit message git am makes: the subject, a blank line, the rest. */
static int message_of(git_buf *out, const char *subject,
		      const struct kx_mailinfo *mi)
{
	char *text = kx_xasprintf("%s\n\n%.*s", subject, (int)mi->msg_len,
				  mi->msg ? mi->msg : "");
	int error = kx_git(git_message_prettify(out, text, 0, '#'));

	free(text);
	return error;
}

/* The author git am records: the mail's (or its in-body From:) and Date:. */
static int author_of(git_signature **out, const struct kx_mailinfo *mi,
		     unsigned k, unsigned total)
{
	char *name = kx_mailinfo_get(mi, "Author");
	char *email = kx_mailinfo_get(mi, "Email");
	char *date = kx_mailinfo_get(mi, "Date");
	int64_t when;
	int offset, error;

	if (!email || !*email) {
		error = kx_error_set(KX_EINVALID, "patch %u/%u has no author address", k, total);
		goto done;
	}
	if (date && kx_lore_date_time(&when, &offset, date) == 0)
		error = kx_git(git_signature_new(out, name && *name ? name : email, email,
						 (git_time_t)when, offset));
	else
		error = kx_git(git_signature_now(out, name && *name ? name : email, email));
	kx_error_clear();
done:
	free(name);
	free(email);
	free(date);
	return error;
}

/* Whether diff takes path away (deleted, or renamed to another name). */
static bool diff_removes(git_diff *diff, const char *path)
{
	size_t i, n = git_diff_num_deltas(diff);

	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		if ((d->status == GIT_DELTA_DELETED || d->status == GIT_DELTA_RENAMED) &&
		    !strcmp(d->old_file.path, path))
			return true;
	}
	return false;
}

/*
 * A file the diff creates (or renames or copies to) that tree has, and
 * that the diff does not take away first: git am refuses it ("already
 * exists in index") where the update by path would silently replace it.
 */
static int check_new_paths(git_tree *tree, git_diff *diff)
{
	size_t i, n = git_diff_num_deltas(diff);

	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		git_tree_entry *e = NULL;
		bool is_tree;

		if (d->status != GIT_DELTA_ADDED && d->status != GIT_DELTA_RENAMED &&
		    d->status != GIT_DELTA_COPIED)
			continue;
		if (git_tree_entry_bypath(&e, tree, d->new_file.path) < 0) {
			git_error_clear();
			continue;
		}
		/* a directory there must be emptied by the diff, or the update fails */
		is_tree = git_tree_entry_type(e) == GIT_OBJECT_TREE;
		git_tree_entry_free(e);
		if (!is_tree && !diff_removes(diff, d->new_file.path))
			return kx_error_set(KX_EINVALID, "%s already exists",
					    d->new_file.path);
	}
	return 0;
}

/*
 * The commit a submodule's entry names.  A patch gives it as the text
 * "Subproject commit <id>", which libgit2 applies as a file's: what it
 * makes is that text's blob, where git apply records the commit itself.
 */
static int gitlink_of(git_oid *out, git_repository *repo, const git_oid *blob_id,
		      const char *path)
{
	static const char prefix[] = "Subproject commit ";
	git_blob *blob = NULL;
	const char *s;
	size_t len;
	int error;

	if ((error = kx_git(git_blob_lookup(&blob, repo, blob_id))) < 0)
		return error;
	s = git_blob_rawcontent(blob);
	len = (size_t)git_blob_rawsize(blob);
	if (len < sizeof(prefix) - 1 + GIT_OID_HEXSZ ||
	    memcmp(s, prefix, sizeof(prefix) - 1) ||
	    git_oid_fromstrn(out, s + sizeof(prefix) - 1, GIT_OID_HEXSZ) < 0 ||
	    (len > sizeof(prefix) - 1 + GIT_OID_HEXSZ &&
	     s[sizeof(prefix) - 1 + GIT_OID_HEXSZ] != '\n')) {
		git_error_clear();
		error = kx_error_set(KX_EINVALID, "the submodule %s is given no commit", path);
	}
	git_blob_free(blob);
	return error;
}

/*
 * The tree of parent with diff applied.  git_apply_to_tree() reads the
 * whole tree into an index, a quarter of a second for each patch of a
 * kernel tree: it gets the files the diff touches only, and what it makes
 * of them goes back into the whole tree by path: what it removes first,
 * then what it writes, as git_tree_create_updated() refuses to put a file
 * where a directory was (or the reverse) in one go.
 */
static int apply_tree(git_oid *out, git_repository *repo, git_tree *tree,
		      git_diff *diff)
{
	size_t i, n = git_diff_num_deltas(diff), nr = 0, nrm = 0, touched = 0;
	git_tree_update *in = kx_xcalloc(n + 1, sizeof(*in));
	git_tree_update *up = kx_xcalloc(n + 1, sizeof(*up));
	git_tree_update *rm = kx_xcalloc(n + 1, sizeof(*rm));
	git_tree_entry **entries = kx_xcalloc(n + 1, sizeof(*entries));
	git_tree *mini = NULL, *removed = NULL;
	git_index *index = NULL;
	git_oid mini_id, removed_id;
	int error;

	if ((error = check_new_paths(tree, diff)) < 0)
		goto done;
	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		if (d->status == GIT_DELTA_ADDED ||
		    git_tree_entry_bypath(&entries[touched], tree, d->old_file.path) < 0)
			continue;
		in[touched].action = GIT_TREE_UPDATE_UPSERT;
		in[touched].filemode = git_tree_entry_filemode(entries[touched]);
		if (in[touched].filemode == GIT_FILEMODE_COMMIT) {
			/* the text a patch changes, as libgit2 reads a submodule's */
			char text[sizeof("Subproject commit \n") + GIT_OID_HEXSZ];

			snprintf(text, sizeof(text), "Subproject commit %s\n",
				 git_oid_tostr_s(git_tree_entry_id(entries[touched])));
			if ((error = kx_git(git_blob_create_from_buffer(&in[touched].id, repo,
									 text, strlen(text)))) < 0) {
				touched++;
				goto done;
			}
		} else {
			git_oid_cpy(&in[touched].id, git_tree_entry_id(entries[touched]));
		}
		in[touched].path = d->old_file.path;
		touched++;
	}
	git_error_clear();
	if ((error = kx_git(git_tree_create_updated(&mini_id, repo, NULL, touched, in))) < 0 ||
	    (error = kx_git(git_tree_lookup(&mini, repo, &mini_id))) < 0 ||
	    (error = kx_git(git_apply_to_tree(&index, repo, mini, diff, NULL))) < 0)
		goto done;
	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const git_index_entry *e;

		if (d->status == GIT_DELTA_DELETED || d->status == GIT_DELTA_RENAMED) {
			rm[nrm].action = GIT_TREE_UPDATE_REMOVE;
			rm[nrm++].path = d->old_file.path;
		}
		if (d->status == GIT_DELTA_DELETED)
			continue;
		if (!(e = git_index_get_bypath(index, d->new_file.path, 0))) {
			error = kx_error_set(KX_EINVALID, "%s is not in the result", d->new_file.path);
			goto done;
		}
		up[nr].action = GIT_TREE_UPDATE_UPSERT;
		if (e->mode == GIT_FILEMODE_COMMIT) {
			if ((error = gitlink_of(&up[nr].id, repo, &e->id, d->new_file.path)) < 0)
				goto done;
		} else {
			git_oid_cpy(&up[nr].id, &e->id);
		}
		up[nr].filemode = (git_filemode_t)e->mode;
		if (!d->new_file.mode && d->status != GIT_DELTA_ADDED) {
			/* no mode in the patch (a rename alone): git apply keeps the old */
			git_tree_entry *old = NULL;

			if (git_tree_entry_bypath(&old, tree, d->old_file.path) == 0)
				up[nr].filemode = git_tree_entry_filemode(old);
			git_error_clear();
			git_tree_entry_free(old);
		}
		up[nr++].path = d->new_file.path;
	}
	if ((error = kx_git(git_tree_create_updated(&removed_id, repo, tree, nrm, rm))) < 0 ||
	    (error = kx_git(git_tree_lookup(&removed, repo, &removed_id))) < 0)
		goto done;
	error = kx_git(git_tree_create_updated(out, repo, removed, nr, up));
done:
	for (i = 0; i < touched; i++)
		git_tree_entry_free(entries[i]);
	free(entries);
	free(in);
	free(up);
	free(rm);
	git_index_free(index);
	git_tree_free(removed);
	git_tree_free(mini);
	return error;
}

/* Applies the diff text to parent's tree and commits it on parent. */
static int commit_patch(git_oid *out, git_repository *repo,
			git_commit *parent, const struct kx_mailinfo *mi,
			const git_signature *author, const git_signature *me,
			const char *message)
{
	git_diff *diff = NULL;
	git_tree *tree = NULL, *new_tree = NULL;
	git_oid tree_id;
	char *text;
	size_t len;
	int error;

	text = diff_text(&len, mi->patch, mi->patch_len);
	error = kx_git(git_diff_from_buffer(&diff, text, len));
	free(text);
	if (error < 0 ||
	    (error = kx_git(git_commit_tree(&tree, parent))) < 0 ||
	    (error = apply_tree(&tree_id, repo, tree, diff)) < 0 ||
	    (error = kx_git(git_tree_lookup(&new_tree, repo, &tree_id))) < 0)
		goto done;
	error = kx_git(git_commit_create(out, repo, NULL, author, me, NULL, message,
					 new_tree, 1, (const git_commit **)&parent));
done:
	git_tree_free(new_tree);
	git_tree_free(tree);
	git_diff_free(diff);
	return error;
}

int kx_import_commits(git_oid *tip, git_repository *repo, const git_oid *base,
		      const struct kx_import *in)
{
	const struct kx_thread_series *ts = &in->series;
	git_signature *me = NULL;
	git_commit *parent = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	unsigned k;
	int error;

	git_oid_tostr(hex, sizeof(hex), base);
	if ((error = kx_rewrite_committer(&me, repo, NULL)) < 0 ||
	    (error = kx_git(git_commit_lookup(&parent, repo, base))) < 0)
		goto done;
	for (k = 1; k <= ts->total; k++) {
		const struct kx_lore_message *m = ts->patches[k - 1];
		struct kx_mailinfo mi = KX_MAILINFO_INIT;
		git_signature *author = NULL;
		git_buf msg = GIT_BUF_INIT;
		char *subject = NULL, *what, *raw;
		size_t raw_len;
		git_oid id;

		what = kx_xasprintf("cannot read patch %u/%u (<%s>)", k, ts->total,
				    m->msgid ? m->msgid : "");
		raw = strip_cr(&raw_len, m->raw ? m->raw : "", m->raw ? m->raw_len : 0);
		error = kx_git_mailinfo_am(&mi, raw, raw_len, kx_repo_cwd(repo), what);
		free(raw);
		free(what);
		if (error < 0)
			goto next;
		subject = kx_mailinfo_get(&mi, "Subject");
		if (!mi.patch_len) {
			error = kx_error_set(KX_EINVALID, "patch %u/%u (\"%s\") carries no diff",
					     k, ts->total, subject ? subject : "");
			kx_error_hint("every mail of the version must be a patch git am can apply");
			goto next;
		}
		if ((error = author_of(&author, &mi, k, ts->total)) < 0 ||
		    (error = message_of(&msg, subject ? subject : "", &mi)) < 0)
			goto next;
		if ((error = commit_patch(&id, repo, parent, &mi, author, me, msg.ptr)) < 0) {
			char *why = kx_xstrdup(kx_error_last());

			error = kx_error_set(KX_EINVALID, "patch %u/%u (\"%s\") does not apply on %.12s: %s",
					     k, ts->total, subject ? subject : "", hex, why);
			free(why);
			kx_error_hint("%s; nothing was made",
				      ts->base_commit ?
				      "the base-commit the version names is not its base here: give --base" :
				      "the version names no base-commit: give the one it was made on with --base");
			goto next;
		}
		git_commit_free(parent);
		parent = NULL;
		error = kx_git(git_commit_lookup(&parent, repo, &id));
next:
		git_buf_dispose(&msg);
		git_signature_free(author);
		free(subject);
		kx_mailinfo_release(&mi);
		if (error < 0)
			goto done;
	}
	git_oid_cpy(tip, git_commit_id(parent));
done:
	git_commit_free(parent);
	git_signature_free(me);
	return error;
}

int kx_import_record(struct kx_resolved *s, const struct kx_import *im,
		     const char *tip, bool bump, bool *tag_existed)
{
	const struct kx_thread_series *ts = &im->series;
	struct kx_prep *p = &s->prep;
	const struct kx_lore_message *head = ts->cover ? ts->cover : ts->patches[0];
	struct kx_sent *e;
	char *tag, *line, *msg;
	char iso[21];
	unsigned k;
	int error;

	/* the tag kvmx86 send would have made: the version stays reachable */
	tag = kx_xasprintf("sent/%s-v%u", p->branch, ts->revision);
	line = head->subject ? kx_xstrdup(head->subject) : kx_xstrdup("");
	msg = kx_sent_tag_message(line, ts->body ? ts->body : "");
	error = kx_send_tag(tag_existed, s, tag, tip, msg);
	free(msg);
	free(line);
	if (error < 0) {
		free(tag);
		return error;
	}
	e = kx_state_add_sent(&p->state, ts->revision);
	if (head->date && kx_lore_date_iso(iso, head->date) == 0)
		e->date = kx_xstrdup(iso);
	else if (head->date && *head->date)
		e->date = kx_xstrdup(head->date);
	kx_error_clear();
	e->cover_msgid = kx_xstrdup(head->msgid);
	e->link = kx_send_lore_link(s, head->msgid);
	if (ts->cover)
		kx_strlist_add(&e->msgids, ts->cover->msgid);
	for (k = 0; k < ts->total; k++)
		kx_strlist_add(&e->msgids, ts->patches[k]->msgid);
	e->base = kx_xstrdup(p->state.base_commit);
	e->tip = kx_xstrdup(tip);
	e->tag = *tag_existed ? NULL : kx_xstrdup(tag);
	free(tag);
	/* as kvmx86 send follows a version sent: the next one begun */
	if (bump && p->state.revision == ts->revision && p->state.revision < KX_REVISION_MAX) {
		char *body = kx_cover_next_version(p->state.cover_body, ++p->state.revision);

		free(p->state.cover_body);
		p->state.cover_body = body;
	}
	return kx_prep_save(p);
}

int kx_import_same(bool *same, struct git_repository *repo, const struct kx_import *im,
		   const char *base, const char *tip, size_t nr)
{
	git_oid base_id, tip_id, made;
	git_commit *ours = NULL, *theirs = NULL;
	int error;

	*same = false;
	if (git_oid_fromstr(&base_id, base) < 0 || git_oid_fromstr(&tip_id, tip) < 0)
		return kx_error_set(KX_EINVALID, "'%s..%s' is not a range of commits", base, tip);
	if (im->series.total != nr)
		return 0;
	/* the mails applied on the series' base: the series' tree, or not it */
	if ((error = kx_import_commits(&made, repo, &base_id, im)) < 0) {
		if (error != KX_EINVALID)
			return error;
		kx_error_clear();
		return 0;
	}
	if ((error = kx_git(git_commit_lookup(&ours, repo, &tip_id))) < 0 ||
	    (error = kx_git(git_commit_lookup(&theirs, repo, &made))) < 0)
		goto done;
	*same = !git_oid_cmp(git_commit_tree_id(ours), git_commit_tree_id(theirs));
done:
	git_commit_free(ours);
	git_commit_free(theirs);
	return error;
}

void kx_import_release(struct kx_import *im)
{
	free(im->msgid);
	free(im->url);
	kx_thread_series_release(&im->series);
	kx_lore_messages_release(&im->thread);
	memset(im, 0, sizeof(*im));
}
