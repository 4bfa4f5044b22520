// SPDX-License-Identifier: GPL-2.0-only
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "kvmx86/util.h"

static void expect_words(const char *s, size_t nr, const char *const *want)
{
	struct kx_strlist l = KX_STRLIST_INIT;
	size_t i;

	assert_int_equal(kx_split_words(&l, s), 0);
	assert_int_equal(l.nr, nr);
	for (i = 0; i < nr; i++)
		assert_string_equal(l.items[i], want[i]);
	kx_strlist_release(&l);
}

static void test_util__split_words(void **state)
{
	struct kx_strlist l = KX_STRLIST_INIT;

	(void)state;
	expect_words("make -C tools/testing/selftests/kvm", 3,
		     (const char *const[]){ "make", "-C", "tools/testing/selftests/kvm" });
	expect_words("  ./run_tests.sh\t-g  x86 ", 3,
		     (const char *const[]){ "./run_tests.sh", "-g", "x86" });
	expect_words("grep -q 'two words' \"a \\\"b\\\"\" c\\ d", 5,
		     (const char *const[]){ "grep", "-q", "two words", "a \"b\"", "c d" });
	/* no shell: these are words like any other */
	expect_words("echo $HOME; rm *", 4,
		     (const char *const[]){ "echo", "$HOME;", "rm", "*" });
	expect_words("x''y \"\"", 2, (const char *const[]){ "xy", "" });
	expect_words("", 0, NULL);
	assert_int_equal(kx_split_words(&l, "grep 'open"), -1);
	assert_int_equal(kx_split_words(&l, "grep \"open"), -1);
	kx_strlist_release(&l);
}

static void test_util__buf(void **state)
{
	struct kx_buf b = KX_BUF_INIT;
	char *s;
	int i;

	(void)state;
	s = kx_buf_detach(&b);
	assert_string_equal(s, "");
	free(s);
	kx_buf_adds(&b, "ab");
	kx_buf_addc(&b, 'c');
	kx_buf_add(&b, "d\0e", 3);
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.buf, "abcd\0e", 7);
	for (i = 0; i < 1000; i++)
		kx_buf_addc(&b, 'x');
	assert_int_equal(b.len, 1006);
	assert_int_equal(b.buf[1006], '\0');
	s = kx_buf_detach(&b);
	assert_null(b.buf);
	assert_int_equal(b.len, 0);
	free(s);
	kx_buf_adds(&b, "again");
	kx_buf_release(&b);
	assert_null(b.buf);
}

static void test_util__buf_utf8(void **state)
{
	struct kx_buf b = KX_BUF_INIT;
	char *s;

	(void)state;
	kx_buf_add_utf8(&b, 'A');
	kx_buf_add_utf8(&b, 0xe9);	/* é */
	kx_buf_add_utf8(&b, 0x4e2d);	/* 中 */
	kx_buf_add_utf8(&b, 0x1f600);	/* 😀 */
	s = kx_buf_detach(&b);
	assert_string_equal(s, "A\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80");
	free(s);
}

static void test_util__strlist_has(void **state)
{
	struct kx_strlist l = KX_STRLIST_INIT;

	(void)state;
	assert_false(kx_strlist_has(&l, "a"));
	kx_strlist_add(&l, "RESEND");
	kx_strlist_add(&l, "RFC");
	assert_true(kx_strlist_has(&l, "RFC"));
	/* exact: no case folding, no prefix */
	assert_false(kx_strlist_has(&l, "rfc"));
	assert_false(kx_strlist_has(&l, "RES"));
	kx_strlist_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_util__strlist_has),
		cmocka_unit_test(test_util__split_words),
		cmocka_unit_test(test_util__buf_utf8),
		cmocka_unit_test(test_util__buf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
