// SPDX-License-Identifier: GPL-2.0-only
/*
 * The verbs the prose rules know: the ones kernel changelogs and shortlogs
 * start with.  An explicit list rather than suffix rules, because "Process",
 * "Address", "Access", "Embed" and "Speed" end like a third-person or past
 * form and are imperatives (or nouns); only forms generated from a listed
 * base count.
 */
#include <ctype.h>
#include <string.h>

#include "kvmx86/rules.h"

/* A base form and, where the spelling rules below get it wrong, its past. */
static const struct verb {
	const char *base;
	const char *past;	/* NULL: regular; "" : same as the base */
} verbs[] = {
	{ "access", NULL }, { "account", NULL }, { "acquire", NULL },
	{ "add", NULL }, { "address", NULL }, { "adjust", NULL },
	{ "advertise", NULL }, { "align", NULL }, { "allocate", NULL },
	{ "allow", NULL }, { "annotate", NULL }, { "append", NULL },
	{ "apply", NULL }, { "assert", NULL }, { "assign", NULL },
	{ "attach", NULL }, { "avoid", NULL }, { "bail", NULL },
	{ "block", NULL }, { "bring", "brought" }, { "build", "built" },
	{ "bump", NULL }, { "bypass", NULL }, { "cache", NULL },
	{ "calculate", NULL }, { "call", NULL }, { "cancel", NULL },
	{ "capture", NULL }, { "change", NULL }, { "check", NULL },
	{ "clamp", NULL }, { "clarify", NULL }, { "clean", NULL },
	{ "clear", NULL }, { "collapse", NULL }, { "collect", NULL },
	{ "combine", NULL }, { "compute", NULL }, { "configure", NULL },
	{ "consolidate", NULL }, { "consult", NULL }, { "consume", NULL },
	{ "convert", NULL }, { "copy", NULL }, { "correct", NULL },
	{ "create", NULL }, { "declare", NULL }, { "deduplicate", NULL },
	{ "defer", "deferred" }, { "define", NULL }, { "delay", NULL },
	{ "delete", NULL }, { "deliver", NULL }, { "deny", NULL },
	{ "deprecate", NULL }, { "derive", NULL }, { "describe", NULL },
	{ "detach", NULL }, { "detect", NULL }, { "disable", NULL },
	{ "disallow", NULL }, { "document", NULL }, { "drop", "dropped" },
	{ "dump", NULL }, { "embed", "embedded" }, { "emit", "emitted" },
	{ "emulate", NULL }, { "enable", NULL }, { "encode", NULL },
	{ "enforce", NULL }, { "enhance", NULL }, { "ensure", NULL },
	{ "enumerate", NULL }, { "evict", NULL }, { "exempt", NULL },
	{ "expand", NULL }, { "explain", NULL }, { "export", NULL },
	{ "expose", NULL }, { "extend", NULL }, { "extract", NULL },
	{ "factor", NULL }, { "fetch", NULL }, { "fill", NULL },
	{ "filter", NULL }, { "fix", NULL }, { "flush", NULL },
	{ "fold", NULL }, { "force", NULL }, { "forward", NULL },
	{ "free", NULL }, { "get", "got" }, { "handle", NULL },
	{ "hide", "hid" }, { "hoist", NULL }, { "honor", NULL },
	{ "hook", NULL }, { "ignore", NULL }, { "implement", NULL },
	{ "improve", NULL }, { "include", NULL }, { "increase", NULL },
	{ "initialize", NULL }, { "inject", NULL }, { "inline", NULL },
	{ "insert", NULL }, { "install", NULL }, { "intercept", NULL },
	{ "introduce", NULL }, { "invalidate", NULL }, { "invert", NULL },
	{ "invoke", NULL }, { "isolate", NULL }, { "keep", "kept" },
	{ "kick", NULL }, { "kill", NULL }, { "limit", NULL },
	{ "load", NULL }, { "lock", NULL }, { "log", "logged" },
	{ "lower", NULL }, { "make", "made" }, { "manage", NULL },
	{ "map", "mapped" }, { "mark", NULL }, { "mask", NULL },
	{ "merge", NULL }, { "migrate", NULL }, { "mirror", NULL },
	{ "modify", NULL }, { "move", NULL }, { "narrow", NULL },
	{ "nuke", NULL }, { "omit", "omitted" }, { "open", NULL },
	{ "opt", "opted" }, { "optimize", NULL }, { "override", "overrode" },
	{ "pass", NULL }, { "perform", NULL }, { "pick", NULL },
	{ "pin", "pinned" }, { "plumb", NULL }, { "populate", NULL },
	{ "postpone", NULL }, { "prefer", "preferred" }, { "prepare", NULL },
	{ "preserve", NULL }, { "prevent", NULL }, { "print", NULL },
	{ "probe", NULL }, { "process", NULL }, { "promote", NULL },
	{ "propagate", NULL }, { "protect", NULL }, { "provide", NULL },
	{ "prune", NULL }, { "publish", NULL }, { "purge", NULL },
	{ "put", "" }, { "query", NULL }, { "queue", NULL },
	{ "raise", NULL }, { "read", "" }, { "reallocate", NULL },
	{ "rearrange", NULL }, { "rebuild", "rebuilt" },
	{ "recalculate", NULL }, { "recompute", NULL }, { "record", NULL },
	{ "reduce", NULL }, { "refactor", NULL }, { "reflect", NULL },
	{ "refresh", NULL }, { "refuse", NULL }, { "register", NULL },
	{ "reinitialize", NULL }, { "reinstall", NULL },
	{ "reinstate", NULL }, { "reintroduce", NULL }, { "reject", NULL },
	{ "release", NULL }, { "reload", NULL }, { "relocate", NULL },
	{ "remove", NULL }, { "rename", NULL }, { "reorder", NULL },
	{ "reorganize", NULL }, { "replace", NULL }, { "replay", NULL },
	{ "report", NULL }, { "request", NULL }, { "require", NULL },
	{ "reserve", NULL }, { "reset", "" }, { "resolve", NULL },
	{ "restart", NULL }, { "restore", NULL }, { "restrict", NULL },
	{ "retain", NULL }, { "retry", NULL }, { "return", NULL },
	{ "reuse", NULL }, { "revert", NULL }, { "reword", NULL },
	{ "rework", NULL }, { "rewrite", "rewrote" }, { "route", NULL },
	{ "run", "ran" }, { "sanitize", NULL }, { "save", NULL },
	{ "select", NULL }, { "separate", NULL }, { "serialize", NULL },
	{ "set", "" }, { "share", NULL }, { "shorten", NULL },
	{ "simplify", NULL }, { "skip", "skipped" }, { "snapshot", NULL },
	{ "sort", NULL }, { "split", "" }, { "squash", NULL },
	{ "stay", NULL }, { "stop", "stopped" }, { "store", NULL },
	{ "strip", "stripped" }, { "stub", "stubbed" }, { "support", NULL },
	{ "suppress", NULL }, { "swap", "swapped" }, { "switch", NULL },
	{ "synchronize", NULL }, { "tag", "tagged" }, { "take", "took" },
	{ "teach", "taught" }, { "tear", "tore" }, { "test", NULL },
	{ "tidy", NULL }, { "toggle", NULL }, { "track", NULL },
	{ "translate", NULL }, { "treat", NULL }, { "trigger", NULL },
	{ "trim", "trimmed" }, { "truncate", NULL }, { "tweak", NULL },
	{ "unexport", NULL }, { "unify", NULL }, { "unload", NULL },
	{ "unlock", NULL }, { "unmap", "unmapped" }, { "unpin", "unpinned" },
	{ "unregister", NULL }, { "update", NULL }, { "use", NULL },
	{ "validate", NULL }, { "verify", NULL }, { "virtualize", NULL },
	{ "wait", NULL }, { "walk", NULL }, { "warn", NULL },
	{ "wire", NULL }, { "wrap", "wrapped" }, { "write", "wrote" },
	{ "yield", NULL }, { "zap", "zapped" }, { "zero", NULL },
};

static bool is_vowel(char c)
{
	return strchr("aeiou", c) != NULL;
}

/* Writes the third-person form of base into buf. */
static void third_person(char *buf, size_t size, const char *base)
{
	size_t n = strlen(base);
	char last = base[n - 1];

	if (n >= size - 3)
		n = size - 4;
	memcpy(buf, base, n);
	if (last == 'y' && n > 1 && !is_vowel(base[n - 2])) {
		strcpy(buf + n - 1, "ies");
	} else if (last == 's' || last == 'x' || last == 'z' ||
		   (n > 1 && base[n - 2] == 'c' && last == 'h') ||
		   (n > 1 && base[n - 2] == 's' && last == 'h')) {
		strcpy(buf + n, "es");
	} else {
		strcpy(buf + n, "s");
	}
}

/* Writes the past form of v into buf (empty if it equals the base). */
static void past(char *buf, size_t size, const struct verb *v)
{
	size_t n = strlen(v->base);
	char last = v->base[n - 1];

	buf[0] = '\0';
	if (v->past) {
		if (*v->past && strlen(v->past) < size)
			strcpy(buf, v->past);
		return;
	}
	if (n >= size - 3)
		return;
	memcpy(buf, v->base, n);
	if (last == 'e')
		strcpy(buf + n, "d");
	else if (last == 'y' && n > 1 && !is_vowel(v->base[n - 2]))
		strcpy(buf + n - 1, "ied");
	else
		strcpy(buf + n, "ed");
}

/* Writes the -ing form of v into buf: "making", "dropping", "freeing". */
static void gerund(char *buf, size_t size, const struct verb *v)
{
	size_t n = strlen(v->base);
	const char *b = v->base;

	if (n >= size - 5) {
		buf[0] = '\0';
		return;
	}
	memcpy(buf, b, n);
	/* a doubled consonant in the past doubles here too */
	if (v->past && strlen(v->past) == n + 3 && v->past[n] == b[n - 1] &&
	    !strcmp(v->past + n + 1, "ed")) {
		buf[n] = b[n - 1];
		n++;
	} else if (b[n - 1] == 'e' && n > 2 && b[n - 2] != 'e') {
		n--;
	}
	strcpy(buf + n, "ing");
}

static bool word_ieq(const char *word, size_t n, const char *s)
{
	size_t i;

	if (strlen(s) != n)
		return false;
	for (i = 0; i < n; i++)
		if (tolower((unsigned char)word[i]) != s[i])
			return false;
	return true;
}

const char *kx_words_verb_form(const char *word, size_t n, char *form)
{
	char buf[32];
	size_t i;

	if (n < 3 || n >= sizeof(buf) - 4)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(verbs); i++) {
		const struct verb *v = &verbs[i];

		if (tolower((unsigned char)word[0]) != v->base[0])
			continue;
		third_person(buf, sizeof(buf), v->base);
		if (word_ieq(word, n, buf)) {
			*form = 's';
			return v->base;
		}
		past(buf, sizeof(buf), v);
		if (*buf && word_ieq(word, n, buf)) {
			*form = 'd';
			return v->base;
		}
		gerund(buf, sizeof(buf), v);
		if (word_ieq(word, n, buf)) {
			*form = 'g';
			return v->base;
		}
	}
	return NULL;
}

const char *kx_words_verb_base(const char *word, size_t n)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(verbs); i++)
		if (word_ieq(word, n, verbs[i].base))
			return verbs[i].base;
	return NULL;
}

const char *kx_words_verb(size_t i)
{
	return i < ARRAY_SIZE(verbs) ? verbs[i].base : NULL;
}
