// SPDX-License-Identifier: GPL-2.0-only
/*
 * Rules on the shape of added C: manual text copied into comments, tip's
 * brackets, and tip's mechanical notes (bare 'unsigned', long lines).
 * Each reads a file's added lines split once into code and comment text
 * (ctext.h), so that a '{' in a string or an "if (" in a comment is
 * never taken for code.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/rules.h"
#include "ctext.h"
#include "sdm.h"

#define SELFTESTS "tools/testing/selftests/kvm/"

/* An added line as these rules read it. */
struct cline {
	char *code;		/* the code, literals as "" and comments left out */
	char *comment;		/* the comment text (runs joined by ' '; "" for
				   a blank line of a comment), or NULL */
	bool literal;		/* has a string or character literal */
	bool macro;		/* in a #define: ends in '\', or the line above did */
	bool gap;		/* not the next line of the one before it */
};

struct cfile {
	const struct kx_patch_file *f;
	struct cline *lines;
	size_t nr;
};

struct split {
	struct kx_buf code, comment;
	bool literal, commented;
};

static void split_run(enum kx_c_kind kind, const char *s, size_t n, void *data)
{
	struct split *sp = data;

	switch (kind) {
	case KX_C_CODE:
		kx_buf_add(&sp->code, s, n);
		break;
	case KX_C_LITERAL:
		/* keep a literal's place, not its text: "{" is no brace */
		kx_buf_adds(&sp->code, n && *s == '\'' ? "''" : "\"\"");
		sp->literal = true;
		break;
	case KX_C_COMMENT:
		sp->commented = true;
		if (sp->comment.len)
			kx_buf_addc(&sp->comment, ' ');
		kx_buf_add(&sp->comment, s, n);
		break;
	}
}

/* Whether f's i-th added line follows the one before it in the new file. */
static bool adjacent(const struct kx_patch_file *f, size_t i)
{
	unsigned a, b;

	if (!i)
		return false;
	a = kx_patch_file_line(f, i - 1);
	b = kx_patch_file_line(f, i);
	/* tests may leave the numbers out: the lines are then one run */
	return !a || !b || b == a + 1;
}

static void cfile_read(struct cfile *cf, const struct kx_patch_file *f)
{
	bool in_block = false, cont = false;
	size_t i;

	cf->f = f;
	cf->nr = f->added.nr;
	cf->lines = kx_xcalloc(cf->nr + 1, sizeof(*cf->lines));
	for (i = 0; i < cf->nr; i++) {
		const char *s = f->added.items[i];
		struct cline *l = &cf->lines[i];
		struct split sp = { KX_BUF_INIT, KX_BUF_INIT, false, false };
		size_t n = strlen(s);

		l->gap = !adjacent(f, i);
		if (l->gap)
			in_block = cont = false;
		kx_c_line_runs(s, &in_block, split_run, &sp);
		l->code = kx_buf_detach(&sp.code);
		l->comment = sp.commented ? kx_buf_detach(&sp.comment) : NULL;
		kx_buf_release(&sp.comment);
		l->literal = sp.literal;
		while (n && isspace((unsigned char)s[n - 1]))
			n--;
		l->macro = cont || (n && s[n - 1] == '\\');
		cont = n && s[n - 1] == '\\';
		if (!l->macro && *l->code && *l->code == '#')
			l->macro = strstr(l->code, "define") != NULL;
	}
}

static void cfile_release(struct cfile *cf)
{
	size_t i;

	for (i = 0; i < cf->nr; i++) {
		free(cf->lines[i].code);
		free(cf->lines[i].comment);
	}
	free(cf->lines);
}

static bool is_ident(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Whether only blanks are left in s. */
static bool blank(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return !*s;
}

/* If the word w starts at s (and ends there), returns the end; else NULL. */
static const char *word(const char *s, const char *w)
{
	size_t n = strlen(w);

	if (strncmp(s, w, n) || is_ident(s[n]))
		return NULL;
	return s + n;
}

/* --- no-sdm-copy-in-comments --- */

/* Does the comment text s name the SDM or the APM? */
static bool names_sdm(const char *s)
{
	const char *p;

	for (p = s; *p; p++) {
		if ((p == s || !is_ident(p[-1])) &&
		    (word(p, "SDM") || word(p, "APM") ||
		     !strncasecmp(p, "Software Developer", 18) ||
		     !strncasecmp(p, "Programmer's Manual", 19) ||
		     !strncasecmp(p, "Programmer\xe2\x80\x99s Manual", 21)))
			return true;
	}
	return false;
}

/*
 * Counts the words in [s, end) (runs of letters and digits) into *n, and
 * into *caps those that start with a capital or a digit.
 */
static void words(const char *s, const char *end, size_t *n, size_t *caps)
{
	bool start = true;

	for (; s < end; s++) {
		if (start && isalnum((unsigned char)*s)) {
			++*n;
			*caps += isupper((unsigned char)*s) || isdigit((unsigned char)*s);
		}
		start = !isalnum((unsigned char)*s);
	}
}

/*
 * The quotation in block text[0..nr) that is long enough to be a copied
 * passage, not a phrase quoted to discuss it: from a '"' to the next, over
 * three lines or more, or of 15 words or more.  A title ("Formats of CR3
 * and Paging-Structure Entries"), most of its words capitalised, is how
 * the handbook wants a section named.  Returns the line it starts on, or
 * nr.
 */
static size_t long_quote(char *const *text, size_t nr)
{
	size_t i = 0, j, n, caps;
	const char *open = NULL, *close;

	while (i < nr) {
		open = strchr(open ? open : text[i], '"');
		if (!open) {
			i++;
			continue;
		}
		n = caps = 0;
		close = strchr(open + 1, '"');
		for (j = i; !close && j + 1 < nr && j < i + 12; ) {
			words(j == i ? open : text[j], text[j] + strlen(text[j]), &n, &caps);
			close = strchr(text[++j], '"');
		}
		if (!close)
			return nr;	/* never closed: not read as a quotation */
		words(j == i ? open : text[j], close, &n, &caps);
		if ((j >= i + 2 || n >= 15) && caps * 2 < n)
			return i;
		/* on after the closing quote, which opens nothing */
		i = j;
		open = close + 1;
	}
	return nr;
}

/*
 * Three lines or more of text indented deeper than the line naming the
 * manual ("*   If the processor ...") right below it:
 * pasted text, a pasted table or pseudocode.  Returns its first line, or
 * nr.
 */
static size_t indented_paste(char *const *text, size_t nr)
{
	size_t i, j, base, run;

	for (i = 0; i + 1 < nr; i++) {
		if (!names_sdm(text[i]))
			continue;
		/* deeper than the line naming the manual */
		base = (size_t)(skip_blanks(text[i]) - text[i]);
		for (j = i + 1, run = 0; j < nr && !blank(text[j]) &&
		     (size_t)(skip_blanks(text[j]) - text[j]) > base; j++)
			run++;
		if (run >= 3)
			return i + 1;
	}
	return nr;
}

/*
 * A line that names the manual and ends in ':' ("From the SDM, volume
 * 3:"), then two lines of text or more: what it introduces is the
 * manual's.  Returns the first of them, or nr.
 */
static size_t introduced_paste(char *const *text, size_t nr)
{
	size_t i, n;

	for (i = 0; i + 2 < nr; i++) {
		n = strlen(text[i]);
		while (n && isspace((unsigned char)text[i][n - 1]))
			n--;
		if (!n || text[i][n - 1] != ':' || !names_sdm(text[i]))
			continue;
		if (!blank(text[i + 1]) && !blank(text[i + 2]))
			return i + 1;
	}
	return nr;
}

/*
 * The handbook: "Generally speaking, do not explicitly reference or
 * copy-paste from the SDM or APM in comments."  A comment of added lines
 * that names the SDM or the APM and carries a passage of it: a long
 * quotation, or lines indented below the line naming it.  A comment with
 * a section number is no-sdm-section-numbers' (an error already).
 */
static void sdm_copy_in(struct kx_findings *out, const struct cfile *cf)
{
	size_t i, j, k;

	for (i = 0; i < cf->nr; i = j) {
		char **text;
		bool named = false;
		size_t at, n;

		/* a block: adjacent lines of comment and no code */
		for (j = i; j < cf->nr && cf->lines[j].comment && blank(cf->lines[j].code) &&
		     (j == i || !cf->lines[j].gap); j++)
			named |= names_sdm(cf->lines[j].comment);
		if (j == i) {
			j++;
			continue;
		}
		n = j - i;
		if (!named || n < 3)
			continue;
		text = kx_xcalloc(n + 1, sizeof(*text));
		for (k = 0; k < n; k++)
			text[k] = cf->lines[i + k].comment;
		at = long_quote(text, n);
		if (at == n)
			at = introduced_paste(text, n);
		if (at == n)
			at = indented_paste(text, n);
		if (at < n && !kx_sdm__numbered((const char *const *)text, n))
			kx_findings_add_line(out, cf->f->path,
					     kx_patch_file_line(cf->f, i + at),
					     KX_SEV_ADVICE, "no-sdm-copy-in-comments",
					     "comment in %s copies text of the SDM/APM: "
					     "say what KVM does and why in its own words; "
					     "quote the manual in the changelog instead",
					     cf->f->path);
		free(text);
	}
}

void kx_rule_no_sdm_copy_in_comments(struct kx_findings *out,
				     const struct kx_patch *p,
				     const struct kx_rule_env *env)
{
	size_t i;

	(void)env;
	for (i = 0; i < p->files_nr; i++) {
		const struct kx_patch_file *f = &p->files[i];
		struct cfile cf;

		/* no-sdm-section-numbers' files: KVM's, selftests too */
		if (f->area == KX_AREA_NON_KVM || f->area == KX_AREA_OTHER_ARCH ||
		    !(kx_ends_with(f->path, ".c") || kx_ends_with(f->path, ".h")))
			continue;
		cfile_read(&cf, f);
		sdm_copy_in(out, &cf);
		cfile_release(&cf);
	}
}

/* --- tip-brackets --- */

/* Skips blanks and a line's end: what is left of a line is then code. */
static const char *skip_space(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* The C KVM code of the kernel that tip's style applies to. */
static bool kernel_code(const struct kx_patch_file *f)
{
	if (f->area != KX_AREA_X86 && f->area != KX_AREA_COMMON)
		return false;
	if (kx_starts_with(f->path, SELFTESTS) ||
	    kx_starts_with(f->path, "include/uapi/") || strstr(f->path, "/uapi/"))
		return false;
	return kx_ends_with(f->path, ".c") || kx_ends_with(f->path, ".h");
}

/* The indentation of raw line s, in columns. */
static size_t indent(const char *s)
{
	size_t w = 0;

	for (; *s == ' ' || *s == '\t'; s++)
		w = *s == '\t' ? (w / 8 + 1) * 8 : w + 1;
	return w;
}

/*
 * If code (blanks skipped) opens a control statement with a condition,
 * "if (", "for (", "while (", "switch (" or a for_each macro, returns
 * where its '(' is; else NULL.  *loop_macro says it is a for_each macro.
 */
static const char *control(const char *code, const char **kw)
{
	static const char *const kws[] = { "if", "for", "while", "switch" };
	const char *s = skip_blanks(code), *e;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kws); i++)
		if ((e = word(s, kws[i]))) {
			*kw = kws[i];
			e = skip_blanks(e);
			return *e == '(' ? e : NULL;
		}
	/* list_for_each_entry(), kvm_for_each_vcpu(): loops too */
	for (e = s; is_ident(*e); e++)
		;
	if (e > s && memmem(s, (size_t)(e - s), "for_each", 8) && *e == '(') {
		*kw = "for_each";
		return e;
	}
	return NULL;
}

/*
 * Finds the ')' that closes the '(' at s on line i, reading on over the
 * adjacent added lines (a condition continued), none in a macro.  Returns
 * the rest of the line after it and sets *end to its line, or NULL.
 */
static const char *close_paren(const struct cfile *cf, size_t i, const char *s,
			       size_t *end)
{
	int depth = 0;

	for (;;) {
		for (; *s; s++) {
			if (*s == '(')
				depth++;
			else if (*s == ')' && !--depth) {
				*end = i;
				return skip_space(s + 1);
			}
		}
		if (++i >= cf->nr || cf->lines[i].gap || cf->lines[i].macro || i > *end + 8)
			return NULL;
		s = cf->lines[i].code;
	}
}

/*
 * Whether the body of the control statement (header on lines h..e, the
 * body from line e + 1) spans more than one line, without braces; sets
 * *why.  A body that is not added code right below, or a comment or a
 * preprocessor line, is left alone.
 */
static bool long_body(const struct cfile *cf, size_t h, size_t e, const char **why)
{
	size_t b = e + 1, last = (size_t)-1;
	const char *code, *kw, *open, *rest;

	if (b >= cf->nr || cf->lines[b].gap || cf->lines[b].macro)
		return false;
	code = skip_space(cf->lines[b].code);
	if (!*code || *code == '#' || *code == '{' || cf->lines[b].comment ||
	    indent(cf->f->added.items[b]) <= indent(cf->f->added.items[h]))
		return false;
	if (word(code, "do")) {
		*why = "a do-while loop";
		return true;
	}
	if ((open = control(code, &kw))) {
		last = b;
		rest = close_paren(cf, b, open, &last);
		/* "if (a) return;" below a for: one line after all */
		if (!rest || (*rest && *rest != '{'))
			return false;
		*why = !strcmp(kw, "for_each") ? "a nested loop" :
		       !strcmp(kw, "if") ? "a nested if" :
		       !strcmp(kw, "switch") ? "a switch" : "a nested loop";
		return true;
	}
	/*
	 * One statement continued over lines is not "truly a single line"
	 * either, but KVM's maintainers take it: 184 such bodies without
	 * braces in Linux 6.1's KVM code against 58 nested statements
	 * (bench/code-precision).  Advice about it would be noise.
	 */
	return false;
}

/*
 * tip: "Brackets should be omitted only if the statement which follows
 * 'if', 'for', 'while' etc. is truly a single line".  An added if, else,
 * for, while or for_each loop whose condition closes at the end of a line
 * (continued conditions followed), over a body on the next lines that is
 * a nested statement.
 */
static void brackets_in(struct kx_findings *out, const struct cfile *cf)
{
	size_t i, e, first = 0, more = 0;
	const char *what = NULL, *why = NULL, *first_why = NULL, *kw;
	char *tail;

	for (i = 0; i < cf->nr; i++) {
		const char *s = skip_space(cf->lines[i].code), *open, *rest, *w;
		bool closed = false;

		if (cf->lines[i].macro || !*s || *s == '#')
			continue;
		if (*s == '}') {
			closed = true;
			s = skip_space(s + 1);
		}
		e = i;
		if ((w = word(s, "else"))) {
			w = skip_space(w);
			if (!*w) {
				kw = "else";
			} else if (!(open = control(w, &kw)) || strcmp(kw, "if")) {
				continue;
			} else {
				kw = "else if";
				if (!(rest = close_paren(cf, i, open, &e)) || *rest)
					continue;
			}
		} else if ((open = control(s, &kw))) {
			/* "} while (x);" ends a do-while; a switch has braces */
			if ((closed && !strcmp(kw, "while")) || !strcmp(kw, "switch"))
				continue;
			if (!(rest = close_paren(cf, i, open, &e)) || *rest)
				continue;
		} else {
			continue;
		}
		if (!long_body(cf, i, e, &why))
			continue;
		if (!what) {
			what = kw;
			first_why = why;
			first = i;
		} else {
			more++;
		}
	}
	if (!what)
		return;
	tail = more ? kx_xasprintf(" (and %zu more in the file)", more) : kx_xstrdup("");
	kx_findings_add_line(out, cf->f->path, kx_patch_file_line(cf->f, first),
			     KX_SEV_ADVICE, "tip-brackets",
			     "'%s' without braces over %s%s: put braces around a "
			     "body that is not truly a single line (tip)",
			     what, first_why, tail);
	free(tail);
}

/* Runs fn over each file of KVM's kernel code the patch touches, read as C. */
static void each_code_file(struct kx_findings *out, const struct kx_patch *p,
			   void (*fn)(struct kx_findings *, const struct cfile *))
{
	size_t i;

	for (i = 0; i < p->files_nr; i++) {
		struct cfile cf;

		if (!kernel_code(&p->files[i]))
			continue;
		cfile_read(&cf, &p->files[i]);
		fn(out, &cf);
		cfile_release(&cf);
	}
}

void kx_rule_tip_brackets(struct kx_findings *out, const struct kx_patch *p,
			  const struct kx_rule_env *env)
{
	(void)env;
	each_code_file(out, p, brackets_in);
}

/* --- tip-misc-style --- */

/* The columns of line, tabs to the next multiple of 8, UTF-8 as one each. */
static size_t columns(const char *line)
{
	const char *end = line + strlen(line);
	size_t w = 0;

	while (end > line && isspace((unsigned char)end[-1]))
		end--;
	for (; line < end; line++) {
		if (*line == '\t')
			w = (w / 8 + 1) * 8;
		else if (((unsigned char)*line & 0xc0) != 0x80)
			w++;
	}
	return w;
}

/* Where code has 'unsigned' alone as a type, or NULL. */
static const char *bare_unsigned(const char *code)
{
	static const char *const next[] = {
		"int", "long", "char", "short", "__int128",
	};
	const char *s, *e;
	size_t i;

	for (s = code; (s = strstr(s, "unsigned")); s += 8) {
		if ((s > code && is_ident(s[-1])) || !(e = word(s, "unsigned")))
			continue;
		e = skip_space(e);
		if (!*e)
			continue;	/* the type goes on below: leave it */
		for (i = 0; i < ARRAY_SIZE(next); i++)
			if (word(e, next[i]))
				break;
		if (i == ARRAY_SIZE(next))
			return s;
	}
	return NULL;
}

/*
 * Whether checkpatch would let line (over 100 columns) be: a string (kept
 * whole to be found with grep), or a comment carrying a URL or one long
 * word (a path).
 */
static bool long_line_ok(const struct cline *l)
{
	const char *s, *e;

	if (l->literal)
		return true;
	if (!l->comment)
		return false;
	if (strstr(l->comment, "://"))
		return true;
	/* a comment line of one word: a path, a symbol */
	s = skip_space(l->comment);
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	return blank(l->code) && !memchr(s, ' ', (size_t)(e - s)) &&
	       !memchr(s, '\t', (size_t)(e - s));
}

/*
 * tip: "Please use 'unsigned int' instead of 'unsigned'." and (the 80
 * character rule not being strict) checkpatch's limit of 100 columns.
 * Added lines of KVM's kernel code; one finding a file for each, at the
 * first, with the count of the others.
 */
static void misc_in(struct kx_findings *out, const struct cfile *cf)
{
	size_t i, nu = 0, nl = 0, fu = 0, fl = 0, width = 0;

	for (i = 0; i < cf->nr; i++) {
		const char *s = bare_unsigned(cf->lines[i].code);
		size_t w;

		if (s && !nu++)
			fu = i;
		w = columns(cf->f->added.items[i]);
		if (w > 100 && !long_line_ok(&cf->lines[i]) && !nl++) {
			fl = i;
			width = w;
		}
	}
	if (nu) {
		const char *line = skip_blanks(cf->f->added.items[fu]);
		char *tail = nu > 1 ? kx_xasprintf(" (and %zu more)", nu - 1) : kx_xstrdup("");
		size_t n = strlen(line);

		while (n && isspace((unsigned char)line[n - 1]))
			n--;
		kx_findings_add_line(out, cf->f->path, kx_patch_file_line(cf->f, fu),
				     KX_SEV_ADVICE, "tip-misc-style",
				     "bare 'unsigned' in '%.*s'%s%s: write 'unsigned int' (tip)",
				     n > 60 ? 57 : (int)n, line, n > 60 ? "..." : "", tail);
		free(tail);
	}
	if (nl) {
		char *tail = nl > 1 ? kx_xasprintf(" (and %zu more)", nl - 1) : kx_xstrdup("");

		kx_findings_add_line(out, cf->f->path, kx_patch_file_line(cf->f, fl),
				     KX_SEV_ADVICE, "tip-misc-style",
				     "line of %zu columns%s: keep lines within 100 columns "
				     "(checkpatch's limit; tip: 80 is not strict)",
				     width, tail);
		free(tail);
	}
}

void kx_rule_tip_misc_style(struct kx_findings *out, const struct kx_patch *p,
			    const struct kx_rule_env *env)
{
	(void)env;
	each_code_file(out, p, misc_in);
}
