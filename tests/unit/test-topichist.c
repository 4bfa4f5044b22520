// SPDX-License-Identifier: GPL-2.0-only
/*
 * The topic from history: the vote over literal subjects, which commits are
 * ambiguous, and topic-from-files with a history from a fake environment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/rules.h"
#include "kvmx86/topichist.h"

static void test_topichist__prefix(void **state)
{
	(void)state;
	assert_int_equal(kx_topichist_prefix("KVM: nVMX: Fix a leak"), 10);
	assert_int_equal(kx_topichist_prefix("KVM: x86/mmu: Zap less"), 13);
	assert_int_equal(kx_topichist_prefix("KVM: x86:"), 9);
	/* no topic, or not KVM's */
	assert_int_equal(kx_topichist_prefix("KVM: Fix a leak"), 0);
	assert_int_equal(kx_topichist_prefix("KVM: Fix a leak: again"), 0);
	assert_int_equal(kx_topichist_prefix("kvm: vmx: Fix a leak"), 0);
	assert_int_equal(kx_topichist_prefix("x86/kvm: Fix a leak"), 0);
	assert_int_equal(kx_topichist_prefix("Revert \"KVM: VMX: Fix\""), 0);
	assert_int_equal(kx_topichist_prefix("KVM: : Fix"), 0);
	assert_int_equal(kx_topichist_prefix("KVM: VMX:Fix"), 0);
	assert_int_equal(kx_topichist_prefix(""), 0);
	assert_int_equal(kx_topichist_prefix(NULL), 0);
}

static void test_topichist__majority_wins(void **state)
{
	static const char *const subjects[] = {
		"KVM: nVMX: Three",
		"KVM: VMX: Two",
		"KVM: nVMX: Two",
		"x86/hyperv: One",
		"KVM: nVMX: One",
	};
	struct kx_topichist_vote v = KX_TOPICHIST_VOTE_INIT;

	(void)state;
	kx_topichist_vote(&v, subjects, ARRAY_SIZE(subjects),
			  "arch/x86/kvm/vmx/evmcs.c");
	assert_non_null(v.prefix);
	assert_string_equal(v.prefix, "KVM: nVMX:");
	assert_int_equal(v.votes, 3);
	assert_int_equal(v.total, 5);
	assert_string_equal(v.reason,
			    "from history: 3 of the last 5 commits touching arch/x86/kvm/vmx/evmcs.c used 'KVM: nVMX:'");
	kx_topichist_vote_release(&v);
	assert_null(v.prefix);
	assert_null(v.reason);
}

static void test_topichist__no_majority(void **state)
{
	static const char *const split[] = {
		"KVM: nVMX: Two", "KVM: VMX: Two", "KVM: nVMX: One",
		"KVM: VMX: One",
	};
	static const char *const plurality[] = {
		"KVM: nVMX: Two", "KVM: VMX: One", "KVM: nVMX: One",
		"x86/cpu: One", "x86/cpu: Two",
	};
	static const char *const one[] = { "KVM: nVMX: One" };
	static const char *const none[] = { "x86/cpu: One", "KVM: Fix" };
	struct kx_topichist_vote v = KX_TOPICHIST_VOTE_INIT;

	(void)state;
	/* a tie, and a plurality that is no majority: no answer */
	kx_topichist_vote(&v, split, ARRAY_SIZE(split), "x.c");
	assert_null(v.prefix);
	assert_non_null(strstr(v.reason, "no 'KVM: <topic>:' prefix has a majority among the last 4"));
	kx_topichist_vote(&v, plurality, ARRAY_SIZE(plurality), "x.c");
	assert_null(v.prefix);
	assert_non_null(strstr(v.reason, "(most: 'KVM: nVMX:', 2)"));
	/* one commit is no majority to go by */
	kx_topichist_vote(&v, one, ARRAY_SIZE(one), "x.c");
	assert_null(v.prefix);
	kx_topichist_vote(&v, none, ARRAY_SIZE(none), "x.c");
	assert_null(v.prefix);
	assert_non_null(strstr(v.reason, "none of the last 2 commits"));
	/* no history at all */
	kx_topichist_vote(&v, NULL, 0, "x.c");
	assert_null(v.prefix);
	assert_int_equal(v.total, 0);
	assert_non_null(strstr(v.reason, "no earlier commit touching x.c"));
	kx_topichist_vote_release(&v);
}

/* Whether the paths (NULL-terminated) are ambiguous; *first the first path. */
static bool ambiguous(char **first, ...)
{
	struct kx_strlist paths = KX_STRLIST_INIT;
	struct kx_patch p;
	const char *path;
	va_list ap;
	bool r;

	kx_patch_init(&p);
	va_start(ap, first);
	while ((path = va_arg(ap, const char *)))
		kx_patch_add_file(&p, path);
	va_end(ap);
	r = kx_topic_ambiguous(&p, &paths);
	assert_true(r ? paths.nr > 0 : paths.nr == 0);
	*first = paths.nr ? kx_xstrdup(paths.items[0]) : NULL;
	kx_strlist_release(&paths);
	kx_patch_release(&p);
	return r;
}

static void test_topichist__ambiguous(void **state)
{
	char *first;

	(void)state;
	assert_true(ambiguous(&first, "arch/x86/kvm/vmx/evmcs.c", NULL));
	assert_string_equal(first, "arch/x86/kvm/vmx/evmcs.c");
	free(first);
	assert_true(ambiguous(&first, "arch/x86/include/asm/vmx.h",
			      "arch/x86/kvm/vmx/hyperv.h", NULL));
	free(first);
	/* tip code: no topic node either */
	assert_true(ambiguous(&first, "arch/x86/kernel/cpu/bugs.c", NULL));
	free(first);
	/* MAINTAINERS and KVM docs are looked up only when alone */
	assert_true(ambiguous(&first, "MAINTAINERS", "arch/x86/include/asm/svm.h",
			      NULL));
	assert_string_equal(first, "arch/x86/include/asm/svm.h");
	free(first);
	assert_true(ambiguous(&first, "Documentation/virt/kvm/api.rst", NULL));
	assert_string_equal(first, "Documentation/virt/kvm/api.rst");
	free(first);
	/* a topic node or the guest side decides */
	assert_false(ambiguous(&first, "arch/x86/kvm/vmx/evmcs.c",
			       "arch/x86/kvm/vmx/nested.c", NULL));
	assert_false(ambiguous(&first, "arch/x86/kernel/kvm.c", NULL));
	assert_false(ambiguous(&first, "tools/testing/selftests/kvm/x86_64/a.c",
			       "arch/x86/include/asm/vmx.h", NULL));
	assert_false(ambiguous(&first, NULL));
}

/* A fake history: the prefix in data for every look-up, and the paths seen. */
struct fake {
	const char *prefix;
	size_t calls;
	char *paths;
};

static char *fake_history(void *data, const char *commit,
			  const struct kx_strlist *paths, char **reason)
{
	struct fake *f = data;

	(void)commit;
	f->calls++;
	free(f->paths);
	f->paths = kx_xstrdup(paths->nr ? paths->items[0] : "");
	*reason = NULL;
	if (!f->prefix)
		return NULL;
	*reason = kx_xasprintf("from history: 4 of the last 5 commits touching %s used '%s'",
			       paths->items[0], f->prefix);
	return kx_xstrdup(f->prefix);
}

/*
 * Runs topic-from-files on subject and one path with the fake history
 * answering prefix; returns the number of findings, the first's severity
 * in *sev, and checks its message contains msg.
 */
static size_t run(struct fake *fake, const char *subject, const char *path,
		  enum kx_severity *sev, const char *msg)
{
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_rule_env env = { .history_topic = fake_history, .history_data = fake };
	struct kx_patch p;
	char *message = kx_xasprintf("%s\n\nThe body.\n", subject);
	size_t n;

	kx_patch_init(&p);
	kx_patch_set_message(&p, message);
	free(message);
	kx_patch_add_file(&p, path);
	kx_rule_topic_from_files(&f, &p, &env);
	n = f.nr;
	if (n) {
		*sev = f.items[0].severity;
		assert_string_equal(f.items[0].rule, "topic-from-files");
		if (msg && !strstr(f.items[0].message, msg))
			fail_msg("message '%s' lacks '%s'", f.items[0].message, msg);
	}
	kx_findings_release(&f);
	kx_patch_release(&p);
	return n;
}

static void test_topichist__topic_from_files_uses_history(void **state)
{
	struct fake fake = { "KVM: nVMX:", 0, NULL };
	enum kx_severity sev = KX_SEV_ADVICE;

	(void)state;
	/* a sibling of the history topic warns, with the history as reason */
	assert_int_equal(run(&fake, "KVM: SVM: Fix eVMCS", "arch/x86/kvm/vmx/evmcs.c",
			     &sev, "does not match the files (from history: 4 of the last 5 commits touching arch/x86/kvm/vmx/evmcs.c used 'KVM: nVMX:'): use 'KVM: nVMX:'"),
			 1);
	assert_int_equal(sev, KX_SEV_WARNING);
	assert_string_equal(fake.paths, "arch/x86/kvm/vmx/evmcs.c");
	/* the same topic: nothing */
	assert_int_equal(run(&fake, "KVM: nVMX: Fix eVMCS", "arch/x86/kvm/vmx/evmcs.c",
			     &sev, NULL), 0);
	/* broader: advice, "KVM:" alone too */
	assert_int_equal(run(&fake, "KVM: VMX: Fix eVMCS", "arch/x86/kvm/vmx/evmcs.c",
			     &sev, "broader than the files imply (from history"), 1);
	assert_int_equal(sev, KX_SEV_ADVICE);
	assert_int_equal(run(&fake, "KVM: Fix eVMCS", "arch/x86/kvm/vmx/evmcs.c",
			     &sev, "broader"), 1);
	assert_int_equal(sev, KX_SEV_ADVICE);
	/* narrower than a broad history: advice */
	fake.prefix = "KVM: x86:";
	assert_int_equal(run(&fake, "KVM: VMX: Add a define", "arch/x86/include/asm/msr-index.h",
			     &sev, "narrower than the files' history"), 1);
	assert_int_equal(sev, KX_SEV_ADVICE);
	/* de facto topics count as their parent */
	fake.prefix = "KVM: SEV:";
	assert_int_equal(run(&fake, "KVM: SVM: Add a define", "arch/x86/include/asm/svm.h",
			     &sev, NULL), 0);
	/* no history topic: the file's hint, advice off its lineage only */
	fake.prefix = NULL;
	assert_int_equal(run(&fake, "KVM: SVM: Fix eVMCS", "arch/x86/kvm/vmx/evmcs.c",
			     &sev, "not the one the files hint at (arch/x86/kvm/vmx/evmcs.c hints at nVMX"),
			 1);
	assert_int_equal(sev, KX_SEV_ADVICE);
	assert_int_equal(run(&fake, "KVM: VMX: Fix eVMCS", "arch/x86/kvm/vmx/evmcs.c",
			     &sev, NULL), 0);
	free(fake.paths);
}

static void test_topichist__only_for_ambiguous_commits(void **state)
{
	struct fake fake = { "KVM: SVM:", 0, NULL };
	enum kx_severity sev;

	(void)state;
	/* the files decide: history is not asked */
	assert_int_equal(run(&fake, "KVM: nVMX: Fix", "arch/x86/kvm/vmx/nested.c",
			     &sev, NULL), 0);
	assert_int_equal(run(&fake, "x86/kvm: Fix", "arch/x86/kernel/kvm.c",
			     &sev, NULL), 0);
	/* no KVM topic in the subject: nothing to compare, not asked */
	assert_int_equal(run(&fake, "x86/cpu: Fix", "arch/x86/include/asm/vmx.h",
			     &sev, NULL), 0);
	assert_int_equal(fake.calls, 0);
	free(fake.paths);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_topichist__prefix),
		cmocka_unit_test(test_topichist__majority_wins),
		cmocka_unit_test(test_topichist__no_majority),
		cmocka_unit_test(test_topichist__ambiguous),
		cmocka_unit_test(test_topichist__topic_from_files_uses_history),
		cmocka_unit_test(test_topichist__only_for_ambiguous_commits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
