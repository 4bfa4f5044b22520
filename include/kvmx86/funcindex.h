/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The names of the functions defined in KVM's code, so that function-parens
 * knows a function the diff does not touch ("... in kvm_set_cr0"): the
 * files of arch/x86/kvm/, virt/kvm/, the KVM headers and the KVM selftests
 * in the tree of the series' base, scanned once and cached by the base's
 * id under <git-common-dir>/kvmx86/funcindex/.  The scan and the set are
 * pure (lib/core/funcindex.c); the tree and the cache are io's
 * (lib/io/funcindex.c).
 */
#ifndef KVMX86_FUNCINDEX_H
#define KVMX86_FUNCINDEX_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/util.h"

/* The cache file's first line: "kvmx86-funcindex <version> <base>". */
#define KX_FUNCINDEX_VERSION 1

/* --- lib/core/funcindex.c: the names --- */

/* A sorted set of function names (its strings point into buf). */
struct kx_funcindex {
	char *buf;
	const char **names;
	size_t nr, alloc;
	char base[41];		/* the commit whose tree it is */
};

/* Whether path's functions belong in the index: KVM's directories. */
bool kx_funcindex_wants(const char *path);

/*
 * Adds to out the names of the functions that C text (len bytes) defines
 * or declares at file scope: a line at column 0 with a return type, then
 * name( ("static int __init vmx_init(void)").  Only names with an '_' that
 * are not all capitals, as function-parens counts them.
 */
void kx_funcindex_scan(struct kx_strlist *out, const char *text, size_t len);

/* Fills idx (emptied first) with names, sorted, each once; base is 40-hex. */
void kx_funcindex_set(struct kx_funcindex *idx, struct kx_strlist *names,
		      const char *base);

/* Returns the cache text of idx (caller frees). */
char *kx_funcindex_format(const struct kx_funcindex *idx);

/*
 * Fills idx from cache text (taken over: idx frees it) if it is an index
 * of base in this version, names sorted; returns false (text freed, idx
 * empty) if not.
 */
bool kx_funcindex_parse(struct kx_funcindex *idx, char *text,
			const char *base);

/* Whether the n bytes at name are a name of idx (NULL: none is). */
bool kx_funcindex_has(const struct kx_funcindex *idx, const char *name,
		      size_t n);

/* Frees what idx holds and empties it. */
void kx_funcindex_release(struct kx_funcindex *idx);

/* --- lib/io/funcindex.c: the tree and the cache --- */

struct git_repository;

/*
 * The index of the tree the series sits on: commit's first parent (commit
 * is 40-hex, the series' first), from the cache, else scanned and cached.
 * NULL when there is none (a root commit, an unreadable tree): the names
 * are a hint, so no error is set.  kx_funcindex_free() frees it.
 */
struct kx_funcindex *kx_funcindex_open(struct git_repository *repo,
				       const char *commit);

/* Frees idx; NULL is fine. */
void kx_funcindex_free(struct kx_funcindex *idx);

/*
 * The index of kx_funcindex_open(repo, commit), opened the first time
 * kx_funcindex_env() asks it: a check whose changelogs name no candidate
 * reads nothing.  repo is borrowed.
 */
struct kx_funcindex_lazy *kx_funcindex_lazy_new(struct git_repository *repo,
						const char *commit);

/* Frees what lazy opened, and lazy; NULL is fine. */
void kx_funcindex_lazy_free(struct kx_funcindex_lazy *lazy);

/* kx_rule_env.is_function over the kx_funcindex_lazy in data. */
bool kx_funcindex_env(void *data, const char *name, size_t n);

#endif
