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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_util__split_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
