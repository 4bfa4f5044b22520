// SPDX-License-Identifier: GPL-2.0-only
/*
 * The function names of KVM's code: a scan of C text for definitions and
 * declarations at file scope, and the sorted set function-parens asks.
 * Kernel style puts a function's return type and name on one line at
 * column 0; macro invocations at file scope (module_param(...),
 * EXPORT_SYMBOL(...), DEFINE_*(...)) have no type before the name, so
 * they are left out.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvmx86/funcindex.h"

static const char *const kvm_dirs[] = {
	"arch/x86/kvm/", "virt/kvm/", "tools/testing/selftests/kvm/",
	"include/kvm/",
};

/* Headers of KVM outside its directories: a prefix of the file's path. */
static const char *const kvm_headers[] = {
	"arch/x86/include/asm/kvm", "include/linux/kvm",
	"arch/x86/include/asm/vmx.h", "arch/x86/include/asm/svm.h",
};

bool kx_funcindex_wants(const char *path)
{
	size_t i;

	if (!kx_ends_with(path, ".c") && !kx_ends_with(path, ".h"))
		return false;
	for (i = 0; i < ARRAY_SIZE(kvm_dirs); i++)
		if (kx_starts_with(path, kvm_dirs[i]))
			return true;
	for (i = 0; i < ARRAY_SIZE(kvm_headers); i++)
		if (kx_starts_with(path, kvm_headers[i]) &&
		    !strchr(path + strlen(kvm_headers[i]), '/'))
			return true;
	return false;
}

static bool is_ident(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Words that start a statement, not a return type. */
static bool is_keyword(const char *s, size_t n)
{
	static const char *const words[] = {
		"return", "if", "else", "while", "for", "switch", "do",
		"typedef", "goto", "case", "sizeof",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (strlen(words[i]) == n && !strncmp(words[i], s, n))
			return true;
	return false;
}

/* The name function-parens would count: an '_', some lower case. */
static bool counts(const char *s, size_t n)
{
	size_t i;
	bool lower = false;

	for (i = 0; i < n; i++)
		lower |= islower((unsigned char)s[i]) != 0;
	return lower && memchr(s, '_', n) && strncmp(s, "__builtin_", 10);
}

/* The function a line [s, e) at column 0 defines or declares, if any. */
static void scan_line(struct kx_strlist *out, const char *s, const char *e)
{
	const char *p = s, *name = NULL, *first = NULL;
	size_t n = 0, words = 0;

	if (!(isalpha((unsigned char)*s) || *s == '_'))
		return;
	/* type words and '*', then name( : nothing else before the '(' */
	while (p < e) {
		if (is_ident(*p)) {
			const char *w = p;

			while (p < e && is_ident(*p))
				p++;
			if (!words++) {
				first = w;
				if (is_keyword(w, (size_t)(p - w)))
					return;
			}
			name = w;
			n = (size_t)(p - w);
		} else if (*p == ' ' || *p == '\t' || *p == '*') {
			p++;
		} else if (*p == '(') {
			break;
		} else {
			return;		/* '=', ';', '{', ',', a string... */
		}
	}
	/* name( with a type before it */
	if (p == e || !name || name == first || !counts(name, n))
		return;
	kx_strlist_addf(out, "%.*s", (int)n, name);
}

void kx_funcindex_scan(struct kx_strlist *out, const char *text, size_t len)
{
	const char *s = text, *end = text + len;
	bool comment = false;

	while (s < end) {
		const char *e = memchr(s, '\n', (size_t)(end - s));

		if (!e)
			e = end;
		/* a block comment opened at column 0 spans lines */
		if (comment) {
			const char *c = s;

			for (; c + 1 < e; c++)
				if (c[0] == '*' && c[1] == '/')
					break;
			comment = c + 1 >= e;
		} else if (e - s >= 2 && s[0] == '/' && s[1] == '*') {
			const char *c = s + 2;

			for (; c + 1 < e; c++)
				if (c[0] == '*' && c[1] == '/')
					break;
			comment = c + 1 >= e;
		} else {
			scan_line(out, s, e);
		}
		s = e + 1;
	}
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void kx_funcindex_set(struct kx_funcindex *idx, struct kx_strlist *names,
		      const char *base)
{
	size_t i, len = 0;
	char *p;

	kx_funcindex_release(idx);
	if (names->nr)
		qsort(names->items, names->nr, sizeof(*names->items), cmp_name);
	for (i = 0; i < names->nr; i++)
		len += strlen(names->items[i]) + 1;
	idx->buf = p = kx_xmalloc(len + 1);
	idx->names = kx_xcalloc(names->nr ? names->nr : 1,
				sizeof(*idx->names));
	for (i = 0; i < names->nr; i++) {
		if (idx->nr && !strcmp(idx->names[idx->nr - 1], names->items[i]))
			continue;
		strcpy(p, names->items[i]);
		idx->names[idx->nr++] = p;
		p += strlen(p) + 1;
	}
	idx->alloc = names->nr;
	snprintf(idx->base, sizeof(idx->base), "%s", base);
}

char *kx_funcindex_format(const struct kx_funcindex *idx)
{
	struct kx_buf b = { NULL, 0, 0 };
	size_t i;

	kx_buf_addf(&b, "kvmx86-funcindex %d %s\n", KX_FUNCINDEX_VERSION,
		    idx->base);
	for (i = 0; i < idx->nr; i++) {
		kx_buf_adds(&b, idx->names[i]);
		kx_buf_addc(&b, '\n');
	}
	return kx_buf_detach(&b);
}

bool kx_funcindex_parse(struct kx_funcindex *idx, char *text,
			const char *base)
{
	char *head = kx_xasprintf("kvmx86-funcindex %d %s\n",
				  KX_FUNCINDEX_VERSION, base);
	char *s, *nl;
	bool ok = kx_starts_with(text, head);

	kx_funcindex_release(idx);
	s = text + (ok ? strlen(head) : 0);
	free(head);
	idx->buf = text;
	for (; ok && *s; s = nl + 1) {
		if (!(nl = strchr(s, '\n')) || nl == s) {
			ok = false;
			break;
		}
		*nl = '\0';
		/* sorted, each once: else it is no index this code wrote */
		if (idx->nr && strcmp(idx->names[idx->nr - 1], s) >= 0) {
			ok = false;
			break;
		}
		kx_grow((void **)&idx->names, &idx->alloc, idx->nr,
			sizeof(*idx->names));
		idx->names[idx->nr++] = s;
	}
	if (!ok) {
		kx_funcindex_release(idx);
		return false;
	}
	snprintf(idx->base, sizeof(idx->base), "%s", base);
	return true;
}

bool kx_funcindex_has(const struct kx_funcindex *idx, const char *name,
		      size_t n)
{
	size_t lo = 0, hi;

	if (!idx)
		return false;
	hi = idx->nr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *m = idx->names[mid];
		int c = strncmp(m, name, n);

		if (!c)
			c = m[n] ? 1 : 0;
		if (!c)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

void kx_funcindex_release(struct kx_funcindex *idx)
{
	free(idx->buf);
	free(idx->names);
	memset(idx, 0, sizeof(*idx));
}
