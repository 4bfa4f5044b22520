// SPDX-License-Identifier: GPL-2.0-only
/*
 * The shortlog rules (rule catalog 6.2, rules 1-10 and 12): the prefix
 * "KVM: <topic>:", its topic and its case, the prefixes the handbook
 * refuses, and the description's capital, ending and length.
 *
 * The subject is read as a run of prefix components, each a word without
 * blanks followed by ": " ("KVM: x86/mmu: "), then the description.  A
 * description that only contains a colon later ("Fix foo: bar") has none.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/rules.h"
#include "kvmx86/safe.h"
#include "kvmx86/util.h"
#include "tree.h"

#define SHORTLOG_FIRM 75
#define SHORTLOG_HARD 80
#define MAX_COMPS 6

#define LISTED_TOPICS "x86, x86/mmu, x86/pmu, x86/xen, selftests, SVM, nSVM, VMX or nVMX"

#define topics kx_topic__nodes
#define is_ancestor kx_topic__is_ancestor

static bool mem_ieq(const char *s, size_t n, const char *name)
{
	return strlen(name) == n && !strncasecmp(s, name, n);
}

static bool mem_eq(const char *s, size_t n, const char *name)
{
	return strlen(name) == n && !strncmp(s, name, n);
}

/* A topic as written, possibly a combination such as "SVM,VMX". */
struct topic_name {
	enum topic topic;	/* de facto topics stand for their parent */
	bool known, exact, combined, defacto;
	char canonical[64];	/* the name with its case corrected */
};

static void topic_parse(struct topic_name *t, const char *s, size_t n)
{
	const char *end = s + n, *comma;
	size_t len = 0;
	bool exact;

	memset(t, 0, sizeof(*t));
	t->topic = T_NONE;
	t->known = t->exact = true;
	t->combined = memchr(s, ',', n) != NULL;
	for (; s <= end && t->known; s = comma + 1) {
		enum topic one;

		comma = memchr(s, ',', (size_t)(end - s));
		if (!comma)
			comma = end;
		one = kx_topic__find(s, (size_t)(comma - s), &exact);
		if (one == T_NONE ||
		    (t->combined && topics[one].kind == TK_ARCH)) {
			t->known = false;
			break;
		}
		t->exact &= exact;
		t->defacto |= topics[one].kind == TK_DEFACTO;
		t->topic = kx_topic__lca(t->topic, topics[one].same);
		/* architectures keep the case they were written in */
		if (topics[one].kind == TK_ARCH)
			len += (size_t)snprintf(t->canonical + len,
						sizeof(t->canonical) - len,
						"%s%.*s", len ? "," : "",
						(int)(comma - s), s);
		else
			len += (size_t)snprintf(t->canonical + len,
						sizeof(t->canonical) - len,
						"%s%s", len ? "," : "",
						topics[one].name);
		if (len >= sizeof(t->canonical))
			t->known = false;
	}
	if (!t->known)
		t->topic = T_NONE;
}

/* --- the subject --- */

struct comp {
	const char *s;
	size_t n;
};

struct shortlog {
	const char *subject;
	bool revert;			/* Revert "..." (or Reapply "...") */
	struct comp comp[MAX_COMPS];	/* the prefix components */
	size_t nr;
	size_t prefix_len;		/* up to the last component's ':' */
	const char *desc;		/* the description */
};

static void shortlog_parse(struct shortlog *sl, const char *subject)
{
	const char *p = subject;
	size_t n;

	memset(sl, 0, sizeof(*sl));
	sl->subject = subject;
	sl->revert = kx_starts_with(subject, "Revert \"") ||
		     kx_starts_with(subject, "Reapply \"");
	while (sl->nr < MAX_COMPS) {
		n = strcspn(p, ": \t");
		if (!n || p[n] != ':' || (p[n + 1] != ' ' && p[n + 1]))
			break;
		sl->comp[sl->nr].s = p;
		sl->comp[sl->nr++].n = n;
		p += n + 1;
		sl->prefix_len = (size_t)(p - subject);
		while (*p == ' ')
			p++;
	}
	sl->desc = p;
}

static bool comp_ieq(const struct shortlog *sl, size_t i, const char *name)
{
	return i < sl->nr && mem_ieq(sl->comp[i].s, sl->comp[i].n, name);
}

/* "KVM" in any case as the first component. */
static bool has_kvm(const struct shortlog *sl)
{
	return comp_ieq(sl, 0, "KVM");
}

/* Uses x86/kvm as its prefix ("x86/kvm:" or "KVM: x86/kvm:"). */
static bool has_x86_kvm(const struct shortlog *sl)
{
	return comp_ieq(sl, 0, "x86/kvm") ||
	       (has_kvm(sl) && comp_ieq(sl, 1, "x86/kvm"));
}

/* Components that name a topic, so are never file names. */
static bool comp_is_topic(const struct shortlog *sl, size_t i)
{
	struct topic_name t;

	if ((i == 0 && has_kvm(sl)) || comp_ieq(sl, i, "x86/kvm"))
		return true;
	topic_parse(&t, sl->comp[i].s, sl->comp[i].n);
	return t.known;
}

static const char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Whether a component names a file: "x86.c", "arch/x86/kvm", "lapic". */
static bool comp_is_path(const struct shortlog *sl, size_t i,
			 const struct kx_patch *p, bool other_arch)
{
	const char *s = sl->comp[i].s, *dot;
	size_t n = sl->comp[i].n, j;

	if (comp_is_topic(sl, i))
		return false;
	if ((n > 2 && s[n - 2] == '.' && strchr("chS", s[n - 1])) ||
	    (n >= 5 && !strncmp(s, "arch/", 5)) ||
	    (n >= 5 && !strncmp(s, "virt/", 5)) ||
	    memmem(s, n, "/arch/", 6) || memmem(s, n, "/virt/", 6))
		return true;
	if (other_arch)
		return false;
	for (j = 0; j < p->files_nr; j++) {
		const char *base = basename_of(p->files[j].path);

		if (p->files[j].area == KX_AREA_NON_KVM)
			continue;
		dot = strrchr(base, '.');
		if (mem_eq(s, n, base) ||
		    (dot && (size_t)(dot - base) == n && !strncmp(s, base, n)))
			return true;
	}
	return false;
}

/* --- what the files say --- */

struct files {
	struct kx_topic t;	/* kx_topic_suggest(), the one answer */
	enum topic topic;	/* its node, de facto as listed, or T_NONE */
	enum topic span;	/* the broadest node still the files' own */
};

static void files_init(struct files *f, const struct kx_patch *p,
		       const struct kx_rule_env *env)
{
	enum topic n;

	kx_topic_suggest(&f->t, p, env);
	n = kx_topic__of_prefix(f->t.prefix);
	f->topic = n == T_NONE ? T_NONE : topics[n].same;
	switch (f->t.basis) {
	case KX_TOPIC_FILES:
	case KX_TOPIC_HISTORY:
	case KX_TOPIC_HINT:
		break;
	default:
		f->topic = T_NONE;	/* no KVM topic to compare with */
	}
	n = kx_topic__of_prefix(f->t.span);
	f->span = n == T_NONE ? f->topic : n;
}

/*
 * Asks history as well (the handbook: "When in doubt, git log
 * path/to/file should provide a reasonable hint") before a message names
 * the topic, for files that leave it open: the rules decide from the
 * files, which history never changes, and only pay for the walk when
 * they report.
 */
static void files_resolve(struct files *f, const struct kx_patch *p,
			  const struct kx_rule_env *env)
{
	if (!f->t.ambiguous || !env || !env->history_topic)
		return;
	kx_topic_release(&f->t);
	files_init(f, p, env);
}

static void files_release(struct files *f)
{
	kx_topic_release(&f->t);
}

static bool is_other_arch(const struct files *f)
{
	return f->topic != T_NONE && topics[f->topic].kind == TK_ARCH;
}

/* Whether p changes KVM itself, not only its guest side or tip code. */
static bool touches_host_kvm(const struct kx_patch *p)
{
	size_t i;

	for (i = 0; i < p->files_nr; i++)
		if (p->files[i].area != KX_AREA_NON_KVM &&
		    !kx_topic__is_guest_abi(p->files[i].path) &&
		    !kx_topic__is_guest(p->files[i].path))
			return true;
	return false;
}

/* --- rules --- */

/* Rule 1: "The preferred prefix format is KVM: <topic>:". */
void kx_rule_shortlog_prefix(struct kx_findings *out, const struct kx_patch *p,
			     const struct kx_rule_env *env)
{
	const char *fmt = NULL;
	struct shortlog sl;
	struct files f;
	size_t i;

	if (!p->subject || !*p->subject)
		return;
	shortlog_parse(&sl, p->subject);
	if (sl.revert)
		return;
	/* "KVM: x86: x86:" is a slip of the keyboard whatever the files */
	for (i = 0; i + 1 < sl.nr; i++) {
		if (sl.comp[i].n != sl.comp[i + 1].n ||
		    strncasecmp(sl.comp[i].s, sl.comp[i + 1].s, sl.comp[i].n))
			continue;
		kx_findings_add(out, KX_SEV_WARNING, "shortlog-prefix",
				"prefix '%.*s' repeats '%.*s:': drop one",
				(int)sl.prefix_len, p->subject,
				(int)sl.comp[i].n, sl.comp[i].s);
		return;
	}
	files_init(&f, p, NULL);
	/*
	 * Not KVM code (tip rules, the guest side's x86/kvm:, files shared
	 * with tip code, no files), or another architecture, whose
	 * conventions are its own.
	 */
	if (!f.t.kvm || is_other_arch(&f))
		goto done;
	if (!sl.nr)
		fmt = "shortlog '%s' has no prefix: start it with '%s' (%s)";
	else if (has_kvm(&sl) && sl.nr == 1 && f.topic != T_KVM &&
		 f.span != T_KVM)
		fmt = "prefix '%s' has no topic: use '%s' (%s)";
	else if (!has_kvm(&sl) && !has_x86_kvm(&sl) &&
		 !comp_is_path(&sl, 0, p, false))
		fmt = "prefix '%s' is not 'KVM: <topic>:': use '%s' (%s)";
	if (!fmt)
		goto done;
	files_resolve(&f, p, env);
	{
		char *what = sl.nr ? kx_xstrndup(p->subject, sl.prefix_len) :
				     kx_xstrdup(p->subject);

		kx_findings_add(out, KX_SEV_WARNING, "shortlog-prefix", fmt,
				what, f.t.prefix, f.t.reason);
		free(what);
	}
done:
	files_release(&f);
}

/* Rule 2: the topic is one of the handbook's list. */
void kx_rule_shortlog_topic_known(struct kx_findings *out,
				  const struct kx_patch *p,
				  const struct kx_rule_env *env)
{
	struct topic_name t;
	struct shortlog sl;
	struct files f;
	const struct comp *c;

	(void)env;
	if (!p->subject)
		return;
	shortlog_parse(&sl, p->subject);
	if (sl.revert || !has_kvm(&sl) || sl.nr < 2 || has_x86_kvm(&sl))
		return;
	c = &sl.comp[1];
	topic_parse(&t, c->s, c->n);
	if (t.known && (!t.exact || (!t.defacto && !t.combined)))
		return;		/* listed, an arch, or shortlog-case's */
	files_init(&f, p, NULL);
	if (is_other_arch(&f))
		goto done;
	if (t.known) {
		kx_findings_add(out, KX_SEV_ADVICE, "shortlog-topic-known",
				"topic '%.*s' is not in the handbook's list, though in use: the listed %s is 'KVM: %s:'",
				(int)c->n, c->s,
				t.combined ? "common parent" : "parent",
				topics[t.topic].name);
	} else if (!comp_is_path(&sl, 1, p, false)) {
		kx_findings_add(out, KX_SEV_WARNING, "shortlog-topic-known",
				"topic '%.*s' is not a KVM x86 topic: use %s, or propose a new one on the list",
				(int)c->n, c->s, LISTED_TOPICS);
	}
done:
	files_release(&f);
}

/* Rule 3: "All names are case sensitive!" */
void kx_rule_shortlog_case(struct kx_findings *out, const struct kx_patch *p,
			   const struct kx_rule_env *env)
{
	struct topic_name t = { .known = false };
	struct shortlog sl;
	size_t len;
	bool kvm_ok;

	(void)env;
	if (!p->subject)
		return;
	shortlog_parse(&sl, p->subject);
	if (sl.revert || !has_kvm(&sl) || has_x86_kvm(&sl))
		return;
	kvm_ok = mem_eq(sl.comp[0].s, sl.comp[0].n, "KVM");
	if (sl.nr > 1)
		topic_parse(&t, sl.comp[1].s, sl.comp[1].n);
	if (kvm_ok && (!t.known || t.exact))
		return;
	if (t.known) {
		len = (size_t)(sl.comp[1].s + sl.comp[1].n + 1 - p->subject);
		kx_findings_add(out, KX_SEV_ERROR, "shortlog-case",
				"prefix '%.*s' is not 'KVM: %s:': names are case-sensitive",
				(int)len, p->subject, t.canonical);
	} else {
		kx_findings_add(out, KX_SEV_ERROR, "shortlog-case",
				"prefix '%.*s:' is not 'KVM:': names are case-sensitive",
				(int)sl.comp[0].n, sl.comp[0].s);
	}
}

/* Rule 4: "DO NOT use x86/kvm!" ... except for the guest side. */
void kx_rule_no_x86_kvm_prefix(struct kx_findings *out,
			       const struct kx_patch *p,
			       const struct kx_rule_env *env)
{
	struct shortlog sl;
	struct files f;
	size_t len;

	if (!p->subject || !p->files_nr)
		return;
	shortlog_parse(&sl, p->subject);
	if (sl.revert)
		return;
	files_init(&f, p, NULL);
	if (has_x86_kvm(&sl)) {
		if (!touches_host_kvm(p))
			goto done;
		files_resolve(&f, p, env);
		len = (size_t)(sl.comp[has_kvm(&sl)].s +
			       sl.comp[has_kvm(&sl)].n + 1 - p->subject);
		kx_findings_add(out, KX_SEV_ERROR, "no-x86-kvm-prefix",
				"prefix '%.*s' is only for Linux as a KVM guest (arch/x86/kernel/kvm.c): use '%s' for KVM code",
				(int)len, p->subject,
				f.topic != T_NONE ? f.t.prefix : "KVM: x86:");
	} else if (f.t.basis == KX_TOPIC_GUEST && has_kvm(&sl)) {
		kx_findings_add(out, KX_SEV_WARNING, "no-x86-kvm-prefix",
				"prefix '%.*s' is for KVM itself, not its guests (%s): use 'x86/kvm:'",
				(int)sl.prefix_len, p->subject, f.t.reason);
	}
done:
	files_release(&f);
}

/* Rule 5: "Do not use file names or complete file paths as the prefix." */
void kx_rule_no_file_path_prefix(struct kx_findings *out,
				 const struct kx_patch *p,
				 const struct kx_rule_env *env)
{
	struct shortlog sl;
	struct files f;
	size_t i;

	if (!p->subject)
		return;
	shortlog_parse(&sl, p->subject);
	if (sl.revert || !sl.nr)
		return;
	files_init(&f, p, NULL);
	for (i = 0; i < sl.nr; i++) {
		if (!comp_is_path(&sl, i, p, is_other_arch(&f)))
			continue;
		files_resolve(&f, p, env);
		kx_findings_add(out, KX_SEV_ERROR, "no-file-path-prefix",
				"prefix '%.*s:' is a file name: use a topic such as '%s'",
				(int)sl.comp[i].n, sl.comp[i].s,
				f.t.basis == KX_TOPIC_NONE ? "KVM: x86:" :
				f.t.prefix);
		break;
	}
	files_release(&f);
}

/*
 * The topic the subject names, for comparison with the files: de facto
 * topics stand for their listed parent, "KVM: arm64: selftests:" for
 * selftests.  T_NONE when the subject names no topic that is known.
 */
static enum topic subject_topic(const struct shortlog *sl)
{
	struct topic_name t;
	size_t i;

	if (!has_kvm(sl) || has_x86_kvm(sl))
		return T_NONE;
	if (sl->nr == 1)
		return T_KVM;
	for (i = 2; i < sl->nr; i++)
		if (comp_ieq(sl, i, "selftests"))
			return T_SELFTESTS;
	topic_parse(&t, sl->comp[1].s, sl->comp[1].n);
	return t.topic;
}

/* Whether topic is an ancestor of, or is, the node of one file of p. */
static bool covers_a_file(const struct kx_patch *p, enum topic topic)
{
	enum topic n;
	size_t i;

	for (i = 0; i < p->files_nr; i++) {
		n = kx_topic__of_path(p->files[i].path);
		if (n != T_NONE && is_ancestor(topic, n))
			return true;
	}
	return false;
}

/*
 * The share (percent) of the changed lines that the files under topic
 * carry, among the files that have a KVM topic at all.
 */
static size_t share_of(const struct kx_patch *p, enum topic topic)
{
	size_t i, w, under = 0, total = 0;
	enum topic n;

	for (i = 0; i < p->files_nr; i++) {
		n = kx_topic__of_path(p->files[i].path);
		if (n == T_NONE)
			continue;
		w = p->files[i].added.nr + p->files[i].removed.nr;
		w = w ? w : 1;
		total += w;
		if (is_ancestor(topic, n))
			under += w;
	}
	return total ? 100 * under / total : 0;
}

/*
 * A narrower topic that is a file's own is the author's to choose, unless
 * its files carry less than this share of the changed lines (percent): the
 * mirror of the 80% a suggestion needs to narrow.  On real patches, the
 * advice for such choices was a false alarm 7 times in 7.
 */
#define NARROWER_SHARE 20

/*
 * The vendor whose directory holds path: vmx/pmu_intel.c is x86/pmu, but
 * VMX is a fair topic for it too.
 */
static enum topic vendor_of(const char *path)
{
	if (kx_starts_with(path, "arch/x86/kvm/vmx/") ||
	    !strcmp(path, "arch/x86/kvm/pmu_intel.c"))
		return T_VMX;
	if (kx_starts_with(path, "arch/x86/kvm/svm/") ||
	    !strcmp(path, "arch/x86/kvm/pmu_amd.c"))
		return T_SVM;
	return T_NONE;
}

static bool is_vendor_of_a_file(const struct kx_patch *p, enum topic topic)
{
	size_t i;

	for (i = 0; i < p->files_nr; i++)
		if (vendor_of(p->files[i].path) == topic)
			return true;
	return false;
}

/*
 * Rule 6: the topic is the files' lowest common ancestor; between the
 * suggestion (the topic of the code that dominates the change) and that
 * ancestor, the author chooses.
 */
void kx_rule_topic_from_files(struct kx_findings *out,
			      const struct kx_patch *p,
			      const struct kx_rule_env *env)
{
	struct shortlog sl;
	struct files f;
	const char *name, *why, *use;
	bool history;
	enum topic s;
	int n;

	if (!p->subject)
		return;
	shortlog_parse(&sl, p->subject);
	if (sl.revert)
		return;
	s = subject_topic(&sl);
	if (s == T_NONE)
		return;
	/* the topic as written, or selftests for "KVM: arm64: selftests:" */
	name = sl.nr > 1 ? sl.comp[1].s : "KVM";
	n = sl.nr > 1 ? (int)sl.comp[1].n : 3;
	if (s == T_SELFTESTS) {
		name = "selftests";
		n = (int)strlen(name);
	}
	files_init(&f, p, env);
	history = f.t.basis == KX_TOPIC_HISTORY;
	why = f.t.reason;
	use = f.t.prefix;
	/*
	 * No topic from files; the suggestion, or a topic between it and the
	 * files' common ancestor; or "KVM:" alone, which shortlog-prefix
	 * reports (but not for a topic from history: it does not see that)
	 */
	if (f.topic == T_NONE || f.topic == s ||
	    (is_ancestor(f.span, s) && is_ancestor(s, f.topic)) ||
	    (s == T_KVM && !history))
		goto done;
	if (f.t.basis == KX_TOPIC_HINT) {
		/* a hint is weak evidence: only a topic off its lineage */
		if (!is_ancestor(s, f.topic) && !is_ancestor(f.topic, s))
			kx_findings_add(out, KX_SEV_ADVICE, "topic-from-files",
					"topic '%.*s' is not the one the files hint at (%s): fine if the patch is about %s, else use '%s'",
					n, name, why, topics[s].name, use);
	} else if (is_ancestor(s, f.topic)) {
		kx_findings_add(out, KX_SEV_ADVICE, "topic-from-files",
				"topic '%.*s' is broader than the files imply (%s): fine, or use '%s'",
				n, name, why, use);
	} else if (history && is_ancestor(f.topic, s)) {
		/* history is a majority of other commits: narrower is fine */
		kx_findings_add(out, KX_SEV_ADVICE, "topic-from-files",
				"topic '%.*s' is narrower than the files' history (%s): fine if the patch is about %s, else use '%s'",
				n, name, why, topics[s].name, use);
	} else if (covers_a_file(p, s)) {
		if (share_of(p, s) < NARROWER_SHARE)
			kx_findings_add(out, KX_SEV_ADVICE, "topic-from-files",
					"topic '%.*s' is narrower than the files imply (%s), and its files carry %zu%% of the changed lines: fine if the patch is about %s, else use '%s'",
					n, name, why, share_of(p, s),
					topics[s].name, use);
	} else if (is_vendor_of_a_file(p, s)) {
		kx_findings_add(out, KX_SEV_ADVICE, "topic-from-files",
				"topic '%.*s' is the vendor's, not what the files imply (%s): fine if the patch is about %s, else use '%s'",
				n, name, why, topics[s].name, use);
	} else {
		kx_findings_add(out, KX_SEV_WARNING, "topic-from-files",
				"topic '%.*s' does not match the files (%s): use '%s'",
				n, name, why, use);
	}
done:
	files_release(&f);
}

/* Whether other subsystems' conventions apply rather than KVM's or tip's. */
static bool outside_kvm_and_tip(const struct kx_patch *p,
				const struct shortlog *sl)
{
	size_t i;

	if (!p->files_nr || has_kvm(sl))
		return false;
	for (i = 0; i < p->files_nr; i++)
		if (p->files[i].area != KX_AREA_NON_KVM ||
		    kx_starts_with(p->files[i].path, "arch/x86/"))
			return false;
	return true;
}

/*
 * The description past a prefix with blanks of up to three words: one
 * followed by a capitalized word ("perf tools: Add"), or a list of names
 * ("x86, powerpc: ", "vmx/svm: ").  Else desc itself: "fix the race: take
 * the lock" is a description.
 */
static const char *past_prefix_with_blanks(const char *desc)
{
	const char *colon = strstr(desc, ": "), *s;
	size_t words = 1;
	bool list = false;

	if (!colon)
		return desc;
	for (s = desc; s < colon; s++) {
		words += *s == ' ';
		list |= *s == ',' || *s == '/';
	}
	if (words > 3 || (!list && !isupper((unsigned char)colon[2])))
		return desc;
	return colon + 2;
}

/* Rule 7: "Capitalize the first word of the condensed patch description". */
void kx_rule_shortlog_capitalize(struct kx_findings *out,
				 const struct kx_patch *p,
				 const struct kx_rule_env *env)
{
	struct shortlog sl;
	const char *desc, *base;
	size_t n, i;
	bool upper = false, ident = false;
	char form;

	(void)env;
	if (!p->subject)
		return;
	shortlog_parse(&sl, p->subject);
	if (sl.revert || outside_kvm_and_tip(p, &sl))
		return;
	desc = past_prefix_with_blanks(sl.desc);
	if (!islower((unsigned char)*desc))
		return;
	n = strcspn(desc, " \t");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)desc[i];

		upper |= isupper(c);
		ident |= c == '_' || c == '(' || isdigit(c);
	}
	/* x2APIC, vCPU, nVMX, eVMCS: the name's own case */
	if (upper)
		return;
	if (ident)
		kx_findings_add(out, KX_SEV_ADVICE, "shortlog-capitalize",
				"description starts with identifier '%.*s': fine, though a capitalized verb reads better",
				(int)n, desc);
	else if ((base = kx_words_verb_form(desc, n, &form)))
		/* 'fixed': what shortlog-imperative asks too, not 'Fixed' */
		kx_findings_add(out, KX_SEV_WARNING, "shortlog-capitalize",
				"first word '%.*s' is not capitalized: write '%c%s'",
				(int)n, desc, toupper((unsigned char)*base), base + 1);
	else
		kx_findings_add(out, KX_SEV_WARNING, "shortlog-capitalize",
				"first word '%.*s' is not capitalized: write '%c%.*s'",
				(int)n, desc, toupper((unsigned char)*desc),
				(int)n - 1, desc + 1);
}

/* Rule 8: "omit ending punctuation". */
void kx_rule_shortlog_punctuation(struct kx_findings *out,
				  const struct kx_patch *p,
				  const struct kx_rule_env *env)
{
	size_t n;
	char c;

	(void)env;
	if (!p->subject || !*p->subject)
		return;
	n = strlen(p->subject);
	c = p->subject[n - 1];
	if (isspace((unsigned char)c))
		kx_findings_add(out, KX_SEV_ERROR, "shortlog-punctuation",
				"shortlog ends with whitespace: remove it");
	else if (strchr(".,;:!?", c))
		kx_findings_add(out, KX_SEV_ERROR, "shortlog-punctuation",
				"shortlog ends with '%c': drop the ending punctuation",
				c);
}

/*
 * The subject becomes the mail's Subject:, which no control character may
 * reach (kvmx86 send refuses the series, as git send-email would send
 * what a mail reader shows wrong): C0 with TAB and CR, DEL, C1.
 */
void kx_rule_shortlog_mailable(struct kx_findings *out,
			       const struct kx_patch *p,
			       const struct kx_rule_env *env)
{
	const unsigned char *s;
	char *shown;

	(void)env;
	for (s = (const unsigned char *)(p->subject ? p->subject : ""); *s; s++)
		if (*s < 0x20 || *s == 0x7f ||
		    (*s == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f))
			break;
	if (!p->subject || !*s)
		return;
	shown = kx_escape(p->subject, 0);
	kx_findings_add(out, KX_SEV_ERROR, "shortlog-mailable",
			"shortlog '%s' holds a control character, which a mail's Subject: cannot carry (kvmx86 send refuses it): reword the commit",
			shown);
	free(shown);
}

/* Display width of a code point: 0 for combining marks, 2 for wide. */
static unsigned cp_width(unsigned long cp)
{
	static const unsigned long zero[][2] = {
		{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
		{ 0x1ab0, 0x1aff }, { 0x1dc0, 0x1dff }, { 0x200b, 0x200f },
		{ 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f },
	};
	static const unsigned long wide[][2] = {
		{ 0x1100, 0x115f }, { 0x2e80, 0x303e }, { 0x3041, 0x33ff },
		{ 0x3400, 0x4dbf }, { 0x4e00, 0x9fff }, { 0xa000, 0xa4cf },
		{ 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe30, 0xfe4f },
		{ 0xff00, 0xff60 }, { 0xffe0, 0xffe6 },
		{ 0x1f300, 0x1f64f }, { 0x1f900, 0x1f9ff },
		{ 0x20000, 0x2fffd }, { 0x30000, 0x3fffd },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(zero); i++)
		if (cp >= zero[i][0] && cp <= zero[i][1])
			return 0;
	for (i = 0; i < ARRAY_SIZE(wide); i++)
		if (cp >= wide[i][0] && cp <= wide[i][1])
			return 2;
	return 1;
}

/* Columns of UTF-8 text; a byte that is not valid UTF-8 counts as one. */
static size_t utf8_columns(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, cols = 0, n, k;
	unsigned long cp;

	while (i < len) {
		if (u[i] < 0x80) {
			cols++;
			i++;
			continue;
		}
		if ((u[i] & 0xe0) == 0xc0) {
			n = 2;
			cp = u[i] & 0x1f;
		} else if ((u[i] & 0xf0) == 0xe0) {
			n = 3;
			cp = u[i] & 0x0f;
		} else if ((u[i] & 0xf8) == 0xf0) {
			n = 4;
			cp = u[i] & 0x07;
		} else {
			n = 0;
			cp = 0;
		}
		for (k = 1; n && k < n; k++) {
			if (i + k >= len || (u[i + k] & 0xc0) != 0x80)
				n = 0;
			else
				cp = cp << 6 | (u[i + k] & 0x3f);
		}
		if (!n) {
			cols++;
			i++;
			continue;
		}
		cols += cp_width(cp);
		i += n;
	}
	return cols;
}

/*
 * Rules 9 and 10: "use 75 characters as a firm-but-not-hard limit, and
 * use 80 characters as a hard limit".  A revert is measured by the
 * subject it quotes: git wrote the rest.
 */
void kx_rule_shortlog_length(struct kx_findings *out,
			     const struct kx_patch *p,
			     const struct kx_rule_env *env)
{
	struct shortlog sl;
	const char *s;
	size_t len, cols;

	(void)env;
	if (!p->subject)
		return;
	shortlog_parse(&sl, p->subject);
	s = p->subject;
	len = strlen(s);
	if (sl.revert) {
		s = strchr(s, '"') + 1;
		len = strlen(s);
		if (len && s[len - 1] == '"')
			len--;
	}
	cols = utf8_columns(s, len);
	if (cols > SHORTLOG_HARD)
		kx_findings_add(out, KX_SEV_ERROR, "shortlog-length-80",
				"shortlog is %zu columns, more than the hard limit of %d: shorten it",
				cols, SHORTLOG_HARD);
	else if (cols > SHORTLOG_FIRM)
		kx_findings_add(out, KX_SEV_WARNING, "shortlog-length-75",
				"shortlog is %zu columns, more than %d: aim for %d or fewer",
				cols, SHORTLOG_FIRM, SHORTLOG_FIRM);
}

/* The subject for comparison: lowercase, blanks folded, no ending '.'. */
static char *normalize(const char *s)
{
	char *out = kx_xmalloc(strlen(s) + 1), *o = out;

	while (*s) {
		if (isspace((unsigned char)*s)) {
			while (isspace((unsigned char)*s))
				s++;
			if (o != out && *s)
				*o++ = ' ';
			continue;
		}
		*o++ = (char)tolower((unsigned char)*s++);
	}
	while (o != out && o[-1] == '.')
		o--;
	*o = '\0';
	return out;
}

/* Rule 12: "Do not use the same summary phrase for every patch". */
void kx_rule_shortlog_unique_in_series(struct kx_findings *out,
				       const struct kx_patch *patches,
				       size_t nr,
				       const struct kx_rule_env *env)
{
	struct kx_strlist norm = KX_STRLIST_INIT;
	char *list;
	size_t i, j, k, dups, len;
	bool *done;

	(void)env;
	if (nr < 2)
		return;
	done = kx_xcalloc(nr, sizeof(*done));
	for (i = 0; i < nr; i++) {
		char *n = normalize(patches[i].subject ? patches[i].subject : "");

		kx_grow((void **)&norm.items, &norm.alloc, norm.nr,
			sizeof(*norm.items));
		norm.items[norm.nr++] = n;
	}
	for (i = 0; i < nr; i++) {
		if (done[i] || !*norm.items[i])
			continue;
		for (dups = 0, j = i + 1; j < nr; j++)
			dups += !strcmp(norm.items[i], norm.items[j]);
		if (!dups)
			continue;
		/* "patches 1, 3 and 5" */
		list = kx_xmalloc((dups + 1) * 24 + 1);
		len = (size_t)sprintf(list, "%zu", i + 1);
		for (j = i + 1, k = 0; j < nr; j++) {
			if (strcmp(norm.items[i], norm.items[j]))
				continue;
			done[j] = true;
			len += (size_t)sprintf(list + len, "%s%zu",
					       ++k == dups ? " and " : ", ",
					       j + 1);
		}
		kx_findings_add(out, KX_SEV_WARNING, "shortlog-unique-in-series",
				"shortlog '%s' is used by patches %s: give each patch its own",
				patches[i].subject, list);
		free(list);
	}
	free(done);
	kx_strlist_release(&norm);
}

/* --- shortlog-no-tool-name --- */

#define IS_WORD(c) (isalnum((unsigned char)(c)) || (c) == '_')

/* Moves *w to the next word at or after it; returns its length (0: none). */
static size_t next_word(const char **w)
{
	const char *p = *w;
	size_t n = 0;

	while (*p && !IS_WORD(*p))
		p++;
	while (IS_WORD(p[n]))
		n++;
	*w = p;
	return n;
}

static bool word_in(const char *w, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (mem_ieq(w, n, *list))
			return true;
	return false;
}

/*
 * "sparse" is a tool only beside what a tool says or what is done to it:
 * "Fix sparse warnings", "Silence sparse", "warnings from sparse", or
 * beside another tool ("sparse and smatch"); a "sparse bank" or "sparse
 * VP set" of Hyper-V is no tool.
 */
static bool sparse_the_tool(const char *subject, const char *w, size_t n)
{
	static const char *const after[] = {
		"warning", "warnings", "error", "errors", "complaint",
		"complaints", "complains", "report", "reports", "reported", NULL,
	};
	static const char *const before[] = {
		"silence", "silences", "appease", "placate", "quiet", "quieten",
		"by", "from", NULL,
	};
	static const char *const tools[] = {
		"checkpatch", "smatch", "syzkaller", "syzbot", "coccinelle",
		"KASAN", NULL,
	};
	const char *next = w + n, *prev_end = w, *prev;
	size_t len = next_word(&next);

	if (len && word_in(next, len, after))
		return true;
	for (next = subject; (len = next_word(&next)); next += len)
		if (word_in(next, len, tools))
			return true;
	while (prev_end > subject && !IS_WORD(prev_end[-1]))
		prev_end--;
	prev = prev_end;
	while (prev > subject && IS_WORD(prev[-1]))
		prev--;
	return prev < prev_end && word_in(prev, (size_t)(prev_end - prev), before);
}

/*
 * submitting-patches, via checkpatch's EMAIL_SUBJECT: "A patch subject
 * line should describe the change not the tool that found it".  Its tools
 * (checkpatch, sparse, smatch) warn, as checkpatch does, the catalog's
 * further ones (syzkaller, syzbot, coccinelle, KASAN) advise.  The
 * description only: a prefix ("checkpatch: ...") names what changes, and
 * a word followed by ':' is left alone, as checkpatch leaves it.
 */
void kx_rule_shortlog_no_tool_name(struct kx_findings *out,
				   const struct kx_patch *p,
				   const struct kx_rule_env *env)
{
	static const char *const warned[] = { "checkpatch", "sparse", "smatch", NULL };
	static const char *const advised[] = {
		"syzkaller", "syzbot", "coccinelle", "KASAN", NULL,
	};
	struct shortlog sl;
	const char *s = p->subject, *w;
	size_t n;

	(void)env;
	if (!s)
		return;
	/* a revert's quoted subject is the reverted commit's */
	shortlog_parse(&sl, s);
	if (sl.revert)
		return;
	for (w = sl.desc ? sl.desc : s; (n = next_word(&w)); w += n) {
		bool warn = word_in(w, n, warned);

		if (w[n] == ':' || (!warn && !word_in(w, n, advised)))
			continue;
		if (mem_ieq(w, n, "sparse") && !sparse_the_tool(s, w, n))
			continue;
		kx_findings_add(out, warn ? KX_SEV_WARNING : KX_SEV_ADVICE,
				"shortlog-no-tool-name",
				"the shortlog names the tool that found the problem, '%.*s': "
				"say what the change does, and credit the tool in the changelog",
				(int)n, w);
		return;
	}
}
