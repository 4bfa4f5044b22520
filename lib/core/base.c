// SPDX-License-Identifier: GPL-2.0-only
/*
 * The base decision.  The handbook: fixes for the current release go on
 * kvm/master; everything else on kvm-x86/next; a truly multi-arch series
 * ("non-trivial modifications to common KVM code and/or more than
 * superficial changes to other architectures' code") on "the release
 * candidate upon which kvm-x86 next is based".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvmx86/base.h"
#include "kvmx86/error.h"
#include "kvmx86/findings.h"
#include "kvmx86/rules.h"

const char *kx_scope_name(enum kx_scope scope)
{
	switch (scope) {
	case KX_SCOPE_X86:
		return "x86";
	case KX_SCOPE_MULTI_ARCH:
		return "multi-arch";
	case KX_SCOPE_CURRENT_FIX:
		return "current-fix";
	case KX_SCOPE_UNSET:
		break;
	}
	return "";
}

int kx_scope_parse(enum kx_scope *out, const char *name)
{
	if (!strcmp(name, "x86") || !strcmp(name, "x86-only"))
		*out = KX_SCOPE_X86;
	else if (!strcmp(name, "multi-arch"))
		*out = KX_SCOPE_MULTI_ARCH;
	else if (!strcmp(name, "current-fix") || !strcmp(name, "fix-current"))
		*out = KX_SCOPE_CURRENT_FIX;
	else
		return kx_error_set(KX_EINVALID,
				    "unknown scope '%s': use x86, multi-arch or current-fix",
				    name);
	return 0;
}

const char *kx_verdict_name(enum kx_verdict verdict)
{
	switch (verdict) {
	case KX_VERDICT_OK:
		return "ok";
	case KX_VERDICT_BEHIND:
		return "behind";
	case KX_VERDICT_STALE:
		return "stale";
	case KX_VERDICT_WRONG:
		return "wrong";
	}
	return "?";
}

struct kx_candidate *kx_base_facts_add(struct kx_base_facts *f,
				       const char *name,
				       enum kx_cand_kind kind,
				       const char *tip)
{
	struct kx_candidate *c;

	kx_grow((void **)&f->cands, &f->cands_alloc, f->cands_nr,
		sizeof(*f->cands));
	c = &f->cands[f->cands_nr++];
	memset(c, 0, sizeof(*c));
	c->name = kx_xstrdup(name);
	c->kind = kind;
	strncpy(c->tip, tip, sizeof(c->tip) - 1);
	return c;
}

void kx_base_facts_release(struct kx_base_facts *f)
{
	size_t i;

	for (i = 0; i < f->cands_nr; i++)
		free(f->cands[i].name);
	free(f->cands);
	free(f->branch);
	free(f->target_topic);
	f->cands = NULL;
	f->cands_nr = f->cands_alloc = 0;
	f->branch = f->target_topic = NULL;
}

void kx_base_result_release(struct kx_base_result *out)
{
	free(out->remedy);
	out->remedy = NULL;
	kx_strlist_release(&out->reasons);
	kx_strlist_release(&out->warnings);
}

static const struct kx_candidate *find_kind(const struct kx_base_facts *f,
					    enum kx_cand_kind kind)
{
	size_t i;

	for (i = 0; i < f->cands_nr; i++)
		if (f->cands[i].kind == kind)
			return &f->cands[i];
	return NULL;
}

static const struct kx_candidate *find_cycle_rc(const struct kx_base_facts *f)
{
	size_t i;

	for (i = 0; i < f->cands_nr; i++)
		if (f->cands[i].cycle_rc)
			return &f->cands[i];
	return NULL;
}

static bool contains(const struct kx_candidate *c)
{
	return c && c->contains_fork;
}

static unsigned substantive(const struct kx_file_change *f,
			    const struct kx_base_config *cfg)
{
	unsigned n = f->kinds[KX_LINE_LOGIC];

	if (cfg->count_decls)
		n += f->kinds[KX_LINE_DECL];
	if (cfg->count_renames)
		n += f->kinds[KX_LINE_RENAME];
	return n;
}

struct path_sum {
	const char *path;
	enum kx_area area;
	unsigned kinds[KX_LINE__COUNT];
	unsigned logic;
};

/* Sums the lines of common and other-arch files, by path, into out. */
static void count_lines(struct kx_base_result *out, const struct kx_series *s,
			const struct kx_base_config *cfg)
{
	struct path_sum *sums = NULL;
	size_t nr = 0, alloc = 0, i, j, k;

	for (i = 0; i < s->nr; i++) {
		const struct kx_commit *c = &s->commits[i];

		for (j = 0; j < c->files_nr; j++) {
			const struct kx_file_change *f = &c->files[j];
			struct path_sum *p = NULL;

			if (f->area != KX_AREA_COMMON &&
			    f->area != KX_AREA_OTHER_ARCH)
				continue;
			for (k = 0; k < nr; k++)
				if (!strcmp(sums[k].path, f->path))
					p = &sums[k];
			if (!p) {
				kx_grow((void **)&sums, &alloc, nr,
					sizeof(*sums));
				p = &sums[nr++];
				memset(p, 0, sizeof(*p));
				p->path = f->path;
				p->area = f->area;
			}
			for (k = 0; k < KX_LINE__COUNT; k++)
				p->kinds[k] += f->kinds[k];
			p->logic += substantive(f, cfg);
			if (f->area == KX_AREA_COMMON)
				out->common_logic += substantive(f, cfg);
			else
				out->other_logic += substantive(f, cfg);
		}
	}

	for (i = 0; i < nr; i++) {
		char detail[256] = "";
		size_t used = 0;

		for (k = KX_LINE_COMMENT; k < KX_LINE__COUNT; k++) {
			if (k == KX_LINE_LOGIC || !sums[i].kinds[k])
				continue;
			used += (size_t)snprintf(detail + used,
						 sizeof(detail) - used,
						 "%s%u %s", used ? ", " : "",
						 sums[i].kinds[k],
						 kx_line_kind_name((enum kx_line_kind)k));
			if (used >= sizeof(detail))
				break;
		}
		kx_strlist_addf(&out->reasons,
				"%s (%s): %u substantive line%s%s%s%s",
				sums[i].path, kx_area_name(sums[i].area),
				sums[i].logic, sums[i].logic == 1 ? "" : "s",
				*detail ? ", superficial: " : "", detail, "");
	}
	free(sums);
}

/* Where the Fixes: of commit i point, asking io if it left that open. */
static enum kx_fix_target fix_of(const struct kx_series *s,
				 const struct kx_base_facts *f, size_t i)
{
	enum kx_fix_target t = s->commits[i].fix;

	if (t == KX_FIX_PENDING && f->lookups && f->lookups->fix)
		t = f->lookups->fix(f->lookups->data, i);
	return t;
}

/*
 * Does every commit outside the selftests fix a bug of this cycle?  The
 * commits whose answer needs no walk of history are looked at first.
 */
static bool current_fix_rule(const struct kx_series *s,
			     const struct kx_base_facts *f)
{
	bool any = false;
	size_t i;

	for (i = 0; i < s->nr; i++) {
		const struct kx_commit *c = &s->commits[i];

		if (c->area == KX_AREA_SELFTESTS)
			continue;
		any = true;
		if (c->fix != KX_FIX_CURRENT && c->fix != KX_FIX_PENDING)
			return false;
	}
	for (i = 0; any && i < s->nr; i++)
		if (s->commits[i].area != KX_AREA_SELFTESTS &&
		    fix_of(s, f, i) != KX_FIX_CURRENT)
			return false;
	return any;
}

/* Does every commit outside the selftests carry a Fixes: that resolves? */
static bool all_fixes(const struct kx_series *s)
{
	bool any = false;
	size_t i;

	for (i = 0; i < s->nr; i++) {
		if (s->commits[i].area == KX_AREA_SELFTESTS)
			continue;
		if (s->commits[i].fix == KX_FIX_NONE || s->commits[i].fix == KX_FIX_UNKNOWN)
			return false;
		any = true;
	}
	return any;
}

static bool fork_in_cycle(const struct kx_base_facts *f)
{
	if (f->lookups && f->lookups->fork_in_cycle)
		return f->lookups->fork_in_cycle(f->lookups->data);
	return f->fork_in_cycle;
}

static const char *scope_base_text(enum kx_scope scope)
{
	switch (scope) {
	case KX_SCOPE_MULTI_ARCH:
		return "a multi-arch series goes on the rc that kvm-x86/next is built on";
	case KX_SCOPE_CURRENT_FIX:
		return "a fix for the current release goes on kvm/master";
	default:
		return "a KVM x86 series goes on kvm-x86/next";
	}
}

static const struct kx_candidate *
recommend(const struct kx_base_facts *f, enum kx_scope scope)
{
	const struct kx_candidate *master = find_kind(f, KX_CAND_KVM_MASTER);
	const struct kx_candidate *fixes = find_kind(f, KX_CAND_FIXES);

	switch (scope) {
	case KX_SCOPE_MULTI_ARCH:
		return find_cycle_rc(f);
	case KX_SCOPE_CURRENT_FIX:
		/* either is right; name the one the series sits on */
		if (contains(fixes) &&
		    (!contains(master) || fixes->distance < master->distance))
			return fixes;
		return master ? master : fixes;
	default:
		return find_kind(f, KX_CAND_NEXT);
	}
}

/* The candidate closest to the fork point; ties go to rec. */
static const struct kx_candidate *closest(const struct kx_base_facts *f,
					  const struct kx_candidate *rec)
{
	const struct kx_candidate *best = NULL;
	size_t i;

	for (i = 0; i < f->cands_nr; i++) {
		const struct kx_candidate *c = &f->cands[i];

		if (!c->contains_fork)
			continue;
		if (!best || c->distance < best->distance ||
		    (c->distance == best->distance && c == rec))
			best = c;
	}
	return best;
}

static const struct kx_candidate *topic_with_fork(const struct kx_base_facts *f)
{
	const struct kx_candidate *any = NULL;
	size_t i;

	for (i = 0; i < f->cands_nr; i++) {
		const struct kx_candidate *c = &f->cands[i];
		const char *slash;

		if (c->kind != KX_CAND_TOPIC || !c->contains_fork)
			continue;
		slash = strrchr(c->name, '/');
		if (f->target_topic && slash && !strcmp(slash + 1, f->target_topic))
			return c;
		if (!any)
			any = c;
	}
	return any;
}

int kx_base_decide(struct kx_base_result *out, const struct kx_series *s,
		   const struct kx_base_facts *f,
		   const struct kx_base_config *cfg)
{
	const struct kx_candidate *next = find_kind(f, KX_CAND_NEXT);
	const struct kx_candidate *master = find_kind(f, KX_CAND_KVM_MASTER);
	const struct kx_candidate *fixes = find_kind(f, KX_CAND_FIXES);
	const struct kx_candidate *rc = find_cycle_rc(f);
	const struct kx_candidate *rec, *topic;
	bool on_fix_tree;

	if (!s->nr)
		return kx_error_set(KX_EINVALID, "the series is empty");

	count_lines(out, s, cfg);
	out->detected = (out->common_logic > cfg->superficial_lines ||
			 out->other_logic > cfg->superficial_lines) ?
			KX_SCOPE_MULTI_ARCH : KX_SCOPE_X86;
	if (out->detected == KX_SCOPE_MULTI_ARCH)
		kx_strlist_addf(&out->reasons,
				"multi-arch: %u substantive lines in common KVM code and %u in other architectures' KVM code, more than the %u that count as superficial (kvmx86.superficialLines)",
				out->common_logic, out->other_logic,
				cfg->superficial_lines);
	else if (out->common_logic || out->other_logic)
		kx_strlist_addf(&out->reasons,
				"x86: the changes to common and other architectures' KVM code are superficial (%u and %u substantive lines, at most %u)",
				out->common_logic, out->other_logic,
				cfg->superficial_lines);

	/* On the fix trees' own history, not on what they share with next. */
	out->current_fix_rule = current_fix_rule(s, f);
	on_fix_tree = (contains(master) || contains(fixes)) && !contains(next);
	if (out->current_fix_rule && on_fix_tree)
		out->detected = KX_SCOPE_CURRENT_FIX;
	out->scope = f->forced != KX_SCOPE_UNSET ? f->forced : out->detected;
	if (f->forced != KX_SCOPE_UNSET && f->forced != out->detected)
		kx_strlist_addf(&out->reasons,
				"scope %s set by --scope (detected: %s)",
				kx_scope_name(f->forced),
				kx_scope_name(out->detected));
	else if (out->detected == KX_SCOPE_CURRENT_FIX)
		kx_strlist_add(&out->reasons,
			       "current-fix: every kernel commit fixes a bug introduced in this release cycle, and the series sits on the fix trees");
	if (out->current_fix_rule && out->scope != KX_SCOPE_CURRENT_FIX)
		kx_strlist_addf(&out->warnings,
				"this looks like a fix for the current release; consider %s (fixes do not automatically warrant the current release: urgent, critical or new-this-cycle bugs do)",
				master ? master->name : "kvm/master");

	rec = out->recommended = recommend(f, out->scope);
	out->actual = closest(f, rec);

	if (!rec) {
		out->verdict = KX_VERDICT_WRONG;
		kx_strlist_addf(&out->reasons, "%s, but %s", scope_base_text(out->scope),
				out->scope == KX_SCOPE_MULTI_ARCH ?
				"no v* tag is found under kvm-x86/next: fetch the tags" :
				"no such ref is here: fetch the KVM trees");
		return 0;
	}
	if (!strcmp(f->fork, rec->tip)) {
		out->verdict = KX_VERDICT_OK;
		return 0;
	}
	/*
	 * The handbook's multi-arch base is "a common, stable point in KVM's
	 * history, e.g. the release candidate upon which kvm-x86 next is
	 * based": a later rc (or the release) of this cycle is one too.
	 */
	if (out->scope == KX_SCOPE_MULTI_ARCH && out->actual &&
	    out->actual->kind == KX_CAND_TAG && !strcmp(out->actual->tip, f->fork) &&
	    fork_in_cycle(f)) {
		out->verdict = KX_VERDICT_OK;
		kx_strlist_addf(&out->reasons,
				"the series is on %s, later in this cycle than %s that %s is built on: a common, stable point too",
				out->actual->name, rec->name, next ? next->name : "kvm-x86/next");
		return 0;
	}

	topic = topic_with_fork(f);
	if (rec->contains_fork &&
	    (out->scope != KX_SCOPE_X86 || fork_in_cycle(f))) {
		out->verdict = KX_VERDICT_BEHIND;
		out->behind_by = rec->distance;
		kx_strlist_addf(&out->reasons,
				"the series forks from %s, %zu commit%s behind %s",
				out->actual ? out->actual->name : "an older commit",
				rec->distance, rec->distance == 1 ? "" : "s",
				rec->name);
		if (out->scope == KX_SCOPE_X86 && topic && out->actual == topic)
			kx_strlist_addf(&out->reasons,
					"there is no need to base on a topic branch such as %s: the maintainers sort out topics; use %s",
					topic->name, rec->name);
	} else if (out->scope == KX_SCOPE_X86 && topic && !contains(next)) {
		out->verdict = KX_VERDICT_BEHIND;
		out->behind_by = topic->distance;
		kx_strlist_addf(&out->reasons,
				"the series forks from %s, which %s does not contain yet; base on %s",
				topic->name, rec->name, rec->name);
	} else if (f->fork_in_old_next && (!out->actual ||
		   (out->actual->kind == KX_CAND_KVM_NEXT && !contains(next)))) {
		/*
		 * kvm/next merges kvm-x86's branches, so it keeps an old next's
		 * commits after a force-push: a series on them is stale, not on
		 * kvm/next
		 */
		out->verdict = KX_VERDICT_STALE;
		if (out->actual)
			kx_strlist_addf(&out->reasons,
					"the series forks from an old %s that was force-pushed away (%s keeps it, merged; the current %s does not have the fork point)",
					next ? next->name : "kvm-x86/next", out->actual->name,
					next ? next->name : "kvm-x86/next");
		else
			kx_strlist_addf(&out->reasons,
					"the series forks from an old %s that was force-pushed away: no current ref contains the fork point",
					next ? next->name : "kvm-x86/next");
	} else {
		out->verdict = KX_VERDICT_WRONG;
		if (!out->actual)
			kx_strlist_addf(&out->reasons,
					"the series forks from a commit that no KVM ref or v* tag contains; %s",
					scope_base_text(out->scope));
		else if (out->scope == KX_SCOPE_X86 && contains(next) && rc &&
			 out->actual == rc)
			/* the rc contains the fork: below it, not the rc itself */
			kx_strlist_addf(&out->reasons,
					"the series forks from %.12s, below %s that %s is built on; %s",
					f->fork, rc->name, next->name,
					scope_base_text(out->scope));
		else if (out->scope == KX_SCOPE_X86 && contains(next) && rc)
			kx_strlist_addf(&out->reasons,
					"the series forks from %s, older than %s that %s is built on; %s",
					out->actual->name, rc->name,
					next->name, scope_base_text(out->scope));
		else
			kx_strlist_addf(&out->reasons,
					"the series forks from %s; %s (%s)",
					out->actual->name,
					scope_base_text(out->scope), rec->name);
	}

	/*
	 * Fixes of bugs older than this cycle, on the fix trees: the handbook
	 * sends "typically only" this cycle's bugs there, and lets urgent or
	 * critical ones go too; the user knows which this is.
	 */
	if (out->verdict == KX_VERDICT_WRONG && out->scope == KX_SCOPE_X86 &&
	    on_fix_tree && !out->current_fix_rule && all_fixes(s))
		kx_strlist_addf(&out->warnings,
				"every commit has a Fixes: for a bug older than this cycle: if the fix is urgent or critical, it may still go on %s (kvmx86 check-base --scope=current-fix)",
				master ? master->name : "kvm/master");

	/*
	 * Without a branch (a commit id, a detached HEAD, a range to a name
	 * unsafe to paste), the tip itself: git rebase without one would
	 * rebase whatever branch is checked out.
	 */
	if (f->branch)
		out->remedy = kx_xasprintf("git rebase --onto %s %.12s %s",
					   rec->name, f->fork, f->branch);
	else if (*f->tip)
		out->remedy = kx_xasprintf("git rebase --onto %s %.12s %.12s",
					   rec->name, f->fork, f->tip);
	else
		out->remedy = kx_xasprintf("git rebase --onto %s %.12s",
					   rec->name, f->fork);
	return 0;
}

const char *kx_base_print_commit(const struct kx_base_result *r,
				 const struct kx_base_facts *facts)
{
	if (r->verdict == KX_VERDICT_OK || r->verdict == KX_VERDICT_BEHIND)
		return facts->fork;
	return NULL;
}

void kx_base_choice_findings(struct kx_findings *out,
			     const struct kx_base_result *r, const char *why,
			     const struct kx_series *s, size_t prerequisites,
			     const char *fork)
{
	const char **ids, **subjects;
	size_t i;

	if (!r) {
		kx_findings_add_at(out, NULL, KX_SEV_ADVICE, "base-choice",
				   "the base was not checked: %s", why ? why : "");
		return;
	}
	if (r->verdict != KX_VERDICT_OK)
		kx_findings_add_at(out, NULL,
				   r->verdict == KX_VERDICT_WRONG ? KX_SEV_ERROR : KX_SEV_WARNING,
				   "base-choice", "the base is %s: %s%s%s",
				   kx_verdict_name(r->verdict),
				   r->reasons.nr ? r->reasons.items[r->reasons.nr - 1] : "",
				   r->remedy ? "; fix: " : "", r->remedy ? r->remedy : "");
	/* check-base's advice, e.g. "consider kvm/master" for this cycle's fixes */
	for (i = 0; i < r->warnings.nr; i++)
		kx_findings_add_at(out, NULL, KX_SEV_ADVICE, "base-choice", "%s",
				   r->warnings.items[i]);
	if (!prerequisites || !s || prerequisites >= s->nr)
		return;
	ids = kx_xcalloc(prerequisites, sizeof(*ids));
	subjects = kx_xcalloc(prerequisites, sizeof(*subjects));
	for (i = 0; i < prerequisites; i++) {
		ids[i] = s->commits[i].id;
		subjects[i] = s->commits[i].subject;
	}
	kx_rule_base_trailer(out, fork, ids, subjects, prerequisites);
	kx_rule_co_post_selftests(out, s, prerequisites);
	free(ids);
	free(subjects);
}
