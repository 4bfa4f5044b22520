// SPDX-License-Identifier: GPL-2.0-only
/*
 * Perl regexes as MAINTAINERS uses them, compiled to a small program and
 * run as a Thompson NFA (Russ Cox's Pike VM without captures): only
 * whether a match exists is asked, so no backtracking order matters and
 * no pattern can take more than linear time.  Perl's byte semantics: a
 * byte string, ASCII classes and case folding, '.' not a newline, '$' at
 * the end or before a final newline.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kvmx86/error.h"
#include "kvmx86/perlre.h"
#include "kvmx86/util.h"

/* A bound on the program, against {1000}{1000} and the like. */
#define PROG_MAX 20000
#define REPEAT_MAX 1000

enum node_type {
	N_EMPTY, N_CHAR, N_ANY, N_CLASS, N_BOL, N_EOL, N_BOS, N_EOS, N_EOSNL,
	N_WORDB, N_NWORDB, N_CAT, N_ALT, N_REP,
};

struct node {
	enum node_type type;
	unsigned char c;
	bool icase, multi, dotall;
	size_t cls;			/* N_CLASS: index into the classes */
	struct node **kids;		/* N_CAT, N_ALT; N_REP: kids[0] */
	size_t nkids, akids;
	int min, max;			/* N_REP: max -1 for no bound */
};

enum op {
	I_CHAR, I_ANY, I_ANYNL, I_CLASS, I_SPLIT, I_JMP, I_BOL, I_MBOL, I_EOL,
	I_MEOL, I_BOS, I_EOS, I_WORDB, I_NWORDB, I_MATCH,
};

struct inst {
	enum op op;
	unsigned char c, c2;
	size_t cls;
	size_t x, y;
};

struct cls {
	uint8_t bits[32];
};

struct kx_perlre {
	struct inst *prog;
	size_t nr, alloc;
	struct cls *classes;
	size_t classes_nr, classes_alloc;
	bool anchored;			/* starts at the text's start only */
	/*
	 * The bytes a match can begin with, unless one can be empty
	 * (first_any): where no thread is alive the search skips to the
	 * next of them, and a text with none is no match.
	 */
	struct cls first;
	bool first_any;
};

struct parser {
	const char *p, *pattern;
	unsigned flags;
	struct kx_perlre *re;
	const char *error;
};

static struct node *node_new(enum node_type t)
{
	struct node *n = kx_xcalloc(1, sizeof(*n));

	n->type = t;
	return n;
}

static void node_add(struct node *n, struct node *kid)
{
	kx_grow((void **)&n->kids, &n->akids, n->nkids, sizeof(*n->kids));
	n->kids[n->nkids++] = kid;
}

static void node_free(struct node *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n);
}

static bool is_word(unsigned char c)
{
	return isalnum(c) || c == '_';
}

static void cls_set(struct cls *c, unsigned char b)
{
	c->bits[b >> 3] |= (uint8_t)(1u << (b & 7));
}

static bool cls_has(const struct cls *c, unsigned char b)
{
	return c->bits[b >> 3] & (1u << (b & 7));
}

static size_t cls_new(struct kx_perlre *re)
{
	kx_grow((void **)&re->classes, &re->classes_alloc, re->classes_nr,
		sizeof(*re->classes));
	memset(&re->classes[re->classes_nr], 0, sizeof(struct cls));
	return re->classes_nr++;
}

/* Adds \w \W \s \S \d \D (letter) to c; false if letter is none of them. */
static bool cls_add_escape(struct cls *c, char letter)
{
	struct cls t;
	unsigned b;
	bool neg = isupper((unsigned char)letter);

	memset(&t, 0, sizeof(t));
	for (b = 0; b < 256; b++) {
		bool in;

		switch (tolower((unsigned char)letter)) {
		case 'w':
			in = is_word((unsigned char)b);
			break;
		case 's':
			in = b == ' ' || (b >= '\t' && b <= '\r');
			break;
		case 'd':
			in = b >= '0' && b <= '9';
			break;
		default:
			return false;
		}
		if (in != neg)
			cls_set(&t, (unsigned char)b);
	}
	for (b = 0; b < 32; b++)
		c->bits[b] |= t.bits[b];
	return true;
}

static void skip_x(struct parser *ps)
{
	if (!(ps->flags & KX_RE_X))
		return;
	for (;;) {
		if (isspace((unsigned char)*ps->p)) {
			ps->p++;
		} else if (*ps->p == '#') {
			while (*ps->p && *ps->p != '\n')
				ps->p++;
		} else {
			return;
		}
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A literal escape after '\' (ps->p at the letter): the byte, or -1. */
static int escape_byte(struct parser *ps)
{
	char c = *ps->p++;
	int v = 0, d;

	switch (c) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case 'f': return '\f';
	case 'e': return 0x1b;
	case 'a': return 0x07;
	case '0':
		while ((d = *ps->p - '0') >= 0 && d < 8 && v < 32)
			v = v * 8 + d, ps->p++;
		return v;
	case 'x':
		if (*ps->p == '{') {
			ps->p++;
			while ((d = hexval(*ps->p)) >= 0)
				v = v * 16 + d, ps->p++;
			if (*ps->p != '}' || v > 255) {
				ps->error = "a \\x{...} past one byte";
				return -1;
			}
			ps->p++;
			return v;
		}
		for (d = 0; d < 2 && hexval(*ps->p) >= 0; d++)
			v = v * 16 + hexval(*ps->p++);
		return v;
	default:
		if (!c) {
			ps->error = "a trailing backslash";
			return -1;
		}
		if (isdigit((unsigned char)c)) {
			ps->error = "a back-reference";
			return -1;
		}
		return (unsigned char)c;
	}
}

static struct node *class_node(size_t cls)
{
	struct node *n = node_new(N_CLASS);

	n->cls = cls;
	return n;
}

static const struct {
	const char *name;
	int (*fn)(int);
} posix_classes[] = {
	{ "alpha", isalpha }, { "digit", isdigit }, { "alnum", isalnum },
	{ "space", isspace }, { "upper", isupper }, { "lower", islower },
	{ "punct", ispunct }, { "xdigit", isxdigit }, { "print", isprint },
	{ "graph", isgraph }, { "cntrl", iscntrl }, { "blank", isblank },
};

/* [...] after the '['. */
static struct node *parse_class(struct parser *ps)
{
	size_t ci = cls_new(ps->re);
	struct cls c;
	bool neg = false, first = true;
	int prev = -1;
	unsigned b;

	memset(&c, 0, sizeof(c));
	if (*ps->p == '^') {
		neg = true;
		ps->p++;
	}
	for (;;) {
		bool escaped = false;
		int lo;

		if (!*ps->p) {
			ps->error = "an unterminated [";
			return NULL;
		}
		if (*ps->p == ']' && !first)
			break;
		first = false;
		if (ps->p[0] == '[' && ps->p[1] == ':') {
			const char *end = strstr(ps->p + 2, ":]");
			size_t i, n = end ? (size_t)(end - ps->p - 2) : 0;

			for (i = 0; end && i < ARRAY_SIZE(posix_classes); i++)
				if (strlen(posix_classes[i].name) == n &&
				    !strncmp(posix_classes[i].name, ps->p + 2, n))
					break;
			if (end && i < ARRAY_SIZE(posix_classes)) {
				for (b = 0; b < 128; b++)
					if (posix_classes[i].fn((int)b))
						cls_set(&c, (unsigned char)b);
				ps->p = end + 2;
				prev = -1;
				continue;
			}
		}
		if (*ps->p == '\\') {
			ps->p++;
			if (cls_add_escape(&c, *ps->p)) {
				ps->p++;
				prev = -1;
				continue;
			}
			escaped = true;
			if (*ps->p == 'b') {	/* backspace in a class */
				ps->p++;
				lo = '\b';
			} else if ((lo = escape_byte(ps)) < 0) {
				return NULL;
			}
		} else {
			lo = (unsigned char)*ps->p++;
		}
		/* a range: prev '-' this */
		if (lo == '-' && !escaped && prev >= 0 && *ps->p != ']' && *ps->p) {
			int hi;

			if (*ps->p == '\\') {
				ps->p++;
				if ((hi = escape_byte(ps)) < 0)
					return NULL;
			} else {
				hi = (unsigned char)*ps->p++;
			}
			if (hi < prev) {
				ps->error = "an invalid range in [...]";
				return NULL;
			}
			for (b = (unsigned)prev; b <= (unsigned)hi; b++)
				cls_set(&c, (unsigned char)b);
			prev = -1;
			continue;
		}
		cls_set(&c, (unsigned char)lo);
		prev = lo;
	}
	ps->p++;
	if (ps->flags & KX_RE_I)
		for (b = 0; b < 256; b++)
			if (cls_has(&c, (unsigned char)b) && isalpha((int)b)) {
				cls_set(&c, (unsigned char)tolower((int)b));
				cls_set(&c, (unsigned char)toupper((int)b));
			}
	if (neg)
		for (b = 0; b < 32; b++)
			c.bits[b] = (uint8_t)~c.bits[b];
	ps->re->classes[ci] = c;
	return class_node(ci);
}

static struct node *parse_alt(struct parser *ps);

/* (?flags) or (?flags:...): applies letters to *flags. */
static bool parse_flags(struct parser *ps, unsigned *flags)
{
	bool on = true;

	for (;; ps->p++) {
		unsigned f = 0;

		switch (*ps->p) {
		case 'i': f = KX_RE_I; break;
		case 'x': f = KX_RE_X; break;
		case 's': f = KX_RE_S; break;
		case 'm': f = KX_RE_M; break;
		case '-': on = false; continue;
		default: return true;
		}
		*flags = on ? (*flags | f) : (*flags & ~f);
	}
}

static struct node *parse_group(struct parser *ps)
{
	unsigned saved = ps->flags;
	struct node *n;

	if (*ps->p == '?') {
		ps->p++;
		if (*ps->p == '#') {
			while (*ps->p && *ps->p != ')')
				ps->p++;
			if (!*ps->p) {
				ps->error = "an unterminated (?#";
				return NULL;
			}
			ps->p++;
			return node_new(N_EMPTY);
		}
		if (*ps->p == ':') {
			ps->p++;
		} else {
			unsigned f = ps->flags;

			parse_flags(ps, &f);
			if (*ps->p == ')') {
				/* (?i): to the end of the enclosing group */
				ps->p++;
				ps->flags = f;
				return node_new(N_EMPTY);
			}
			if (*ps->p != ':') {
				ps->error = "a look-around or (?...) construct";
				return NULL;
			}
			ps->p++;
			ps->flags = f;
		}
	}
	n = parse_alt(ps);
	ps->flags = saved;
	if (!n)
		return NULL;
	if (*ps->p != ')') {
		node_free(n);
		ps->error = "an unmatched (";
		return NULL;
	}
	ps->p++;
	return n;
}

static struct node *char_node(struct parser *ps, unsigned char c)
{
	struct node *n = node_new(N_CHAR);

	n->c = c;
	n->icase = (ps->flags & KX_RE_I) && isalpha(c);
	return n;
}

static struct node *parse_atom(struct parser *ps)
{
	struct node *n;
	char c = *ps->p++;
	int b;

	switch (c) {
	case '(':
		return parse_group(ps);
	case '[':
		return parse_class(ps);
	case '.':
		n = node_new(N_ANY);
		n->dotall = ps->flags & KX_RE_S;
		return n;
	case '^':
		n = node_new(N_BOL);
		n->multi = ps->flags & KX_RE_M;
		return n;
	case '$':
		n = node_new(N_EOL);
		n->multi = ps->flags & KX_RE_M;
		return n;
	case '\\':
		switch (*ps->p) {
		case 'b': ps->p++; return node_new(N_WORDB);
		case 'B': ps->p++; return node_new(N_NWORDB);
		case 'A': ps->p++; return node_new(N_BOS);
		case 'z': ps->p++; return node_new(N_EOS);
		case 'Z': ps->p++; return node_new(N_EOSNL);
		case 'w': case 'W': case 's': case 'S': case 'd': case 'D': {
			size_t ci = cls_new(ps->re);

			cls_add_escape(&ps->re->classes[ci], *ps->p++);
			return class_node(ci);
		}
		default:
			if ((b = escape_byte(ps)) < 0)
				return NULL;
			return char_node(ps, (unsigned char)b);
		}
	case '*': case '+': case '?':
		ps->error = "a quantifier that follows nothing";
		return NULL;
	default:
		return char_node(ps, (unsigned char)c);
	}
}

/* {n}, {n,}, {n,m} at ps->p: true and the bounds, else false (a literal). */
static bool parse_braces(struct parser *ps, int *min, int *max)
{
	const char *p = ps->p + 1;
	long lo = 0, hi;

	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p) && lo <= REPEAT_MAX)
		lo = lo * 10 + (*p++ - '0');
	hi = lo;
	if (*p == ',') {
		p++;
		hi = -1;
		if (isdigit((unsigned char)*p)) {
			hi = 0;
			while (isdigit((unsigned char)*p) && hi <= REPEAT_MAX)
				hi = hi * 10 + (*p++ - '0');
		}
	}
	if (*p != '}')
		return false;
	*min = (int)lo;
	*max = (int)hi;
	ps->p = p + 1;
	return true;
}

static struct node *parse_repeat(struct parser *ps)
{
	struct node *atom = parse_atom(ps), *r;
	int min, max;

	if (!atom)
		return NULL;
	for (;;) {
		skip_x(ps);
		if (*ps->p == '*') {
			min = 0, max = -1;
			ps->p++;
		} else if (*ps->p == '+') {
			min = 1, max = -1;
			ps->p++;
		} else if (*ps->p == '?') {
			min = 0, max = 1;
			ps->p++;
		} else if (*ps->p == '{' && parse_braces(ps, &min, &max)) {
			;
		} else {
			return atom;
		}
		if (min > REPEAT_MAX || max > REPEAT_MAX || (max >= 0 && max < min)) {
			node_free(atom);
			ps->error = "a repetition count out of bounds";
			return NULL;
		}
		/* lazy or possessive: the same set of matches */
		if (*ps->p == '?' || *ps->p == '+')
			ps->p++;
		r = node_new(N_REP);
		r->min = min;
		r->max = max;
		node_add(r, atom);
		atom = r;
	}
}

static struct node *parse_cat(struct parser *ps)
{
	struct node *cat = node_new(N_CAT), *n;

	for (;;) {
		skip_x(ps);
		if (!*ps->p || *ps->p == '|' || *ps->p == ')')
			return cat;
		if (!(n = parse_repeat(ps))) {
			node_free(cat);
			return NULL;
		}
		node_add(cat, n);
	}
}

static struct node *parse_alt(struct parser *ps)
{
	struct node *alt = node_new(N_ALT), *n;

	for (;;) {
		if (!(n = parse_cat(ps))) {
			node_free(alt);
			return NULL;
		}
		node_add(alt, n);
		if (*ps->p != '|')
			return alt;
		ps->p++;
	}
}

static size_t emit(struct kx_perlre *re, enum op op)
{
	kx_grow((void **)&re->prog, &re->alloc, re->nr, sizeof(*re->prog));
	memset(&re->prog[re->nr], 0, sizeof(*re->prog));
	re->prog[re->nr].op = op;
	return re->nr++;
}

static bool compile(struct kx_perlre *re, const struct node *n)
{
	size_t i, split, jmp, *ends;
	int k;

	if (re->nr > PROG_MAX)
		return false;
	switch (n->type) {
	case N_EMPTY:
		return true;
	case N_CHAR:
		i = emit(re, I_CHAR);
		re->prog[i].c = n->c;
		re->prog[i].c2 = n->icase ? (unsigned char)(islower(n->c) ?
				 toupper(n->c) : tolower(n->c)) : n->c;
		return true;
	case N_ANY:
		emit(re, n->dotall ? I_ANYNL : I_ANY);
		return true;
	case N_CLASS:
		i = emit(re, I_CLASS);
		re->prog[i].cls = n->cls;
		return true;
	case N_BOL:
		emit(re, n->multi ? I_MBOL : I_BOL);
		return true;
	case N_EOL:
		emit(re, n->multi ? I_MEOL : I_EOL);
		return true;
	case N_BOS:
		emit(re, I_BOS);
		return true;
	case N_EOS:
		emit(re, I_EOS);
		return true;
	case N_EOSNL:
		emit(re, I_EOL);
		return true;
	case N_WORDB:
		emit(re, I_WORDB);
		return true;
	case N_NWORDB:
		emit(re, I_NWORDB);
		return true;
	case N_CAT:
		for (i = 0; i < n->nkids; i++)
			if (!compile(re, n->kids[i]))
				return false;
		return true;
	case N_ALT:
		if (n->nkids == 1)
			return compile(re, n->kids[0]);
		ends = kx_xcalloc(n->nkids, sizeof(*ends));
		for (i = 0; i + 1 < n->nkids; i++) {
			split = emit(re, I_SPLIT);
			re->prog[split].x = re->nr;
			if (!compile(re, n->kids[i])) {
				free(ends);
				return false;
			}
			ends[i] = emit(re, I_JMP);
			re->prog[split].y = re->nr;
		}
		if (!compile(re, n->kids[i])) {
			free(ends);
			return false;
		}
		for (i = 0; i + 1 < n->nkids; i++)
			re->prog[ends[i]].x = re->nr;
		free(ends);
		return true;
	case N_REP:
		for (k = 0; k < n->min; k++)
			if (!compile(re, n->kids[0]))
				return false;
		if (n->max < 0) {
			split = emit(re, I_SPLIT);
			re->prog[split].x = re->nr;
			if (!compile(re, n->kids[0]))
				return false;
			jmp = emit(re, I_JMP);
			re->prog[jmp].x = split;
			re->prog[split].y = re->nr;
			return true;
		}
		ends = kx_xcalloc((size_t)(n->max - n->min) + 1, sizeof(*ends));
		for (k = 0; k < n->max - n->min; k++) {
			ends[k] = emit(re, I_SPLIT);
			re->prog[ends[k]].x = re->nr;
			if (!compile(re, n->kids[0])) {
				free(ends);
				return false;
			}
		}
		for (k = 0; k < n->max - n->min; k++)
			re->prog[ends[k]].y = re->nr;
		free(ends);
		return true;
	}
	return false;
}

static void first_add(struct cls *c, unsigned char b)
{
	c->bits[b >> 3] |= (uint8_t)(1u << (b & 7));
}

/*
 * re->first: what the consuming instructions reached from the start
 * without a byte can take.  Assertions are taken as passed, which only
 * widens the set; reaching MATCH that way means a match can be empty.
 */
static void first_bytes(struct kx_perlre *re)
{
	size_t *stack = kx_xcalloc(re->nr + 1, sizeof(*stack)), sp = 0, pc;
	bool *seen = kx_xcalloc(re->nr, sizeof(*seen));
	unsigned b;

	memset(&re->first, 0, sizeof(re->first));
	re->first_any = false;
	stack[sp++] = 0;
	while (sp && !re->first_any) {
		const struct inst *in;

		pc = stack[--sp];
		if (seen[pc])
			continue;
		seen[pc] = true;
		in = &re->prog[pc];
		switch (in->op) {
		case I_CHAR:
			first_add(&re->first, in->c);
			first_add(&re->first, in->c2);
			break;
		case I_ANY:
		case I_ANYNL:
			for (b = 0; b < 256; b++)
				if (b != '\n' || in->op == I_ANYNL)
					first_add(&re->first, (unsigned char)b);
			break;
		case I_CLASS:
			for (b = 0; b < sizeof(re->first.bits); b++)
				re->first.bits[b] |= re->classes[in->cls].bits[b];
			break;
		case I_MATCH:
			re->first_any = true;
			break;
		case I_JMP:
			stack[sp++] = in->x;
			break;
		case I_SPLIT:
			stack[sp++] = in->y;
			stack[sp++] = in->x;
			break;
		default:
			/* an assertion: what follows it */
			stack[sp++] = pc + 1;
			break;
		}
	}
	free(seen);
	free(stack);
}

int kx_perlre_compile(struct kx_perlre **out, const char *pattern,
		      unsigned flags)
{
	struct parser ps = { pattern, pattern, flags, NULL, NULL };
	struct node *root;
	int error = 0;

	*out = NULL;
	ps.re = kx_xcalloc(1, sizeof(*ps.re));
	root = parse_alt(&ps);
	if (root && *ps.p) {
		/* parse_alt() stops at a ')' that opens nothing */
		ps.error = "an unmatched )";
	}
	if (!ps.error && !compile(ps.re, root))
		ps.error = "a pattern too large";
	node_free(root);
	if (ps.error) {
		error = kx_error_set(KX_EINVALID, "regex '%s' has %s", pattern, ps.error);
		kx_perlre_free(ps.re);
		return error;
	}
	emit(ps.re, I_MATCH);
	ps.re->anchored = ps.re->prog[0].op == I_BOL || ps.re->prog[0].op == I_BOS;
	first_bytes(ps.re);
	*out = ps.re;
	return 0;
}

void kx_perlre_free(struct kx_perlre *re)
{
	if (!re)
		return;
	free(re->prog);
	free(re->classes);
	free(re);
}

/* A set of program counters: sparse, cleared in O(1). */
struct threads {
	size_t *dense, *sparse, nr;
};

static bool threads_has(const struct threads *t, size_t pc)
{
	return t->sparse[pc] < t->nr && t->dense[t->sparse[pc]] == pc;
}

static bool word_at(const char *s, size_t n, size_t pos)
{
	return pos < n && is_word((unsigned char)s[pos]);
}

/* Adds pc and what it reaches without a byte; true if MATCH is reached. */
static bool add_thread(const struct kx_perlre *re, struct threads *t,
		       size_t *stack, size_t pc, const char *s, size_t n,
		       size_t pos)
{
	size_t sp = 0;
	bool before, after;

	stack[sp++] = pc;
	while (sp) {
		const struct inst *in;

		pc = stack[--sp];
		if (threads_has(t, pc))
			continue;
		t->sparse[pc] = t->nr;
		t->dense[t->nr++] = pc;
		in = &re->prog[pc];
		switch (in->op) {
		case I_MATCH:
			return true;
		case I_JMP:
			stack[sp++] = in->x;
			break;
		case I_SPLIT:
			stack[sp++] = in->y;
			stack[sp++] = in->x;
			break;
		case I_BOL:
		case I_BOS:
			if (pos == 0)
				stack[sp++] = pc + 1;
			break;
		case I_MBOL:
			if (pos == 0 || s[pos - 1] == '\n')
				stack[sp++] = pc + 1;
			break;
		case I_EOL:
			if (pos == n || (pos + 1 == n && s[pos] == '\n'))
				stack[sp++] = pc + 1;
			break;
		case I_MEOL:
			if (pos == n || s[pos] == '\n')
				stack[sp++] = pc + 1;
			break;
		case I_EOS:
			if (pos == n)
				stack[sp++] = pc + 1;
			break;
		case I_WORDB:
		case I_NWORDB:
			before = pos > 0 && word_at(s, n, pos - 1);
			after = word_at(s, n, pos);
			if ((before != after) == (in->op == I_WORDB))
				stack[sp++] = pc + 1;
			break;
		default:
			break;
		}
	}
	return false;
}

/* The first position from pos whose byte can begin a match, or n. */
static size_t skip_to_first(const struct kx_perlre *re, const char *s,
			    size_t n, size_t pos)
{
	while (pos < n && !cls_has(&re->first, (unsigned char)s[pos]))
		pos++;
	return pos;
}

bool kx_perlre_match(const struct kx_perlre *re, const char *s, size_t n)
{
	struct threads a, b, *cur = &a, *next = &b, *tmp;
	size_t *mem, *stack, pos, i;
	bool found = false;

	pos = 0;
	if (!re->anchored && !re->first_any) {
		pos = skip_to_first(re, s, n, 0);
		if (pos == n)
			return false;
	}
	/* one allocation: two sets (dense and sparse) and the stack */
	mem = kx_xcalloc(re->nr * 7, sizeof(size_t));
	a.dense = mem;
	a.sparse = mem + re->nr;
	b.dense = mem + 2 * re->nr;
	b.sparse = mem + 3 * re->nr;
	stack = mem + 4 * re->nr;
	a.nr = b.nr = 0;
	for (; !found; pos++) {
		/* no thread alive: no match can begin before a first byte */
		if (!cur->nr && !re->anchored && !re->first_any &&
		    (pos = skip_to_first(re, s, n, pos)) == n)
			break;
		if ((pos == 0 || !re->anchored) &&
		    add_thread(re, cur, stack, 0, s, n, pos)) {
			found = true;
			break;
		}
		if (pos >= n || !cur->nr)
			break;
		next->nr = 0;
		for (i = 0; i < cur->nr && !found; i++) {
			const struct inst *in = &re->prog[cur->dense[i]];
			unsigned char c = (unsigned char)s[pos];
			bool ok;

			switch (in->op) {
			case I_CHAR:
				ok = c == in->c || c == in->c2;
				break;
			case I_ANY:
				ok = c != '\n';
				break;
			case I_ANYNL:
				ok = true;
				break;
			case I_CLASS:
				ok = cls_has(&re->classes[in->cls], c);
				break;
			default:
				ok = false;
				break;
			}
			if (ok)
				found = add_thread(re, next, stack, cur->dense[i] + 1,
						   s, n, pos + 1);
		}
		tmp = cur;
		cur = next;
		next = tmp;
	}
	free(mem);
	return found;
}
