/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The conceptual topic tree (rule catalog sections 1 and 2), internal to
 * the rules: the topics a path maps to (topic.c) and the topics a subject
 * names (shortlog.c) are nodes of this one tree, so that what kvmx86
 * suggests and what it checks cannot drift apart.
 */
#ifndef KVMX86_RULES_TREE_H
#define KVMX86_RULES_TREE_H

#include <stdbool.h>
#include <stddef.h>

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

struct kx_topic_node {
	const char *name;	/* as in subjects and reasons */
	const char *prefix;	/* the shortlog prefix it stands for */
	enum topic parent;	/* T_NONE for the root */
	enum topic_kind kind;
	enum topic same;	/* what a de facto topic stands for */
};

extern const struct kx_topic_node kx_topic__nodes[T__COUNT];

/* Whether a is b or one of its ancestors. */
bool kx_topic__is_ancestor(enum topic a, enum topic b);

/* The lowest common ancestor; T_NONE stands for "nothing yet". */
enum topic kx_topic__lca(enum topic a, enum topic b);

/*
 * Finds one topic name (not "KVM") in s (n bytes), any case, with the
 * architectures' other spellings; *exact says whether the case matches
 * (architectures match in any case).  T_NONE if unknown.
 */
enum topic kx_topic__find(const char *s, size_t n, bool *exact);

/* The node of a prefix such as "KVM: nVMX:" or "KVM:", else T_NONE. */
enum topic kx_topic__of_prefix(const char *prefix);

/*
 * The node one path maps to when the commit changes that file alone,
 * hints included (asm/vmx.h is VMX), or T_NONE (the guest side, tip code,
 * other code).
 */
enum topic kx_topic__of_path(const char *path);

/* Whether path is the guest side of KVM (tip's x86/kvm:). */
bool kx_topic__is_guest(const char *path);

/* Whether path is shared by KVM and its guests (kvm_para.h, kvmclock.h). */
bool kx_topic__is_guest_abi(const char *path);

#endif
