// SPDX-License-Identifier: GPL-2.0-only
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "kvmx86/error.h"
#include "kvmx86/state.h"

static void test_state__file_name_escapes(void **state)
{
	char *n;

	(void)state;
	n = kx_state_file_name("x86/pmu/my_branch");
	assert_string_equal(n, "x86%2Fpmu%2Fmy_branch.json");
	free(n);
	/* distinct branches never share a file */
	n = kx_state_file_name("a%2Fb");
	assert_string_equal(n, "a%252Fb.json");
	free(n);
}

static void test_state__change_id(void **state)
{
	char *id;

	(void)state;
	id = kx_change_id("Fix the PMU, again!", "20261127", "0123456789abcdef");
	assert_string_equal(id, "20261127-fix-the-pmu-again-0123456789ab");
	free(id);
	id = kx_change_id("x86/pmu/foo", "20261127", "aaaaaaaaaaaa");
	assert_string_equal(id, "20261127-x86-pmu-foo-aaaaaaaaaaaa");
	free(id);
	id = kx_change_id("///", "20261127", "aaaaaaaaaaaa");
	assert_string_equal(id, "20261127-series-aaaaaaaaaaaa");
	free(id);
}

static void test_state__parse_revision(void **state)
{
	unsigned r = 0;

	(void)state;
	assert_int_equal(kx_parse_revision(&r, "v3"), 0);
	assert_int_equal(r, 3);
	assert_int_equal(kx_parse_revision(&r, "12"), 0);
	assert_int_equal(r, 12);
	assert_int_equal(kx_parse_revision(&r, "v0"), KX_EINVALID);
	assert_int_equal(kx_parse_revision(&r, "x"), KX_EINVALID);
	assert_int_equal(kx_parse_revision(&r, "3a"), KX_EINVALID);
}

static void test_state__cover_parse(void **state)
{
	char *subject, *body;

	(void)state;
	kx_cover_parse(&subject, &body,
		       "# a comment\n\n  KVM: x86: Do things  \n\nWhy.\n# dropped\nMore.\n\n",
		       true);
	assert_string_equal(subject, "KVM: x86: Do things");
	assert_string_equal(body, "Why.\nMore.");
	free(subject);
	free(body);
	kx_cover_parse(&subject, &body, "# kept\nrest", false);
	assert_string_equal(subject, "# kept");
	assert_string_equal(body, "rest");
	free(subject);
	free(body);
	kx_cover_parse(&subject, &body, "", true);
	assert_string_equal(subject, "");
	assert_string_equal(body, "");
	free(subject);
	free(body);
}

static void test_state__sent_entries(void **state)
{
	struct kx_state s;

	(void)state;
	kx_state_init(&s);
	assert_int_equal(s.revision, 1);
	kx_state_add_sent(&s, 1)->tag = NULL;
	kx_state_add_sent(&s, 2);
	assert_non_null(kx_state_find_sent(&s, 2));
	assert_null(kx_state_find_sent(&s, 3));
	kx_state_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state__file_name_escapes),
		cmocka_unit_test(test_state__change_id),
		cmocka_unit_test(test_state__parse_revision),
		cmocka_unit_test(test_state__cover_parse),
		cmocka_unit_test(test_state__sent_entries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
