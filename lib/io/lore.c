// SPDX-License-Identifier: GPL-2.0-only
/*
 * lore look-ups: the earlier versions of a series, by change-id and then
 * by subject and author.  Each search POSTs for public-inbox's gzipped
 * mbox (?x=m: whole messages, so the change-id line and the From header
 * are read exactly); the Atom feed (?x=A, a GET) is the fallback for a
 * server that answers that POST with something else.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "kvmx86/error.h"
#include "kvmx86/http.h"
#include "kvmx86/lore.h"
#include "kvmx86/safe.h"
#include "kvmx86/util.h"

static const struct kx_http_opts default_http = KX_HTTP_OPTS_INIT;

int kx_lore_parse_mbox_answer(struct kx_lore_messages *msgs,
			      const struct kx_http_response *r,
			      const char *url, const struct kx_http_opts *o)
{
	char *mbox = NULL;
	size_t len = 0;
	int error;

	if (r->len >= 2 && (unsigned char)r->body[0] == 0x1f &&
	    (unsigned char)r->body[1] == 0x8b) {
		error = kx_http_gunzip(&mbox, &len, r->body, r->len,
				       o->max_inflated, url);
		if (error < 0)
			return error;
		error = kx_lore_mbox_parse(msgs, mbox, len);
		free(mbox);
	} else if (r->len >= 5 && !strncmp(r->body, "From ", 5)) {
		error = kx_lore_mbox_parse(msgs, r->body, r->len);
	} else {
		return kx_error_set(KX_EINVALID, "the answer from '%s' is "
				    "neither gzip nor an mbox (%s)", url,
				    r->content_type ? r->content_type :
				    "no Content-Type");
	}
	if (error < 0) {
		/* the message is rewritten: format from a copy */
		char *why = kx_xstrdup(kx_error_last());

		error = kx_error_set(error, "the answer from '%s': %s", url,
				     why);
		free(why);
	}
	return error;
}

/*
 * Runs one search into msgs (released first).  Nothing found is 0 with
 * no messages.
 */
static int search(struct kx_lore_messages *msgs, const char *base,
		  const char *query, const struct kx_http_opts *o)
{
	struct kx_http_response r = KX_HTTP_RESPONSE_INIT;
	char *url = kx_lore_search_url(base, "m", query), *atom_url = NULL;
	char *first = NULL, *second = NULL, *shown = kx_url_redact(url);
	int error;

	kx_lore_messages_release(msgs);
	error = kx_http_post(&r, url, o);
	if (error == KX_ENOTFOUND) {
		error = 0;
		goto done;
	}
	/* what is said of the answer names the URL without its password */
	if (!error)
		error = kx_lore_parse_mbox_answer(msgs, &r, shown, o);
	/* only an answer that is no mbox makes the Atom feed worth a try */
	if (!error || !(error == KX_EINVALID ||
			(r.status >= 400 && r.status <= 499 &&
			 r.status != 429)))
		goto done;
	first = kx_xstrdup(kx_error_last());
	kx_lore_messages_release(msgs);
	atom_url = kx_lore_search_url(base, "A", query);
	error = kx_http_get(&r, atom_url, o);
	if (error == KX_ENOTFOUND) {
		error = 0;
		goto done;
	}
	if (!error)
		error = kx_lore_atom_parse(msgs, r.body, r.len);
	if (error < 0) {
		second = kx_xstrdup(kx_error_last());
		error = kx_error_set(error, "%s; the Atom feed failed too: %s",
				     first, second);
	}
done:
	if (error < 0)
		kx_lore_messages_release(msgs);
	kx_http_response_release(&r);
	free(atom_url);
	free(url);
	free(shown);
	free(first);
	free(second);
	return error;
}

/* Whether out holds every revision before the current one. */
static bool has_all_earlier(const struct kx_lore_versions *out,
			    unsigned revision)
{
	return revision <= 1 || out->nr >= revision - 1;
}

int kx_lore_find_versions(struct kx_lore_versions *out,
			  const struct kx_lore_find *q)
{
	struct kx_lore_messages msgs = KX_LORE_MESSAGES_INIT;
	struct kx_lore_want want = {
		q->author_email, q->subject, q->change_id, q->revision,
	};
	struct kx_http_opts local = q->http ? *q->http : default_http;
	const struct kx_http_opts *o = &local;
	const char *base = q->base_url && *q->base_url ? q->base_url :
			   KX_LORE_DEFAULT_URL;
	char *query = NULL, *failure = NULL, *hint = NULL;
	int error = 0, failed_code = 0, tried = 0, failed = 0;
	bool by_id = q->change_id && *q->change_id;
	bool by_subject = q->subject && *q->subject;

	kx_lore_versions_release(out);
	/* one deadline for every search, retry and fallback below */
	if (!local.deadline_ms && local.total_ms > 0)
		local.deadline_ms = kx_http_now_ms() + local.total_ms;
	if (!q->author_email || !*q->author_email)
		return kx_error_set(KX_EINVALID, "no author email to search "
				    "lore by");
	if (!by_id && !by_subject)
		return kx_error_set(KX_EINVALID, "neither a change-id nor a "
				    "subject to search lore by");

	if (by_id && !(query = kx_lore_query_change_id(q->change_id))) {
		kx_strlist_addf(&out->warnings, "the change-id '%s' cannot "
				"be searched for: only letters, digits and "
				"._+- are expected", q->change_id);
		by_id = false;
	}
	if (by_id) {
		tried++;
		error = search(&msgs, base, query, o);
		if (!error)
			error = kx_lore_pick_versions(out, &msgs, &want);
		if (error < 0) {
			failed++;
			failed_code = error;
			failure = kx_xstrdup(kx_error_last());
			hint = kx_xstrdup(kx_error_last_hint());
		}
		free(query);
		query = NULL;
	}
	/* b4 keeps the change-id, but v1 may predate it: fill the gaps */
	if (by_subject && (!by_id || failed || !has_all_earlier(out,
								q->revision))) {
		query = kx_lore_query_subject(q->subject, q->author_email);
		if (!query) {
			kx_strlist_addf(&out->warnings, "the subject '%s' and "
					"email '%s' cannot be searched for",
					q->subject, q->author_email);
		} else {
			tried++;
			error = search(&msgs, base, query, o);
			if (!error)
				error = kx_lore_pick_versions(out, &msgs,
							      &want);
			if (error < 0) {
				failed++;
				if (!failure) {
					failed_code = error;
					failure = kx_xstrdup(kx_error_last());
					hint = kx_xstrdup(
						kx_error_last_hint());
				} else {
					kx_strlist_addf(&out->warnings,
							"the search by subject "
							"failed too: %s",
							kx_error_last());
				}
			}
		}
	}
	error = 0;
	if (tried && failed == tried) {
		error = kx_error_set(failed_code, "%s", failure);
		if (hint && *hint)
			kx_error_hint("%s", hint);
	} else if (failed) {
		kx_strlist_addf(&out->warnings, "a lore search failed: %s",
				failure);
	} else if (!tried) {
		error = kx_error_set(KX_EINVALID, "nothing to search lore by");
	}
	kx_lore_messages_release(&msgs);
	free(query);
	free(failure);
	free(hint);
	return error;
}
