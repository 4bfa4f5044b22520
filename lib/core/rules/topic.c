// SPDX-License-Identifier: GPL-2.0-only
/*
 * The topic of a commit (rule catalog sections 1 to 3): each path maps to
 * a node of the conceptual topic tree, longest pattern first, and the
 * commit's topic is the lowest common ancestor of its nodes.  The handbook:
 * "If a patch touches multiple topics, traverse up the conceptual tree to
 * find the first common parent (which is often simply x86).  When in
 * doubt, git log path/to/file should provide a reasonable hint."
 *
 * kx_topic_suggest() is the one answer: `prep --suggest-topic` prints it
 * and the shortlog rules compare subjects with it, so the two cannot
 * disagree.  Authors name the topic of the code that dominates the change
 * rather than the common parent (docs/rules.md, "The suggested topic",
 * measured by bench/topics), so two refinements narrow the plain common
 * ancestor; the common ancestor itself stays acceptable (the span).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/rules.h"
#include "kvmx86/util.h"
#include "tree.h"

/* --- the tree --- */

const struct kx_topic_node kx_topic__nodes[T__COUNT] = {
	[T_KVM] = { "KVM", "KVM:", T_NONE, TK_ROOT, T_KVM },
	[T_X86] = { "x86", "KVM: x86:", T_KVM, TK_LISTED, T_X86 },
	[T_VMX] = { "VMX", "KVM: VMX:", T_X86, TK_LISTED, T_VMX },
	[T_NVMX] = { "nVMX", "KVM: nVMX:", T_VMX, TK_LISTED, T_NVMX },
	[T_SVM] = { "SVM", "KVM: SVM:", T_X86, TK_LISTED, T_SVM },
	[T_NSVM] = { "nSVM", "KVM: nSVM:", T_SVM, TK_LISTED, T_NSVM },
	[T_MMU] = { "x86/mmu", "KVM: x86/mmu:", T_X86, TK_LISTED, T_MMU },
	[T_PMU] = { "x86/pmu", "KVM: x86/pmu:", T_X86, TK_LISTED, T_PMU },
	[T_XEN] = { "x86/xen", "KVM: x86/xen:", T_X86, TK_LISTED, T_XEN },
	[T_SELFTESTS] = { "selftests", "KVM: selftests:", T_KVM, TK_LISTED,
			  T_SELFTESTS },
	[T_SEV] = { "SEV", "KVM: SEV:", T_SVM, TK_DEFACTO, T_SVM },
	[T_TDX] = { "TDX", "KVM: TDX:", T_VMX, TK_DEFACTO, T_VMX },
	[T_APIC] = { "x86/apic", "KVM: x86/apic:", T_X86, TK_DEFACTO, T_X86 },
	[T_ARM64] = { "arm64", "KVM: arm64:", T_KVM, TK_ARCH, T_ARM64 },
	[T_RISCV] = { "riscv", "KVM: riscv:", T_KVM, TK_ARCH, T_RISCV },
	[T_S390] = { "s390", "KVM: s390:", T_KVM, TK_ARCH, T_S390 },
	[T_PPC] = { "PPC", "KVM: PPC:", T_KVM, TK_ARCH, T_PPC },
	[T_LOONGARCH] = { "LoongArch", "KVM: LoongArch:", T_KVM, TK_ARCH,
			  T_LOONGARCH },
	[T_MIPS] = { "MIPS", "KVM: MIPS:", T_KVM, TK_ARCH, T_MIPS },
};

/* Other spellings of the architectures; their case is theirs to choose. */
static const struct {
	const char *name;
	enum topic topic;
} aliases[] = {
	{ "arm", T_ARM64 },
	{ "RISC-V", T_RISCV },
	{ "powerpc", T_PPC },
};

bool kx_topic__is_ancestor(enum topic a, enum topic b)
{
	for (; b != T_NONE; b = kx_topic__nodes[b].parent)
		if (a == b)
			return true;
	return false;
}

enum topic kx_topic__lca(enum topic a, enum topic b)
{
	if (a == T_NONE)
		return b;
	if (b == T_NONE)
		return a;
	for (; a != T_NONE; a = kx_topic__nodes[a].parent)
		if (kx_topic__is_ancestor(a, b))
			return a;
	return T_KVM;
}

static bool mem_ieq(const char *s, size_t n, const char *name)
{
	return strlen(name) == n && !strncasecmp(s, name, n);
}

enum topic kx_topic__find(const char *s, size_t n, bool *exact)
{
	size_t i;

	for (i = T_X86; i < T__COUNT; i++) {
		const char *name = kx_topic__nodes[i].name;

		if (mem_ieq(s, n, name)) {
			*exact = kx_topic__nodes[i].kind == TK_ARCH ||
				 !strncmp(s, name, n);
			return (enum topic)i;
		}
	}
	for (i = 0; i < ARRAY_SIZE(aliases); i++) {
		if (mem_ieq(s, n, aliases[i].name)) {
			*exact = true;
			return aliases[i].topic;
		}
	}
	return T_NONE;
}

enum topic kx_topic__of_prefix(const char *prefix)
{
	size_t n;
	bool exact;

	if (!prefix || !kx_starts_with(prefix, "KVM:"))
		return T_NONE;
	if (!strcmp(prefix, "KVM:"))
		return T_KVM;
	if (!kx_starts_with(prefix, "KVM: "))
		return T_NONE;
	prefix += strlen("KVM: ");
	n = strlen(prefix);
	if (n < 2 || prefix[n - 1] != ':')
		return T_NONE;
	return kx_topic__find(prefix, n - 1, &exact);
}

/* --- what a path says --- */

enum kind {
	K_TOPIC,	/* a node of the tree */
	K_HINT,		/* KVM code shared by two topics (eVMCS): its hint */
	K_SHARED,	/* shared with code outside KVM (asm/vmx.h): a hint */
	K_ABI,		/* the ABI of KVM and of its guests (kvm_para.h) */
	K_GUEST,	/* Linux as a KVM guest: tip's x86/kvm */
	K_TIP,		/* other arch/x86 code: tip rules */
	K_IGNORE,	/* no topic beside others (docs, MAINTAINERS) */
	K_OUTSIDE,	/* outside KVM and arch/x86 */
};

enum match {
	M_EXACT,	/* the path itself */
	M_DIR,		/* anything under a directory, ending in '/' */
	M_STEM,		/* pattern + ".<ext>": foo.c, foo.h */
	M_FILE,		/* pattern + more of the name, no '/': kvm*.c */
};

struct path_rule {
	const char *pattern;
	enum match match;
	enum kind kind;
	enum topic node;	/* for K_IGNORE, the topic of the file alone */
	bool wide;		/* a header every topic includes */
};

/* Catalog section 3; the longest matching pattern wins. */
static const struct path_rule path_rules[] = {
	{ "arch/x86/", M_DIR, K_TIP, T_NONE, false },
	{ "arch/x86/kernel/kvm", M_FILE, K_GUEST, T_NONE, false },
	/*
	 * Under asm/kvm*, so a handbook topic, but the guest's as much as
	 * KVM's: either prefix.
	 */
	{ "arch/x86/include/asm/kvmclock.h", M_EXACT, K_ABI, T_X86, false },
	{ "arch/x86/include/asm/kvm_para.h", M_EXACT, K_ABI, T_X86, false },
	{ "arch/x86/include/uapi/asm/kvm_para.h", M_EXACT, K_ABI, T_X86,
	  false },
	{ "arch/x86/include/asm/kvm", M_FILE, K_TOPIC, T_X86, false },
	{ "arch/x86/include/uapi/asm/kvm", M_FILE, K_TOPIC, T_X86, false },
	{ "arch/x86/include/asm/kvm_host.h", M_EXACT, K_TOPIC, T_X86, true },
	{ "arch/x86/include/asm/kvm-x86-ops.h", M_EXACT, K_TOPIC, T_X86,
	  true },
	{ "arch/x86/include/uapi/asm/kvm.h", M_EXACT, K_TOPIC, T_X86, true },
	{ "arch/x86/include/asm/kvm-x86-pmu-ops.h", M_EXACT, K_TOPIC, T_PMU,
	  false },
	{ "arch/x86/include/asm/kvm_page_track.h", M_EXACT, K_TOPIC, T_MMU,
	  false },
	{ "arch/x86/include/asm/vmx.h", M_EXACT, K_SHARED, T_VMX, false },
	{ "arch/x86/include/asm/vmxfeatures.h", M_EXACT, K_SHARED, T_VMX,
	  false },
	{ "arch/x86/include/uapi/asm/vmx.h", M_EXACT, K_SHARED, T_VMX, false },
	{ "arch/x86/include/asm/svm.h", M_EXACT, K_SHARED, T_SVM, false },
	{ "arch/x86/include/uapi/asm/svm.h", M_EXACT, K_SHARED, T_SVM, false },
	{ "arch/x86/kvm/", M_DIR, K_TOPIC, T_X86, false },
	{ "arch/x86/kvm/x86.h", M_EXACT, K_TOPIC, T_X86, true },
	{ "arch/x86/kvm/kvm_cache_regs.h", M_EXACT, K_TOPIC, T_X86, true },
	{ "arch/x86/kvm/vmx/", M_DIR, K_TOPIC, T_VMX, false },
	{ "arch/x86/kvm/vmx/nested", M_STEM, K_TOPIC, T_NVMX, false },
	{ "arch/x86/kvm/vmx/vmcs12", M_STEM, K_TOPIC, T_NVMX, false },
	{ "arch/x86/kvm/vmx/hyperv", M_STEM, K_HINT, T_NVMX, false },
	{ "arch/x86/kvm/vmx/evmcs", M_STEM, K_HINT, T_NVMX, false },
	{ "arch/x86/kvm/vmx/pmu_intel", M_STEM, K_TOPIC, T_PMU, false },
	{ "arch/x86/kvm/svm/", M_DIR, K_TOPIC, T_SVM, false },
	{ "arch/x86/kvm/svm/nested", M_STEM, K_TOPIC, T_NSVM, false },
	{ "arch/x86/kvm/svm/pmu", M_STEM, K_TOPIC, T_PMU, false },
	{ "arch/x86/kvm/mmu/", M_DIR, K_TOPIC, T_MMU, false },
	{ "arch/x86/kvm/mmu", M_STEM, K_TOPIC, T_MMU, false },
	{ "arch/x86/kvm/pmu", M_STEM, K_TOPIC, T_PMU, false },
	{ "arch/x86/kvm/xen", M_STEM, K_TOPIC, T_XEN, false },
	/* trees from before the vmx/, svm/ and mmu/ directories */
	{ "arch/x86/kvm/vmx", M_STEM, K_TOPIC, T_VMX, false },
	{ "arch/x86/kvm/svm", M_STEM, K_TOPIC, T_SVM, false },
	{ "arch/x86/kvm/pmu_intel", M_STEM, K_TOPIC, T_PMU, false },
	{ "arch/x86/kvm/pmu_amd", M_STEM, K_TOPIC, T_PMU, false },
	{ "arch/x86/kvm/paging_tmpl.h", M_EXACT, K_TOPIC, T_MMU, false },
	{ "arch/x86/kvm/mmu_audit.c", M_EXACT, K_TOPIC, T_MMU, false },
	{ "arch/x86/kvm/mmutrace.h", M_EXACT, K_TOPIC, T_MMU, false },
	{ "arch/x86/kvm/page_track", M_STEM, K_TOPIC, T_MMU, false },
	{ "virt/kvm/", M_DIR, K_TOPIC, T_KVM, false },
	/* trees before 5.7 kept arm's KVM code there */
	{ "virt/kvm/arm/", M_DIR, K_TOPIC, T_ARM64, false },
	{ "include/linux/kvm", M_FILE, K_TOPIC, T_KVM, false },
	{ "include/linux/kvm_host.h", M_EXACT, K_TOPIC, T_KVM, true },
	{ "include/linux/kvm_types.h", M_EXACT, K_TOPIC, T_KVM, true },
	{ "include/kvm/", M_DIR, K_TOPIC, T_KVM, false },
	{ "include/kvm/arm_", M_FILE, K_TOPIC, T_ARM64, false },
	{ "include/uapi/linux/kvm.h", M_EXACT, K_TOPIC, T_KVM, true },
	{ "include/uapi/linux/kvm_para.h", M_EXACT, K_TOPIC, T_KVM, false },
	{ "include/trace/events/kvm.h", M_EXACT, K_TOPIC, T_KVM, false },
	{ "tools/testing/selftests/kvm/", M_DIR, K_TOPIC, T_SELFTESTS, false },
	{ "Documentation/virt/kvm/", M_DIR, K_IGNORE, T_KVM, false },
	{ "Documentation/virtual/kvm/", M_DIR, K_IGNORE, T_KVM, false },
	{ "Documentation/virt/kvm/x86/", M_DIR, K_TOPIC, T_X86, false },
	{ "MAINTAINERS", M_EXACT, K_IGNORE, T_NONE, false },
};

/* arch/<dir>/ of another architecture's KVM code. */
static const struct {
	const char *dir;
	enum topic node;
} arches[] = {
	{ "arm64", T_ARM64 },
	{ "arm", T_ARM64 },	/* 32-bit arm, until 5.7: "KVM: arm:" */
	{ "riscv", T_RISCV },
	{ "s390", T_S390 },
	{ "powerpc", T_PPC },
	{ "loongarch", T_LOONGARCH },
	{ "mips", T_MIPS },
};

/* Returns the length of pattern if it matches path, else 0. */
static size_t rule_match(const struct path_rule *r, const char *path)
{
	size_t n = strlen(r->pattern);
	const char *rest = path + n;

	if (strncmp(path, r->pattern, n))
		return 0;
	switch (r->match) {
	case M_EXACT:
		return *rest ? 0 : n;
	case M_DIR:
		return n;
	case M_STEM:
		return *rest == '.' && rest[1] && !strchr(rest, '/') ? n : 0;
	case M_FILE:
		return *rest && !strchr(rest, '/') ? n : 0;
	}
	return 0;
}

struct path_class {
	enum kind kind;
	enum topic node;
	bool wide;
};

static struct path_class classify(const char *path, enum kx_area area)
{
	struct path_class c = { K_OUTSIDE, T_NONE, false };
	const char *base = strrchr(path, '/');
	const struct path_rule *best = NULL;
	size_t i, len, best_len = 0;

	base = base ? base + 1 : path;
	if (!strcmp(base, ".gitignore")) {
		/* alone, it has the topic of a file beside it */
		char *beside = kx_xasprintf("%.*sMakefile", (int)(base - path),
					    path);
		struct path_class d = classify(beside, kx_area_of_path(beside));

		free(beside);
		c.kind = K_IGNORE;
		c.node = d.kind == K_TOPIC ? d.node : T_NONE;
		return c;
	}
	for (i = 0; i < ARRAY_SIZE(path_rules); i++) {
		len = rule_match(&path_rules[i], path);
		if (len > best_len) {
			best_len = len;
			best = &path_rules[i];
		}
	}
	if (best) {
		c.kind = best->kind;
		c.node = best->node;
		c.wide = best->wide;
		return c;
	}
	if (area == KX_AREA_OTHER_ARCH && kx_starts_with(path, "arch/")) {
		c.kind = K_TOPIC;
		c.node = T_KVM;		/* an arch without a known prefix */
		for (i = 0; i < ARRAY_SIZE(arches); i++) {
			len = strlen(arches[i].dir);
			if (!strncmp(path + 5, arches[i].dir, len) &&
			    path[5 + len] == '/') {
				c.node = arches[i].node;
				break;
			}
		}
	}
	return c;
}

enum topic kx_topic__of_path(const char *path)
{
	struct path_class c = classify(path, kx_area_of_path(path));

	return c.kind == K_GUEST || c.kind == K_TIP ? T_NONE : c.node;
}

bool kx_topic__is_guest(const char *path)
{
	return classify(path, kx_area_of_path(path)).kind == K_GUEST;
}

bool kx_topic__is_guest_abi(const char *path)
{
	return classify(path, kx_area_of_path(path)).kind == K_ABI;
}

/* --- the reason --- */

/* The reason lists at most this many paths. */
#define REASON_PATHS 8

struct reason {
	struct kx_strlist parts;
	size_t more;
};

static void reason_add(struct reason *r, const char *path, const char *what)
{
	if (r->parts.nr < REASON_PATHS)
		kx_strlist_addf(&r->parts, "%s -> %s", path, what);
	else
		r->more++;
}

/* Joins the parts with ", ", then tail; releases r. */
static char *reason_finish(struct reason *r, const char *tail)
{
	struct kx_buf b = { NULL, 0, 0 };
	size_t i;

	for (i = 0; i < r->parts.nr; i++)
		kx_buf_addf(&b, "%s%s", i ? ", " : "", r->parts.items[i]);
	if (r->more)
		kx_buf_addf(&b, " and %zu more", r->more);
	kx_buf_adds(&b, tail);
	kx_strlist_release(&r->parts);
	r->more = 0;
	return b.buf ? kx_buf_detach(&b) : kx_xstrdup("");
}

/* --- the suggestion --- */

/* How much of the change a file is: its changed lines, at least 1. */
static size_t weight(const struct kx_patch_file *f)
{
	size_t n = f->added.nr + f->removed.nr;

	return n ? n : 1;
}

/*
 * A narrower topic is named when its files carry this share of the
 * changed lines (in percent): the catalog's figure for a narrower choice
 * that is still the files' own.
 */
#define DOMINANT_SHARE 80

/*
 * A guess for a commit outside KVM, from one path: tip style "x86/<dir>:"
 * under arch/x86, else "<subsystem>:".
 */
static char *path_guess(const char *path)
{
	const char *s = path;
	size_t n;

	if (kx_starts_with(path, "arch/x86/"))
		s = path + 5;			/* x86/<dir> */
	else if (kx_starts_with(path, "drivers/") ||
		 kx_starts_with(path, "arch/") ||
		 kx_starts_with(path, "tools/") || kx_starts_with(path, "fs/"))
		s = strchr(path, '/') + 1;	/* the subsystem below */
	n = strcspn(s, "/");
	if (kx_starts_with(path, "arch/x86/") && s[n] == '/')
		n += 1 + strcspn(s + n + 1, "/");
	if (!s[n])
		n = strcspn(s, ".");		/* a file at the top */
	return kx_xasprintf("%.*s:", (int)n, n ? s : "");
}

/* The facts of the files, gathered once. */
struct tally {
	const struct kx_patch *p;
	struct path_class *cls;
	size_t kvm_w, tip_w, guest_w, weak_w;
	size_t firm, firm_kernel, hint, shared, abi, guest, tip, ignored;
	const char *tip_path, *weak_path, *guest_path, *outside_path;
	enum topic weak, ignored_node;
};

static void tally_files(struct tally *t, const struct kx_patch *p)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	t->p = p;
	t->weak = t->ignored_node = T_NONE;
	t->cls = kx_xcalloc(p->files_nr ? p->files_nr : 1, sizeof(*t->cls));
	for (i = 0; i < p->files_nr; i++) {
		const struct kx_patch_file *f = &p->files[i];
		struct path_class *c = &t->cls[i];

		*c = classify(f->path, f->area);
		switch (c->kind) {
		case K_TOPIC:
			t->firm++;
			t->firm_kernel += c->node != T_SELFTESTS;
			t->kvm_w += weight(f);
			break;
		case K_HINT:
		case K_SHARED:
		case K_ABI:
			t->hint += c->kind == K_HINT;
			t->shared += c->kind == K_SHARED;
			t->abi += c->kind == K_ABI;
			t->weak = kx_topic__lca(t->weak, c->node);
			t->weak_path = t->weak_path ? t->weak_path : f->path;
			t->kvm_w += weight(f);
			t->weak_w += weight(f);
			if (c->kind == K_ABI)
				t->guest_w += weight(f);
			break;
		case K_GUEST:
			t->guest++;
			t->guest_path = t->guest_path ? t->guest_path : f->path;
			t->guest_w += weight(f);
			break;
		case K_TIP:
			t->tip++;
			t->tip_path = t->tip_path ? t->tip_path : f->path;
			t->tip_w += weight(f);
			break;
		case K_IGNORE:
			t->ignored++;
			if (c->node != T_NONE)
				t->ignored_node = kx_topic__lca(t->ignored_node,
								c->node);
			break;
		case K_OUTSIDE:
			t->outside_path = t->outside_path ? t->outside_path :
					  f->path;
			break;
		}
	}
}

/* Whether file i counts for the topic: firm, and on the deciding side. */
static bool in_side(const struct tally *t, size_t i, bool wide)
{
	const struct path_class *c = &t->cls[i];

	if (c->kind != K_TOPIC || (!wide && c->wide))
		return false;
	/* selftests beside kernel code: the kernel side decides */
	return !t->firm_kernel || c->node != T_SELFTESTS;
}

/*
 * The topic of the firm files: the common ancestor of the deciding side's
 * files (the span), then narrowed twice.  Headers that every topic
 * includes (kvm_host.h, x86.h, the uapi kvm.h) serve the code beside them,
 * so they count only when nothing else does; and a narrower topic whose
 * files carry DOMINANT_SHARE of the lines is the change's, but not across
 * the root: common code (virt/kvm/) is "KVM:" whatever the arch code
 * beside it.
 */
static enum topic firm_topic(const struct tally *t, enum topic *span,
			     struct kx_buf *why)
{
	const struct kx_patch *p = t->p;
	enum topic top = T_NONE, core = T_NONE, best = T_NONE;
	size_t i, n, total = 0, under, best_share = 0;
	bool has_core = false;

	for (i = 0; i < p->files_nr; i++) {
		if (!in_side(t, i, true))
			continue;
		top = kx_topic__lca(top, t->cls[i].node);
		if (in_side(t, i, false)) {
			core = kx_topic__lca(core, t->cls[i].node);
			has_core = true;
		}
	}
	*span = top;
	if (!has_core || core == top)
		core = top;
	else
		kx_buf_addf(why, "; headers of every topic aside, %s",
			    kx_topic__nodes[core].name);
	if (core == T_KVM)
		return core;

	for (i = 0; i < p->files_nr; i++)
		if (in_side(t, i, !has_core))
			total += weight(&p->files[i]);
	/* the deepest node below core that carries the share */
	for (n = 0; n < T__COUNT; n++) {
		if (n == (size_t)core || !kx_topic__is_ancestor(core, n))
			continue;
		for (under = 0, i = 0; i < p->files_nr; i++)
			if (in_side(t, i, !has_core) &&
			    kx_topic__is_ancestor(n, t->cls[i].node))
				under += weight(&p->files[i]);
		if (100 * under < DOMINANT_SHARE * total)
			continue;
		if (best == T_NONE || kx_topic__is_ancestor(best, n) ||
		    under > best_share) {
			best = n;
			best_share = under;
		}
	}
	if (best != T_NONE) {
		kx_buf_addf(why, "; %s carries %zu%% of the changed lines",
			    kx_topic__nodes[best].name,
			    100 * best_share / total);
		return best;
	}
	return core;
}

/* Fills the suggestion of the files alone: no history. */
static void from_files(struct kx_topic *out, const struct tally *t)
{
	const struct kx_patch *p = t->p;
	struct reason topics = { KX_STRLIST_INIT, 0 };
	struct reason others = { KX_STRLIST_INIT, 0 };
	struct kx_buf why = { NULL, 0, 0 }, tail = { NULL, 0, 0 };
	enum topic node, span;
	size_t i, distinct = 0;
	bool seen[T__COUNT] = { false };

	for (i = 0; i < p->files_nr; i++) {
		const struct path_class *c = &t->cls[i];

		if (c->kind == K_TOPIC) {
			reason_add(&topics, p->files[i].path,
				   kx_topic__nodes[c->node].name);
			distinct += !seen[c->node];
			seen[c->node] = true;
		} else if (c->kind == K_TIP) {
			reason_add(&others, p->files[i].path, "outside KVM");
		}
	}

	if (t->firm && t->tip_w > t->kvm_w) {
		out->basis = KX_TOPIC_TIP;
		out->tip_ok = true;
		out->prefix = path_guess(t->tip_path);
		out->reason = reason_finish(&others,
					    "; mostly outside KVM: tip rules, no KVM prefix");
		goto done;
	}
	if (t->firm) {
		node = firm_topic(t, &span, &why);
		out->basis = KX_TOPIC_FILES;
		out->kvm = true;
		out->prefix = kx_xstrdup(kx_topic__nodes[node].prefix);
		out->span = kx_topic__nodes[span].prefix;
		if (distinct > 1 && t->firm_kernel && t->firm_kernel < t->firm)
			kx_buf_addf(&tail, "; selftests aside, common ancestor %s",
				    kx_topic__nodes[span].name);
		else if (distinct > 1)
			kx_buf_addf(&tail, "; common ancestor %s",
				    kx_topic__nodes[span].name);
		/* the common ancestor first, then how it was narrowed */
		if (why.buf)
			kx_buf_adds(&tail, why.buf);
		out->reason = reason_finish(&topics, tail.buf ? tail.buf : "");
		goto done;
	}
	out->ambiguous = p->files_nr > 0;
	if (t->guest && t->guest_w >= t->tip_w) {
		out->basis = KX_TOPIC_GUEST;
		out->ambiguous = false;
		out->prefix = kx_xstrdup("x86/kvm:");
		out->reason = kx_xasprintf("%s -> x86/kvm, Linux as a KVM guest",
					   t->guest_path);
	} else if (t->weak != T_NONE && t->tip_w < t->weak_w) {
		out->basis = KX_TOPIC_HINT;
		out->kvm = t->hint > 0;
		out->tip_ok = !t->hint && (t->shared || t->tip);
		out->guest_ok = !t->hint && !t->shared && t->abi;
		out->prefix = kx_xstrdup(kx_topic__nodes[t->weak].prefix);
		out->span = kx_topic__nodes[t->weak].prefix;
		if (out->guest_ok)
			out->reason = kx_xasprintf("%s is the ABI of KVM and of its guests: either '%s' or 'x86/kvm:'",
						   t->weak_path, out->prefix);
		else if (t->hint)
			out->reason = kx_xasprintf("%s hints at %s, which it shares with another topic",
						   t->weak_path,
						   kx_topic__nodes[t->weak].name);
		else
			out->reason = kx_xasprintf("%s hints at %s, though code outside KVM uses it too: a tip prefix is fine",
						   t->weak_path,
						   kx_topic__nodes[t->weak].name);
	} else if (t->tip) {
		out->basis = KX_TOPIC_TIP;
		out->tip_ok = true;
		out->prefix = path_guess(t->tip_path);
		out->reason = kx_xasprintf("%s is outside KVM: tip rules; '%s' is a guess from the path: 'git log %s' shows the usual prefix",
					   t->tip_path, out->prefix,
					   t->tip_path);
	} else if (t->ignored_node != T_NONE && !t->outside_path) {
		out->basis = KX_TOPIC_HINT;
		out->tip_ok = true;
		out->prefix = kx_xstrdup(kx_topic__nodes[t->ignored_node].prefix);
		out->span = kx_topic__nodes[t->ignored_node].prefix;
		out->reason = kx_xasprintf("%s alone: only KVM's documentation or ignore file changes",
					   p->files[0].path);
	} else if (p->files_nr) {
		const char *path = t->outside_path ? t->outside_path :
				   p->files[0].path;

		out->basis = KX_TOPIC_OUTSIDE;
		out->tip_ok = true;
		out->prefix = path_guess(path);
		out->reason = kx_xasprintf("%s is outside KVM: '%s' is a guess from the path: 'git log %s' shows the subsystem's usual prefix",
					   path, out->prefix, path);
	} else {
		out->basis = KX_TOPIC_NONE;
		out->ambiguous = false;
		out->prefix = kx_xstrdup("KVM:");
		out->reason = kx_xstrdup("no changed files");
	}
done:
	kx_strlist_release(&topics.parts);
	kx_strlist_release(&others.parts);
	kx_buf_release(&why);
	kx_buf_release(&tail);
}

/* The paths history is asked about: those with any topic to give. */
static void history_paths(const struct tally *t, struct kx_strlist *paths)
{
	const struct kx_patch *p = t->p;
	size_t i, first = paths->nr;

	for (i = 0; i < p->files_nr; i++) {
		enum kind k = t->cls[i].kind;

		if (k == K_HINT || k == K_SHARED || k == K_ABI || k == K_TIP ||
		    k == K_OUTSIDE)
			kx_strlist_add(paths, p->files[i].path);
	}
	/* MAINTAINERS and the KVM docs only when there is nothing else */
	if (paths->nr == first)
		for (i = 0; i < p->files_nr; i++)
			kx_strlist_add(paths, p->files[i].path);
}

void kx_topic_suggest(struct kx_topic *out, const struct kx_patch *p,
		      const struct kx_rule_env *env)
{
	struct kx_strlist paths = KX_STRLIST_INIT;
	struct tally t;
	char *prefix, *reason = NULL;
	enum topic node;

	memset(out, 0, sizeof(*out));
	tally_files(&t, p);
	from_files(out, &t);
	if (!out->ambiguous || !env || !env->history_topic)
		goto done;
	history_paths(&t, &paths);
	prefix = env->history_topic(env->history_data, p->id, &paths, &reason);
	node = kx_topic__of_prefix(prefix);
	if (node == T_NONE) {
		free(prefix);
		free(reason);
		goto done;
	}
	/* the vote is the reason: what the files said left it open */
	free(out->reason);
	free(out->prefix);
	out->reason = reason ? reason : kx_xstrdup("from history");
	if (kx_topic__nodes[node].kind == TK_DEFACTO) {
		/* in use, but the suggestion stays within the handbook's list */
		enum topic listed = kx_topic__nodes[node].same;

		free(prefix);
		prefix = kx_xstrdup(kx_topic__nodes[listed].prefix);
		reason = kx_xasprintf("%s; the handbook lists it as '%s'",
				      out->reason, prefix);
		free(out->reason);
		out->reason = reason;
	}
	out->prefix = prefix;
	out->span = NULL;
	out->basis = KX_TOPIC_HISTORY;
done:
	kx_strlist_release(&paths);
	free(t.cls);
}

void kx_topic_release(struct kx_topic *t)
{
	free(t->prefix);
	free(t->reason);
	memset(t, 0, sizeof(*t));
}

const char *kx_topic_basis_name(enum kx_topic_basis basis)
{
	switch (basis) {
	case KX_TOPIC_FILES:
		return "files";
	case KX_TOPIC_HISTORY:
		return "history";
	case KX_TOPIC_HINT:
		return "hint";
	case KX_TOPIC_GUEST:
		return "guest";
	case KX_TOPIC_TIP:
		return "tip";
	case KX_TOPIC_OUTSIDE:
		return "outside";
	case KX_TOPIC_NONE:
		return "none";
	}
	return "?";
}

bool kx_topic_ambiguous(const struct kx_patch *p, struct kx_strlist *paths)
{
	struct kx_topic out;
	struct tally t;
	bool r;

	memset(&out, 0, sizeof(out));
	tally_files(&t, p);
	from_files(&out, &t);
	r = out.ambiguous;
	if (r)
		history_paths(&t, paths);
	kx_topic_release(&out);
	free(t.cls);
	return r;
}
