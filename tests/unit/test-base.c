// SPDX-License-Identifier: GPL-2.0-only
/* The base decision over plain facts: no repository involved. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/base.h"
#include "kvmx86/findings.h"

#define RC2    "2222222222222222222222222222222222222222"
#define NEXT   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define PMU    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define MASTER "cccccccccccccccccccccccccccccccccccccccc"
#define FIXES  "dddddddddddddddddddddddddddddddddddddddd"
#define OLD    "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"

struct fixture {
	struct kx_series s;
	struct kx_base_facts f;
	struct kx_base_config cfg;
	struct kx_base_result r;
};

/* The trees of a typical cycle: next and topics on rc2, master on rc4. */
static void trees(struct fixture *x, const char *fork)
{
	struct kx_candidate *c;

	memset(x, 0, sizeof(*x));
	x->cfg = (struct kx_base_config)KX_BASE_CONFIG_INIT;
	strcpy(x->f.fork, fork);
	kx_base_facts_add(&x->f, "kvm-x86/next", KX_CAND_NEXT, NEXT);
	kx_base_facts_add(&x->f, "kvm-x86/fixes", KX_CAND_FIXES, FIXES);
	kx_base_facts_add(&x->f, "kvm-x86/pmu", KX_CAND_TOPIC, PMU);
	kx_base_facts_add(&x->f, "kvm/master", KX_CAND_KVM_MASTER, MASTER);
	c = kx_base_facts_add(&x->f, "v6.3-rc2", KX_CAND_TAG, RC2);
	c->cycle_rc = true;
}

static struct kx_candidate *cand(struct fixture *x, const char *name)
{
	size_t i;

	for (i = 0; i < x->f.cands_nr; i++)
		if (!strcmp(x->f.cands[i].name, name))
			return &x->f.cands[i];
	fail_msg("no candidate %s", name);
	return NULL;
}

static void has(struct fixture *x, const char *name, size_t distance)
{
	struct kx_candidate *c = cand(x, name);

	c->contains_fork = true;
	c->distance = distance;
}

static struct kx_commit *commit(struct fixture *x, const char *path,
				unsigned logic)
{
	struct kx_commit *c = kx_series_add(&x->s,
		"1111111111111111111111111111111111111111", "KVM: x86: Do a thing");
	struct kx_file_change *f = kx_commit_add_file(c, path);

	f->kinds[KX_LINE_LOGIC] = logic;
	kx_commit_finish(c);
	return c;
}

static void decide(struct fixture *x)
{
	assert_int_equal(kx_base_decide(&x->r, &x->s, &x->f, &x->cfg), 0);
}

static void done(struct fixture *x)
{
	kx_base_result_release(&x->r);
	kx_base_facts_release(&x->f);
	kx_series_release(&x->s);
}

static bool any_contains(const struct kx_strlist *l, const char *needle)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (strstr(l->items[i], needle))
			return true;
	return false;
}

static void test_base__x86_on_next_is_ok(void **state)
{
	struct fixture x;

	(void)state;
	trees(&x, NEXT);
	has(&x, "kvm-x86/next", 0);
	commit(&x, "arch/x86/kvm/vmx/vmx.c", 40);
	decide(&x);
	assert_int_equal(x.r.scope, KX_SCOPE_X86);
	assert_int_equal(x.r.verdict, KX_VERDICT_OK);
	assert_string_equal(x.r.recommended->name, "kvm-x86/next");
	assert_string_equal(x.r.actual->name, "kvm-x86/next");
	assert_null(x.r.remedy);
	assert_string_equal(kx_base_print_commit(&x.r, &x.f), NEXT);
	done(&x);
}

static void test_base__multi_arch_on_next_is_wrong(void **state)
{
	struct fixture x;

	(void)state;
	trees(&x, NEXT);
	has(&x, "kvm-x86/next", 0);
	x.f.branch = strdup("x86/mmu/multiarch");
	commit(&x, "virt/kvm/kvm_main.c", 12);
	commit(&x, "arch/arm64/kvm/mmu.c", 3);
	decide(&x);
	assert_int_equal(x.r.scope, KX_SCOPE_MULTI_ARCH);
	assert_int_equal(x.r.common_logic, 12);
	assert_int_equal(x.r.other_logic, 3);
	assert_int_equal(x.r.verdict, KX_VERDICT_WRONG);
	assert_string_equal(x.r.recommended->name, "v6.3-rc2");
	assert_string_equal(x.r.remedy,
		"git rebase --onto v6.3-rc2 aaaaaaaaaaaa x86/mmu/multiarch");
	assert_true(any_contains(&x.r.reasons, "virt/kvm/kvm_main.c (common): 12 substantive lines"));
	assert_null(kx_base_print_commit(&x.r, &x.f));
	done(&x);
}

static void test_base__multi_arch_on_rc_is_ok(void **state)
{
	struct fixture x;

	(void)state;
	trees(&x, RC2);
	has(&x, "v6.3-rc2", 0);
	has(&x, "kvm-x86/next", 80);
	has(&x, "kvm/master", 900);
	x.f.fork_in_cycle = true;
	commit(&x, "virt/kvm/kvm_main.c", 12);
	decide(&x);
	assert_int_equal(x.r.verdict, KX_VERDICT_OK);
	assert_string_equal(x.r.actual->name, "v6.3-rc2");
	assert_string_equal(kx_base_print_commit(&x.r, &x.f), RC2);
	done(&x);
}

/* A later rc of the cycle is as common and stable; an older one is behind. */
static void test_base__multi_arch_on_later_rc_is_ok(void **state)
{
	const char *rc4 = "4444444444444444444444444444444444444444";
	struct fixture x;

	(void)state;
	trees(&x, rc4);
	kx_base_facts_add(&x.f, "v6.3-rc4", KX_CAND_TAG, rc4);
	has(&x, "v6.3-rc4", 0);
	has(&x, "kvm/master", 30);
	x.f.fork_in_cycle = true;
	commit(&x, "virt/kvm/kvm_main.c", 12);
	commit(&x, "arch/arm64/kvm/mmu.c", 3);
	decide(&x);
	assert_int_equal(x.r.scope, KX_SCOPE_MULTI_ARCH);
	assert_int_equal(x.r.verdict, KX_VERDICT_OK);
	assert_string_equal(x.r.actual->name, "v6.3-rc4");
	assert_null(x.r.remedy);
	assert_true(any_contains(&x.r.reasons, "on v6.3-rc4, later in this cycle than v6.3-rc2"));
	assert_string_equal(kx_base_print_commit(&x.r, &x.f), rc4);
	done(&x);

	/* a commit between two rcs is no stable point */
	trees(&x, OLD);
	has(&x, "kvm/master", 30);
	x.f.fork_in_cycle = true;
	commit(&x, "virt/kvm/kvm_main.c", 12);
	decide(&x);
	assert_int_equal(x.r.verdict, KX_VERDICT_WRONG);
	done(&x);
}

static void test_base__superficial_common_changes_stay_x86(void **state)
{
	struct fixture x;
	struct kx_commit *c;

	(void)state;
	trees(&x, NEXT);
	has(&x, "kvm-x86/next", 0);
	c = commit(&x, "arch/x86/kvm/x86.c", 100);
	c->files[0].kinds[KX_LINE_LOGIC] = 100;
	c = commit(&x, "include/uapi/linux/kvm.h", 0);
	c->files[0].kinds[KX_LINE_DEFINE] = 20;
	c = commit(&x, "virt/kvm/kvm_main.c", 5);	/* at the limit */
	c->files[0].kinds[KX_LINE_RENAME] = 30;
	c->files[0].kinds[KX_LINE_COMMENT] = 30;
	decide(&x);
	assert_int_equal(x.r.scope, KX_SCOPE_X86);
	assert_int_equal(x.r.verdict, KX_VERDICT_OK);
	done(&x);

	/* the definition is tunable */
	trees(&x, NEXT);
	has(&x, "kvm-x86/next", 0);
	c = commit(&x, "virt/kvm/kvm_main.c", 0);
	c->files[0].kinds[KX_LINE_RENAME] = 30;
	x.cfg.count_renames = true;
	decide(&x);
	assert_int_equal(x.r.scope, KX_SCOPE_MULTI_ARCH);
	done(&x);

	trees(&x, NEXT);
	has(&x, "kvm-x86/next", 0);
	commit(&x, "virt/kvm/kvm_main.c", 3);
	x.cfg.superficial_lines = 2;
	decide(&x);
	assert_int_equal(x.r.scope, KX_SCOPE_MULTI_ARCH);
	done(&x);
}

/* No branch (a commit id, a range to an unsafe name): the tip, not HEAD. */
static void test_base__remedy_names_tip_without_branch(void **state)
{
	struct fixture x;

	(void)state;
	trees(&x, NEXT);
	has(&x, "kvm-x86/next", 0);
	memset(x.f.tip, 'c', 40);
	commit(&x, "virt/kvm/kvm_main.c", 12);
	commit(&x, "arch/arm64/kvm/mmu.c", 3);
	decide(&x);
	assert_int_equal(x.r.verdict, KX_VERDICT_WRONG);
	assert_string_equal(x.r.remedy,
		"git rebase --onto v6.3-rc2 aaaaaaaaaaaa cccccccccccc");
	done(&x);
}

static void test_base__x86_on_rc_is_behind(void **state)
{
	struct fixture x;

	(void)state;
	trees(&x, RC2);
	has(&x, "v6.3-rc2", 0);
	has(&x, "kvm-x86/next", 73);
	has(&x, "kvm-x86/pmu", 4);
	has(&x, "kvm/master", 900);
	x.f.fork_in_cycle = true;
	commit(&x, "arch/x86/kvm/x86.c", 10);
	decide(&x);
	assert_int_equal(x.r.verdict, KX_VERDICT_BEHIND);
	assert_int_equal(x.r.behind_by, 73);
	assert_string_equal(x.r.actual->name, "v6.3-rc2");
	assert_string_equal(x.r.remedy, "git rebase --onto kvm-x86/next 222222222222");
	/* the rc is no topic branch, though every topic contains it */
	assert_false(any_contains(&x.r.reasons, "topic branch"));
	assert_string_equal(kx_base_print_commit(&x.r, &x.f), RC2);
	done(&x);
}

static void test_base__x86_on_topic_is_behind(void **state)
{
	struct fixture x;

	(void)state;
	trees(&x, PMU);
	has(&x, "kvm-x86/pmu", 0);
	has(&x, "kvm-x86/next", 9);
	x.f.fork_in_cycle = true;
	x.f.target_topic = strdup("pmu");
	commit(&x, "arch/x86/kvm/pmu.c", 10);
	decide(&x);
	assert_int_equal(x.r.verdict, KX_VERDICT_BEHIND);
	assert_int_equal(x.r.behind_by, 9);
	assert_string_equal(x.r.actual->name, "kvm-x86/pmu");
	assert_true(any_contains(&x.r.reasons, "no need to base on a topic branch"));
	done(&x);
}

static void test_base__x86_on_older_release_is_wrong(void **state)
{
	struct fixture x;

	(void)state;
	trees(&x, OLD);
	has(&x, "kvm-x86/next", 20000);
	has(&x, "kvm/master", 21000);
	x.f.fork_in_cycle = false;
	commit(&x, "arch/x86/kvm/x86.c", 10);
	decide(&x);
	assert_int_equal(x.r.verdict, KX_VERDICT_WRONG);
	assert_true(any_contains(&x.r.reasons, "older than v6.3-rc2"));
	done(&x);
}

/* Below the rc next is built on: the rc contains it, but is not it. */
static void test_base__x86_below_cycle_rc_is_wrong(void **state)
{
	struct fixture x;

	(void)state;
	trees(&x, "8888888888888888888888888888888888888888");
	has(&x, "v6.3-rc2", 1);
	has(&x, "kvm-x86/next", 75);
	has(&x, "kvm/master", 900);
	x.f.fork_in_cycle = false;
	commit(&x, "arch/x86/kvm/x86.c", 10);
	decide(&x);
	assert_int_equal(x.r.verdict, KX_VERDICT_WRONG);
	assert_string_equal(x.r.actual->name, "v6.3-rc2");
	assert_true(any_contains(&x.r.reasons,
		"forks from 888888888888, below v6.3-rc2 that kvm-x86/next is built on"));
	assert_false(any_contains(&x.r.reasons, "from v6.3-rc2, older than v6.3-rc2"));
	done(&x);
}

static void test_base__x86_on_master_is_wrong(void **state)
{
	struct fixture x;

	(void)state;
	trees(&x, MASTER);
	has(&x, "kvm/master", 0);
	commit(&x, "arch/x86/kvm/x86.c", 10);
	decide(&x);
	assert_int_equal(x.r.scope, KX_SCOPE_X86);
	assert_int_equal(x.r.verdict, KX_VERDICT_WRONG);
	assert_string_equal(x.r.actual->name, "kvm/master");
	done(&x);
}

static void test_base__stale_and_unknown(void **state)
{
	struct fixture x;

	(void)state;
	trees(&x, OLD);
	x.f.fork_in_old_next = true;
	commit(&x, "arch/x86/kvm/x86.c", 10);
	decide(&x);
	assert_int_equal(x.r.verdict, KX_VERDICT_STALE);
	assert_null(x.r.actual);
	assert_non_null(x.r.remedy);
	assert_null(kx_base_print_commit(&x.r, &x.f));
	done(&x);

	trees(&x, OLD);
	commit(&x, "arch/x86/kvm/x86.c", 10);
	decide(&x);
	assert_int_equal(x.r.verdict, KX_VERDICT_WRONG);
	done(&x);

	/* kvm/next merged the old next: still stale, not "on kvm/next" */
	trees(&x, OLD);
	kx_base_facts_add(&x.f, "kvm/next", KX_CAND_KVM_NEXT,
			  "ffffffffffffffffffffffffffffffffffffffff");
	has(&x, "kvm/next", 40);
	x.f.fork_in_old_next = true;
	commit(&x, "arch/x86/kvm/x86.c", 10);
	decide(&x);
	assert_int_equal(x.r.verdict, KX_VERDICT_STALE);
	assert_true(any_contains(&x.r.reasons, "force-pushed away (kvm/next keeps it"));
	done(&x);

	/* on kvm/next itself, with no old next in the reflog: wrong */
	trees(&x, OLD);
	kx_base_facts_add(&x.f, "kvm/next", KX_CAND_KVM_NEXT,
			  "ffffffffffffffffffffffffffffffffffffffff");
	has(&x, "kvm/next", 40);
	commit(&x, "arch/x86/kvm/x86.c", 10);
	decide(&x);
	assert_int_equal(x.r.verdict, KX_VERDICT_WRONG);
	done(&x);
}

static void test_base__current_fix(void **state)
{
	struct fixture x;
	struct kx_commit *c;

	(void)state;
	trees(&x, MASTER);
	has(&x, "kvm/master", 0);
	c = commit(&x, "arch/x86/kvm/x86.c", 3);
	c->fix = KX_FIX_CURRENT;
	commit(&x, "tools/testing/selftests/kvm/x86_64/a_test.c", 30);
	decide(&x);
	assert_int_equal(x.r.scope, KX_SCOPE_CURRENT_FIX);
	assert_int_equal(x.r.verdict, KX_VERDICT_OK);
	assert_string_equal(x.r.recommended->name, "kvm/master");
	done(&x);

	/* on x86/fixes: either base is right */
	trees(&x, FIXES);
	has(&x, "kvm-x86/fixes", 0);
	has(&x, "kvm/master", 7);
	c = commit(&x, "arch/x86/kvm/x86.c", 3);
	c->fix = KX_FIX_CURRENT;
	decide(&x);
	assert_int_equal(x.r.scope, KX_SCOPE_CURRENT_FIX);
	assert_int_equal(x.r.verdict, KX_VERDICT_OK);
	assert_string_equal(x.r.recommended->name, "kvm-x86/fixes");
	done(&x);

	/* the same fix on next: advice only */
	trees(&x, NEXT);
	has(&x, "kvm-x86/next", 0);
	c = commit(&x, "arch/x86/kvm/x86.c", 3);
	c->fix = KX_FIX_CURRENT;
	decide(&x);
	assert_int_equal(x.r.scope, KX_SCOPE_X86);
	assert_int_equal(x.r.verdict, KX_VERDICT_OK);
	assert_true(any_contains(&x.r.warnings, "consider kvm/master"));
	done(&x);

	/* a fix for a bug of next belongs on next, even on master */
	trees(&x, MASTER);
	has(&x, "kvm/master", 0);
	c = commit(&x, "arch/x86/kvm/x86.c", 3);
	c->fix = KX_FIX_OTHER;
	decide(&x);
	assert_int_equal(x.r.scope, KX_SCOPE_X86);
	assert_int_equal(x.r.verdict, KX_VERDICT_WRONG);
	done(&x);

	/* selftests alone are no current-cycle fix */
	trees(&x, MASTER);
	has(&x, "kvm/master", 0);
	commit(&x, "tools/testing/selftests/kvm/x86_64/a_test.c", 3);
	decide(&x);
	assert_false(x.r.current_fix_rule);
	done(&x);
}

/* kx_base_lookups that answer from fixed values and count the questions */
struct asked {
	bool in_cycle;
	enum kx_fix_target fix;
	unsigned in_cycle_nr, fix_nr;
};

static bool ask_in_cycle(void *data)
{
	struct asked *a = data;

	a->in_cycle_nr++;
	return a->in_cycle;
}

static enum kx_fix_target ask_fix(void *data, size_t i)
{
	struct asked *a = data;

	(void)i;
	a->fix_nr++;
	return a->fix;
}

static void test_base__lookups_only_when_read(void **state)
{
	struct asked a = { true, KX_FIX_CURRENT, 0, 0 };
	struct kx_base_lookups lookups = { ask_in_cycle, ask_fix, &a };
	struct fixture x;
	struct kx_commit *c;

	(void)state;
	/* on next itself: whether the fork is in the cycle is never read */
	trees(&x, NEXT);
	has(&x, "kvm-x86/next", 0);
	x.f.lookups = &lookups;
	commit(&x, "arch/x86/kvm/x86.c", 10);
	decide(&x);
	assert_int_equal(x.r.verdict, KX_VERDICT_OK);
	assert_int_equal(a.in_cycle_nr, 0);
	done(&x);

	/* on the rc, an x86 series is behind only if the rc is this cycle's */
	trees(&x, RC2);
	has(&x, "v6.3-rc2", 0);
	has(&x, "kvm-x86/next", 73);
	x.f.lookups = &lookups;
	commit(&x, "arch/x86/kvm/x86.c", 10);
	decide(&x);
	assert_int_equal(x.r.verdict, KX_VERDICT_BEHIND);
	assert_int_equal(a.in_cycle_nr, 1);
	done(&x);
	a.in_cycle = false;
	trees(&x, RC2);
	has(&x, "v6.3-rc2", 0);
	has(&x, "kvm-x86/next", 73);
	x.f.lookups = &lookups;
	commit(&x, "arch/x86/kvm/x86.c", 10);
	decide(&x);
	assert_int_equal(x.r.verdict, KX_VERDICT_WRONG);
	done(&x);

	/* a commit without Fixes: settles the current-fix rule: none asked */
	trees(&x, MASTER);
	has(&x, "kvm/master", 0);
	x.f.lookups = &lookups;
	c = commit(&x, "arch/x86/kvm/x86.c", 3);
	c->fix = KX_FIX_PENDING;
	commit(&x, "arch/x86/kvm/x86.c", 3);
	decide(&x);
	assert_false(x.r.current_fix_rule);
	assert_int_equal(a.fix_nr, 0);
	done(&x);

	/* every one pending: asked, and the answer decides */
	trees(&x, MASTER);
	has(&x, "kvm/master", 0);
	x.f.lookups = &lookups;
	c = commit(&x, "arch/x86/kvm/x86.c", 3);
	c->fix = KX_FIX_PENDING;
	commit(&x, "tools/testing/selftests/kvm/x86_64/a_test.c", 30);
	decide(&x);
	assert_true(x.r.current_fix_rule);
	assert_int_equal(x.r.scope, KX_SCOPE_CURRENT_FIX);
	assert_int_equal(a.fix_nr, 1);
	done(&x);
	a.fix = KX_FIX_OTHER;
	trees(&x, MASTER);
	has(&x, "kvm/master", 0);
	x.f.lookups = &lookups;
	c = commit(&x, "arch/x86/kvm/x86.c", 3);
	c->fix = KX_FIX_PENDING;
	decide(&x);
	assert_false(x.r.current_fix_rule);
	assert_int_equal(x.r.scope, KX_SCOPE_X86);
	assert_int_equal(x.r.verdict, KX_VERDICT_WRONG);
	done(&x);
}

static void test_base__forced_scope(void **state)
{
	struct fixture x;

	(void)state;
	trees(&x, NEXT);
	has(&x, "kvm-x86/next", 0);
	commit(&x, "virt/kvm/kvm_main.c", 50);
	x.f.forced = KX_SCOPE_X86;
	decide(&x);
	assert_int_equal(x.r.detected, KX_SCOPE_MULTI_ARCH);
	assert_int_equal(x.r.scope, KX_SCOPE_X86);
	assert_int_equal(x.r.verdict, KX_VERDICT_OK);
	assert_true(any_contains(&x.r.reasons, "set by --scope"));
	done(&x);

	trees(&x, NEXT);
	has(&x, "kvm-x86/next", 0);
	commit(&x, "arch/x86/kvm/x86.c", 5);
	x.f.forced = KX_SCOPE_CURRENT_FIX;
	decide(&x);
	assert_int_equal(x.r.verdict, KX_VERDICT_WRONG);
	assert_string_equal(x.r.remedy, "git rebase --onto kvm/master aaaaaaaaaaaa");
	done(&x);
}

static void test_base__missing_rc_tag(void **state)
{
	struct fixture x;

	(void)state;
	memset(&x, 0, sizeof(x));
	x.cfg = (struct kx_base_config)KX_BASE_CONFIG_INIT;
	strcpy(x.f.fork, NEXT);
	kx_base_facts_add(&x.f, "kvm-x86/next", KX_CAND_NEXT, NEXT)->contains_fork = true;
	commit(&x, "virt/kvm/kvm_main.c", 50);
	decide(&x);
	assert_int_equal(x.r.verdict, KX_VERDICT_WRONG);
	assert_null(x.r.recommended);
	assert_true(any_contains(&x.r.reasons, "fetch the tags"));
	done(&x);
}

static void test_base__empty_series_and_names(void **state)
{
	struct fixture x;
	enum kx_scope s;

	(void)state;
	trees(&x, NEXT);
	assert_int_equal(kx_base_decide(&x.r, &x.s, &x.f, &x.cfg), -3);
	done(&x);
	assert_int_equal(kx_scope_parse(&s, "x86-only"), 0);
	assert_int_equal(s, KX_SCOPE_X86);
	assert_int_equal(kx_scope_parse(&s, "fix-current"), 0);
	assert_int_equal(s, KX_SCOPE_CURRENT_FIX);
	assert_int_equal(kx_scope_parse(&s, "multi-arch"), 0);
	assert_int_equal(s, KX_SCOPE_MULTI_ARCH);
	assert_true(kx_scope_parse(&s, "arm64") < 0);
	assert_string_equal(kx_verdict_name(KX_VERDICT_STALE), "stale");
}

/* prep --check's base findings: core's mapping of check-base's decision */
static void test_base__choice_findings(void **state)
{
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_base_result r = KX_BASE_RESULT_INIT;
	struct kx_series s = KX_SERIES_INIT;

	(void)state;
	/* a cursor left by a per-commit rule must not claim these */
	memcpy(f.commit, "0123456789012345678901234567890123456789", 41);
	r.verdict = KX_VERDICT_WRONG;
	kx_strlist_add(&r.reasons, "the series is multi-arch");
	r.remedy = "git rebase --onto v6.3-rc2 x y";
	kx_strlist_add(&r.warnings, "consider kvm/master");
	kx_series_add(&s, "1111111111111111111111111111111111111111", "prereq one");
	kx_series_add(&s, "2222222222222222222222222222222222222222", "the patch");
	kx_base_choice_findings(&f, &r, NULL, &s, 1,
				"3333333333333333333333333333333333333333");
	assert_int_equal(f.nr, 3);
	assert_string_equal(f.items[0].rule, "base-choice");
	assert_int_equal(f.items[0].severity, KX_SEV_ERROR);
	assert_string_equal(f.items[0].message,
			    "the base is wrong: the series is multi-arch; fix: git rebase --onto v6.3-rc2 x y");
	assert_string_equal(f.items[0].commit, "");
	assert_int_equal(f.items[1].severity, KX_SEV_ADVICE);
	assert_string_equal(f.items[2].rule, "base-trailer");
	assert_non_null(strstr(f.items[2].message, "111111111111 (\"prereq one\")"));
	assert_string_equal(f.items[2].commit, "");
	kx_findings_release(&f);

	/* not checked: one advice that says why */
	kx_base_choice_findings(&f, NULL, "no remote points to the KVM x86 tree",
				NULL, 0, NULL);
	assert_int_equal(f.nr, 1);
	assert_int_equal(f.items[0].severity, KX_SEV_ADVICE);
	assert_string_equal(f.items[0].message,
			    "the base was not checked: no remote points to the KVM x86 tree");
	kx_findings_release(&f);
	r.remedy = NULL;
	kx_base_result_release(&r);
	kx_series_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base__x86_on_next_is_ok),
		cmocka_unit_test(test_base__choice_findings),
		cmocka_unit_test(test_base__multi_arch_on_next_is_wrong),
		cmocka_unit_test(test_base__multi_arch_on_rc_is_ok),
		cmocka_unit_test(test_base__multi_arch_on_later_rc_is_ok),
		cmocka_unit_test(test_base__superficial_common_changes_stay_x86),
		cmocka_unit_test(test_base__remedy_names_tip_without_branch),
		cmocka_unit_test(test_base__x86_on_rc_is_behind),
		cmocka_unit_test(test_base__x86_on_topic_is_behind),
		cmocka_unit_test(test_base__x86_on_older_release_is_wrong),
		cmocka_unit_test(test_base__x86_below_cycle_rc_is_wrong),
		cmocka_unit_test(test_base__x86_on_master_is_wrong),
		cmocka_unit_test(test_base__stale_and_unknown),
		cmocka_unit_test(test_base__current_fix),
		cmocka_unit_test(test_base__lookups_only_when_read),
		cmocka_unit_test(test_base__forced_scope),
		cmocka_unit_test(test_base__missing_rc_tag),
		cmocka_unit_test(test_base__empty_series_and_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
