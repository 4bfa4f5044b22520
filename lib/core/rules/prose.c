// SPDX-License-Identifier: GPL-2.0-only
/*
 * Prose rules: the mood and the pronouns of the shortlog, the changelog and
 * added comments, the KVM order (what changes first), the 75-column wrap, a
 * changelog that only restates its shortlog, version notes above "---" and
 * a pointer to the security process.
 *
 * These are heuristics over English, so each one is written to miss rather
 * than to cry wolf: a false warning on a good changelog teaches people to
 * ignore the tool.  They read only the prose: not a leading in-body From:,
 * not trailers, not quoted ("> "), indented (code, logs, manual text) or
 * kernel log lines, and not text in double quotes, backticks or single
 * quotes.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/rules.h"
#include "kvmx86/safe.h"
#include "ctext.h"
#include "text.h"

#define WRAP_COLS 75
#define WHAT_FIRST_LINES 6	/* the catalog's "after more than 6 lines" */
#define MAX_QUOTED 4		/* pronouns quoted in one finding */

/* --- runs of prose, masked, and their sentences --- */

/*
 * A run of consecutive prose lines (a list item starts its own), joined by
 * spaces.  mask is the same text with quoted words replaced by 'x', so no
 * rule reads them and no sentence ends inside them.
 */
struct run {
	char *text, *mask;
	size_t para;		/* its paragraph */
	size_t line;		/* its first line, counting prose lines */
	size_t *starts;		/* where each line starts in text */
	size_t lines;
};

struct runs {
	struct run *items;
	size_t nr, alloc;
};

/* Length of a list marker at s ("- ", "* ", "1) ", "[*] "), or 0. */
static size_t bullet_len(const char *s)
{
	size_t n = 0;

	if ((*s == '-' || *s == '*' || *s == '+') && s[1] == ' ')
		return 2;
	if (*s == '[') {
		n = strcspn(s, "] ");
		return s[n] == ']' && n <= 4 && s[n + 1] == ' ' ? n + 2 : 0;
	}
	while (isdigit((unsigned char)s[n]))
		n++;
	if (n && n <= 2 && (s[n] == ')' || s[n] == '.') && s[n + 1] == ' ')
		return n + 2;
	return 0;
}

/* Appends s, folding curly quotes and apostrophes into ASCII ones. */
static size_t append_ascii(char *out, const char *s)
{
	size_t n = 0;

	while (*s) {
		if (!strncmp(s, "\xe2\x80\x98", 3) ||
		    !strncmp(s, "\xe2\x80\x99", 3)) {
			out[n++] = '\'';
			s += 3;
		} else if (!strncmp(s, "\xe2\x80\x9c", 3) ||
			   !strncmp(s, "\xe2\x80\x9d", 3)) {
			out[n++] = '"';
			s += 3;
		} else {
			out[n++] = *s++;
		}
	}
	return n;
}

static bool is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Replaces the inside of "...", `...` and '...' in s with 'x'. */
static void mask_quotes(char *s)
{
	size_t i, j, n = strlen(s);

	for (i = 0; i < n; i++) {
		char q = s[i];

		if (q == '\'') {
			/* an opening quote, not an apostrophe */
			if ((i && is_word_char(s[i - 1])) ||
			    !is_word_char(s[i + 1]))
				continue;
			for (j = i + 1; j < n; j++)
				if (s[j] == '\'' && !is_word_char(s[j + 1]))
					break;
		} else if (q == '"' || q == '`') {
			for (j = i + 1; j < n && s[j] != q; j++)
				;
		} else {
			continue;
		}
		if (j >= n)
			continue;	/* unbalanced: not a quote */
		memset(s + i + 1, 'x', j - i - 1);
		i = j;
	}
}

static void add_run(struct runs *r, const struct kx_text_body *b, size_t start,
		    size_t end, size_t line)
{
	struct run *run;
	size_t i, n = 1, len = 0;

	for (i = start; i < end; i++)
		n += strlen(b->items[i].text) + 1;
	kx_grow((void **)&r->items, &r->alloc, r->nr, sizeof(*r->items));
	run = &r->items[r->nr++];
	run->text = kx_xmalloc(n);
	run->starts = kx_xcalloc(end - start, sizeof(*run->starts));
	run->lines = end - start;
	run->para = b->items[start].para;
	run->line = line;
	for (i = start; i < end; i++) {
		const char *s = b->items[i].text;

		if (i == start)
			s += bullet_len(s);
		else
			run->text[len++] = ' ';
		run->starts[i - start] = len;
		len += append_ascii(run->text + len, s);
	}
	run->text[len] = '\0';
	run->mask = kx_xstrdup(run->text);
	mask_quotes(run->mask);
}

static void read_runs(struct runs *r, const struct kx_text_body *b)
{
	size_t i, start, line = 0;

	for (i = 0; i < b->nr;) {
		if (b->items[i].kind != KX_TEXT_PROSE) {
			i++;
			continue;
		}
		start = i++;
		while (i < b->nr && b->items[i].kind == KX_TEXT_PROSE &&
		       !bullet_len(b->items[i].text))
			i++;
		add_run(r, b, start, i, line);
		line += i - start;
	}
}

static void release_runs(struct runs *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++) {
		free(r->items[i].text);
		free(r->items[i].mask);
		free(r->items[i].starts);
	}
	free(r->items);
	memset(r, 0, sizeof(*r));
}

/* Is the word ending at s[end] (exclusive) an abbreviation? */
static bool is_abbrev(const char *s, size_t end)
{
	static const char *const abbrevs[] = {
		"e.g", "i.e", "vs", "a.k.a", "cf", "approx", "resp", "vol",
		"sec", "fig", "no", "nr", "mr", "dr", "al", "ch", "incl",
	};
	size_t start = end, i;

	while (start && !isspace((unsigned char)s[start - 1]) &&
	       s[start - 1] != '(')
		start--;
	if (end - start == 1 && isupper((unsigned char)s[start]))
		return true;	/* an initial, "J. Doe" */
	for (i = 0; i < ARRAY_SIZE(abbrevs); i++)
		if (strlen(abbrevs[i]) == end - start &&
		    !strncasecmp(s + start, abbrevs[i], end - start))
			return true;
	return false;
}

struct sentence {
	const struct run *run;
	size_t start, end;	/* offsets in run->text and run->mask */
};

/*
 * Calls fn on each sentence of r: a sentence ends at '.', '!' or '?'
 * followed by a blank and a capital, a digit or an opening bracket.
 * Returns true as soon as fn does.
 */
static bool each_sentence(const struct run *r,
			  bool (*fn)(const struct sentence *, void *),
			  void *data)
{
	const char *m = r->mask;
	size_t i, start = 0, n = strlen(m);
	struct sentence s = { r, 0, 0 };

	for (i = 0; i <= n; i++) {
		size_t j = i + 1;

		if (i < n) {
			if (!strchr(".!?", m[i]) ||
			    !isspace((unsigned char)m[j]))
				continue;
			while (isspace((unsigned char)m[j]))
				j++;
			if (!(isupper((unsigned char)m[j]) ||
			      isdigit((unsigned char)m[j]) ||
			      strchr("([\"'`", m[j])) ||
			    (m[i] == '.' && is_abbrev(m, i)))
				continue;
		}
		while (start < i && isspace((unsigned char)m[start]))
			start++;
		if (start < i) {
			s.start = start;
			s.end = i < n ? i + 1 : n;
			if (fn(&s, data))
				return true;
		}
		start = j;
	}
	return false;
}

/* --- words --- */

struct word {
	const char *s;	/* in the mask */
	size_t n;
	bool plain;	/* only letters and apostrophes: an English word */
	bool stop;	/* punctuation right after it */
};

/*
 * Reads the next word of [*p, end) into w, trimming brackets, quotes and
 * punctuation.  Returns false at the end.
 */
static bool next_word(const char **p, const char *end, struct word *w)
{
	const char *s = *p, *e;
	size_t i;

	memset(w, 0, sizeof(*w));
	while (s < end && isspace((unsigned char)*s))
		s++;
	if (s >= end)
		return false;
	e = s;
	while (e < end && !isspace((unsigned char)*e))
		e++;
	*p = e;
	while (s < e && strchr("([{\"'`", *s))
		s++;
	w->stop = false;
	while (e > s && strchr(".,;:!?)]}\"'`", e[-1])) {
		w->stop |= strchr(",;:!?.", e[-1]) != NULL;
		e--;
	}
	w->s = s;
	w->n = (size_t)(e - s);
	w->plain = w->n > 0;
	for (i = 0; i < w->n; i++)
		if (!isalpha((unsigned char)s[i]) && s[i] != '\'')
			w->plain = false;
	return true;
}

/* Does [s, s + n) end with suffix? */
static bool ends_with_n(const char *s, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);

	return n >= m && !strncmp(s + n - m, suffix, m);
}

static bool word_is(const struct word *w, const char *s)
{
	return w->plain && strlen(s) == w->n && !strncmp(w->s, s, w->n);
}

static bool word_ieq(const struct word *w, const char *s)
{
	return w->plain && strlen(s) == w->n && !strncasecmp(w->s, s, w->n);
}

static bool word_in(const struct word *w, const char *const *list, size_t nr,
		    bool icase)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (icase ? word_ieq(w, list[i]) : word_is(w, list[i]))
			return true;
	return false;
}

/* "Also", "now", "Explicitly", "Unconditionally"...: words to look past. */
static bool is_adverb(const struct word *w)
{
	static const char *const words[] = {
		"also", "now", "then", "just", "simply", "instead", "further",
		"still", "always", "never", "only", "thus", "therefore",
	};

	if (!w->plain || w->stop)
		return false;
	if (w->n > 4 && !strncasecmp(w->s + w->n - 2, "ly", 2))
		return true;
	return word_in(w, words, ARRAY_SIZE(words), true);
}

/* --- pronouns --- */

static const char *const pronouns[] = {
	"I", "I'm", "I've", "I'd", "I'll", "me", "my", "My", "mine",
	"we", "We", "we're", "We're", "we've", "We've", "we'll", "We'll",
	"we'd", "We'd", "us", "our", "Our", "ours", "ourselves",
	"you", "You", "your", "Your", "yours", "you're", "You're", "you've",
	"You've", "you'll", "You'll", "yourself", "Let's", "let's",
};

/* Words after which "I" is a numeral: "Vol. I", "Type I". */
static const char *const roman_before[] = {
	"Vol", "Volume", "Part", "Phase", "Type", "Level", "Class", "Stage",
	"Appendix", "Chapter", "Section", "Table", "Figure", "Gen", "Ring",
};

static const char *const self_words[] = {
	"patch", "commit", "patchset",
};

static const char *const change_nouns[] = {
	"patch", "commit", "change", "patchset", "series",
};

/*
 * Does the sentence at [s, end) describe the change as "This patch adds",
 * "The commit will"?  Sets *verb to the verb, if one.
 */
static bool this_patch_does(const char *s, const char *end, struct word *verb)
{
	static const char *const aux[] = {
		"will", "tries", "attempts", "aims",
	};
	struct word w;
	char form;

	bool the;

	if (!next_word(&s, end, &w) || !((the = word_is(&w, "The")) || word_is(&w, "This")) ||
	    !next_word(&s, end, &w) ||
	    !word_in(&w, change_nouns, ARRAY_SIZE(change_nouns), false) ||
	    w.stop)
		return false;
	/*
	 * "The patch adds" reads as "This patch adds"; "The commit" and "The
	 * change" are as often an earlier one ("The commit broke ...").
	 */
	if (the && !word_ieq(&w, "patch"))
		return false;
	while (next_word(&s, end, &w) && is_adverb(&w))
		;
	if (!w.plain)
		return false;
	*verb = w;
	return (kx_words_verb_form(w.s, w.n, &form) && form == 's') ||
	       word_in(&w, aux, ARRAY_SIZE(aux), false);
}

/*
 * Adds to found the pronouns of the masked text [s, end), a sentence (or
 * a comment); skip_this_patch leaves "This patch <verb>s" at its start to
 * changelog-imperative.
 */
static void find_pronouns(struct kx_strlist *found, const char *s,
			  const char *end, bool skip_this_patch)
{
	struct word w, prev = { NULL, 0, false, false };
	const char *start = s;
	size_t i;

	while (next_word(&s, end, &w)) {
		char *name = NULL;
		struct word next;
		const char *q = s;

		if (word_in(&w, pronouns, ARRAY_SIZE(pronouns), false)) {
			/* "10 us" is a time; "Vol. I" a numeral */
			bool time = word_is(&w, "us") && prev.s && prev.n &&
				    isdigit((unsigned char)prev.s[0]);
			bool numeral = word_is(&w, "I") && prev.s &&
				       word_in(&prev, roman_before,
					       ARRAY_SIZE(roman_before), false);

			if (!time && !numeral)
				name = kx_xstrndup(w.s, w.n);
		} else if (word_ieq(&w, "this") && !w.stop &&
			   next_word(&q, end, &next) &&
			   word_in(&next, self_words, ARRAY_SIZE(self_words),
				   false)) {
			struct word verb;

			if (!(skip_this_patch && w.s <= start + 1 &&
			      this_patch_does(start, end, &verb)))
				name = kx_xasprintf("this %.*s", (int)next.n,
						    next.s);
		}
		if (name) {
			for (i = 0; i < found->nr; i++)
				if (!strcmp(found->items[i], name))
					break;
			if (i == found->nr && found->nr < MAX_QUOTED)
				kx_strlist_add(found, name);
			free(name);
		}
		prev = w;
	}
}

/* "'we', 'our'" for a message (caller frees). */
static char *quote_list(const struct kx_strlist *l)
{
	char *s = kx_xstrdup(""), *t;
	size_t i;

	for (i = 0; i < l->nr; i++) {
		t = kx_xasprintf("%s%s'%s'", s, i ? ", " : "", l->items[i]);
		free(s);
		s = t;
	}
	return s;
}

static bool pronouns_in_sentence(const struct sentence *s, void *data)
{
	find_pronouns(data, s->run->mask + s->start, s->run->mask + s->end,
		      true);
	return false;
}

void kx_rule_changelog_no_pronouns(struct kx_findings *out,
				   const struct kx_patch *p,
				   const struct kx_rule_env *env)
{
	struct kx_strlist found = KX_STRLIST_INIT;
	struct kx_text_body b = { 0 };
	struct runs r = { 0 };
	size_t i;

	(void)env;
	kx_text_body_read(&b, p->body);
	read_runs(&r, &b);
	for (i = 0; i < r.nr; i++)
		each_sentence(&r.items[i], pronouns_in_sentence, &found);
	if (found.nr) {
		char *list = quote_list(&found);

		kx_findings_add(out, KX_SEV_WARNING, "changelog-no-pronouns",
				"changelog says %s: avoid pronouns, say what "
				"the patch does in imperative mood and name "
				"the actor (KVM, the guest, userspace)", list);
		free(list);
	}
	release_runs(&r);
	kx_text_body_release(&b);
	kx_strlist_release(&found);
}

/* --- changelog-imperative --- */

/* Words after a plural noun that a verb would not take: "Writes to CR4". */
static const char *const noun_followers[] = {
	"to", "of", "in", "for", "from", "on", "at", "by", "with", "within",
	"into", "are", "is", "were", "was", "will", "would", "should", "can",
	"could", "may", "might", "must", "have", "has", "had", "that", "which",
	"and", "or", "as", "since", "after", "before", "during", "when",
	"where", "while", "than", "do", "does", "did", "here", "there",
	"made", "done", "per", "via", "through", "under", "over", "so", "if",
	"without", "between", "like", "only", "also", "aren't", "isn't",
	"weren't", "wasn't", "don't", "doesn't", "didn't", "won't",
};

struct mood {
	const char *what;	/* the offending start, for the message */
	size_t what_n;
	const char *base;	/* the imperative to suggest, or NULL */
};

/* Does the text of s mention another commit ("commit 0123abcd...")? */
static bool names_commit(const struct sentence *s)
{
	const char *t = s->run->text + s->start, *end = s->run->text + s->end;
	const char *q;

	for (; (q = strstr(t, "commit ")) && q < end; t = q + 7) {
		size_t n = 0;

		while (isxdigit((unsigned char)q[7 + n]))
			n++;
		if (n >= 6)
			return true;
	}
	return false;
}

/*
 * Is the sentence a non-imperative description of the change: "Adds
 * support for", "Fixed the", "This patch adds", "We now ...", "I changed"?
 */
static bool non_imperative(const struct sentence *s, void *data)
{
	static const char *const self[] = { "We", "I" };
	struct mood *m = data;
	const char *p = s->run->mask + s->start, *end = s->run->mask + s->end;
	struct word w1, w, verb;
	char form;
	const char *base;
	bool now = false;

	if (names_commit(s) || !next_word(&p, end, &w1) || !w1.plain)
		return false;
	m->what = s->run->text + (w1.s - s->run->mask);
	m->what_n = (size_t)(end - w1.s);
	/* "This patch adds ..." */
	if (this_patch_does(w1.s, end, &verb)) {
		m->base = kx_words_verb_form(verb.s, verb.n, &form);
		return true;
	}
	/* "We now ...", "I changed ...", "We add ..." */
	if (word_in(&w1, self, ARRAY_SIZE(self), false) && !w1.stop) {
		while (next_word(&p, end, &w) && is_adverb(&w))
			now |= word_ieq(&w, "now");
		if (!w.plain)
			return false;
		base = kx_words_verb_form(w.s, w.n, &form);
		if (base && form != 'g') {
			m->base = base;
			return true;
		}
		m->base = kx_words_verb_base(w.s, w.n);
		return m->base || (now && !w.stop);
	}
	/* "Adds support for ...", "Fixed the ..." (not "Fixes to X are") */
	if (!isupper((unsigned char)w1.s[0]) || w1.stop)
		return false;
	base = kx_words_verb_form(w1.s, w1.n, &form);
	if (!base || form == 'g')
		return false;
	if (!next_word(&p, end, &w) ||
	    word_in(&w, noun_followers, ARRAY_SIZE(noun_followers), true))
		return false;
	/* a participle before a plural is an adjective: "Emulated devices" */
	if (form == 'd' && w.plain && islower((unsigned char)w.s[0]) &&
	    w.s[w.n - 1] == 's')
		return false;
	m->base = base;
	return true;
}

/* Up to n bytes of s, cut at a word boundary (for messages). */
static int clip(const char *s, size_t n, size_t max)
{
	size_t i;

	if (n <= max)
		return (int)n;
	for (i = max; i > max / 2; i--)
		if (s[i] == ' ')
			return (int)i;
	return (int)max;
}

void kx_rule_changelog_imperative(struct kx_findings *out,
				  const struct kx_patch *p,
				  const struct kx_rule_env *env)
{
	struct mood m = { NULL, 0, NULL };
	struct kx_text_body b = { 0 };
	struct runs r = { 0 };
	size_t i;

	(void)env;
	kx_text_body_read(&b, p->body);
	read_runs(&r, &b);
	for (i = 0; i < r.nr; i++) {
		if (!each_sentence(&r.items[i], non_imperative, &m))
			continue;
		if (m.base)
			kx_findings_add(out, KX_SEV_WARNING,
					"changelog-imperative",
					"changelog describes the change as "
					"'%.*s...': use imperative mood, e.g. "
					"'%c%s ...'",
					clip(m.what, m.what_n, 30), m.what,
					toupper((unsigned char)m.base[0]),
					m.base + 1);
		else
			kx_findings_add(out, KX_SEV_WARNING,
					"changelog-imperative",
					"changelog describes the change as "
					"'%.*s...': use imperative mood, as if "
					"giving orders to the codebase",
					clip(m.what, m.what_n, 30), m.what);
		break;
	}
	release_runs(&r);
	kx_text_body_release(&b);
}

/* --- shortlog-imperative --- */

/* The description: the subject after its "word: " prefix components. */
static const char *shortlog_desc(const char *subject)
{
	const char *p = subject;
	size_t n;

	for (;;) {
		n = strcspn(p, ": \t");
		if (!n || p[n] != ':' || p[n + 1] != ' ')
			return p;
		p += n + 1;
		while (*p == ' ')
			p++;
	}
}

void kx_rule_shortlog_imperative(struct kx_findings *out,
				 const struct kx_patch *p,
				 const struct kx_rule_env *env)
{
	const char *desc, *s, *end, *base;
	struct word w;
	char form;
	size_t i;
	int n;

	(void)env;
	if (!p->subject || kx_starts_with(p->subject, "Revert \"") ||
	    kx_starts_with(p->subject, "Reapply \""))
		return;
	desc = s = shortlog_desc(p->subject);
	end = s + strlen(s);
	while (next_word(&s, end, &w) && is_adverb(&w))
		;
	/* identifiers and acronyms: vmx_foo(), MSR_..., x2APIC, KVM_SET_* */
	if (!w.plain || !w.n)
		return;
	for (i = 1; i < w.n; i++)
		if (isupper((unsigned char)w.s[i]))
			return;
	base = kx_words_verb_form(w.s, w.n, &form);
	if (!base)
		return;
	n = clip(s, (size_t)(end - s), 40);
	/* "..." where the rest is cut: the suggestion is no whole subject */
	kx_findings_add(out, KX_SEV_WARNING, "shortlog-imperative",
			"shortlog says '%.*s': use imperative mood, "
			"'%.*s%c%s%.*s%s'", (int)w.n, w.s, (int)(w.s - desc),
			desc,
			w.s == desc ? toupper((unsigned char)base[0]) : base[0],
			base + 1, n, s, s + n < end ? "..." : "");
}

/* --- changelog-what-first --- */

/*
 * Does the commit follow the tip tree's order (mostly non-KVM arch/x86
 * code), or another tree's conventions (another architecture's KVM, code
 * outside KVM)?  Commits without files are taken as KVM x86's.
 */
static bool kvm_x86_order(const struct kx_patch *p)
{
	size_t i, kvm = 0, other = 0;

	for (i = 0; i < p->files_nr; i++) {
		enum kx_area a = p->files[i].area;

		if (a == KX_AREA_X86 || a == KX_AREA_COMMON ||
		    a == KX_AREA_SELFTESTS)
			kvm++;
		else
			other++;
	}
	return !p->files_nr || kvm > other;
}

/* Words that start descriptions, not orders. */
static const char *const not_orders[] = {
	"the", "a", "an", "this", "that", "these", "those", "it", "its",
	"there", "when", "if", "since", "as", "because", "in", "on", "for",
	"with", "without", "commit", "after", "before", "while", "although",
	"though", "but", "and", "so", "however", "note", "both", "all", "some",
	"many", "most", "each", "every", "any", "no", "not", "today", "unlike",
	"like", "per", "according", "at", "by", "from", "to", "of", "into",
	"under", "such", "once", "other", "another", "given", "otherwise",
	"what", "which", "who", "why", "how", "where", "here", "one", "two",
	"kvm", "userspace", "intel", "amd", "linux", "qemu", "i", "we", "you",
	"he", "she", "they", "our", "their", "his", "her", "my", "your",
};

/* Words that open an object: "Reallocate a", "Exempt the", "Tag all". */
static const char *const objects[] = {
	"the", "a", "an", "all", "any", "each", "every", "this", "that",
	"these", "those", "its", "their", "it", "them", "KVM", "KVM's",
	"support", "unused", "redundant", "unnecessary",
};

/* An identifier or a macro: vmx_foo(), MSR_EFER, EPT. */
static bool is_identifier(const struct word *w)
{
	size_t i, upper = 0;

	for (i = 0; i < w->n; i++) {
		if (w->s[i] == '_' || w->s[i] == '(')
			return true;
		if (islower((unsigned char)w->s[i]))
			return false;
		upper += isupper((unsigned char)w->s[i]) != 0;
	}
	return upper >= 2;
}

/*
 * Does the clause at [s, end) start with an order: a known verb, "Don't",
 * or an unknown capitalized word (no -s, -ed or -ing) that takes an
 * object, "Reallocate a ...".  Erring towards yes only spares advice.
 */
static bool clause_imperative(const char *s, const char *end, bool capital)
{
	static const char *const orders[] = {
		"don't", "never", "always", "do", "avoid", "instead",
		"opportunistically",
	};
	struct word w, next;
	bool first = true;
	char form;

	while (next_word(&s, end, &w) && is_adverb(&w)) {
		if (capital && first && !isupper((unsigned char)w.s[0]))
			return false;
		if (word_ieq(&w, "never") || word_ieq(&w, "always"))
			return true;
		first = false;
	}
	if (!w.plain || (capital && first && !isupper((unsigned char)w.s[0])))
		return false;
	if (kx_words_verb_base(w.s, w.n) ||
	    word_in(&w, orders, ARRAY_SIZE(orders), true))
		return true;
	if (w.stop || w.n < 3 || kx_words_verb_form(w.s, w.n, &form) ||
	    word_in(&w, not_orders, ARRAY_SIZE(not_orders), true) ||
	    w.s[w.n - 1] == 's' || ends_with_n(w.s, w.n, "ed") ||
	    ends_with_n(w.s, w.n, "ing") || !next_word(&s, end, &next))
		return false;
	return word_in(&next, objects, ARRAY_SIZE(objects), false) ||
	       is_identifier(&next);
}

struct first {
	bool found;
	size_t para, line;
};

/* The sentence, or a clause after ", " in it, gives an order. */
static bool imperative_sentence(const struct sentence *s, void *data)
{
	const char *m = s->run->mask, *end = m + s->end, *c;
	struct first *f = data;
	size_t i;

	if (!clause_imperative(m + s->start, end, true)) {
		for (c = m + s->start; (c = strstr(c, ", ")) && c < end; c++)
			if (clause_imperative(c + 2, end, false))
				break;
		if (!c || c >= end)
			return false;
	}
	f->found = true;
	f->para = s->run->para;
	f->line = s->run->line;
	for (i = 1; i < s->run->lines; i++)
		if (s->run->starts[i] <= s->start)
			f->line++;
	return true;
}

void kx_rule_changelog_what_first(struct kx_findings *out,
				  const struct kx_patch *p,
				  const struct kx_rule_env *env)
{
	struct first f = { false, 0, 0 };
	struct kx_text_body b = { 0 };
	struct runs r = { 0 };
	size_t i, lines = 0, paras = 0;

	(void)env;
	if (!p->subject || kx_starts_with(p->subject, "Revert \"") ||
	    kx_starts_with(p->subject, "Reapply \"") || !kvm_x86_order(p))
		return;
	kx_text_body_read(&b, p->body);
	read_runs(&r, &b);
	for (i = 0; i < r.nr && !f.found; i++)
		each_sentence(&r.items[i], imperative_sentence, &f);
	for (i = 0; i < r.nr; i++) {
		lines += r.items[i].lines;
		paras = r.items[i].para + 1;
	}
	if (f.found && (f.para >= 2 || f.line >= WHAT_FIRST_LINES))
		kx_findings_add(out, KX_SEV_ADVICE, "changelog-what-first",
				"what changes is first said in paragraph %zu, "
				"line %zu of the changelog: lead with a short "
				"blurb on the change, then the background "
				"(KVM x86 order)", f.para + 1, f.line + 1);
	else if (!f.found && lines > WHAT_FIRST_LINES && paras >= 2)
		kx_findings_add(out, KX_SEV_ADVICE, "changelog-what-first",
				"changelog never says in imperative mood what "
				"changes: lead with a short blurb on the "
				"change ('Do X'), then the background (KVM "
				"x86 order)");
	release_runs(&r);
	kx_text_body_release(&b);
}

/* --- changelog-wrap-75 --- */

/* Columns of [s, s + n): UTF-8 code points. */
static size_t columns(const char *s, size_t n)
{
	size_t i, cols = 0;

	for (i = 0; i < n; i++)
		cols += ((unsigned char)s[i] & 0xc0) != 0x80;
	return cols;
}

/* A 12+ hex commit id followed by ("subject"), which should not wrap. */
static bool has_commit_ref(const char *s)
{
	const char *q;

	for (q = strstr(s, " (\""); q; q = strstr(q + 1, " (\"")) {
		size_t n = 0;

		while (q - n > s && isxdigit((unsigned char)q[-1 - (long)n]))
			n++;
		if (n >= 12)
			return true;
	}
	return false;
}

/*
 * A compiler's or tool's message pasted flush left: it starts with a file
 * name and a colon, "lib/assert.c:58:14: error: ...", "libkvm.a(x.o): ...".
 */
static bool is_tool_output(const char *s)
{
	size_t n = strcspn(s, ": ");

	return s[n] == ':' && strpbrk(s, "./(") && strpbrk(s, "./(") < s + n;
}

/*
 * Could the line be wrapped at 75 columns: does it have a blank within
 * them after its first word, with what follows short enough to fit?
 */
static bool wrappable(const char *s)
{
	size_t len = strlen(s), i, cols = 0, brk = 0, word;

	for (i = 0; i < len && cols <= WRAP_COLS; i++) {
		if (s[i] == ' ' && i)
			brk = i;
		cols += ((unsigned char)s[i] & 0xc0) != 0x80;
	}
	if (!brk)
		return false;
	/* the word that crosses the limit must fit on a line of its own */
	for (word = brk + 1; s[word] && s[word] != ' '; word++)
		;
	return columns(s + brk + 1, word - brk - 1) <= WRAP_COLS;
}

/* The bytes of s a quote of at most max bytes keeps: whole characters. */
static int quote_len(const char *s, size_t max)
{
	size_t n = strlen(s);

	return (int)(n <= max ? n : kx_utf8_cut(s, max));
}

void kx_rule_changelog_wrap(struct kx_findings *out, const struct kx_patch *p,
			    const struct kx_rule_env *env)
{
	struct kx_text_body b = { 0 };
	size_t i, nr = 0, first = 0, first_cols = 0;

	(void)env;
	kx_text_body_read(&b, p->body);
	for (i = 0; i < b.nr; i++) {
		const char *s = b.items[i].text;
		size_t cols = columns(s, strlen(s));

		if (b.items[i].kind != KX_TEXT_PROSE || cols <= WRAP_COLS ||
		    strstr(s, "://") || has_commit_ref(s) ||
		    is_tool_output(s) || !wrappable(s))
			continue;
		if (!nr++) {
			first = i;
			first_cols = cols;
		}
	}
	if (nr)
		kx_findings_add(out, KX_SEV_WARNING, "changelog-wrap-75",
				"%zu changelog line%s longer than %d columns "
				"(the first, '%.*s...', has %zu): wrap the "
				"changelog at %d", nr, nr > 1 ? "s are" : " is",
				WRAP_COLS, quote_len(b.items[first].text, 20),
				b.items[first].text, first_cols,
				WRAP_COLS);
	kx_text_body_release(&b);
}

/* --- changelog-not-shortlog --- */

static const char *const stopwords[] = {
	"a", "an", "the", "to", "of", "in", "for", "on", "and", "or", "with",
	"from", "by", "as", "at", "is", "be", "it", "its", "this", "that",
	"when", "if", "into", "kvm",
};

/* Adds the content words of s, lower-cased and crudely stemmed. */
static void content_words(struct kx_strlist *l, const char *s)
{
	while (*s) {
		const char *start;
		size_t n, i;
		char *w;

		if (!is_word_char(*s)) {
			s++;
			continue;
		}
		for (start = s; is_word_char(*s); s++)
			;
		n = (size_t)(s - start);
		w = kx_xstrndup(start, n);
		for (i = 0; i < n; i++)
			w[i] = (char)tolower((unsigned char)w[i]);
		for (i = 0; i < ARRAY_SIZE(stopwords); i++)
			if (!strcmp(w, stopwords[i]))
				break;
		if (i < ARRAY_SIZE(stopwords)) {
			free(w);
			continue;
		}
		/* "fixes", "fixed", "fixing" and "fix" are one word */
		if (n > 4 && kx_ends_with(w, "ing"))
			w[n - 3] = '\0';
		else if (n > 3 && (kx_ends_with(w, "es") ||
				   kx_ends_with(w, "ed")))
			w[n - 2] = '\0';
		else if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's')
			w[n - 1] = '\0';
		else if (n > 3 && w[n - 1] == 'e')
			w[n - 1] = '\0';
		kx_strlist_add(l, w);
		free(w);
	}
}

struct restate {
	struct kx_strlist words;
	size_t sentences;
};

static bool collect_sentence(const struct sentence *s, void *data)
{
	struct restate *rs = data;
	const char *t = s->run->text + s->start;
	char *text;

	/* says nothing of what or why, but is no restatement either */
	if (!strncasecmp(t, "No functional change", 20))
		return false;
	text = kx_xstrndup(t, s->end - s->start);
	content_words(&rs->words, text);
	free(text);
	rs->sentences++;
	return false;
}

void kx_rule_changelog_not_shortlog(struct kx_findings *out,
				    const struct kx_patch *p,
				    const struct kx_rule_env *env)
{
	struct kx_strlist subj = KX_STRLIST_INIT;
	struct restate rs = { KX_STRLIST_INIT, 0 };
	struct kx_text_body b = { 0 };
	struct runs r = { 0 };
	size_t i, fresh = 0;

	(void)env;
	if (!p->subject || kx_starts_with(p->subject, "Revert \"") ||
	    kx_starts_with(p->subject, "Reapply \""))
		return;
	kx_text_body_read(&b, p->body);
	for (i = 0; i < b.nr; i++)
		if (b.items[i].kind == KX_TEXT_INDENT || b.items[i].kind == KX_TEXT_QUOTE ||
		    b.items[i].kind == KX_TEXT_LOG)
			goto done;	/* it shows something */
	read_runs(&r, &b);
	for (i = 0; i < r.nr; i++)
		each_sentence(&r.items[i], collect_sentence, &rs);
	if (!rs.words.nr || rs.sentences > 2)
		goto done;
	content_words(&subj, p->subject);
	for (i = 0; i < rs.words.nr; i++)
		fresh += !kx_strlist_has(&subj, rs.words.items[i]);
	if (fresh <= 1 && rs.words.nr <= subj.nr + 2)
		kx_findings_add(out, KX_SEV_WARNING, "changelog-not-shortlog",
				"changelog only restates the shortlog: say "
				"why the change is needed (the problem it "
				"solves) and what it changes");
done:
	release_runs(&r);
	kx_text_body_release(&b);
	kx_strlist_release(&subj);
	kx_strlist_release(&rs.words);
}

/* --- version-notes-below-separator --- */

/* "v2:", "v1 -> v2:", "[v3]", "Changes since v1", "Changes in v3:"... */
static bool is_version_note(const char *s)
{
	static const char *const starts[] = {
		"changes since ", "changes in ", "changes from ",
		"changes for ", "changes between ", "changes v", "changelog v",
		"changelog since ", "since v", "changes vs ",
	};
	const char *q;
	size_t i;

	if ((*s == '-' || *s == '*') && s[1] == ' ')
		s += 2;
	if (*s == '[' || *s == '(')
		s++;
	for (i = 0; i < ARRAY_SIZE(starts); i++) {
		size_t n = strlen(starts[i]);

		if (!strncasecmp(s, starts[i], n))
			return starts[i][n - 1] == 'v' ||
			       strpbrk(s + n, "0123456789") != NULL ||
			       strstr(s, "version") || strstr(s, "revision");
	}
	if ((*s != 'v' && *s != 'V') || !isdigit((unsigned char)s[1]))
		return false;
	for (q = s + 1; isdigit((unsigned char)*q) || *q == '.'; q++)
		;
	while (*q == ' ')
		q++;
	return *q == ':' || *q == ']' || *q == ')' || !strncmp(q, "->", 2) ||
	       !strncmp(q, "- ", 2) || !strncmp(q, "vs", 2);
}

void kx_rule_version_notes(struct kx_findings *out, const struct kx_patch *p,
			   const struct kx_rule_env *env)
{
	struct kx_text_body b = { 0 };
	size_t i;

	(void)env;
	kx_text_body_read(&b, p->body);
	for (i = 0; i < b.nr; i++) {
		const char *s = b.items[i].text;

		if (b.items[i].kind != KX_TEXT_PROSE || !is_version_note(s))
			continue;
		kx_findings_add(out, KX_SEV_WARNING,
				"version-notes-below-separator",
				"version notes ('%.*s') above the '---' line "
				"would go into git: move them below '---', or "
				"into the cover letter", quote_len(s, 30), s);
		break;
	}
	kx_text_body_release(&b);
}

/* --- security-process --- */

/* The words of s, lower-cased; "guest-to-host" stays one word. */
static void lower_words(struct kx_strlist *l, const char *s)
{
	while (*s) {
		const char *start;
		char *w;
		size_t i;

		if (!isalnum((unsigned char)*s)) {
			s++;
			continue;
		}
		for (start = s; isalnum((unsigned char)*s) ||
				(*s == '-' && isalnum((unsigned char)s[1]));
		     s++)
			;
		w = kx_xstrndup(start, (size_t)(s - start));
		for (i = 0; w[i]; i++)
			w[i] = (char)tolower((unsigned char)w[i]);
		kx_strlist_add(l, w);
		free(w);
	}
}

/* The first word of l that starts with prefix, or NULL. */
static const char *starting(const struct kx_strlist *l, const char *prefix)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (kx_starts_with(l->items[i], prefix))
			return l->items[i];
	return NULL;
}

static const char *const leak_phrases[] = {
	"information leak", "info leak", "information disclosure",
	"privilege escalation", "code execution", "guest-to-host",
	"guest to host escape", "escape to the host",
};

/* Leaks of the host's own resources: bugs, not disclosures. */
static const char *const resource_leaks[] = {
	"memory leak", "kmemleak", "leaks memory", "leaking memory",
	"leaked memory", "refcount leak", "reference leak", "page leak",
	"leaks a reference", "leaks the reference", "leaking a reference",
	"fd leak", "file leak",
};

static bool resource_leak(const char *lower)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(resource_leaks); i++)
		if (strstr(lower, resource_leaks[i]))
			return true;
	return false;
}

/*
 * Whether the leak word at k is denied: "are never leaked", "is not
 * leaked", "can't leak" state that nothing leaks.  "Don't leak ..." at
 * the start of a sentence is the fix of a leak, so it still counts.
 */
static bool leak_denied(const struct kx_strlist *w, size_t k)
{
	size_t j;

	for (j = k > 3 ? k - 3 : 0; j < k; j++) {
		const char *x = w->items[j];
		bool imperative = (j == 1 && !strcmp(w->items[0], "don")) ||
				  (j == 1 && !strcmp(w->items[0], "do"));

		if ((!strcmp(x, "never") || !strcmp(x, "not") ||
		     !strcmp(x, "cannot") || !strcmp(x, "t") ||
		     !strcmp(x, "without")) && !imperative)
			return true;
	}
	return false;
}

/*
 * What in the sentence speaks of a vulnerability: a guest escaping to the
 * host, L2 attacking L1, host data leaking to a guest, a CVE.  NULL if
 * nothing.  L1 is the host only beside L2: alone, it is L0's guest.
 */
static const char *vulnerability(const char *text)
{
	struct kx_strlist w = KX_STRLIST_INIT;
	const char *what = NULL, *leak = NULL;
	char *lower = kx_xstrdup(text);
	size_t i;
	bool host, guest, l2;

	for (i = 0; lower[i]; i++)
		lower[i] = (char)tolower((unsigned char)lower[i]);
	for (i = 0; i < ARRAY_SIZE(leak_phrases) && !what; i++)
		if (strstr(lower, leak_phrases[i]))
			what = leak_phrases[i];
	lower_words(&w, lower);
	l2 = kx_strlist_has(&w, "l2");
	host = kx_strlist_has(&w, "host") || kx_strlist_has(&w, "hypervisor") ||
	       (l2 && kx_strlist_has(&w, "l1"));
	guest = kx_strlist_has(&w, "guest") || kx_strlist_has(&w, "guests") || l2 ||
		kx_strlist_has(&w, "l1") || kx_strlist_has(&w, "vm") ||
		kx_strlist_has(&w, "vms");
	for (i = 0; i < w.nr && !leak; i++)
		if (kx_starts_with(w.items[i], "leak") && !leak_denied(&w, i))
			leak = w.items[i];
	if (what)
		goto done;
	if (starting(&w, "cve-"))
		what = "CVE";
	else if (host && guest && starting(&w, "escap"))
		what = "guest escape";
	else if (host && guest && (starting(&w, "attack") ||
				   starting(&w, "exploit")))
		what = kx_strlist_has(&w, "l2") ? "L2 attacking L1" :
					    "attacking the host";
	else if (leak && host && (guest || kx_strlist_has(&w, "userspace")) &&
		 !resource_leak(lower))
		what = "host data leaking to a guest";
done:
	kx_strlist_release(&w);
	free(lower);
	return what;
}

/* The subject's description, past "KVM: nVMX: ": a sentence of its own. */
static const char *past_prefix(const char *subject)
{
	const char *p = subject;
	size_t n;

	for (;;) {
		n = strcspn(p, ": \t");
		if (!n || p[n] != ':' || p[n + 1] != ' ')
			return p;
		p += n + 2;
	}
}

struct hint {
	const char *what;
};

static bool vulnerable_sentence(const struct sentence *s, void *data)
{
	struct hint *h = data;
	char *text = kx_xstrndup(s->run->text + s->start, s->end - s->start);

	h->what = vulnerability(text);
	free(text);
	return h->what != NULL;
}

void kx_rule_security_process(struct kx_findings *out,
			      const struct kx_patch *p,
			      const struct kx_rule_env *env)
{
	struct hint h = { NULL };
	struct kx_text_body b = { 0 };
	struct runs r = { 0 };
	size_t i;

	(void)env;
	if (p->subject)
		h.what = vulnerability(past_prefix(p->subject));
	kx_text_body_read(&b, p->body);
	read_runs(&r, &b);
	for (i = 0; i < r.nr && !h.what; i++)
		each_sentence(&r.items[i], vulnerable_sentence, &h);
	if (h.what)
		kx_findings_add(out, KX_SEV_ADVICE, "security-process",
				"changelog speaks of %s%s: if the bug is not "
				"public yet, report it to security@kernel.org "
				"first (Documentation/process/security-bugs."
				"rst) instead of posting it",
				strcmp(h.what, "CVE") ? "" : "a ", h.what);
	release_runs(&r);
	kx_text_body_release(&b);
}

/* --- comments-imperative-no-pronouns --- */

/* kx_c_run_fn: each comment's text, an item of the list in data. */
static void add_comment(enum kx_c_kind kind, const char *s, size_t n, void *data)
{
	if (kind == KX_C_COMMENT)
		kx_strlist_addf(data, "%.*s", (int)n, s);
}

static bool comments_apply(const struct kx_patch_file *f)
{
	if (f->area != KX_AREA_X86 && f->area != KX_AREA_COMMON &&
	    f->area != KX_AREA_SELFTESTS)
		return false;
	return kx_ends_with(f->path, ".c") || kx_ends_with(f->path, ".h") ||
	       kx_ends_with(f->path, ".S");
}

void kx_rule_comments_no_pronouns(struct kx_findings *out,
				  const struct kx_patch *p,
				  const struct kx_rule_env *env)
{
	size_t i, j;

	(void)env;
	for (i = 0; i < p->files_nr; i++) {
		const struct kx_patch_file *f = &p->files[i];
		struct kx_strlist parts = KX_STRLIST_INIT;
		struct kx_strlist found = KX_STRLIST_INIT;
		unsigned *at = NULL, first = 0;
		size_t at_alloc = 0, at_nr = 0;
		bool in_block = false;

		if (!comments_apply(f))
			continue;
		for (j = 0; j < f->added.nr; j++) {
			kx_c_line_runs(f->added.items[j], &in_block, add_comment, &parts);
			/* each comment part's line, for the first one that says it */
			for (; at_nr < parts.nr; at_nr++) {
				kx_grow((void **)&at, &at_alloc, at_nr, sizeof(*at));
				at[at_nr] = kx_patch_file_line(f, j);
			}
		}
		for (j = 0; j < parts.nr; j++) {
			char *m = kx_xmalloc(strlen(parts.items[j]) + 1);
			size_t before = found.nr;

			m[append_ascii(m, parts.items[j])] = '\0';
			mask_quotes(m);
			find_pronouns(&found, m, m + strlen(m), false);
			if (!before && found.nr)
				first = at[j];
			free(m);
		}
		if (found.nr) {
			char *list = quote_list(&found);

			kx_findings_add_line(out, f->path, first, KX_SEV_ADVICE,
					     "comments-imperative-no-pronouns",
					     "added comments in %s say %s: write "
					     "comments in imperative mood, without "
					     "pronouns", f->path, list);
			free(list);
		}
		free(at);
		kx_strlist_release(&found);
		kx_strlist_release(&parts);
	}
}
