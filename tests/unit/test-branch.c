// SPDX-License-Identifier: GPL-2.0-only
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "kvmx86/branch.h"
#include "kvmx86/error.h"

static void test_branch__topic(void **state)
{
	char topic[32];

	(void)state;
	assert_int_equal(kx_branch_topic(topic, sizeof(topic), "x86/pmu/my_branch"), 0);
	assert_string_equal(topic, "pmu");
	assert_int_equal(kx_branch_topic(topic, sizeof(topic), "refs/heads/x86/mmu/a/b"), 0);
	assert_string_equal(topic, "mmu");
	assert_int_equal(kx_branch_topic(topic, sizeof(topic), "x86/pmu"), KX_ENOTFOUND);
	assert_int_equal(kx_branch_topic(topic, sizeof(topic), "x86//name"), KX_ENOTFOUND);
	assert_int_equal(kx_branch_topic(topic, sizeof(topic), "x86/pmu/"), KX_ENOTFOUND);
	assert_int_equal(kx_branch_topic(topic, sizeof(topic), "fixes/current"), KX_ENOTFOUND);
	assert_int_equal(kx_branch_topic(topic, sizeof(topic), "arm64/pmu/x"), KX_ENOTFOUND);
	assert_int_equal(kx_branch_topic(topic, 3, "x86/selftests/x"), KX_EINVALID);
}

static void test_branch__safe_names(void **state)
{
	(void)state;
	assert_true(kx_branch_name_is_safe("x86/vmx/fix-foo_v2.1+rc@home"));
	assert_false(kx_branch_name_is_safe("-x"));
	assert_false(kx_branch_name_is_safe(""));
	assert_false(kx_branch_name_is_safe("x86/vmx/a$b"));
	assert_false(kx_branch_name_is_safe("x86/vmx/semi;colon"));
	assert_false(kx_branch_name_is_safe("x86/vmx/back`tick`"));
	assert_false(kx_branch_name_is_safe("x86/vmx/quo'te"));
}

static void test_branch__urls(void **state)
{
	(void)state;
	assert_true(kx_url_is_kvm_x86("https://github.com/kvm-x86/linux.git"));
	assert_true(kx_url_is_kvm_x86("https://github.com/kvm-x86/linux"));
	assert_true(kx_url_is_kvm_x86("https://github.com/kvm-x86/linux/"));
	assert_true(kx_url_is_kvm_x86("git@github.com:kvm-x86/linux.git"));
	assert_true(kx_url_is_kvm_x86("ssh://git@github.com/kvm-x86/linux"));
	assert_true(kx_url_is_kvm_x86("https://GitHub.com/kvm-x86/linux.git"));
	assert_false(kx_url_is_kvm_x86("https://github.com/kvm-x86/linux-next.git"));
	assert_false(kx_url_is_kvm_x86("https://github.com/me/linux.git"));
	assert_false(kx_url_is_kvm_x86("https://notgithub.com/kvm-x86/linux.git"));
	assert_false(kx_url_is_kvm_x86("https://github.com.evil.org/kvm-x86/linux"));

	assert_true(kx_url_is_kvm("https://git.kernel.org/pub/scm/virt/kvm/kvm.git"));
	assert_true(kx_url_is_kvm("git://git.kernel.org/pub/scm/virt/kvm/kvm.git"));
	assert_true(kx_url_is_kvm("ssh://git@gitolite.kernel.org/pub/scm/virt/kvm/kvm.git") == false);
	assert_true(kx_url_is_kvm("https://git.kernel.org/pub/scm/virt/kvm/kvm"));
	assert_true(kx_url_is_kvm("https://git.kernel.org/virt/kvm/kvm.git"));
	assert_false(kx_url_is_kvm("https://git.kernel.org/pub/scm/virt/kvm/kvm-unit-tests.git"));
	assert_false(kx_url_is_kvm("https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git"));

	assert_true(kx_url_is_mainline("https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git"));
	assert_true(kx_url_is_mainline("git://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux"));
	assert_true(kx_url_is_mainline("https://github.com/torvalds/linux.git"));
	assert_true(kx_url_is_mainline("git@github.com:torvalds/linux.git"));
	assert_false(kx_url_is_mainline("https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux-2.6-stable.git"));
	assert_false(kx_url_is_mainline("https://github.com/torvalds/subsurface.git"));
	assert_false(kx_url_is_mainline("https://github.com/kvm-x86/linux.git"));
	assert_false(kx_url_is_mainline("https://git.kernel.org/pub/scm/virt/kvm/kvm.git"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_branch__topic),
		cmocka_unit_test(test_branch__safe_names),
		cmocka_unit_test(test_branch__urls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
