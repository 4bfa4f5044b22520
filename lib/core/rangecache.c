// SPDX-License-Identifier: GPL-2.0-only
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvmx86/rangecache.h"
#include "kvmx86/state.h"
#include "kvmx86/util.h"

/* The format's first word: a reader of another format misses, never misreads. */
#define MAGIC "kvmx86-range-1"

char *kx_range_cache_format(const struct kx_range_cache *c)
{
	return kx_xasprintf(MAGIC "\ntip %s\nbase %s\ncover %s\nstart %s\nfrom %s\ncount %zu\n",
			    c->tip, c->base, *c->cover ? c->cover : "-",
			    *c->start ? c->start : "-", c->from, c->count);
}

static bool is_hex40(const char *s, size_t n)
{
	size_t i;

	if (n != 40)
		return false;
	for (i = 0; i < n; i++)
		if (!s[i] || !strchr("0123456789abcdef", s[i]))
			return false;
	return true;
}

/* Reads "<key> <40-hex or ->\n" at *p into out (a "-" gives ""). */
static int field(const char **p, const char *key, char out[41], bool optional)
{
	size_t klen = strlen(key), n;
	const char *v;

	if (strncmp(*p, key, klen) || (*p)[klen] != ' ')
		return -1;
	v = *p + klen + 1;
	n = strcspn(v, "\n");
	if (v[n] != '\n')
		return -1;
	if (optional && n == 1 && *v == '-') {
		*out = '\0';
	} else if (is_hex40(v, n)) {
		memcpy(out, v, 40);
		out[40] = '\0';
	} else {
		return -1;
	}
	*p = v + n + 1;
	return 0;
}

int kx_range_cache_parse(struct kx_range_cache *out, const char *text)
{
	const char *p = text;
	char *end;
	unsigned long long count;

	memset(out, 0, sizeof(*out));
	if (!kx_starts_with(p, MAGIC "\n"))
		return -1;
	p += strlen(MAGIC "\n");
	if (field(&p, "tip", out->tip, false) || field(&p, "base", out->base, false) ||
	    field(&p, "cover", out->cover, true) || field(&p, "start", out->start, true) ||
	    field(&p, "from", out->from, false) || !kx_starts_with(p, "count "))
		return -1;
	p += strlen("count ");
	if (*p < '0' || *p > '9')
		return -1;
	count = strtoull(p, &end, 10);
	if (strcmp(end, "\n") || (!count) != (!*out->start))
		return -1;
	out->count = count;
	return 0;
}

bool kx_range_cache_matches(const struct kx_range_cache *c, const char *tip,
			   const char *base, const char *cover)
{
	return !strcmp(c->tip, tip) && !strcmp(c->base, base) &&
	       !strcmp(c->cover, cover ? cover : "");
}

char *kx_range_cache_path(const char *commondir, const char *branch)
{
	char *name = kx_state_file_name(branch);
	size_t n = strlen(name) - strlen(".json");
	char *path;

	name[n] = '\0';
	path = kx_xasprintf("%skvmx86/cache/%s.range", commondir, name);
	free(name);
	return path;
}
