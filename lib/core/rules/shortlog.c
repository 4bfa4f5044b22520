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
#include "kvmx86/util.h"

#define SHORTLOG_FIRM 75
#define SHORTLOG_HARD 80
#define MAX_COMPS 6

/* --- the topic tree, as a subject names it (catalog sections 1 and 2) --- */

enum topic {
	T_KVM = 0,
	T_X86,
	T_VMX,
	T_NVMX,
	T_SVM,
	T_NSVM,
	T_MMU,
	T_PMU,
	T_XEN,
	T_SELFTESTS,
	T_SEV,
	T_TDX,
	T_APIC,
	T_ARM64,
	T_RISCV,
	T_S390,
	T_PPC,
	T_LOONGARCH,
	T_MIPS,
	T__COUNT,
	T_NONE = -1,
};

enum topic_kind {
	TK_ROOT,	/* "KVM:" alone: common code */
	TK_LISTED,	/* in the handbook's list */
	TK_DEFACTO,	/* used in practice, not listed: advice */
	TK_ARCH,	/* another architecture: its own conventions */
};

static const struct {
	const char *name;
	enum topic parent;
	enum topic_kind kind;
	enum topic same;	/* what a de facto topic stands for */
} topics[T__COUNT] = {
	[T_KVM] = { "KVM", T_NONE, TK_ROOT, T_KVM },
	[T_X86] = { "x86", T_KVM, TK_LISTED, T_X86 },
	[T_VMX] = { "VMX", T_X86, TK_LISTED, T_VMX },
	[T_NVMX] = { "nVMX", T_VMX, TK_LISTED, T_NVMX },
	[T_SVM] = { "SVM", T_X86, TK_LISTED, T_SVM },
	[T_NSVM] = { "nSVM", T_SVM, TK_LISTED, T_NSVM },
	[T_MMU] = { "x86/mmu", T_X86, TK_LISTED, T_MMU },
	[T_PMU] = { "x86/pmu", T_X86, TK_LISTED, T_PMU },
	[T_XEN] = { "x86/xen", T_X86, TK_LISTED, T_XEN },
	[T_SELFTESTS] = { "selftests", T_KVM, TK_LISTED, T_SELFTESTS },
	[T_SEV] = { "SEV", T_SVM, TK_DEFACTO, T_SVM },
	[T_TDX] = { "TDX", T_VMX, TK_DEFACTO, T_VMX },
	[T_APIC] = { "x86/apic", T_X86, TK_DEFACTO, T_X86 },
	[T_ARM64] = { "arm64", T_KVM, TK_ARCH, T_ARM64 },
	[T_RISCV] = { "riscv", T_KVM, TK_ARCH, T_RISCV },
	[T_S390] = { "s390", T_KVM, TK_ARCH, T_S390 },
	[T_PPC] = { "PPC", T_KVM, TK_ARCH, T_PPC },
	[T_LOONGARCH] = { "LoongArch", T_KVM, TK_ARCH, T_LOONGARCH },
	[T_MIPS] = { "MIPS", T_KVM, TK_ARCH, T_MIPS },
};

/* Other spellings of the architectures; their case is theirs to choose. */
static const struct {
	const char *name;
	enum topic topic;
} arch_aliases[] = {
	{ "arm", T_ARM64 },
	{ "RISC-V", T_RISCV },
	{ "powerpc", T_PPC },
};

#define LISTED_TOPICS "x86, x86/mmu, x86/pmu, x86/xen, selftests, SVM, nSVM, VMX or nVMX"

static bool is_ancestor(enum topic a, enum topic b)
{
	for (; b != T_NONE; b = topics[b].parent)
		if (a == b)
			return true;
	return false;
}

static enum topic topic_lca(enum topic a, enum topic b)
{
	if (a == T_NONE)
		return b;
	for (; a != T_NONE; a = topics[a].parent)
		if (is_ancestor(a, b))
			return a;
	return T_KVM;
}

static bool mem_ieq(const char *s, size_t n, const char *name)
{
	return strlen(name) == n && !strncasecmp(s, name, n);
}

static bool mem_eq(const char *s, size_t n, const char *name)
{
	return strlen(name) == n && !strncmp(s, name, n);
}

/*
 * Finds one topic name (not "KVM"); *exact says whether the case matches.
 * Architectures match in any case.
 */
static enum topic topic_find(const char *s, size_t n, bool *exact)
{
	size_t i;

	for (i = T_X86; i < T__COUNT; i++) {
		if (mem_ieq(s, n, topics[i].name)) {
			*exact = topics[i].kind == TK_ARCH ||
				 mem_eq(s, n, topics[i].name);
			return (enum topic)i;
		}
	}
	for (i = 0; i < ARRAY_SIZE(arch_aliases); i++) {
		if (mem_ieq(s, n, arch_aliases[i].name)) {
			*exact = true;
			return arch_aliases[i].topic;
		}
	}
	return T_NONE;
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
		one = topic_find(s, (size_t)(comma - s), &exact);
		if (one == T_NONE ||
		    (t->combined && topics[one].kind == TK_ARCH)) {
			t->known = false;
			break;
		}
		t->exact &= exact;
		t->defacto |= topics[one].kind == TK_DEFACTO;
		t->topic = topic_lca(t->topic, topics[one].same);
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

/* The node of a prefix from kx_topic_from_files(), or T_NONE. */
static enum topic prefix_topic(const char *prefix)
{
	size_t n;
	bool exact;

	if (!prefix || !kx_starts_with(prefix, "KVM:"))
		return T_NONE;
	if (!strcmp(prefix, "KVM:"))
		return T_KVM;
	prefix += strlen("KVM: ");
	n = strlen(prefix);
	return n ? topic_find(prefix, n - 1, &exact) : T_NONE;
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
	const char *prefix;	/* kx_topic_from_files(), or NULL */
	char *reason;
	enum topic topic;	/* the prefix's node, or T_NONE */
	char *history;		/* the prefix from history, if that is it */
};

static void files_init(struct files *f, const struct kx_patch *p)
{
	f->prefix = kx_topic_from_files(p, &f->reason);
	f->topic = prefix_topic(f->prefix);
	f->history = NULL;
}

/*
 * For files that leave the topic ambiguous, the topic from history (the
 * handbook: "When in doubt, git log path/to/file should provide a
 * reasonable hint"), if the environment can look it up and it has one.
 */
static void files_from_history(struct files *f, const struct kx_patch *p,
			       const struct kx_rule_env *env)
{
	struct kx_strlist paths = KX_STRLIST_INIT;
	char *prefix = NULL, *reason = NULL;
	enum topic t;

	if (f->topic != T_NONE || !env || !env->history_topic)
		return;
	if (kx_topic_ambiguous(p, &paths))
		prefix = env->history_topic(env->history_data, p->id, &paths,
					    &reason);
	kx_strlist_release(&paths);
	t = prefix_topic(prefix);
	if (t == T_NONE) {
		free(prefix);
		free(reason);
		return;
	}
	free(f->reason);
	f->reason = reason;
	f->prefix = f->history = prefix;
	f->topic = topics[t].same;	/* SEV as SVM, as in subjects */
}

static void files_release(struct files *f)
{
	free(f->reason);
	f->reason = NULL;
	free(f->history);
	f->history = NULL;
}

/* The prefix that one file of p implies. */
static const char *file_prefix(const struct kx_patch *p, size_t i)
{
	struct kx_patch one = *p;

	one.files = &p->files[i];
	one.files_nr = one.files_alloc = 1;
	return kx_topic_from_files(&one, NULL);
}

static bool is_guest(const struct files *f)
{
	return f->prefix && !strcmp(f->prefix, "x86/kvm:");
}

static bool is_other_arch(const struct files *f)
{
	return f->topic != T_NONE && topics[f->topic].kind == TK_ARCH;
}

/* The ABI shared by KVM and its guests: either prefix is fine. */
static bool is_guest_abi(const char *path)
{
	return !strcmp(path, "arch/x86/include/asm/kvm_para.h") ||
	       !strcmp(path, "arch/x86/include/uapi/asm/kvm_para.h");
}

/* Whether p changes KVM itself, not only its guest side or tip code. */
static bool touches_host_kvm(const struct kx_patch *p)
{
	const char *prefix;
	size_t i;

	for (i = 0; i < p->files_nr; i++) {
		if (p->files[i].area == KX_AREA_NON_KVM ||
		    is_guest_abi(p->files[i].path))
			continue;
		prefix = file_prefix(p, i);
		if (!prefix || strcmp(prefix, "x86/kvm:"))
			return true;
	}
	return false;
}

/* --- rules --- */

/* Rule 1: "The preferred prefix format is KVM: <topic>:". */
void kx_rule_shortlog_prefix(struct kx_findings *out, const struct kx_patch *p,
			     const struct kx_rule_env *env)
{
	struct shortlog sl;
	struct files f;

	(void)env;
	if (!p->subject || !*p->subject)
		return;
	shortlog_parse(&sl, p->subject);
	if (sl.revert)
		return;
	files_init(&f, p);
	/*
	 * Outside KVM (tip rules), guest side (x86/kvm:), no topic, or
	 * another architecture, whose conventions are its own.
	 */
	if (f.topic == T_NONE || is_other_arch(&f))
		goto done;
	if (!sl.nr) {
		kx_findings_add(out, KX_SEV_WARNING, "shortlog-prefix",
				"shortlog '%s' has no prefix: start it with '%s' (%s)",
				p->subject, f.prefix, f.reason);
	} else if (has_kvm(&sl)) {
		if (sl.nr == 1 && f.topic != T_KVM)
			kx_findings_add(out, KX_SEV_WARNING, "shortlog-prefix",
					"prefix '%.*s' has no topic: use '%s' (%s)",
					(int)sl.prefix_len, p->subject,
					f.prefix, f.reason);
	} else if (!has_x86_kvm(&sl) && !comp_is_path(&sl, 0, p, false)) {
		kx_findings_add(out, KX_SEV_WARNING, "shortlog-prefix",
				"prefix '%.*s' is not 'KVM: <topic>:': use '%s' (%s)",
				(int)sl.prefix_len, p->subject, f.prefix,
				f.reason);
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
	files_init(&f, p);
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

	(void)env;
	if (!p->subject || !p->files_nr)
		return;
	shortlog_parse(&sl, p->subject);
	if (sl.revert)
		return;
	files_init(&f, p);
	if (has_x86_kvm(&sl)) {
		if (!touches_host_kvm(p))
			goto done;
		len = (size_t)(sl.comp[has_kvm(&sl)].s +
			       sl.comp[has_kvm(&sl)].n + 1 - p->subject);
		kx_findings_add(out, KX_SEV_ERROR, "no-x86-kvm-prefix",
				"prefix '%.*s' is only for Linux as a KVM guest (arch/x86/kernel/kvm.c): use '%s' for KVM code",
				(int)len, p->subject,
				f.topic != T_NONE ? f.prefix : "KVM: x86:");
	} else if (is_guest(&f) && has_kvm(&sl)) {
		kx_findings_add(out, KX_SEV_WARNING, "no-x86-kvm-prefix",
				"prefix '%.*s' is for KVM itself, not its guests (%s): use 'x86/kvm:'",
				(int)sl.prefix_len, p->subject, f.reason);
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

	(void)env;
	if (!p->subject)
		return;
	shortlog_parse(&sl, p->subject);
	if (sl.revert || !sl.nr)
		return;
	files_init(&f, p);
	for (i = 0; i < sl.nr; i++) {
		if (!comp_is_path(&sl, i, p, is_other_arch(&f)))
			continue;
		kx_findings_add(out, KX_SEV_ERROR, "no-file-path-prefix",
				"prefix '%.*s:' is a file name: use a topic such as '%s'",
				(int)sl.comp[i].n, sl.comp[i].s,
				f.prefix ? f.prefix : "KVM: x86:");
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
		n = prefix_topic(file_prefix(p, i));
		if (n != T_NONE && is_ancestor(topic, n))
			return true;
	}
	return false;
}

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

/* Rule 6: the topic is the files' lowest common ancestor. */
void kx_rule_topic_from_files(struct kx_findings *out,
			      const struct kx_patch *p,
			      const struct kx_rule_env *env)
{
	struct shortlog sl;
	struct files f;
	const char *name;
	enum topic s;
	int n;

	(void)env;
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
	files_init(&f, p);
	files_from_history(&f, p, env);
	/*
	 * No topic from files, or "KVM:" alone, which shortlog-prefix
	 * reports (but not for a topic from history: it does not see that)
	 */
	if (f.topic == T_NONE || f.topic == s ||
	    (s == T_KVM && f.topic != T_KVM && !f.history))
		goto done;
	if (is_ancestor(s, f.topic))
		kx_findings_add(out, KX_SEV_ADVICE, "topic-from-files",
				"topic '%.*s' is broader than the files imply (%s): fine, or use '%s'",
				n, name, f.reason, f.prefix);
	else if (f.history && is_ancestor(f.topic, s))
		/* history is a majority of other commits: narrower is fine */
		kx_findings_add(out, KX_SEV_ADVICE, "topic-from-files",
				"topic '%.*s' is narrower than the files' history (%s): fine if the patch is about %s, else use '%s'",
				n, name, f.reason, topics[s].name, f.prefix);
	else if (covers_a_file(p, s))
		kx_findings_add(out, KX_SEV_ADVICE, "topic-from-files",
				"topic '%.*s' is narrower than the files imply (%s): fine if the patch is mostly %s, else use '%s'",
				n, name, f.reason, topics[s].name,
				f.prefix);
	else if (is_vendor_of_a_file(p, s))
		kx_findings_add(out, KX_SEV_ADVICE, "topic-from-files",
				"topic '%.*s' is the vendor's, not what the files imply (%s): fine if the patch is about %s, else use '%s'",
				n, name, f.reason, topics[s].name,
				f.prefix);
	else
		kx_findings_add(out, KX_SEV_WARNING, "topic-from-files",
				"topic '%.*s' does not match the files (%s): use '%s'",
				n, name, f.reason, f.prefix);
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
 * Whether desc is rather a prefix with blanks ("perf tools: ") of up to
 * three words, followed by a capitalized description.
 */
static bool is_prefix_with_blanks(const char *desc)
{
	const char *colon = strstr(desc, ": ");
	size_t words = 1;

	if (!colon)
		return false;
	for (; desc < colon; desc++)
		words += *desc == ' ';
	return words <= 3 && isupper((unsigned char)colon[2]);
}

/* Rule 7: "Capitalize the first word of the condensed patch description". */
void kx_rule_shortlog_capitalize(struct kx_findings *out,
				 const struct kx_patch *p,
				 const struct kx_rule_env *env)
{
	struct shortlog sl;
	const char *desc;
	size_t n, i;
	bool upper = false, ident = false;

	(void)env;
	if (!p->subject)
		return;
	shortlog_parse(&sl, p->subject);
	if (sl.revert || outside_kvm_and_tip(p, &sl))
		return;
	desc = sl.desc;
	if (!islower((unsigned char)*desc) || is_prefix_with_blanks(desc))
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
