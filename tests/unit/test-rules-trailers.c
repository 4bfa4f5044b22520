// SPDX-License-Identifier: GPL-2.0-only
/*
 * The trailer rules over literal commit messages: Fixes:, Cc: stable,
 * Link: and Signed-off-by:.  The repository is a table of commits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/rules.h"

#define MMU_ID "54a4f0239f2e52cd2b3a3b7e2e0f08e1c5dbd4a9"
#define MMU_SUBJ "KVM: MMU: make kvm_mmu_zap_page() return the number of " \
		 "pages it actually freed"
#define AUTHOR "Casey Contributor <casey.contributor@example.com>"

static const struct {
	const char *id, *subject;
} commits[] = {
	{ MMU_ID, MMU_SUBJ },
	{ "0123456789abcdef0123456789abcdef01234567", "KVM: x86: cache cr0" },
	/* two commits that share a 12-digit prefix */
	{ "abcdef0123450000000000000000000000000000", "KVM: x86: one" },
	{ "abcdef0123451111111111111111111111111111", "KVM: x86: two" },
};

/* A repository of the commits above: prefix look-ups, git's answers. */
static int lookup(void *data, const char *hex, char **subject)
{
	size_t i, found = 0, hit = 0;

	(void)data;
	for (i = 0; i < sizeof(commits) / sizeof(commits[0]); i++) {
		if (!strncmp(commits[i].id, hex, strlen(hex))) {
			found++;
			hit = i;
		}
	}
	if (found > 1)
		return -1;
	if (!found)
		return 0;
	*subject = strdup(commits[hit].subject);
	return 1;
}

static const struct kx_rule_env repo_env = { .lookup_commit = lookup };

struct run {
	struct kx_patch p;
	struct kx_findings f;
};

/* Runs rule on a commit with message msg by AUTHOR. */
static struct kx_findings *run(struct run *r, kx_patch_rule_fn rule,
			       const char *msg, const struct kx_rule_env *env)
{
	struct kx_findings init = KX_FINDINGS_INIT;

	kx_patch_init(&r->p);
	r->f = init;
	kx_patch_set_message(&r->p, msg);
	r->p.author_name = kx_xstrdup("Casey Contributor");
	r->p.author_email = kx_xstrdup("casey.contributor@example.com");
	rule(&r->f, &r->p, env);
	return &r->f;
}

static void done(struct run *r)
{
	kx_findings_release(&r->f);
	kx_patch_release(&r->p);
}

/* Asserts exactly one finding, of rule and sev, whose message has text. */
static void one(const struct kx_findings *f, const char *rule,
		enum kx_severity sev, const char *text)
{
	if (f->nr != 1) {
		size_t i;

		for (i = 0; i < f->nr; i++)
			print_message("finding: %s: %s\n", f->items[i].rule,
				      f->items[i].message);
		fail_msg("%zu findings, expected 1", f->nr);
	}
	assert_string_equal(f->items[0].rule, rule);
	assert_int_equal(f->items[0].severity, sev);
	if (!strstr(f->items[0].message, text))
		fail_msg("message \"%s\" lacks \"%s\"", f->items[0].message,
			 text);
}

static void none(const struct kx_findings *f)
{
	size_t i;

	for (i = 0; i < f->nr; i++)
		print_message("finding: %s: %s\n", f->items[i].rule,
			      f->items[i].message);
	assert_int_equal(f->nr, 0);
}

#define BODY "Subject\n\nDo the thing.\n\n"

/* --- fixes-tag-format --- */

static void test_rules_trailers__fixes_well_formed(void **state)
{
	struct run r;

	(void)state;
	none(run(&r, kx_rule_fixes_tag_format,
		 BODY "Fixes: 54a4f0239f2e (\"" MMU_SUBJ "\")\n"
		 "Signed-off-by: " AUTHOR "\n", &repo_env));
	done(&r);
	/* all 40 digits are fine too, and no repository means no look-up */
	none(run(&r, kx_rule_fixes_tag_format,
		 BODY "Fixes: " MMU_ID " (\"" MMU_SUBJ "\")\n", NULL));
	done(&r);
}

static void test_rules_trailers__fixes_short_id_unquoted(void **state)
{
	struct run r;
	struct kx_findings *f;

	(void)state;
	/* the fixture's bad-style patch 5 */
	f = run(&r, kx_rule_fixes_tag_format,
		"Subject\n\nThis patch also fixes an old bug.\n\n"
		"Fixes: 1234abc KVM: x86: cache cr0\n", NULL);
	one(f, "fixes-tag-format", KX_SEV_ERROR, "only 7 digits");
	assert_non_null(strstr(f->items[0].message,
			       "'Fixes: 1234abc KVM: x86: cache cr0'"));
	done(&r);
	/* with a repository, the missing target is named as well */
	f = run(&r, kx_rule_fixes_tag_format,
		BODY "Fixes: 1234abc KVM: x86: cache cr0\n", &repo_env);
	assert_int_equal(f->nr, 2);
	assert_int_equal(kx_findings_count(f, KX_SEV_ERROR), 2);
	assert_non_null(strstr(f->items[1].message, "'1234abc'"));
	done(&r);
}

static void test_rules_trailers__fixes_malformed(void **state)
{
	static const struct {
		const char *line, *why;
	} cases[] = {
		{ "Fixes: 54a4f0239f2e KVM: MMU: foo", "quoted subject" },
		{ "Fixes: 54a4f0239f2e \"KVM: MMU: foo\"", "quoted subject" },
		{ "Fixes: 54A4F0239F2E (\"KVM: MMU: foo\")", "uppercase" },
		{ "fixes: 54a4f0239f2e (\"KVM: MMU: foo\")", "'fixes:'" },
		{ "Fixes:  54a4f0239f2e (\"KVM: MMU: foo\")", "one space" },
		/* the subject is there: the spacing is what is wrong */
		{ "Fixes: 54a4f0239f2e  (\"KVM: MMU: foo\")",
		  "needs exactly one space between the commit id and '(\"'" },
		{ "Fixes: 54a4f0239f2e(\"KVM: MMU: foo\")",
		  "needs exactly one space between the commit id and '(\"'" },
		{ "Fixes: 54a4f0239f2e\t(\"KVM: MMU: foo\")",
		  "needs exactly one space between the commit id and '(\"'" },
		{ "Fixes: 54a4f0239f2e (\"KVM: MMU: foo\") # v6.1", "end" },
		{ "Fixes: 54a4f0239f2e (\"\")", "empty subject" },
		{ "Fixes: KVM: MMU: foo", "commit id" },
		{ "Fixes: https://bugzilla.kernel.org/1", "commit id" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run r;
		char *msg = kx_xasprintf(BODY "%s\n", cases[i].line);

		one(run(&r, kx_rule_fixes_tag_format, msg, NULL),
		    "fixes-tag-format", KX_SEV_ERROR, cases[i].why);
		done(&r);
		free(msg);
	}
}

static void test_rules_trailers__fixes_split_across_lines(void **state)
{
	struct run r;

	(void)state;
	one(run(&r, kx_rule_fixes_tag_format,
		BODY "Fixes: 54a4f0239f2e (\"KVM: MMU: make kvm_mmu_zap_page"
		"()\n  return the number of pages it actually freed\")\n",
		NULL),
	    "fixes-tag-format", KX_SEV_ERROR, "one line");
	done(&r);
}

static void test_rules_trailers__fixes_target_checked(void **state)
{
	struct run r;

	(void)state;
	/* missing from the repository: an error that names it */
	one(run(&r, kx_rule_fixes_tag_format,
		BODY "Fixes: ffffffffffff (\"KVM: x86: gone\")\n", &repo_env),
	    "fixes-tag-format", KX_SEV_ERROR, "'ffffffffffff'");
	done(&r);
	/* present, but the subject was edited: a warning */
	one(run(&r, kx_rule_fixes_tag_format,
		BODY "Fixes: 0123456789ab (\"KVM: x86: Cache CR0\")\n",
		&repo_env),
	    "fixes-tag-format", KX_SEV_WARNING, "\"KVM: x86: cache cr0\"");
	done(&r);
	one(run(&r, kx_rule_fixes_tag_format,
		BODY "Fixes: abcdef012345 (\"KVM: x86: one\")\n", &repo_env),
	    "fixes-tag-format", KX_SEV_WARNING, "ambiguous");
	done(&r);
}

/* --- cc-stable --- */

static void test_rules_trailers__cc_stable_well_formed(void **state)
{
	static const char *const ok[] = {
		"Cc: stable@vger.kernel.org",
		"Cc: stable@vger.kernel.org # 6.1+",
		"Cc: stable@vger.kernel.org  # v5.15: 0123456789ab",
		"Cc: kvm@vger.kernel.org",
		"Cc: Jane Stable <jane@example.com>",
		"Cc: Sam <sam.stable@example.com>",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct run r;
		char *msg = kx_xasprintf(BODY "%s\nSigned-off-by: " AUTHOR "\n",
					 ok[i]);

		none(run(&r, kx_rule_cc_stable, msg, NULL));
		done(&r);
		free(msg);
	}
}

static void test_rules_trailers__cc_stable_variants(void **state)
{
	static const char *const bad[] = {
		"Cc: <stable@vger.kernel.org>",
		"Cc: stable@kernel.org",
		"Cc: Stable <stable@vger.kernel.org>",
		"Cc: stable",
		"Cc: stable # 6.1",
		"CC: stable@vger.kernel.org",
		"Cc: stable@vger.kernel.org [5.10+]",
		"Cc: stable@vger.kernel.org#6.1",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct run r;
		char *msg = kx_xasprintf(BODY "%s\nSigned-off-by: " AUTHOR "\n",
					 bad[i]);

		one(run(&r, kx_rule_cc_stable, msg, NULL), "cc-stable",
		    KX_SEV_WARNING, "malformed stable tag");
		done(&r);
		free(msg);
	}
}

static void test_rules_trailers__cc_stable_in_prose(void **state)
{
	struct run r;

	(void)state;
	one(run(&r, kx_rule_cc_stable,
		"Subject\n\nFix the bug, which older kernels have too.\n"
		"Cc: stable@vger.kernel.org\n\nSigned-off-by: " AUTHOR "\n",
		NULL),
	    "cc-stable", KX_SEV_WARNING, "prose");
	done(&r);
	/* a maintainer's note keeps the block a trailer block */
	none(run(&r, kx_rule_cc_stable,
		 BODY "Cc: stable@vger.kernel.org\nSigned-off-by: " AUTHOR "\n"
		 "[sean: massage changelog]\n"
		 "Signed-off-by: Sean <sean@example.com>\n", NULL));
	done(&r);
}

static void test_rules_trailers__fixes_without_cc_stable(void **state)
{
	struct run r;

	(void)state;
	/* KVM x86 opts out of backports by default: nothing to advise */
	none(run(&r, kx_rule_cc_stable,
		 BODY "Fixes: 54a4f0239f2e (\"" MMU_SUBJ "\")\n"
		 "Signed-off-by: " AUTHOR "\n", NULL));
	done(&r);
}

/* --- lore-link-format --- */

static void test_rules_trailers__lore_links_accepted(void **state)
{
	static const char *const ok[] = {
		"Link: https://lore.kernel.org/r/20230301120000.1234-1-a@b.com",
		"Link: https://lore.kernel.org/all/20230301120000.1-1-a@b.com/",
		"Link: https://lore.kernel.org/kvm/20230301120000.1-1-a@b.com/",
		"Link: https://lore.kernel.org/all/Y%2Fabc@google.com/T/#u",
		"Link: https://patch.msgid.link/20230301120000.1234-1-a@b.com",
		"Closes: https://lore.kernel.org/all/00000abcd@google.com/",
		"Closes: https://lore.kernel.org/oe-kbuild-all/2023@intel.com/",
		/* bug trackers are not mailing list archives */
		"Link: https://bugzilla.kernel.org/show_bug.cgi?id=217000",
		"Closes: https://github.com/google/syzkaller/issues/1",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct run r;
		char *msg = kx_xasprintf(BODY "%s\n", ok[i]);

		none(run(&r, kx_rule_lore_link_format, msg, NULL));
		done(&r);
		free(msg);
	}
}

static void test_rules_trailers__other_archives_warn(void **state)
{
	static const char *const bad[] = {
		"Link: https://marc.info/?l=kvm&m=167000000000000",
		"Link: https://lkml.org/lkml/2023/3/1/100",
		"Link: https://www.spinics.net/lists/kvm/msg300000.html",
		"Link: https://patchwork.kernel.org/project/kvm/patch/x@y/",
		"Link: https://www.mail-archive.com/kvm@vger.kernel.org/x.html",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct run r;
		char *msg = kx_xasprintf(BODY "%s\n", bad[i]);

		one(run(&r, kx_rule_lore_link_format, msg, NULL),
		    "lore-link-format", KX_SEV_WARNING, "use lore");
		done(&r);
		free(msg);
	}
}

static void test_rules_trailers__lore_link_malformed(void **state)
{
	static const struct {
		const char *line, *why;
	} bad[] = {
		{ "Link: https://lore.kernel.org/r/<20230301.1@a.com>",
		  "angle brackets" },
		{ "Link: https://lore.kernel.org/r/%3C20230301.1@a.com%3E",
		  "angle brackets" },
		{ "Link: https://lore.kernel.org/r/", "not a message link" },
		{ "Link: http://lore.kernel.org/r/20230301.1@a.com", "https" },
		{ "Link: the thread about the splat", "not an http(s) link" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct run r;
		char *msg = kx_xasprintf(BODY "%s\n", bad[i].line);

		one(run(&r, kx_rule_lore_link_format, msg, NULL),
		    "lore-link-format", KX_SEV_WARNING, bad[i].why);
		done(&r);
		free(msg);
	}
}

/* A list's own lore path is a lore link as good as /r/. */
static void test_rules_trailers__other_list_paths_pass(void **state)
{
	struct run r;

	(void)state;
	assert_int_equal(run(&r, kx_rule_lore_link_format,
			     BODY "Link: https://lore.kernel.org/lkml/20230301.1@a.com/\n",
			     NULL)->nr, 0);
	done(&r);
}

/* --- no-prev-version-link-in-changelog --- */

static void test_rules_trailers__link_to_sent_version(void **state)
{
	struct kx_strlist sent = KX_STRLIST_INIT;
	struct kx_rule_env env = { .sent_msgids = &sent };
	const char *msg = BODY
		"Link: https://lore.kernel.org/all/20230301120000.1234-1-"
		"casey.contributor@example.com/\n";
	struct run r;

	(void)state;
	kx_strlist_add(&sent, "<20230301120000.1234-1-casey.contributor@"
			      "example.com>");
	one(run(&r, kx_rule_no_prev_version_link, msg, &env),
	    "no-prev-version-link-in-changelog", KX_SEV_WARNING,
	    "earlier version of this series");
	done(&r);
	/* another message, or no sent history: nothing to say */
	none(run(&r, kx_rule_no_prev_version_link,
		 BODY "Link: https://lore.kernel.org/r/bug@example.org\n",
		 &env));
	done(&r);
	none(run(&r, kx_rule_no_prev_version_link, msg, NULL));
	done(&r);
	kx_strlist_release(&sent);
}

static void test_rules_trailers__link_labelled_as_version(void **state)
{
	static const char *const bad[] = {
		"Link: v1: https://lore.kernel.org/r/20230301.1@a.com",
		"Link: https://lore.kernel.org/r/20230301.1@a.com # v2",
		"Link to v1: https://lore.kernel.org/r/20230301.1@a.com",
		"Link to the previous version: https://lore.kernel.org/r/x@y",
	};
	size_t i;
	struct run r;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *msg = kx_xasprintf("Subject\n\nDo the thing.\n%s\n",
					 bad[i]);

		one(run(&r, kx_rule_no_prev_version_link, msg, NULL),
		    "no-prev-version-link-in-changelog", KX_SEV_WARNING,
		    "cover letter");
		done(&r);
		free(msg);
	}
	/* "v1" inside the message-id is not a label, nor is a kernel */
	none(run(&r, kx_rule_no_prev_version_link,
		 BODY "Link: https://lore.kernel.org/r/20230301-v1-x@a.com\n"
		 "Link: https://lore.kernel.org/r/a@b.com # v6.1 regression\n",
		 NULL));
	done(&r);
}

/* --- signoff --- */

static void test_rules_trailers__signoff_by_author(void **state)
{
	static const char *const ok[] = {
		"Signed-off-by: " AUTHOR,
		/* the e-mail address decides, in any case */
		"Signed-off-by: C. Contributor <Casey.Contributor@Example.com>",
		/* or the name, with another address */
		"Signed-off-by: Casey Contributor <casey@work.example.org>",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct run r;
		char *msg = kx_xasprintf(BODY "Reviewed-by: R <r@example.com>\n"
					 "%s\n", ok[i]);

		none(run(&r, kx_rule_signoff, msg, NULL));
		done(&r);
		free(msg);
	}
}

static void test_rules_trailers__signoff_missing(void **state)
{
	struct run r;

	(void)state;
	/* the fixture's bad-style patch 5 */
	one(run(&r, kx_rule_signoff,
		"Subject\n\nWe don't need to cache cr0.\n\n"
		"Fixes: 1234abc KVM: x86: cache cr0\n", NULL),
	    "signoff", KX_SEV_ERROR, "no Signed-off-by");
	done(&r);
	one(run(&r, kx_rule_signoff, "Subject\n", NULL), "signoff",
	    KX_SEV_ERROR, "git commit --amend -s");
	done(&r);
}

static void test_rules_trailers__signoff_not_by_author(void **state)
{
	struct run r;

	(void)state;
	one(run(&r, kx_rule_signoff,
		BODY "Signed-off-by: Sean <sean@example.com>\n", NULL),
	    "signoff", KX_SEV_ERROR, "'" AUTHOR "'");
	done(&r);
}

static void test_rules_trailers__signoff_author_unknown(void **state)
{
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_patch p;

	(void)state;
	kx_patch_init(&p);
	kx_patch_set_message(&p, BODY "Signed-off-by: Sean <s@example.com>\n");
	kx_rule_signoff(&f, &p, NULL);
	none(&f);
	kx_patch_release(&p);
}

#define CODEV "Dana Developer <dana@example.com>"

static void test_rules_trailers__signoff_codev_paired(void **state)
{
	struct run r;

	(void)state;
	none(run(&r, kx_rule_signoff,
		 BODY "Co-developed-by: " CODEV "\n"
		 "Signed-off-by: " CODEV "\n"
		 "Signed-off-by: " AUTHOR "\n", NULL));
	done(&r);
	/* the same person by address alone, or by name alone */
	none(run(&r, kx_rule_signoff,
		 BODY "Co-developed-by: D. Developer <Dana@Example.com>\n"
		 "Signed-off-by: " CODEV "\n"
		 "Co-developed-by: Eve Else <eve@a.example.com>\n"
		 "Signed-off-by: Eve Else <eve@b.example.com>\n"
		 "Signed-off-by: " AUTHOR "\n", NULL));
	done(&r);
	/* indented: quoted text, not this patch's trailers */
	none(run(&r, kx_rule_signoff,
		 BODY "  Co-developed-by: " CODEV "\n"
		 "  Signed-off-by: Old Author\n\n"
		 "Signed-off-by: " AUTHOR "\n", NULL));
	done(&r);
}

static void test_rules_trailers__signoff_codev_unpaired(void **state)
{
	struct run r;

	(void)state;
	/* no sign-off of the co-author at all */
	one(run(&r, kx_rule_signoff,
		BODY "Co-developed-by: " CODEV "\n"
		"Signed-off-by: " AUTHOR "\n", NULL),
	    "signoff", KX_SEV_ERROR, "followed by the Signed-off-by: of '"
	    AUTHOR "', not of the co-author: put 'Signed-off-by: " CODEV
	    "' right after it");
	done(&r);
	/* the co-author's sign-off, but not immediately after */
	one(run(&r, kx_rule_signoff,
		BODY "Co-developed-by: " CODEV "\n"
		"Reviewed-by: R <r@example.com>\n"
		"Signed-off-by: " CODEV "\n"
		"Signed-off-by: " AUTHOR "\n", NULL),
	    "signoff", KX_SEV_ERROR, "'Co-developed-by: " CODEV "' is not "
	    "followed by the co-author's Signed-off-by: put 'Signed-off-by: "
	    CODEV "' on the line right after it");
	done(&r);
	/* last line of the message */
	one(run(&r, kx_rule_signoff,
		BODY "Signed-off-by: " AUTHOR "\n"
		"Co-developed-by: " CODEV "\n", NULL),
	    "signoff", KX_SEV_ERROR, "is not followed by");
	done(&r);
}

static void test_rules_trailers__signoff_without_email(void **state)
{
	static const char *const bad[] = {
		"Signed-off-by: Casey Contributor",
		"Signed-off-by: casey.contributor@example.com",
		"Signed-off-by: Casey Contributor <>",
		"Signed-off-by: Casey Contributor <casey.contributor>",
		"Signed-off-by: Casey Contributor <casey@example.com",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct run r;
		char *msg = kx_xasprintf(BODY "%s\n", bad[i]);
		char *want = kx_xasprintf("'%s' has no e-mail address in angle "
					  "brackets: write 'Signed-off-by: "
					  "Full Name <address>'", bad[i]);

		one(run(&r, kx_rule_signoff, msg, NULL), "signoff",
		    KX_SEV_ERROR, want);
		done(&r);
		free(want);
		free(msg);
	}
}

/* --- fixes-tag-exists --- */

static void test_rules_trailers__fix_without_fixes_tag_passes(void **state)
{
	static const char *const ok[] = {
		/* the tag is there */
		"KVM: x86: Fix a use-after-free in kvm_foo()\n\nFree it later.\n\n"
		"Fixes: " MMU_ID " (\"" MMU_SUBJ "\")\n"
		"Cc: stable@vger.kernel.org\n",
		/* fixes that fix no bug */
		"KVM: x86: Fix a comment\n\nSay what it does.\n",
		"KVM: x86: Fix typos in kvm_foo()\n\nSpell them right.\n",
		/* a feature named "bug" is no BUG */
		"KVM: x86: Fix reporting of the speculation bug leaf\n\nReport it.\n",
		/* adding a WARN fixes nothing */
		"KVM: x86: Add a WARN on a bad state\n\nCatch it.\n",
		/* words of bugs in the prose: a judgement left to the author */
		"KVM: x86: Rework kvm_foo()\n\nThe old code had a bug and could "
		"leak or crash.\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct run r;
		char *msg = kx_xasprintf("%sSigned-off-by: " AUTHOR "\n", ok[i]);

		none(run(&r, kx_rule_fixes_tag_exists, msg, NULL));
		done(&r);
		free(msg);
	}
}

static void test_rules_trailers__fix_without_fixes_tag_advised(void **state)
{
	static const struct {
		const char *msg, *want;
	} bad[] = {
		{ "KVM: x86: Fix a use-after-free in kvm_foo()\n\nFree it later.\n",
		  "the shortlog fixes a 'use-after-free' but there is no Fixes: "
		  "tag: name the commit that brought the bug, 'Fixes: <12+ hex> "
		  "(\"<subject>\")', even if no backport is needed" },
		{ "KVM: nVMX: Avoid a NULL pointer dereference on VM-Exit\n\nCheck.\n",
		  "the shortlog fixes a 'NULL pointer'" },
		{ "KVM: x86: Fix WARN_ON in kvm_foo()\n\nDon't.\n",
		  "the shortlog fixes a 'WARN_ON'" },
		{ BODY "Cc: stable@vger.kernel.org\n",
		  "the changelog has 'stable@vger.kernel.org'" },
		{ BODY "  BUG: KASAN: slab-out-of-bounds in kvm_foo+0x12/0x40\n\n",
		  "the changelog has 'BUG: KASAN:'" },
		{ BODY "  Call Trace:\n   kvm_foo+0x12/0x40\n\n",
		  "the changelog has 'Call Trace:'" },
		{ BODY "Reported-by: syzbot+0123abcd@syzkaller.appspotmail.com\n",
		  "the changelog has 'syzkaller'" },
		/* a Fixes: below the "---" is no tag */
		{ BODY "Cc: stable@vger.kernel.org\n---\nFixes: " MMU_ID "\n",
		  "no Fixes: tag" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct run r;

		one(run(&r, kx_rule_fixes_tag_exists, bad[i].msg, NULL),
		    "fixes-tag-exists", KX_SEV_ADVICE, bad[i].want);
		done(&r);
	}
}

static void test_rules_trailers__fix_of_other_arch_skipped(void **state)
{
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_patch p;

	(void)state;
	kx_patch_init(&p);
	kx_patch_set_message(&p, "KVM: arm64: Fix a use-after-free\n\nDo.\n");
	kx_patch_add_file(&p, "arch/arm64/kvm/mmu.c");
	kx_rule_fixes_tag_exists(&f, &p, NULL);
	none(&f);
	/* with x86 code beside it, the handbook applies */
	kx_patch_add_file(&p, "arch/x86/kvm/x86.c");
	kx_rule_fixes_tag_exists(&f, &p, NULL);
	assert_int_equal(f.nr, 1);
	kx_findings_release(&f);
	kx_patch_release(&p);
}

/* --- link-for-bug-report --- */

#define REPORTER "Reported-by: Rita Reporter <rita@example.com>"
#define REPORT_URL "https://lore.kernel.org/r/20240101000000.1234-1-rita@example.com"

static void test_rules_trailers__report_linked(void **state)
{
	static const char *const ok[] = {
		REPORTER "\nCloses: " REPORT_URL "\n",
		REPORTER "\nLink: " REPORT_URL "\n",
		/* a bug tracker is a report too */
		REPORTER "\nCloses: https://bugzilla.kernel.org/show_bug.cgi?id=1\n",
		/* several reporters of one report share its link */
		REPORTER "\nReported-and-tested-by: Tess <t@example.com>\n"
		"Closes: " REPORT_URL "\n",
		/* the link right above the tag, as older patches had it */
		"Link: " REPORT_URL "\n" REPORTER "\n",
		/* no report, nothing to link */
		"Reviewed-by: R <r@example.com>\n",
		/* an indented tag is quoted text, not a trailer */
		"    " REPORTER "\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct run r;
		char *msg = kx_xasprintf(BODY "%sSigned-off-by: " AUTHOR "\n",
					 ok[i]);

		none(run(&r, kx_rule_link_for_bug_report, msg, NULL));
		done(&r);
		free(msg);
	}
}

static void test_rules_trailers__report_not_linked(void **state)
{
	static const char *const bad[] = {
		/* no link at all */
		REPORTER "\nSigned-off-by: " AUTHOR "\n",
		/* a link, but not to the report: the patch's own, below */
		REPORTER "\nSigned-off-by: " AUTHOR "\nLink: " REPORT_URL "\n",
		/* a Closes: without a URL */
		REPORTER "\nCloses: the report of last week\n",
		/* last line of the message */
		"Signed-off-by: " AUTHOR "\n" REPORTER "\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct run r;
		char *msg = kx_xasprintf(BODY "%s", bad[i]);

		one(run(&r, kx_rule_link_for_bug_report, msg, NULL),
		    "link-for-bug-report", KX_SEV_ADVICE,
		    "'" REPORTER "' is not followed by a link to the report: "
		    "add 'Closes: <url>' right after it");
		done(&r);
		free(msg);
	}
	/* each run of reporters is its own report */
	{
		struct run r;

		run(&r, kx_rule_link_for_bug_report,
		    BODY REPORTER "\nCloses: " REPORT_URL "\n"
		    "Reported-by: Kit <kit@example.com>\n"
		    "Signed-off-by: " AUTHOR "\n", NULL);
		assert_int_equal(r.f.nr, 1);
		assert_non_null(strstr(r.f.items[0].message, "Kit"));
		done(&r);
	}
}

/* --- no-combined-tags --- */

static void test_rules_trailers__combined_tags(void **state)
{
	struct run r;

	(void)state;
	none(run(&r, kx_rule_no_combined_tags,
		 BODY "Reported-by: Rita Reporter <rita@example.com>\n"
		 "Tested-by: Rita Reporter <rita@example.com>\n"
		 "Signed-off-by: " AUTHOR "\n", NULL));
	done(&r);
	one(run(&r, kx_rule_no_combined_tags,
		BODY "Reported-and-tested-by: Rita Reporter <rita@example.com>\n"
		"Signed-off-by: " AUTHOR "\n", NULL),
	    "no-combined-tags", KX_SEV_ADVICE,
	    "'Reported-and-tested-by: Rita Reporter <rita@example.com>' "
	    "combines tags: write 'Reported-by:' and 'Tested-by:', each on a "
	    "line of its own");
	done(&r);
	one(run(&r, kx_rule_no_combined_tags,
		BODY "Suggested-and-Acked-by: Sam <sam@example.com>\n"
		"Signed-off-by: " AUTHOR "\n", NULL),
	    "no-combined-tags", KX_SEV_ADVICE,
	    "write 'Suggested-by:' and 'Acked-by:'");
	done(&r);
}

static void test_rules_trailers__combined_tags_edge_cases(void **state)
{
	struct run r;

	(void)state;
	/* indented (quoted) text, prose, and below "---" are no tags */
	none(run(&r, kx_rule_no_combined_tags,
		 BODY "As the report said:\n\n"
		 "    Reported-and-tested-by: Rita <rita@example.com>\n\n"
		 "Rita reported-and-tested-by: hand, she says.\n\n"
		 "Signed-off-by: " AUTHOR "\n---\n"
		 "Reported-and-tested-by: Rita <rita@example.com>\n", NULL));
	done(&r);
	/* a token with "and" inside a word, not as a part */
	none(run(&r, kx_rule_no_combined_tags,
		 BODY "Handed-by: Kit <kit@example.com>\n"
		 "Signed-off-by: " AUTHOR "\n", NULL));
	done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_trailers__fixes_well_formed),
		cmocka_unit_test(test_rules_trailers__fixes_short_id_unquoted),
		cmocka_unit_test(test_rules_trailers__fixes_malformed),
		cmocka_unit_test(test_rules_trailers__fixes_split_across_lines),
		cmocka_unit_test(test_rules_trailers__fixes_target_checked),
		cmocka_unit_test(test_rules_trailers__cc_stable_well_formed),
		cmocka_unit_test(test_rules_trailers__cc_stable_variants),
		cmocka_unit_test(test_rules_trailers__cc_stable_in_prose),
		cmocka_unit_test(test_rules_trailers__fixes_without_cc_stable),
		cmocka_unit_test(test_rules_trailers__lore_links_accepted),
		cmocka_unit_test(test_rules_trailers__other_archives_warn),
		cmocka_unit_test(test_rules_trailers__lore_link_malformed),
		cmocka_unit_test(test_rules_trailers__other_list_paths_pass),
		cmocka_unit_test(test_rules_trailers__link_to_sent_version),
		cmocka_unit_test(test_rules_trailers__link_labelled_as_version),
		cmocka_unit_test(test_rules_trailers__signoff_by_author),
		cmocka_unit_test(test_rules_trailers__signoff_missing),
		cmocka_unit_test(test_rules_trailers__signoff_not_by_author),
		cmocka_unit_test(test_rules_trailers__signoff_author_unknown),
		cmocka_unit_test(test_rules_trailers__signoff_codev_paired),
		cmocka_unit_test(test_rules_trailers__signoff_codev_unpaired),
		cmocka_unit_test(test_rules_trailers__signoff_without_email),
		cmocka_unit_test(test_rules_trailers__fix_without_fixes_tag_passes),
		cmocka_unit_test(test_rules_trailers__fix_without_fixes_tag_advised),
		cmocka_unit_test(test_rules_trailers__fix_of_other_arch_skipped),
		cmocka_unit_test(test_rules_trailers__report_linked),
		cmocka_unit_test(test_rules_trailers__report_not_linked),
		cmocka_unit_test(test_rules_trailers__combined_tags),
		cmocka_unit_test(test_rules_trailers__combined_tags_edge_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
