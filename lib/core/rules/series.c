// SPDX-License-Identifier: GPL-2.0-only
/*
 * Series-wide rules and the handbook's testing reminders.  Reminders are
 * advice: nothing the user cannot prove from kvmx86 blocks a send; a
 * failure `kvmx86 test` recorded for a commit of the series is an error,
 * and a command it recorded passing at every commit answers the build
 * reminder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/rules.h"
#include "kvmx86/series.h"
#include "kvmx86/testing.h"
#include "ctext.h"

/* kvmx86 test's selftests and kvm-unit-tests steps (not the build) */
static bool is_test_kind(const char *kind)
{
	return kind && (!strcmp(kind, "selftests") || !strcmp(kind, "kvm-unit-tests"));
}

/* Whether a and b are records of one test: command and configuration. */
static bool same_test(const struct kx_test_record *a,
		      const struct kx_test_record *b)
{
	return !strcmp(a->command, b->command) &&
	       (a->config == b->config ||
		(a->config && b->config && !strcmp(a->config, b->config)));
}

/* Returns true if commit a comes before commit b in the series. */
static bool earlier(const struct kx_patch *patches, size_t nr, const char *a,
		    const char *b)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		if (!strcmp(patches[i].id, a))
			return strcmp(a, b) != 0;
		if (!strcmp(patches[i].id, b))
			return false;
	}
	return false;
}

/* Module parameters of KVM x86 whose settings change what code runs. */
static const char *const module_params[] = {
	"tdp_mmu_enabled", "tdp_enabled", "enable_ept", "enable_vpid",
	"enable_unrestricted_guest", "enable_apicv", "enable_pml",
	"enable_preemption_timer", "enable_ipiv", "flexpriority_enabled",
	"enable_ept_ad_bits", "npt_enabled", "nested", "avic", "vls", "vgif",
	"lbrv", "enable_pmu", "enable_mediated_pmu", "ignore_msrs",
	"report_ignored_msrs", "kvmclock_periodic_sync", "nx_huge_pages",
	"enable_vmware_backdoor", "force_emulation_prefix", "pi_inject_timer",
	"mitigate_smt_rsb", "eager_page_split", "allow_smaller_maxphyaddr",
	"enable_shadow_vmcs", "pause_filter_count", "dump_invalid_vmcs",
	"sev_enabled", "sev_es_enabled", "intercept_smi",
};

static bool is_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

struct word_use {
	const char *line, *word;
	bool found;
};

/*
 * kx_c_run_fn: does a run of code use the identifier word (in data), not
 * as part of a longer one nor as a struct member (svm->nested is no module
 * parameter)?  Literals and comments do not count: pr_debug("nested vmx
 * abort") names no module parameter.
 */
static void find_word(enum kx_c_kind kind, const char *s, size_t len, void *data)
{
	struct word_use *u = data;
	size_t n = strlen(u->word);
	const char *p;

	if (kind != KX_C_CODE || u->found || len < n)
		return;
	for (p = s; p + n <= s + len; p++)
		if (!strncmp(p, u->word, n) &&
		    (p == u->line || (!is_ident_char(p[-1]) && p[-1] != '.' &&
				      p[-1] != '>')) && !is_ident_char(p[n])) {
			u->found = true;
			return;
		}
}

/* Does the code of line use word as a whole word (find_word())? */
static bool uses_word(const char *line, const char *word, bool *in_block)
{
	struct word_use u = { line, word, false };

	kx_c_line_runs(line, in_block, find_word, &u);
	return u.found;
}

static bool is_comment_or_blank(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	return !*line || !strncmp(line, "/*", 2) || *line == '*' ||
	       !strncmp(line, "//", 2);
}

/* Does the patch change anything but comments and blank lines in code? */
static bool changes_code(const struct kx_patch_file *f)
{
	size_t i;

	for (i = 0; i < f->added.nr; i++)
		if (!is_comment_or_blank(f->added.items[i]))
			return true;
	for (i = 0; i < f->removed.nr; i++)
		if (!is_comment_or_blank(f->removed.items[i]))
			return true;
	return false;
}

static bool is_kvm_code(const struct kx_patch_file *f)
{
	return (f->area == KX_AREA_X86 || f->area == KX_AREA_COMMON) &&
	       strncmp(f->path, "Documentation/", 14) && changes_code(f);
}

/*
 * Does the file change what runs, not only names and declarations?  Its
 * removed and added lines, paired in order as one hunk, are classified as
 * kx_classify_hunk() does for the base decision: a series of renames and
 * header declarations has the handbook's "negligible probability of
 * affecting runtime behavior" (it still has to build).
 */
static bool changes_logic(const struct kx_patch_file *f)
{
	unsigned counts[KX_LINE__COUNT] = { 0 };
	struct kx_diff_line *lines;
	size_t i, n = f->removed.nr + f->added.nr;

	if (!n)
		return false;
	lines = kx_xcalloc(n, sizeof(*lines));
	for (i = 0; i < f->removed.nr; i++)
		lines[i] = (struct kx_diff_line){ '-', f->removed.items[i], 0 };
	for (i = 0; i < f->added.nr; i++)
		lines[f->removed.nr + i] =
			(struct kx_diff_line){ '+', f->added.items[i], 0 };
	kx_classify_hunk(f->path, lines, (unsigned)n, counts);
	free(lines);
	return counts[KX_LINE_LOGIC] > 0;
}

/* A common header (include/...), as opposed to common code (virt/kvm/). */
static bool is_common_header(const struct kx_patch_file *f)
{
	return f->area == KX_AREA_COMMON && !strncmp(f->path, "include/", 8);
}

static bool is_shadow_mmu(const char *path)
{
	return !strcmp(path, "arch/x86/kvm/mmu/paging_tmpl.h") ||
	       !strcmp(path, "arch/x86/kvm/mmu/mmu.c") ||
	       !strcmp(path, "arch/x86/kvm/mmu/spte.c") ||
	       !strcmp(path, "arch/x86/kvm/paging_tmpl.h") ||
	       !strcmp(path, "arch/x86/kvm/mmu.c");
}

enum { FAILED_BUILD = 1, FAILED_TESTS = 2 };

/*
 * A failure kvmx86 test recorded for a commit of the series: the one
 * proof the tool has, so the reminder becomes an error.  Reports the first
 * failing commit in series order, per command.
 */
static unsigned failed_test(struct kx_findings *out, const struct kx_patch *patches,
			    size_t nr, const struct kx_rule_env *env)
{
	unsigned any = 0;
	size_t i, t, u;

	if (!env)
		return 0;
	for (i = 0; i < nr; i++)
		for (t = 0; t < env->tests_nr; t++) {
			const struct kx_test_record *r = &env->tests[t];

			if (r->pass || strcmp(r->commit, patches[i].id))
				continue;
			/* only the first failing commit of each command */
			for (u = 0; u < env->tests_nr; u++)
				if (!env->tests[u].pass && u != t &&
				    same_test(&env->tests[u], r) &&
				    earlier(patches, nr, env->tests[u].commit, r->commit))
					break;
			if (u < env->tests_nr)
				continue;
			any |= is_test_kind(r->kind) ? FAILED_TESTS : FAILED_BUILD;
			if (is_test_kind(r->kind))
				kx_findings_add(out, KX_SEV_ERROR, "run-selftests-kut",
						"%.12s (\"%s\") fails the %s: `%s` (recorded by kvmx86 test)",
						r->commit, patches[i].subject ? patches[i].subject : "",
						r->kind, r->command);
			else
				kx_findings_add(out, KX_SEV_ERROR, "build-each-commit",
						"%.12s (\"%s\") fails `%s`%s%s%s (recorded by kvmx86 test): every commit must build and pass, for bisection",
						r->commit, patches[i].subject ? patches[i].subject : "",
						r->command, r->config ? " in the configuration '" : "",
						r->config ? r->config : "", r->config ? "'" : "");
		}
	return any;
}

/* Returns true if some recorded build passed at every commit. */
static bool passed_everywhere(const struct kx_patch *patches, size_t nr,
			      const struct kx_rule_env *env)
{
	size_t t, i, u;

	for (t = 0; env && t < env->tests_nr; t++) {
		/* only a build answers it: `true` at every commit does not */
		if (is_test_kind(env->tests[t].kind) ||
		    env->tests[t].build == KX_BUILD_COMMAND)
			continue;
		for (i = 0; i < nr; i++) {
			for (u = 0; u < env->tests_nr; u++)
				if (env->tests[u].pass &&
				    same_test(&env->tests[u], &env->tests[t]) &&
				    !strcmp(env->tests[u].commit, patches[i].id))
					break;
			if (u == env->tests_nr)
				break;
		}
		if (nr && i == nr)
			return true;
	}
	return false;
}

void kx_rule_testing_reminders(struct kx_findings *out,
			       const struct kx_patch *patches, size_t nr,
			       const struct kx_rule_env *env)
{
	bool code = false, shadow = false, mmu = false, rst = false;
	bool runs = false, header_logic = false, other_arch = false;
	unsigned failed;
	char params[256] = "";
	size_t i, j, k, p;

	for (i = 0; i < nr; i++) {
		for (j = 0; j < patches[i].files_nr; j++) {
			const struct kx_patch_file *f = &patches[i].files[j];
			const struct kx_strlist *lists[2] = { &f->added, &f->removed };

			if (strstr(f->path, ".rst") &&
			    !strcmp(strrchr(f->path, '.'), ".rst"))
				rst = true;
			other_arch |= f->area == KX_AREA_OTHER_ARCH;
			if (!is_kvm_code(f))
				continue;
			code = true;
			if (changes_logic(f)) {
				if (is_common_header(f))
					header_logic = true;
				else
					runs = true;
			}
			shadow |= is_shadow_mmu(f->path);
			mmu |= !strncmp(f->path, "arch/x86/kvm/mmu/", 17);
			for (k = 0; k < 2; k++) {
				bool in_block = false;

				for (p = 0; p < lists[k]->nr; p++) {
					size_t m;
					bool block = in_block;

					for (m = 0; m < sizeof(module_params) /
							sizeof(module_params[0]); m++) {
						const char *name = module_params[m];

						/* each name reads the line from the same state */
						block = in_block;
						if (!uses_word(lists[k]->items[p], name, &block) ||
						    strstr(params, name))
							continue;
						if (strlen(params) + strlen(name) + 3 < sizeof(params)) {
							if (*params)
								strcat(params, ", ");
							strcat(params, name);
						}
					}
					in_block = block;
				}
			}
		}
	}
	/* a recorded failure says it: no reminder on top */
	failed = failed_test(out, patches, nr, env);
	if (code && !(failed & FAILED_BUILD) && !passed_everywhere(patches, nr, env))
		kx_findings_add(out, KX_SEV_ADVICE, "build-each-commit",
				"build every commit with KVM_INTEL=m KVM_AMD=m KVM_WERROR=y before posting");
	/*
	 * Tests for what runs on x86: x86 or common code; a common header's
	 * change beside another architecture's code is that architecture's.
	 */
	runs |= header_logic && !other_arch;
	if (runs && !(failed & FAILED_TESTS))
		kx_findings_add(out, KX_SEV_ADVICE, "run-selftests-kut",
				"run the KVM selftests and kvm-unit-tests, on Intel and AMD where you can, and say what ran in the cover letter");
	if (shadow)
		kx_findings_add(out, KX_SEV_ADVICE, "shadow-paging-tdp-disabled",
				"the series changes shadow paging: testing with TDP disabled (kvm_intel.ept=0, kvm_amd.npt=0) is mandatory");
	else if (mmu)
		kx_findings_add(out, KX_SEV_ADVICE, "shadow-paging-tdp-disabled",
				"the series changes common MMU code: testing with TDP disabled (kvm_intel.ept=0, kvm_amd.npt=0) is strongly encouraged");
	if (*params)
		kx_findings_add(out, KX_SEV_ADVICE, "module-param-testing",
				"the code touches module parameter%s %s: test with the relevant settings",
				strchr(params, ',') ? "s" : "", params);
	if (rst)
		kx_findings_add(out, KX_SEV_ADVICE, "rst-htmldocs",
				"the series changes .rst documentation: 'make htmldocs' must build with no new warnings");
}

/* kvm-unit-tests lives in its own repository, with its own top level. */
static bool is_kut_path(const char *path)
{
	static const char *const dirs[] = {
		"x86/", "lib/x86/", "s390x/", "lib/s390x/", "arm/", "lib/arm/",
		"lib/arm64/", "powerpc/", "riscv/", "lib/riscv/",
	};
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (!strncmp(path, dirs[i], strlen(dirs[i])))
			return true;
	return !strcmp(path, "run_tests.sh") || !strcmp(path, "configure");
}

void kx_rule_kut_separate(struct kx_findings *out,
			  const struct kx_patch *patches, size_t nr,
			  const struct kx_rule_env *env)
{
	size_t i, j, kut = 0, kernel = 0;

	(void)env;
	for (i = 0; i < nr; i++) {
		bool k = false, u = false;

		for (j = 0; j < patches[i].files_nr; j++) {
			const char *path = patches[i].files[j].path;

			if (is_kut_path(path))
				u = true;
			else if (!strncmp(path, "arch/", 5) || !strncmp(path, "virt/", 5) ||
				 !strncmp(path, "tools/", 6) || !strncmp(path, "include/", 8))
				k = true;
		}
		kut += u;
		kernel += k;
	}
	if (kut && kernel)
		kx_findings_add(out, KX_SEV_ERROR, "kut-separate",
				"%zu patch%s kvm-unit-tests files: post kvm-unit-tests separately, with a lore Link: to the KVM series",
				kut, kut == 1 ? " changes" : "es change");
}

void kx_rule_patch_count(struct kx_findings *out,
			 const struct kx_patch *patches, size_t nr,
			 const struct kx_rule_env *env)
{
	(void)patches;
	(void)env;
	if (nr > 15)
		kx_findings_add(out, KX_SEV_ADVICE, "patch-count-15",
				"the series has %zu patches: a series of more than 15 is hard to review; consider splitting it",
				nr);
}

void kx_rule_base_trailer(struct kx_findings *out, const char *fork,
			  const char *const *ids, const char *const *subjects,
			  size_t nr)
{
	char list[512] = "";
	size_t i, len = 0;

	if (!nr)
		return;
	for (i = 0; i < nr && i < 3; i++) {
		int n = snprintf(list + len, sizeof(list) - len, "%s%.12s (\"%s\")",
				 i ? ", " : "", ids[i], subjects[i]);

		if (n < 0 || (size_t)n >= sizeof(list) - len)
			break;
		len += (size_t)n;
	}
	kx_findings_add_at(out, NULL, KX_SEV_WARNING, "base-trailer",
			"the series builds on %zu commit%s that no KVM tree has: %s%s; "
			"base-commit: names %.12s and each becomes a prerequisite-patch-id line "
			"(kvmx86 prep --cover writes them): post them first and say so in the cover letter, "
			"or make them part of this series",
			nr, nr == 1 ? "" : "s", list, nr > 3 ? ", ..." : "", fork);
}

/* --- build-extra-knobs --- */

/* The calls and assertions of locks that lockdep (PROVE_LOCKING) checks. */
static const char *const lock_calls[] = {
	"spin_lock", "spin_lock_irq", "spin_lock_irqsave", "spin_lock_bh",
	"spin_unlock", "spin_unlock_irq", "spin_unlock_irqrestore",
	"spin_unlock_bh", "spin_trylock", "raw_spin_lock",
	"raw_spin_lock_irqsave", "raw_spin_unlock", "raw_spin_unlock_irqrestore",
	"mutex_lock", "mutex_lock_killable", "mutex_lock_interruptible",
	"mutex_trylock", "mutex_unlock", "read_lock", "read_unlock",
	"write_lock", "write_unlock", "down_read", "up_read", "down_write",
	"up_write", "srcu_read_lock", "srcu_read_unlock", "lockdep_assert_held",
	"lockdep_assert_held_read", "lockdep_assert_held_write",
};

/*
 * What makes the i-th knob of the matrix (kx_kernel_configs[1..]) worth a
 * build: a file that only that configuration compiles (smm.c without SMM,
 * xen.c with Xen), a changed line of a block it compiles in or out
 * (#ifdef CONFIG_KVM_SMM, CONFIG_KVM_XEN, CONFIG_X86_64), or a lock taken,
 * dropped or asserted (lockdep's).  Returns the reason (static), or NULL.
 */
static const char *knob_reason(const char *knob, const struct kx_patch_file *f)
{
	static const struct {
		const char *knob, *file, *header, *config;
	} gated[] = {
		{ "no-smm", "arch/x86/kvm/smm.c", "arch/x86/kvm/smm.h", "CONFIG_KVM_SMM" },
		{ "xen", "arch/x86/kvm/xen.c", "arch/x86/kvm/xen.h", "CONFIG_KVM_XEN" },
		{ "i386", NULL, NULL, "CONFIG_X86_64" },
	};
	const struct kx_strlist *lists[2] = { &f->added, &f->removed };
	size_t g, k, i, c;

	if (!is_kvm_code(f))
		return NULL;
	for (g = 0; g < ARRAY_SIZE(gated); g++) {
		if (strcmp(knob, gated[g].knob))
			continue;
		if (f->area != KX_AREA_X86)
			return NULL;
		if (gated[g].file && (!strcmp(f->path, gated[g].file) ||
				      !strcmp(f->path, gated[g].header)))
			return f->path;
		for (k = 0; k < 2; k++) {
			bool in_block = false;

			for (i = 0; i < lists[k]->nr; i++)
				if (uses_word(lists[k]->items[i], gated[g].config, &in_block))
					return gated[g].config;
		}
		return NULL;
	}
	if (strcmp(knob, "prove-locking"))
		return NULL;
	for (k = 0; k < 2; k++) {
		bool in_block = false;

		for (i = 0; i < lists[k]->nr; i++) {
			bool block = in_block;

			for (c = 0; c < ARRAY_SIZE(lock_calls); c++) {
				block = in_block;
				if (uses_word(lists[k]->items[i], lock_calls[c], &block))
					return "the locking";
			}
			in_block = block;
		}
	}
	return NULL;
}

/* Whether a build in configuration knob passed at every commit (recorded). */
static bool knob_built(const char *knob, const struct kx_patch *patches,
		       size_t nr, const struct kx_rule_env *env)
{
	size_t i, t;

	for (i = 0; i < nr; i++) {
		for (t = 0; env && t < env->tests_nr; t++)
			if (env->tests[t].pass && env->tests[t].config &&
			    !strcmp(env->tests[t].config, knob) &&
			    !strcmp(env->tests[t].commit, patches[i].id))
				break;
		if (!env || t == env->tests_nr)
			return false;
	}
	return nr > 0;
}

void kx_rule_build_extra_knobs(struct kx_findings *out,
			       const struct kx_patch *patches, size_t nr,
			       const struct kx_rule_env *env)
{
	char knobs[384] = "";
	size_t c, i, j, n = 0;

	/* [0] is the preset alone: build-each-commit's */
	for (c = 1; c < kx_kernel_configs_nr; c++) {
		const char *knob = kx_kernel_configs[c].name, *reason = NULL;

		for (i = 0; i < nr && !reason; i++)
			for (j = 0; j < patches[i].files_nr && !reason; j++)
				reason = knob_reason(knob, &patches[i].files[j]);
		if (!reason || knob_built(knob, patches, nr, env))
			continue;
		snprintf(knobs + strlen(knobs), sizeof(knobs) - strlen(knobs), "%s%s (%s)",
			 n++ ? ", " : "", kx_kernel_configs[c].label, reason);
	}
	if (n)
		kx_findings_add(out, KX_SEV_ADVICE, "build-extra-knobs",
				"the series changes code that the handbook's extra knob%s "
				"turn%s: %s; build and test with %s too (kvmx86 test --kernel --matrix)",
				n > 1 ? "s" : "", n > 1 ? "" : "s", knobs, n > 1 ? "them" : "it");
}

/* --- co-post-selftests --- */

/* Whether c changes KVM code: x86 or common KVM, not its documentation. */
static bool changes_kvm(const struct kx_commit *c)
{
	size_t i;

	for (i = 0; i < c->files_nr; i++)
		if ((c->files[i].area == KX_AREA_X86 || c->files[i].area == KX_AREA_COMMON) &&
		    !kx_starts_with(c->files[i].path, "Documentation/"))
			return true;
	return false;
}

/* Whether c changes the x86 or generic KVM selftests and nothing else. */
static bool only_selftests(const struct kx_commit *c)
{
	size_t i;

	for (i = 0; i < c->files_nr; i++)
		if (c->files[i].area != KX_AREA_SELFTESTS)
			return false;
	return c->files_nr > 0;
}

void kx_rule_co_post_selftests(struct kx_findings *out, const struct kx_series *s,
			       size_t prerequisites)
{
	const struct kx_commit *first = NULL;
	size_t i, kvm = 0;

	if (!s || !prerequisites || prerequisites >= s->nr)
		return;
	for (i = prerequisites; i < s->nr; i++)
		if (!only_selftests(&s->commits[i]))
			return;
	for (i = 0; i < prerequisites; i++)
		if (changes_kvm(&s->commits[i]) && !kvm++)
			first = &s->commits[i];
	if (!kvm)
		return;
	kx_findings_add_at(out, NULL, KX_SEV_ADVICE, "co-post-selftests",
			   "the series changes only KVM selftests and builds on %zu KVM "
			   "commit%s that no KVM tree has (%.12s (\"%s\")%s): post the tests "
			   "with the KVM changes they test as one series",
			   kvm, kvm == 1 ? "" : "s", first->id, first->subject,
			   kvm > 1 ? ", ..." : "");
}

/* --- rfc-untested-feature --- */

static bool is_uapi_kvm_header(const char *path)
{
	return !strcmp(path, "include/uapi/linux/kvm.h") ||
	       !strcmp(path, "arch/x86/include/uapi/asm/kvm.h");
}

/*
 * The name of the uapi a line of a KVM uapi header declares, or 0: a
 * capability or x86 constant ("#define KVM_CAP_FOO 240"), an ioctl
 * ("#define KVM_FOO _IOW(KVMIO, ...)") or a structure ("struct kvm_foo {").
 * The name starts at *name.
 */
static size_t uapi_name(const char *line, const char **name)
{
	const char *s = line, *e;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!strncmp(s, "struct ", 7)) {
		s += 7;
		for (e = s; is_ident_char(*e); e++)
			;
		while (*e == ' ' || *e == '\t')
			e++;
		if (e == s || *e != '{')
			return 0;
		*name = s;
		for (e = s; is_ident_char(*e); e++)
			;
		return (size_t)(e - s);
	}
	if (strncmp(s, "#define", 7) || (s[7] != ' ' && s[7] != '\t'))
		return 0;
	for (s += 7; *s == ' ' || *s == '\t'; s++)
		;
	for (e = s; is_ident_char(*e); e++)
		;
	if (e == s || *e == '(')	/* a macro, not a constant */
		return 0;
	if (strncmp(s, "KVM_CAP_", 8) && strncmp(s, "KVM_X86_", 8) &&
	    !strstr(e, "_IO(KVMIO") && !strstr(e, "_IOR(KVMIO") &&
	    !strstr(e, "_IOW(KVMIO") && !strstr(e, "_IOWR(KVMIO"))
		return 0;
	*name = s;
	return (size_t)(e - s);
}

/* Does any removed line of the series' KVM uapi headers declare name? */
static bool uapi_removed(const struct kx_patch *patches, size_t nr,
			 const char *name, size_t n)
{
	size_t i, j, k;

	for (i = 0; i < nr; i++) {
		for (j = 0; j < patches[i].files_nr; j++) {
			const struct kx_patch_file *f = &patches[i].files[j];
			const char *r;

			if (!is_uapi_kvm_header(f->path))
				continue;
			for (k = 0; k < f->removed.nr; k++)
				if (uapi_name(f->removed.items[k], &r) == n &&
				    !strncmp(r, name, n))
					return true;
		}
	}
	return false;
}

static bool is_rfc(const struct kx_strlist *prefixes)
{
	size_t i;

	for (i = 0; prefixes && i < prefixes->nr; i++)
		if (!strcasecmp(prefixes->items[i], "RFC"))
			return true;
	return false;
}

/*
 * The handbook: "new features *must* come with test coverage ... Posting
 * new feature development without tests to get early feedback is more
 * than welcome, but such submissions should be tagged RFC".  A new feature
 * is read from what users see of it, new uapi, and a test from a change to
 * the KVM selftests in the same series.  CPUID advertisement, the
 * handbook's one exception, adds no uapi, so never gets here.
 */
void kx_rule_rfc_untested_feature(struct kx_findings *out,
				  const struct kx_patch *patches, size_t nr,
				  const struct kx_rule_env *env)
{
	const char *name = NULL, *path = NULL;
	size_t i, j, k, n = 0, at = 0;

	if (env && is_rfc(env->prefixes))
		return;
	for (i = 0; i < nr; i++)
		for (j = 0; j < patches[i].files_nr; j++)
			if (!strncmp(patches[i].files[j].path,
				     "tools/testing/selftests/kvm/", 28))
				return;
	for (i = 0; i < nr && !n; i++) {
		for (j = 0; j < patches[i].files_nr && !n; j++) {
			const struct kx_patch_file *f = &patches[i].files[j];

			if (!is_uapi_kvm_header(f->path))
				continue;
			for (k = 0; k < f->added.nr && !n; k++) {
				n = uapi_name(f->added.items[k], &name);
				if (n && uapi_removed(patches, nr, name, n))
					n = 0;	/* moved or reworded */
			}
			path = f->path;
			at = i + 1;
		}
	}
	if (!n)
		return;
	kx_findings_add(out, KX_SEV_WARNING, "rfc-untested-feature",
			"patch %zu adds %.*s to %s, and no patch changes the "
			"KVM selftests (tools/testing/selftests/kvm/): new "
			"features come with tests; or post it as RFC (kvmx86 "
			"prep --set-prefixes RFC) and say in the cover letter "
			"what feedback you want", at, (int)n, name, path);
}

/* --- resend-only-unmodified, reroll-version-tag --- */

static bool has_prefix(const struct kx_strlist *prefixes, const char *word)
{
	size_t i;

	for (i = 0; prefixes && i < prefixes->nr; i++)
		if (!strcasecmp(prefixes->items[i], word))
			return true;
	return false;
}

static unsigned last_sent(const struct kx_rule_env *env)
{
	unsigned max = 0;
	size_t i;

	for (i = 0; i < env->sent_revisions_nr; i++)
		if (env->sent_revisions[i] > max)
			max = env->sent_revisions[i];
	return max;
}

/*
 * submitting-patches: "Don't add "RESEND" when you are submitting a
 * modified version of your patch or patch series - "RESEND" only applies
 * to resubmission of a patch or patch series which have not been modified
 * in any way from the previous submission."  Modified is read as git
 * patch-id reads it: the same changes, whitespace aside, in the same
 * order; a reworded changelog keeps its patch-id and is not seen.
 */
void kx_rule_resend_only_unmodified(struct kx_findings *out,
				    const struct kx_patch *patches, size_t nr,
				    const struct kx_rule_env *env)
{
	const struct kx_strlist *sent, *ids;
	struct kx_buf why = KX_BUF_INIT;
	size_t i, changed = 0, gone = 0, first = 0, k;
	bool reordered = false;
	char *text;

	if (!env || !has_prefix(env->prefixes, "RESEND") ||
	    !(sent = env->sent_patch_ids) || !(ids = env->patch_ids) ||
	    ids->nr != nr)
		return;
	for (i = 0, k = 0; i < nr; i++) {
		if (!*ids->items[i])
			continue;
		if (!kx_strlist_has(sent, ids->items[i])) {
			if (!changed++)
				first = i;
			continue;
		}
		/* the same patches at other places */
		if (k < sent->nr && strcmp(sent->items[k], ids->items[i]))
			reordered = true;
		k++;
	}
	for (i = 0; i < sent->nr; i++) {
		size_t j;
		bool found = false;

		for (j = 0; j < nr && !found; j++)
			found = !strcmp(ids->items[j], sent->items[i]);
		gone += !found;
	}
	if (!changed && !gone && !reordered)
		return;
	if (changed == 1) {
		kx_buf_addf(&why, "patch %zu ('%s') is not in v%u as sent",
			    first + 1, patches[first].subject ? patches[first].subject : "",
			    env->resend_of);
	} else if (changed) {
		size_t said = 0;

		kx_buf_adds(&why, "patches ");
		for (i = first; i < nr; i++) {
			if (!*ids->items[i] || kx_strlist_has(sent, ids->items[i]))
				continue;
			said++;
			kx_buf_addf(&why, "%s%zu", said == 1 ? "" :
				    said == changed ? " and " : ", ", i + 1);
		}
		kx_buf_addf(&why, " are not in v%u as sent", env->resend_of);
	}
	if (gone)
		kx_buf_addf(&why, "%s%zu patch%s of v%u %s not in the series",
			    why.len ? "; " : "", gone, gone == 1 ? "" : "es",
			    env->resend_of, gone == 1 ? "is" : "are");
	if (reordered && !changed && !gone)
		kx_buf_addf(&why, "its patches are in another order than in v%u",
			    env->resend_of);
	text = kx_buf_detach(&why);
	kx_findings_add(out, KX_SEV_WARNING, "resend-only-unmodified",
			"the series is tagged RESEND, but %s (compared by git "
			"patch-id): RESEND is only for a series sent again "
			"unmodified; drop it (kvmx86 prep --set-prefixes) and "
			"send the changes as v%u", text, last_sent(env) + 1);
	free(text);
}

/*
 * submitting-patches: a version descriptor "if the multiple versions of
 * the patch have been sent out in response to comments (i.e., "v1, v2,
 * v3")": each new version a greater one.  The version being prepared
 * must be past every version sent, which --force-revision can undo; a
 * series tagged RESEND of the last version sent keeps its number
 * (resend-only-unmodified checks that it is unchanged).
 */
void kx_rule_reroll_version_tag(struct kx_findings *out,
				const struct kx_patch *patches, size_t nr,
				const struct kx_rule_env *env)
{
	unsigned last;

	(void)patches;
	(void)nr;
	if (!env || !env->revision || !(last = last_sent(env)))
		return;
	/*
	 * past every version sent, a new one, but not a RESEND: that keeps
	 * the number of the version it sends again, and none was this one
	 */
	if (env->revision > last && has_prefix(env->prefixes, "RESEND")) {
		kx_findings_add(out, KX_SEV_WARNING, "reroll-version-tag",
				"v%u is tagged RESEND, but v%u was never sent: a resend "
				"keeps the number of the version it sends again, here "
				"v%u (kvmx86 send --resend v%u), and a changed series is "
				"v%u without RESEND (kvmx86 prep --set-prefixes)",
				env->revision, env->revision, last, last, env->revision);
		return;
	}
	if (env->revision > last)
		return;
	if (env->revision == last && has_prefix(env->prefixes, "RESEND"))
		return;
	if (env->revision == last)
		kx_findings_add(out, KX_SEV_WARNING, "reroll-version-tag",
				"v%u is being prepared, but v%u was sent already: "
				"a new version is v%u (kvmx86 prep --force-revision %u); "
				"to send v%u again unchanged, kvmx86 send --resend v%u",
				env->revision, last, last + 1, last + 1, last, last);
	else
		kx_findings_add(out, KX_SEV_WARNING, "reroll-version-tag",
				"v%u is being prepared, but v%u was sent already: "
				"a new version is v%u (kvmx86 prep --force-revision %u)",
				env->revision, last, last + 1, last + 1);
}
