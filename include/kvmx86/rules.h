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

/* Returns the rule id (static) a mistyped id likely meant, or NULL. */
const char *kx_rule_suggest(const char *id);

/*
 * Runs every rule on each patch (setting out->commit) and the series
 * rules once (commit "").
 */
void kx_rules_run(struct kx_findings *out, const struct kx_patch *patches,
		  size_t nr, const struct kx_rule_env *env);

/* --- the topic of a commit (catalog sections 1 to 3) --- */

/* What a suggested topic rests on, firmest first. */
enum kx_topic_basis {
	KX_TOPIC_FILES,		/* files with a topic of their own */
	KX_TOPIC_HISTORY,	/* the latest commits touching files that
				   leave it open (git log path/to/file) */
	KX_TOPIC_HINT,		/* files that leave it open, and no majority
				   in history: the topic they hint at */
	KX_TOPIC_GUEST,		/* Linux as a KVM guest: tip's x86/kvm: */
	KX_TOPIC_TIP,		/* arch/x86 code outside KVM: a path guess */
	KX_TOPIC_OUTSIDE,	/* outside KVM and arch/x86: a path guess */
	KX_TOPIC_NONE,		/* no changed files */
};

struct kx_topic {
	char *prefix;		/* always set: "KVM: nVMX:", "KVM:",
				   "x86/kvm:", "x86/cpu:"... */
	char *reason;		/* always set: why */
	const char *span;	/* static; the broadest topic that is still
				   the files' own (their common ancestor),
				   when the prefix is narrower; or NULL */
	enum kx_topic_basis basis;
	bool kvm;		/* KVM code: a KVM prefix is expected */
	bool tip_ok;		/* shared with code outside KVM: a tip
				   prefix is fine too */
	bool guest_ok;		/* the ABI shared with guests: x86/kvm: is
				   fine too */
	bool ambiguous;		/* the files leave it to history */
};

/*
 * The shortlog prefix for p: the one answer that --suggest-topic prints
 * and the shortlog rules compare subjects with.  Every path of KVM
 * (arch/x86/kvm/, the KVM headers, asm/vmx.h and asm/svm.h, the
 * selftests, virt/kvm/) gives a handbook topic, or "KVM:" for common
 * code; files that leave it open ask env->history_topic when env has it.
 * Fills out (kx_topic_release() frees it).
 */
void kx_topic_suggest(struct kx_topic *out, const struct kx_patch *p,
		      const struct kx_rule_env *env);

/* Frees what t owns and empties it. */
void kx_topic_release(struct kx_topic *t);

/* Returns "files", "history", "hint", "guest", "tip", "outside", "none". */
const char *kx_topic_basis_name(enum kx_topic_basis basis);

/*
 * Whether p's files leave the topic to history (kx_topic_suggest() then
 * asks it); adds the paths to look up to paths (those that carry a topic
 * at all: not MAINTAINERS or KVM docs, unless nothing else).
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
void kx_rule_shortlog_mailable(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_shortlog_length(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_shortlog_no_tool_name(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_shortlog_unique_in_series(struct kx_findings *, const struct kx_patch *, size_t, const struct kx_rule_env *);

/* trailers.c, changelog.c, code.c */
void kx_rule_changelog_nonempty(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_empty_commit(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_function_parens(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_commit_ref_format(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_fixes_tag_format(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_fixes_tag_exists(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_cc_stable(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_no_sdm_section_numbers(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_lore_link_format(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_no_prev_version_link(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_signoff(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_link_for_bug_report(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_no_kernel_doc(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_split_selftests(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_tip_tail_comment(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_reverse_fir_tree(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_no_combined_tags(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);

/* style.c: SDM/APM text in comments, tip's brackets and mechanical notes */
void kx_rule_no_sdm_copy_in_comments(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_tip_brackets(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);
void kx_rule_tip_misc_style(struct kx_findings *, const struct kx_patch *, const struct kx_rule_env *);

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
void kx_rule_rfc_untested_feature(struct kx_findings *, const struct kx_patch *, size_t, const struct kx_rule_env *);
void kx_rule_resend_only_unmodified(struct kx_findings *, const struct kx_patch *, size_t, const struct kx_rule_env *);
void kx_rule_reroll_version_tag(struct kx_findings *, const struct kx_patch *, size_t, const struct kx_rule_env *);
void kx_rule_build_extra_knobs(struct kx_findings *, const struct kx_patch *, size_t, const struct kx_rule_env *);

/*
 * base-trailer (reported by io, from check-base's facts): the series sits
 * on nr commits no KVM tree has (ids and subjects, oldest first) above
 * fork, the published commit that git format-patch --base names; each
 * becomes a prerequisite-patch-id line, so one finding lists them.
 */
void kx_rule_base_trailer(struct kx_findings *out, const char *fork,
			  const char *const *ids, const char *const *subjects,
			  size_t nr);

/*
 * co-post-selftests (reported by io, from check-base's facts): a series s
 * whose own commits (after its first prerequisites, those no KVM tree
 * has) change only the KVM selftests, on prerequisites that change KVM
 * code: the tests and the KVM changes go out as one series.
 */
struct kx_series;
void kx_rule_co_post_selftests(struct kx_findings *out, const struct kx_series *s,
			       size_t prerequisites);

/*
 * coverletter.c: the cover letter's own text (the state's subject and
 * body; either may be NULL): In-Reply-To to earlier versions
 * (link-not-in-reply-to), SDM/APM section numbers, template text left in
 * (cover-template-text), and with required (an enrolled series of more
 * than one patch) a subject or text not written yet (cover-template-text:
 * git format-patch would fill them with its own) and, from v2 on, an
 * earlier version neither linked from the text nor recorded with a
 * message-id in env (cover-letter-lore-links).  Its findings are the
 * series' (commit "").
 */
/*
 * Returns the template text left in s (static: git's "*** SUBJECT HERE
 * ***", b4's help lines, EDITME as a word), or NULL; s may be NULL.
 */
const char *kx_cover_template_in(const char *s);

void kx_rule_cover_letter(struct kx_findings *out, const char *subject,
			  const char *body, bool required,
			  const struct kx_rule_env *env);

/* order.c: selftests and KVM changes in a bisect-safe order */
void kx_rule_selftest_order(struct kx_findings *, const struct kx_patch *, size_t, const struct kx_rule_env *);

#endif
