// SPDX-License-Identifier: GPL-2.0-only
/*
 * The one rewrite path (lib/io/rewrite.h) on a repository made here: a
 * rewrite that would change the tip's tree moves nothing; one that keeps
 * it moves the branch and keeps the old tip as a backup.
 */
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <git2.h>

#include "../../lib/io/rewrite.h"
#include "kvmx86/error.h"
#include "kvmx86/util.h"

struct fixture {
	char dir[64];
	git_repository *repo;
	git_oid one, one_reworded, two;
};

/* A commit of one file f holding text, on parent (or none). */
static void commit(git_oid *out, git_repository *repo, const char *text,
		   const char *message, const git_oid *parent_id)
{
	git_treebuilder *tb = NULL;
	git_signature *sig = NULL;
	git_commit *parent = NULL;
	git_tree *tree = NULL;
	git_oid blob, tree_id;

	assert_int_equal(git_blob_create_from_buffer(&blob, repo, text, strlen(text)), 0);
	assert_int_equal(git_treebuilder_new(&tb, repo, NULL), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, "f", &blob, GIT_FILEMODE_BLOB), 0);
	assert_int_equal(git_treebuilder_write(&tree_id, tb), 0);
	assert_int_equal(git_tree_lookup(&tree, repo, &tree_id), 0);
	assert_int_equal(git_signature_new(&sig, "Tess Ting", "tess@example.com", 1700000000, 0), 0);
	if (parent_id)
		assert_int_equal(git_commit_lookup(&parent, repo, parent_id), 0);
	assert_int_equal(git_commit_create(out, repo, NULL, sig, sig, NULL, message, tree,
					   parent ? 1 : 0, (const git_commit **)&parent), 0);
	git_commit_free(parent);
	git_signature_free(sig);
	git_tree_free(tree);
	git_treebuilder_free(tb);
}

static int setup(void **state)
{
	struct fixture *f = kx_xcalloc(1, sizeof(*f));
	git_reference *ref = NULL;
	git_oid base;

	git_libgit2_init();
	strcpy(f->dir, "/tmp/kvmx86-test-rewrite.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(git_repository_init(&f->repo, f->dir, true), 0);
	commit(&base, f->repo, "base\n", "Start\n", NULL);
	commit(&f->one, f->repo, "base\none\n", "KVM: x86: One\n", &base);
	commit(&f->one_reworded, f->repo, "base\none\n", "KVM: x86: One, reworded\n", &base);
	commit(&f->two, f->repo, "base\ntwo\n", "KVM: x86: Two\n", &base);
	assert_int_equal(git_reference_create(&ref, f->repo, "refs/heads/x86/misc/b",
					      &f->one, 0, "test"), 0);
	git_reference_free(ref);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char *cmd[] = { "rm", "-rf", f->dir, NULL };
	pid_t pid;

	git_repository_free(f->repo);
	/* the test's own temporary directory: an argv, no shell */
	if (posix_spawnp(&pid, "rm", NULL, NULL, cmd, NULL) == 0)
		waitpid(pid, NULL, 0);
	free(f);
	git_libgit2_shutdown();
	return 0;
}

static void branch_at(git_repository *repo, const git_oid *want)
{
	git_oid at;

	assert_int_equal(git_reference_name_to_id(&at, repo, "refs/heads/x86/misc/b"), 0);
	assert_true(git_oid_equal(&at, want));
}

static void test_rewrite__another_tree_moves_nothing(void **state)
{
	struct fixture *f = *state;
	char *backup = NULL;
	git_oid none;

	assert_int_equal(kx_rewrite_update_branch(&backup, f->repo, "x86/misc/b",
						  &f->one, &f->two, "test", "why"),
			 KX_EINVALID);
	assert_null(backup);
	assert_non_null(strstr(kx_error_last(), "would not have the tree of its tip"));
	branch_at(f->repo, &f->one);
	assert_int_not_equal(git_reference_name_to_id(&none, f->repo,
						      "refs/kvmx86/backup/x86/misc/b/1"), 0);
	kx_error_clear();
	git_error_clear();
}

static void test_rewrite__same_tree_moves_with_a_backup(void **state)
{
	struct fixture *f = *state;
	char *backup = NULL;
	git_oid kept;

	assert_int_equal(kx_rewrite_update_branch(&backup, f->repo, "x86/misc/b",
						  &f->one, &f->one_reworded, "test", "why"),
			 0);
	assert_string_equal(backup, "refs/kvmx86/backup/x86/misc/b/1");
	branch_at(f->repo, &f->one_reworded);
	assert_int_equal(git_reference_name_to_id(&kept, f->repo, backup), 0);
	assert_true(git_oid_equal(&kept, &f->one));
	free(backup);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rewrite__another_tree_moves_nothing),
		cmocka_unit_test(test_rewrite__same_tree_moves_with_a_backup),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
