/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The rules of the KVM x86 handbook.  Each is pure: a patch (or a series)
 * and the environment in, findings out.  The ids are the rule catalog's.
 */
#ifndef KVMX86_RULES_H
#define KVMX86_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/findings.h"
#include "kvmx86/patch.h"

/* Checks one patch; adds findings to out. */
typedef void (*kx_patch_rule_fn)(struct kx_findings *out,
				 const struct kx_patch *p,
				 const struct kx_rule_env *env);

/* Checks the series as a whole (patches oldest first). */
typedef void (*kx_series_rule_fn)(struct kx_findings *out,
				  const struct kx_patch *patches, size_t nr,
				  const struct kx_rule_env *env);

struct kx_rule {
	const char *id;
	enum kx_severity severity;	/* the default, for docs and config */
	const char *summary;
	kx_patch_rule_fn patch;		/* one of patch, series */
	kx_series_rule_fn series;
};

/* The rule table, and its length. */
extern const struct kx_rule kx_rules[];
extern const size_t kx_rules_nr;

/* Returns the rule called id, or NULL. */
const struct kx_rule *kx_rule_find(const char *id);

/*
 * Runs every rule on each patch (setting out->commit) and the series
 * rules once (commit "").
 */
void kx_rules_run(struct kx_findings *out, const struct kx_patch *patches,
		  size_t nr, const struct kx_rule_env *env);

/* --- the topic of a commit (catalog section 2) --- */

/*
 * Returns the shortlog prefix the files of p imply ("KVM: nVMX:",
 * "KVM: x86/mmu:", "KVM: selftests:", "KVM:" for common code, "KVM: arm64:",
 * "x86/kvm:" for guest-side code...), or NULL when no path maps to a topic;
 * *reason (caller frees) says why.  Returned string is static.
 */
const char *kx_topic_from_files(const struct kx_patch *p, char **reason);

/*
 * Whether p's files leave the topic to history: no path maps to a node of
 * the tree or to the guest side, only shared files (asm/vmx.h, evmcs,
 * Hyper-V), tip or other code do.  Adds the paths to look up to paths
 * (those that carry a topic at all: not MAINTAINERS or KVM docs, unless
 * nothing else).
 */
bool kx_topic_ambiguous(const struct kx_patch *p, struct kx_strlist *paths);

/* --- rule families, one file each in lib/core/rules/ --- */

/* shortlog.c */
void kx_rule_shortlog_prefix(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_shortlog_topic_known(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_shortlog_case(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_no_x86_kvm_prefix(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_no_file_path_prefix(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_topic_from_files(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_shortlog_capitalize(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_shortlog_punctuation(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_shortlog_length(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_shortlog_unique_in_series(struct kx_findings *, const struct kx_patch *, size_t, const struct kx_rule_env *);

/* trailers.c, changelog.c, code.c */
void kx_rule_changelog_nonempty(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_function_parens(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_commit_ref_format(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_fixes_tag_format(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_cc_stable(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_no_sdm_section_numbers(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_lore_link_format(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_no_prev_version_link(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_signoff(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_no_kernel_doc(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_split_selftests(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);

/* prose.c: mood, pronouns, the KVM order, wrapping, version notes */
void kx_rule_shortlog_imperative(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_changelog_imperative(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_changelog_no_pronouns(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_changelog_what_first(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_changelog_wrap(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_changelog_not_shortlog(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_version_notes(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_security_process(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_comments_no_pronouns(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);

/* words.c: the verbs the prose rules know */

/*
 * Returns the base form of a known verb if word (n bytes, any case) is its
 * third-person, past or -ing form, setting *form to 's', 'd' or 'g'; else
 * NULL.  "Process", "Access" or "Embed" are bases, never forms.
 */
const char *kx_words_verb_form(const char *word, size_t n, char *form);

/* Returns the known verb (static) whose base form word is, any case, or NULL. */
const char *kx_words_verb_base(const char *word, size_t n);

/* Returns the base form of the i-th known verb, NULL past the last. */
const char *kx_words_verb(size_t i);

/* series.c: series-wide rules and the testing reminders */
void kx_rule_testing_reminders(struct kx_findings *, const struct kx_patch *, size_t, const struct kx_rule_env *);
void kx_rule_kut_separate(struct kx_findings *, const struct kx_patch *, size_t, const struct kx_rule_env *);
void kx_rule_patch_count(struct kx_findings *, const struct kx_patch *, size_t, const struct kx_rule_env *);

/*
 * base-trailer (reported by io, from check-base's facts): the series sits
 * on nr commits no KVM tree has (ids and subjects, oldest first) above
 * fork, the published commit that git format-patch --base names; each
 * becomes a prerequisite-patch-id line, so one finding lists them.
 */
void kx_rule_base_trailer(struct kx_findings *out, const char *fork,
			  const char *const *ids, const char *const *subjects,
			  size_t nr);

/* order.c: selftests and KVM changes in a bisect-safe order */
void kx_rule_selftest_order(struct kx_findings *, const struct kx_patch *, size_t, const struct kx_rule_env *);

#endif
