// SPDX-License-Identifier: GPL-2.0-only
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/order.h"
#include "kvmx86/rules.h"

#define TESTS "tools/testing/selftests/kvm/x86_64/"

/* A patch with id, message, and one file with added and removed lines. */
static struct kx_patch_file *mk(struct kx_patch *p, char fill, const char *message,
				const char *path, const char *added, const char *removed)
{
	struct kx_patch_file *f;

	kx_patch_init(p);
	memset(p->id, fill, 40);
	p->id[40] = '\0';
	kx_patch_set_message(p, message);
	f = kx_patch_add_file(p, path);
	if (added)
		kx_strlist_add(&f->added, added);
	if (removed)
		kx_strlist_add(&f->removed, removed);
	return f;
}

static void release(struct kx_patch *p, size_t nr)
{
	while (nr)
		kx_patch_release(&p[--nr]);
}

#define FIX_MSG \
	"KVM: x86/pmu: Reprogram fixed counters when the event filter changes\n\n" \
	"Request a reprogram of all counters, including fixed counters, when\n" \
	"userspace updates the PMU event filter.  Fixed counters are skipped,\n" \
	"which lets a guest keep counting an event that userspace has denied.\n\n" \
	"Fixes: e36a01470a89 (\"KVM: x86/pmu: WARN if fixed counter is invalid\")\n" \
	"Signed-off-by: A U Thor <a@example.com>\n"

#define NEW_TEST_MSG \
	"KVM: selftests: Add a regression test for filtering fixed counters\n\n" \
	"Verify that KVM honors the PMU event filter for fixed counters when the\n" \
	"filter is updated, i.e. that a fixed counter stops counting once its\n" \
	"event is denied.\n\n" \
	"Signed-off-by: A U Thor <a@example.com>\n"

#define NFC_MSG \
	"KVM: x86/pmu: Drop the redundant filter check in reprogram_counter()\n\n" \
	"Drop the event filter check from the fixed counter path now that the\n" \
	"filter is checked when the counter is reprogrammed.\n\n" \
	"No functional change intended.\n\n" \
	"Signed-off-by: A U Thor <a@example.com>\n"

static void test_order__class_and_kind(void **state)
{
	struct kx_patch p[3];
	const char *what;

	(void)state;
	mk(&p[0], 'a', FIX_MSG, "arch/x86/kvm/pmu.c", "\treturn 0;", NULL);
	mk(&p[1], 'b', NEW_TEST_MSG, TESTS "pmu_event_filter_test.c",
	   "static void test_fixed_counter_filter_update(struct kvm_vcpu *vcpu)", NULL);
	mk(&p[2], 'c', "KVM: selftests: Expect EINVAL\n\nBody.\n",
	   TESTS "foo_test.c", "\tTEST_ASSERT(r == -1, \"no\");", "\tTEST_ASSERT(!r, \"no\");");
	assert_int_equal(kx_order_class_of(&p[0]), KX_ORDER_KVM);
	assert_int_equal(kx_order_class_of(&p[1]), KX_ORDER_TEST);
	assert_int_equal(kx_order_test_kind(&p[1], &what), KX_TEST_NEW);
	assert_string_equal(what, "it adds test_fixed_counter_filter_update()");
	assert_int_equal(kx_order_test_kind(&p[2], &what), KX_TEST_UPDATE);
	assert_string_equal(what, "it changes 1 existing line of the tests");
	/* a test beside KVM code is KVM's (split-selftests says the rest) */
	kx_strlist_add(&kx_patch_add_file(&p[0], TESTS "x_test.c")->added, "x");
	assert_int_equal(kx_order_class_of(&p[0]), KX_ORDER_KVM);
	release(p, 3);
}

static void test_order__regression_test_goes_after_its_fix(void **state)
{
	struct kx_order o = KX_ORDER_INIT;
	struct kx_patch p[3];

	(void)state;
	mk(&p[0], 'a', NEW_TEST_MSG, TESTS "pmu_event_filter_test.c",
	   "static void test_fixed_counter_filter_update(struct kvm_vcpu *vcpu)", NULL);
	mk(&p[1], 'b', FIX_MSG, "arch/x86/kvm/pmu.c", "\tkvm_pmu_reprogram_all(pmu);", NULL);
	mk(&p[2], 'c', NFC_MSG, "arch/x86/kvm/pmu.c", "\treturn !check(pmc);", NULL);
	kx_order_analyze(&o, p, 3);
	/* the no-op change shares words too, but changes no behaviour */
	assert_int_equal(o.rels_nr, 1);
	assert_int_equal(o.rels[0].test, 0);
	assert_int_equal(o.rels[0].kvm, 1);
	assert_int_equal(o.rels[0].dir, KX_ORDER_AFTER);
	assert_false(o.rels[0].satisfied);
	assert_true(kx_order_rel_suspect(&o.rels[0]));
	assert_non_null(strstr(o.rels[0].evidence.items[0], "Fixes: e36a01470a89"));
	assert_non_null(strstr(o.rels[0].evidence.items[0], "counters"));
	assert_true(o.moved);
	/* moved right after the fix, not after the last commit */
	assert_int_equal(o.order[0], 1);
	assert_int_equal(o.order[1], 0);
	assert_int_equal(o.order[2], 2);
	kx_order_release(&o);
	release(p, 3);
}

static void test_order__well_ordered_series_is_left_alone(void **state)
{
	struct kx_order o = KX_ORDER_INIT;
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_patch p[2];

	(void)state;
	mk(&p[0], 'a', FIX_MSG, "arch/x86/kvm/pmu.c", "\tkvm_pmu_reprogram_all(pmu);", NULL);
	mk(&p[1], 'b', NEW_TEST_MSG, TESTS "pmu_event_filter_test.c",
	   "static void test_fixed_counter_filter_update(struct kvm_vcpu *vcpu)", NULL);
	kx_order_analyze(&o, p, 2);
	assert_int_equal(o.rels_nr, 1);
	assert_true(o.rels[0].satisfied);
	assert_false(o.moved);
	kx_rule_selftest_order(&f, p, 2, NULL);
	assert_int_equal(f.nr, 0);
	kx_findings_release(&f);
	kx_order_release(&o);
	release(p, 2);
}

#define REJECT_MSG \
	"KVM: x86: Reject KVM_SET_FOO with reserved bits set\n\n" \
	"Return -EINVAL when userspace sets reserved bits with KVM_SET_FOO\n" \
	"instead of silently ignoring them.\n\n" \
	"Signed-off-by: A U Thor <a@example.com>\n"

#define UPDATE_MSG \
	"KVM: selftests: Expect KVM_SET_FOO to reject reserved bits\n\n" \
	"Accept both outcomes of setting reserved bits with KVM_SET_FOO.\n\n" \
	"Signed-off-by: A U Thor <a@example.com>\n"

static void test_order__test_update_goes_before_the_change(void **state)
{
	struct kx_order o = KX_ORDER_INIT;
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_patch p[3];

	(void)state;
	mk(&p[0], 'a', "KVM: x86: Add a helper\n\nA helper for later.\n",
	   "arch/x86/kvm/x86.c", "static int helper(void)", NULL);
	mk(&p[1], 'b', REJECT_MSG, "arch/x86/kvm/x86.c",
	   "\t\tif (foo.flags & ~KVM_FOO_VALID) return -EINVAL;", NULL);
	kx_strlist_add(&p[1].files[0].context, "long kvm_arch_vm_ioctl(struct file *filp,");
	kx_strlist_add(&p[1].files[0].removed, "\tcase KVM_SET_FOO:");
	mk(&p[2], 'c', UPDATE_MSG, TESTS "foo_test.c",
	   "\tr = __vm_ioctl(vm, KVM_SET_FOO, &foo); TEST_ASSERT(!r || errno == EINVAL, \"x\");",
	   "\tvm_ioctl(vm, KVM_SET_FOO, &foo);");
	kx_order_analyze(&o, p, 3);
	assert_int_equal(o.rels_nr, 1);
	assert_int_equal(o.rels[0].kvm, 1);
	assert_int_equal(o.rels[0].dir, KX_ORDER_BEFORE);
	assert_true(o.rels[0].both_sides);
	assert_non_null(strstr(o.rels[0].why, "both before and after"));
	assert_true(o.moved);
	/* right before the change, not to the front */
	assert_int_equal(o.order[0], 0);
	assert_int_equal(o.order[1], 2);
	assert_int_equal(o.order[2], 1);
	kx_rule_selftest_order(&f, p, 3, NULL);
	assert_int_equal(kx_findings_of(&f, "selftest-order"), 2);
	assert_string_equal(f.items[0].commit, p[2].id);
	assert_non_null(strstr(f.items[0].message, "goes before bbbbbbbbbbbb"));
	assert_non_null(strstr(f.items[0].message, "the test uses KVM_SET_FOO, which bbbbbbbbbbbb changes"));
	assert_non_null(strstr(f.items[1].message, "the bisect-safe order is aaaaaaaaaaaa, cccccccccccc, bbbbbbbbbbbb"));
	kx_findings_release(&f);
	kx_order_release(&o);
	release(p, 3);
}

static void test_order__unrelated_test_stays(void **state)
{
	struct kx_order o = KX_ORDER_INIT;
	struct kx_patch p[2];

	(void)state;
	mk(&p[0], 'a', "KVM: selftests: Add a test for the xAPIC ID\n\nCheck the ID register.\n",
	   TESTS "xapic_id_test.c", "static void guest_code(void)", NULL);
	p[0].files[0].created = true;
	mk(&p[1], 'b', FIX_MSG, "arch/x86/kvm/pmu.c", "\tkvm_pmu_reprogram_all(pmu);", NULL);
	kx_order_analyze(&o, p, 2);
	assert_int_equal(o.rels_nr, 0);
	assert_false(o.moved);
	kx_order_release(&o);
	release(p, 2);
}

static void test_order__weak_evidence_moves_nothing(void **state)
{
	struct kx_order o = KX_ORDER_INIT;
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_patch p[2];

	(void)state;
	mk(&p[0], 'a', "KVM: selftests: Add a test of the APIC timer\n\nRun the timer once.\n",
	   TESTS "apic_timer_test.c", "static void guest_code(void)", NULL);
	mk(&p[1], 'b', "KVM: x86: Fix the APIC timer deadline\n\nRound it up.\n\n"
	   "Fixes: 0123456789ab (\"KVM: x86: Add it\")\n",
	   "arch/x86/kvm/lapic.c", "\tdeadline += 1;", NULL);
	kx_order_analyze(&o, p, 2);
	assert_int_equal(o.rels_nr, 1);
	assert_int_equal(o.rels[0].dir, KX_ORDER_UNKNOWN);
	assert_true(kx_order_rel_suspect(&o.rels[0]));
	assert_false(o.moved);
	kx_rule_selftest_order(&f, p, 2, NULL);
	assert_int_equal(f.nr, 1);
	assert_int_equal(f.items[0].severity, KX_SEV_ADVICE);
	assert_non_null(strstr(f.items[0].message, "unknown, nothing is moved"));
	kx_findings_release(&f);
	kx_order_release(&o);
	release(p, 2);
}

static void test_order__naming_the_fix_and_new_api(void **state)
{
	struct kx_order o = KX_ORDER_INIT;
	struct kx_patch p[3];

	(void)state;
	/* the test names the fix by id and by a function it changes */
	mk(&p[0], 'a', "KVM: selftests: Test it\n\nThe bug aaaaaaaaaaaa fixed in "
	   "kvm_set_thing() is covered.\n", TESTS "thing_test.c", "\tfoo();", NULL);
	mk(&p[1], 'b', "KVM: x86: Add KVM_CAP_THING\n\nA new capability.\n",
	   "include/uapi/linux/kvm.h", "#define KVM_CAP_THING 300", NULL);
	mk(&p[2], 'c', "KVM: selftests: Use KVM_CAP_THING\n\nProbe it.\n",
	   TESTS "cap_test.c", "\tif (kvm_has_cap(KVM_CAP_THING)) return;", "\treturn;");
	memset(p[0].id, 'a', 40);
	p[0].id[0] = 'd';	/* the test itself is d..., the fix a... */
	kx_patch_release(&p[1]);
	mk(&p[1], 'a', "KVM: x86: Set the thing right\n\nBody.\n", "arch/x86/kvm/x86.c",
	   "\tthing = 1;", NULL);
	kx_strlist_add(&p[1].files[0].context, "static int kvm_set_thing(struct kvm *kvm)");
	kx_order_analyze(&o, p, 2);
	assert_int_equal(o.rels_nr, 1);
	assert_int_equal(o.rels[0].score, 5);
	assert_int_equal(o.rels[0].dir, KX_ORDER_AFTER);
	assert_non_null(strstr(o.rels[0].evidence.items[0], "by its id"));
	assert_non_null(strstr(o.rels[0].evidence.items[1], "kvm_set_thing(), which"));
	kx_order_release(&o);

	/* an update that uses a new capability must still follow it */
	kx_patch_release(&p[1]);
	mk(&p[1], 'b', "KVM: x86: Add KVM_CAP_THING\n\nA new capability.\n",
	   "include/uapi/linux/kvm.h", "#define KVM_CAP_THING 300", NULL);
	kx_order_analyze(&o, &p[1], 2);
	assert_int_equal(o.rels_nr, 1);
	assert_int_equal(o.rels[0].dir, KX_ORDER_AFTER);
	assert_true(o.rels[0].satisfied);
	assert_non_null(strstr(o.rels[0].why, "does not build before it"));
	kx_order_release(&o);
	release(p, 3);
}

static void test_order__contradiction_moves_nothing(void **state)
{
	struct kx_order o = KX_ORDER_INIT;
	struct kx_patch p[3];

	(void)state;
	/*
	 * The test uses a capability the last commit adds, and updates what
	 * the first changes: it cannot follow the one and precede the other.
	 */
	mk(&p[0], 'a', REJECT_MSG, "arch/x86/kvm/x86.c", "\tcase KVM_SET_FOO:", NULL);
	mk(&p[1], 'b', UPDATE_MSG, TESTS "foo_test.c",
	   "\tr = __vm_ioctl(vm, KVM_SET_FOO, KVM_CAP_OTHER);", "\tvm_ioctl(vm, KVM_SET_FOO);");
	mk(&p[2], 'c', "KVM: x86: Add KVM_CAP_OTHER\n\nA new capability.\n",
	   "include/uapi/linux/kvm.h", "#define KVM_CAP_OTHER 301", NULL);
	kx_order_analyze(&o, p, 3);
	assert_int_equal(o.rels_nr, 2);
	assert_false(o.moved);
	assert_int_equal(o.notes.nr, 1);
	assert_non_null(strstr(o.notes.items[0], "no order does both"));
	kx_order_release(&o);
	release(p, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order__class_and_kind),
		cmocka_unit_test(test_order__regression_test_goes_after_its_fix),
		cmocka_unit_test(test_order__well_ordered_series_is_left_alone),
		cmocka_unit_test(test_order__test_update_goes_before_the_change),
		cmocka_unit_test(test_order__unrelated_test_stays),
		cmocka_unit_test(test_order__weak_evidence_moves_nothing),
		cmocka_unit_test(test_order__naming_the_fix_and_new_api),
		cmocka_unit_test(test_order__contradiction_moves_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
