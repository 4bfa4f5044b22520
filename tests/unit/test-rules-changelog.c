// SPDX-License-Identifier: GPL-2.0-only
/*
 * The changelog rules over literal commits: an empty body, function()
 * references, commit references and SDM/APM section numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/rules.h"

#define SOB "Signed-off-by: Casey Contributor <casey@example.com>\n"
#define CR0_ID "0123456789abcdef0123456789abcdef01234567"

static const struct {
	const char *id, *subject;
} commits[] = {
	{ CR0_ID, "KVM: x86: Cache CR0 in the vCPU" },
	{ "fedcba9876543210fedcba9876543210fedcba98",
	  "KVM: x86: Drop the \"cached\" CR0 and re-read it from the VMCS on "
	  "every access" },
};

/* A repository of the commits above: prefix look-ups. */
static int lookup(void *data, const char *hex, char **subject)
{
	size_t i;

	(void)data;
	for (i = 0; i < sizeof(commits) / sizeof(commits[0]); i++) {
		if (!strncmp(commits[i].id, hex, strlen(hex))) {
			*subject = strdup(commits[i].subject);
			return 1;
		}
	}
	return 0;
}

static const struct kx_rule_env repo_env = { .lookup_commit = lookup };

struct run {
	struct kx_patch p;
	struct kx_findings f;
};

static void start(struct run *r, const char *msg)
{
	struct kx_findings init = KX_FINDINGS_INIT;

	kx_patch_init(&r->p);
	r->f = init;
	kx_patch_set_message(&r->p, msg);
}

/* Adds a file whose added lines are the NULL-terminated lines[]. */
static struct kx_patch_file *file(struct run *r, const char *path,
				  const char *const *lines)
{
	struct kx_patch_file *f = kx_patch_add_file(&r->p, path);

	for (; lines && *lines; lines++)
		kx_strlist_add(&f->added, *lines);
	return f;
}

static struct kx_findings *check(struct run *r, kx_patch_rule_fn rule,
				 const struct kx_rule_env *env)
{
	rule(&r->f, &r->p, env);
	return &r->f;
}

static struct kx_findings *run(struct run *r, kx_patch_rule_fn rule,
			       const char *msg, const struct kx_rule_env *env)
{
	start(r, msg);
	return check(r, rule, env);
}

static void done(struct run *r)
{
	kx_findings_release(&r->f);
	kx_patch_release(&r->p);
}

static void dump(const struct kx_findings *f)
{
	size_t i;

	for (i = 0; i < f->nr; i++)
		print_message("finding: %s %s: %s\n",
			      kx_severity_name(f->items[i].severity),
			      f->items[i].rule, f->items[i].message);
}

/* Asserts that finding i is of rule and sev and that its message has text. */
static void nth(const struct kx_findings *f, size_t i, const char *rule,
		enum kx_severity sev, const char *text)
{
	if (i >= f->nr) {
		dump(f);
		fail_msg("%zu findings, expected at least %zu", f->nr, i + 1);
	}
	assert_string_equal(f->items[i].rule, rule);
	assert_int_equal(f->items[i].severity, sev);
	if (!strstr(f->items[i].message, text))
		fail_msg("message \"%s\" lacks \"%s\"", f->items[i].message,
			 text);
}

static void count(const struct kx_findings *f, size_t n)
{
	if (f->nr != n) {
		dump(f);
		fail_msg("%zu findings, expected %zu", f->nr, n);
	}
}

static void one(const struct kx_findings *f, const char *rule,
		enum kx_severity sev, const char *text)
{
	count(f, 1);
	nth(f, 0, rule, sev, text);
}

/* --- changelog-nonempty --- */

static void test_rules_changelog__nonempty_ok(void **state)
{
	struct run r;

	(void)state;
	count(run(&r, kx_rule_changelog_nonempty,
		  "KVM: x86: Do it\n\nDo it, because.\n\n" SOB, NULL), 0);
	done(&r);
	/* a body that is a log and trailers still says something */
	count(run(&r, kx_rule_changelog_nonempty,
		  "KVM: x86: Fix it\n\n  WARNING: CPU: 0 PID: 1 at x86.c:1\n\n"
		  SOB, NULL), 0);
	done(&r);
	/* "Note:" is prose, not a trailer */
	count(run(&r, kx_rule_changelog_nonempty,
		  "KVM: x86: Fix it\n\nNote: this is needed for SEV.\n" SOB,
		  NULL), 0);
	done(&r);
}

static void test_rules_changelog__nonempty_empty(void **state)
{
	static const char *const msgs[] = {
		"KVM: x86: Do it",
		"KVM: x86: Do it\n\n",
		"KVM: x86: Do it\n\n \n\t\n",
		"KVM: x86: Do it\n\n---\nv2: reworded\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		struct run r;

		one(run(&r, kx_rule_changelog_nonempty, msgs[i], NULL),
		    "changelog-nonempty", KX_SEV_ERROR, "is empty");
		done(&r);
	}
}

static void test_rules_changelog__nonempty_only_trailers(void **state)
{
	static const char *const msgs[] = {
		"KVM: x86: Do it\n\n" SOB,
		"KVM: x86: Do it\n\nFixes: 0123456789ab (\"KVM: x86: x\")\n"
		"Cc: stable@vger.kernel.org\n" SOB,
		"KVM: x86: Do it\n\nLink: https://lore.kernel.org/r/a@b\n\n"
		SOB "[sean: drop the changelog]\n"
		"Signed-off-by: Sean <sean@example.com>\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		struct run r;

		one(run(&r, kx_rule_changelog_nonempty, msgs[i], NULL),
		    "changelog-nonempty", KX_SEV_ERROR, "only trailers");
		done(&r);
	}
}

/* --- function-parens --- */

static const char *const cr4_debug[] = {
	"\tpr_debug(\"kvm_set_cr4: vcpu %d cr0 0x%lx\\n\", vcpu->vcpu_id,",
	"\t\t kvm_read_cr0(vcpu));",
	NULL,
};

static void test_rules_changelog__parens_missing(void **state)
{
	struct run r;

	(void)state;
	/* the fixture's bad-style patch 5: named twice, reported once */
	start(&r, "KVM: x86: Use kvm_read_cr0() directly in kvm_set_cr0\n\n"
		  "We don't need to cache cr0 in a local variable, use "
		  "kvm_read_cr0\ndirectly. kvm_read_cr0 is cheap.\n\n" SOB);
	file(&r, "arch/x86/kvm/x86.c", cr4_debug);
	one(check(&r, kx_rule_function_parens, NULL), "function-parens",
	    KX_SEV_WARNING, "'kvm_read_cr0()'");
	nth(&r.f, 0, "function-parens", KX_SEV_WARNING, "changelog");
	done(&r);
}

static void test_rules_changelog__parens_in_shortlog(void **state)
{
	const char *const removed[] = { "\tkvm_flush_remote_tlbs(kvm);", NULL };
	struct kx_patch_file *f;
	struct run r;

	(void)state;
	/* a removed call counts; the shortlog is checked, once per name */
	start(&r, "KVM: x86: Drop kvm_flush_remote_tlbs from the MMU notifier\n"
		  "\nDrop kvm_flush_remote_tlbs, the caller flushes.\n\n" SOB);
	f = file(&r, "arch/x86/kvm/mmu/mmu.c", NULL);
	kx_strlist_add(&f->removed, removed[0]);
	one(check(&r, kx_rule_function_parens, NULL), "function-parens",
	    KX_SEV_WARNING, "in the shortlog");
	done(&r);
}

static void test_rules_changelog__parens_name_in_comment(void **state)
{
	/* an apostrophe in a comment opens no character literal */
	const char *const lines[] = {
		"\t/* Don't call kvm_zap_gfn_range() here: the caller does. */",
		NULL,
	};
	struct run r;

	(void)state;
	start(&r, "KVM: x86: Say who zaps\n\n"
		  "Say that the caller runs kvm_zap_gfn_range.\n\n" SOB);
	file(&r, "arch/x86/kvm/x86.c", lines);
	one(check(&r, kx_rule_function_parens, NULL), "function-parens",
	    KX_SEV_WARNING, "'kvm_zap_gfn_range()'");
	done(&r);
}

static void test_rules_changelog__parens_present(void **state)
{
	const char *const lines[] = {
		"static int kvm_set_cr0(struct kvm_vcpu *vcpu, ulong cr0)",
		"\tif (kvm_read_cr0 (vcpu) & X86_CR0_PG)",
		NULL,
	};
	struct run r;

	(void)state;
	start(&r, "KVM: x86: Tweak kvm_set_cr0()\n\n"
		  "Make kvm_set_cr0() call kvm_read_cr0(vcpu) directly.\n\n"
		  SOB);
	file(&r, "arch/x86/kvm/x86.c", lines);
	count(check(&r, kx_rule_function_parens, NULL), 0);
	done(&r);
}

static void test_rules_changelog__parens_skips(void **state)
{
	const char *const lines[] = {
		"\tKVM_BUG_ON(!vcpu, kvm);",
		"\tif (likely(kvm_mmu_sync(vcpu)))",
		"\tpr_err(\"kvm_foo_bar(vcpu) failed\");",
		"\tmemslot->kvm_slot_dirty(x);",
		"\tkvm_main_loop(x);",
		NULL,
	};
	struct run r;

	(void)state;
	start(&r, "KVM: x86: Skip\n\n"
		  /* macros in ALL_CAPS, names without '_', words in strings */
		  "Use KVM_BUG_ON, it is likely to help. Fix kvm_foo_bar.\n"
		  /* members, files, paths */
		  "Check slot->kvm_slot_dirty and memslot.kvm_slot_dirty\n"
		  "in kvm_main_loop.c and virt/kvm_main_loop/.\n"
		  /* a name the diff does not have: no tree scan */
		  "kvm_set_cr0 is unchanged.\n"
		  /* quoted, code and trailer lines */
		  "\n> kvm_mmu_sync is broken\n\n"
		  "  kvm_mmu_sync+0x12/0x30\n\tkvm_mmu_sync\n\n"
		  /* a log pasted as is, and a symbol in the prose */
		  "Call Trace:\n kvm_mmu_sync+0x12/0x30 [kvm]\n"
		  "RIP: 0010:kvm_mmu_sync+0x1d/0x40\n\n"
		  "It fails at kvm_mmu_sync+0x12.\n\n"
		  "Before commit 0123456789ab (\"KVM: Use kvm_mmu_sync\nfor "
		  "x\"), it was fine.\n\n"
		  "Fixes: 0123456789ab (\"KVM: Add kvm_mmu_sync\")\n" SOB);
	file(&r, "arch/x86/kvm/x86.c", lines);
	count(check(&r, kx_rule_function_parens, NULL), 0);
	done(&r);
}

/* --- commit-ref-format --- */

static void test_rules_changelog__ref_well_formed(void **state)
{
	struct run r;

	(void)state;
	count(run(&r, kx_rule_commit_ref_format,
		  "KVM: x86: Fix it\n\nCommit 0123456789ab (\"KVM: x86: Cache "
		  "CR0 in the\nvCPU\") broke it, and fedcba987654 (\"KVM: x86: "
		  "Drop the \"cached\" CR0 and re-read it from the VMCS on "
		  "every access\") did not help.\n\n" SOB, &repo_env), 0);
	done(&r);
	/* the id opening the parenthesis, the subject after a comma */
	count(run(&r, kx_rule_commit_ref_format,
		  "KVM: x86: Fix it\n\nThe code at the time of the commit "
		  "(0123456789ab, \"KVM: x86: Cache CR0 in the\nvCPU\") did "
		  "not have the bug.\n\n" SOB, &repo_env), 0);
	done(&r);
	/* git revert's own words */
	count(run(&r, kx_rule_commit_ref_format,
		  "Revert \"KVM: x86: Cache CR0 in the vCPU\"\n\nThis reverts "
		  "commit " CR0_ID ".\n\nIt broke nested.\n\n" SOB, &repo_env),
	      0);
	done(&r);
}

static void test_rules_changelog__ref_malformed(void **state)
{
	struct kx_findings *f;
	struct run r;

	(void)state;
	f = run(&r, kx_rule_commit_ref_format,
		"KVM: x86: Fix it\n\nCommit 1234abc broke it, see commit "
		"0123456789ab.  And again in commit 1234abc.\n\n" SOB, NULL);
	count(f, 2);
	nth(f, 0, "commit-ref-format", KX_SEV_ERROR, "only 7 hex digits");
	nth(f, 1, "commit-ref-format", KX_SEV_ERROR,
	    "'0123456789ab (\"<subject>\")'");
	done(&r);
	/* a comma then no quoted subject is no subject */
	one(run(&r, kx_rule_commit_ref_format,
		"KVM: x86: Fix it\n\nSince 0123456789ab, the bug is there.\n",
		NULL), "commit-ref-format", KX_SEV_ERROR, "lacks its subject");
	done(&r);
	/* a bare id is a commit reference too */
	one(run(&r, kx_rule_commit_ref_format,
		"KVM: x86: Fix it\n\nThe bug came with 0123456789ab, fix it.\n",
		NULL), "commit-ref-format", KX_SEV_ERROR, "lacks its subject");
	done(&r);
}

static void test_rules_changelog__ref_checked_in_repo(void **state)
{
	struct kx_findings *f;
	struct run r;

	(void)state;
	f = run(&r, kx_rule_commit_ref_format,
		"KVM: x86: Fix it\n\nCommit 0123456789ab (\"KVM: x86: cache "
		"cr0\") and commit 99999999999a (\"KVM: x86: Gone\").\n\n" SOB,
		&repo_env);
	count(f, 2);
	nth(f, 0, "commit-ref-format", KX_SEV_WARNING,
	    "\"KVM: x86: Cache CR0 in the vCPU\"");
	nth(f, 1, "commit-ref-format", KX_SEV_WARNING, "not in the repository");
	done(&r);
}

static void test_rules_changelog__ref_false_positives(void **state)
{
	struct run r;

	(void)state;
	count(run(&r, kx_rule_commit_ref_format,
		  "KVM: x86: Fix it\n\n"
		  "The commit added a check.  The mask 0xdeadbeef12345678 and\n"
		  "the TSC value 1234567890123 are fine, as is deadbeefcafe,\n"
		  "the UUID 123e4567-e89b-12d3-a456-426614174000 and\n"
		  "https://git.kernel.org/linus/?id=0123456789abcdef.\n"
		  "The GPA DEADBEEF0123 is a value, ffff888100a1b2c3 an "
		  "address.\n\n"
		  "  RIP: 0010:kvm_mmu_page_fault+0x1d/0x40 ffffffffc0a1b2c3\n"
		  "> commit 0123456 in a quoted report\n\n"
		  "Fixes: 0123456789ab (\"KVM: x86: Cache CR0 in the vCPU\")\n"
		  SOB, NULL), 0);
	done(&r);
}

/* --- no-sdm-section-numbers --- */

static void test_rules_changelog__sdm_comment_and_log(void **state)
{
	const char *const lines[] = {
		"\t/*",
		"\t * Per SDM 25.1.3, the TSC multiplier of L1 and L2 are "
		"combined, see",
		"\t * SDM 26.6.5 for the details of the fixed-point math.",
		"\t */",
		NULL,
	};
	struct kx_findings *f;
	struct run r;

	(void)state;
	/* the fixture's bad-style patch 4 */
	start(&r, "KVM: x86: Add a comment\n\nIn this patch we add a comment "
		  "about how the TSC scaling ratio is\ncomputed for nested "
		  "guests. See SDM 25.1.3 for details.\n\n" SOB);
	file(&r, "arch/x86/kvm/x86.c", lines);
	f = check(&r, kx_rule_no_sdm_section_numbers, NULL);
	count(f, 3);
	nth(f, 0, "no-sdm-section-numbers", KX_SEV_ERROR,
	    "'SDM 25.1.3' in a comment in arch/x86/kvm/x86.c");
	nth(f, 1, "no-sdm-section-numbers", KX_SEV_ERROR, "'SDM 26.6.5'");
	nth(f, 2, "no-sdm-section-numbers", KX_SEV_WARNING,
	    "'SDM 25.1.3' in the changelog");
	done(&r);
}

/* Each comment finding names its line; the changelog's names none. */
static void test_rules_changelog__sdm_comment_lines(void **state)
{
	const char *const lines[] = {
		"\tint x;",
		"\t/*",
		"\t * Per SDM 25.1.3, the multipliers are combined, see",
		"\t * SDM 26.6.5 for the math.",
		"\t */",
		NULL,
	};
	struct kx_patch_file *pf;
	struct kx_findings *f;
	struct run r;
	size_t i;

	(void)state;
	start(&r, "KVM: x86: Add a comment\n\nSee SDM 25.1.3.\n\n" SOB);
	pf = kx_patch_add_file(&r.p, "arch/x86/kvm/x86.c");
	for (i = 0; lines[i]; i++)
		kx_patch_file_add_line(pf, lines[i], (unsigned)(1210 + i));
	f = check(&r, kx_rule_no_sdm_section_numbers, NULL);
	count(f, 3);
	assert_string_equal(f->items[0].path, "arch/x86/kvm/x86.c");
	assert_int_equal(f->items[0].line, 1212);
	assert_int_equal(f->items[1].line, 1213);
	assert_null(f->items[2].path);
	assert_int_equal(f->items[2].line, 0);
	done(&r);
}

static void test_rules_changelog__sdm_forms(void **state)
{
	static const struct {
		const char *text, *match;
	} cases[] = {
		{ "See Vol. 3C 26.6.5 for the rules.", "'Vol. 3C 26.6.5'" },
		{ "The layout is in Table 24-7.", "'Table 24-7'" },
		{ "As Figure 3-2 shows, it wraps.", "'Figure 3-2'" },
		{ "Per section 8.1.2 of the APM, the store is atomic.",
		  "'section 8.1.2'" },
		{ "The Intel SDM, Vol. 3, Section 26.3.1.1 says so.",
		  "'SDM, Vol. 3, Section 26.3.1.1'" },
		{ "APM Vol. 2 15.21 has the bits.", "'APM Vol. 2 15.21'" },
		{ "The SDM says so (see\nChapter 25).", "'Chapter 25'" },
		{ "See \xc2\xa7 9.11.6 in the SDM.", "'\xc2\xa7 9.11.6'" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run r;
		char *msg = kx_xasprintf("KVM: VMX: Fix it\n\nFix it.  %s\n\n"
					 SOB, cases[i].text);

		one(run(&r, kx_rule_no_sdm_section_numbers, msg, NULL),
		    "no-sdm-section-numbers", KX_SEV_WARNING, cases[i].match);
		done(&r);
		free(msg);
	}
}

static void test_rules_changelog__sdm_false_positives(void **state)
{
	const char *const code[] = {
		"\tpr_info(\"see SDM 25.1.3\\n\");",
		"\tx = 25.1;",
		"\t/* Tested on v6.1 and QEMU 8.1.2, host 192.168.1.1. */",
		NULL,
	};
	const char *const other[] = { "/* Per SDM 25.1.3 */", NULL };
	struct run r;

	(void)state;
	start(&r, "KVM: x86: Fix it\n\n"
		  "Tested on Linux 6.1.2 with QEMU 8.1.2 and gcc 12.2.0 at\n"
		  "192.168.1.1, see section 3 of the design doc and Vol. 3.\n"
		  "Ranges 25.1-26.3 and a 4-1 vote need no rewording.\n\n"
		  "Table 7-23 of the PCIe spec is unrelated, even next to the\n"
		  "SDM's \"Checks on Guest Segment Registers\" section, which "
		  "is\nnamed as it should be; APM 24593 is a publication "
		  "number.\n\n"
		  /* pasted manual text, indented */
		  "  26.3.1.2 Checks on Guest Segment Registers (SDM 26.3)\n"
		  "\n" SOB);
	file(&r, "arch/x86/kvm/vmx/vmx.c", code);
	/* comments elsewhere follow other trees' rules */
	file(&r, "arch/arm64/kvm/arm.c", other);
	file(&r, "drivers/pci/probe.c", other);
	file(&r, "Documentation/virt/kvm/x86/mmu.rst", other);
	count(check(&r, kx_rule_no_sdm_section_numbers, NULL), 0);
	done(&r);
}

static void test_rules_changelog__sdm_tail_comment(void **state)
{
	const char *const lines[] = {
		"#define VMX_FOO BIT(3)\t/* SDM Table 24-7 */",
		" * Bits per APM Vol. 2, 15.21.1.",
		NULL,
	};
	struct kx_findings *f;
	struct run r;

	(void)state;
	start(&r, "KVM: VMX: Add VMX_FOO\n\nAdd it.\n\n" SOB);
	file(&r, "arch/x86/include/asm/vmx.h", lines);
	f = check(&r, kx_rule_no_sdm_section_numbers, NULL);
	count(f, 2);
	nth(f, 0, "no-sdm-section-numbers", KX_SEV_ERROR, "'SDM Table 24-7'");
	nth(f, 1, "no-sdm-section-numbers", KX_SEV_ERROR,
	    "'APM Vol. 2, 15.21.1'");
	done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_changelog__nonempty_ok),
		cmocka_unit_test(test_rules_changelog__nonempty_empty),
		cmocka_unit_test(test_rules_changelog__nonempty_only_trailers),
		cmocka_unit_test(test_rules_changelog__parens_missing),
		cmocka_unit_test(test_rules_changelog__parens_in_shortlog),
		cmocka_unit_test(test_rules_changelog__parens_name_in_comment),
		cmocka_unit_test(test_rules_changelog__parens_present),
		cmocka_unit_test(test_rules_changelog__parens_skips),
		cmocka_unit_test(test_rules_changelog__ref_well_formed),
		cmocka_unit_test(test_rules_changelog__ref_malformed),
		cmocka_unit_test(test_rules_changelog__ref_checked_in_repo),
		cmocka_unit_test(test_rules_changelog__ref_false_positives),
		cmocka_unit_test(test_rules_changelog__sdm_comment_and_log),
		cmocka_unit_test(test_rules_changelog__sdm_comment_lines),
		cmocka_unit_test(test_rules_changelog__sdm_forms),
		cmocka_unit_test(test_rules_changelog__sdm_false_positives),
		cmocka_unit_test(test_rules_changelog__sdm_tail_comment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
