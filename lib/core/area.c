// SPDX-License-Identifier: GPL-2.0-only
/*
 * Path areas and line kinds.  The handbook calls a series multi-arch when it
 * has "non-trivial modifications to common KVM code and/or more than
 * superficial changes to other architectures' code"; these are the facts
 * that the base decision counts.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "kvmx86/area.h"
#include "kvmx86/util.h"

static const char *const selftest_arches[] = {
	"aarch64", "arm64", "s390", "s390x", "riscv", "loongarch",
};

static bool is_selftest_arch(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(selftest_arches); i++)
		if (strlen(selftest_arches[i]) == n &&
		    !strncmp(selftest_arches[i], s, n))
			return true;
	return false;
}

/* Length of the first path component of s. */
static size_t component(const char *s)
{
	const char *slash = strchr(s, '/');

	return slash ? (size_t)(slash - s) : strlen(s);
}

static enum kx_area selftest_area(const char *rest)
{
	size_t n = component(rest);

	if (!rest[n])
		return KX_AREA_SELFTESTS;	/* a file at the top: Makefile */
	if (is_selftest_arch(rest, n))
		return KX_AREA_OTHER_ARCH;
	if ((n == 3 && !strncmp(rest, "lib", 3)) ||
	    (n == 7 && !strncmp(rest, "include", 7))) {
		const char *sub = rest + n + 1;
		size_t m = component(sub);

		if (sub[m] && is_selftest_arch(sub, m))
			return KX_AREA_OTHER_ARCH;
	}
	return KX_AREA_SELFTESTS;
}

static enum kx_area arch_area(const char *rest)
{
	size_t n = component(rest);
	bool x86 = n == 3 && !strncmp(rest, "x86", 3);
	const char *sub = rest + n;
	const char *base;

	if (!*sub)
		return KX_AREA_NON_KVM;
	sub++;
	if (kx_starts_with(sub, "kvm/"))
		return x86 ? KX_AREA_X86 : KX_AREA_OTHER_ARCH;
	if (!kx_starts_with(sub, "include/"))
		return KX_AREA_NON_KVM;
	/* arch/<a>/include/{asm,uapi/asm}/kvm*.h */
	base = strrchr(sub, '/') + 1;
	if (kx_starts_with(base, "kvm")) {
		/* kvm_para.h is the guest's side of the ABI as much as KVM's */
		return x86 ? KX_AREA_X86 : KX_AREA_OTHER_ARCH;
	}
	if (x86 && (!strcmp(sub, "include/asm/vmx.h") ||
		    !strcmp(sub, "include/asm/vmxfeatures.h") ||
		    !strcmp(sub, "include/asm/svm.h") ||
		    !strcmp(sub, "include/uapi/asm/vmx.h") ||
		    !strcmp(sub, "include/uapi/asm/svm.h")))
		return KX_AREA_X86;
	return KX_AREA_NON_KVM;
}

enum kx_area kx_area_of_path(const char *path)
{
	if (kx_starts_with(path, "tools/testing/selftests/kvm/"))
		return selftest_area(path + strlen("tools/testing/selftests/kvm/"));
	if (kx_starts_with(path, "arch/"))
		return arch_area(path + 5);
	/* arm's own: its headers, and its code in trees before 5.7 */
	if (kx_starts_with(path, "virt/kvm/arm/") ||
	    kx_starts_with(path, "include/kvm/arm_"))
		return KX_AREA_OTHER_ARCH;
	if (kx_starts_with(path, "virt/kvm/") ||
	    kx_starts_with(path, "include/linux/kvm") ||
	    kx_starts_with(path, "include/kvm/") ||
	    !strcmp(path, "include/uapi/linux/kvm.h") ||
	    !strcmp(path, "include/trace/events/kvm.h"))
		return KX_AREA_COMMON;
	if (kx_starts_with(path, "Documentation/virt/kvm/x86/"))
		return KX_AREA_X86;
	if (kx_starts_with(path, "Documentation/virt/kvm/"))
		return KX_AREA_COMMON;
	return KX_AREA_NON_KVM;
}

const char *kx_area_name(enum kx_area area)
{
	switch (area) {
	case KX_AREA_NON_KVM:
		return "non-kvm";
	case KX_AREA_SELFTESTS:
		return "selftests";
	case KX_AREA_X86:
		return "x86";
	case KX_AREA_COMMON:
		return "common";
	case KX_AREA_OTHER_ARCH:
		return "other-arch";
	}
	return "?";
}

const char *kx_line_kind_name(enum kx_line_kind kind)
{
	static const char *const names[KX_LINE__COUNT] = {
		"blank", "comment", "define", "declaration", "rename", "logic",
	};

	return kind < KX_LINE__COUNT ? names[kind] : "?";
}

static const char *skip_space(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return s;
}

/* The last non-space character of s, or '\0'. */
static char last_char(const char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return n ? s[n - 1] : '\0';
}

static bool is_doc(const char *path)
{
	return kx_starts_with(path, "Documentation/") ||
	       kx_ends_with(path, ".rst") || kx_ends_with(path, ".txt");
}

/*
 * A header line that declares rather than does: prototypes (and their
 * continuation lines), externs, forward declarations and #includes.
 */
static bool is_declaration(const char *t)
{
	char last = last_char(t);

	if (kx_starts_with(t, "#include") || kx_starts_with(t, "extern "))
		return true;
	if (strchr(t, '{') || strchr(t, '}') || strchr(t, '=') ||
	    kx_starts_with(t, "return") || kx_starts_with(t, "#"))
		return false;
	if (last == ';') {
		const char *semi = strchr(t, ';');

		/* one statement only, and a call-shaped or "struct x;" line */
		if (semi[1] && *skip_space(semi + 1))
			return false;
		return strchr(t, '(') || strchr(t, ')') ||
		       kx_starts_with(t, "struct ") ||
		       kx_starts_with(t, "union ") || kx_starts_with(t, "enum ");
	}
	/* the first or middle lines of a prototype split across lines */
	return (last == ',' || last == '(') && strchr(t, '(') != NULL;
}

static enum kx_line_kind classify_line(const char *path, char origin,
				       const char *text)
{
	const char *t = skip_space(text);

	if (!*t)
		return KX_LINE_BLANK;
	if (is_doc(path))
		return KX_LINE_COMMENT;
	if (kx_starts_with(t, "/*") || kx_starts_with(t, "*") ||
	    kx_starts_with(t, "//"))
		return KX_LINE_COMMENT;
	if (origin == '+' && kx_starts_with(t, "#define") &&
	    !strcmp(path, "include/uapi/linux/kvm.h"))
		return KX_LINE_DEFINE;
	if (kx_ends_with(path, ".h") && is_declaration(t))
		return KX_LINE_DECL;
	return KX_LINE_LOGIC;
}

void kx_classify_hunk(const char *path, const struct kx_diff_line *lines,
		      unsigned nr, unsigned counts[KX_LINE__COUNT])
{
	enum kx_line_kind *kinds = kx_xcalloc(nr, sizeof(*kinds));
	unsigned i, p;

	for (i = 0; i < nr; i++)
		if (lines[i].origin == '-' || lines[i].origin == '+')
			kinds[i] = classify_line(path, lines[i].origin,
						 lines[i].text);

	/* A run of k removed lines replaced by k added lines may be a rename. */
	for (i = 0; i < nr;) {
		unsigned minus = 0, plus = 0;

		while (i + minus < nr && lines[i + minus].origin == '-')
			minus++;
		while (i + minus + plus < nr &&
		       lines[i + minus + plus].origin == '+')
			plus++;
		if (minus && minus == plus) {
			for (p = 0; p < minus; p++) {
				unsigned o = i + p, n = i + minus + p;

				if (kinds[o] != KX_LINE_LOGIC &&
				    kinds[n] != KX_LINE_LOGIC)
					continue;
				if (!kx_lines_are_rename(lines[o].text,
							 lines[n].text))
					continue;
				if (kinds[o] == KX_LINE_LOGIC)
					kinds[o] = KX_LINE_RENAME;
				if (kinds[n] == KX_LINE_LOGIC)
					kinds[n] = KX_LINE_RENAME;
			}
		}
		i += minus + plus ? minus + plus : 1;
	}

	for (i = 0; i < nr; i++)
		if (lines[i].origin == '-' || lines[i].origin == '+')
			counts[kinds[i]]++;
	free(kinds);
}

struct token {
	const char *s;
	size_t n;
	bool ident;
};

/* Splits s into identifier, number and punctuation tokens. */
static size_t tokenize(const char *s, struct token *out, size_t max)
{
	size_t nr = 0;

	while (*s) {
		const char *start;

		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		if (nr == max)
			return max + 1;
		start = s;
		if (isalpha((unsigned char)*s) || *s == '_') {
			while (isalnum((unsigned char)*s) || *s == '_')
				s++;
			out[nr++] = (struct token){ start, (size_t)(s - start), true };
		} else if (isdigit((unsigned char)*s)) {
			while (isalnum((unsigned char)*s))
				s++;
			out[nr++] = (struct token){ start, (size_t)(s - start), false };
		} else {
			s++;
			out[nr++] = (struct token){ start, 1, false };
		}
	}
	return nr;
}

static bool tok_eq(const struct token *a, const struct token *b)
{
	return a->n == b->n && !memcmp(a->s, b->s, a->n);
}

bool kx_lines_are_rename(const char *old_line, const char *new_line)
{
	enum { MAX_TOKENS = 128 };
	struct token a[MAX_TOKENS], b[MAX_TOKENS];
	const struct token *from = NULL, *to = NULL;
	size_t na = tokenize(old_line, a, MAX_TOKENS);
	size_t nb = tokenize(new_line, b, MAX_TOKENS);
	size_t i;

	if (na != nb || na > MAX_TOKENS)
		return false;
	for (i = 0; i < na; i++) {
		if (tok_eq(&a[i], &b[i]))
			continue;
		if (!a[i].ident || !b[i].ident)
			return false;
		/* every difference must be the same old -> new identifier */
		if (!from) {
			from = &a[i];
			to = &b[i];
		} else if (!tok_eq(from, &a[i]) || !tok_eq(to, &b[i])) {
			return false;
		}
	}
	return true;
}
