// SPDX-License-Identifier: GPL-2.0-only
/*
 * Rules on what the diff adds: something at all, no kernel-doc on KVM
 * functions, and KVM selftests kept apart from the KVM changes they test.
 */
#include <ctype.h>
#include <stdlib.h>
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

/* --- reverse-fir-tree --- */

/* The length of s without its trailing blanks. */
static size_t trimmed(const char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return n;
}

/* Whether s is a word that begins a statement, not a type. */
static bool statement_word(const char *s, size_t n)
{
	static const char *const words[] = {
		"return", "goto", "break", "continue", "do", "if", "while",
		"for", "switch", "case", "default", "else", "asm", "__asm__",
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == n && !strncmp(s, words[i], n))
			return true;
	return false;
}

/*
 * Whether line is a local declaration at a function's top level: one tab,
 * a type and at least one name ("int i, r;", "struct kvm *kvm = vcpu->kvm;"),
 * ending with ';', no call or member before an initializer.
 */
static bool is_declaration(const char *line)
{
	const char *p = line + 1, *end;
	size_t words = 0;

	if (line[0] != '\t' || !is_ident(*p) || isdigit((unsigned char)*p))
		return false;
	end = line + strlen(line);
	while (end > line && isspace((unsigned char)end[-1]))
		end--;
	if (end == line || end[-1] != ';')
		return false;
	while (p < end && *p != '=' && *p != ';') {
		if (is_ident(*p)) {
			const char *w = p;

			while (is_ident(*p))
				p++;
			if (!words && statement_word(w, (size_t)(p - w)))
				return false;
			words++;
		} else if (*p == ' ' || *p == '\t' || *p == '*' || *p == ',' ||
			   *p == '[' || *p == ']') {
			p++;
		} else {
			return false;	/* a call, a member, a cast: code */
		}
	}
	return words >= 2;
}

/* The columns of line (tabs to 8), its tail comment and blanks left out. */
static size_t decl_width(const char *line)
{
	const char *c = strstr(line, "/*"), *cc = strstr(line, "//");
	size_t n = strlen(line), w = 0, i;

	if (c && (size_t)(c - line) < n)
		n = (size_t)(c - line);
	if (cc && (size_t)(cc - line) < n)
		n = (size_t)(cc - line);
	while (n && isspace((unsigned char)line[n - 1]))
		n--;
	for (i = 0; i < n; i++)
		w = line[i] == '\t' ? (w / 8 + 1) * 8 : w + 1;
	return w;
}

/* Whether s has the identifier name (n bytes) as a whole word. */
static bool has_ident(const char *s, const char *name, size_t n)
{
	const char *p;

	for (p = s; *p; p++)
		if (!strncmp(p, name, n) && !is_ident(p[n]) &&
		    (p == s || !is_ident(p[-1])))
			return true;
	return false;
}

/*
 * Whether the initializer of decl names a variable that one of the
 * declarations before it (lines[0..nr)) declares: it cannot move above.
 */
static bool depends(const char *decl, const char *const *lines, size_t nr)
{
	const char *init = strchr(decl, '=');
	size_t i;

	if (!init)
		return false;
	for (i = 0; i < nr; i++) {
		const char *p = lines[i] + 1, *eq = strchr(lines[i], '=');
		const char *stop = eq ? eq : lines[i] + strlen(lines[i]);

		/* each declarator's name: the last word before ',', '=' or ';' */
		while (p < stop) {
			const char *w = NULL, *e = NULL;

			while (p < stop && *p != ',') {
				if (is_ident(*p)) {
					w = p;
					while (is_ident(*p))
						p++;
					e = p;
				} else {
					p++;
				}
			}
			if (w && has_ident(init, w, (size_t)(e - w)))
				return true;
			p++;
		}
	}
	return false;
}

/* The KVM kernel code that tip's style applies to (not selftests or uapi). */
static bool tip_style_applies(const struct kx_patch_file *f)
{
	return kernel_doc_applies(f) && kx_ends_with(f->path, ".c");
}

/*
 * The handbook: "Using reverse fir tree, a.k.a. reverse Christmas tree or
 * reverse XMAS tree, for variable declarations isn't strictly required,
 * though it is still preferred."  Read where the function is new, so the
 * whole block is the patch's: an added "{" at the start of a line right
 * after an added line ending in ')', then the added declarations that
 * follow it, line by line.  A longer declaration below a shorter one is
 * out of order, unless its initializer uses a variable declared above it.
 */
void kx_rule_reverse_fir_tree(struct kx_findings *out, const struct kx_patch *p,
			      const struct kx_rule_env *env)
{
	size_t i, j, k;

	(void)env;
	for (i = 0; i < p->files_nr; i++) {
		const struct kx_patch_file *f = &p->files[i];

		if (!tip_style_applies(f))
			continue;
		for (j = 1; j < f->added.nr; j++) {
			const char *prev = f->added.items[j - 1];
			size_t plen = trimmed(prev), line = kx_patch_file_line(f, j);

			if (trimmed(f->added.items[j]) != 1 || f->added.items[j][0] != '{' ||
			    !plen || prev[plen - 1] != ')' ||
			    !line || kx_patch_file_line(f, j - 1) + 1 != line)
				continue;
			/* the declarations: added, one under the other */
			for (k = j + 1; k < f->added.nr && is_declaration(f->added.items[k]) &&
			     kx_patch_file_line(f, k) == line + (k - j); k++) {
				const char *const *decls = (const char *const *)f->added.items + j + 1;
				const char *d = f->added.items[k], *above = f->added.items[k - 1];

				if (k == j + 1 ||
				    decl_width(d) <= decl_width(f->added.items[k - 1]) ||
				    depends(d, decls, k - j - 1))
					continue;
				kx_findings_add_line(out, f->path, kx_patch_file_line(f, k),
						     KX_SEV_ADVICE, "reverse-fir-tree",
						     "'%.*s' is longer than '%.*s' above it: put a "
						     "function's declarations longest first "
						     "(reverse fir tree), where no initializer "
						     "needs another",
						     (int)trimmed(skip_blanks(d)), skip_blanks(d),
						     (int)trimmed(skip_blanks(above)), skip_blanks(above));
				break;
			}
		}
	}
}

/* --- tip-comment-style: tail comments --- */

/*
 * Where a tail comment begins in line, a statement of a function body
 * (one tab or more, ending in ';', ')' or '{' before the comment), or
 * NULL.  Declarations (struct members look the same: bit fields and
 * function pointers too), initializers (','), labels, case labels and
 * conditional expressions (':'), preprocessor lines and lines with a
 * string (a "//" in a URL) are left alone.
 */
static const char *tail_comment(const char *line)
{
	const char *c = strstr(line, "/*"), *cc = strstr(line, "//"), *code;
	char *head;
	size_t n;
	bool decl;

	if (*line != '\t' || strchr(line, '"') || strchr(line, '\''))
		return NULL;
	if (!c || (cc && cc < c))
		c = cc;
	if (!c)
		return NULL;
	code = skip_blanks(line);
	if (code == c || *code == '#' || *code == '*')
		return NULL;
	n = (size_t)(c - line);
	while (n && isspace((unsigned char)line[n - 1]))
		n--;
	if (!n || !strchr(";){", line[n - 1]))
		return NULL;
	head = kx_xstrndup(line, n);
	/* members too: bit fields ("x:1;") and function pointers ("(*fn)") */
	decl = is_declaration(head) || strchr(head, ':') || strstr(head, "(*");
	free(head);
	return decl ? NULL : c;
}

/*
 * tip: "Please refrain from using tail comments. Tail comments disturb
 * the reading flow in almost all contexts, but especially in code" (its
 * examples: after an if, a call, an assignment).  Added statements in
 * KVM's .c files only: the members of a structure, an enum or an
 * initializer, documented at their end, are the one place tip's own
 * examples keep such comments.
 */
void kx_rule_tip_tail_comment(struct kx_findings *out, const struct kx_patch *p,
			      const struct kx_rule_env *env)
{
	size_t i, j;

	(void)env;
	for (i = 0; i < p->files_nr; i++) {
		const struct kx_patch_file *f = &p->files[i];

		if (!tip_style_applies(f))
			continue;
		for (j = 0; j < f->added.nr; j++) {
			const char *s = f->added.items[j], *c = tail_comment(s);

			if (!c)
				continue;
			kx_findings_add_line(out, f->path, kx_patch_file_line(f, j),
					     KX_SEV_ADVICE, "tip-comment-style",
					     "tail comment '%.*s' after code: put the comment on "
					     "lines of its own above the code (tip: tail comments "
					     "disturb the reading flow)",
					     (int)trimmed(c), c);
			break;
		}
	}
}
