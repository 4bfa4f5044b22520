// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvmx86 test's store of results: two runs that record into one store
 * see each other's records, however the file changed in between.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kvmx86/error.h"
#include "kvmx86/file.h"
#include "kvmx86/testrecords.h"
#include "kvmx86/util.h"

static char dir[] = "/tmp/kvmx86-store-XXXXXX";
static char *common;

static const char *tree_of(int n)
{
	static char hex[8][41];

	snprintf(hex[n], sizeof(hex[n]), "%040x", n + 1);
	return hex[n];
}

static void put(struct kx_test_store *st, int n)
{
	struct kx_test_result r = {
		.tree = tree_of(n), .kind = "command", .command = "true",
		.compiler = "cc (Debian) 12",
		.pass = true,
	};

	assert_int_equal(kx_test_store_put(st, &r), 0);
}

static bool has(const struct kx_test_store *st, int n)
{
	struct kx_test_result key = {
		.tree = tree_of(n), .kind = "command", .command = "true",
		.compiler = "cc (Debian) 12",
	}, out;

	return kx_test_store_find(st, &key, &out);
}

/* What the file holds now, as a third run reads it. */
static bool on_disk(int n)
{
	struct kx_test_store st;
	bool found;

	assert_int_equal(kx_test_store_load(&st, common, NULL), 0);
	found = has(&st, n);
	kx_test_store_release(&st);
	return found;
}

static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	common = kx_xasprintf("%s/", dir);
	return 0;
}

static int teardown(void **state)
{
	char *path = kx_xasprintf("%skvmx86/test-records.json", common);

	(void)state;
	unlink(path);
	free(path);
	path = kx_xasprintf("%skvmx86", common);
	rmdir(path);
	free(path);
	rmdir(dir);
	free(common);
	return 0;
}

static void crossed_runs_keep_each_others_records(void **state)
{
	struct kx_test_store a, b;

	(void)state;
	assert_int_equal(kx_test_store_load(&a, common, NULL), 0);
	assert_int_equal(kx_test_store_load(&b, common, NULL), 0);
	put(&a, 0);
	/* b read the store before a wrote: it must read it again */
	put(&b, 1);
	assert_true(on_disk(0));
	assert_true(on_disk(1));
	put(&a, 2);
	assert_true(on_disk(1));
	/* nothing came between: a's own last write is the file */
	put(&a, 3);
	assert_true(on_disk(0) && on_disk(1) && on_disk(2) && on_disk(3));
	kx_test_store_release(&a);
	kx_test_store_release(&b);
}

static void a_file_changed_in_place_is_read_again(void **state)
{
	struct kx_test_store a, b;
	char *path = kx_xasprintf("%skvmx86/test-records.json", common);
	char *text;
	FILE *f;

	(void)state;
	assert_int_equal(kx_test_store_load(&a, common, NULL), 0);
	put(&a, 4);
	assert_true(has(&a, 0));
	/* someone rewrites the file in place (same inode): only record 4 */
	assert_int_equal(kx_test_store_load(&b, common, NULL), 0);
	assert_int_equal(kx_test_store_forget(&b, NULL, 0, &(size_t){ 0 }), 0);
	put(&b, 4);
	text = kx_read_file(path);
	assert_non_null(text);
	kx_test_store_release(&b);
	assert_int_equal(kx_test_store_load(&b, common, NULL), 0);
	put(&b, 0);
	kx_test_store_release(&b);
	/* a's version of the file is gone: in place, a version without 0 */
	f = fopen(path, "r+");
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), 0), 0);
	fputs(text, f);
	fclose(f);
	free(text);
	put(&a, 5);
	assert_false(on_disk(0));
	assert_true(on_disk(4) && on_disk(5));
	kx_test_store_release(&a);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(crossed_runs_keep_each_others_records),
		cmocka_unit_test(a_file_changed_in_place_is_read_again),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
