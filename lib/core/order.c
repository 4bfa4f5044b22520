// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which selftest commit depends on which KVM commit, and the bisect-safe
 * order.  Every relation rests on facts a reader can check (the evidence
 * lines); a relation whose evidence is weak is reported as unknown and
 * moves nothing, since a wrong move is worse than none.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/order.h"

#define SELFTESTS "tools/testing/selftests/kvm/"

static bool is_ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static bool is_comment_or_blank(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	return !*line || !strncmp(line, "/*", 2) || *line == '*' ||
	       !strncmp(line, "//", 2) || !strcmp(line, "}") || !strcmp(line, "{");
}

static bool is_kvm_code(const struct kx_patch_file *f)
{
	if (kx_starts_with(f->path, SELFTESTS) ||
	    kx_starts_with(f->path, "Documentation/"))
		return false;
	return f->area == KX_AREA_X86 || f->area == KX_AREA_COMMON ||
	       f->area == KX_AREA_OTHER_ARCH;
}

enum kx_order_class kx_order_class_of(const struct kx_patch *p)
{
	bool test = false, code = false;
	size_t i;

	for (i = 0; i < p->files_nr; i++) {
		if (kx_starts_with(p->files[i].path, SELFTESTS))
			test = true;
		else if (is_kvm_code(&p->files[i]))
			code = true;
	}
	if (code)
		return KX_ORDER_KVM;
	return test ? KX_ORDER_TEST : KX_ORDER_OTHER;
}

/*
 * The name a function definition at the start of line defines, e.g.
 * "static void test_foo(struct kvm_vcpu *vcpu)": its length, *name set.
 */
static size_t defined_function(const char *line, const char **name)
{
	const char *paren = strchr(line, '('), *end, *start;
	size_t len = strlen(line);

	if (!isalpha((unsigned char)*line) || !paren || paren == line ||
	    (len && line[len - 1] == ';') || strchr(line, '=') ||
	    kx_starts_with(line, "TEST_") || kx_starts_with(line, "KVM_"))
		return 0;
	end = paren;
	while (end > line && end[-1] == ' ')
		end--;
	start = end;
	while (start > line && is_ident_char(start[-1]))
		start--;
	if (start == end || start == line)	/* a call, not a definition */
		return 0;
	*name = start;
	return (size_t)(end - start);
}

/* The subject after its prefixes ("KVM: x86/pmu: Fix it" -> "Fix it"). */
static const char *subject_text(const char *subject)
{
	const char *p = subject, *colon;

	while ((colon = strstr(p, ": ")) && !memchr(p, ' ', (size_t)(colon - p)))
		p = colon + 2;
	return p;
}

static bool starts_with_word(const char *s, const char *const *words)
{
	size_t i, n;

	for (i = 0; words[i]; i++) {
		n = strlen(words[i]);
		if (!strncasecmp(s, words[i], n) && !isalpha((unsigned char)s[n]))
			return true;
	}
	return false;
}

enum kx_test_kind kx_order_test_kind(const struct kx_patch *p,
				     const char **what)
{
	static const char *const new_verbs[] = {
		"Add", "Test", "Verify", "Extend", "Cover", "Introduce", NULL,
	};
	static char buf[160];
	size_t i, j, removed = 0;
	const char *created = NULL, *fn = NULL;
	size_t fn_len = 0;
	bool gen_progs = false;

	for (i = 0; i < p->files_nr; i++) {
		const struct kx_patch_file *f = &p->files[i];

		if (!kx_starts_with(f->path, SELFTESTS))
			continue;
		if (f->created && kx_ends_with(f->path, ".c") && !created)
			created = f->path;
		for (j = 0; j < f->added.nr; j++) {
			const char *line = f->added.items[j];

			if (strstr(line, "TEST_GEN_PROGS") && strstr(line, "+="))
				gen_progs = true;
			if (!fn && (fn_len = defined_function(line, &fn)) == 0)
				fn = NULL;
		}
		for (j = 0; j < f->removed.nr; j++)
			removed += !is_comment_or_blank(f->removed.items[j]);
	}
	if (created) {
		snprintf(buf, sizeof(buf), "it creates %s", created);
	} else if (gen_progs) {
		snprintf(buf, sizeof(buf), "it adds a test to TEST_GEN_PROGS");
	} else if (!removed || (fn && starts_with_word(subject_text(p->subject),
						       new_verbs))) {
		if (fn)
			snprintf(buf, sizeof(buf), "it adds %.*s()", (int)fn_len, fn);
		else
			snprintf(buf, sizeof(buf), "it only adds lines to the tests");
	} else {
		snprintf(buf, sizeof(buf), "it changes %zu existing line%s of the tests",
			 removed, removed == 1 ? "" : "s");
		*what = buf;
		return KX_TEST_UPDATE;
	}
	*what = buf;
	return KX_TEST_NEW;
}

/* --- words of a changelog ----------------------------------------------- */

/* Words that say nothing about which bug a changelog is about. */
static const char *const stopwords[] = {
	"about", "after", "again", "allow", "also", "always", "because",
	"been", "before", "being", "both", "case", "cases", "change",
	"changes", "check", "checks", "code", "commit", "could", "currently",
	"does", "doesn", "done", "each", "either", "ensure", "even", "every",
	"existing", "from", "have", "here", "however", "instead", "into",
	"just", "like", "make", "makes", "more", "most", "need", "needs",
	"never", "note", "once", "only", "other", "otherwise", "patch",
	"same", "selftest", "selftests", "should", "since", "some", "still",
	"such", "support", "test", "tests", "testing", "than", "that",
	"their", "them", "then", "there", "these", "they", "this", "those",
	"through", "unless", "used", "uses", "using", "verify", "very",
	"were", "what", "when", "where", "whether", "which", "while", "will",
	"with", "without", "would", "your", "guest", "host", "userspace",
	"regression", "vcpu", "vcpus", "intended", "functional", "helper",
	"add", "adds", "added", "adding", "fix", "fixes", "fixed", "kvm",
	"actually", "expected", "expect", "expects", "properly", "correctly",
	NULL,
};

static bool is_stopword(const char *w)
{
	size_t i;

	for (i = 0; stopwords[i]; i++)
		if (!strcmp(stopwords[i], w))
			return true;
	return false;
}

/* A crude stem: counters, counting -> counter, count; updated -> updat. */
static void stem(char *w)
{
	static const char *const suffixes[] = { "ing", "ies", "ed", "es", "s", "e", NULL };
	size_t n = strlen(w), i, k;

	for (i = 0; suffixes[i]; i++) {
		k = strlen(suffixes[i]);
		if (n >= k + 4 && !strcmp(w + n - k, suffixes[i])) {
			w[n - k] = '\0';
			if (!strcmp(suffixes[i], "ies"))
				strcat(w, "y");
			return;
		}
	}
}

/* A number or a commit id: not a word. */
static bool is_number(const char *w)
{
	bool digit = false;

	for (; *w; w++) {
		if (isdigit((unsigned char)*w))
			digit = true;
		else if (!strchr("abcdefx", *w))
			return false;
	}
	return digit;
}

/* Is line a "Token: value" trailer? */
static bool is_trailer_line(const char *line, size_t n)
{
	size_t i;

	for (i = 0; i < n && (isalnum((unsigned char)line[i]) || line[i] == '-'); i++)
		;
	return i > 0 && i + 1 < n && line[i] == ':' && line[i + 1] == ' ';
}

struct words {
	struct kx_strlist stems, orig;
};

static void words_add_text(struct words *w, const char *text, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t start, n;
		char *word;

		while (i < len && !is_ident_char(text[i]) && text[i] != '-')
			i++;
		start = i;
		while (i < len && (is_ident_char(text[i]) || text[i] == '-'))
			i++;
		while (start < i && text[start] == '-')
			start++;
		n = i - start;
		while (n && text[start + n - 1] == '-')
			n--;
		if (n < 4 || n > 60)
			continue;
		word = kx_xstrndup(text + start, n);
		for (n = 0; word[n]; n++)
			word[n] = (char)tolower((unsigned char)word[n]);
		if (!is_stopword(word) && !is_number(word)) {
			char *s = kx_xstrdup(word);
			size_t k;

			stem(s);
			for (k = 0; k < w->stems.nr; k++)
				if (!strcmp(w->stems.items[k], s))
					break;
			if (k == w->stems.nr) {
				kx_strlist_add(&w->stems, s);
				kx_strlist_add(&w->orig, word);
			}
			free(s);
		}
		free(word);
	}
}

/* The words of the subject (no prefix) and body (no trailers). */
static void words_of(struct words *w, const struct kx_patch *p)
{
	const char *line = p->body, *nl;

	words_add_text(w, subject_text(p->subject), strlen(subject_text(p->subject)));
	for (; line && *line; line = nl ? nl + 1 : NULL) {
		size_t n;

		nl = strchr(line, '\n');
		n = nl ? (size_t)(nl - line) : strlen(line);
		if (n == 3 && !strncmp(line, "---", 3))
			break;
		if (!is_trailer_line(line, n))
			words_add_text(w, line, n);
		if (!nl)
			break;
	}
}

static void words_release(struct words *w)
{
	kx_strlist_release(&w->stems);
	kx_strlist_release(&w->orig);
}

/* --- facts about a KVM commit -------------------------------------------- */

static bool has_trailer(const struct kx_trailers *t, const char *key)
{
	size_t i;

	for (i = 0; i < t->nr; i++)
		if (!strcasecmp(t->items[i].key, key))
			return true;
	return false;
}

static const char *trailer_value(const struct kx_trailers *t, const char *key)
{
	size_t i;

	for (i = 0; i < t->nr; i++)
		if (!strcasecmp(t->items[i].key, key))
			return t->items[i].value;
	return NULL;
}

static bool contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return true;
	return false;
}

static bool is_nfc(const struct kx_patch *p)
{
	return contains_nocase(p->body, "no functional change");
}

static bool is_fix(const struct kx_patch *p, const struct kx_trailers *t)
{
	return has_trailer(t, "Fixes") || has_trailer(t, "Closes") ||
	       has_trailer(t, "Reported-by") ||
	       !strncasecmp(subject_text(p->subject), "Fix ", 4);
}

/* Does the word (an identifier) occur in line as a whole identifier? */
static bool has_ident(const char *line, const char *word, size_t n)
{
	const char *p = line;

	while ((p = strstr(p, word))) {
		if ((p == line || !is_ident_char(p[-1])) && !is_ident_char(p[n]))
			return true;
		p += n;
	}
	return false;
}

static bool list_has_ident(const struct kx_strlist *l, const char *word)
{
	size_t i, n = strlen(word);

	for (i = 0; i < l->nr; i++)
		if (has_ident(l->items[i], word, n))
			return true;
	return false;
}

/* Does K's diff touch function name: its hunks, or a line calling it? */
static bool kvm_touches_function(const struct kx_patch *k, const char *name)
{
	char *call = kx_xasprintf("%s(", name);
	bool found = false;
	size_t i, j;

	for (i = 0; i < k->files_nr && !found; i++) {
		const struct kx_patch_file *f = &k->files[i];
		const struct kx_strlist *lists[3] = { &f->context, &f->added, &f->removed };

		if (kx_starts_with(f->path, SELFTESTS))
			continue;
		for (j = 0; j < 3 && !found; j++)
			found = list_has_ident(lists[j], name);
	}
	if (!found && strstr(k->subject, call))
		found = true;
	free(call);
	return found;
}

static bool is_uapi(const char *path)
{
	return strstr(path, "/uapi/") || kx_ends_with(path, "/msr-index.h");
}

static bool is_constant(const char *w)
{
	return kx_starts_with(w, "KVM_") || kx_starts_with(w, "MSR_");
}

/* An identifier worth matching between a test's code and KVM's uapi. */
static bool is_api_ident(const char *w)
{
	return is_constant(w) ||
	       (strchr(w, '_') && strlen(w) >= 5 && strncmp(w, "__", 2) &&
		!isupper((unsigned char)*w));
}

/* Adds the identifiers of line that pass keep to l, once each. */
static void idents_add(struct kx_strlist *l, const char *line,
		       bool (*keep)(const char *))
{
	const char *p = line;

	while (*p) {
		const char *s;
		char *w;
		size_t i;

		while (*p && !(isalpha((unsigned char)*p) || *p == '_'))
			p++;
		s = p;
		while (is_ident_char(*p))
			p++;
		if (p == s)
			continue;
		w = kx_xstrndup(s, (size_t)(p - s));
		if (keep(w)) {
			for (i = 0; i < l->nr && strcmp(l->items[i], w); i++)
				;
			if (i == l->nr)
				kx_strlist_add(l, w);
		}
		free(w);
	}
}

/* What K adds to and changes in the API a selftest can use. */
struct kvm_api {
	struct kx_strlist adds, changes;
};

static void kvm_api_of(struct kvm_api *a, const struct kx_patch *k)
{
	struct kx_strlist removed = KX_STRLIST_INIT, added = KX_STRLIST_INIT;
	size_t i, j;

	for (i = 0; i < k->files_nr; i++) {
		const struct kx_patch_file *f = &k->files[i];

		if (kx_starts_with(f->path, SELFTESTS) || kx_starts_with(f->path, "tools/"))
			continue;
		if (is_uapi(f->path)) {
			for (j = 0; j < f->added.nr; j++)
				idents_add(&added, f->added.items[j], is_api_ident);
			for (j = 0; j < f->removed.nr; j++)
				idents_add(&removed, f->removed.items[j], is_api_ident);
			continue;
		}
		for (j = 0; j < f->added.nr; j++) {
			const char *line = f->added.items[j];

			if (kx_starts_with(line, "#define "))
				idents_add(&added, line + 8, is_constant);
			else
				idents_add(&a->changes, line, is_constant);
		}
		for (j = 0; j < f->removed.nr; j++)
			idents_add(&a->changes, f->removed.items[j], is_constant);
		for (j = 0; j < f->context.nr; j++)
			idents_add(&a->changes, f->context.items[j], is_constant);
	}
	for (i = 0; i < added.nr; i++) {
		for (j = 0; j < removed.nr && strcmp(removed.items[j], added.items[i]); j++)
			;
		kx_strlist_add(j < removed.nr ? &a->changes : &a->adds, added.items[i]);
	}
	for (i = 0; i < removed.nr; i++)
		kx_strlist_add(&a->changes, removed.items[i]);
	kx_strlist_release(&removed);
	kx_strlist_release(&added);
}

static bool strlist_has(const struct kx_strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (!strcmp(l->items[i], s))
			return true;
	return false;
}

/* --- relating a test to a KVM commit -------------------------------------- */

struct test_facts {
	const struct kx_patch *p;
	enum kx_test_kind kind;
	const char *kind_what;
	char *kind_buf;
	struct words words;
	struct kx_trailers trailers;
	struct kx_strlist code;		/* identifiers its lines use */
	struct kx_strlist functions;	/* function() its changelog names */
	char *message;			/* subject and body */
};

static void test_facts_init(struct test_facts *t, const struct kx_patch *p)
{
	const char *s;
	size_t i, j;

	memset(t, 0, sizeof(*t));
	t->p = p;
	t->kind = kx_order_test_kind(p, &t->kind_what);
	t->kind_buf = kx_xstrdup(t->kind_what);
	words_of(&t->words, p);
	kx_trailers_parse(&t->trailers, p->body);
	for (i = 0; i < p->files_nr; i++) {
		const struct kx_patch_file *f = &p->files[i];

		for (j = 0; j < f->added.nr; j++)
			idents_add(&t->code, f->added.items[j], is_api_ident);
		for (j = 0; j < f->removed.nr; j++)
			idents_add(&t->code, f->removed.items[j], is_api_ident);
	}
	t->message = kx_xasprintf("%s\n%s", p->subject, p->body);
	for (s = t->message; (s = strstr(s, "()")); s += 2) {
		const char *b = s;

		while (b > t->message && is_ident_char(b[-1]))
			b--;
		if (s - b >= 3) {
			char *name = kx_xstrndup(b, (size_t)(s - b));

			if (!strlist_has(&t->functions, name))
				kx_strlist_add(&t->functions, name);
			free(name);
		}
	}
}

static void test_facts_release(struct test_facts *t)
{
	free(t->kind_buf);
	words_release(&t->words);
	kx_trailers_release(&t->trailers);
	kx_strlist_release(&t->code);
	kx_strlist_release(&t->functions);
	free(t->message);
}

/* Does the test's changelog name k by an abbreviated id (7+ hex)? */
static bool names_id(const char *message, const char *id)
{
	const char *p = message;

	while (*p) {
		const char *s;

		while (*p && !isxdigit((unsigned char)*p))
			p++;
		s = p;
		while (isxdigit((unsigned char)*p))
			p++;
		if (p - s >= 7 && p - s <= 40 && (s == message || !is_ident_char(s[-1])) &&
		    !is_ident_char(*p) && !strncasecmp(s, id, (size_t)(p - s)))
			return true;
		while (*p && is_ident_char(*p))
			p++;
	}
	return false;
}

static void relate(struct kx_order *out, struct test_facts *t, size_t ti,
		   const struct kx_patch *k, size_t ki)
{
	struct kx_order_rel rel;
	struct kx_trailers kt = KX_TRAILERS_INIT;
	struct kvm_api api = { KX_STRLIST_INIT, KX_STRLIST_INIT };
	struct words kw = { KX_STRLIST_INIT, KX_STRLIST_INIT };
	const char *ksub = subject_text(k->subject);
	const char *adds = NULL;
	static const char *const bug_keys[] = { "Closes", "Link", "Reported-by", NULL };
	unsigned changed = 0;
	size_t i, shared = 0;
	char words[200] = "";
	bool fix;

	memset(&rel, 0, sizeof(rel));
	rel.test = ti;
	rel.kvm = ki;
	rel.kind = t->kind;
	kx_trailers_parse(&kt, k->body);
	fix = is_fix(k, &kt);

	/* the test's changelog names K */
	if (strlen(ksub) >= 15 && contains_nocase(t->message, ksub)) {
		rel.score += 3;
		kx_strlist_addf(&rel.evidence, "the test's changelog names %.12s by its subject (\"%s\")",
				k->id, ksub);
	}
	if (names_id(t->p->body, k->id)) {
		rel.score += 3;
		kx_strlist_addf(&rel.evidence, "the test's changelog names %.12s by its id",
				k->id);
	}
	for (i = 0; i < t->functions.nr; i++)
		if (kvm_touches_function(k, t->functions.items[i])) {
			rel.score += 2;
			kx_strlist_addf(&rel.evidence, "the test's changelog names %s(), which %.12s changes",
					t->functions.items[i], k->id);
			break;
		}

	/* the same bug report */
	for (i = 0; bug_keys[i]; i++) {
		const char *a = trailer_value(&t->trailers, bug_keys[i]);
		const char *b = trailer_value(&kt, bug_keys[i]);

		if (a && b && !strcmp(a, b) && *a) {
			rel.score += 3;
			kx_strlist_addf(&rel.evidence, "both carry %s: %s", bug_keys[i], a);
			break;
		}
	}

	/* the same bug or behaviour, in words (not for a no-op change) */
	if (!is_nfc(k)) {
		words_of(&kw, k);
		for (i = 0; i < t->words.stems.nr; i++)
			if (strlist_has(&kw.stems, t->words.stems.items[i])) {
				size_t len = strlen(words);

				shared++;
				if (len + strlen(t->words.orig.items[i]) + 8 < sizeof(words))
					snprintf(words + len, sizeof(words) - len, "%s%s",
						 len ? ", " : "", t->words.orig.items[i]);
			}
		if (shared >= 2) {
			unsigned w = shared >= 5 ? 3 : shared >= 3 ? 2 : 1;
			const char *fixes = trailer_value(&kt, "Fixes");

			rel.score += w;
			if (fix && fixes)
				kx_strlist_addf(&rel.evidence, "%.12s fixes a bug (Fixes: %.12s) and both changelogs describe it: %zu words in common (%s)",
						k->id, fixes, shared, words);
			else if (fix)
				kx_strlist_addf(&rel.evidence, "%.12s fixes a bug and both changelogs describe it: %zu words in common (%s)",
						k->id, shared, words);
			else
				kx_strlist_addf(&rel.evidence, "both changelogs describe the same behaviour: %zu words in common (%s)",
						shared, words);
		}
	}

	/* the test's code uses what K adds to or changes in the API */
	kvm_api_of(&api, k);
	for (i = 0; i < t->code.nr; i++) {
		const char *id = t->code.items[i];

		if (strlist_has(&api.adds, id)) {
			if (!adds) {
				adds = id;
				rel.score += 3;
				kx_strlist_addf(&rel.evidence, "the test uses %s, which %.12s adds",
						id, k->id);
			}
		} else if (strlist_has(&api.changes, id) && changed < 2) {
			rel.score += changed ? 1 : 2;
			changed++;
			kx_strlist_addf(&rel.evidence, "the test uses %s, which %.12s changes",
					id, k->id);
		}
	}

	if (!rel.score)
		goto done;
	if (adds) {
		rel.dir = KX_ORDER_AFTER;
		rel.why = kx_xasprintf("the test uses %s, which %.12s adds: it does not build before it",
				       adds, k->id);
	} else if (rel.score < KX_ORDER_STRONG) {
		rel.dir = KX_ORDER_UNKNOWN;
		rel.why = kx_xasprintf("the evidence is weak: unknown, nothing is moved");
	} else if (t->kind == KX_TEST_NEW) {
		rel.dir = KX_ORDER_AFTER;
		rel.why = fix ?
			kx_xasprintf("a new test (%s) for the bug %.12s fixes: it fails before the fix",
				     t->kind_buf, k->id) :
			kx_xasprintf("a new test (%s) of what %.12s changes: it fails before it",
				     t->kind_buf, k->id);
	} else {
		rel.dir = KX_ORDER_BEFORE;
		rel.both_sides = true;
		rel.why = kx_xasprintf("an update of existing tests (%s) that the change of %.12s breaks: the test goes first, and must pass both before and after %.12s (kvmx86 test at each commit proves it; a reorder alone proves nothing)",
				       t->kind_buf, k->id, k->id);
	}
	rel.satisfied = rel.dir == KX_ORDER_AFTER ? ti > ki :
			rel.dir == KX_ORDER_BEFORE ? ti < ki : false;
	kx_grow((void **)&out->rels, &out->rels_alloc, out->rels_nr, sizeof(*out->rels));
	out->rels[out->rels_nr++] = rel;
	memset(&rel, 0, sizeof(rel));
done:
	kx_strlist_release(&rel.evidence);
	free(rel.why);
	kx_strlist_release(&api.adds);
	kx_strlist_release(&api.changes);
	words_release(&kw);
	kx_trailers_release(&kt);
}

/* --- the order ------------------------------------------------------------- */

struct slot {
	size_t index;
	size_t key;	/* 2 * position + 1; 2 * k before k, 2 * k + 2 after it */
};

static int slot_cmp(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void propose(struct kx_order *out, const struct kx_patch *patches)
{
	struct slot *slots = kx_xcalloc(out->nr ? out->nr : 1, sizeof(*slots));
	size_t *pos = kx_xcalloc(out->nr ? out->nr : 1, sizeof(*pos));
	bool *stuck = kx_xcalloc(out->nr ? out->nr : 1, sizeof(*stuck));
	size_t i, r;
	bool ok = true;

	for (i = 0; i < out->nr; i++) {
		bool after = false, before = false;
		size_t last = 0, first = 0;

		slots[i].index = i;
		slots[i].key = 2 * i + 1;
		for (r = 0; r < out->rels_nr; r++) {
			const struct kx_order_rel *rel = &out->rels[r];

			if (rel->test != i)
				continue;
			if (rel->dir == KX_ORDER_AFTER && (!after || rel->kvm > last)) {
				after = true;
				last = rel->kvm;
			} else if (rel->dir == KX_ORDER_BEFORE && (!before || rel->kvm < first)) {
				before = true;
				first = rel->kvm;
			}
		}
		if (after && before && last > first) {
			kx_strlist_addf(&out->notes,
					"%.12s must follow %.12s and precede %.12s: no order does both, so it is not moved",
					patches[i].id, patches[last].id, patches[first].id);
			stuck[i] = true;
			continue;
		}
		if (after && last > i)
			slots[i].key = 2 * last + 2;
		else if (before && first < i)
			slots[i].key = 2 * first;
	}
	qsort(slots, out->nr, sizeof(*slots), slot_cmp);
	for (i = 0; i < out->nr; i++)
		pos[slots[i].index] = i;
	for (r = 0; r < out->rels_nr; r++) {
		const struct kx_order_rel *rel = &out->rels[r];

		if (stuck[rel->test])
			continue;
		if ((rel->dir == KX_ORDER_AFTER && pos[rel->test] < pos[rel->kvm]) ||
		    (rel->dir == KX_ORDER_BEFORE && pos[rel->test] > pos[rel->kvm]))
			ok = false;
	}
	if (!ok) {
		kx_strlist_add(&out->notes,
			       "no order satisfies every relation: nothing is moved");
		for (i = 0; i < out->nr; i++)
			slots[i].index = i;
	}
	for (i = 0; i < out->nr; i++) {
		out->order[i] = slots[i].index;
		if (out->order[i] != i)
			out->moved = true;
	}
	free(slots);
	free(pos);
	free(stuck);
}

void kx_order_analyze(struct kx_order *out, const struct kx_patch *patches,
		      size_t nr)
{
	size_t i, k;

	out->nr = nr;
	out->order = kx_xcalloc(nr ? nr : 1, sizeof(*out->order));
	for (i = 0; i < nr; i++) {
		struct test_facts t;

		out->order[i] = i;
		if (kx_order_class_of(&patches[i]) != KX_ORDER_TEST)
			continue;
		test_facts_init(&t, &patches[i]);
		for (k = 0; k < nr; k++)
			if (kx_order_class_of(&patches[k]) == KX_ORDER_KVM)
				relate(out, &t, i, &patches[k], k);
		test_facts_release(&t);
	}
	propose(out, patches);
}

bool kx_order_rel_suspect(const struct kx_order_rel *rel)
{
	if (rel->dir != KX_ORDER_UNKNOWN)
		return !rel->satisfied;
	return rel->kind == KX_TEST_NEW ? rel->kvm > rel->test : rel->kvm < rel->test;
}

const char *kx_order_dir_name(enum kx_order_dir dir)
{
	return dir == KX_ORDER_AFTER ? "after" : dir == KX_ORDER_BEFORE ? "before" : "unknown";
}

void kx_order_release(struct kx_order *o)
{
	size_t i;

	for (i = 0; i < o->rels_nr; i++) {
		kx_strlist_release(&o->rels[i].evidence);
		free(o->rels[i].why);
	}
	free(o->rels);
	free(o->order);
	kx_strlist_release(&o->notes);
	memset(o, 0, sizeof(*o));
}
