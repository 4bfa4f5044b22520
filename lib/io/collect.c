// SPDX-License-Identifier: GPL-2.0-only
/*
 * prep --trailers: reads the thread of the last version sent from lore,
 * and adds the trailers its replies give to the commits that still carry
 * those patches unchanged (the same patch-id), re-creating the commits
 * from the lowest one changed through the one rewrite path (rewrite.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <git2.h>

#include "io.h"
#include "rewrite.h"
#include "kvmx86/collect.h"
#include "kvmx86/error.h"
#include "kvmx86/http.h"
#include "kvmx86/patch.h"
#include "kvmx86/resolve.h"

#define REPO(p) ((git_repository *)(p)->repo)

/* The newest version sent, or NULL. */
static const struct kx_sent *last_sent(const struct kx_prep *p)
{
	const struct kx_sent *e = NULL;
	size_t i;

	for (i = 0; i < p->state.sent_nr; i++)
		if (!e || p->state.sent[i].revision > e->revision)
			e = &p->state.sent[i];
	return e;
}

int kx_lore_fetch_thread(struct kx_lore_messages *out, char **url,
			 git_repository *repo, const char *msgid)
{
	struct kx_http_response r = KX_HTTP_RESPONSE_INIT;
	struct kx_lore_config lc;
	git_config *cfg = NULL;
	char *escaped;
	int error;

	if (git_repository_config_snapshot(&cfg, repo) < 0)
		git_error_clear();
	error = kx_config_lore(&lc, cfg);
	git_config_free(cfg);
	if (error < 0)
		return error;
	escaped = kx_lore_msgid_escape(msgid);
	*url = kx_xasprintf("%s%s%s/t.mbox.gz", lc.url,
			    kx_ends_with(lc.url, "/") ? "" : "/", escaped);
	free(escaped);
	error = kx_http_get(&r, *url, &lc.http);
	if (error == KX_ENOTFOUND) {
		error = kx_error_set(KX_ENOTFOUND, "lore has no thread for <%s> at %s",
				     msgid, *url);
		kx_error_hint("lore archives a mail some minutes after it is sent; kvmx86.loreUrl names the archive");
	} else if (!error &&
		   (error = kx_lore_parse_mbox_answer(out, &r, *url, &lc.http)) < 0) {
		kx_error_hint("kvmx86.loreUrl must name a public-inbox archive, such as %s",
			      KX_LORE_DEFAULT_URL);
	}
	kx_http_response_release(&r);
	kx_lore_config_release(&lc);
	return error;
}

struct commit_slot {
	char patch_id[41];	/* "" for an empty change */
	bool have_id;
	char *message;		/* the new message, or NULL: unchanged */
};

/*
 * Index j of the series commit that carries patch k as sent (its patch-id
 * among sent[], when known), or -1.
 */
static long find_commit(struct kx_resolved *s, struct commit_slot *slots,
			const struct kx_collect *c, const struct kx_strlist *sent,
			unsigned k)
{
	git_repository *repo = REPO(&s->prep);
	size_t j;

	if (sent) {
		for (j = 0; j < s->series.nr; j++) {
			git_oid id;

			if (!slots[j].have_id) {
				if (git_oid_fromstr(&id, s->series.commits[j].id) < 0 ||
				    kx_commit_patch_id(slots[j].patch_id, repo, &id) < 0) {
					kx_error_clear();
					continue;
				}
				slots[j].have_id = true;
			}
			if (*slots[j].patch_id && !strcmp(slots[j].patch_id, sent->items[k - 1]))
				return (long)j;
		}
		return -1;
	}
	/* no commits as sent to compare: the subject the mail had */
	for (size_t i = 0; i < c->patches_nr; i++)
		if (c->patches[i].index == k)
			for (j = 0; j < s->series.nr; j++)
				if (!strcmp(s->series.commits[j].subject, c->patches[i].subject))
					return (long)j;
	return -1;
}

static const char *patch_subject(const struct kx_collect *c, unsigned k)
{
	size_t i;

	for (i = 0; i < c->patches_nr; i++)
		if (c->patches[i].index == k)
			return c->patches[i].subject;
	return "";
}

/* Does message hold a key trailer naming email (lower case) already? */
static bool has_trailer(const char *message, const char *key, const char *email)
{
	struct kx_trailers t = KX_TRAILERS_INIT;
	const char *body = strchr(message, '\n');
	bool found = false;
	size_t i;
	char *want = kx_xasprintf("<%s>", email);
	/* the trailers above the notes of a "---" line, which git am cuts */
	char *head = kx_xstrndup(message, kx_message_cut(message));

	body = strchr(head, '\n');
	kx_trailers_parse(&t, body ? body : "");
	for (i = 0; i < t.nr && !found; i++) {
		char *v = kx_xstrdup(t.items[i].value);

		for (char *q = v; *q; q++)
			*q = (char)tolower((unsigned char)*q);
		/* the whole address: al@ is not hal@ */
		found = !strcasecmp(t.items[i].key, key) && strstr(v, want);
		free(v);
	}
	kx_trailers_release(&t);
	free(want);
	free(head);
	return found;
}

static void add_one(struct kx_trailers_result *out, struct kx_resolved *s,
		    struct commit_slot *slot, size_t j, const struct kx_collected *t,
		    unsigned k)
{
	const char *id = s->series.commits[j].id;
	struct kx_trailer_added *a;
	char *message;

	if (!slot->message) {
		git_commit *c = NULL;
		git_oid oid;

		if (git_oid_fromstr(&oid, id) < 0 ||
		    git_commit_lookup(&c, REPO(&s->prep), &oid) < 0) {
			git_error_clear();
			return;
		}
		slot->message = kx_xstrdup(git_commit_message(c));
		git_commit_free(c);
	}
	if (has_trailer(slot->message, t->key, t->email))
		return;
	if (!(message = kx_message_append_trailer(slot->message, t->key, t->value)))
		return;
	free(slot->message);
	slot->message = message;
	kx_grow((void **)&out->items, &out->alloc, out->nr, sizeof(*out->items));
	a = &out->items[out->nr++];
	memset(a, 0, sizeof(*a));
	memcpy(a->commit, id, sizeof(a->commit));
	a->index = k;
	a->line = kx_xasprintf("%s: %s", t->key, t->value);
	a->msgid = kx_xstrdup(t->msgid);
}

/* The Message-ID a version's thread is found by, or NULL. */
static const char *thread_msgid(const struct kx_sent *e)
{
	return e->cover_msgid ? e->cover_msgid : e->msgids.nr ? e->msgids.items[0] : NULL;
}

/*
 * Takes the trailers the replies to version e give into slots' messages.
 * The last version's may be matched by subject, and what cannot go on is
 * said in out->skipped; an earlier version's go only on a commit with the
 * very patch the reviewer saw (its patch-id), and those for patches
 * changed since are counted in out->earlier_changed, as b4 leaves them.
 */
static void take_version(struct kx_trailers_result *out, struct kx_resolved *s,
			 struct commit_slot *slots, const struct kx_sent *e,
			 const struct kx_strlist *sent, const struct kx_collect *c,
			 bool last)
{
	bool by_id = sent && sent->nr == c->total;
	size_t i, k;

	if (last)
		out->by_subject = !by_id;
	else if (!by_id) {
		/*
		 * by patch-id only: commits recorded that are not the patches
		 * sent (--manual-reroll --force at a longer branch) tell no
		 * changed patch from an unchanged one
		 */
		kx_strlist_addf(&out->skipped,
				"v%u's replies were not read: the %zu commits recorded for it are not its %u patches",
				e->revision, sent ? sent->nr : 0, c->total);
		return;
	}
	for (i = 0; i < c->nr; i++) {
		const struct kx_collected *t = &c->items[i];
		unsigned first = t->index ? t->index : 1;
		unsigned end = t->index ? t->index : c->total;

		if (!strcmp(t->key, "Nacked-by")) {
			kx_strlist_addf(&out->skipped, "%s: %s on %s of v%u (<%s>): not added; answer the objection first",
					t->key, t->value, t->index ? "a patch" : "the cover letter",
					e->revision, t->msgid);
			continue;
		}
		for (k = first; k <= end; k++) {
			long j = k <= c->total ?
				 find_commit(s, slots, c, by_id ? sent : NULL, (unsigned)k) : -1;

			if (j >= 0) {
				add_one(out, s, &slots[j], (size_t)j, t, (unsigned)k);
			} else if (last) {
				kx_strlist_addf(&out->skipped,
						"%s: %s is for patch %zu/%u of v%u (\"%s\"), which no commit of the series carries unchanged: not added",
						t->key, t->value, k, c->total, e->revision,
						patch_subject(c, (unsigned)k));
			} else {
				out->earlier_changed++;
			}
		}
	}
}

/*
 * Reads the replies to each version sent before e, oldest first, as b4
 * trailers -u reads every version of a change-id: a review of v1 still
 * holds for a patch v2 left as it was.  A version whose commits are not
 * known is not read (its patches could not be told from changed ones).
 */
static int take_earlier(struct kx_trailers_result *out, struct kx_resolved *s,
			struct commit_slot *slots, const struct kx_sent *last)
{
	struct kx_prep *p = &s->prep;
	unsigned rev;
	size_t i;
	int error;

	for (rev = 1; rev < last->revision; rev++) {
		struct kx_lore_messages thread = KX_LORE_MESSAGES_INIT;
		struct kx_collect c = KX_COLLECT_INIT;
		struct kx_strlist ids = KX_STRLIST_INIT;
		const struct kx_sent *e = NULL;
		char *url = NULL;

		for (i = 0; i < p->state.sent_nr; i++)
			if (p->state.sent[i].revision == rev)
				e = &p->state.sent[i];
		if (!e || !thread_msgid(e))
			continue;
		if (kx_sent_patch_ids(&ids, REPO(p), e) < 0) {
			kx_strlist_addf(&out->skipped, "v%u's replies were not read: its commits are not known",
					rev);
			goto next;
		}
		error = kx_lore_fetch_thread(&thread, &url, REPO(p), thread_msgid(e));
		if (error == KX_ENOTFOUND) {
			kx_strlist_addf(&out->skipped, "v%u's thread is not on lore (%s): its replies were not read",
					rev, url);
			kx_error_clear();
			goto next;
		}
		if (error < 0) {
			free(url);
			kx_strlist_release(&ids);
			return error;
		}
		kx_strlist_addf(&out->earlier, "v%u %s", rev, url);
		if (kx_collect_read(&c, &thread, rev) == 0) {
			out->found += c.nr;
			take_version(out, s, slots, e, &ids, &c, false);
		}
		kx_error_clear();
next:
		free(url);
		kx_strlist_release(&ids);
		kx_collect_release(&c);
		kx_lore_messages_release(&thread);
	}
	return 0;
}

int kx_prep_trailers(struct kx_trailers_result *out, struct kx_resolved *s,
		     bool dry_run)
{
	struct kx_prep *p = &s->prep;
	struct kx_lore_messages thread = KX_LORE_MESSAGES_INIT;
	struct kx_collect c = KX_COLLECT_INIT;
	struct commit_slot *slots = NULL;
	struct kx_strlist sent = KX_STRLIST_INIT;
	const struct kx_sent *e;
	const char *msgid;
	git_oid *ids = NULL, tip, new_tip;
	const char **messages = NULL;
	size_t i, low;
	char *reason = NULL;
	int error;

	memset(out, 0, sizeof(*out));
	if (!p->branch || p->branch_gone || !p->has_state || !(e = last_sent(p))) {
		error = kx_error_set(KX_EINVALID, "no version of %s was sent: there are no replies to read",
				     p->branch ? p->branch : "the series");
		kx_error_hint("prep --trailers reads lore's replies to the versions kvmx86 send (or b4 send) sent");
		return error;
	}
	out->revision = e->revision;
	if (!(msgid = thread_msgid(e))) {
		error = kx_error_set(KX_EINVALID, "v%u of %s has no Message-ID recorded: its thread cannot be found",
				     e->revision, p->branch);
		kx_error_hint("add the reviewers' trailers by hand (git rebase -i, reword)");
		return error;
	}
	if ((error = kx_lore_fetch_thread(&thread, &out->url, REPO(p), msgid)) < 0)
		goto done;
	if ((error = kx_collect_read(&c, &thread, e->revision)) < 0) {
		kx_error_hint("the thread at %s holds no [PATCH v%u ...] mail", out->url, e->revision);
		goto done;
	}
	slots = kx_xcalloc(s->series.nr + 1, sizeof(*slots));
	/* the earlier versions' first: their trailers are the older */
	if ((error = take_earlier(out, s, slots, e)) < 0)
		goto done;
	out->found += c.nr;
	take_version(out, s, slots, e,
		     kx_sent_patch_ids(&sent, REPO(p), e) == 0 ? &sent : NULL, &c, true);
	if (!out->nr || dry_run)
		goto done;

	/* from the lowest commit changed to the tip, on its parent */
	for (low = 0; low < s->series.nr && !slots[low].message; low++)
		;
	ids = kx_xcalloc(s->series.nr - low, sizeof(*ids));
	messages = kx_xcalloc(s->series.nr - low, sizeof(*messages));
	for (i = low; i < s->series.nr; i++) {
		git_oid_fromstr(&ids[i - low], s->series.commits[i].id);
		messages[i - low] = slots[i].message;
	}
	git_oid_fromstr(&tip, s->series.commits[s->series.nr - 1].id);
	{
		git_oid branch_tip;
		char *refname = kx_xasprintf("refs/heads/%s", p->branch);

		error = kx_git(git_reference_name_to_id(&branch_tip, REPO(p), refname));
		free(refname);
		if (error < 0)
			goto done;
		if (git_oid_cmp(&branch_tip, &tip)) {
			error = kx_error_set(KX_EINVALID, "%s moved while its series was read", p->branch);
			kx_error_hint("run kvmx86 prep --trailers again");
			goto done;
		}
	}
	if ((error = kx_rewrite_check_clean(REPO(p), p->branch)) < 0 ||
	    (error = kx_rewrite_check_writable(REPO(p))) < 0)
		goto done;
	{
		git_commit *lowest = NULL;

		if ((error = kx_git(git_commit_lookup(&lowest, REPO(p), &ids[0]))) < 0)
			goto done;
		error = kx_rewrite_recreate(&new_tip, NULL, REPO(p),
					    git_commit_parent_id(lowest, 0), ids,
					    s->series.nr - low, messages);
		git_commit_free(lowest);
		if (error < 0)
			goto done;
	}
	git_oid_tostr(out->old_tip, sizeof(out->old_tip), &tip);
	git_oid_tostr(out->new_tip, sizeof(out->new_tip), &new_tip);
	out->rewritten = s->series.nr - low;
	reason = kx_xasprintf("%zu trailer%s from v%u's replies", out->nr,
			      out->nr == 1 ? "" : "s", e->revision);
	/* the state must follow the branch: known writable before it moves */
	if ((error = kx_prep_lock_writable(p)) < 0 ||
	    (error = kx_rewrite_update_branch(&out->backup, REPO(p), p->branch, &tip,
					      &new_tip, "prep --trailers", reason)) < 0)
		goto done;
	p->range_valid = false;
	if ((error = kx_prep_save(p)) < 0)
		kx_error_hint("%s was rewritten (the old tip is %s), but its state was not updated",
			      p->branch, out->backup);
done:
	if (slots)
		for (i = 0; i < s->series.nr; i++)
			free(slots[i].message);
	free(slots);
	kx_strlist_release(&sent);
	free(ids);
	free(messages);
	free(reason);
	kx_collect_release(&c);
	kx_lore_messages_release(&thread);
	return error;
}

void kx_trailers_result_release(struct kx_trailers_result *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++) {
		free(r->items[i].line);
		free(r->items[i].msgid);
	}
	free(r->items);
	free(r->url);
	free(r->backup);
	kx_strlist_release(&r->skipped);
	kx_strlist_release(&r->earlier);
	memset(r, 0, sizeof(*r));
}
