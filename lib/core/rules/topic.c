// SPDX-License-Identifier: GPL-2.0-only
/*
 * The topic that a commit's files imply (rule catalog sections 2 and 3):
 * each path maps to a node of the conceptual topic tree, longest pattern
 * first, and the commit's topic is the lowest common ancestor of its nodes.
 * The handbook: "If a patch touches multiple topics, traverse up the
 * conceptual tree to find the first common parent (which is often simply
 * x86)."
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvmx86/rules.h"
#include "kvmx86/util.h"

/* The nodes of the tree; selftests and the other arches hang off KVM. */
enum node {
	N_KVM = 0,
	N_X86,
	N_VMX,
	N_NVMX,
	N_SVM,
	N_NSVM,
	N_MMU,
	N_PMU,
	N_XEN,
	N_SELFTESTS,
	N_ARM64,
	N_RISCV,
	N_S390,
	N_PPC,
	N_LOONGARCH,
	N_MIPS,
	N__COUNT,
	N_NONE = N__COUNT,
};

static const struct {
	const char *name;	/* in reasons */
	const char *prefix;	/* the shortlog prefix it implies */
	enum node parent;	/* N_NONE for the root */
} nodes[N__COUNT] = {
	[N_KVM] = { "KVM", "KVM:", N_NONE },
	[N_X86] = { "x86", "KVM: x86:", N_KVM },
	[N_VMX] = { "VMX", "KVM: VMX:", N_X86 },
	[N_NVMX] = { "nVMX", "KVM: nVMX:", N_VMX },
	[N_SVM] = { "SVM", "KVM: SVM:", N_X86 },
	[N_NSVM] = { "nSVM", "KVM: nSVM:", N_SVM },
	[N_MMU] = { "x86/mmu", "KVM: x86/mmu:", N_X86 },
	[N_PMU] = { "x86/pmu", "KVM: x86/pmu:", N_X86 },
	[N_XEN] = { "x86/xen", "KVM: x86/xen:", N_X86 },
	[N_SELFTESTS] = { "selftests", "KVM: selftests:", N_KVM },
	[N_ARM64] = { "arm64", "KVM: arm64:", N_KVM },
	[N_RISCV] = { "riscv", "KVM: riscv:", N_KVM },
	[N_S390] = { "s390", "KVM: s390:", N_KVM },
	[N_PPC] = { "PPC", "KVM: PPC:", N_KVM },
	[N_LOONGARCH] = { "LoongArch", "KVM: LoongArch:", N_KVM },
	[N_MIPS] = { "MIPS", "KVM: MIPS:", N_KVM },
};

/* What a path says about the topic. */
enum kind {
	K_TOPIC,	/* a node of the tree */
	K_HINT,		/* a node, but the file is shared: advice only */
	K_ABI,		/* kvm_para.h: the ABI of KVM and of its guests */
	K_GUEST,	/* Linux as a KVM guest: tip's x86/kvm */
	K_TIP,		/* other arch/x86 code: tip rules */
	K_IGNORE,	/* carries no topic: MAINTAINERS, KVM docs */
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
	enum node node;
};

/* Catalog section 3; the longest matching pattern wins. */
static const struct path_rule path_rules[] = {
	{ "arch/x86/", M_DIR, K_TIP, N_NONE },
	{ "arch/x86/kernel/kvm", M_FILE, K_GUEST, N_NONE },
	{ "arch/x86/include/asm/kvmclock.h", M_EXACT, K_GUEST, N_NONE },
	{ "arch/x86/include/asm/kvm_para.h", M_EXACT, K_ABI, N_NONE },
	{ "arch/x86/include/uapi/asm/kvm_para.h", M_EXACT, K_ABI, N_NONE },
	{ "arch/x86/include/asm/kvm", M_FILE, K_TOPIC, N_X86 },
	{ "arch/x86/include/uapi/asm/kvm", M_FILE, K_TOPIC, N_X86 },
	{ "arch/x86/include/asm/kvm-x86-pmu-ops.h", M_EXACT, K_TOPIC, N_PMU },
	{ "arch/x86/include/asm/kvm_page_track.h", M_EXACT, K_TOPIC, N_MMU },
	{ "arch/x86/include/asm/vmx.h", M_EXACT, K_HINT, N_VMX },
	{ "arch/x86/include/asm/vmxfeatures.h", M_EXACT, K_HINT, N_VMX },
	{ "arch/x86/include/uapi/asm/vmx.h", M_EXACT, K_HINT, N_VMX },
	{ "arch/x86/include/asm/svm.h", M_EXACT, K_HINT, N_SVM },
	{ "arch/x86/include/uapi/asm/svm.h", M_EXACT, K_HINT, N_SVM },
	{ "arch/x86/kvm/", M_DIR, K_TOPIC, N_X86 },
	{ "arch/x86/kvm/vmx/", M_DIR, K_TOPIC, N_VMX },
	{ "arch/x86/kvm/vmx/nested", M_STEM, K_TOPIC, N_NVMX },
	{ "arch/x86/kvm/vmx/vmcs12", M_STEM, K_TOPIC, N_NVMX },
	{ "arch/x86/kvm/vmx/hyperv", M_STEM, K_HINT, N_NVMX },
	{ "arch/x86/kvm/vmx/evmcs", M_STEM, K_HINT, N_NVMX },
	{ "arch/x86/kvm/vmx/pmu_intel", M_STEM, K_TOPIC, N_PMU },
	{ "arch/x86/kvm/svm/", M_DIR, K_TOPIC, N_SVM },
	{ "arch/x86/kvm/svm/nested", M_STEM, K_TOPIC, N_NSVM },
	{ "arch/x86/kvm/svm/pmu", M_STEM, K_TOPIC, N_PMU },
	{ "arch/x86/kvm/mmu/", M_DIR, K_TOPIC, N_MMU },
	{ "arch/x86/kvm/mmu", M_STEM, K_TOPIC, N_MMU },
	{ "arch/x86/kvm/pmu", M_STEM, K_TOPIC, N_PMU },
	{ "arch/x86/kvm/xen", M_STEM, K_TOPIC, N_XEN },
	/* trees from before the vmx/, svm/ and mmu/ directories */
	{ "arch/x86/kvm/vmx", M_STEM, K_TOPIC, N_VMX },
	{ "arch/x86/kvm/svm", M_STEM, K_TOPIC, N_SVM },
	{ "arch/x86/kvm/pmu_intel", M_STEM, K_TOPIC, N_PMU },
	{ "arch/x86/kvm/pmu_amd", M_STEM, K_TOPIC, N_PMU },
	{ "arch/x86/kvm/paging_tmpl.h", M_EXACT, K_TOPIC, N_MMU },
	{ "arch/x86/kvm/mmu_audit.c", M_EXACT, K_TOPIC, N_MMU },
	{ "arch/x86/kvm/mmutrace.h", M_EXACT, K_TOPIC, N_MMU },
	{ "arch/x86/kvm/page_track", M_STEM, K_TOPIC, N_MMU },
	{ "virt/kvm/", M_DIR, K_TOPIC, N_KVM },
	{ "include/linux/kvm", M_FILE, K_TOPIC, N_KVM },
	{ "include/kvm/", M_DIR, K_TOPIC, N_KVM },
	{ "include/kvm/arm_", M_FILE, K_TOPIC, N_ARM64 },
	{ "include/uapi/linux/kvm.h", M_EXACT, K_TOPIC, N_KVM },
	{ "include/uapi/linux/kvm_para.h", M_EXACT, K_TOPIC, N_KVM },
	{ "include/trace/events/kvm.h", M_EXACT, K_TOPIC, N_KVM },
	{ "tools/testing/selftests/kvm/", M_DIR, K_TOPIC, N_SELFTESTS },
	{ "Documentation/virt/kvm/", M_DIR, K_IGNORE, N_NONE },
	{ "Documentation/virt/kvm/x86/", M_DIR, K_TOPIC, N_X86 },
	{ "MAINTAINERS", M_EXACT, K_IGNORE, N_NONE },
};

/* arch/<dir>/ of another architecture's KVM code. */
static const struct {
	const char *dir;
	enum node node;
} arches[] = {
	{ "arm64", N_ARM64 },
	{ "riscv", N_RISCV },
	{ "s390", N_S390 },
	{ "powerpc", N_PPC },
	{ "loongarch", N_LOONGARCH },
	{ "mips", N_MIPS },
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

static enum kind classify(const struct kx_patch_file *f, enum node *node)
{
	const char *path = f->path;
	const char *base = strrchr(path, '/');
	const struct path_rule *best = NULL;
	size_t i, len, best_len = 0;

	*node = N_NONE;
	base = base ? base + 1 : path;
	if (!strcmp(base, ".gitignore"))
		return K_IGNORE;
	for (i = 0; i < ARRAY_SIZE(path_rules); i++) {
		len = rule_match(&path_rules[i], path);
		if (len > best_len) {
			best_len = len;
			best = &path_rules[i];
		}
	}
	if (best) {
		*node = best->node;
		return best->kind;
	}
	if (f->area == KX_AREA_OTHER_ARCH && kx_starts_with(path, "arch/")) {
		for (i = 0; i < ARRAY_SIZE(arches); i++) {
			len = strlen(arches[i].dir);
			if (!strncmp(path + 5, arches[i].dir, len) &&
			    path[5 + len] == '/') {
				*node = arches[i].node;
				return K_TOPIC;
			}
		}
		*node = N_KVM;	/* an arch without a known prefix */
		return K_TOPIC;
	}
	return K_OUTSIDE;
}

static unsigned depth(enum node n)
{
	unsigned d = 0;

	while (nodes[n].parent != N_NONE) {
		n = nodes[n].parent;
		d++;
	}
	return d;
}

static enum node lca(enum node a, enum node b)
{
	unsigned da, db;

	if (a == N_NONE)
		return b;
	if (b == N_NONE)
		return a;
	da = depth(a);
	db = depth(b);
	for (; da > db; da--)
		a = nodes[a].parent;
	for (; db > da; db--)
		b = nodes[b].parent;
	while (a != b) {
		a = nodes[a].parent;
		b = nodes[b].parent;
	}
	return a;
}

/* How much of the change a file is: its changed lines, at least 1. */
static size_t weight(const struct kx_patch_file *f)
{
	size_t n = f->added.nr + f->removed.nr;

	return n ? n : 1;
}

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
	size_t i, len = strlen(tail) + 32;
	char *s, *p;

	for (i = 0; i < r->parts.nr; i++)
		len += strlen(r->parts.items[i]) + 2;
	s = p = kx_xmalloc(len);
	*p = '\0';
	for (i = 0; i < r->parts.nr; i++)
		p += sprintf(p, "%s%s", i ? ", " : "", r->parts.items[i]);
	if (r->more)
		p += sprintf(p, " and %zu more", r->more);
	strcpy(p, tail);
	kx_strlist_release(&r->parts);
	r->more = 0;
	return s;
}

static char *set_reason(char **reason, char *s)
{
	if (reason)
		*reason = s;
	else
		free(s);
	return NULL;
}

const char *kx_topic_from_files(const struct kx_patch *p, char **reason)
{
	struct reason topics = { KX_STRLIST_INIT, 0 };
	struct reason others = { KX_STRLIST_INIT, 0 };
	enum node top = N_NONE, kernel = N_NONE, n;
	size_t i, kvm_w = 0, guest_w = 0, tip_w = 0;
	size_t distinct = 0, selftests = 0;
	const char *tip_path = NULL, *hint_path = NULL, *abi_path = NULL;
	const char *guest_path = NULL;
	enum node hint = N_NONE;
	bool seen[N__COUNT] = { false };
	char *s;

	if (reason)
		*reason = NULL;
	for (i = 0; i < p->files_nr; i++) {
		const struct kx_patch_file *f = &p->files[i];

		switch (classify(f, &n)) {
		case K_TOPIC:
			reason_add(&topics, f->path, nodes[n].name);
			kvm_w += weight(f);
			distinct += !seen[n];
			seen[n] = true;
			top = lca(top, n);
			if (n == N_SELFTESTS)
				selftests++;
			else
				kernel = lca(kernel, n);
			break;
		case K_HINT:
			hint_path = hint_path ? hint_path : f->path;
			hint = hint == N_NONE ? n : hint;
			kvm_w += weight(f);
			break;
		case K_ABI:
			abi_path = abi_path ? abi_path : f->path;
			kvm_w += weight(f);
			guest_w += weight(f);
			break;
		case K_GUEST:
			guest_path = guest_path ? guest_path : f->path;
			guest_w += weight(f);
			break;
		case K_TIP:
			tip_path = tip_path ? tip_path : f->path;
			tip_w += weight(f);
			reason_add(&others, f->path, "outside KVM");
			break;
		case K_IGNORE:
		case K_OUTSIDE:
			break;
		}
	}

	if (top != N_NONE && tip_w > kvm_w) {
		kx_strlist_release(&topics.parts);
		s = reason_finish(&others,
				  "; mostly outside KVM: tip rules, no KVM prefix");
		return set_reason(reason, s);
	}
	if (top != N_NONE) {
		/* selftests beside kernel code: the kernel side decides */
		if (kernel != N_NONE)
			top = kernel;
		kx_strlist_release(&others.parts);
		if (distinct > 1 && selftests && kernel != N_NONE)
			s = kx_xasprintf("; selftests aside, common ancestor %s",
					 nodes[top].name);
		else if (distinct > 1)
			s = kx_xasprintf("; common ancestor %s",
					 nodes[top].name);
		else
			s = kx_xstrdup("");
		set_reason(reason, reason_finish(&topics, s));
		free(s);
		return nodes[top].prefix;
	}
	kx_strlist_release(&topics.parts);
	kx_strlist_release(&others.parts);
	if (guest_path && guest_w >= tip_w) {
		s = kx_xasprintf("%s -> x86/kvm, Linux as a KVM guest",
				 guest_path);
		set_reason(reason, s);
		return "x86/kvm:";
	}
	if (tip_path)
		s = kx_xasprintf("%s is outside KVM: tip rules", tip_path);
	else if (abi_path)
		s = kx_xasprintf("%s is the ABI of KVM and of its guests: either 'KVM: x86:' or 'x86/kvm:'",
				 abi_path);
	else if (hint_path)
		s = kx_xasprintf("%s suggests %s, but not only KVM uses it: no topic from files",
				 hint_path, nodes[hint].name);
	else if (p->files_nr)
		s = kx_xstrdup("no path maps to a KVM topic");
	else
		s = kx_xstrdup("no changed files");
	return set_reason(reason, s);
}

bool kx_topic_ambiguous(const struct kx_patch *p, struct kx_strlist *paths)
{
	struct kx_strlist ignored = KX_STRLIST_INIT;
	enum node n;
	size_t i, first = paths->nr;
	bool ambiguous = p->files_nr > 0;

	for (i = 0; i < p->files_nr && ambiguous; i++) {
		switch (classify(&p->files[i], &n)) {
		case K_TOPIC:
		case K_GUEST:
			ambiguous = false;
			break;
		case K_IGNORE:
			kx_strlist_add(&ignored, p->files[i].path);
			break;
		case K_HINT:
		case K_ABI:
		case K_TIP:
		case K_OUTSIDE:
			kx_strlist_add(paths, p->files[i].path);
			break;
		}
	}
	if (!ambiguous) {
		while (paths->nr > first)
			free(paths->items[--paths->nr]);
	} else if (paths->nr == first) {
		for (i = 0; i < ignored.nr; i++)
			kx_strlist_add(paths, ignored.items[i]);
	}
	kx_strlist_release(&ignored);
	return ambiguous;
}
