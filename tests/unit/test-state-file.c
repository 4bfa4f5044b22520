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
#include "kvmx86/file.h"
#include "kvmx86/statefile.h"

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

static void sample(struct kx_state_file *f)
{
	struct kx_state *s = &f->state;
	struct kx_sent *e;

	kx_state_file_init(f);
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

static void release(struct kx_state_file *f)
{
	kx_state_file_release(f);
}

static void test_state_file__round_trip(void **state)
{
	struct kx_state_file a, b;
	char *path = path_in("x86%2Fpmu%2Ffoo.json");

	(void)state;
	sample(&a);
	assert_int_equal(kx_state_file_save(&a, path), 0);
	assert_int_equal(kx_state_file_load(&b, path), 0);
	assert_string_equal(b.state.branch, "x86/pmu/foo");
	assert_int_equal(b.state.revision, 2);
	assert_int_equal(b.state.prefixes.nr, 1);
	assert_string_equal(b.state.cover_body, "Line one.\n\nLine \"two\".");
	assert_int_equal(b.state.sent_nr, 1);
	assert_string_equal(b.state.sent[0].to.items[0], "kvm@vger.kernel.org");
	assert_null(b.state.imported_from);
	assert_null(a.lock);
	release(&a);
	release(&b);
	free(path);
}

static void test_state_file__missing_is_not_found(void **state)
{
	struct kx_state_file s;
	char *path = path_in("nothing.json");

	(void)state;
	assert_int_equal(kx_state_file_load(&s, path), KX_ENOTFOUND);
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
		/* load-then-save must be the identity: no value is cut */
		"{\"schema_version\":1,\"branch\":\"b\",\"change_id\":\"c\",\"revision\":4294967296}",
		"{\"schema_version\":2,\"branch\":\"b\",\"change_id\":\"c\",\"revision\":3,"
		"\"prefixes\":[\"RFC\\nBcc: evil@example.org\"]}",
		"{\"schema_version\":2,\"branch\":\"b\",\"change_id\":\"c\",\"revision\":3,"
		"\"prefixes\":[\"RFC\", 7]}",
		"{\"schema_version\":2,\"branch\":\"b\",\"change_id\":\"c\",\"revision\":3,"
		"\"base\":{\"commit\":\"xyz\"}}",
		"{\"schema_version\":2,\"branch\":\"b\",\"change_id\":\"c\",\"revision\":3,"
		"\"sent\":[{\"revision\":2},{\"revision\":2}]}",
		"{\"schema_version\":2,\"branch\":\"b\",\"change_id\":5,\"revision\":3}",
	};
	static const char *const field[] = {
		"corrupt", "corrupt", "newer", "schema_version", "not a JSON object",
		"revision 4294967296 is out of range (1 to 1000)",
		"prefixes[0] 'RFC^JBcc: evil@example.org' holds a line break",
		"prefixes[1] is not a string",
		"base.commit 'xyz' is not a commit id",
		"sent[0] and sent[1] are both v2",
		"change_id is not a string",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kx_state_file s;
		char *path = path_in("bad.json"), *after;

		write_file(path, bad[i]);
		assert_int_equal(kx_state_file_load(&s, path), KX_EINVALID);
		/* the message names the file and what is wrong in it */
		assert_non_null(strstr(kx_error_last(), path));
		if (!strstr(kx_error_last(), field[i]))
			fail_msg("%s: '%s' lacks '%s'", bad[i], kx_error_last(), field[i]);
		after = slurp(path);
		assert_string_equal(after, bad[i]);
		free(after);
		release(&s);
		free(path);
	}
}

static void test_state_file__unknown_keys_survive(void **state)
{
	struct kx_state_file s;
	char *path = path_in("newer.json"), *text;

	(void)state;
	write_file(path,
		   "{\"schema_version\": 1, \"branch\": \"b\", \"change_id\": \"c\","
		   " \"revision\": 3, \"from_the_future\": {\"x\": [1, 2]},"
		   " \"cover\": {\"subject\": \"s\", \"format\": \"md\"},"
		   " \"sent\": [{\"revision\": 1, \"recipients\": [\"a@b\"]}],"
		   " \"test_results\": {\"abc\": {\"status\": \"pass\"}}}");
	assert_int_equal(kx_state_file_load(&s, path), 0);
	s.state.revision = 4;
	assert_int_equal(kx_state_file_save(&s, path), 0);
	text = slurp(path);
	assert_non_null(strstr(text, "\"schema_version\": 2"));
	assert_non_null(strstr(text, "\"from_the_future\""));
	/* unknown keys inside the objects too: later fields need no new schema */
	assert_non_null(strstr(text, "\"format\": \"md\""));
	assert_non_null(strstr(text, "\"recipients\""));
	assert_non_null(strstr(text, "\"status\": \"pass\""));
	assert_non_null(strstr(text, "\"revision\": 4"));
	free(text);
	release(&s);
	free(path);
}

static void test_state_file__no_stray_files(void **state)
{
	struct kx_state_file s;
	char *path = path_in("clean.json"), *sdir = kx_xasprintf("%s/state", dir);
	struct dirent *e;
	DIR *d;
	int i;

	(void)state;
	sample(&s);
	for (i = 0; i < 5; i++)
		assert_int_equal(kx_state_file_save(&s, path), 0);
	d = opendir(sdir);
	assert_non_null(d);
	while ((e = readdir(d))) {
		assert_false(strstr(e->d_name, "tmp") != NULL);
		assert_false(strstr(e->d_name, ".lock") != NULL);
	}
	closedir(d);
	release(&s);
	free(path);
	free(sdir);
}

/* load, save, load: the same state, and the second save the same bytes */
static void test_state_file__save_of_load_is_identity(void **state)
{
	static const char *const good[] = {
		"{\"schema_version\":1,\"branch\":\"b\",\"change_id\":\"c\",\"revision\":1000}",
		"{\"schema_version\":1,\"branch\":\"b\",\"change_id\":\"c\",\"revision\":2,"
		"\"cover\":null,\"prefixes\":[],\"x\":[0.1,{\"y\":null}]}",
		"{\"schema_version\":2,\"branch\":\"x86/a%b\",\"change_id\":\"c\",\"revision\":2,"
		"\"cover\":{\"subject\":\"caf\u00e9\",\"body\":\"a\\n\\u001b[2J\"},"
		"\"sent\":[{\"revision\":1,\"msgids\":[\"a@b\"],\"z\":1}]}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		struct kx_state_file a, b;
		char *one, *two;

		assert_int_equal(kx_state_file_parse(&a, good[i], strlen(good[i]), "t"), 0);
		one = kx_state_file_format(&a);
		assert_non_null(one);
		assert_int_equal(kx_state_file_parse(&b, one, strlen(one), "t"), 0);
		two = kx_state_file_format(&b);
		assert_string_equal(one, two);
		assert_int_equal(b.state.revision, a.state.revision);
		free(one);
		free(two);
		release(&a);
		release(&b);
	}
}

/* What kx_state_check() refuses is never written. */
static void test_state_file__refuses_to_write_bad_state(void **state)
{
	struct kx_state_file s;
	char *path = path_in("refused.json");

	(void)state;
	sample(&s);
	kx_strlist_add(&s.state.prefixes, "RFC\nBcc: x@y");
	assert_int_equal(kx_state_file_save(&s, path), KX_EINVALID);
	assert_non_null(strstr(kx_error_last(), "prefixes[1]"));
	assert_int_equal(access(path, F_OK), -1);
	release(&s);
	free(path);
}

/* Two savers that read the same file: the second merges, never overwrites. */
static void test_state_file__save_merges_what_changed(void **state)
{
	struct kx_state_file a, b, c;
	char *path = path_in("merge.json");

	(void)state;
	sample(&a);
	assert_int_equal(kx_state_file_save(&a, path), 0);
	release(&a);
	assert_int_equal(kx_state_file_load(&a, path), 0);
	assert_int_equal(kx_state_file_load(&b, path), 0);
	/* a changes the prefixes, b the revision: both stay */
	kx_strlist_release(&a.state.prefixes);
	kx_strlist_add(&a.state.prefixes, "RESEND");
	b.state.revision = 7;
	assert_int_equal(kx_state_file_save(&a, path), 0);
	assert_int_equal(kx_state_file_save(&b, path), 0);
	assert_string_equal(b.state.prefixes.items[0], "RESEND");
	assert_int_equal(kx_state_file_load(&c, path), 0);
	assert_int_equal(c.state.revision, 7);
	assert_string_equal(c.state.prefixes.items[0], "RESEND");
	release(&c);
	/* both change the revision: the second is refused, the first stays */
	a.state.revision = 8;
	b.state.revision = 9;
	release(&a);
	assert_int_equal(kx_state_file_load(&a, path), 0);
	a.state.revision = 8;
	assert_int_equal(kx_state_file_save(&a, path), 0);
	assert_int_equal(kx_state_file_save(&b, path), KX_ERROR);
	assert_non_null(strstr(kx_error_last(), "another kvmx86 changed its revision too"));
	assert_int_equal(kx_state_file_load(&c, path), 0);
	assert_int_equal(c.state.revision, 8);
	release(&a);
	release(&b);
	release(&c);
	free(path);
}

static void test_state_file__lock_is_exclusive(void **state)
{
	struct kx_state_file a, b;
	char *path = path_in("locked.json"), *lock = kx_xasprintf("%s.lock", path);
	char line[64];

	(void)state;
	sample(&a);
	assert_int_equal(kx_state_file_save(&a, path), 0);
	release(&a);
	assert_int_equal(kx_state_file_load(&b, path), 0);
	assert_int_equal(kx_state_file_lock(&a, path), 0);
	assert_int_equal(access(lock, F_OK), 0);
	/* a lock of a live process (this one) holds */
	assert_int_equal(kx_state_file_lock(&b, path), KX_ERROR);
	snprintf(line, sizeof(line), "another kvmx86 is working on this series (pid %ld)",
		 (long)getpid());
	assert_string_equal(kx_error_last(), line);
	/* so does a save without the lock */
	b.state.revision = 5;
	assert_int_equal(kx_state_file_save(&b, path), KX_ERROR);
	release(&b);
	/* a save under the lock keeps it; release drops it */
	a.state.revision = 3;
	assert_int_equal(kx_state_file_save(&a, path), 0);
	assert_int_equal(access(lock, F_OK), 0);
	release(&a);
	assert_int_equal(access(lock, F_OK), -1);
	/* a lock left by a process that is gone is named, with what to do */
	kx_state_file_init(&b);
	{
		char host[256] = "", text[300];

		gethostname(host, sizeof(host) - 1);
		snprintf(text, sizeof(text), "999999999 %s\n", host);
		write_file(lock, text);
	}
	assert_int_equal(kx_state_file_lock(&b, path), KX_ERROR);
	assert_non_null(strstr(kx_error_last(), "gone (pid 999999999)"));
	assert_non_null(strstr(kx_error_last_hint(), "rm '"));
	assert_int_equal(access(lock, F_OK), 0);
	release(&b);
	unlink(lock);
	free(lock);
	free(path);
}

static void test_state_file__archives_never_overwrite(void **state)
{
	struct kx_state_file s;
	char *adir = kx_xasprintf("%s/archive", dir), *one, *two, *text;

	(void)state;
	sample(&s);
	assert_int_equal(kx_state_file_archive(&s, adir, "b-20260101T000000", &one), 0);
	s.state.revision = 3;
	assert_int_equal(kx_state_file_archive(&s, adir, "b-20260101T000000", &two), 0);
	assert_string_not_equal(one, two);
	assert_true(kx_ends_with(two, "/b-20260101T000000-2.json"));
	text = slurp(one);
	assert_non_null(strstr(text, "\"revision\": 2"));
	free(text);
	unlink(one);
	unlink(two);
	rmdir(adir);
	free(one);
	free(two);
	free(adir);
	release(&s);
}

static void test_state_file__b4_tracking(void **state)
{
	static const char *const bad[] = {
		"{\"series\": {\"revision\": 4294967296}}",
		"{\"series\": {\"prefixes\": [\"RFC\\nBcc: evil@example.org\"]}}",
		"{\"series\": {\"change-id\": \"x\\u001b]52;c;Zm9v\\u0007\"}}",
		"{\"series\": {\"history\": {\"v1\": [\"a\\r\\nBcc: x\"]}}}",
		"{\"series\": {\"history\": {\"v0\": []}}}",
		"{\"series\": 3}",
	};
	static const char *const why[] = {
		"revision 4294967296 is out of range",
		"prefixes[0] 'RFC^JBcc: evil@example.org' holds a line break",
		"change-id 'x^[]52;c;Zm9v^G' holds a control character",
		"history.v1[0]",
		"history key 'v0' is not a version",
		"not readable",
	};
	const char *good = "{\"series\": {\"revision\": 3, \"change-id\": \"20240101-a-0123456789ab\","
			   " \"prefixes\": [\"RFC\"], \"history\": {\"v1\": [\"m1@x\", \"m2@x\"],"
			   " \"v2\": [\"n1@x\"]}}}";
	struct kx_state s;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		kx_state_init(&s);
		s.change_id = kx_xstrdup("kept");
		assert_int_equal(kx_b4_tracking_parse(&s, bad[i], "b4's tracking data of b"),
				 KX_EINVALID);
		if (!strstr(kx_error_last(), why[i]) ||
		    !strstr(kx_error_last(), "b4's tracking data of b"))
			fail_msg("'%s': '%s'", bad[i], kx_error_last());
		/* nothing of a refused import stays */
		assert_string_equal(s.change_id, "kept");
		assert_int_equal(s.revision, 1);
		assert_int_equal(s.prefixes.nr, 0);
		assert_int_equal(s.sent_nr, 0);
		kx_state_release(&s);
	}
	kx_state_init(&s);
	assert_int_equal(kx_b4_tracking_parse(&s, good, "b4"), 0);
	assert_string_equal(s.change_id, "20240101-a-0123456789ab");
	assert_int_equal(s.revision, 3);
	assert_int_equal(s.sent_nr, 2);
	assert_string_equal(kx_state_find_sent(&s, 1)->cover_msgid, "m1@x");
	kx_state_release(&s);
}

static void test_state_file__reads_only_regular_files(void **state)
{
	struct kx_state_file s;
	char *text;

	(void)state;
	assert_null(kx_read_file("/dev/zero"));
	assert_null(kx_read_file(dir));
	assert_int_equal(kx_file_read(&text, NULL, dir, 10), KX_EINVALID);
	assert_non_null(strstr(kx_error_last(), "is a directory"));
	assert_int_equal(kx_file_read(&text, NULL, "/dev/zero", 10), KX_EINVALID);
	assert_non_null(strstr(kx_error_last(), "not a regular file"));
	/* a state file that is a directory is named, not read as empty */
	assert_int_equal(kx_state_file_load(&s, dir), KX_EINVALID);
	assert_non_null(strstr(kx_error_last(), "is a directory"));
	release(&s);
}

/* The permission bits of path. */
static mode_t mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

/*
 * Written files are 0666 less the umask, as git's and git format-patch's
 * are (mkstemp() alone made them 0600); one replaced keeps its mode.
 */
static void test_state_file__written_files_follow_the_umask(void **state)
{
	char *path = kx_xasprintf("%s/mode/out.mbox", dir);
	char *adir = kx_xasprintf("%s/mode", dir), *archived = NULL;
	mode_t old = umask(022);

	(void)state;
	assert_int_equal(kx_write_atomic(path, "one\n", false), 0);
	assert_int_equal(mode_of(path), 0644);
	assert_int_equal(kx_write_new(&archived, adir, "a", ".json", "{}\n"), 0);
	assert_int_equal(mode_of(archived), 0644);
	unlink(archived);
	free(archived);
	umask(027);
	assert_int_equal(kx_write_new(&archived, adir, "a", ".json", "{}\n"), 0);
	assert_int_equal(mode_of(archived), 0640);
	unlink(archived);
	free(archived);
	unlink(path);
	assert_int_equal(kx_write_atomic(path, "two\n", true), 0);
	assert_int_equal(mode_of(path), 0640);

	/* the user's chmod survives a rewrite, whatever the umask */
	umask(022);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(kx_write_atomic(path, "three\n", false), 0);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(chmod(path, 0664), 0);
	assert_int_equal(kx_write_atomic(path, "four\n", false), 0);
	assert_int_equal(mode_of(path), 0664);
	umask(old);
	unlink(path);
	rmdir(adir);
	free(adir);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_file__round_trip),
		cmocka_unit_test(test_state_file__missing_is_not_found),
		cmocka_unit_test(test_state_file__refused_and_left_alone),
		cmocka_unit_test(test_state_file__unknown_keys_survive),
		cmocka_unit_test(test_state_file__no_stray_files),
		cmocka_unit_test(test_state_file__save_of_load_is_identity),
		cmocka_unit_test(test_state_file__refuses_to_write_bad_state),
		cmocka_unit_test(test_state_file__save_merges_what_changed),
		cmocka_unit_test(test_state_file__lock_is_exclusive),
		cmocka_unit_test(test_state_file__archives_never_overwrite),
		cmocka_unit_test(test_state_file__b4_tracking),
		cmocka_unit_test(test_state_file__reads_only_regular_files),
		cmocka_unit_test(test_state_file__written_files_follow_the_umask),
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
