// SPDX-License-Identifier: GPL-2.0-only
/*
 * prep --show-info's output: the keys, their order and the JSON form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kvmx86.h"
#include "kvmx86/state.h"
#include "kvmx86/suggest.h"
#include "kvmx86/util.h"

static const char *const info_keys[] = {
	"branch", "cover-subject", "prefixes", "change-id", "revision",
	"base-branch", "base-scope", "base-commit", "start-commit",
	"end-commit", "series-range",
};

bool kx_info_is_key(const char *s)
{
	unsigned rev;
	size_t i;

	for (i = 0; i < sizeof(info_keys) / sizeof(info_keys[0]); i++)
		if (!strcmp(info_keys[i], s))
			return true;
	return kx_starts_with(s, "series-v") && !kx_parse_revision(&rev, s + 8);
}

char *kx_info_suggest(const char *word)
{
	const char *matches[ARRAY_SIZE(info_keys)], *meant;
	struct kx_buf b = KX_BUF_INIT;
	size_t i, n = 0, len = strlen(word);

	/* "base": every key it begins, as a shortened key reads */
	for (i = 0; len && i < ARRAY_SIZE(info_keys); i++)
		if (!strncmp(info_keys[i], word, len))
			matches[n++] = info_keys[i];
	for (i = 0; i < n; i++)
		kx_buf_addf(&b, "%s'%s'", !i ? "" : i + 1 < n ? ", " : " or ",
			    matches[i]);
	if (n)
		return kx_buf_detach(&b);
	meant = kx_suggest(word, info_keys, ARRAY_SIZE(info_keys));
	return meant ? kx_xasprintf("'%s'", meant) : NULL;
}

struct info {
	char *key;
	char *value;
};

static void info_add(struct info **items, size_t *nr, size_t *alloc,
		     char *key, char *value)
{
	kx_grow((void **)items, alloc, *nr, sizeof(**items));
	(*items)[*nr].key = key;
	(*items)[(*nr)++].value = value ? value : kx_xstrdup("");
}

#define ADD(k, v) info_add(&items, &nr, &alloc, kx_xstrdup(k), (v))
#define DUP(s) kx_xstrdup((s) ? (s) : "")

static char *prefixes_text(const struct kx_state *s)
{
	char *out = kx_xstrdup("");
	size_t i;

	for (i = 0; i < s->prefixes.nr; i++) {
		char *next = kx_xasprintf("%s%s%s", out, i ? " " : "",
					  s->prefixes.items[i]);

		free(out);
		out = next;
	}
	return out;
}

int kx_info_print(const char *branch, const struct kx_state *s,
		  const struct kx_info_range *r, const char *key, bool json)
{
	struct info *items = NULL;
	size_t nr = 0, alloc = 0, i;
	int ret = 0;

	ADD("branch", DUP(branch));
	ADD("cover-subject", DUP(s->cover_subject));
	ADD("prefixes", prefixes_text(s));
	ADD("change-id", DUP(s->change_id));
	ADD("revision", kx_xasprintf("%u", s->revision));
	ADD("base-branch", DUP(s->base_ref));
	ADD("base-scope", DUP(s->base_scope));
	ADD("base-commit", DUP(r->base));
	ADD("start-commit", DUP(r->start));
	ADD("end-commit", DUP(r->end));
	ADD("series-range", kx_xasprintf("%s..%s", r->from, r->end));
	for (i = 0; i < s->sent_nr; i++) {
		const struct kx_sent *e = &s->sent[i];

		info_add(&items, &nr, &alloc, kx_xasprintf("series-v%u", e->revision),
			 kx_xasprintf("%s..%s %s", e->base ? e->base : "",
				      e->tip ? e->tip : (e->tag ? e->tag : ""),
				      e->cover_msgid ? e->cover_msgid : ""));
	}

	if (key) {
		for (i = 0; i < nr && strcmp(items[i].key, key); i++)
			;
		if (i == nr) {
			ret = -1;
		} else if (json) {
			json_t *obj = json_object();

			json_object_set_new(obj, items[i].key, kx_out_json_str(items[i].value));
			kx_out_json(obj, true);
		} else {
			kx_out_printf(stdout, "%s: %s\n", items[i].key, items[i].value);
		}
	} else if (json) {
		json_t *obj = json_object();

		for (i = 0; i < nr; i++)
			json_object_set_new(obj, items[i].key, kx_out_json_str(items[i].value));
		kx_out_json(obj, false);
	} else {
		for (i = 0; i < nr; i++)
			kx_out_printf(stdout, "%s: %s\n", items[i].key, items[i].value);
	}
	for (i = 0; i < nr; i++) {
		free(items[i].key);
		free(items[i].value);
	}
	free(items);
	return ret;
}
