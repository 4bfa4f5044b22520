/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A kernel tree's MAINTAINERS, parsed and matched natively with the answer
 * of `scripts/get_maintainer.pl --nogit --nogit-fallback --norolestats
 * --nofixes`: its sections (M:, R:, L:, F:, X:, N:, K:), its ordering and
 * de-duplication, its reading of the tree's .mailmap.  Pure: io hands in
 * the files' text and answers get_maintainer's one question about the
 * tree (is this F: value a directory?).
 */
#ifndef KVMX86_MAINTAINERS_H
#define KVMX86_MAINTAINERS_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/util.h"

struct kx_maintainers;

/* What get_maintainer.pl reads of the tree beside MAINTAINERS. */
struct kx_maint_tree {
	/* path (an F: or X: value as the script rewrites it) is a directory */
	bool (*is_dir)(void *data, const char *path);
	/* the text of the file at path (caller frees), or NULL if none */
	char *(*read)(void *data, const char *path);
	void *data;
};

/*
 * Parses the n bytes of a MAINTAINERS file into *out (caller frees with
 * kx_maintainers_free()).  tree is asked only about what a lookup needs
 * (is_dir for a value that could match a file, read for a .yaml file's
 * addresses and, with -f, the keywords) and must stay valid while *out is
 * used.  A pattern this parser cannot take becomes a warning
 * (kx_maintainers_warnings()) and matches nothing.
 */
void kx_maintainers_parse(struct kx_maintainers **out, const char *text,
			  size_t n, const struct kx_maint_tree *tree);

/* Reads the tree's .mailmap as get_maintainer.pl does (text NULL: none). */
void kx_maintainers_set_mailmap(struct kx_maintainers *m, const char *text);

/* The patterns that could not be used, one line each (borrowed). */
const struct kx_strlist *kx_maintainers_warnings(const struct kx_maintainers *m);

/* Frees m (NULL is fine). */
void kx_maintainers_free(struct kx_maintainers *m);

/* One address get_maintainer.pl prints, and why. */
struct kx_maint_hit {
	char *text;		/* as printed: "Name <addr>", "\"A. B\" <addr>", "list@addr" */
	char *name;		/* unquoted, "" for none */
	char *addr;
	bool list;		/* an L: list */
	char *role;		/* its --roles text: "maintainer:KVM X86 ...", "open list:..." */
};

struct kx_maint_hits {
	struct kx_maint_hit *items;
	size_t nr, alloc;
};

/*
 * What get_maintainer.pl prints for patch (a mail as git format-patch
 * writes it, on its stdin): the files its diff headers name, the K:
 * keywords of its lines (every line before the diff, then only + and -
 * lines), people first, then lists, then the addresses a touched .yaml
 * file of the tree holds, appended to out.
 */
void kx_maintainers_for_patch(struct kx_maint_hits *out, struct kx_maintainers *m,
			      const char *patch);

/*
 * What get_maintainer.pl -f prints for files of the tree (their text,
 * read through the tree, for the K: keywords).
 */
void kx_maintainers_for_files(struct kx_maint_hits *out, struct kx_maintainers *m,
			      const char *const *files, size_t nr);

/* Frees what h owns. */
void kx_maint_hits_release(struct kx_maint_hits *h);

#endif
