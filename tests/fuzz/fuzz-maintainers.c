// SPDX-License-Identifier: GPL-2.0-only
/*
 * MAINTAINERS as send reads it (the tree's own file: text others wrote)
 * and the patterns of its N: and K: lines (perlre.c, a Perl regex subset).
 * The input is a MAINTAINERS text, then a line "@@PATCH@@" and a patch;
 * the tree beside it has a directory for every path ending in '/', and
 * every file reads as the patch.  Its first line is also compiled as a
 * pattern and matched against the rest.
 */
#include "fuzz.h"
#include "kvmx86/maintainers.h"
#include "kvmx86/perlre.h"

static bool tree_is_dir(void *data, const char *path)
{
	size_t n = strlen(path);

	(void)data;
	return n && path[n - 1] == '/';
}

static char *tree_read(void *data, const char *path)
{
	(void)path;
	return data ? kx_xstrdup(data) : NULL;
}

static void check_hits(const struct kx_maint_hits *h)
{
	size_t i;

	for (i = 0; i < h->nr; i++) {
		FUZZ_ASSERT(h->items[i].text && h->items[i].addr);
		FUZZ_ASSERT(h->items[i].name && h->items[i].role);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kx_maintainers *m = NULL;
	struct kx_maint_hits hits = { NULL, 0, 0 };
	struct kx_maint_tree tree;
	struct kx_perlre *re = NULL;
	char *text, *patch, *sep, *nl, *pattern;
	const char *files[2];

	if (size > FUZZ_MAX_INPUT)
		return 0;
	text = fuzz_string(data, size);
	sep = strstr(text, "@@PATCH@@\n");
	patch = sep ? sep + strlen("@@PATCH@@\n") : "";
	tree.is_dir = tree_is_dir;
	tree.read = tree_read;
	tree.data = patch;
	kx_maintainers_parse(&m, text, sep ? (size_t)(sep - text) : strlen(text),
			     &tree);
	kx_maintainers_set_mailmap(m, patch);
	kx_maintainers_for_patch(&hits, m, patch);
	check_hits(&hits);
	kx_maint_hits_release(&hits);
	memset(&hits, 0, sizeof(hits));
	files[0] = "arch/x86/kvm/x86.c";
	files[1] = "virt/kvm/";
	kx_maintainers_for_files(&hits, m, files, 2);
	check_hits(&hits);
	kx_maint_hits_release(&hits);
	kx_maintainers_free(m);

	nl = strchr(text, '\n');
	pattern = kx_xstrndup(text, nl ? (size_t)(nl - text) : strlen(text));
	if (kx_perlre_compile(&re, pattern, size ? data[size - 1] & 0xfu : 0) == 0) {
		const char *rest = nl ? nl + 1 : "";

		kx_perlre_match(re, rest, strlen(rest));
		kx_perlre_free(re);
	}
	free(pattern);
	free(text);
	return 0;
}
