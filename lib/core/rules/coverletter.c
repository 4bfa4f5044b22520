// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cover letter's rules: the text the user wrote for it (the state's
 * cover subject and body), not the patches.  Those of the handbook that
 * apply to a cover letter: no In-Reply-To to earlier versions or bug
 * reports, no SDM/APM section numbers; and no template text left in.
 * The changelog's pronoun and mood rules do not apply: the rule catalog
 * (rule 17) keeps "we" in a cover letter fine, and the handbook asks
 * imperative mood of changelogs and comments.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/cover.h"
#include "kvmx86/rules.h"
#include "kvmx86/safe.h"
#include "sdm.h"
#include "text.h"

/* Quotes at most this many columns of a line in a message. */
#define QUOTE_MAX 100

/* The line l, blanks trimmed, cut at QUOTE_MAX (caller frees). */
static char *quote(const char *l)
{
	size_t n;

	while (*l == ' ' || *l == '\t')
		l++;
	n = strlen(l);
	while (n && isspace((unsigned char)l[n - 1]))
		n--;
	if (n > QUOTE_MAX)
		return kx_xasprintf("%.*s...", (int)kx_utf8_cut(l, QUOTE_MAX - 3), l);
	return kx_xstrndup(l, n);
}

/* Whether s contains word (any case) not inside a longer word. */
static bool has_word(const char *s, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = s; *p; p++) {
		if (strncasecmp(p, word, n))
			continue;
		if ((p == s || !isalnum((unsigned char)p[-1])) &&
		    !isalnum((unsigned char)p[n]))
			return true;
	}
	return false;
}

/*
 * "reply to v1", "in reply to the v2 posting": threading the new version
 * under an earlier one, said in words.
 */
static bool reply_to_version(const char *s)
{
	const char *p;

	for (p = s; *p; p++) {
		const char *q = p + strlen("reply to ");

		if (strncasecmp(p, "reply to ", 9))
			continue;

		if (!strncasecmp(q, "the ", 4))
			q += 4;
		if ((*q == 'v' || *q == 'V') && isdigit((unsigned char)q[1]))
			return true;
		if (!strncasecmp(q, "previous version", 16) ||
		    !strncasecmp(q, "the previous", 12) ||
		    !strncasecmp(q, "previous", 8))
			return true;
	}
	return false;
}

/*
 * Handbook: "Do not explicitly reference bug reports, prior versions of a
 * patch/series, etc. via In-Reply-To: headers."  A header line in the
 * cover letter asks for it (error); words about it are a warning.
 */
static void in_reply_to(struct kx_findings *out,
			const struct kx_text_body *b)
{
	const char *said = NULL;
	size_t i;

	for (i = 0; i < b->nr; i++) {
		const char *s = b->items[i].text;
		const char *t = s + strspn(s, " \t");
		char *q;

		if (!strncasecmp(t, "In-Reply-To:", 12) ||
		    !strncasecmp(t, "References:", 11)) {
			q = quote(t);
			kx_findings_add(out, KX_SEV_ERROR, "link-not-in-reply-to",
					"cover letter asks for '%s': do not thread a new version under an earlier one or a bug report; link to it from the cover letter (https://lore.kernel.org/r/<message-id>)",
					q);
			free(q);
			return;
		}
		if (!said && (has_word(s, "In-Reply-To") || reply_to_version(s)))
			said = s;
	}
	if (said) {
		char *q = quote(said);

		kx_findings_add(out, KX_SEV_WARNING, "link-not-in-reply-to",
				"cover letter speaks of sending it as a reply ('%s'): post the new version as a thread of its own and link to the earlier one from the cover letter",
				q);
		free(q);
	}
}

/* Placeholders of the cover-letter templates of git, b4 and kvmx86. */
static const char *const templates[] = {
	"*** SUBJECT HERE ***", "*** BLURB HERE ***",
	"# Describe the purpose of this series",
	"# Lines starting with # will be removed",
};

const char *kx_cover_template_in(const char *s)
{
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(templates); i++)
		if (strstr(s, templates[i]))
			return templates[i];
	return has_word(s, "EDITME") ? "EDITME" : NULL;
}

static void template_text(struct kx_findings *out, const char *subject,
			  const struct kx_text_body *b)
{
	const char *what = subject ? kx_cover_template_in(subject) : NULL;
	const char *where = "subject";
	size_t i, line = 0;

	for (i = 0; !what && i < b->nr; i++)
		if ((what = kx_cover_template_in(b->items[i].text))) {
			where = "line";
			line = i + 1;
		}
	if (!what)
		return;
	if (line)
		kx_findings_add(out, KX_SEV_ERROR, "cover-template-text",
				"cover letter still has template text '%s' (%s %zu): write the cover letter (kvmx86 prep --edit-cover)",
				what, where, line);
	else
		kx_findings_add(out, KX_SEV_ERROR, "cover-template-text",
				"cover letter still has template text '%s' (%s): write the cover letter (kvmx86 prep --edit-cover)",
				what, where);
}

/* --- cover-letter-lore-links --- */

/* Whether env records a message-id that links version k. */
static bool version_recorded(const struct kx_rule_env *env, unsigned k)
{
	size_t i;

	for (i = 0; env->sent_link_msgids && i < env->sent_revisions_nr; i++)
		if (env->sent_revisions[i] == k && env->sent_link_msgids[i])
			return true;
	return false;
}

/*
 * Whether the cover text links version k: its "vK: <link>" section
 * header, which prep --cover keeps, or a line naming vK with a URL.
 */
static bool version_linked(const struct kx_cover_text *t,
			   const struct kx_text_body *b, unsigned k)
{
	const struct kx_version_notes *v = kx_cover_text_notes(t, k);
	char word[16];
	size_t i;

	if (v && v->link)
		return true;
	snprintf(word, sizeof(word), "v%u", k);
	for (i = 0; i < b->nr; i++)
		if (strstr(b->items[i].text, "://") && has_word(b->items[i].text, word))
			return true;
	return false;
}

/*
 * The handbook: "For referencing previous version(s) ... put the link in
 * the cover letter".  prep --cover and send write "vK: <lore link>" for
 * each earlier version themselves when its message-id is recorded, or
 * when the text has the link; else they search lore, and write EDITME if
 * that finds nothing.  So only a version with neither is advised on: its
 * link rests on a search.
 */
static void lore_links(struct kx_findings *out, const char *body,
		       const struct kx_text_body *b,
		       const struct kx_rule_env *env)
{
	struct kx_cover_text t;
	unsigned *missing, k, n = 0, i;
	struct kx_buf list = KX_BUF_INIT;
	char *said;

	if (!env || env->revision < 2)
		return;
	missing = kx_xcalloc(env->revision, sizeof(*missing));
	kx_cover_text_parse(&t, body ? body : "");
	for (k = 1; k < env->revision; k++)
		if (!version_recorded(env, k) && !version_linked(&t, b, k))
			missing[n++] = k;
	kx_cover_text_release(&t);
	for (i = 0; i < n; i++)
		kx_buf_addf(&list, "%sv%u", !i ? "" : i + 1 == n ? " and " : ", ",
			    missing[i]);
	said = n ? kx_buf_detach(&list) : NULL;
	if (n)
		kx_findings_add(out, KX_SEV_ADVICE, "cover-letter-lore-links",
				"cover letter does not link %s, and no message-id of %s is recorded: "
				"add 'v%u: https://lore.kernel.org/all/<message-id>/' to it "
				"(kvmx86 prep --edit-cover); else prep --cover and send search lore, "
				"and leave EDITME where they find nothing",
				said, n == 1 ? "it" : "them", missing[n - 1]);
	free(said);
	free(missing);
}

void kx_rule_cover_letter(struct kx_findings *out, const char *subject,
			  const char *body, bool required,
			  const struct kx_rule_env *env)
{
	struct kx_text_body b = KX_TEXT_BODY_INIT;
	const char **prose;
	size_t i, nr = 0;
	bool no_subject = !subject || !*subject, no_body = !body || !*body;

	if (required && (no_subject || no_body))
		kx_findings_add(out, KX_SEV_ERROR, "cover-template-text",
				"the cover letter has no %s yet: git format-patch would send '%s': write it (kvmx86 prep --edit-cover)",
				no_subject ? "subject" : "text",
				no_subject ? "*** SUBJECT HERE ***" : "*** BLURB HERE ***");
	if (no_subject && no_body)
		return;
	kx_text_body_read(&b, body);
	in_reply_to(out, &b);
	template_text(out, subject, &b);
	if (required)
		lore_links(out, body, &b, env);
	/* the handbook's "especially not in comments": a warning here */
	if (subject)
		kx_sdm__scan(out, &subject, 1, KX_SEV_WARNING,
			     "the cover letter's subject", NULL, NULL);
	prose = kx_xcalloc(b.nr + 1, sizeof(*prose));
	for (i = 0; i < b.nr; i++)
		if (b.items[i].kind == KX_TEXT_PROSE)
			prose[nr++] = b.items[i].text;
	kx_sdm__scan(out, prose, nr, KX_SEV_WARNING, "the cover letter",
		     NULL, NULL);
	free(prose);
	kx_text_body_release(&b);
}
