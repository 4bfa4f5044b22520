// SPDX-License-Identifier: GPL-2.0-only
/*
 * MAINTAINERS as scripts/get_maintainer.pl reads it (the kernel's v0.26),
 * with --nogit --nogit-fallback --norolestats --nofixes: the same parse
 * into "type:value" lines, the same section walk, F:/X: globs turned into
 * the same regexes, N: and K: as Perl regexes with /x, the same ordering
 * (deepest pattern first, keywords after), the same de-duplication by name
 * and address and the same .mailmap rules.  Function names follow the
 * script's, so that a reader can hold one beside the other.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/error.h"
#include "kvmx86/maintainers.h"
#include "kvmx86/perlre.h"
#include "kvmx86/safe.h"

/* One line of @typevalue: "T:value", or a section title (type 0). */
struct tv {
	char type;
	char *value;
	/* F:, X: */
	char *lit;			/* the literal start of the regex */
	bool literal;			/* the regex is lit alone */
	signed char dir;		/* -d $value: -1 not asked yet */
	struct kx_perlre *re;		/* F:, X: ^value; N: value */
	bool re_done;
	/* K: without and with the patch's "^[+-].*" */
	struct kx_perlre *kw[2];
	bool kw_done[2];
};

struct section {
	size_t tvi, start, end;
};

struct map {
	char *key, *value;
};

/*
 * A Perl hash: items in the order set, found through slot, an open-
 * addressing table of item index + 1 (0 empty) whose size is a power of
 * two at least twice nr.  A kernel .mailmap sets some 2,000 keys.
 */
struct maps {
	struct map *items;
	size_t nr, alloc;
	size_t *slot, slot_nr;
};

/* Where the entries' strings live: freed together, with the file's parse. */
struct arena_block {
	struct arena_block *next;
	size_t used, size;
	char data[];
};

struct kx_maintainers {
	struct tv *tv;			/* value and lit in the arena */
	size_t nr, alloc;
	struct arena_block *arena;
	struct section *sections;
	size_t sections_nr, sections_alloc;
	size_t *keywords;		/* indices of the K: lines */
	size_t keywords_nr, keywords_alloc;
	struct maps mm_names, mm_addrs;	/* the .mailmap */
	struct kx_perlre *chief;	/* the penguin chief, dropped */
	struct kx_maint_tree tree;
	struct kx_strlist warnings;
};

/* An address on its way: get_maintainer's [$address, $role]. */
struct entry {
	char *text, *role;
	bool list, dropped;
};

struct entries {
	struct entry *items;
	size_t nr, alloc;
};

/* The state of one get_maintainers() run. */
struct run {
	struct kx_maintainers *m;
	struct entries email_to, list_to;
	struct maps hash_name, hash_addr;	/* %email_hash_* (values unused) */
	struct maps list_hash;			/* %hash_list_to */
	struct maps dedup_name, dedup_addr;	/* value: the mailbox text */
	struct kx_strlist file_emails;		/* @file_emails */
};

static size_t str_hash(const char *s)
{
	size_t h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* key's slot: the one holding it, or the empty one where it would go. */
static size_t *maps_slot(const struct maps *m, const char *key)
{
	size_t i = str_hash(key) & (m->slot_nr - 1);

	while (m->slot[i] && strcmp(m->items[m->slot[i] - 1].key, key))
		i = (i + 1) & (m->slot_nr - 1);
	return &m->slot[i];
}

static void maps_grow(struct maps *m)
{
	size_t i;

	free(m->slot);
	m->slot_nr = m->slot_nr ? 2 * m->slot_nr : 64;
	m->slot = kx_xcalloc(m->slot_nr, sizeof(*m->slot));
	for (i = 0; i < m->nr; i++)
		*maps_slot(m, m->items[i].key) = i + 1;
}

static void maps_set(struct maps *m, const char *key, const char *value)
{
	size_t *slot;

	if (2 * (m->nr + 1) > m->slot_nr)
		maps_grow(m);
	slot = maps_slot(m, key);
	if (*slot) {
		free(m->items[*slot - 1].value);
		m->items[*slot - 1].value = kx_xstrdup(value);
		return;
	}
	kx_grow((void **)&m->items, &m->alloc, m->nr, sizeof(*m->items));
	m->items[m->nr].key = kx_xstrdup(key);
	m->items[m->nr++].value = kx_xstrdup(value);
	*slot = m->nr;
}

static const char *maps_get(const struct maps *m, const char *key)
{
	size_t *slot;

	if (!m->slot_nr)
		return NULL;
	slot = maps_slot(m, key);
	return *slot ? m->items[*slot - 1].value : NULL;
}

static void maps_release(struct maps *m)
{
	size_t i;

	for (i = 0; i < m->nr; i++) {
		free(m->items[i].key);
		free(m->items[i].value);
	}
	free(m->items);
	free(m->slot);
	memset(m, 0, sizeof(*m));
}

static char *lower(const char *s)
{
	char *l = kx_xstrdup(s), *p;

	for (p = l; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return l;
}

/* Perl's s/^\s+|\s+$//g */
static char *trim(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return kx_xstrndup(s, n);
}

/* name =~ /[^\w \-]/: the name needs quotes */
static bool must_quote(const char *name)
{
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p; p++)
		if (!isalnum(*p) && *p != '_' && *p != ' ' && *p != '-')
			return true;
	return false;
}

/* s/^\"|\"$//g, then quoted (unescaped quotes escaped) if it must be */
static char *clean_name(char *name)
{
	size_t n = strlen(name), i;
	struct kx_buf b = KX_BUF_INIT;
	char *s = name;

	if (n && s[n - 1] == '"')
		s[--n] = '\0';
	if (*s == '"')
		s++;
	if (!must_quote(s)) {
		char *r = kx_xstrdup(s);

		free(name);
		return r;
	}
	kx_buf_addc(&b, '"');
	for (i = 0; s[i]; i++) {
		if (s[i] == '"' && (i == 0 || s[i - 1] != '\\'))
			kx_buf_addc(&b, '\\');
		kx_buf_addc(&b, s[i]);
	}
	kx_buf_addc(&b, '"');
	free(name);
	return kx_buf_detach(&b);
}

/*
 * get_maintainer's parse_email(): *name (quoted if it must be) and
 * *addr, both "" when not found.
 */
static void parse_email(char **name, char **addr, const char *s)
{
	const char *lt = strchr(s, '<'), *gt, *at, *p;

	*name = kx_xstrdup("");
	*addr = kx_xstrdup("");
	/* ^([^<]+)<(.+\@.*)>.*$ */
	if (lt && lt > s && (gt = strrchr(lt, '>')) &&
	    (at = memchr(lt + 2, '@', (size_t)(gt > lt + 2 ? gt - lt - 2 : 0))) &&
	    !memchr(s, '\n', (size_t)(gt - s))) {
		free(*name);
		free(*addr);
		*name = kx_xstrndup(s, (size_t)(lt - s));
		*addr = kx_xstrndup(lt + 1, (size_t)(gt - lt - 1));
	} else if ((p = s + strspn(s, " \t")) == lt && (gt = strrchr(lt, '>')) &&
		   (at = memchr(lt + 2, '@', (size_t)(gt > lt + 2 ? gt - lt - 2 : 0)))) {
		/* ^\s*<(.+\@\S*)>.*$ */
		free(*addr);
		*addr = kx_xstrndup(lt + 1, (size_t)(gt - lt - 1));
	} else if ((at = strrchr(s, '@')) && at > s) {
		/* ^(.+\@\S*).*$: up to the end of the last '@''s word */
		free(*addr);
		*addr = kx_xstrndup(s, (size_t)(at - s) + 1 + strcspn(at + 1, " \t\r\n\f\v"));
	}
	p = *name;
	*name = trim(p, strlen(p));
	free((char *)p);
	*name = clean_name(*name);
	p = *addr;
	*addr = trim(p, strlen(p));
	free((char *)p);
}

/* get_maintainer's format_email($name, $address, 1) */
static char *format_email(const char *name, const char *addr)
{
	char *n = trim(name, strlen(name)), *a = trim(addr, strlen(addr)), *r;

	n = clean_name(n);
	r = *n ? kx_xasprintf("%s <%s>", n, a) : kx_xstrdup(a);
	free(n);
	free(a);
	return r;
}

static char *mailmap_email(const struct kx_maintainers *m, const char *line)
{
	char *name, *addr, *email, *r;
	const char *real_name, *real_addr;

	parse_email(&name, &addr, line);
	email = format_email(name, addr);
	real_name = maps_get(&m->mm_names, email);
	real_addr = maps_get(&m->mm_addrs, email);
	if (!real_name && !real_addr) {
		real_name = maps_get(&m->mm_names, addr);
		real_addr = maps_get(&m->mm_addrs, addr);
	}
	r = format_email(real_name ? real_name : name, real_addr ? real_addr : addr);
	free(name);
	free(addr);
	free(email);
	return r;
}

/* The <...> groups of a .mailmap line. */
struct group {
	const char *lt, *gt;
};

static bool blank(const char *s, const char *e)
{
	for (; s < e; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

static void mailmap_line(struct kx_maintainers *m, const char *s)
{
	struct group g[64];
	size_t nr = 0, n = strlen(s);
	const char *p = s;
	char *real_name, *real_addr, *wrong_name, *wrong_addr, *t, *key;

	if (!n || s[n - 1] != '>')
		return;
	while (nr < ARRAY_SIZE(g) && (p = strchr(p, '<'))) {
		const char *gt = strchr(p, '>');

		if (!gt)
			break;
		/* [^>]+ holds a '<' of the line: the last one before '>' opens */
		while (strchr(p + 1, '<') && strchr(p + 1, '<') < gt)
			p = strchr(p + 1, '<');
		if (gt == p + 1)
			return;
		g[nr].lt = p;
		g[nr++].gt = gt;
		p = gt + 1;
	}
	if (!nr || g[nr - 1].gt != s + n - 1)
		return;
	if (nr == 1) {
		/* name1 <mail1> */
		if (g[0].lt == s)
			return;
		t = kx_xasprintf("%.*s <%.*s>", (int)(g[0].lt - s), s,
				 (int)(g[0].gt - g[0].lt - 1), g[0].lt + 1);
		parse_email(&real_name, &real_addr, t);
		maps_set(&m->mm_names, real_addr, real_name);
		goto done1;
	}
	if (g[nr - 2].lt == s && blank(g[nr - 2].gt + 1, g[nr - 1].lt)) {
		/* <mail1> <mail2> */
		real_addr = kx_xstrndup(g[0].lt + 1, (size_t)(g[0].gt - g[0].lt - 1));
		wrong_addr = kx_xstrndup(g[1].lt + 1, (size_t)(g[1].gt - g[1].lt - 1));
		maps_set(&m->mm_addrs, wrong_addr, real_addr);
		free(real_addr);
		free(wrong_addr);
		return;
	}
	if (g[nr - 2].lt == s)
		return;
	t = kx_xasprintf("%.*s <%.*s>", (int)(g[nr - 2].lt - s), s,
			 (int)(g[nr - 2].gt - g[nr - 2].lt - 1), g[nr - 2].lt + 1);
	parse_email(&real_name, &real_addr, t);
	free(t);
	wrong_addr = kx_xstrndup(g[nr - 1].lt + 1,
				 (size_t)(g[nr - 1].gt - g[nr - 1].lt - 1));
	if (blank(g[nr - 2].gt + 1, g[nr - 1].lt)) {
		/* name1 <mail1> <mail2> */
		maps_set(&m->mm_names, wrong_addr, real_name);
		maps_set(&m->mm_addrs, wrong_addr, real_addr);
	} else {
		/* name1 <mail1> name2 <mail2> */
		char *wn, *wa;

		wrong_name = trim(g[nr - 2].gt + 1, (size_t)(g[nr - 1].lt - g[nr - 2].gt - 1));
		t = kx_xasprintf("%s <%s>", wrong_name, wrong_addr);
		parse_email(&wn, &wa, t);
		free(t);
		key = format_email(wn, wa);
		maps_set(&m->mm_names, key, real_name);
		maps_set(&m->mm_addrs, key, real_addr);
		free(key);
		free(wn);
		free(wa);
		free(wrong_name);
	}
	free(wrong_addr);
	t = NULL;
done1:
	free(t);
	free(real_name);
	free(real_addr);
}

void kx_maintainers_set_mailmap(struct kx_maintainers *m, const char *text)
{
	const char *p = text;

	maps_release(&m->mm_names);
	maps_release(&m->mm_addrs);
	while (p && *p) {
		size_t n = strcspn(p, "\n");
		char *line = kx_xstrndup(p, n), *hash = strchr(line, '#'), *t;

		if (hash)
			*hash = '\0';
		t = trim(line, strlen(line));
		if (*t)
			mailmap_line(m, t);
		free(t);
		free(line);
		p += n + (p[n] == '\n');
	}
}

static bool regex_meta(char c)
{
	switch (c) {
	case '.': case '[': case ']': case '(': case ')': case '|': case '*':
	case '+': case '?': case '{': case '}': case '^': case '$': case '\\':
		return true;
	default:
		return false;
	}
}

/*
 * n bytes from m's arena: some 20,000 F: lines of a kernel MAINTAINERS,
 * each with its regex and literal start, parsed on every send, were
 * 40,000 malloc()s and free()s, a third of the parse.
 */
static char *arena_alloc(struct kx_maintainers *m, size_t n)
{
	struct arena_block *b = m->arena;
	char *p;

	if (!b || b->size - b->used < n) {
		size_t size = n > 65536 ? n : 65536;

		b = kx_xmalloc(sizeof(*b) + size);
		b->next = m->arena;
		b->used = 0;
		b->size = size;
		m->arena = b;
	}
	p = b->data + b->used;
	b->used += n;
	return p;
}

static char *arena_strndup(struct kx_maintainers *m, const char *s, size_t n)
{
	char *p = arena_alloc(m, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* The literal start of a regex: its text up to the first metacharacter. */
static void literal_start(struct kx_maintainers *m, struct tv *t)
{
	const char *p = t->value;
	char *lit = arena_alloc(m, strlen(p) + 1), *q = lit;

	t->literal = true;
	for (; *p; p++) {
		if (*p == '\\' && p[1] && !isalnum((unsigned char)p[1])) {
			*q++ = *++p;
			continue;
		}
		if (regex_meta(*p)) {
			t->literal = false;
			break;
		}
		*q++ = *p;
	}
	*q = '\0';
	t->lit = lit;
}

static bool typed(const struct kx_maintainers *m, size_t i)
{
	return m->tv[i].type != 0;
}

static size_t find_starting_index(const struct kx_maintainers *m, size_t i)
{
	while (i > 0 && typed(m, i))
		i--;
	return i;
}

static size_t find_ending_index(const struct kx_maintainers *m, size_t i)
{
	while (i < m->nr && typed(m, i))
		i++;
	return i;
}

static void add_tv(struct kx_maintainers *m, char type, const char *value,
		   size_t n)
{
	struct tv *t;
	char *q;
	size_t i, extra;

	kx_grow((void **)&m->tv, &m->alloc, m->nr, sizeof(*m->tv));
	t = &m->tv[m->nr++];
	memset(t, 0, sizeof(*t));
	t->type = type;
	t->dir = -1;
	if (type != 'F' && type != 'X') {
		t->value = arena_strndup(m, value, n);
		return;
	}
	/* s@\.@\\\.@g; s/\*\/\.\*\/g; s/\?/\./g: two bytes for '.' and '*' */
	for (i = extra = 0; i < n; i++)
		extra += value[i] == '.' || value[i] == '*';
	q = t->value = arena_alloc(m, n + extra + 1);
	for (i = 0; i < n; i++) {
		if (value[i] == '.') {
			*q++ = '\\';
			*q++ = '.';
		} else if (value[i] == '*') {
			*q++ = '.';
			*q++ = '*';
		} else if (value[i] == '?') {
			*q++ = '.';
		} else {
			*q++ = value[i];
		}
	}
	*q = '\0';
	literal_start(m, t);
}

void kx_maintainers_parse(struct kx_maintainers **out, const char *text,
			  size_t n, const struct kx_maint_tree *tree)
{
	struct kx_maintainers *m = kx_xcalloc(1, sizeof(*m));
	const char *p = text, *end = text + n;
	size_t tvi;

	if (tree)
		m->tree = *tree;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *v;

		/* ^([A-Z]):\s*(.*) */
		if (len >= 2 && p[0] >= 'A' && p[0] <= 'Z' && p[1] == ':') {
			v = p + 2;
			while (v < p + len && isspace((unsigned char)*v))
				v++;
			add_tv(m, p[0], v, (size_t)(p + len - v));
			if (p[0] == 'K') {
				kx_grow((void **)&m->keywords, &m->keywords_alloc,
					m->keywords_nr, sizeof(*m->keywords));
				m->keywords[m->keywords_nr++] = m->nr - 1;
			}
		} else {
			/* !(/^\s*$/ || /^\s*\#/): a section's title, or text */
			v = p;
			while (v < p + len && isspace((unsigned char)*v))
				v++;
			if (v < p + len && *v != '#')
				add_tv(m, 0, p, len);
		}
		p += len + 1;
	}
	/* the section walk of get_maintainers(), made once */
	for (tvi = 0; tvi < m->nr && !typed(m, tvi); tvi++)
		;
	while (tvi < m->nr) {
		struct section *s;

		kx_grow((void **)&m->sections, &m->sections_alloc, m->sections_nr,
			sizeof(*m->sections));
		s = &m->sections[m->sections_nr++];
		s->tvi = tvi;
		s->start = find_starting_index(m, tvi);
		s->end = find_ending_index(m, tvi);
		tvi = s->end + 1;
	}
	/* format_email("Linus Torvalds", ...) as a regex, as the script has it */
	kx_perlre_compile(&m->chief, "Linus Torvalds <torvalds@linux-foundation.org>", 0);
	*out = m;
}

const struct kx_strlist *kx_maintainers_warnings(const struct kx_maintainers *m)
{
	return &m->warnings;
}

void kx_maintainers_free(struct kx_maintainers *m)
{
	size_t i;

	if (!m)
		return;
	while (m->arena) {
		struct arena_block *b = m->arena;

		m->arena = b->next;
		free(b);
	}
	for (i = 0; i < m->nr; i++) {
		kx_perlre_free(m->tv[i].re);
		kx_perlre_free(m->tv[i].kw[0]);
		kx_perlre_free(m->tv[i].kw[1]);
	}
	free(m->tv);
	free(m->sections);
	free(m->keywords);
	maps_release(&m->mm_names);
	maps_release(&m->mm_addrs);
	kx_perlre_free(m->chief);
	kx_strlist_release(&m->warnings);
	free(m);
}

static struct kx_perlre *compile_or_warn(struct kx_maintainers *m,
					 const char *pattern, unsigned flags,
					 char type)
{
	struct kx_perlre *re = NULL;

	if (kx_perlre_compile(&re, pattern, flags) < 0) {
		kx_strlist_addf(&m->warnings, "MAINTAINERS %c: %s: it matches nothing here",
				type, kx_error_last());
		kx_error_clear();
	}
	return re;
}

/* $file =~ m@^$value@ for F: and X: values */
static bool starts_like(struct kx_maintainers *m, struct tv *t, const char *file)
{
	if (strncmp(file, t->lit, strlen(t->lit)))
		return false;
	if (t->literal)
		return true;
	if (!t->re_done) {
		char *pattern = kx_xasprintf("^%s", t->value);

		t->re = compile_or_warn(m, pattern, 0, t->type);
		t->re_done = true;
		free(pattern);
	}
	return t->re && kx_perlre_match(t->re, file, strlen(file));
}

static size_t slashes(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '/';
	return n;
}

/* file_match_pattern(), with -d $value answered when it first matters */
static bool file_match_pattern(struct kx_maintainers *m, struct tv *t,
			       const char *file)
{
	if (!starts_like(m, t, file))
		return false;
	if (t->dir < 0) {
		size_t n = strlen(t->value);

		t->dir = n && t->value[n - 1] != '/' && m->tree.is_dir &&
			 m->tree.is_dir(m->tree.data, t->value);
		if (t->dir) {
			char *v = arena_alloc(m, n + 2);

			memcpy(v, t->value, n);
			memcpy(v + n, "/", 2);
			t->value = v;
			literal_start(m, t);
			kx_perlre_free(t->re);
			t->re = NULL;
			t->re_done = false;
			if (!starts_like(m, t, file))
				return false;
		}
	}
	if (t->value[0] && t->value[strlen(t->value) - 1] == '/')
		return true;
	return slashes(file) == slashes(t->value);
}

static bool n_match(struct kx_maintainers *m, struct tv *t, const char *file)
{
	if (!t->re_done) {
		t->re = compile_or_warn(m, t->value, KX_RE_X, 'N');
		t->re_done = true;
	}
	return t->re && kx_perlre_match(t->re, file, strlen(file));
}

/* $text =~ m/${patch_prefix}$keyword/x */
/*
 * Whether "^[+-].*" VALUE (the /x pattern the script builds for a diff
 * line) is VALUE searched after the line's first byte, a '+' or '-': true
 * unless VALUE has a '^' of its own, a '|' (Perl reads "^[+-].*a|b" as
 * (^[+-].*a)|b) or begins with what would bind to the ".*".  \b at that
 * start sees a non-word byte before it either way.
 */
static bool after_sign(const char *value)
{
	const char *v = value + strspn(value, " \t\r\n\f\v");

	return !strpbrk(value, "^|") && !strchr("*+?{", *v);
}

static bool k_match(struct kx_maintainers *m, struct tv *t, bool in_diff,
		    const char *text, size_t n)
{
	/* the line's sign, then the plain pattern: no ".*" thread to run */
	if (in_diff && after_sign(t->value)) {
		if (!n || (text[0] != '+' && text[0] != '-'))
			return false;
		in_diff = false;
		text++;
		n--;
	}
	if (!t->kw_done[in_diff]) {
		char *pattern = kx_xasprintf("%s%s", in_diff ? "^[+-].*" : "",
					     t->value);

		t->kw[in_diff] = compile_or_warn(m, pattern, KX_RE_X, 'K');
		t->kw_done[in_diff] = true;
		free(pattern);
	}
	return t->kw[in_diff] && kx_perlre_match(t->kw[in_diff], text, n);
}

static char *subsystem_name(const struct kx_maintainers *m, size_t i)
{
	const char *title = m->tv[find_starting_index(m, i)].value;
	size_t n = strlen(title);

	if (n <= 50)
		return kx_xstrdup(title);
	n = kx_utf8_cut(title, 47);
	while (n && isspace((unsigned char)title[n - 1]))
		n--;
	return kx_xasprintf("%.*s...", (int)n, title);
}

static char *maintainer_role(const struct kx_maintainers *m, size_t i)
{
	static const struct {
		const char *status, *role;
	} roles[] = {
		{ "supported", "supporter" },
		{ "maintained", "maintainer" },
		{ "odd fixes", "odd fixer" },
		{ "orphan", "orphan minder" },
		{ "obsolete", "obsolete minder" },
		{ "buried alive in reporters", "chief penguin" },
	};
	size_t start = find_starting_index(m, i), end = find_ending_index(m, i), k;
	const char *status = "unknown";
	char *role, *sub, *r;

	for (k = start + 1; k < end; k++)
		if (m->tv[k].type == 'S')
			status = m->tv[k].value;
	role = lower(status);
	for (k = 0; k < ARRAY_SIZE(roles); k++)
		if (!strcmp(role, roles[k].status)) {
			free(role);
			role = kx_xstrdup(roles[k].role);
			break;
		}
	sub = subsystem_name(m, i);
	r = kx_xasprintf("%s:%s", role, sub);
	free(role);
	free(sub);
	return r;
}

static void entries_add(struct entries *e, char *text, char *role, bool list)
{
	kx_grow((void **)&e->items, &e->alloc, e->nr, sizeof(*e->items));
	e->items[e->nr].text = text;
	e->items[e->nr].role = role;
	e->items[e->nr].dropped = false;
	e->items[e->nr++].list = list;
}

static void entries_release(struct entries *e)
{
	size_t i;

	for (i = 0; i < e->nr; i++) {
		free(e->items[i].text);
		free(e->items[i].role);
	}
	free(e->items);
	memset(e, 0, sizeof(*e));
}

static void push_email_address(struct run *r, const char *line, const char *role)
{
	char *name, *addr, *ln = NULL, *la = NULL;

	parse_email(&name, &addr, line);
	if (!*addr)
		goto done;
	ln = lower(name);
	la = lower(addr);
	/* email_inuse() */
	if ((*name && maps_get(&r->hash_name, ln)) || maps_get(&r->hash_addr, la))
		goto done;
	entries_add(&r->email_to, format_email(name, addr), kx_xstrdup(role), false);
	if (*name)
		maps_set(&r->hash_name, ln, "");
	maps_set(&r->hash_addr, la, "");
done:
	free(ln);
	free(la);
	free(name);
	free(addr);
}

/*
 * Several addresses in one M:/R: value, as rfc822_validlist() splits
 * them: only when every piece is an address ("Pan, Xinhui <x@amd.com>" is
 * one, with a comma in its name, as the script reads it).
 */
static void push_email_addresses(struct run *r, const char *value, const char *role)
{
	struct kx_strlist pieces = KX_STRLIST_INIT;
	const char *p = value, *start = value;
	bool quoted = false, all = true;
	int angle = 0;
	size_t i;

	for (;; p++) {
		if (*p == '"' && (p == value || p[-1] != '\\'))
			quoted = !quoted;
		else if (!quoted && *p == '<')
			angle++;
		else if (!quoted && *p == '>' && angle)
			angle--;
		if (!*p || (*p == ',' && !quoted && !angle)) {
			char *one = trim(start, (size_t)(p - start));

			if (*one) {
				all = all && strchr(one, '@');
				kx_strlist_add(&pieces, one);
			}
			free(one);
			if (!*p)
				break;
			start = p + 1;
		}
	}
	if (all)
		for (i = 0; i < pieces.nr; i++)
			push_email_address(r, pieces.items[i], role);
	else
		push_email_address(r, value, role);
	kx_strlist_release(&pieces);
}

static void add_categories(struct run *r, size_t index)
{
	struct kx_maintainers *m = r->m;
	size_t start = find_starting_index(m, index), end = find_ending_index(m, index);
	size_t i;

	for (i = start + 1; i < end; i++) {
		const struct tv *t = &m->tv[i];
		char *role, *sub;

		if (t->type == 'L') {
			size_t n = strcspn(t->value, " \t\r\f\v");
			char *addr = kx_xstrndup(t->value, n), *la = lower(addr);
			const char *more = t->value + n + strspn(t->value + n, " \t\r\f\v");

			sub = subsystem_name(m, i);
			if (!strcmp(sub, "THE REST"))
				sub[0] = '\0';
			/* subscribers-only lists are left out (no --s) */
			if (!strstr(more, "subscribers-only") &&
			    !maps_get(&r->list_hash, la)) {
				maps_set(&r->list_hash, la, "");
				role = kx_xasprintf("%s list%s%s",
						    strstr(more, "moderated") ?
						    "moderated" : "open",
						    *sub ? ":" : "", sub);
				entries_add(&r->list_to, addr, role, true);
				addr = NULL;
			}
			free(sub);
			free(addr);
			free(la);
		} else if (t->type == 'M') {
			role = maintainer_role(m, i);
			push_email_addresses(r, t->value, role);
			free(role);
		} else if (t->type == 'R') {
			sub = subsystem_name(m, i);
			role = kx_xasprintf("reviewer:%s", sub);
			push_email_addresses(r, t->value, role);
			free(role);
			free(sub);
		}
	}
}

/* The script's character classes, over bytes as it reads them. */
static bool ascii_alpha(unsigned char c)
{
	return c < 0x80 && isalpha(c);
}

static bool ascii_alnum(unsigned char c)
{
	return c < 0x80 && isalnum(c);
}

/* [A-Za-zÀ-ÿ\"\' \,\.\+-]: the UTF-8 bytes of À-ÿ make it \x80-\xC3 */
static bool name_byte(unsigned char c)
{
	return ascii_alpha(c) || (c >= 0x80 && c <= 0xc3) ||
	       (c && strchr("\"' ,.+-", c));
}

/* [A-Za-z0-9_\.\+-] */
static bool local_byte(unsigned char c)
{
	return ascii_alnum(c) || (c && strchr("_.+-", c));
}

/* [A-Za-z0-9\.-] */
static bool domain_byte(unsigned char c)
{
	return ascii_alnum(c) || c == '.' || c == '-';
}

static bool perl_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * The matches of maintainers_in_file()'s regex, each
 *   [name chars]* \s* ,* \s* [(<{]? [local]+ @ [domain]+ \. [alnum]+ [)>}]?
 * as Perl's m//g finds them: leftmost, one '@' each.
 */
static void find_file_emails(struct kx_strlist *out, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = strlen(text), pos = 0;

	while (pos < n) {
		const unsigned char *at = memchr(s + pos, '@', n - pos);
		size_t a, e, k, end, lr, f, best = SIZE_MAX;
		bool found = false;

		if (!at)
			break;
		a = (size_t)(at - s);
		/* after the '@': the longest [domain]+ that a '.' and alnum end */
		for (e = a + 1; e < n && domain_byte(s[e]); e++)
			;
		for (k = e; k > a + 2 && !found;) {
			k--;
			found = s[k] == '.' && k + 1 < n && ascii_alnum(s[k + 1]);
		}
		if (!found || a == pos || !local_byte(s[a - 1])) {
			pos = a + 1;
			continue;
		}
		for (end = k + 1; end < n && ascii_alnum(s[end]); end++)
			;
		if (end < n && strchr(")>}", s[end]))
			end++;
		/* before it: the leftmost start with a split that works */
		for (lr = a; lr > pos && local_byte(s[lr - 1]); lr--)
			;
		for (f = lr; f < a; f++) {
			size_t fe = f, kk, z;

			/* [(<{]? is the byte before [local]+, when it is one */
			if (fe > pos && strchr("(<{", s[fe - 1]))
				fe--;
			/* \s* ,* \s* from the end, as far as it goes */
			kk = fe;
			while (kk > pos && perl_space(s[kk - 1]))
				kk--;
			while (kk > pos && s[kk - 1] == ',')
				kk--;
			while (kk > pos && perl_space(s[kk - 1]))
				kk--;
			/* what is before must be name chars: after the last other */
			for (z = kk; z > pos && name_byte(s[z - 1]); z--)
				;
			if (z < best)
				best = z;
		}
		if (best == SIZE_MAX) {
			pos = a + 1;
			continue;
		}
		kx_strlist_addf(out, "%.*s", (int)(end - best), text + best);
		pos = end;
	}
}

/* Perl's split(/[^A-Za-zÀ-ÿ\'\,\.\+-]/, $name), trailing empty fields dropped. */
static void split_name(struct kx_strlist *out, const char *name)
{
	const char *p = name, *start = name;

	for (;; p++) {
		unsigned char c = (unsigned char)*p;

		if (!c || !(ascii_alpha(c) || (c >= 0x80 && c <= 0xc3) ||
			    strchr("',.+-", c))) {
			kx_strlist_addf(out, "%.*s", (int)(p - start), start);
			if (!c)
				break;
			start = p + 1;
		}
	}
	while (out->nr && !*out->items[out->nr - 1])
		free(out->items[--out->nr]);
}

/* clean_file_emails() for one match */
static char *clean_file_email(const char *match)
{
	const char *at = strchr(match, '@'), *rs, *de, *start;
	struct kx_strlist nw = KX_STRLIST_INIT;
	char *email, *name, *addr, *r;
	size_t n;

	/* s/[\(\<\{]{0,1}([local]+\@[domain]+)[\)\>\}]{0,1}/\<$1\>/ */
	for (rs = at; rs > match && local_byte((unsigned char)rs[-1]); rs--)
		;
	start = rs > match && strchr("(<{", rs[-1]) ? rs - 1 : rs;
	for (de = at + 1; domain_byte((unsigned char)*de); de++)
		;
	email = kx_xasprintf("%.*s<%.*s>%s", (int)(start - match), match,
			     (int)(de - rs), rs,
			     *de && strchr(")>}", *de) ? de + 1 : de);
	parse_email(&name, &addr, email);
	free(email);
	if (!strcmp(name, "\"[,\\.]\""))
		name[0] = '\0';
	split_name(&nw, name);
	if (nw.nr > 2) {
		const char *first = nw.items[nw.nr - 3], *middle = nw.items[nw.nr - 2];
		const char *last = nw.items[nw.nr - 1];
		size_t fl = strlen(first), ml = strlen(middle);

		free(name);
		if ((fl == 1 && ascii_alpha((unsigned char)first[0])) ||
		    (fl == 2 && first[1] == '.') || ml == 1 ||
		    (ml == 2 && middle[1] == '.'))
			name = kx_xasprintf("%s %s %s", first, middle, last);
		else
			name = kx_xasprintf("%s %s", middle, last);
	}
	kx_strlist_release(&nw);
	n = strlen(name);
	if (n && strchr(",.", name[n - 1]))
		name[--n] = '\0';
	else if (n >= 2 && strchr(",.", name[n - 2]) && name[n - 1] == '"')
		name[n - 2] = '"', name[--n] = '\0';
	if (n && strchr(",.", name[0]))
		memmove(name, name + 1, n--);
	else if (n >= 2 && name[0] == '"' && strchr(",.", name[1]))
		memmove(name + 1, name + 2, n-- - 1);
	r = format_email(name, addr);
	free(name);
	free(addr);
	return r;
}

/* maintainers_in_file(): the addresses a .yaml file of the tree holds */
static void maintainers_in_file(struct run *r, const char *file)
{
	struct kx_maintainers *m = r->m;
	struct kx_strlist found = KX_STRLIST_INIT;
	size_t n = strlen(file), i, k;
	char *text;

	/* $file =~ m@\bMAINTAINERS$@ */
	if (n >= 11 && !strcmp(file + n - 11, "MAINTAINERS") &&
	    (n == 11 || (!isalnum((unsigned char)file[n - 12]) &&
			 file[n - 12] != '_')))
		return;
	if (n < 5 || strcmp(file + n - 5, ".yaml") || !m->tree.read ||
	    !(text = m->tree.read(m->tree.data, file)))
		return;
	find_file_emails(&found, text);
	free(text);
	for (i = 0; i < found.nr; i++) {
		char *e = clean_file_email(found.items[i]);

		/* @file_emails = uniq(@file_emails) */
		for (k = 0; k < r->file_emails.nr && strcmp(r->file_emails.items[k], e); k++)
			;
		if (k == r->file_emails.nr)
			kx_strlist_add(&r->file_emails, e);
		free(e);
	}
	kx_strlist_release(&found);
}

struct depth {
	size_t tvi;
	long depth;
};

static int depth_cmp(const void *a, const void *b)
{
	const struct depth *x = a, *y = b;

	/* deepest first; Perl leaves ties in hash order, here file order */
	if (x->depth != y->depth)
		return x->depth > y->depth ? -1 : 1;
	return x->tvi < y->tvi ? -1 : x->tvi > y->tvi;
}

static void sections_of_file(struct run *r, const char *file)
{
	struct kx_maintainers *m = r->m;
	struct depth *hash = NULL;
	size_t nr = 0, alloc = 0, s, i, k;

	for (s = 0; s < m->sections_nr; s++) {
		const struct section *sec = &m->sections[s];
		bool exclude = false, found = false;
		long depth = 0;

		for (i = sec->start; i < sec->end && !exclude; i++)
			if (m->tv[i].type == 'X' &&
			    file_match_pattern(m, &m->tv[i], file))
				exclude = true;
		if (exclude)
			continue;
		for (i = sec->start; i < sec->end; i++) {
			struct tv *t = &m->tv[i];

			if (t->type == 'F' && file_match_pattern(m, t, file)) {
				long pd = (long)slashes(t->value);
				size_t n = strlen(t->value);

				/* Perl's substr($value, -1) of "" is "", not '/' */
				if (!n || t->value[n - 1] != '/')
					pd++;
				if (!strncmp(t->value, ".*", 2))
					pd = -1;
				depth = pd;
				found = true;
			} else if (t->type == 'N' && n_match(m, t, file)) {
				depth = 0;
				found = true;
			}
		}
		if (!found)
			continue;
		for (k = 0; k < nr && hash[k].tvi != sec->tvi; k++)
			;
		if (k == nr) {
			kx_grow((void **)&hash, &alloc, nr, sizeof(*hash));
			hash[nr++].tvi = sec->tvi;
		}
		hash[k].depth = depth;
	}
	if (nr)
		qsort(hash, nr, sizeof(*hash), depth_cmp);
	for (k = 0; k < nr; k++)
		add_categories(r, hash[k].tvi);
	free(hash);
	maintainers_in_file(r, file);
}

static char *deduplicate_email(struct run *r, const char *email)
{
	char *name, *addr, *e, *e2, *ln, *la;
	const char *known = NULL;

	parse_email(&name, &addr, email);
	e = format_email(name, addr);
	e2 = mailmap_email(r->m, e);
	free(e);
	free(name);
	free(addr);
	parse_email(&name, &addr, e2);
	free(e2);
	ln = lower(name);
	la = lower(addr);
	if (*name)
		known = maps_get(&r->dedup_name, ln);
	if (!known)
		known = maps_get(&r->dedup_addr, la);
	if (known) {
		free(name);
		free(addr);
		parse_email(&name, &addr, known);
	} else {
		e = format_email(name, addr);
		maps_set(&r->dedup_name, ln, e);
		maps_set(&r->dedup_addr, la, e);
		free(e);
	}
	e = format_email(name, addr);
	e2 = mailmap_email(r->m, e);
	free(e);
	free(name);
	free(addr);
	free(ln);
	free(la);
	return e2;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* get_maintainers() over files and the K: lines found, then the output. */
static void get_maintainers(struct kx_maint_hits *out, struct kx_maintainers *m,
			    const char *const *files, size_t files_nr,
			    const size_t *kw, size_t kw_nr)
{
	struct run r;
	struct kx_strlist keys = KX_STRLIST_INIT, seen = KX_STRLIST_INIT;
	size_t i, k;

	memset(&r, 0, sizeof(r));
	r.m = m;
	for (i = 0; i < files_nr; i++)
		sections_of_file(&r, files[i]);
	/* sort_and_uniq(@keyword_tvi): the indices sorted as strings */
	for (i = 0; i < kw_nr; i++)
		kx_strlist_addf(&keys, "%zu", kw[i]);
	if (keys.nr)
		qsort(keys.items, keys.nr, sizeof(*keys.items), cmp_str);
	for (i = 0; i < keys.nr; i++)
		if (!i || strcmp(keys.items[i], keys.items[i - 1]))
			add_categories(&r, (size_t)strtoul(keys.items[i], NULL, 10));
	for (i = 0; i < r.email_to.nr + r.list_to.nr; i++) {
		struct entry *e = i < r.email_to.nr ? &r.email_to.items[i] :
				  &r.list_to.items[i - r.email_to.nr];
		char *d = deduplicate_email(&r, e->text);

		free(e->text);
		e->text = d;
	}
	/* @email_to = grep($_->[0] !~ /${email_address}/, @email_to) */
	for (i = 0; i < r.email_to.nr; i++)
		r.email_to.items[i].dropped = m->chief &&
			kx_perlre_match(m->chief, r.email_to.items[i].text,
					strlen(r.email_to.items[i].text));
	/* then what .yaml files hold, through the .mailmap */
	for (i = 0; i < r.file_emails.nr; i++) {
		char *e = mailmap_email(m, r.file_emails.items[i]), *name, *addr, *t;

		parse_email(&name, &addr, e);
		t = format_email(name, addr);
		push_email_address(&r, t, "in file");
		free(t);
		free(name);
		free(addr);
		free(e);
	}
	for (i = 0; i < r.email_to.nr + r.list_to.nr; i++) {
		struct entry *e = i < r.email_to.nr ? &r.email_to.items[i] :
				  &r.list_to.items[i - r.email_to.nr];
		struct kx_maint_hit *h;

		if (e->dropped)
			continue;
		/* merge_email(): each printed line once */
		for (k = 0; k < seen.nr && strcmp(seen.items[k], e->text); k++)
			;
		if (k < seen.nr)
			continue;
		kx_strlist_add(&seen, e->text);
		kx_grow((void **)&out->items, &out->alloc, out->nr, sizeof(*out->items));
		h = &out->items[out->nr++];
		h->text = kx_xstrdup(e->text);
		parse_email(&h->name, &h->addr, e->text);
		/* the name unquoted, for a header */
		if (h->name[0] == '"') {
			char *u = kx_xstrndup(h->name + 1, strlen(h->name) - 2), *p, *q;

			for (p = q = u; *p; p++) {
				if (*p == '\\' && p[1] == '"')
					p++;
				*q++ = *p;
			}
			*q = '\0';
			free(h->name);
			h->name = u;
		}
		h->list = e->list;
		h->role = kx_xstrdup(e->role);
	}
	kx_strlist_release(&keys);
	kx_strlist_release(&seen);
	entries_release(&r.email_to);
	entries_release(&r.list_to);
	maps_release(&r.hash_name);
	maps_release(&r.hash_addr);
	maps_release(&r.list_hash);
	maps_release(&r.dedup_name);
	maps_release(&r.dedup_addr);
	kx_strlist_release(&r.file_emails);
}

/* The \S+ that starts at s, or NULL. */
static char *word_at(const char *s)
{
	size_t len = strcspn(s, " \t\r\n\f\v");

	return len ? kx_xstrndup(s, len) : NULL;
}

/* The len bytes at line match "<prefix>(\S+)\s*$": the word, else NULL. */
static char *only_word_after(const char *line, size_t len, const char *prefix)
{
	size_t pn = strlen(prefix), w;
	const char *p;

	if (len <= pn || strncmp(line, prefix, pn))
		return NULL;
	p = line + pn;
	w = strcspn(p, " \t\r\n\f\v");
	if (!w || p + w > line + len || !blank(p + w, line + len))
		return NULL;
	return kx_xstrndup(p, w);
}

/* Skips [0-7]+ (or [0-9]+) at *q before e; false if there is none. */
static bool digits(const char **q, const char *e, char max)
{
	const char *s = *q;

	while (*q < e && **q >= '0' && **q <= max)
		(*q)++;
	return *q > s;
}

/* ^ mode change [0-7]+ => [0-7]+ (\S+)\s*$ */
static char *mode_change_file(const char *p, size_t len)
{
	const char *e = p + len, *q = p + 13;

	if (len < 13 || strncmp(p, " mode change ", 13) || !digits(&q, e, '7') ||
	    e - q < 4 || strncmp(q, " => ", 4))
		return NULL;
	q += 4;
	if (!digits(&q, e, '7') || q >= e || *q != ' ')
		return NULL;
	q++;
	return only_word_after(q, (size_t)(e - q), "");
}

/* ^diff --git a\/(\S+) b\/(\S+)\s*$ */
static bool diff_git_files(char **a, char **b, const char *p, size_t len)
{
	*a = *b = NULL;
	if (len < 13 || strncmp(p, "diff --git a/", 13) || !(*a = word_at(p + 13)))
		return false;
	if (13 + strlen(*a) + 3 < len && !strncmp(p + 13 + strlen(*a), " b/", 3) &&
	    (*b = only_word_after(p + 13 + strlen(*a) + 3,
				  len - 13 - strlen(*a) - 3, "")))
		return true;
	free(*a);
	*a = NULL;
	return false;
}

/* ^Fixes:\s+([0-9a-fA-F]{6,40}) */
static bool fixes_line(const char *p, size_t len)
{
	const char *e = p + len, *q = p + 6;
	size_t n = 0;

	if (len < 7 || strncmp(p, "Fixes:", 6) || !isspace((unsigned char)*q))
		return false;
	while (q < e && isspace((unsigned char)*q))
		q++;
	while (q < e && isxdigit((unsigned char)*q))
		q++, n++;
	return n >= 6;
}

/* ^\@\@ -(\d+),(\d+) */
static bool hunk_line(const char *p, size_t len)
{
	const char *e = p + len, *q = p + 4;

	return len > 4 && !strncmp(p, "@@ -", 4) && digits(&q, e, '9') &&
	       q < e && *q == ',' && (q++, digits(&q, e, '9'));
}

static void add_keywords(struct kx_maintainers *m, size_t **kw, size_t *nr,
			 size_t *alloc, bool in_diff, const char *text, size_t n)
{
	size_t i;

	for (i = 0; i < m->keywords_nr; i++)
		if (k_match(m, &m->tv[m->keywords[i]], in_diff, text, n)) {
			kx_grow((void **)kw, alloc, *nr, sizeof(**kw));
			(*kw)[(*nr)++] = m->keywords[i];
		}
}

void kx_maintainers_for_patch(struct kx_maint_hits *out, struct kx_maintainers *m,
			      const char *patch)
{
	struct kx_strlist files = KX_STRLIST_INIT;
	size_t *kw = NULL, kw_nr = 0, kw_alloc = 0, i, k;
	bool in_diff = false;
	const char *p = patch;
	const char **uniq;

	while (*p) {
		size_t len = strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n');
		/* each line on its own, its newline kept, as Perl's $_ */
		char *line = kx_xstrndup(p, len), *a = NULL, *b = NULL;

		/* the script's if/elsif chain, line by line */
		if ((a = mode_change_file(line, len)) ||
		    (a = only_word_after(line, len, "rename from ")) ||
		    (a = only_word_after(line, len, "rename to "))) {
			kx_strlist_add(&files, a);
		} else if (diff_git_files(&a, &b, line, len)) {
			kx_strlist_add(&files, a);
			kx_strlist_add(&files, b);
		} else if (fixes_line(line, len)) {
			/* --nofixes: the line is taken, nothing else */
		} else if ((!strncmp(line, "+++", 3) || !strncmp(line, "---", 3)) &&
			   isspace((unsigned char)line[3]) &&
			   (b = word_at(line + 3 + strspn(line + 3, " \t\r\n\f\v")))) {
			char *slash = strchr(b, '/');

			kx_strlist_add(&files, slash ? slash + 1 : b);
			in_diff = true;
		} else if (hunk_line(line, len)) {
			/* --git-blame's line ranges: nothing here */
		} else {
			add_keywords(m, &kw, &kw_nr, &kw_alloc, in_diff, line, len);
		}
		free(a);
		free(b);
		free(line);
		p += len;
	}
	/* sort_and_uniq(@files) */
	uniq = kx_xcalloc(files.nr + 1, sizeof(*uniq));
	if (files.nr)
		qsort(files.items, files.nr, sizeof(*files.items), cmp_str);
	for (i = k = 0; i < files.nr; i++)
		if (!i || strcmp(files.items[i], files.items[i - 1]))
			uniq[k++] = files.items[i];
	get_maintainers(out, m, uniq, k, kw, kw_nr);
	free(uniq);
	free(kw);
	kx_strlist_release(&files);
}

void kx_maintainers_for_files(struct kx_maint_hits *out, struct kx_maintainers *m,
			      const char *const *files, size_t nr)
{
	size_t *kw = NULL, kw_nr = 0, kw_alloc = 0, i;

	for (i = 0; i < nr; i++) {
		char *text;

		if (!strcmp(files[i], "MAINTAINERS") || !m->tree.read ||
		    !(text = m->tree.read(m->tree.data, files[i])))
			continue;
		add_keywords(m, &kw, &kw_nr, &kw_alloc, false, text, strlen(text));
		free(text);
	}
	get_maintainers(out, m, files, nr, kw, kw_nr);
	free(kw);
}

void kx_maint_hits_release(struct kx_maint_hits *h)
{
	size_t i;

	for (i = 0; i < h->nr; i++) {
		free(h->items[i].text);
		free(h->items[i].name);
		free(h->items[i].addr);
		free(h->items[i].role);
	}
	free(h->items);
	memset(h, 0, sizeof(*h));
}
