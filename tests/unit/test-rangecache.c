// SPDX-License-Identifier: GPL-2.0-only
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/rangecache.h"

#define A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define C "cccccccccccccccccccccccccccccccccccccccc"
#define D "dddddddddddddddddddddddddddddddddddddddd"

static void test_rangecache__round_trip(void **state)
{
	struct kx_range_cache c = { .tip = A, .base = B, .start = C, .from = B,
				    .count = 3 }, back;
	char *text;

	(void)state;
	text = kx_range_cache_format(&c);
	assert_int_equal(kx_range_cache_parse(&back, text), 0);
	free(text);
	assert_string_equal(back.tip, A);
	assert_string_equal(back.base, B);
	assert_string_equal(back.cover, "");
	assert_string_equal(back.start, C);
	assert_string_equal(back.from, B);
	assert_int_equal(back.count, 3);
	assert_true(kx_range_cache_matches(&back, A, B, NULL));
	assert_true(kx_range_cache_matches(&back, A, B, ""));
	/* another tip, base or b4 cover commit is a miss */
	assert_false(kx_range_cache_matches(&back, D, B, NULL));
	assert_false(kx_range_cache_matches(&back, A, D, NULL));
	assert_false(kx_range_cache_matches(&back, A, B, D));
}

static void test_rangecache__empty_series_and_cover(void **state)
{
	struct kx_range_cache c = { .tip = A, .base = A, .cover = D, .from = A },
			      back;
	char *text;

	(void)state;
	text = kx_range_cache_format(&c);
	assert_non_null(strstr(text, "start -\n"));
	assert_int_equal(kx_range_cache_parse(&back, text), 0);
	free(text);
	assert_string_equal(back.start, "");
	assert_int_equal(back.count, 0);
	assert_true(kx_range_cache_matches(&back, A, A, D));
}

static void test_rangecache__bad_text_misses(void **state)
{
	static const char *const bad[] = {
		"",
		"kvmx86-range-2\ntip " A "\nbase " B "\ncover -\nstart " C "\nfrom " B "\ncount 1\n",
		/* truncated */
		"kvmx86-range-1\ntip " A "\nbase " B "\ncover -\nstart " C "\nfrom " B "\n",
		"kvmx86-range-1\ntip " A "\nbase " B "\ncover -\nstart " C "\nfrom " B "\ncount 1",
		/* not hex, short, upper case */
		"kvmx86-range-1\ntip " A "\nbase xyz\ncover -\nstart " C "\nfrom " B "\ncount 1\n",
		"kvmx86-range-1\ntip aaaa\nbase " B "\ncover -\nstart " C "\nfrom " B "\ncount 1\n",
		"kvmx86-range-1\ntip AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\nbase " B "\ncover -\nstart " C "\nfrom " B "\ncount 1\n",
		/* a count that disagrees with start */
		"kvmx86-range-1\ntip " A "\nbase " B "\ncover -\nstart -\nfrom " B "\ncount 2\n",
		"kvmx86-range-1\ntip " A "\nbase " B "\ncover -\nstart " C "\nfrom " B "\ncount 0\n",
		"kvmx86-range-1\ntip " A "\nbase " B "\ncover -\nstart " C "\nfrom " B "\ncount -1\n",
		/* trailing garbage */
		"kvmx86-range-1\ntip " A "\nbase " B "\ncover -\nstart " C "\nfrom " B "\ncount 1\nmore\n",
	};
	struct kx_range_cache c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(kx_range_cache_parse(&c, bad[i]), -1);
}

static void test_rangecache__path(void **state)
{
	char *p;

	(void)state;
	p = kx_range_cache_path("/r/.git/", "x86/vmx/a%b");
	assert_string_equal(p, "/r/.git/kvmx86/cache/x86%2Fvmx%2Fa%25b.range");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rangecache__round_trip),
		cmocka_unit_test(test_rangecache__empty_series_and_cover),
		cmocka_unit_test(test_rangecache__bad_text_misses),
		cmocka_unit_test(test_rangecache__path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
