// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel configurations of kvmx86 test --kernel and --matrix, and the
 * testing statement of a cover letter.  The handbook: "At a bare minimum,
 * *all* patches in a series must build cleanly for KVM_INTEL=m KVM_AMD=m,
 * and KVM_WERROR=y. [...] KVM_SMM, KVM_XEN, PROVE_LOCKING, and X86_64 are
 * particularly interesting knobs to turn."
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvmx86/cover.h"
#include "kvmx86/safe.h"
#include "kvmx86/testing.h"

const struct kx_kernel_option kx_kernel_preset[] = {
	{ "KVM", "m" },
	{ "KVM_INTEL", "m" },
	{ "KVM_AMD", "m" },
	{ "EXPERT", "y" },
	{ "KVM_WERROR", "y" },
	{ "KASAN", NULL },	/* KVM_WERROR depends on !KASAN */
};
const size_t kx_kernel_preset_nr = ARRAY_SIZE(kx_kernel_preset);

/*
 * Each knob is turned away from its default: KVM_SMM is on by default
 * (so the matrix turns it off), the others are off.
 */
static const struct kx_kernel_option no_smm[] = { { "KVM_SMM", NULL } };
static const struct kx_kernel_option xen[] = { { "KVM_XEN", "y" } };
static const struct kx_kernel_option lockdep[] = { { "PROVE_LOCKING", "y" } };
static const struct kx_kernel_option i386[] = { { "64BIT", NULL } };

const struct kx_kernel_config kx_kernel_configs[] = {
	{ "x86_64", "x86_64_defconfig", NULL, "x86_64_defconfig", NULL, 0 },
	{ "no-smm", "KVM_SMM=n", NULL, "x86_64_defconfig", no_smm, 1 },
	{ "xen", "KVM_XEN=y", NULL, "x86_64_defconfig", xen, 1 },
	{ "prove-locking", "PROVE_LOCKING=y", NULL, "x86_64_defconfig",
	  lockdep, 1 },
	{ "i386", "ARCH=i386", "i386",
	  "i386_defconfig", i386, 1 },
};
const size_t kx_kernel_configs_nr = ARRAY_SIZE(kx_kernel_configs);

const char *const kx_kvm_modules[] = { "kvm.ko", "kvm-intel.ko", "kvm-amd.ko" };
const size_t kx_kvm_modules_nr = ARRAY_SIZE(kx_kvm_modules);

const struct kx_kernel_config *kx_kernel_config_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < kx_kernel_configs_nr; i++)
		if (!strcmp(kx_kernel_configs[i].name, name))
			return &kx_kernel_configs[i];
	return NULL;
}

static void option_args(struct kx_strlist *out,
			const struct kx_kernel_option *o)
{
	if (!o->value)
		kx_strlist_add(out, "--disable");
	else if (!strcmp(o->value, "m"))
		kx_strlist_add(out, "--module");
	else
		kx_strlist_add(out, "--enable");
	kx_strlist_add(out, o->name);
}

void kx_kernel_config_args(struct kx_strlist *out,
			   const struct kx_kernel_config *c)
{
	size_t i;

	for (i = 0; i < kx_kernel_preset_nr; i++)
		option_args(out, &kx_kernel_preset[i]);
	for (i = 0; i < c->extra_nr; i++)
		option_args(out, &c->extra[i]);
}

/* The value of CONFIG_<name> in config: "y", "m", ... or NULL if unset. */
static char *config_value(const char *config, const char *name)
{
	char *key = kx_xasprintf("CONFIG_%s=", name);
	const char *p = config;
	char *value = NULL;

	while (p && *p) {
		if (kx_starts_with(p, key)) {
			p += strlen(key);
			value = kx_xstrndup(p, strcspn(p, "\n"));
			break;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	free(key);
	return value;
}

/* Adds to *out what is wrong with option o in config, if anything. */
static void check_option(char **out, const struct kx_kernel_option *o,
			 const char *config)
{
	char *v = config_value(config, o->name), *next;

	if (o->value ? (v && !strcmp(v, o->value)) : !v) {
		free(v);
		return;
	}
	if (v)
		next = kx_xasprintf("%s%sCONFIG_%s=%s (want %s)",
				    *out ? *out : "", *out ? "; " : "", o->name,
				    v, o->value ? o->value : "it unset");
	else
		next = kx_xasprintf("%s%sCONFIG_%s is not set (want %s)",
				    *out ? *out : "", *out ? "; " : "", o->name,
				    o->value);
	free(*out);
	free(v);
	*out = next;
}

char *kx_kernel_config_check(const struct kx_kernel_config *c,
			     const char *config)
{
	char *out = NULL;
	size_t i;

	for (i = 0; i < kx_kernel_preset_nr; i++)
		check_option(&out, &kx_kernel_preset[i], config);
	for (i = 0; i < c->extra_nr; i++)
		check_option(&out, &c->extra[i], config);
	return out;
}

bool kx_kernel_path_builtin(const char *path)
{
	static const char *const module_only[] = {
		"arch/x86/kvm/", "virt/kvm/", "tools/", "Documentation/",
	};
	size_t i;

	/* Kconfig can select what vmlinux holds, even KVM's */
	if (kx_ends_with(path, "/Kconfig") || !strcmp(path, "Kconfig"))
		return true;
	if (!strcmp(path, "MAINTAINERS") || !strcmp(path, "CREDITS") ||
	    !strcmp(path, ".mailmap"))
		return false;
	for (i = 0; i < ARRAY_SIZE(module_only); i++)
		if (kx_starts_with(path, module_only[i]))
			return false;
	return true;
}

void kx_kernel_module_targets(struct kx_strlist *out, const char *config)
{
	char *bypass = config ? config_value(config, "IRQ_BYPASS_MANAGER") :
				NULL;
	size_t m;

	if (bypass && !strcmp(bypass, "m"))
		kx_strlist_add(out, "virt/lib/irqbypass.ko");
	free(bypass);
	for (m = 0; m < kx_kvm_modules_nr; m++)
		kx_strlist_addf(out, "arch/x86/kvm/%s", kx_kvm_modules[m]);
}

bool kx_test_path_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
	       c == '/';
}

char *kx_test_label_of(const char *branch, const char *hash)
{
	struct kx_buf b = KX_BUF_INIT;
	const char *p;

	/* the hash keeps it unique: a long name need not fill a file name */
	for (p = branch; *p && b.len < KX_TEST_LABEL_NAME_MAX; p++)
		kx_buf_addc(&b, *p == '/' ? '-' :
			    kx_test_path_char_ok(*p) &&
			    !(p == branch && *p == '.') ? *p : '_');
	kx_buf_addf(&b, "-%.10s", hash);
	return kx_buf_detach(&b);
}

/* Whether a shell takes c unquoted in a word, as itself. */
char *kx_test_command_text(const char *const *argv)
{
	struct kx_buf b = KX_BUF_INIT;
	size_t i;

	/* the shell words of kvmx86's messages: a record pastes back */
	for (i = 0; argv && argv[i]; i++) {
		if (i)
			kx_buf_addc(&b, ' ');
		kx_buf_add_shell_word(&b, argv[i]);
	}
	return kx_buf_detach(&b);
}

/* Whether line (len bytes) is one a build prints for an error. */
static bool error_line(const char *line, size_t len)
{
	static const char *const marks[] = {
		"error:", "Error:", "ERROR:", "undefined!", "No rule to make target",
	};
	char *copy = kx_xstrndup(line, len);
	bool yes = false;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(marks) && !yes; i++)
		yes = strstr(copy, marks[i]) != NULL;
	/* make's "make[2]: *** [...] Error 1" */
	yes |= strstr(copy, "*** ") && strstr(copy, "] Error ");
	free(copy);
	return yes;
}

/* Appends line (len bytes, at most 200 of them) to out. */
static void add_line(struct kx_strlist *out, const char *line, size_t len)
{
	kx_strlist_add(out, "");
	free(out->items[out->nr - 1]);
	out->items[out->nr - 1] = kx_xstrndup(line, len > 200 ? 200 : len);
}

void kx_test_log_excerpt(struct kx_strlist *out, const char *log, size_t max)
{
	const char *p, *eol;
	bool context = false;
	size_t first = out->nr, n = 0;
	const char *tail[8];
	size_t tail_len[8], tails = 0, k;

	for (p = log; p && *p && out->nr - first < max; p = *eol ? eol + 1 : eol) {
		size_t len;

		eol = strchr(p, '\n');
		if (!eol)
			eol = p + strlen(p);
		len = (size_t)(eol - p);
		if (len && p[len - 1] == '\r')
			len--;
		/* kvmx86's own lines say what ran, not what went wrong */
		if (kx_starts_with(p, "# kvmx86 test") ||
		    kx_starts_with(p, "# in /"))
			continue;
		if (error_line(p, len)) {
			add_line(out, p, len);
			/* the compiler's source line and caret below it */
			context = memmem(p, len, "error:", 6) &&
				  !memmem(p, len, "*** ", 4);
			continue;
		}
		if (context && len && *p == ' ' && memchr(p, '|', len)) {
			add_line(out, p, len);
			continue;
		}
		context = false;
		if (len) {
			tail[n % ARRAY_SIZE(tail)] = p;
			tail_len[n % ARRAY_SIZE(tail)] = len;
			n++;
		}
	}
	if (out->nr > first)
		return;
	/* no line looks like an error: the last ones */
	tails = n < max ? n : max;
	if (tails > ARRAY_SIZE(tail))
		tails = ARRAY_SIZE(tail);
	for (k = n - tails; k < n; k++)
		add_line(out, tail[k % ARRAY_SIZE(tail)],
			 tail_len[k % ARRAY_SIZE(tail)]);
}

char *kx_kernel_config_shown(const struct kx_kernel_config *c,
			     const char *config)
{
	struct kx_buf b = KX_BUF_INIT;
	size_t i;

	for (i = 0; i < kx_kernel_preset_nr + c->extra_nr; i++) {
		const struct kx_kernel_option *o = i < kx_kernel_preset_nr ?
			&kx_kernel_preset[i] :
			&c->extra[i - kx_kernel_preset_nr];
		char *v = config_value(config, o->name);
		char *unset = kx_xasprintf("# CONFIG_%s is not set", o->name);
		const char *p = config;
		bool shown = v != NULL;

		/* Kconfig writes "is not set" for an option it has, only */
		while (!shown && p && (p = strstr(p, unset))) {
			shown = (p == config || p[-1] == '\n') &&
				(!p[strlen(unset)] || p[strlen(unset)] == '\n');
			p += strlen(unset);
		}
		if (shown)
			kx_buf_addf(&b, "%s%s=%s", b.len ? " " : "", o->name,
				    v ? v : "n");
		free(unset);
		free(v);
	}
	return kx_buf_detach(&b);
}

int kx_distcc_slots(const char *hosts, unsigned *remote)
{
	char *copy = kx_xstrdup(hosts ? hosts : ""), *save = NULL, *w;
	int slots = 0;

	*remote = 0;
	for (w = strtok_r(copy, " \t\n", &save); w;
	     w = strtok_r(NULL, " \t\n", &save)) {
		char *limit, *end;
		bool local;
		long n;

		if (w[0] == '-' || w[0] == '+')	/* --randomize, +zeroconf */
			continue;
		w[strcspn(w, ",")] = '\0';	/* ,lzo ,cpp */
		local = kx_starts_with(w, "localhost") &&
			(!w[9] || w[9] == '/');
		n = local ? 2 : 4;	/* distcc's own defaults */
		if ((limit = strchr(w, '/'))) {
			n = strtol(limit + 1, &end, 10);
			if (end == limit + 1 || n < 1)
				n = local ? 2 : 4;
		}
		if (n > 1024)
			n = 1024;
		slots += (int)n;
		if (!local)
			(*remote)++;
	}
	free(copy);
	return slots ? slots : -1;
}

/* --- the testing statement --- */

/* The results of one test (kind, command, configuration) by commit. */
struct group {
	const char *kind;
	const char *command;
	const char *config;
	const char *options;	/* what a .config showed, or NULL */
	enum kx_test_build build;
	size_t order;		/* sorts the sentences */
	signed char *result;	/* per commit: 1 pass, 0 fail, -1 nothing */
};

static int kind_rank(const char *kind)
{
	if (!strcmp(kind, "selftests"))
		return 1;
	if (!strcmp(kind, "kvm-unit-tests"))
		return 2;
	return 0;
}

static size_t config_rank(const char *name)
{
	const struct kx_kernel_config *c = kx_kernel_config_find(name);

	if (!name)
		return 0;
	return c ? (size_t)(c - kx_kernel_configs) : kx_kernel_configs_nr;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool same_test(const struct group *a, const struct group *b)
{
	return !strcmp(a->kind, b->kind) && a->build == b->build &&
	       same_str(a->command, b->command);
}

static int group_cmp(const void *pa, const void *pb)
{
	const struct group *a = pa, *b = pb;
	size_t ra, rb;

	if (kind_rank(a->kind) != kind_rank(b->kind))
		return kind_rank(a->kind) - kind_rank(b->kind);
	/* linked before compiled before a command of one's own */
	if (a->build != b->build)
		return (int)b->build - (int)a->build;
	if (a->order != b->order)	/* the first command recorded first */
		return a->order < b->order ? -1 : 1;
	ra = config_rank(a->config);
	rb = config_rank(b->config);
	return ra < rb ? -1 : ra > rb;
}

/* Appends printf text to *s (malloc'd, or NULL for ""). */
static void append(char **s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void append(char **s, const char *fmt, ...)
{
	va_list ap;
	char *more, *next;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	more = kx_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(more, (size_t)n + 1, fmt, ap);
	va_end(ap);
	next = kx_xasprintf("%s%s", *s ? *s : "", more);
	free(more);
	free(*s);
	*s = next;
}

/* "at every commit", "at patch 2 of 5", "at patches 1-2 and 4 of 5". */
static char *where(const signed char *result, signed char want, size_t nr)
{
	char *out = NULL;
	size_t i, j, count = 0, runs = 0, done = 0;

	for (i = 0; i < nr; i++) {
		count += result[i] == want;
		runs += result[i] == want && (!i || result[i - 1] != want);
	}
	if (count == nr)
		return kx_xstrdup(nr == 1 ? "at its one commit" :
				  "at every commit");
	append(&out, "at patch%s ", count > 1 ? "es" : "");
	for (i = 0; i < nr; i = j) {
		for (j = i; j < nr && result[j] == want; j++)
			;
		if (j == i) {
			j++;
			continue;
		}
		done++;
		append(&out, "%s%zu", done == 1 ? "" :
				       done == runs ? " and " : ", ", i + 1);
		if (j - i > 1)
			append(&out, "-%zu", j);
	}
	append(&out, " of %zu", nr);
	return out;
}

/* Whether options ("KVM=m KASAN=n ...") show name, and its value. */
static const char *shown(const char *options, const char *name, size_t *len)
{
	const char *p = options;
	size_t n = strlen(name);

	while (p && *p) {
		if (!strncmp(p, name, n) && p[n] == '=') {
			*len = strcspn(p + n + 1, " ");
			return p + n + 1;
		}
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return NULL;
}

/* "KVM_SMM=n", as the .config showed it (with off: "KASAN off" for n). */
static void option_phrase(struct kx_buf *b, const struct group *g,
			  const struct kx_kernel_option *o, const char *sep,
			  bool off)
{
	size_t len;
	const char *v = g->options ? shown(g->options, o->name, &len) : NULL;

	if (g->options && !v)
		return;		/* this tree has no such option */
	if (!v) {
		v = o->value ? o->value : "n";
		len = strlen(v);
	}
	kx_buf_addf(b, "%s%s", b->len ? sep : "", o->name);
	if (off && len == 1 && *v == 'n')
		kx_buf_adds(b, " off");
	else
		kx_buf_addf(b, "=%.*s", (int)len, v);
}

/*
 * How a sentence names g's configuration: "with KVM_XEN=y", from what
 * its .config showed when the records say (an option the tree does not
 * have is not claimed), else from what the configuration asks for.
 */
static char *config_phrase(const struct group *g)
{
	const struct kx_kernel_config *c = kx_kernel_config_find(g->config);
	struct kx_buf b = KX_BUF_INIT;
	size_t i;

	if (!g->config)
		return kx_xstrdup("");
	if (!c)
		return kx_xasprintf(" in the configuration '%s'", g->config);
	if (c == &kx_kernel_configs[0]) {
		kx_buf_adds(&b, " with KVM_WERROR=y (x86_64_defconfig");
		for (i = 0; i < kx_kernel_preset_nr; i++)
			if (strcmp(kx_kernel_preset[i].name, "KVM_WERROR"))
				option_phrase(&b, g, &kx_kernel_preset[i], ", ",
					      true);
		kx_buf_adds(&b, ")");
		return kx_buf_detach(&b);
	}
	if (c->arch)
		return kx_xstrdup(" for 32-bit x86 (ARCH=i386, i386_defconfig, "
				  "the same KVM options)");
	for (i = 0; i < c->extra_nr; i++)
		option_phrase(&b, g, &c->extra[i], ", ", false);
	if (!b.len) {
		/* e.g. KVM_SMM=n on a tree from before KVM_SMM */
		kx_buf_release(&b);
		kx_buf_adds(&b, " in the configuration '");
		kx_buf_adds(&b, c->name);
		kx_buf_adds(&b, "', the same as x86_64_defconfig here: this tree has no ");
		for (i = 0; i < c->extra_nr; i++)
			kx_buf_addf(&b, "%s%s", i ? " or " : "", c->extra[i].name);
		kx_buf_adds(&b, " option");
		return kx_buf_detach(&b);
	}
	{
		char *with = kx_buf_detach(&b);
		char *out;

		/* "KVM_SMM off" reads as "with KVM_SMM off" */
		out = kx_xasprintf(" with %s", with);
		free(with);
		return out;
	}
}

/*
 * before, command in a code span, after: "Ran `make -j8`".  The command is
 * its shell words as kx_test_command_text() wrote them; in double quotes,
 * one holding '...' read as a single word and could not be pasted back.
 * A code span reads as the literal text in mail, Markdown and reST; a
 * command holding a backtick gets two, as Markdown has it.
 */
static char *code(const char *before, const char *command, const char *after)
{
	const char *tick = strchr(command, '`') ? "``" : "`";
	const char *pad = *tick && tick[1] ? " " : "";

	return kx_xasprintf("%s%s%s%s%s%s%s", before, tick, pad, command, pad,
			    tick, after);
}

/* The start of the sentence about g: first of its test, or "Also ...". */
static char *subject(const struct group *g, bool also)
{
	bool tests = kind_rank(g->kind) != 0;

	if (also)
		return kx_xstrdup(g->build == KX_BUILD_LINKED ?
				  "Also built and linked them" :
				  g->build == KX_BUILD_COMPILED && !tests ?
				  "Also compiled it" :
				  g->build == KX_BUILD_DECLARED && !tests ?
				  "Also built it" :
				  tests ? "Also ran them" : "Also ran it");
	if (kind_rank(g->kind) == 1)
		return code("Ran the KVM selftests (", g->command, ")");
	if (kind_rank(g->kind) == 2)
		return code("Ran kvm-unit-tests (", g->command, ")");
	if (g->build == KX_BUILD_LINKED)
		return kx_xstrdup("Built and linked kvm.ko, kvm-intel.ko and "
				  "kvm-amd.ko");
	if (g->build == KX_BUILD_COMPILED)
		return kx_xstrdup("Compiled arch/x86/kvm/ (not linked)");
	if (g->build == KX_BUILD_DECLARED)
		return code("Built with ", g->command, "");
	return code("Ran ", g->command, "");
}

/* What failed, as the subject of "... fails at ...". */
static char *failure_subject(const struct group *g)
{
	char *phrase = config_phrase(g), *what, *out;
	bool plural = kind_rank(g->kind) != 0;

	if (kind_rank(g->kind) == 1)
		what = code("The KVM selftests (", g->command, ")");
	else if (kind_rank(g->kind) == 2)
		what = code("kvm-unit-tests (", g->command, ")");
	else if (g->build == KX_BUILD_LINKED)
		what = kx_xstrdup("Building and linking the modules");
	else if (g->build == KX_BUILD_COMPILED)
		what = kx_xstrdup("Compiling arch/x86/kvm/");
	else if (g->build == KX_BUILD_DECLARED)
		what = code("Building with ", g->command, "");
	else
		what = code("", g->command, "");
	out = kx_xasprintf("%s%s %s", what, phrase, plural ? "fail" : "fails");
	free(what);
	free(phrase);
	return out;
}

/* Finds or adds the group of record r. */
static struct group *group_of(struct group **groups, size_t *nr,
			      size_t *alloc, const struct kx_test_record *r,
			      size_t commits_nr)
{
	const char *kind = r->kind ? r->kind : "command";
	struct group *g;
	size_t i;

	for (i = 0; i < *nr; i++) {
		g = &(*groups)[i];
		if (!strcmp(g->kind, kind) && g->build == r->build &&
		    same_str(g->command, r->command) &&
		    same_str(g->config, r->config))
			return g;
	}
	kx_grow((void **)groups, alloc, *nr, sizeof(**groups));
	g = &(*groups)[*nr];
	g->kind = kind;
	g->command = r->command ? r->command : "";
	g->config = r->config;
	g->options = r->options;
	g->build = r->build;
	g->order = *nr;
	g->result = kx_xmalloc(commits_nr ? commits_nr : 1);
	memset(g->result, -1, commits_nr ? commits_nr : 1);
	/* a command's first group sets the order of all its groups */
	for (i = 0; i < *nr; i++)
		if (same_str((*groups)[i].command, g->command))
			g->order = (*groups)[i].order;
	(*nr)++;
	return g;
}

static bool any(const signed char *result, signed char want, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (result[i] == want)
			return true;
	return false;
}

static bool same_passes(const struct group *a, const struct group *b,
			size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if ((a->result[i] == 1) != (b->result[i] == 1))
			return false;
	return true;
}

/* Whether g may share a sentence with others: not the preset itself. */
static bool shares(const struct group *g)
{
	return !g->config || config_rank(g->config) != 0;
}

/* Says what passed: one sentence per test and set of commits. */
static void passes(struct kx_strlist *out, const struct group *g, size_t nr,
		   size_t commits_nr)
{
	bool *said = kx_xcalloc(nr ? nr : 1, sizeof(*said));
	struct kx_strlist phrases = KX_STRLIST_INIT;
	size_t i, j;

	for (i = 0; i < nr; i++) {
		char *sentence, *at, *phrase;
		bool also = false;

		if (said[i] || !any(g[i].result, 1, commits_nr))
			continue;
		for (j = 0; j < i; j++)
			also |= said[j] && same_test(&g[i], &g[j]);
		sentence = subject(&g[i], also);
		for (j = i; j < nr; j++) {
			if (said[j] || !same_test(&g[i], &g[j]) ||
			    !same_passes(&g[i], &g[j], commits_nr) ||
			    (j != i && (!shares(&g[i]) || !shares(&g[j]))))
				continue;
			said[j] = true;
			phrase = config_phrase(&g[j]);
			kx_strlist_add(&phrases, phrase);
			free(phrase);
		}
		/* "with A, with B and for C" */
		for (j = 0; j < phrases.nr; j++)
			append(&sentence, "%s%s",
			       !j || !*phrases.items[j] ? "" :
			       j + 1 == phrases.nr ? " and" : ",",
			       phrases.items[j]);
		kx_strlist_release(&phrases);
		at = where(g[i].result, 1, commits_nr);
		kx_strlist_addf(out, "%s %s.", sentence, at);
		free(at);
		free(sentence);
	}
	free(said);
}

/* Where the compile jobs of the series' builds ran, if spread. */
static void distributed(struct kx_strlist *out,
			const struct kx_testing_input *in)
{
	unsigned long jobs = 0, remote = 0;
	unsigned hosts = 0;
	const char *via = NULL;
	size_t i, k;

	for (i = 0; i < in->records_nr; i++) {
		const struct kx_test_record *r = &in->records[i];

		for (k = 0; k < in->commits_nr; k++)
			if (r->commit && !strcmp(r->commit, in->commits[k]))
				break;
		if (k == in->commits_nr || !r->via || !r->jobs)
			continue;
		via = r->via;
		jobs += r->jobs;
		remote += r->remote_jobs;
		hosts = r->hosts > hosts ? r->hosts : hosts;
	}
	if (!via)
		return;
	if (!strcmp(via, "icecc"))
		kx_strlist_addf(out, "The builds went through icecream: %lu of "
				"their %lu compile jobs ran on other hosts.",
				remote, jobs);
	else
		kx_strlist_addf(out, "The builds went through distcc: %lu of "
				"their %lu compile jobs ran on %u distcc "
				"host%s.", remote, jobs, hosts,
				hosts == 1 ? "" : "s");
}

void kx_testing_statement(struct kx_strlist *out,
			  const struct kx_testing_input *in)
{
	struct group *groups = NULL;
	size_t nr = 0, alloc = 0, i, k;
	bool kernel = false, build = false;
	bool build_ran = false, selftests_ran = false, kut_ran = false;
	bool *configs = kx_xcalloc(kx_kernel_configs_nr, sizeof(*configs));
	char *missing = NULL;

	for (i = 0; i < in->records_nr; i++) {
		const struct kx_test_record *r = &in->records[i];
		struct group *g;

		for (k = 0; k < in->commits_nr; k++)
			if (r->commit && !strcmp(r->commit, in->commits[k]))
				break;
		if (k == in->commits_nr)
			continue;
		g = group_of(&groups, &nr, &alloc, r, in->commits_nr);
		g->result[k] = r->pass;
	}
	if (nr)
		qsort(groups, nr, sizeof(*groups), group_cmp);
	passes(out, groups, nr, in->commits_nr);
	for (i = 0; i < nr; i++) {
		const struct group *g = &groups[i];
		bool passed = any(g->result, 1, in->commits_nr);

		if (any(g->result, 0, in->commits_nr)) {
			char *what = failure_subject(g);
			char *at = where(g->result, 0, in->commits_nr);

			kx_strlist_addf(out, "%s %s.", what, at);
			free(what);
			free(at);
		}
		selftests_ran |= kind_rank(g->kind) == 1;
		kut_ran |= kind_rank(g->kind) == 2;
		/* `true` at every commit is no build: only what builds is */
		build |= passed && kind_rank(g->kind) == 0 &&
			 g->build != KX_BUILD_COMMAND;
		build_ran |= kind_rank(g->kind) == 0 &&
			     g->build != KX_BUILD_COMMAND;
		if (passed && (g->build == KX_BUILD_COMPILED ||
			       g->build == KX_BUILD_LINKED)) {
			kernel = true;
			if (config_rank(g->config) < kx_kernel_configs_nr)
				configs[config_rank(g->config)] = true;
		}
	}
	distributed(out, in);
	/* a build that failed everywhere is not one never run */
	if (!build && build_ran)
		kx_strlist_add(out, "No build passed at any commit of the "
				    "series.");
	else if (!build)
		kx_strlist_add(out, "No build of the series was recorded.");
	/* the matrix is advice, but a reader should know it was not done */
	for (i = 1; kernel && i < kx_kernel_configs_nr; i++)
		if (!configs[i])
			append(&missing, "%s%s", missing ? ", " : "",
			       kx_kernel_configs[i].label);
	if (missing)
		kx_strlist_addf(out, "Not built in these configurations: %s.",
				missing);
	/* tests that failed everywhere ran: their failure is said above */
	if (!selftests_ran && !kut_ran)
		kx_strlist_add(out, "Neither the KVM selftests nor "
				    "kvm-unit-tests were run.");
	else if (!selftests_ran)
		kx_strlist_add(out, "The KVM selftests were not run.");
	else if (!kut_ran)
		kx_strlist_add(out, "kvm-unit-tests were not run.");
	for (i = 0; i < nr; i++)
		free(groups[i].result);
	free(groups);
	free(configs);
	free(missing);
}

char *kx_testing_paragraph(const struct kx_testing_input *in)
{
	struct kx_strlist l = KX_STRLIST_INIT;
	struct kx_buf line = KX_BUF_INIT, b = KX_BUF_INIT;
	size_t i;

	kx_testing_statement(&l, in);
	for (i = 0; i < l.nr; i++)
		kx_buf_addf(&line, "%s%s", i ? " " : "", l.items[i]);
	/* a cover letter's lines: 72 columns, as git shortlog -w72 wraps */
	if (line.len)
		kx_shortlog_wrap(&b, line.buf, 0, 0, 72);
	kx_strlist_release(&l);
	kx_buf_release(&line);
	return kx_buf_detach(&b);
}
