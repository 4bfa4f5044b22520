/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kvmx86 test's results, one store per repository (lib/io/testrecords.c):
 * <git-common-dir>/kvmx86/test-records.json.  A result is keyed by what
 * was built and how: the commit's tree, the step's kind, the exact
 * command (shell-quoted), the kernel configuration and the hash of what
 * it asks for (Kconfig makes the .config of the tree, that and the
 * compiler; the .config's own hash is kept beside it), the compiler, and
 * whether the command was declared a build.
 * So a result outlives a rewrite that keeps the tree (a reword, trailers,
 * --link), never answers for another setup, and a range and an enrolled
 * branch see the same results.
 *
 * Read whole, bounded and checked field by field; every change is made
 * under "<file>.lock" (O_EXCL, "<pid> <host>", as the state's) on the
 * file as it is then, and written atomically.  The first store imports
 * what an older kvmx86 kept in each series' state (test_results).
 */
#ifndef KVMX86_TESTRECORDS_H
#define KVMX86_TESTRECORDS_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/file.h"
#include "kvmx86/patch.h"

struct json_t;
struct git_repository;

/* The store's bounds: records (the oldest go beyond it), file size. */
#define KX_TEST_STORE_MAX 20000
#define KX_TEST_STORE_BYTES ((size_t)32 << 20)
#define KX_TEST_STORE_SCHEMA 1

/* One result, as kvmx86 test records it (strings borrowed). */
struct kx_test_result {
	const char *tree;		/* 40-hex: what was built */
	const char *commit;		/* 40-hex: the commit it was then */
	const char *kind;		/* "command", "selftests", ... */
	const char *command;		/* kx_test_command_text() */
	const char *config;		/* --kernel's configuration, or NULL */
	const char *config_hash;	/* of what config asks for, or NULL */
	const char *dotconfig;		/* the .config's hash, or NULL */
	const char *options;		/* kx_kernel_config_shown(), or NULL */
	const char *compiler;		/* `<cc> --version`'s first line */
	enum kx_test_build build;
	bool pass;
	int exit_status;
	double seconds;
	const char *log;		/* or NULL */
	const char *date;		/* ISO 8601, UTC; NULL: now */
	const char *via;		/* "distcc", "icecc", or NULL */
	unsigned long jobs, remote_jobs;
	unsigned hosts;
};

struct kx_test_store {
	char *path;
	char *commondir;
	struct git_repository *repo;	/* borrowed: maps old records */
	struct json_t *records;		/* as read, with this run's */
	struct kx_file_sig sig;		/* the file records came from */
	char *lock;			/* "<path>.lock" while held */
};

/*
 * Reads commondir's ("<git-common-dir>/") store into st, importing the
 * states' records if it has not yet (repo maps their commits to trees).
 * Returns 0, or KX_EINVALID naming the file and the field of a corrupt,
 * oversized or newer-schema store (left untouched), or KX_ERROR.
 */
int kx_test_store_load(struct kx_test_store *st, const char *commondir,
		       struct git_repository *repo);

/*
 * Finds the record of key's tree, kind, command, config, config_hash,
 * compiler and build level (pass or fail) and fills *out with it (strings borrowed from
 * st).  Returns true if there is one.
 */
bool kx_test_store_find(const struct kx_test_store *st,
			const struct kx_test_result *key,
			struct kx_test_result *out);

/*
 * Records r, replacing the record of its key, in the file as it is now
 * (under its lock) and in st; beyond KX_TEST_STORE_MAX the oldest go.
 * Returns 0 or a negative KX_E*.
 */
int kx_test_store_put(struct kx_test_store *st, const struct kx_test_result *r);

/*
 * Forgets every record of the nr trees (all of them if trees is NULL) in
 * the file and in st; *forgotten says how many.  Returns 0 or KX_E*.
 */
int kx_test_store_forget(struct kx_test_store *st, const char *const *trees,
			 size_t nr, size_t *forgotten);

/* Frees what st owns. */
void kx_test_store_release(struct kx_test_store *st);

#endif
