// SPDX-License-Identifier: GPL-2.0-only
/* The rule table: one row a rule; docs/rules.md describes each. */
#include <stdlib.h>
#include <string.h>

#include "kvmx86/rules.h"
#include "kvmx86/suggest.h"

const struct kx_rule kx_rules[] = {
	{ "shortlog-prefix", KX_SEV_WARNING,
	  "KVM code takes a 'KVM: <topic>:' prefix, common code 'KVM:'",
	  kx_rule_shortlog_prefix, NULL },
	{ "shortlog-topic-known", KX_SEV_WARNING,
	  "the topic is one of the handbook's",
	  kx_rule_shortlog_topic_known, NULL },
	{ "shortlog-case", KX_SEV_ERROR,
	  "prefix names are case-sensitive: 'KVM: x86:', not 'kvm: x86:'",
	  kx_rule_shortlog_case, NULL },
	{ "no-x86-kvm-prefix", KX_SEV_ERROR,
	  "'x86/kvm:' is only for Linux-as-a-guest code",
	  kx_rule_no_x86_kvm_prefix, NULL },
	{ "no-file-path-prefix", KX_SEV_ERROR,
	  "no file names or paths as the prefix",
	  kx_rule_no_file_path_prefix, NULL },
	{ "topic-from-files", KX_SEV_WARNING,
	  "the topic matches what the files imply",
	  kx_rule_topic_from_files, NULL },
	{ "shortlog-capitalize", KX_SEV_WARNING,
	  "capitalise the first word after the prefix",
	  kx_rule_shortlog_capitalize, NULL },
	{ "shortlog-punctuation", KX_SEV_ERROR,
	  "no ending punctuation in the shortlog",
	  kx_rule_shortlog_punctuation, NULL },
	{ "shortlog-mailable", KX_SEV_ERROR,
	  "the shortlog is text a mail's Subject: can carry",
	  kx_rule_shortlog_mailable, NULL },
	{ "shortlog-length-75", KX_SEV_WARNING,
	  "75 columns is the firm limit of a shortlog, 80 the hard one",
	  kx_rule_shortlog_length, NULL },
	{ "shortlog-imperative", KX_SEV_WARNING,
	  "the shortlog's verb is imperative: 'Add', not 'Adds' or 'Added'",
	  kx_rule_shortlog_imperative, NULL },
	{ "shortlog-no-tool-name", KX_SEV_WARNING,
	  "the shortlog says what changes, not which tool found the problem",
	  kx_rule_shortlog_no_tool_name, NULL },
	{ "shortlog-unique-in-series", KX_SEV_WARNING,
	  "no two patches of a series share a shortlog",
	  NULL, kx_rule_shortlog_unique_in_series },
	{ "changelog-nonempty", KX_SEV_ERROR,
	  "a changelog says what changes and why",
	  kx_rule_changelog_nonempty, NULL },
	{ "empty-commit", KX_SEV_ERROR,
	  "a patch changes something: no mail carries an empty commit",
	  kx_rule_empty_commit, NULL },
	{ "changelog-imperative", KX_SEV_WARNING,
	  "the changelog describes the change in imperative mood",
	  kx_rule_changelog_imperative, NULL },
	{ "changelog-no-pronouns", KX_SEV_WARNING,
	  "no we, I, you, our or 'this patch' in the changelog",
	  kx_rule_changelog_no_pronouns, NULL },
	{ "changelog-what-first", KX_SEV_ADVICE,
	  "lead with what changes, then the background (KVM x86 order)",
	  kx_rule_changelog_what_first, NULL },
	{ "changelog-wrap-75", KX_SEV_WARNING,
	  "wrap the changelog at 75 columns",
	  kx_rule_changelog_wrap, NULL },
	{ "changelog-not-shortlog", KX_SEV_WARNING,
	  "the changelog says more than the shortlog: why, and what",
	  kx_rule_changelog_not_shortlog, NULL },
	{ "function-parens", KX_SEV_WARNING,
	  "write function names as function()",
	  kx_rule_function_parens, NULL },
	{ "commit-ref-format", KX_SEV_ERROR,
	  "refer to commits as <12+ hex> (\"subject\")",
	  kx_rule_commit_ref_format, NULL },
	{ "fixes-tag-format", KX_SEV_ERROR,
	  "Fixes: <12+ hex> (\"subject\"), naming an existing commit",
	  kx_rule_fixes_tag_format, NULL },
	{ "fixes-tag-exists", KX_SEV_ADVICE,
	  "a bug fix names the commit it fixes with Fixes:",
	  kx_rule_fixes_tag_exists, NULL },
	{ "cc-stable", KX_SEV_WARNING,
	  "backports are asked for with exactly 'Cc: stable@vger.kernel.org'",
	  kx_rule_cc_stable, NULL },
	{ "no-sdm-section-numbers", KX_SEV_ERROR,
	  "no SDM/APM section, table or figure numbers",
	  kx_rule_no_sdm_section_numbers, NULL },
	{ "no-sdm-copy-in-comments", KX_SEV_ADVICE,
	  "comments say what KVM does in their own words, not the SDM's or APM's",
	  kx_rule_no_sdm_copy_in_comments, NULL },
	{ "lore-link-format", KX_SEV_WARNING,
	  "Link: goes to lore",
	  kx_rule_lore_link_format, NULL },
	{ "no-prev-version-link-in-changelog", KX_SEV_WARNING,
	  "earlier versions are linked from the cover letter, not the changelog",
	  kx_rule_no_prev_version_link, NULL },
	{ "link-for-bug-report", KX_SEV_ADVICE,
	  "Reported-by: is followed by a Closes: or Link: to the report",
	  kx_rule_link_for_bug_report, NULL },
	{ "version-notes-below-separator", KX_SEV_WARNING,
	  "version notes go below the '---' line",
	  kx_rule_version_notes, NULL },
	{ "no-combined-tags", KX_SEV_ADVICE,
	  "one tag a line: 'Reported-by:' and 'Tested-by:', not 'Reported-and-tested-by:'",
	  kx_rule_no_combined_tags, NULL },
	{ "signoff", KX_SEV_ERROR,
	  "the author signs off",
	  kx_rule_signoff, NULL },
	{ "no-kernel-doc", KX_SEV_WARNING,
	  "no kernel-doc comments on KVM functions",
	  kx_rule_no_kernel_doc, NULL },
	{ "reverse-fir-tree", KX_SEV_ADVICE,
	  "a new function's declarations longest first (reverse fir tree)",
	  kx_rule_reverse_fir_tree, NULL },
	{ "tip-comment-style", KX_SEV_ADVICE,
	  "no tail comments after code: comments on lines of their own",
	  kx_rule_tip_tail_comment, NULL },
	{ "tip-brackets", KX_SEV_ADVICE,
	  "braces around a body that is not truly a single line",
	  kx_rule_tip_brackets, NULL },
	{ "tip-misc-style", KX_SEV_ADVICE,
	  "'unsigned int', not 'unsigned'; lines within 100 columns",
	  kx_rule_tip_misc_style, NULL },
	{ "comments-imperative-no-pronouns", KX_SEV_ADVICE,
	  "comments are in imperative mood, without pronouns",
	  kx_rule_comments_no_pronouns, NULL },
	{ "split-selftests", KX_SEV_ADVICE,
	  "selftests and KVM changes go in separate patches of one series",
	  kx_rule_split_selftests, NULL },
	{ "security-process", KX_SEV_ADVICE,
	  "vulnerabilities go to security@kernel.org before the lists",
	  kx_rule_security_process, NULL },
	{ "build-each-commit", KX_SEV_ADVICE,
	  "every commit builds with KVM_INTEL=m KVM_AMD=m KVM_WERROR=y (reminder)",
	  NULL, kx_rule_testing_reminders },
	{ "build-extra-knobs", KX_SEV_ADVICE,
	  "code that KVM_SMM=n, KVM_XEN=y, PROVE_LOCKING=y or i386 builds differently is built so too",
	  NULL, kx_rule_build_extra_knobs },
	{ "kut-separate", KX_SEV_ERROR,
	  "kvm-unit-tests patches are posted separately",
	  NULL, kx_rule_kut_separate },
	/* reported by lib/io/check.c from check-base, tunable like the rest */
	{ "base-choice", KX_SEV_ERROR,
	  "the series sits on the base the handbook asks for",
	  NULL, NULL },
	{ "base-trailer", KX_SEV_WARNING,
	  "base-commit: names a public commit; what lies between is a prerequisite",
	  NULL, NULL },
	{ "co-post-selftests", KX_SEV_ADVICE,
	  "selftests go out in one series with the KVM changes they test",
	  NULL, NULL },
	/* reported by kx_rule_cover_letter() on the cover letter's text */
	{ "link-not-in-reply-to", KX_SEV_ERROR,
	  "no In-Reply-To to earlier versions or bug reports: link them instead",
	  NULL, NULL },
	{ "cover-template-text", KX_SEV_ERROR,
	  "no template text (EDITME, *** BLURB HERE ***) left in the cover letter",
	  NULL, NULL },
	{ "cover-letter-lore-links", KX_SEV_ADVICE,
	  "the cover letter of v2 and later links the earlier versions on lore",
	  NULL, NULL },
	{ "patch-count-15", KX_SEV_ADVICE,
	  "a series of more than 15 patches is hard to review",
	  NULL, kx_rule_patch_count },
	{ "rfc-untested-feature", KX_SEV_WARNING,
	  "new uapi comes with selftests, or the series is tagged RFC",
	  NULL, kx_rule_rfc_untested_feature },
	{ "resend-only-unmodified", KX_SEV_WARNING,
	  "RESEND only for a series sent again unmodified",
	  NULL, kx_rule_resend_only_unmodified },
	{ "reroll-version-tag", KX_SEV_WARNING,
	  "each new version carries a greater vN than any sent",
	  NULL, kx_rule_reroll_version_tag },
	{ "selftest-order", KX_SEV_WARNING,
	  "new tests after the KVM fixes, test updates before the KVM changes",
	  NULL, kx_rule_selftest_order },
};
const size_t kx_rules_nr = sizeof(kx_rules) / sizeof(kx_rules[0]);

const struct kx_rule *kx_rule_find(const char *id)
{
	size_t i;

	for (i = 0; i < kx_rules_nr; i++)
		if (!strcmp(kx_rules[i].id, id))
			return &kx_rules[i];
	/* rules reporting under more than one id */
	if (!strcmp(id, "shortlog-length-80"))
		return kx_rule_find("shortlog-length-75");
	if (!strcmp(id, "run-selftests-kut") || !strcmp(id, "shadow-paging-tdp-disabled") ||
	    !strcmp(id, "module-param-testing") || !strcmp(id, "rst-htmldocs"))
		return kx_rule_find("build-each-commit");
	return NULL;
}

const char *kx_rule_suggest(const char *id)
{
	/* the ids findings carry besides the table's own */
	static const char *const more[] = {
		"shortlog-length-80", "run-selftests-kut",
		"shadow-paging-tdp-disabled", "module-param-testing", "rst-htmldocs",
	};
	const char **ids = kx_xcalloc(kx_rules_nr + ARRAY_SIZE(more), sizeof(*ids));
	const char *best;
	size_t i;

	for (i = 0; i < kx_rules_nr; i++)
		ids[i] = kx_rules[i].id;
	for (i = 0; i < ARRAY_SIZE(more); i++)
		ids[kx_rules_nr + i] = more[i];
	best = kx_suggest(id, ids, kx_rules_nr + ARRAY_SIZE(more));
	free(ids);
	return best;
}

void kx_rules_run(struct kx_findings *out, const struct kx_patch *patches,
		  size_t nr, const struct kx_rule_env *env)
{
	size_t i, r;

	for (i = 0; i < nr; i++) {
		memcpy(out->commit, patches[i].id, sizeof(out->commit));
		for (r = 0; r < kx_rules_nr; r++)
			if (kx_rules[r].patch)
				kx_rules[r].patch(out, &patches[i], env);
	}
	out->commit[0] = '\0';
	for (r = 0; r < kx_rules_nr; r++)
		if (kx_rules[r].series)
			kx_rules[r].series(out, patches, nr, env);
}
