// SPDX-License-Identifier: GPL-2.0-only
/*
 * Rules on what the diff adds: something at all, no kernel-doc on KVM
 * functions, and KVM selftests kept apart from the KVM changes they test.
 */
#include <ctype.h>
#include <string.h>

#include "kvmx86/rules.h"

#define SELFTESTS "tools/testing/selftests/kvm/"

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static bool is_ident(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Is the rest of s blank? */
static bool only_blanks(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return !*s;
}

/*
 * If s is the name line of a function's kernel-doc, " * name() - text" or
 * " name - text", returns the name's length (the name starts at *name).
 * struct/union/enum/typedef and DOC: blocks have another shape, and an
 * ALL_CAPS name documents a macro or a constant.
 */
static size_t doc_function(const char *s, const char **name)
{
	const char *p, *q;
	bool lower = false;

	p = skip_blanks(s);
	if (*p == '*')
		p = skip_blanks(p + 1);
	if (!(isalpha((unsigned char)*p) || *p == '_'))
		return 0;
	for (q = p; is_ident(*q); q++)
		lower |= islower((unsigned char)*q) != 0;
	*name = p;
	if (!lower)
		return 0;
	p = q;
	if (p[0] == '(' && p[1] == ')')
		p += 2;
	p = skip_blanks(p);
	if (p[0] != '-' || (p[1] != ' ' && p[1] != '\t' && p[1]))
		return 0;
	return (size_t)(q - *name);
}

static bool kernel_doc_applies(const struct kx_patch_file *f)
{
	/* the handbook speaks for KVM x86 (and the common code it shares) */
	if (f->area != KX_AREA_X86 && f->area != KX_AREA_COMMON)
		return false;
	if (kx_starts_with(f->path, SELFTESTS))
		return false;
	/* the uAPI headers document their ABI for userspace */
	if (kx_starts_with(f->path, "include/uapi/") ||
	    strstr(f->path, "/uapi/"))
		return false;
	return kx_ends_with(f->path, ".c") || kx_ends_with(f->path, ".h");
}

void kx_rule_no_kernel_doc(struct kx_findings *out, const struct kx_patch *p,
			   const struct kx_rule_env *env)
{
	size_t i, j, k;

	(void)env;
	for (i = 0; i < p->files_nr; i++) {
		const struct kx_patch_file *f = &p->files[i];

		if (!kernel_doc_applies(f))
			continue;
		for (j = 0; j < f->added.nr; j++) {
			const char *s = skip_blanks(f->added.items[j]);
			const char *name = NULL;
			size_t n = 0;

			if (strncmp(s, "/**", 3) || s[3] == '*' || s[3] == '/')
				continue;
			if (!only_blanks(s + 3))
				n = doc_function(s + 3, &name);
			for (k = j + 1; !n && k < f->added.nr && k <= j + 2;
			     k++)
				n = doc_function(f->added.items[k], &name);
			if (!n)
				continue;
			kx_findings_add_line(out, f->path, kx_patch_file_line(f, j),
					     KX_SEV_WARNING, "no-kernel-doc",
					     "kernel-doc comment for '%.*s()' in "
					     "%s: write a plain comment, KVM x86 "
					     "does not use kernel-doc for functions",
					     (int)n, name, f->path);
		}
	}
}

/* Is f KVM kernel code (not selftests, not documentation)? */
static bool is_kvm_code(const struct kx_patch_file *f)
{
	if (kx_starts_with(f->path, SELFTESTS) ||
	    kx_starts_with(f->path, "Documentation/"))
		return false;
	return f->area == KX_AREA_X86 || f->area == KX_AREA_COMMON ||
	       f->area == KX_AREA_OTHER_ARCH;
}

void kx_rule_split_selftests(struct kx_findings *out,
			     const struct kx_patch *p,
			     const struct kx_rule_env *env)
{
	const char *test = NULL, *code = NULL;
	size_t i;

	(void)env;
	for (i = 0; i < p->files_nr; i++) {
		const struct kx_patch_file *f = &p->files[i];

		if (!test && kx_starts_with(f->path, SELFTESTS))
			test = f->path;
		else if (!code && is_kvm_code(f))
			code = f->path;
	}
	if (test && code)
		kx_findings_add(out, KX_SEV_ADVICE, "split-selftests",
				"commit changes both KVM selftests (%s) and "
				"KVM code (%s): split it into two patches of "
				"one series", test, code);
}

/* --- empty-commit --- */

void kx_rule_empty_commit(struct kx_findings *out, const struct kx_patch *p,
			  const struct kx_rule_env *env)
{
	(void)env;
	/* git format-patch writes no mail for it: the series would lose a number */
	if (!p->files_nr)
		kx_findings_add(out, KX_SEV_ERROR, "empty-commit",
				"the commit changes no file: no mail can carry it; "
				"drop it or squash it into the patch it belongs to (git rebase -i)");
}
