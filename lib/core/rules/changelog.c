// SPDX-License-Identifier: GPL-2.0-only
/*
 * Changelog rules: a body that says something, function() references,
 * commit references and SDM/APM section numbers.  They read the prose of
 * the changelog: the body up to "---", without quoted ("> ") or indented
 * lines (code, logs, pasted manual text) and without trailers.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/rules.h"
#include "ctext.h"
#include "sdm.h"
#include "text.h"

#define REF_FORMAT "'<12+ hex digits> (\"<subject>\")'"

static bool is_ident(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static bool is_prose(const struct kx_text_line *l)
{
	return l->kind == KX_TEXT_PROSE;
}

/* --- changelog-nonempty --- */

void kx_rule_changelog_nonempty(struct kx_findings *out,
				const struct kx_patch *p,
				const struct kx_rule_env *env)
{
	struct kx_text_body l = { 0 };
	size_t i, text = 0, content = 0;

	(void)env;
	kx_text_body_read(&l, p->body);
	for (i = 0; i < l.nr; i++) {
		bool blank = kx_text_is_blank(l.items[i].text);

		text += !blank;
		content += !blank && !(l.items[i].kind == KX_TEXT_TRAILER);
	}
	if (!text)
		kx_findings_add(out, KX_SEV_ERROR, "changelog-nonempty",
				"changelog is empty: describe the problem and "
				"how the patch solves it");
	else if (!content)
		kx_findings_add(out, KX_SEV_ERROR, "changelog-nonempty",
				"changelog has only trailers: describe the "
				"problem and how the patch solves it");
	kx_text_body_release(&l);
}

/* --- function-parens --- */

static bool all_caps(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (islower((unsigned char)s[i]))
			return false;
	return true;
}

static bool in_list(const struct kx_strlist *l, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (strlen(l->items[i]) == n && !strncmp(l->items[i], s, n))
			return true;
	return false;
}

/* Compiler words that are followed by '(' but name no function. */
static bool is_builtin(const char *s, size_t n)
{
	static const char *const words[] = {
		"__attribute__", "__typeof__", "__typeof", "__alignof__",
		"_Static_assert", "__asm__", "__volatile__", "_Generic",
		"_Alignof", "__has_attribute", "__has_builtin",
	};
	size_t i;

	if (n > 10 && !strncmp(s, "__builtin_", 10))
		return true;
	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (strlen(words[i]) == n && !strncmp(words[i], s, n))
			return true;
	return false;
}

/*
 * kx_c_run_fn: adds the names that a run of a diff line calls or defines
 * (data: the list), identifiers followed by '(' in code or a comment, not
 * in a literal.  Only names with an '_' count: "min(" or "likely(" would
 * match plain English words.
 */
static void add_calls(enum kx_c_kind kind, const char *s, size_t len, void *data)
{
	struct kx_strlist *names = data;
	const char *end = s + len;

	if (kind == KX_C_LITERAL)
		return;
	while (s < end) {
		const char *start, *q;
		size_t n;

		if (!(isalpha((unsigned char)*s) || *s == '_')) {
			s++;
			continue;
		}
		start = s;
		while (s < end && is_ident(*s))
			s++;
		n = (size_t)(s - start);
		for (q = s; q < end && (*q == ' ' || *q == '\t'); q++)
			;
		if (q == end || *q != '(' || !memchr(start, '_', n) || all_caps(start, n) ||
		    is_builtin(start, n) || in_list(names, start, n))
			continue;
		kx_grow((void **)&names->items, &names->alloc, names->nr,
			sizeof(*names->items));
		names->items[names->nr++] = kx_xstrndup(start, n);
	}
}

/* Adds the names that a diff line calls or defines (add_calls()). */
static void collect_calls(struct kx_strlist *names, const char *s)
{
	bool in_block = false;

	kx_c_line_runs(s, &in_block, add_calls, names);
}

/*
 * Is the identifier [s, s + n) of text a bare mention of a function: not
 * called, not a member, a file name or a path?
 */
static bool bare_mention(const char *text, const char *s, size_t n)
{
	const char *e = s + n, *q;

	if (s > text) {
		char c = s[-1];

		if (c == '.' || c == '&' || c == '*' || c == '/' ||
		    c == '$' || c == '%' || c == '@' ||
		    (c == '>' && s - text >= 2 && s[-2] == '-') ||
		    (c == ':' && s - text >= 2 && s[-2] == ':'))
			return false;
	}
	if ((*e == '.' || *e == '/') && is_ident(e[1]))
		return false;		/* kvm_main.c, a path */
	if (*e == '[' || (*e == '-' && e[1] == '>') || *e == '@' ||
	    (*e == '+' && e[1] == '0' && e[2] == 'x'))
		return false;		/* an array, a pointer, a symbol+off */
	for (q = e; *q == ' ' || *q == '\t'; q++)
		;
	return *q != '(';
}

/*
 * Whether [s, s + n) names a function: one the diff calls or defines, or
 * one of KVM's code in the tree the series sits on (env's index).  Only
 * names as collect_calls() counts them: an '_', not all capitals.
 */
static bool is_function(const struct kx_strlist *names,
			const struct kx_rule_env *env, const char *s, size_t n)
{
	if (in_list(names, s, n))
		return true;
	if (!env || !env->is_function || !memchr(s, '_', n) ||
	    all_caps(s, n) || is_builtin(s, n))
		return false;
	return env->is_function(env->function_data, s, n);
}

/*
 * Looks for bare mentions of names in text; *quoted carries an open
 * double quote from one line to the next.  Reports each name once.
 */
static void scan_mentions(struct kx_findings *out,
			  const struct kx_strlist *names,
			  const struct kx_rule_env *env,
			  struct kx_strlist *seen, const char *text,
			  bool *quoted, const char *where)
{
	const char *s = text;

	while (*s) {
		const char *start;
		size_t n;

		if (*s == '"') {
			*quoted = !*quoted;
			s++;
			continue;
		}
		if (*quoted || !(isalpha((unsigned char)*s) || *s == '_') ||
		    (s > text && is_ident(s[-1]))) {
			s++;
			continue;
		}
		start = s;
		while (is_ident(*s))
			s++;
		n = (size_t)(s - start);
		if (in_list(seen, start, n) || !bare_mention(text, start, n) ||
		    !is_function(names, env, start, n))
			continue;
		kx_strlist_addf(seen, "%.*s", (int)n, start);
		kx_findings_add(out, KX_SEV_WARNING, "function-parens",
				"function '%.*s' named without parentheses in "
				"the %s: write '%.*s()'", (int)n, start, where,
				(int)n, start);
	}
}

void kx_rule_function_parens(struct kx_findings *out,
			     const struct kx_patch *p,
			     const struct kx_rule_env *env)
{
	struct kx_strlist names = KX_STRLIST_INIT, seen = KX_STRLIST_INIT;
	struct kx_text_body l = { 0 };
	bool quoted = false;
	size_t i, j;

	for (i = 0; i < p->files_nr; i++) {
		const struct kx_patch_file *f = &p->files[i];

		for (j = 0; j < f->added.nr; j++)
			collect_calls(&names, f->added.items[j]);
		for (j = 0; j < f->removed.nr; j++)
			collect_calls(&names, f->removed.items[j]);
		/* the functions the hunks are in (their @@ headers) */
		for (j = 0; j < f->context.nr; j++)
			collect_calls(&names, f->context.items[j]);
	}
	if (!names.nr && (!env || !env->is_function))
		return;
	if (p->subject)
		scan_mentions(out, &names, env, &seen, p->subject, &quoted,
			      "shortlog");
	kx_text_body_read(&l, p->body);
	quoted = false;
	for (i = 0; i < l.nr; i++) {
		/* a quote ends with its paragraph */
		if (kx_text_is_blank(l.items[i].text))
			quoted = false;
		if (is_prose(&l.items[i]))
			scan_mentions(out, &names, env, &seen, l.items[i].text,
				      &quoted, "changelog");
	}
	kx_text_body_release(&l);
	kx_strlist_release(&seen);
	kx_strlist_release(&names);
}

/* --- commit-ref-format --- */

/* The prose as one string: paragraphs joined by "\n", others by "\n\n". */
static char *prose_text(const struct kx_text_body *l)
{
	size_t i, n = 1;
	char *s, *o;

	for (i = 0; i < l->nr; i++)
		n += strlen(l->items[i].text) + 2;
	s = o = kx_xmalloc(n);
	for (i = 0; i < l->nr; i++) {
		const char *t = l->items[i].text;

		/* git revert's own words are fine as they are */
		if (is_prose(&l->items[i]) &&
		    !kx_starts_with(t, "This reverts commit ")) {
			size_t m = strlen(t);

			memcpy(o, t, m);
			o += m;
			*o++ = '\n';
		} else {
			*o++ = '\n';
			*o++ = '\n';
		}
	}
	*o = '\0';
	return s;
}

/* Does the word before s (across spaces and a newline) read "commit"? */
static bool after_commit_word(const char *text, const char *s)
{
	const char *q = s;

	while (q > text && isspace((unsigned char)q[-1]) && q[-1] != '\n')
		q--;
	if (q > text && q[-1] == '\n' && !(q - 1 > text && q[-2] == '\n'))
		q--;
	while (q > text && (q[-1] == ' ' || q[-1] == '\t'))
		q--;
	if (q == s || q - text < 6 || strncasecmp(q - 6, "commit", 6))
		return false;
	return q - 6 == text || !is_ident(q[-7]);
}

/* Skips blanks and a single line break (within the paragraph). */
static const char *skip_blanks_nl(const char *s)
{
	while (*s == ' ' || *s == '\t' || (*s == '\n' && s[1] != '\n'))
		s++;
	return s;
}

/*
 * Parses ` ("subject")` after a commit id at s, within the paragraph, or
 * `, "subject")` when the id opened the parenthesis: "(<id>, "subject")".
 * Returns the subject with line breaks folded (caller frees), or NULL.
 */
static char *ref_subject(const char *s)
{
	const char *end, *q;
	char *subj, *o;

	s = skip_blanks_nl(s);
	if (s[0] == ',' && s[-1] != ' ') {
		s = skip_blanks_nl(s + 1);
		if (s[0] != '"')
			return NULL;
		s++;
	} else if (s[0] == '(' && s[1] == '"') {
		s += 2;
	} else {
		return NULL;
	}
	for (end = s; *end; end++) {
		if (end[0] == '"' && end[1] == ')')
			break;
		if (end[0] == '\n' && end[1] == '\n')
			return NULL;
	}
	if (!*end || end == s)
		return NULL;
	subj = o = kx_xmalloc((size_t)(end - s) + 1);
	for (q = s; q < end; q++) {
		if (*q == '\n') {
			while (o > subj && o[-1] == ' ')
				o--;
			*o++ = ' ';
			while (q + 1 < end && isspace((unsigned char)q[1]))
				q++;
		} else {
			*o++ = *q;
		}
	}
	*o = '\0';
	return subj;
}

static void ref_lookup(struct kx_findings *out, const struct kx_rule_env *env,
		       const char *id, const char *subj)
{
	char *actual = NULL;
	int r = env->lookup_commit(env->data, id, &actual);

	if (r == 0)
		kx_findings_add(out, KX_SEV_WARNING, "commit-ref-format",
				"commit '%s' is not in the repository: check "
				"the id (rebased or not fetched?)", id);
	else if (r < 0)
		kx_findings_add(out, KX_SEV_WARNING, "commit-ref-format",
				"commit id '%s' is ambiguous: use more hex "
				"digits", id);
	else if (subj && actual && strcmp(subj, actual))
		kx_findings_add(out, KX_SEV_WARNING, "commit-ref-format",
				"subject \"%s\" does not match commit %s "
				"\"%s\": copy the commit's subject", subj, id,
				actual);
	free(actual);
}

/* Checks one hex token [s, s + n) of the prose text. */
static void check_ref(struct kx_findings *out, const struct kx_rule_env *env,
		      const char *text, const char *s, size_t n,
		      struct kx_strlist *seen)
{
	bool commit = after_commit_word(text, s), digit = false, alpha = false;
	bool upper = false;
	char *id, *subj;
	size_t i;

	for (i = 0; i < n; i++) {
		digit |= isdigit((unsigned char)s[i]) != 0;
		alpha |= isalpha((unsigned char)s[i]) != 0;
		upper |= isupper((unsigned char)s[i]) != 0;
	}
	/* "commit added" is English; a bare 12+ hex token a commit id */
	if (!digit || n > 40 || (commit ? n < 5 : n < 12 || !alpha || upper))
		return;
	/* ...unless it is a 64-bit address, ffff888100000000 */
	if (!commit && n == 16 && (!strncmp(s, "ffff", 4) ||
				   !strncmp(s, "0000", 4)))
		return;
	id = kx_xstrndup(s, n);
	if (in_list(seen, s, n)) {
		free(id);
		return;
	}
	kx_strlist_add(seen, id);
	subj = ref_subject(s + n);
	if (n < 12)
		kx_findings_add(out, KX_SEV_ERROR, "commit-ref-format",
				"commit reference '%s' has only %zu hex "
				"digits: write it as " REF_FORMAT, id, n);
	else if (!subj)
		kx_findings_add(out, KX_SEV_ERROR, "commit-ref-format",
				"commit reference '%s' lacks its subject: "
				"write it as '%s (\"<subject>\")'", id, id);
	if (n >= 12 && env && env->lookup_commit)
		ref_lookup(out, env, id, subj);
	free(subj);
	free(id);
}

void kx_rule_commit_ref_format(struct kx_findings *out,
			       const struct kx_patch *p,
			       const struct kx_rule_env *env)
{
	struct kx_strlist seen = KX_STRLIST_INIT;
	struct kx_text_body l = { 0 };
	bool quoted = false;
	const char *s;
	char *text;

	kx_text_body_read(&l, p->body);
	text = prose_text(&l);
	for (s = text; *s;) {
		const char *start = s;
		size_t n = 0;

		/* skip the quoted subjects of references already seen */
		if (*s == '"') {
			quoted = !quoted;
			s++;
			continue;
		}
		if (s[0] == '\n' && s[1] == '\n')
			quoted = false;
		if (quoted || !isxdigit((unsigned char)*s) ||
		    (s > text && !isspace((unsigned char)s[-1]) &&
		     s[-1] != '(')) {
			s++;
			continue;
		}
		while (isxdigit((unsigned char)s[n]))
			n++;
		s += n;
		if (*s && !isspace((unsigned char)*s) &&
		    !strchr("\"'(:[.,;)", *s))
			continue;
		check_ref(out, env, text, start, n, &seen);
	}
	free(text);
	kx_text_body_release(&l);
	kx_strlist_release(&seen);
}

/* --- no-sdm-section-numbers --- */

/* Does the word w (case-insensitively unless exact) start at s? */
static bool word_at(const char *line, const char *s, const char *w,
		    bool exact)
{
	size_t n;

	/* most positions fail on the first letter: test it before the rest */
	if (exact ? *s != *w :
	    tolower((unsigned char)*s) != tolower((unsigned char)*w))
		return false;
	if (s > line && is_ident(s[-1]))
		return false;
	n = strlen(w);
	if (exact ? strncmp(s, w, n) : strncasecmp(s, w, n))
		return false;
	return !is_ident(w[n - 1]) || !is_ident(s[n]);
}

static bool has_word(const char *line, const char *w, bool exact)
{
	const char *s;

	for (s = line; *s; s++)
		if (word_at(line, s, w, exact))
			return true;
	return false;
}

/* Words that tie a section number to the SDM or the APM. */
static bool names_manual(const char *line)
{
	return has_word(line, "SDM", true) || has_word(line, "APM", true) ||
	       has_word(line, "Intel", false) || has_word(line, "AMD", true) ||
	       has_word(line, "Software Developer", false) ||
	       has_word(line, "Programmer", false);
}

/* Words that name another specification. */
static bool names_other_spec(const char *line)
{
	static const char *const specs[] = {
		"PCI", "PCIe", "ACPI", "UEFI", "RFC", "virtio", "JEDEC",
		"USB", "NVMe", "SMBIOS", "TCG", "TPM", "TLFS", "DMTF", "CXL",
		"Arm", "ARM", "RISC-V", "JESD",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(specs); i++)
		if (has_word(line, specs[i], true))
			return true;
	return false;
}

/*
 * Length of a section number at s: digits, then groups of '.' or '-' and
 * digits or a capital; *dotted says whether it has any group.
 */
static size_t number_len(const char *s, bool *dotted)
{
	size_t n = 0;

	*dotted = false;
	if (!isdigit((unsigned char)*s))
		return 0;
	while (isdigit((unsigned char)s[n]))
		n++;
	while ((s[n] == '.' || s[n] == '-') &&
	       (isdigit((unsigned char)s[n + 1]) ||
		(isupper((unsigned char)s[n + 1]) && !is_ident(s[n + 2])))) {
		*dotted = true;
		n++;
		while (isalnum((unsigned char)s[n]))
			n++;
	}
	if (is_ident(s[n]) && !isupper((unsigned char)s[n]))
		return 0;
	if (isupper((unsigned char)s[n]) && !is_ident(s[n + 1]))
		n++;		/* "Vol. 3C" */
	return n;
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Length of "Vol.", "Volume" or "Vol" at s, or 0. */
static size_t vol_word(const char *line, const char *s)
{
	if (word_at(line, s, "Vol.", false))
		return 4;
	if (word_at(line, s, "Volume", false))
		return 6;
	if (word_at(line, s, "Vol", false))
		return 3;
	return 0;
}

static const char *const section_words[] = {
	"Section", "Sections", "Sect.", "Sec.", "\xc2\xa7", "Chapter",
	"Table", "Figure", "Fig.",
};

/* A section word at s: returns its length and whether it names a table. */
static size_t section_word(const char *line, const char *s, bool *table)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(section_words); i++) {
		const char *w = section_words[i];

		if (word_at(line, s, w, false)) {
			*table = i >= 6;
			return strlen(w);
		}
	}
	return 0;
}

/*
 * What follows a manual or volume name at q: an optional ',', an optional
 * "Section"/"Table" word, then a number.  Returns the end of the number,
 * or NULL; a bare number counts only when dotted (25.1.3).
 */
static const char *section_number_end(const char *line, const char *q)
{
	bool dotted, table;
	size_t n, w;

	if (*q == ',')
		q = skip_blanks(q + 1);
	if ((w = section_word(line, q, &table)))
		q = skip_blanks(q + w);
	n = number_len(q, &dotted);
	return n && (dotted || w) ? q + n : NULL;
}

/* What a line names, worked out once per line (find_sdm_ref()). */
struct sdm_line {
	bool manual;		/* names_manual() */
	bool other;		/* names_other_spec() */
};

/*
 * Finds a numbered SDM/APM reference in lines[i] (with lines[i - 2] to
 * lines[i + 2] as context, whose names are in names[]); returns its start
 * and sets *len, or NULL.
 */
static const char *find_sdm_ref(const char *const *lines,
				const struct sdm_line *names, size_t nr,
				size_t i, const char *from, size_t *len)
{
	const char *line = lines[i], *s, *q, *end;
	bool manual = false, other = false, dotted, table;
	size_t j, n, w;

	for (j = i >= 2 ? i - 2 : 0; j < nr && j <= i + 2; j++) {
		manual |= names[j].manual;
		other |= names[j].other;
	}
	for (s = from; *s; s++) {
		/* "SDM 25.1.3", "APM Vol. 2 15.21", "SDM Table 24-7" */
		if (word_at(line, s, "SDM", true) ||
		    word_at(line, s, "APM", true)) {
			q = skip_blanks(s + 3);
			if (*q == ',')
				q = skip_blanks(q + 1);
			if ((w = vol_word(line, q))) {
				q = skip_blanks(q + w);
				q = skip_blanks(q + number_len(q, &dotted));
			}
			if ((end = section_number_end(line, q))) {
				*len = (size_t)(end - s);
				return s;
			}
			continue;
		}
		/* "Vol. 3C 26.6.5", "Vol. 3, Section 26.3.1" */
		if ((w = vol_word(line, s))) {
			q = skip_blanks(s + w);
			n = number_len(q, &dotted);
			if (!n)
				continue;
			if ((end = section_number_end(line, skip_blanks(q + n)))) {
				*len = (size_t)(end - s);
				return s;
			}
			continue;
		}
		/* "section 8.1.2 of the APM", "Table 24-7", "Figure 3-2" */
		if ((w = section_word(line, s, &table))) {
			q = skip_blanks(s + w);
			n = number_len(q, &dotted);
			if (!n)
				continue;
			/* another spec on the line wins over the context */
			if (names[i].other)
				continue;
			if (manual || (table && dotted && !other &&
				       memchr(q, '-', n))) {
				*len = (size_t)(q + n - s);
				return s;
			}
		}
	}
	return NULL;
}

/* Whether lines hold a numbered SDM/APM reference (kx_sdm__scan() would report). */
bool kx_sdm__numbered(const char *const *lines, size_t nr)
{
	struct sdm_line *names = kx_xcalloc(nr + 1, sizeof(*names));
	bool found = false;
	size_t i, len;

	for (i = 0; i < nr; i++) {
		names[i].manual = names_manual(lines[i]);
		names[i].other = names_other_spec(lines[i]);
	}
	for (i = 0; i < nr && !found; i++)
		found = find_sdm_ref(lines, names, nr, i, lines[i], &len) != NULL;
	free(names);
	return found;
}

/* Reports each SDM/APM reference in lines once, as sev, in where. */
void kx_sdm__scan(struct kx_findings *out, const char *const *lines,
		  size_t nr, enum kx_severity sev, const char *where,
		  const char *path, const unsigned *at)
{
	struct kx_strlist seen = KX_STRLIST_INIT;
	struct sdm_line *names = kx_xcalloc(nr + 1, sizeof(*names));
	size_t i, len;

	for (i = 0; i < nr; i++) {
		names[i].manual = names_manual(lines[i]);
		names[i].other = names_other_spec(lines[i]);
	}
	for (i = 0; i < nr; i++) {
		const char *s = lines[i];

		while ((s = find_sdm_ref(lines, names, nr, i, s, &len))) {
			if (!in_list(&seen, s, len)) {
				kx_strlist_addf(&seen, "%.*s", (int)len, s);
				kx_findings_add_line(out, path, at ? at[i] : 0, sev,
						     "no-sdm-section-numbers",
						     "section number '%.*s' in %s: "
						     "name the section instead, "
						     "the SDM's and APM's numbers "
						     "change", (int)len, s, where);
			}
			s += len;
		}
	}
	free(names);
	kx_strlist_release(&seen);
}

/* kx_c_run_fn: each comment's text, an item of the list in data. */
static void add_comment(enum kx_c_kind kind, const char *s, size_t n, void *data)
{
	if (kind == KX_C_COMMENT)
		kx_strlist_addf(data, "%.*s", (int)n, s);
}

/*
 * Returns the comment text of one added line (caller frees), or NULL if
 * it has none; *in_block carries a block comment across lines.
 */
static char *comment_of(const char *line, bool *in_block)
{
	struct kx_strlist parts = KX_STRLIST_INIT;
	char *text = NULL;
	size_t i;

	kx_c_line_runs(line, in_block, add_comment, &parts);
	for (i = 0; i < parts.nr; i++) {
		char *t = text ? kx_xasprintf("%s %s", text, parts.items[i]) :
				 kx_xstrdup(parts.items[i]);

		free(text);
		text = t;
	}
	kx_strlist_release(&parts);
	return text;
}

/* Checks the comments that a C file's added lines carry. */
static void sdm_in_comments(struct kx_findings *out,
			    const struct kx_patch_file *f)
{
	struct kx_strlist comments = KX_STRLIST_INIT;
	unsigned *at = kx_xcalloc(f->added.nr + 1, sizeof(*at));
	bool in_block = false;
	char *where;
	size_t i;

	for (i = 0; i < f->added.nr; i++) {
		char *c = comment_of(f->added.items[i], &in_block);

		if (c) {
			kx_grow((void **)&comments.items, &comments.alloc,
				comments.nr, sizeof(*comments.items));
			at[comments.nr] = kx_patch_file_line(f, i);
			comments.items[comments.nr++] = c;
		}
	}
	where = kx_xasprintf("a comment in %s", f->path);
	kx_sdm__scan(out, (const char *const *)comments.items, comments.nr,
		     KX_SEV_ERROR, where, f->path, at);
	free(where);
	free(at);
	kx_strlist_release(&comments);
}

void kx_rule_no_sdm_section_numbers(struct kx_findings *out,
				    const struct kx_patch *p,
				    const struct kx_rule_env *env)
{
	struct kx_text_body l = { 0 };
	const char **prose;
	size_t i, nr = 0;

	(void)env;
	for (i = 0; i < p->files_nr; i++) {
		const struct kx_patch_file *f = &p->files[i];

		/* the handbook speaks for KVM code, not other trees' */
		if (f->area == KX_AREA_NON_KVM || f->area == KX_AREA_OTHER_ARCH)
			continue;
		if (kx_ends_with(f->path, ".c") || kx_ends_with(f->path, ".h"))
			sdm_in_comments(out, f);
	}
	if (p->subject)
		kx_sdm__scan(out, (const char *const *)&p->subject, 1,
			     KX_SEV_WARNING, "the shortlog", NULL, NULL);
	kx_text_body_read(&l, p->body);
	prose = kx_xcalloc(l.nr + 1, sizeof(*prose));
	for (i = 0; i < l.nr; i++)
		if (is_prose(&l.items[i]))
			prose[nr++] = l.items[i].text;
	kx_sdm__scan(out, prose, nr, KX_SEV_WARNING, "the changelog", NULL,
		     NULL);
	free(prose);
	kx_text_body_release(&l);
}
