// SPDX-License-Identifier: GPL-2.0-only
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/error.h"
#include "kvmx86/seriesplan.h"
#include "kvmx86/util.h"

/* 40-hex ids made of one repeated digit, enough to tell commits apart. */
#define ID(c) c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c

static void test_seriesplan__arg_kinds(void **state)
{
	struct kx_series_arg a;

	(void)state;
	assert_int_equal(kx_series_arg_parse(&a, NULL), 0);
	assert_int_equal(a.kind, KX_NAMED_HEAD);
	kx_series_arg_release(&a);

	assert_int_equal(kx_series_arg_parse(&a, "x86/vmx/foo"), 0);
	assert_int_equal(a.kind, KX_NAMED_REV);
	assert_string_equal(a.rev, "x86/vmx/foo");
	kx_series_arg_release(&a);

	assert_int_equal(kx_series_arg_parse(&a, "kvm-x86/next.."), 0);
	assert_int_equal(a.kind, KX_NAMED_RANGE);
	assert_string_equal(a.left, "kvm-x86/next");
	assert_string_equal(a.right, "HEAD");
	kx_series_arg_release(&a);

	assert_int_equal(kx_series_arg_parse(&a, "..topic"), 0);
	assert_string_equal(a.left, "HEAD");
	assert_string_equal(a.right, "topic");
	kx_series_arg_release(&a);

	assert_int_equal(kx_series_arg_parse(&a, "a...b"), KX_EUSAGE);
	assert_non_null(strstr(kx_error_last(), "symmetric range 'a...b'"));
	assert_int_equal(kx_series_arg_parse(&a, ""), KX_EUSAGE);
	kx_error_clear();
}

static void test_seriesplan__literal_names_with_at(void **state)
{
	(void)state;
	/* git reads "name@" as a ref called so, never as HEAD */
	assert_true(kx_rev_name_is_literal("xyzw@", kx_rev_name_len("xyzw@")));
	assert_true(kx_rev_name_is_literal("x86/vmx/@", kx_rev_name_len("x86/vmx/@")));
	assert_true(kx_rev_name_is_literal("a@b~2", kx_rev_name_len("a@b~2")));
	assert_int_equal(kx_rev_name_len("a@b~2"), 3);
	/* "@" alone is HEAD, and @{...} is a reflog or upstream suffix */
	assert_false(kx_rev_name_is_literal("@", kx_rev_name_len("@")));
	assert_false(kx_rev_name_is_literal("@~1", kx_rev_name_len("@~1")));
	assert_false(kx_rev_name_is_literal("master@{1}", kx_rev_name_len("master@{1}")));
	assert_false(kx_rev_name_is_literal("HEAD^2", kx_rev_name_len("HEAD^2")));
}

static void test_seriesplan__choose_source(void **state)
{
	struct kx_series_situation s;
	enum kx_series_source src;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.named = KX_NAMED_HEAD;
	s.has_branch = true;
	s.enrolled = true;
	assert_int_equal(kx_series_choose(&src, &s), 0);
	assert_int_equal(src, KX_SOURCE_ENROLLED);

	/* a state whose branch is gone is not a series */
	s.branch_gone = true;
	assert_int_equal(kx_series_choose(&src, &s), 0);
	assert_int_equal(src, KX_SOURCE_FORK_POINT);

	/* a detached HEAD with a range: read-only commands go on */
	memset(&s, 0, sizeof(s));
	s.named = KX_NAMED_RANGE;
	s.detached = true;
	assert_int_equal(kx_series_choose(&src, &s), 0);
	assert_int_equal(src, KX_SOURCE_RANGE);

	/* a range on an enrolled branch is still the range given */
	s.has_branch = s.enrolled = true;
	assert_int_equal(kx_series_choose(&src, &s), 0);
	assert_int_equal(src, KX_SOURCE_RANGE);

	/* a detached HEAD, nothing named: a revision's series */
	memset(&s, 0, sizeof(s));
	s.detached = true;
	assert_int_equal(kx_series_choose(&src, &s), 0);
	assert_int_equal(src, KX_SOURCE_FORK_POINT);

	/* only an action that rewrites a branch needs one */
	s.need_branch = true;
	assert_int_equal(kx_series_choose(&src, &s), KX_EINVALID);
	assert_non_null(strstr(kx_error_last(), "HEAD is detached"));
	s.named = KX_NAMED_REV;
	s.name = "v6.3-rc2";
	assert_int_equal(kx_series_choose(&src, &s), KX_EINVALID);
	assert_non_null(strstr(kx_error_last(), "'v6.3-rc2' is not a local branch"));
	kx_error_clear();
}

/* A walk down from the tip: the commits, then whatever stopped it. */
struct walk {
	struct kx_chain_commit chain[8];
	size_t nr;
	struct kx_base_point points[8];
	size_t points_nr;
};

static void step(struct walk *w, const char *id, unsigned parents,
		 const char *subject)
{
	struct kx_chain_commit *c = &w->chain[w->nr++];

	strcpy(c->id, id);
	c->parents = parents;
	c->subject = subject;
}

static void point(struct walk *w, const char *id, enum kx_point_kind kind,
		  const char *ref)
{
	struct kx_base_point *p = &w->points[w->points_nr++];

	strcpy(p->id, id);
	p->kind = kind;
	p->ref = ref;
}

static void enrolled(struct kx_follow_input *in, const struct walk *w,
		     const char *recorded, const char *ref, bool tracked)
{
	memset(in, 0, sizeof(*in));
	in->branch = "x86/vmx/foo";
	in->source = KX_SOURCE_ENROLLED;
	in->recorded = recorded;
	in->recorded_ref = ref;
	in->tracked = tracked;
	in->chain = w->chain;
	in->chain_nr = w->nr;
	in->points = w->points;
	in->points_nr = w->points_nr;
}

static void test_seriesplan__recorded_base_stays(void **state)
{
	struct walk w = { .nr = 0 };
	struct kx_follow_input in;
	struct kx_follow f;

	(void)state;
	step(&w, ID("3"), 1, "KVM: VMX: c");
	step(&w, ID("2"), 1, "KVM: VMX: b");
	step(&w, ID("1"), 1, "next as it was");
	point(&w, ID("1"), KX_POINT_RECORDED, NULL);
	/* next moved on since: its tip is elsewhere, the branch is not on it */
	point(&w, ID("9"), KX_POINT_TRACKED, "kvm-x86/next");
	point(&w, ID("1"), KX_POINT_TRACKED_OLD, "kvm-x86/next");
	enrolled(&in, &w, ID("1"), "kvm-x86/next", true);
	assert_int_equal(kx_base_follow(&f, &in), 0);
	assert_string_equal(f.base, ID("1"));
	assert_int_equal(f.how, KX_BASE_RECORDED);
	assert_int_equal(f.top, 2);
	assert_string_equal(f.ref, "kvm-x86/next");
	assert_null(f.note);
	kx_follow_release(&f);
}

static void test_seriesplan__rebased_onto_next_follows(void **state)
{
	struct walk w = { .nr = 0 };
	struct kx_follow_input in;
	struct kx_follow f;

	(void)state;
	/* git rebase --onto kvm-x86/next: next's top is a merge */
	step(&w, ID("5"), 1, "KVM: VMX: b");
	step(&w, ID("4"), 1, "KVM: VMX: a");
	step(&w, ID("9"), 2, "Merge branch 'kvm-x86/misc' into next");
	point(&w, ID("1"), KX_POINT_RECORDED, NULL);
	point(&w, ID("9"), KX_POINT_TRACKED, "kvm-x86/next");
	enrolled(&in, &w, ID("1"), "kvm-x86/next", true);
	assert_int_equal(kx_base_follow(&f, &in), 0);
	assert_string_equal(f.base, ID("9"));
	assert_int_equal(f.how, KX_BASE_FOLLOWED);
	assert_int_equal(f.top, 2);
	assert_string_equal(f.ref, "kvm-x86/next");
	assert_non_null(strstr(f.note, "follows kvm-x86/next"));
	kx_follow_release(&f);
}

static void test_seriesplan__rebased_onto_the_rc(void **state)
{
	struct walk w = { .nr = 0 };
	struct kx_follow_input in;
	struct kx_follow f;

	(void)state;
	step(&w, ID("5"), 1, "KVM: x86/mmu: b");
	step(&w, ID("4"), 1, "KVM: arm64: a");
	step(&w, ID("7"), 1, "Linux 6.3-rc2");
	point(&w, ID("1"), KX_POINT_RECORDED, NULL);
	point(&w, ID("9"), KX_POINT_TRACKED, "kvm-x86/next");
	point(&w, ID("7"), KX_POINT_KVM_REF, "v6.3-rc2");
	point(&w, ID("8"), KX_POINT_KVM_REF, "kvm/master");
	enrolled(&in, &w, ID("1"), "kvm-x86/next", true);
	assert_int_equal(kx_base_follow(&f, &in), 0);
	assert_string_equal(f.base, ID("7"));
	assert_string_equal(f.ref, "v6.3-rc2");
	assert_int_equal(f.how, KX_BASE_FOLLOWED);
	assert_non_null(strstr(f.note, "rebased onto v6.3-rc2"));
	kx_follow_release(&f);
}

static void test_seriesplan__rebased_onto_kvm_master(void **state)
{
	struct walk w = { .nr = 0 };
	struct kx_follow_input in;
	struct kx_follow f;

	(void)state;
	step(&w, ID("5"), 1, "KVM: x86: Fix it");
	step(&w, ID("8"), 1, "KVM: fix of this cycle");
	point(&w, ID("1"), KX_POINT_RECORDED, NULL);
	point(&w, ID("8"), KX_POINT_KVM_REF, "kvm/master");
	enrolled(&in, &w, ID("1"), "kvm-x86/next", true);
	assert_int_equal(kx_base_follow(&f, &in), 0);
	assert_string_equal(f.ref, "kvm/master");
	assert_int_equal(f.top, 1);
	kx_follow_release(&f);
}

static void test_seriesplan__unknown_base_is_an_error(void **state)
{
	struct walk w = { .nr = 0 };
	struct kx_follow_input in;
	struct kx_follow f;

	(void)state;
	/* rebased onto a commit no KVM ref has: the walk reaches the root */
	step(&w, ID("5"), 1, "KVM: x86: b");
	step(&w, ID("6"), 1, "somebody's work");
	step(&w, ID("0"), 0, "initial");
	point(&w, ID("1"), KX_POINT_RECORDED, NULL);
	point(&w, ID("9"), KX_POINT_TRACKED, "kvm-x86/next");
	enrolled(&in, &w, ID("1"), "kvm-x86/next", true);
	assert_int_equal(kx_base_follow(&f, &in), KX_EINVALID);
	assert_non_null(strstr(kx_error_last(), "no longer below its tip"));
	assert_non_null(strstr(kx_error_last_hint(), "kvmx86 prep --enroll --base <rev> x86/vmx/foo"));
	kx_error_clear();
}

static void test_seriesplan__given_base_is_not_followed(void **state)
{
	struct walk w = { .nr = 0 };
	struct kx_follow_input in;
	struct kx_follow f;

	(void)state;
	step(&w, ID("5"), 1, "KVM: x86: b");
	step(&w, ID("2"), 1, "a colleague's patch");
	point(&w, ID("2"), KX_POINT_RECORDED, NULL);
	enrolled(&in, &w, ID("2"), NULL, false);
	assert_int_equal(kx_base_follow(&f, &in), 0);
	assert_int_equal(f.how, KX_BASE_GIVEN);
	assert_null(f.ref);
	kx_follow_release(&f);
}

static void test_seriesplan__merge_inside_is_refused(void **state)
{
	struct walk w = { .nr = 0 };
	struct kx_follow_input in;
	struct kx_follow f;

	(void)state;
	step(&w, ID("5"), 1, "KVM: x86: b");
	step(&w, ID("6"), 2, "Merge branch 'other'");
	point(&w, ID("1"), KX_POINT_RECORDED, NULL);
	enrolled(&in, &w, ID("1"), "kvm-x86/next", true);
	assert_int_equal(kx_base_follow(&f, &in), KX_EINVALID);
	assert_string_equal(kx_error_last(),
			    "merge commit 666666666666 (\"Merge branch 'other'\") is in the series");

	/* a range says the same, with the range's hint */
	in.source = KX_SOURCE_RANGE;
	assert_int_equal(kx_base_follow(&f, &in), KX_EINVALID);
	assert_string_equal(kx_error_last(),
			    "merge commit 666666666666 (\"Merge branch 'other'\") is in the series");
	assert_non_null(strstr(kx_error_last_hint(), "give a range"));
	kx_error_clear();
}

static void test_seriesplan__empty_series_and_b4_cover(void **state)
{
	struct walk w = { .nr = 0 };
	struct kx_follow_input in;
	struct kx_follow f;

	(void)state;
	/* the tip is the base: no commits */
	step(&w, ID("1"), 1, "next");
	point(&w, ID("1"), KX_POINT_RECORDED, NULL);
	enrolled(&in, &w, ID("1"), "kvm-x86/next", true);
	assert_int_equal(kx_base_follow(&f, &in), 0);
	assert_int_equal(f.top, 0);
	assert_false(f.cover_skipped);
	kx_follow_release(&f);

	/* b4's cover commit right above the base is no patch */
	w.nr = 0;
	step(&w, ID("5"), 1, "KVM: x86: a");
	step(&w, ID("c"), 1, "cover letter");
	step(&w, ID("1"), 1, "next");
	enrolled(&in, &w, ID("1"), "kvm-x86/next", true);
	in.b4_cover = ID("c");
	assert_int_equal(kx_base_follow(&f, &in), 0);
	assert_int_equal(f.top, 2);
	assert_true(f.cover_skipped);
	kx_follow_release(&f);
}

static void test_seriesplan__range_base(void **state)
{
	struct walk w = { .nr = 0 };
	struct kx_follow_input in;
	struct kx_follow f;

	(void)state;
	step(&w, ID("5"), 1, "KVM: x86: b");
	step(&w, ID("4"), 1, "KVM: x86: a");
	step(&w, ID("1"), 2, "Merge branch 'x' into next");
	point(&w, ID("1"), KX_POINT_RECORDED, NULL);
	enrolled(&in, &w, ID("1"), NULL, false);
	in.source = KX_SOURCE_RANGE;
	in.branch = "kvm-x86/next..HEAD";
	assert_int_equal(kx_base_follow(&f, &in), 0);
	assert_int_equal(f.how, KX_BASE_RANGE);
	assert_int_equal(f.top, 2);
	kx_follow_release(&f);

	/* the merge base not met: the range shares no history */
	w.nr = 2;
	step(&w, ID("0"), 0, "root");
	in.chain_nr = w.nr;
	assert_int_equal(kx_base_follow(&f, &in), KX_EINVALID);
	kx_error_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seriesplan__arg_kinds),
		cmocka_unit_test(test_seriesplan__literal_names_with_at),
		cmocka_unit_test(test_seriesplan__choose_source),
		cmocka_unit_test(test_seriesplan__recorded_base_stays),
		cmocka_unit_test(test_seriesplan__rebased_onto_next_follows),
		cmocka_unit_test(test_seriesplan__rebased_onto_the_rc),
		cmocka_unit_test(test_seriesplan__rebased_onto_kvm_master),
		cmocka_unit_test(test_seriesplan__unknown_base_is_an_error),
		cmocka_unit_test(test_seriesplan__given_base_is_not_followed),
		cmocka_unit_test(test_seriesplan__merge_inside_is_refused),
		cmocka_unit_test(test_seriesplan__empty_series_and_b4_cover),
		cmocka_unit_test(test_seriesplan__range_base),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
