// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which commits are the series and where its base is: decisions over the
 * values io/series.c reads, so that every command answers alike.
 */
#include <stdlib.h>
#include <string.h>

#include "kvmx86/error.h"
#include "kvmx86/seriesplan.h"
#include "kvmx86/util.h"

int kx_series_arg_parse(struct kx_series_arg *out, const char *arg)
{
	const char *dots;

	memset(out, 0, sizeof(*out));
	out->kind = KX_NAMED_HEAD;
	if (!arg)
		return 0;
	if (!*arg) {
		kx_error_set(KX_EUSAGE, "an empty revision names nothing");
		kx_error_hint("name a branch, a commit or a range <base>..<tip>, or nothing for the current branch");
		return KX_EUSAGE;
	}
	if (!(dots = strstr(arg, ".."))) {
		out->kind = KX_NAMED_REV;
		out->rev = kx_xstrdup(arg);
		return 0;
	}
	if (dots[2] == '.') {
		kx_error_set(KX_EUSAGE, "symmetric range '%s' is not a series: use BASE..TIP",
			     arg);
		kx_error_hint("a series is the commits of TIP that BASE lacks: kvmx86 ... <base>..<tip>");
		return KX_EUSAGE;
	}
	out->kind = KX_NAMED_RANGE;
	out->left = dots == arg ? kx_xstrdup("HEAD") :
		    kx_xstrndup(arg, (size_t)(dots - arg));
	out->right = kx_xstrdup(dots[2] ? dots + 2 : "HEAD");
	return 0;
}

void kx_series_arg_release(struct kx_series_arg *a)
{
	free(a->rev);
	free(a->left);
	free(a->right);
	memset(a, 0, sizeof(*a));
}

size_t kx_rev_name_len(const char *spec)
{
	size_t i;

	for (i = 0; spec[i]; i++)
		if (spec[i] == '~' || spec[i] == '^' || spec[i] == ':' ||
		    (spec[i] == '@' && spec[i + 1] == '{'))
			break;
	return i;
}

bool kx_rev_name_is_literal(const char *spec, size_t len)
{
	return memchr(spec, '@', len) && !(len == 1 && spec[0] == '@');
}

const char *kx_series_source_name(enum kx_series_source s)
{
	switch (s) {
	case KX_SOURCE_RANGE:
		return "range";
	case KX_SOURCE_ENROLLED:
		return "enrolled";
	case KX_SOURCE_FORK_POINT:
		return "fork-point";
	}
	return "";
}

int kx_series_choose(enum kx_series_source *out,
		     const struct kx_series_situation *s)
{
	const char *name = s->name ? s->name : "HEAD";

	if (s->need_branch && !s->has_branch) {
		if (s->named == KX_NAMED_RANGE) {
			kx_error_set(KX_EINVALID,
				     "the tip of '%s' is not a local branch, and this action works on a branch",
				     name);
			kx_error_hint("name the branch, or a range that ends at one: <base>..<branch>");
		} else if (s->named == KX_NAMED_HEAD && s->detached) {
			kx_error_set(KX_EINVALID,
				     "HEAD is detached, and this action works on a branch");
			kx_error_hint("check out the series' branch (git switch <branch>), or name it after the action: kvmx86 <command> ... <branch>");
		} else {
			kx_error_set(KX_EINVALID,
				     "'%s' is not a local branch, and this action works on a branch",
				     name);
			kx_error_hint("name the series' branch (git branch lists them)");
		}
		return KX_EINVALID;
	}
	if (s->named == KX_NAMED_RANGE)
		*out = KX_SOURCE_RANGE;
	else if (s->has_branch && s->enrolled && !s->branch_gone)
		*out = KX_SOURCE_ENROLLED;
	else
		*out = KX_SOURCE_FORK_POINT;
	return 0;
}

const char *kx_base_how_name(enum kx_base_how how)
{
	switch (how) {
	case KX_BASE_RECORDED:
		return "recorded";
	case KX_BASE_FOLLOWED:
		return "followed";
	case KX_BASE_GIVEN:
		return "given";
	case KX_BASE_FORK_POINT:
		return "fork-point";
	case KX_BASE_RANGE:
		return "range";
	}
	return "";
}

int kx_series_merge_error(const char *id, const char *subject, bool enrolled)
{
	kx_error_set(KX_EINVALID, "merge commit %.12s (\"%s\") is in the series",
		     id, subject ? subject : "");
	if (enrolled)
		kx_error_hint("a patch series is linear: drop the merge (git rebase), or, if the branch now sits on\n"
			      "a base kvmx86 does not know, record it: kvmx86 prep --enroll --base <rev>");
	else
		kx_error_hint("a patch series is linear: drop the merge (git rebase), or give a range <base>..<tip> that leaves it out");
	return KX_EINVALID;
}

/* The point at id, the recorded one first, then tracked, old, other refs. */
static const struct kx_base_point *point_at(const struct kx_follow_input *in,
					    const char *id)
{
	const struct kx_base_point *best = NULL;
	size_t i;

	for (i = 0; i < in->points_nr; i++)
		if (!strcmp(in->points[i].id, id) &&
		    (!best || in->points[i].kind < best->kind))
			best = &in->points[i];
	return best;
}

int kx_base_follow(struct kx_follow *out, const struct kx_follow_input *in)
{
	bool enrolled = in->source == KX_SOURCE_ENROLLED;
	const struct kx_base_point *pt = NULL;
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < in->chain_nr; i++) {
		const struct kx_chain_commit *c = &in->chain[i];

		if ((pt = point_at(in, c->id)))
			break;
		if (c->parents > 1)
			return kx_series_merge_error(c->id, c->subject, enrolled);
		if (!c->parents)
			break;
	}
	if (!pt) {
		if (!enrolled) {
			kx_error_set(KX_EINVALID, "'%s' reaches no common history: no base below it",
				     in->branch);
			kx_error_hint("give a range whose sides share history: <base>..<tip>");
			return KX_EINVALID;
		}
		kx_error_set(KX_EINVALID,
			     "the recorded base %.12s of %s is no longer below its tip, and the branch sits on no %s",
			     in->recorded, in->branch,
			     in->tracked ? "KVM branch or release tag" : "commit kvmx86 knows");
		kx_error_hint("record the base it sits on now (the change-id and revision stay):\n"
			      "  kvmx86 prep --enroll --base <rev> %s", in->branch);
		return KX_EINVALID;
	}
	memcpy(out->base, pt->id, sizeof(out->base));
	out->top = i;
	if (in->b4_cover && i && (!strcmp(in->chain[i - 1].id, in->b4_cover) ||
				  in->chain[i - 1].b4_cover))
		out->cover_skipped = true;
	if (!enrolled) {
		out->how = KX_BASE_RANGE;
		return 0;
	}
	if (pt->kind == KX_POINT_RECORDED) {
		out->how = in->tracked ? KX_BASE_RECORDED : KX_BASE_GIVEN;
		out->ref = in->tracked && in->recorded_ref ?
			   kx_xstrdup(in->recorded_ref) : NULL;
		return 0;
	}
	out->how = KX_BASE_FOLLOWED;
	out->ref = kx_xstrdup(pt->ref ? pt->ref : in->recorded_ref);
	switch (pt->kind) {
	case KX_POINT_TRACKED:
		out->note = kx_xasprintf("the base of %s follows %s: %.12s, recorded %.12s",
					 in->branch, out->ref, out->base,
					 in->recorded);
		break;
	case KX_POINT_TRACKED_OLD:
		out->note = kx_xasprintf("the base of %s follows %s as it was (its reflog): %.12s, recorded %.12s",
					 in->branch, out->ref, out->base,
					 in->recorded);
		break;
	default:
		out->note = kx_xasprintf("%s was rebased onto %s: the base is %.12s, recorded %.12s on %s",
					 in->branch, out->ref, out->base,
					 in->recorded,
					 in->recorded_ref ? in->recorded_ref : "no ref");
		break;
	}
	return 0;
}

void kx_follow_release(struct kx_follow *f)
{
	free(f->ref);
	free(f->note);
	memset(f, 0, sizeof(*f));
}
