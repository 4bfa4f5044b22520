// SPDX-License-Identifier: GPL-2.0-only
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "kvmx86/series.h"
#include "kvmx86/util.h"

static void test_series__fixes_trailers(void **state)
{
	struct kx_strlist l = KX_STRLIST_INIT;

	(void)state;
	kx_message_fixes(&l,
		"KVM: x86: Fix a thing\n\n"
		"Fixes: in the body is not a trailer\n\n"
		"Fixes: 1234567890ab (\"KVM: x86: Break a thing\")\n"
		"fixes:   abcdef012345 (\"KVM: x86: Break another\")  \n"
		"Cc: stable@vger.kernel.org\n"
		"Signed-off-by: A U Thor <a@example.org>\n\n");
	assert_int_equal(l.nr, 2);
	assert_string_equal(l.items[0], "1234567890ab (\"KVM: x86: Break a thing\")");
	assert_string_equal(l.items[1], "abcdef012345 (\"KVM: x86: Break another\")");
	kx_strlist_release(&l);

	kx_message_fixes(&l, "subject only");
	assert_int_equal(l.nr, 0);
}

static void test_series__commit_area_is_heaviest(void **state)
{
	struct kx_series s = KX_SERIES_INIT;
	struct kx_commit *c;

	(void)state;
	c = kx_series_add(&s, "0123456789012345678901234567890123456789", "KVM: x");
	kx_commit_add_file(c, "tools/testing/selftests/kvm/x86_64/a.c");
	kx_commit_add_file(c, "arch/x86/kvm/x86.c");
	kx_commit_finish(c);
	assert_int_equal(c->area, KX_AREA_X86);
	kx_commit_add_file(c, "virt/kvm/kvm_main.c");
	kx_commit_finish(c);
	assert_int_equal(c->area, KX_AREA_COMMON);
	c = kx_series_add(&s, "1123456789012345678901234567890123456789", "docs");
	kx_commit_finish(c);
	assert_int_equal(c->area, KX_AREA_NON_KVM);
	assert_int_equal(s.nr, 2);
	kx_series_release(&s);
	assert_int_equal(s.nr, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_series__fixes_trailers),
		cmocka_unit_test(test_series__commit_area_is_heaviest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
