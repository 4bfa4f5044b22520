// SPDX-License-Identifier: GPL-2.0-only
/*
 * The prose rules over literal commits: mood, pronouns, the KVM order, the
 * 75-column wrap, restated shortlogs, version notes, the security hint and
 * pronouns in added comments.  Each rule gets changelogs it must pass and
 * changelogs it must flag.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/rules.h"
#include "kvmx86/safe.h"

#define SOB "Signed-off-by: Casey Contributor <casey@example.com>\n"
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A changelog that tells the bug first, in the present tense, then the fix. */
#define BUG_FIRST \
	"KVM: x86: Reject KVM_SET_FOO while the vCPU is running\n\n" \
	"KVM_SET_FOO updates the cached value without kicking the vCPU,\n" \
	"so a running vCPU keeps using the stale value until its next\n" \
	"exit.\n\n" \
	"Reject KVM_SET_FOO with -EBUSY while the vCPU is running\n" \
	"instead of trying to synchronize with it.\n\n" SOB

#define REVERT \
	"Revert \"KVM: x86: Add a foo cache\"\n\n" \
	"This reverts commit 0123456789abcdef0123456789abcdef01234567.\n\n" \
	"The cache breaks migration, as it is never written back to the\n" \
	"vCPU's state before userspace reads it.\n\n" SOB

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

/* Asserts that rule has nothing to say about msg. */
static void passes(kx_patch_rule_fn rule, const char *msg)
{
	struct run r;

	start(&r, msg);
	rule(&r.f, &r.p, NULL);
	if (r.f.nr) {
		dump(&r.f);
		fail_msg("expected no finding for:\n%s", msg);
	}
	done(&r);
}

/* Asserts that rule reports one finding on r, of id and sev, with text. */
static void check_one(struct run *r, kx_patch_rule_fn rule, const char *id,
		      enum kx_severity sev, const char *text)
{
	rule(&r->f, &r->p, NULL);
	if (r->f.nr != 1) {
		dump(&r->f);
		fail_msg("%zu findings, expected 1 for:\n%s", r->f.nr,
			 r->p.body);
	}
	assert_string_equal(r->f.items[0].rule, id);
	assert_int_equal(r->f.items[0].severity, sev);
	if (text && !strstr(r->f.items[0].message, text))
		fail_msg("message \"%s\" lacks \"%s\"", r->f.items[0].message,
			 text);
}

static void fires(kx_patch_rule_fn rule, const char *msg, const char *id,
		  enum kx_severity sev, const char *text)
{
	struct run r;

	start(&r, msg);
	check_one(&r, rule, id, sev, text);
	done(&r);
}

/* --- the verb list --- */

static void test_rules_prose__verb_forms(void **state)
{
	static const struct {
		const char *word, *base;
		char form;
	} forms[] = {
		{ "Adds", "add", 's' }, { "added", "add", 'd' },
		{ "Adding", "add", 'g' }, { "fixes", "fix", 's' },
		{ "Dropped", "drop", 'd' }, { "dropping", "drop", 'g' },
		{ "Applies", "apply", 's' }, { "applied", "apply", 'd' },
		{ "making", "make", 'g' }, { "made", "make", 'd' },
		{ "freeing", "free", 'g' }, { "Flushes", "flush", 's' },
		{ "embedded", "embed", 'd' }, { "deferring", "defer", 'g' },
	};
	static const char *const bases[] = {
		"Process", "Access", "Address", "Bypass", "Pass", "Embed",
		"Speed", "Remove", "Rename", "Allow", "Set", "Reset", "Need",
	};
	const char *v;
	size_t i, j;
	char form;

	(void)state;
	for (i = 0; i < ARRAY_LEN(forms); i++) {
		v = kx_words_verb_form(forms[i].word, strlen(forms[i].word),
				       &form);
		if (!v || strcmp(v, forms[i].base) || form != forms[i].form)
			fail_msg("'%s' is not read as '%s' (%c)",
				 forms[i].word, forms[i].base, forms[i].form);
	}
	for (i = 0; i < ARRAY_LEN(bases); i++)
		if (kx_words_verb_form(bases[i], strlen(bases[i]), &form))
			fail_msg("base '%s' is read as a form", bases[i]);
	/* no generated form may be another verb's base */
	for (i = 0; (v = kx_words_verb(i)); i++) {
		if (kx_words_verb_form(v, strlen(v), &form))
			fail_msg("base '%s' is also a form", v);
		for (j = 0; j < i; j++)
			assert_string_not_equal(kx_words_verb(j), v);
	}
	assert_non_null(kx_words_verb_base("Exempt", 6));
	assert_null(kx_words_verb_base("Exempts", 7));
}

/* --- shortlog-imperative --- */

static void test_rules_prose__shortlog_imperative_ok(void **state)
{
	static const char *const subjects[] = {
		"KVM: x86: Add a helper to query the guest's MAXPHYADDR",
		"KVM: VMX: Process pending events before VM-Enter",
		"KVM: x86: Access the PDPTRs through the MMU",
		"KVM: nSVM: Pass the exit code to the L1 hypervisor",
		"KVM: x86: Bypass the emulator for fast MMIO",
		"KVM: x86: Address a race with the async #PF worker",
		"KVM: x86: Embed the MMU role in the vCPU",
		"KVM: x86/mmu: Speed up the zap of obsolete pages",
		"KVM: x86: Remove unused variable 'r'",
		"KVM: x86: Rename kvm_foo() to kvm_bar()",
		"KVM: x86: Allow userspace to disable the quirk",
		"KVM: x86: Don't WARN on a userspace-triggered failure",
		"KVM: nVMX: Explicitly clear RFLAGS.CF on VMfailValid",
		"KVM: x86: Unconditionally reset the PMU on vCPU RESET",
		"Revert \"KVM: x86: Adds a foo cache\"",
		"KVM: x86: vmx_foo() must not sleep",
		"KVM: x86: MSR_IA32_TSX_CTRL handling for userspace",
		"KVM: x86: x2APIC IDs are 32 bits",
		"KVM: selftests: Needed fix for the sync_regs test",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(subjects); i++) {
		char *msg = kx_xasprintf("%s\n\nDo it.\n\n" SOB, subjects[i]);

		passes(kx_rule_shortlog_imperative, msg);
		free(msg);
	}
}

static void test_rules_prose__shortlog_imperative_bad(void **state)
{
	static const struct {
		const char *subject, *text;
	} bad[] = {
		{ "KVM: x86: Adds a helper for the PDPTRs", "'Add a helper" },
		{ "KVM: x86: Added a helper for the PDPTRs", "'Added'" },
		{ "KVM: x86: Adding a helper for the PDPTRs", "'Add a helper" },
		{ "KVM: VMX: Fixes the VMCS leak", "'Fix the VMCS leak'" },
		{ "KVM: VMX: fixed the VMCS leak", "'Fix the VMCS leak'" },
		{ "KVM: x86: Properly handles the NMI window",
		  "'Properly handle the NMI window'" },
		{ "x86/cpu: Removes a stale comment", "'Remove a stale" },
		/* the rest cut at a word: said with "..." */
		{ "KVM: VMX: fixed the FB_CLEAR logic in vmx_update_fb_clear_dis",
		  "'Fix the FB_CLEAR logic in...'" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		char *msg = kx_xasprintf("%s\n\nDo it.\n\n" SOB,
					 bad[i].subject);

		fires(kx_rule_shortlog_imperative, msg, "shortlog-imperative",
		      KX_SEV_WARNING, bad[i].text);
		free(msg);
	}
}

/* --- changelog-imperative --- */

static void test_rules_prose__imperative_ok(void **state)
{
	static const char *const msgs[] = {
		BUG_FIRST,
		REVERT,
		"KVM: nVMX: Clear RFLAGS.CF on VMfailValid\n\n"
		"Explicitly clear RFLAGS.CF on VMfailValid, the SDM says the\n"
		"flags are cleared.\n\n" SOB,
		"KVM: x86: Reset the PMU on RESET\n\n"
		"Unconditionally reset the PMU on RESET.  Opportunistically "
		"drop the\nstale comment.\n\nNo functional change intended.\n\n"
		SOB,
		/* others' commits are described in the past */
		"KVM: x86: Drop the cache\n\n"
		"Commit 0123456789ab (\"KVM: x86: Add a cache\") added a cache "
		"that\nis never invalidated.  Drop it.\n\n" SOB,
		/* plural nouns, not verbs */
		"KVM: x86: Drop writes\n\n"
		"Writes to the MSR are dropped by hardware.  Changes to CR4 "
		"require a\nflush.  Emulated devices see the same.  Drop "
		"them.\n\n" SOB,
		/* quoted and indented text is not the changelog's voice */
		"KVM: x86: Fix the splat\n\n"
		"Fix the splat below.\n\n"
		"  We added a foo here, and this patch adds more.\n"
		"> This patch adds a foo.\n\n"
		"Per the report, \"Added support for foo\" is wrong.\n\n" SOB,
		/* all trailers: changelog-nonempty's */
		"KVM: x86: Fix it\n\n" SOB,
		/* gerunds as subjects are fine */
		"KVM: x86: Zap the SPTEs\n\n"
		"Zapping collapsible SPTEs is only needed when toggling "
		"dirty logging.\n\n" SOB,
		/* "The commit" is as often an earlier one */
		"KVM: x86: Zap the SPTEs again\n\n"
		"The commit breaks dirty logging.  Zap the SPTEs when "
		"toggling it.\n\n" SOB,
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(msgs); i++)
		passes(kx_rule_changelog_imperative, msgs[i]);
}

static void test_rules_prose__imperative_bad(void **state)
{
	static const struct {
		const char *msg, *text;
	} bad[] = {
		{ "KVM: x86: Add foo\n\nThis patch adds support for foo.\n\n"
		  SOB, "'Add ...'" },
		{ "KVM: x86: Add foo\n\nKVM lacks foo.  Added support for "
		  "foo.\n\n" SOB, "'Added support for foo" },
		{ "KVM: x86: Add foo\n\nAdds support for foo.\n\n" SOB,
		  "'Add ...'" },
		{ "KVM: x86: Add foo\n\nWe now advertise foo to userspace.\n\n"
		  SOB, "'We now advertise" },
		{ "KVM: x86: Add foo\n\nI changed the foo handler to ignore "
		  "bar.\n\n" SOB, "'Change ...'" },
		{ "KVM: x86: Add foo\n\nThis commit will make KVM advertise "
		  "foo.\n\n" SOB, "'This commit will" },
		{ "KVM: x86: Add foo\n\nThis change also fixes the bar.\n\n"
		  SOB, "'Fix ...'" },
		{ "KVM: x86: Add foo\n\nThe patch adds a check of foo.\n\n"
		  SOB, "'Add ...'" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(bad); i++)
		fires(kx_rule_changelog_imperative, bad[i].msg,
		      "changelog-imperative", KX_SEV_WARNING, bad[i].text);
}

/* --- changelog-no-pronouns --- */

static void test_rules_prose__pronouns_ok(void **state)
{
	static const char *const msgs[] = {
		BUG_FIRST,
		REVERT,
		"KVM: x86: Fix I/O port exits\n\n"
		"Fix I/O port exits on I2C and I3C devices; MY_FLAG and "
		"my_var are\nidentifiers.  Wait 10 us before retrying, i.e. "
		"I.e. is fine.\nSee Vol. I of the manual.\n\n" SOB,
		/* quoted logs, code, and quotes */
		"KVM: x86: Fix the message\n\n"
		"Fix the \"we failed to set the MSR\" message, and "
		"`our_count`.\n"
		"Drop 'your turn' from the log.\n\n"
		"  kvm: we failed to do the thing, you lose\n"
		"\tour_var = my_fn(us);\n"
		"> I think we should do this.\n\n" SOB,
		/* a leading in-body From: and trailers name people */
		"KVM: x86: Fix it\n\n"
		"From: Me Myself And I <i@example.com>\n\n"
		"Fix it.\n\n"
		"Reported-by: You Know Who <you@example.com>\n" SOB,
		/* this patch at a sentence start is changelog-imperative's */
		"KVM: x86: Add foo\n\nThis patch adds foo.\n\n" SOB,
		"KVM: x86: Fix it\n\n" SOB,
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(msgs); i++)
		passes(kx_rule_changelog_no_pronouns, msgs[i]);
}

static void test_rules_prose__pronouns_bad(void **state)
{
	static const struct {
		const char *msg, *text;
	} bad[] = {
		{ "KVM: x86: Fix it\n\nWe need to flush the TLB here.\n\n" SOB,
		  "'We'" },
		{ "KVM: x86: Fix it\n\nFlush the TLB.  Let's not rely on "
		  "luck.\n\n" SOB, "'Let's'" },
		{ "KVM: x86: Fix it\n\nFlush the TLB, our callers need it.\n\n"
		  SOB, "'our'" },
		{ "KVM: x86: Fix it\n\nFlush the TLB.  I think it is "
		  "needed.\n\n" SOB, "'I'" },
		{ "KVM: x86: Fix it\n\nFlush the TLB if you run nested.\n\n"
		  SOB, "'you'" },
		{ "KVM: x86: Fix it\n\nWith this patch, KVM flushes the "
		  "TLB.\n\n" SOB, "'this patch'" },
		{ "KVM: x86: Fix it\n\nFlush the TLB.  We must, as we said "
		  "before, and\nwe will.\n\n" SOB, "'We', 'we'" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(bad); i++)
		fires(kx_rule_changelog_no_pronouns, bad[i].msg,
		      "changelog-no-pronouns", KX_SEV_WARNING, bad[i].text);
}

/* --- changelog-what-first --- */

#define BACKGROUND \
	"The foo cache is filled on every VM-Exit and read on VM-Enter,\n" \
	"but it is never invalidated when userspace writes the MSR, nor\n" \
	"when the vCPU is reset.\n\n" \
	"As a result, the guest sees the old value until the next exit,\n" \
	"which is observable with a simple selftest.\n\n" \
	"The bug has been there since the cache was introduced, and\n" \
	"nobody noticed it before the selftest.\n\n"

static void test_rules_prose__what_first_ok(void **state)
{
	static const char *const msgs[] = {
		BUG_FIRST,
		REVERT,
		"KVM: x86: Invalidate the foo cache on MSR writes\n\n"
		"Invalidate the foo cache when userspace writes the MSR.\n\n"
		BACKGROUND SOB,
		"KVM: nVMX: Clear RFLAGS.CF on VMfailValid\n\n"
		"Explicitly clear RFLAGS.CF on VMfailValid.\n\n"
		BACKGROUND SOB,
		/* a clause after a comma gives the order */
		"KVM: x86: Fix the cache\n\n"
		"Given that the cache is going away, fix the bug with the "
		"simplest\napproach.\n\n" BACKGROUND SOB,
		/* short: the order does not matter */
		"KVM: x86: Fix the cache\n\n"
		"The foo cache is never invalidated.\n\n" SOB,
		"KVM: x86: Fix it\n\n" SOB,
	};
	struct run r;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(msgs); i++)
		passes(kx_rule_changelog_what_first, msgs[i]);
	/* the tip tree's order for non-KVM x86 code */
	start(&r, "x86/cpu: Fix the foo cache\n\n" BACKGROUND
		  "Invalidate the cache on writes.\n\n" SOB);
	kx_patch_add_file(&r.p, "arch/x86/kernel/cpu/common.c");
	kx_rule_changelog_what_first(&r.f, &r.p, NULL);
	assert_int_equal(r.f.nr, 0);
	done(&r);
}

static void test_rules_prose__what_first_bad(void **state)
{
	struct run r;

	(void)state;
	fires(kx_rule_changelog_what_first,
	      "KVM: x86: Fix the foo cache\n\n" BACKGROUND
	      "Invalidate the cache on writes.\n\n" SOB,
	      "changelog-what-first", KX_SEV_ADVICE, "paragraph 4");
	fires(kx_rule_changelog_what_first,
	      "KVM: x86: Fix the foo cache\n\n" BACKGROUND SOB,
	      "changelog-what-first", KX_SEV_ADVICE, "never says");
	/* KVM code keeps the KVM order */
	start(&r, "KVM: x86: Fix the foo cache\n\n" BACKGROUND SOB);
	kx_patch_add_file(&r.p, "arch/x86/kvm/x86.c");
	check_one(&r, kx_rule_changelog_what_first, "changelog-what-first",
		  KX_SEV_ADVICE, "KVM x86 order");
	done(&r);
}

/* --- changelog-wrap-75 --- */

static void test_rules_prose__wrap_ok(void **state)
{
	static const char *const msgs[] = {
		BUG_FIRST,
		/* exactly 75 columns */
		"KVM: x86: Fix it\n\n"
		"Fix it.  aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaa\n\n" SOB,
		/* logs, quotes, URLs, trailers, references, tool output */
		"KVM: x86: Fix the splat\n\n"
		"Fix the splat:\n\n"
		"  WARNING: CPU: 0 PID: 6544 at arch/x86/kvm/vmx/vmx.c:4689 "
		"handle_desc+0x37/0x40 [kvm_intel]\n"
		"[  949.107038] CPU: 2 PID: 24126 Comm: qemu Not tainted "
		"4.19.77-pserver #4.19.77-1+feature\n"
		"> a quoted reply that runs on and on and on well beyond the "
		"seventy-five columns\n"
		"lib/assert.c:58:14: error: static declaration of 'gettid' "
		"follows non-static declaration\n\n"
		"See https://lore.kernel.org/all/20191002123456.12345-1-"
		"someone@example.com/T/#u for it.\n"
		"Commit 0123456789ab (\"KVM: x86: A subject that is far too "
		"long to fit anyway\") did it.\n\n"
		"Fixes: 0123456789ab (\"KVM: x86: A subject that is far too "
		"long to fit in 75 columns\")\n" SOB,
		/* one token longer than the limit cannot wrap */
		"KVM: x86: Fix it\n\n"
		"Fix:\n"
		"tools/testing/selftests/kvm/x86_64/a_very_long_test_name_"
		"that_goes_on_and_on.c\n\n" SOB,
		"KVM: x86: Fix it\n\n" SOB,
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(msgs); i++)
		passes(kx_rule_changelog_wrap, msgs[i]);
}

static void test_rules_prose__wrap_bad(void **state)
{
	(void)state;
	fires(kx_rule_changelog_wrap,
	      "KVM: x86: Fix it\n\n"
	      "Fix it.  aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	      "aaaaaaaaaaaa\n\n" SOB, "changelog-wrap-75", KX_SEV_WARNING,
	      "1 changelog line is longer than 75 columns");
	fires(kx_rule_changelog_wrap,
	      "KVM: x86: Fix it\n\n"
	      "The foo cache is filled on every VM-Exit and read on VM-Enter, "
	      "but it is never\ninvalidated when userspace writes the MSR, "
	      "so the guest sees the old value.\n\n" SOB,
	      "changelog-wrap-75", KX_SEV_WARNING,
	      "1 changelog line is longer than 75 columns (the first, "
	      "'The foo cache is fil...', has 78)");
}

/* --- changelog-not-shortlog --- */

static void test_rules_prose__not_shortlog_ok(void **state)
{
	static const char *const msgs[] = {
		BUG_FIRST,
		REVERT,
		"KVM: x86: Rename kvm_foo() to kvm_bar()\n\n"
		"No functional change intended.\n\n" SOB,
		"KVM: x86: Remove unused variable\n\n"
		"Remove the unused variable 'r', which became dead code when "
		"the\nerror path was dropped.\n\n" SOB,
		"KVM: x86: Fix the build\n\n"
		"Fix the build:\n\n"
		"  x86.c:12: error: unused variable 'r'\n\n" SOB,
		"KVM: x86: Fix it\n\n" SOB,
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(msgs); i++)
		passes(kx_rule_changelog_not_shortlog, msgs[i]);
}

static void test_rules_prose__not_shortlog_bad(void **state)
{
	static const char *const msgs[] = {
		"KVM: x86: Fix typo in comment\n\nFix typo in comment\n\n" SOB,
		"KVM: x86: Fix some comment typos\n\nFix some typos in "
		"comment.\n\n" SOB,
		"KVM: x86: Use true/false for the bool in mmu.c\n\n"
		"Use true/false for bool type in mmu.c\n\n" SOB,
		"KVM: x86: Rename kvm_foo()\n\nRename kvm_foo().\n\n"
		"No functional change intended.\n\n" SOB,
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(msgs); i++)
		fires(kx_rule_changelog_not_shortlog, msgs[i],
		      "changelog-not-shortlog", KX_SEV_WARNING,
		      "only restates");
}

/* --- version-notes-below-separator --- */

static void test_rules_prose__version_notes(void **state)
{
	static const char *const good[] = {
		BUG_FIRST,
		"KVM: x86: Add foo\n\nAdd foo, v2 of the protocol.\n\n" SOB
		"---\nv2: reworded\nChanges since v1:\n - foo\n",
		"KVM: x86: Fix it\n\n" SOB,
	};
	static const char *const bad[] = {
		"KVM: x86: Add foo\n\nAdd foo.\n\nv2: reworded\n\n" SOB,
		"KVM: x86: Add foo\n\nAdd foo.\n\nChanges since v1:\n"
		"  - reworded\n\n" SOB,
		"KVM: x86: Add foo\n\nAdd foo.\n\nChanges in v3: none\n\n" SOB,
		"KVM: x86: Add foo\n\nAdd foo.\n\nv1 -> v2: drop bar\n\n" SOB,
		"KVM: x86: Add foo\n\nAdd foo.\n\n[v2] drop bar\n\n" SOB,
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(good); i++)
		passes(kx_rule_version_notes, good[i]);
	for (i = 0; i < ARRAY_LEN(bad); i++)
		fires(kx_rule_version_notes, bad[i],
		      "version-notes-below-separator", KX_SEV_WARNING, "'---'");
}

/*
 * The quotes of changelog-wrap-75 (20 bytes) and version-notes-below-
 * separator (30) are cut between characters: "Do " and 8 two-byte
 * letters end inside the 9th, "v2:  " and 12 of them inside the 13th.
 */
static void test_rules_prose__quote_cut_utf8(void **state)
{
	static const struct {
		kx_patch_rule_fn rule;
		const char *msg, *text;
	} cases[] = {
		{ kx_rule_changelog_wrap,
		  "KVM: x86: Fix it\n\n"
		  "Do \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 so that the line is long enough to be wrapped by "
		  "the rule, at 75.\n\n" SOB,
		  "'Do \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9...'" },
		{ kx_rule_version_notes,
		  "KVM: x86: Add foo\n\nAdd foo.\n\n"
		  "v2:  \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\n\n" SOB,
		  "('v2:  \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9')" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		struct run r;
		const char *m;

		start(&r, cases[i].msg);
		cases[i].rule(&r.f, &r.p, NULL);
		assert_int_equal(r.f.nr, 1);
		m = r.f.items[0].message;
		if (!kx_utf8_valid(m, strlen(m)) || !strstr(m, cases[i].text))
			fail_msg("message \"%s\" is no UTF-8 or lacks \"%s\"", m,
				 cases[i].text);
		done(&r);
	}
}

/* --- security-process --- */

static void test_rules_prose__security(void **state)
{
	static const char *const good[] = {
		BUG_FIRST,
		"KVM: x86: Fix a memory leak\n\n"
		"Fix a memory leak in the host when the guest writes the "
		"MSR.\n\n" SOB,
		"KVM: x86: Put the page\n\n"
		"Fix a refcount leak of the host page when the guest unmaps "
		"it.\n\n" SOB,
		"KVM: x86: Reduce the attack surface\n\n"
		"Reject unsupported CR4 bits from userspace.\n\n" SOB,
		/* the user's false alarm: nothing leaks, and L1 is a guest */
		"KVM: nVMX: Fix the CR4 fixed-1 bits\n\n"
		"Fix the VMX fixed-1 bits so that reserved bits are never "
		"leaked into L1's view of the guest's CR4.\n\n" SOB,
		"KVM: x86: Zero the padding\n\n"
		"Zero the padding, so that host data is not leaked to the "
		"guest.\n\n" SOB,
		"KVM: x86: Drop a check\n\n"
		"The guest can't leak host data here, drop the check.\n\n"
		SOB,
		"KVM: nVMX: Advertise a control\n\n"
		"Stop leaking a control bit into L1's MSR.\n\n" SOB,
	};
	static const struct {
		const char *msg, *text;
	} bad[] = {
		{ "KVM: x86: Fix it\n\nA malicious guest can use the bug for "
		  "a guest-to-host escape.\n\n" SOB, "guest-to-host" },
		{ "KVM: nVMX: Fix it\n\nWith this bug, L2 can attack L1 by "
		  "writing the VMCS.\n\n" SOB, "L2 attacking L1" },
		{ "KVM: x86: Fix it\n\nThe bug can leak host kernel memory to "
		  "the guest.\n\n" SOB, "host data leaking" },
		{ "KVM: x86: Fix it (CVE-2019-19332)\n\nFix it.\n\n" SOB,
		  "a CVE" },
		/* the fix of a leak, in imperative mood */
		{ "KVM: nVMX: Don't leak L1 MMIO regions to L2\n\nFix it.\n\n"
		  SOB, "host data leaking" },
		{ "KVM: x86: Zero the buffer\n\nZero the buffer, it leaks "
		  "host stack data to L1.\n\n" SOB, "host data leaking" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(good); i++)
		passes(kx_rule_security_process, good[i]);
	for (i = 0; i < ARRAY_LEN(bad); i++)
		fires(kx_rule_security_process, bad[i].msg, "security-process",
		      KX_SEV_ADVICE, bad[i].text);
}

/* --- comments-imperative-no-pronouns --- */

static void add_lines(struct kx_patch_file *f, const char *const *lines)
{
	for (; *lines; lines++)
		kx_strlist_add(&f->added, *lines);
}

static void test_rules_prose__comments(void **state)
{
	static const char *const good[] = {
		"\t/*",
		"\t * Explicitly clear the bit, the CPU doesn't on I/O exits.",
		"\t */",
		"\tpr_warn(\"we failed to set the MSR\\n\");",
		"\tour_count = my_fn(us); /* count the `our` list */",
		NULL,
	};
	static const char *const bad[] = {
		"\t/* We need to flush here, see above. */",
		"\tflush();",
		"\t/*",
		"\t * ... because our callers hold the lock.",
		"\t */",
		NULL,
	};
	struct run r;

	(void)state;
	start(&r, "KVM: x86: Fix it\n\nFix it.\n\n" SOB);
	add_lines(kx_patch_add_file(&r.p, "arch/x86/kvm/x86.c"), good);
	/* other trees have their own rules */
	add_lines(kx_patch_add_file(&r.p, "arch/x86/kernel/kvm.c"), bad);
	kx_rule_comments_no_pronouns(&r.f, &r.p, NULL);
	assert_int_equal(r.f.nr, 0);
	done(&r);

	start(&r, "KVM: x86: Fix it\n\nFix it.\n\n" SOB);
	add_lines(kx_patch_add_file(&r.p, "arch/x86/kvm/x86.c"), bad);
	check_one(&r, kx_rule_comments_no_pronouns,
		  "comments-imperative-no-pronouns", KX_SEV_ADVICE,
		  "arch/x86/kvm/x86.c say 'We', 'our'");
	done(&r);

	/* the finding names the first line that says one */
	start(&r, "KVM: x86: Fix it\n\nFix it.\n\n" SOB);
	{
		struct kx_patch_file *f = kx_patch_add_file(&r.p, "arch/x86/kvm/x86.c");
		size_t i;

		for (i = 0; good[i]; i++)
			kx_patch_file_add_line(f, good[i], (unsigned)(100 + i));
		for (i = 0; bad[i]; i++)
			kx_patch_file_add_line(f, bad[i], (unsigned)(200 + i));
	}
	kx_rule_comments_no_pronouns(&r.f, &r.p, NULL);
	assert_int_equal(r.f.nr, 1);
	assert_string_equal(r.f.items[0].path, "arch/x86/kvm/x86.c");
	assert_int_equal(r.f.items[0].line, 200);
	done(&r);
}

/* --- all the prose rules on the good changelogs at once --- */

static void test_rules_prose__good_changelogs_are_quiet(void **state)
{
	static const kx_patch_rule_fn rules[] = {
		kx_rule_shortlog_imperative, kx_rule_changelog_imperative,
		kx_rule_changelog_no_pronouns, kx_rule_changelog_what_first,
		kx_rule_changelog_wrap, kx_rule_changelog_not_shortlog,
		kx_rule_version_notes, kx_rule_security_process,
		kx_rule_comments_no_pronouns,
	};
	static const char *const msgs[] = {
		BUG_FIRST, REVERT,
		"KVM: x86: Don't update RIP on a faulting emulation\n\n"
		"From: Casey Contributor <casey@example.com>\n\n"
		"Don't advance RIP or inject a single-step #DB if emulation "
		"signals a\nfault.  Opportunistically drop a stale comment.\n\n"
		"No functional change intended for the non-faulting paths.\n\n"
		"Fixes: 0123456789ab (\"KVM: x86: Handle single-step during "
		"emulation\")\nCc: stable@vger.kernel.org\n" SOB,
		"KVM: nVMX: Explicitly clear RFLAGS.CF on VMfailValid\n\n"
		"Unconditionally clear RFLAGS.CF on VMfailValid, as the SDM "
		"says\nthe flags are cleared on all VMX instruction "
		"failures.\n\n" SOB,
		/* all trailers is changelog-nonempty's to report */
		"KVM: x86: Fix it\n\nCc: stable@vger.kernel.org\n" SOB,
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_LEN(msgs); i++)
		for (j = 0; j < ARRAY_LEN(rules); j++)
			passes(rules[j], msgs[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_prose__verb_forms),
		cmocka_unit_test(test_rules_prose__shortlog_imperative_ok),
		cmocka_unit_test(test_rules_prose__shortlog_imperative_bad),
		cmocka_unit_test(test_rules_prose__imperative_ok),
		cmocka_unit_test(test_rules_prose__imperative_bad),
		cmocka_unit_test(test_rules_prose__pronouns_ok),
		cmocka_unit_test(test_rules_prose__pronouns_bad),
		cmocka_unit_test(test_rules_prose__what_first_ok),
		cmocka_unit_test(test_rules_prose__what_first_bad),
		cmocka_unit_test(test_rules_prose__wrap_ok),
		cmocka_unit_test(test_rules_prose__wrap_bad),
		cmocka_unit_test(test_rules_prose__not_shortlog_ok),
		cmocka_unit_test(test_rules_prose__not_shortlog_bad),
		cmocka_unit_test(test_rules_prose__version_notes),
		cmocka_unit_test(test_rules_prose__quote_cut_utf8),
		cmocka_unit_test(test_rules_prose__security),
		cmocka_unit_test(test_rules_prose__comments),
		cmocka_unit_test(test_rules_prose__good_changelogs_are_quiet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
