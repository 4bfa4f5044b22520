// SPDX-License-Identifier: GPL-2.0-only
/*
 * maint-probe: kvmx86's MAINTAINERS matcher from the command line, for the
 * tests that hold its answer against scripts/get_maintainer.pl.  Built,
 * never installed.
 *
 *   maint-probe TREE < PATCH           what get_maintainer.pl < PATCH prints
 *   maint-probe TREE -f FILE...        what get_maintainer.pl -f FILE... prints
 *   maint-probe --roles ...            each line with its role after a tab
 *
 * TREE is a checked-out kernel tree: its MAINTAINERS, its .mailmap, and
 * its directories for get_maintainer's "-d" test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kvmx86/maintainers.h"
#include "kvmx86/util.h"

static char *slurp(FILE *f)
{
	struct kx_buf b = KX_BUF_INIT;
	char chunk[65536];
	size_t n;

	kx_buf_adds(&b, "");
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		kx_buf_add(&b, chunk, n);
	return kx_buf_detach(&b);
}

static char *read_path(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s;

	if (!f)
		return NULL;
	s = slurp(f);
	fclose(f);
	return s;
}

static bool is_dir(void *data, const char *path)
{
	char *full = kx_xasprintf("%s/%s", (const char *)data, path);
	struct stat st;
	bool dir = stat(full, &st) == 0 && S_ISDIR(st.st_mode);

	free(full);
	return dir;
}

/* -f $file of a regular file, as the script asks */
static char *read_tree_file(void *data, const char *path)
{
	char *full = kx_xasprintf("%s/%s", (const char *)data, path), *text = NULL;
	struct stat st;

	if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
		text = read_path(full);
	free(full);
	return text;
}

int main(int argc, char **argv)
{
	struct kx_maintainers *m;
	struct kx_maint_tree tree = { is_dir, read_tree_file, NULL };
	struct kx_maint_hits hits = { NULL, 0, 0 };
	const struct kx_strlist *w;
	char *text, *path, *mailmap;
	bool roles = false;
	int i = 1;
	size_t k;

	if (i < argc && !strcmp(argv[i], "--roles")) {
		roles = true;
		i++;
	}
	if (i >= argc) {
		fputs("usage: maint-probe [--roles] TREE [-f FILE...] (or a patch on stdin)\n",
		      stderr);
		return 129;
	}
	path = kx_xasprintf("%s/MAINTAINERS", argv[i]);
	text = read_path(path);
	if (!text) {
		fprintf(stderr, "maint-probe: cannot read %s\n", path);
		return 128;
	}
	free(path);
	tree.data = argv[i];
	kx_maintainers_parse(&m, text, strlen(text), &tree);
	path = kx_xasprintf("%s/.mailmap", argv[i]);
	mailmap = read_path(path);
	free(path);
	kx_maintainers_set_mailmap(m, mailmap);
	if (i + 1 < argc && !strcmp(argv[i + 1], "-f")) {
		kx_maintainers_for_files(&hits, m, (const char *const *)argv + i + 2,
					 (size_t)(argc - i - 2));
	} else {
		char *patch = slurp(stdin);

		kx_maintainers_for_patch(&hits, m, patch);
		free(patch);
	}
	for (k = 0; k < hits.nr; k++)
		if (roles)
			printf("%s\t%s\n", hits.items[k].text, hits.items[k].role);
		else
			printf("%s\n", hits.items[k].text);
	w = kx_maintainers_warnings(m);
	for (k = 0; k < w->nr; k++)
		fprintf(stderr, "warning: %s\n", w->items[k]);
	kx_maint_hits_release(&hits);
	kx_maintainers_free(m);
	free(text);
	free(mailmap);
	return 0;
}
