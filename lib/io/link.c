// SPDX-License-Identifier: GPL-2.0-only
/*
 * prep --link: a Link: trailer on one commit of the branch, the commits
 * above it re-created on top (same trees, authors and messages), through
 * the one backup-and-refuse path of every rewrite (rewrite.h).
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "io.h"
#include "rewrite.h"
#include "kvmx86/coverio.h"
#include "kvmx86/error.h"
#include "kvmx86/link.h"
#include "kvmx86/lore.h"
#include "kvmx86/patch.h"
#include "kvmx86/resolve.h"

#define REPO(p) ((git_repository *)(p)->repo)

/*
 * The commits from target up to the tip, oldest first, into ids: target
 * must be a commit of the series, so that nothing below it is rewritten.
 */
static int walk_to(git_oid **ids, size_t *nr, struct kx_resolved *s,
		   const git_oid *target)
{
	const struct kx_series *series = &s->series;
	char hex[41];
	size_t i, k;

	git_oid_tostr(hex, sizeof(hex), target);
	*ids = NULL;
	*nr = 0;
	for (i = 0; i < series->nr; i++)
		if (!strcmp(series->commits[i].id, hex))
			break;
	if (i == series->nr) {
		int error = kx_error_set(KX_EINVALID, "%.12s is not a commit of %s's series",
					 hex, s->prep.branch);

		kx_error_hint("give a commit of the series (kvmx86 prep --show-info series-range): %zu commit%s above %.12s",
			      series->nr, series->nr == 1 ? "" : "s",
			      s->prep.range.base);
		return error;
	}
	*nr = series->nr - i;
	*ids = kx_xcalloc(*nr, sizeof(**ids));
	for (k = 0; k < *nr; k++)
		git_oid_fromstr(&(*ids)[k], series->commits[i + k].id);
	return 0;
}

/* Is msgid one of the versions of this series sent before? */
static void earlier_version(struct kx_link *out, struct kx_prep *p,
			    const char *msgid, const char *email,
			    const char *first_subject, bool offline)
{
	struct kx_lore_versions v = KX_LORE_VERSIONS_INIT;
	size_t i, k;

	for (i = 0; i < p->state.sent_nr && !out->earlier; i++) {
		const struct kx_sent *e = &p->state.sent[i];
		bool hit = e->cover_msgid && !strcmp(e->cover_msgid, msgid);

		for (k = 0; k < e->msgids.nr && !hit; k++)
			hit = !strcmp(e->msgids.items[k], msgid);
		if (hit)
			out->earlier = kx_xasprintf("v%u of %s (its sent history)",
						    e->revision, p->branch);
	}
	if (out->earlier || offline || !p->has_state || !email)
		return;
	if (kx_series_lore_versions(&v, p, email,
				    p->state.cover_subject && *p->state.cover_subject ?
				    p->state.cover_subject : first_subject) < 0) {
		kx_strlist_addf(&out->warnings,
				"could not ask lore whether %s is an earlier version of the series: %s",
				msgid, kx_error_last());
		kx_error_clear();
	}
	/* lore knows each version by its cover (or 1/N): its patches too */
	for (i = 0; i < v.nr && !out->earlier; i++)
		if (!strcmp(v.items[i].msgid, msgid) ||
		    kx_msgid_same_posting(v.items[i].msgid, msgid))
			out->earlier = kx_xasprintf("v%u of %s (found on lore: \"%s\")",
						    v.items[i].revision, p->branch,
						    v.items[i].subject);
	kx_lore_versions_release(&v);
}

int kx_prep_link(struct kx_link *out, struct kx_resolved *s, const char *arg,
		 const char *rev, bool force, bool offline)
{
	struct kx_prep *p = &s->prep;
	git_commit *c = NULL;
	git_signature *sender = NULL;
	git_oid tip, target, new_id;
	git_oid *ids = NULL, *made = NULL;
	const char **messages = NULL;
	char *msgid = NULL, *message = NULL, *refname = NULL, *reason = NULL;
	size_t nr = 0;
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = kx_lore_msgid_from_arg(&msgid, arg)) < 0)
		return error;
	out->url = kx_lore_link(KX_LORE_DEFAULT_LINK, msgid);

	/* the branch: REV when it names one, else the current branch */
	refname = kx_xasprintf("refs/heads/%s", p->branch);
	if ((error = kx_git(git_reference_name_to_id(&tip, REPO(p), refname))) < 0)
		goto done;
	if (rev)
		error = kx_git_resolve_commit(&target, REPO(p), rev);
	else
		git_oid_cpy(&target, &tip);
	if (error < 0 || (error = walk_to(&ids, &nr, s, &target)) < 0)
		goto done;
	git_oid_tostr(out->commit, sizeof(out->commit), &target);
	git_oid_tostr(out->old_tip, sizeof(out->old_tip), &tip);
	if ((error = kx_git(git_commit_lookup(&c, REPO(p), &target))) < 0)
		goto done;
	out->subject = kx_xstrdup(git_commit_summary(c) ? git_commit_summary(c) : "");

	/* lore has the mails from the sender, as prep --cover asks it */
	if (git_signature_default(&sender, REPO(p)) < 0)
		git_error_clear();
	earlier_version(out, p, msgid,
			sender ? sender->email : git_commit_author(c)->email,
			out->subject, offline);
	git_signature_free(sender);
	sender = NULL;
	if (out->earlier && !force) {
		error = KX_LINK_REFUSED;
		goto done;
	}
	message = kx_message_add_trailer(git_commit_message(c), "Link", out->url,
					 git_commit_author(c)->email);
	if (!message) {
		out->unchanged = true;
		goto done;
	}
	if ((error = kx_rewrite_check_clean(REPO(p), p->branch)) < 0 ||
	    (error = kx_rewrite_check_writable(REPO(p))) < 0)
		goto done;

	/* the commit with its new message, then those above it */
	made = kx_xcalloc(nr, sizeof(*made));
	messages = kx_xcalloc(nr, sizeof(*messages));
	messages[0] = message;
	if ((error = kx_rewrite_recreate(&new_id, made, REPO(p),
					 git_commit_parent_id(c, 0), ids, nr,
					 messages)) < 0)
		goto done;
	git_oid_tostr(out->new_commit, sizeof(out->new_commit), &made[0]);
	git_oid_tostr(out->new_tip, sizeof(out->new_tip), &new_id);
	out->rewritten = nr;
	reason = kx_xasprintf("Link: %s on %.12s", out->url, out->commit);
	/* the state must follow the branch: known writable before it moves */
	if (p->has_state && !p->branch_gone && (error = kx_prep_lock_writable(p)) < 0)
		goto done;
	if ((error = kx_rewrite_update_branch(&out->backup, REPO(p), p->branch, &tip,
					      &new_id, "prep --link", reason)) < 0)
		goto done;
	/* an enrolled branch: its state follows the tip (last_tip) */
	p->range_valid = false;
	if (p->has_state && !p->branch_gone && (error = kx_prep_save(p)) < 0) {
		kx_error_hint("%s was rewritten (the old tip is %s), but its state was not updated",
			      p->branch, out->backup);
		goto done;
	}
done:
	git_commit_free(c);
	free(ids);
	free(made);
	free(messages);
	free(msgid);
	free(message);
	free(refname);
	free(reason);
	return error;
}

void kx_link_release(struct kx_link *l)
{
	free(l->url);
	free(l->subject);
	free(l->earlier);
	free(l->backup);
	kx_strlist_release(&l->warnings);
	memset(l, 0, sizeof(*l));
}
