// SPDX-License-Identifier: GPL-2.0-only
/* The state file on disk: round trip, atomicity, and what is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include <cmocka.h>

#include "kvmx86/error.h"
#include "kvmx86/state.h"

static char dir[] = "/tmp/kvmx86-state-XXXXXX";

static char *path_in(const char *name)
{
	return kx_xasprintf("%s/state/%s", dir, name);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = kx_xcalloc(1, 65536);

	assert_non_null(f);
	assert_true(fread(buf, 1, 65535, f) > 0);
	fclose(f);
	return buf;
}

static void sample(struct kx_state *s)
{
	struct kx_sent *e;

	kx_state_init(s);
	s->branch = kx_xstrdup("x86/pmu/foo");
	s->change_id = kx_xstrdup("20261127-foo-0123456789ab");
	s->revision = 2;
	kx_strlist_add(&s->prefixes, "RFC");
	s->cover_subject = kx_xstrdup("KVM: x86/pmu: Fix things");
	s->cover_body = kx_xstrdup("Line one.\n\nLine \"two\".");
	s->base_commit = kx_xstrdup("a63efd9637ec79781ccc660af98a987316e84e89");
	s->base_ref = kx_xstrdup("kvm-x86/next");
	e = kx_state_add_sent(s, 1);
	e->cover_msgid = kx_xstrdup("20261120-foo-v1-0-abc@example.org");
	kx_strlist_add(&e->msgids, "20261120-foo-v1-0-abc@example.org");
	kx_strlist_add(&e->to, "kvm@vger.kernel.org");
}

static void release(struct kx_state *s)
{
	kx_state_free_json(s);
	kx_state_release(s);
}

static void test_state_file__round_trip(void **state)
{
	struct kx_state a, b;
	char *path = path_in("x86%2Fpmu%2Ffoo.json");

	(void)state;
	sample(&a);
	assert_int_equal(kx_state_save(&a, path), 0);
	assert_int_equal(kx_state_load(&b, path), 0);
	assert_string_equal(b.branch, "x86/pmu/foo");
	assert_int_equal(b.revision, 2);
	assert_int_equal(b.prefixes.nr, 1);
	assert_string_equal(b.cover_body, "Line one.\n\nLine \"two\".");
	assert_int_equal(b.sent_nr, 1);
	assert_string_equal(b.sent[0].to.items[0], "kvm@vger.kernel.org");
	assert_null(b.imported_from);
	release(&a);
	release(&b);
	free(path);
}

static void test_state_file__missing_is_not_found(void **state)
{
	struct kx_state s;
	char *path = path_in("nothing.json");

	(void)state;
	assert_int_equal(kx_state_load(&s, path), KX_ENOTFOUND);
	release(&s);
	free(path);
}

static void test_state_file__refused_and_left_alone(void **state)
{
	static const char *const bad[] = {
		"{\"schema_version\": 1, \"branch\": \"x\", \"change_id\": \"c\", \"revis",
		"not json at all",
		"{\"schema_version\": 99, \"branch\": \"x\", \"change_id\": \"c\", \"revision\": 1}",
		"{\"branch\": \"x\", \"change_id\": \"c\", \"revision\": 1}",
		"[1, 2, 3]",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kx_state s;
		char *path = path_in("bad.json"), *after;

		write_file(path, bad[i]);
		assert_int_equal(kx_state_load(&s, path), KX_EINVALID);
		/* the message names the file */
		assert_non_null(strstr(kx_error_last(), path));
		if (i == 2)
			assert_non_null(strstr(kx_error_last(), "newer"));
		after = slurp(path);
		assert_string_equal(after, bad[i]);
		free(after);
		release(&s);
		free(path);
	}
}

static void test_state_file__unknown_keys_survive(void **state)
{
	struct kx_state s;
	char *path = path_in("newer.json"), *text;

	(void)state;
	write_file(path,
		   "{\"schema_version\": 1, \"branch\": \"b\", \"change_id\": \"c\","
		   " \"revision\": 3, \"from_the_future\": {\"x\": [1, 2]},"
		   " \"test_results\": {\"abc\": {\"status\": \"pass\"}}}");
	assert_int_equal(kx_state_load(&s, path), 0);
	s.revision = 4;
	assert_int_equal(kx_state_save(&s, path), 0);
	text = slurp(path);
	assert_non_null(strstr(text, "\"from_the_future\""));
	assert_non_null(strstr(text, "\"status\": \"pass\""));
	assert_non_null(strstr(text, "\"revision\": 4"));
	free(text);
	release(&s);
	free(path);
}

static void test_state_file__no_stray_files(void **state)
{
	struct kx_state s;
	char *path = path_in("clean.json"), *sdir = kx_xasprintf("%s/state", dir);
	struct dirent *e;
	DIR *d;
	int i;

	(void)state;
	sample(&s);
	for (i = 0; i < 5; i++)
		assert_int_equal(kx_state_save(&s, path), 0);
	d = opendir(sdir);
	assert_non_null(d);
	while ((e = readdir(d)))
		assert_false(strstr(e->d_name, "tmp") != NULL);
	closedir(d);
	release(&s);
	free(path);
	free(sdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_file__round_trip),
		cmocka_unit_test(test_state_file__missing_is_not_found),
		cmocka_unit_test(test_state_file__refused_and_left_alone),
		cmocka_unit_test(test_state_file__unknown_keys_survive),
		cmocka_unit_test(test_state_file__no_stray_files),
	};
	char *sdir;
	int ret;

	if (!mkdtemp(dir))
		return 1;
	sdir = kx_xasprintf("%s/state", dir);
	mkdir(sdir, 0777);
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	/* best effort: the directory holds only this test's files */
	{
		DIR *d = opendir(sdir);
		struct dirent *e;

		while (d && (e = readdir(d))) {
			char *f = kx_xasprintf("%s/%s", sdir, e->d_name);

			if (e->d_name[0] != '.')
				unlink(f);
			free(f);
		}
		if (d)
			closedir(d);
		rmdir(sdir);
		rmdir(dir);
	}
	free(sdir);
	return ret;
}
