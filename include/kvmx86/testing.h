/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel configurations kvmx86 test --kernel builds (the handbook's
 * preset and the --matrix around it), and the testing statement a cover
 * letter makes of what kvmx86 test recorded.  Pure: plain structs only.
 */
#ifndef KVMX86_TESTING_H
#define KVMX86_TESTING_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/patch.h"
#include "kvmx86/util.h"

/*
 * An option as .config must show it after configuring ("m", "y", or
 * NULL: not set).
 */
struct kx_kernel_option {
	const char *name;	/* without CONFIG_ */
	const char *value;
};

/* The handbook's options, common to every configuration. */
extern const struct kx_kernel_option kx_kernel_preset[];
extern const size_t kx_kernel_preset_nr;

/* One configuration kvmx86 test --kernel builds, in a directory of its own. */
struct kx_kernel_config {
	const char *name;	/* its directory's and JSON name: "x86_64" */
	const char *label;	/* for people: "KVM_XEN=y" */
	const char *arch;	/* make ARCH=, or NULL */
	const char *defconfig;	/* the make target that starts .config */
	const struct kx_kernel_option *extra;	/* on top of the preset */
	size_t extra_nr;
};

/*
 * The configurations: [0] is the preset alone (x86_64), the others are
 * the --matrix, each one knob the handbook calls interesting turned on
 * top of the preset (KVM_SMM=n, KVM_XEN=y, PROVE_LOCKING=y, 32-bit).
 */
extern const struct kx_kernel_config kx_kernel_configs[];
extern const size_t kx_kernel_configs_nr;

/* Returns the configuration called name, or NULL. */
const struct kx_kernel_config *kx_kernel_config_find(const char *name);

/*
 * Appends the scripts/config arguments that set c's options (the preset's,
 * then c's own) to out, e.g. "--module" "KVM" ... "--disable" "KASAN".
 */
void kx_kernel_config_args(struct kx_strlist *out,
			   const struct kx_kernel_config *c);

/*
 * Checks the text of a .config against c; returns a malloc'd message
 * naming each option that did not stick, or NULL if all did.
 */
char *kx_kernel_config_check(const struct kx_kernel_config *c,
			     const char *config);

/*
 * Returns true if a change to path (in a kernel tree) can change what
 * vmlinux holds, so that linking KVM's modules against the base's vmlinux
 * would not prove anything: anything outside arch/x86/kvm/, virt/kvm/,
 * tools/ and Documentation/.
 */
bool kx_kernel_path_builtin(const char *path);

/* The modules --kernel links, under arch/x86/kvm/ of the build directory. */
extern const char *const kx_kvm_modules[];
extern const size_t kx_kvm_modules_nr;

/*
 * Appends to out the make targets that link KVM's modules in a build
 * directory whose .config text is config: first the modules they need
 * that are modules too (virt/lib/irqbypass.ko when IRQ_BYPASS_MANAGER=m:
 * modpost checks a module against vmlinux and the modules linked with
 * it, no others), then arch/x86/kvm/kvm.ko, kvm-intel.ko and kvm-amd.ko.
 */
void kx_kernel_module_targets(struct kx_strlist *out, const char *config);

/*
 * Whether make and kbuild take c in a path: letters, digits, '.', '_',
 * '-' and '/' ('%' is a make pattern, ':' a rule, '#' a comment, a blank
 * a word break).
 */
bool kx_test_path_char_ok(char c);

/* How much of a branch's name its worktrees' label keeps. */
#define KX_TEST_LABEL_NAME_MAX 100

/*
 * The directory name of branch's worktrees and logs (caller frees): one
 * path component of kx_test_path_char_ok() characters ('/' becomes '-',
 * others '_'), the first KX_TEST_LABEL_NAME_MAX of them, then '-' and the
 * first 10 characters of hash (hex, of the name), so that it is unique
 * per branch and never "range".
 */
char *kx_test_label_of(const char *branch, const char *hash);

/*
 * Returns argv as a shell would take it back (caller frees): each word as
 * kx_buf_add_shell_word() writes it, one blank between.  One text per
 * argv, so it is also the command's key in the records.
 */
char *kx_test_command_text(const char *const *argv);

/*
 * Appends to out at most max lines of a failing step's log that say what
 * went wrong: the compiler's and make's error lines (with the source line
 * and caret after a compiler's), or, if none looks like one, its last
 * lines; kvmx86's own "# kvmx86 test" lines are never taken.
 */
void kx_test_log_excerpt(struct kx_strlist *out, const char *log, size_t max);

/*
 * Returns what a .config's text shows of the options c asks for (the
 * preset's and c's own), "KVM=m KVM_INTEL=m ... KASAN=n": an option
 * Kconfig does not know (no "CONFIG_X=" and no "# CONFIG_X is not set"
 * line) is left out, so that a statement never claims it.  Caller frees.
 */
char *kx_kernel_config_shown(const struct kx_kernel_config *c,
			     const char *config);

/*
 * Returns the compile slots of a DISTCC_HOSTS list (each host's /LIMIT,
 * else distcc's defaults: 4, and 2 for localhost), and in *remote the
 * hosts other than localhost; -1 if it names no host.
 */
int kx_distcc_slots(const char *hosts, unsigned *remote);

/* What a series' recorded results are, for kx_testing_statement(). */
struct kx_testing_input {
	const char *const *commits;	/* the series, oldest first (40-hex) */
	size_t commits_nr;
	const struct kx_test_record *records;	/* what kvmx86 test recorded */
	size_t records_nr;
};

/*
 * Appends to out the sentences of a cover letter's testing statement:
 * what was built, linked or run and at which commits (every commit, or
 * "patches 1-2 and 4 of 5"), with which configuration as its .config
 * showed it (the records' options), commands in double quotes as a shell
 * takes them, what failed where, where the compile jobs ran, and what was
 * not done (a build at all: a command not declared one is no build; the
 * matrix, the selftests, kvm-unit-tests), plainly.  Records of commits
 * outside the series count for nothing; one record per commit, test and
 * configuration is expected (the newest: kx_test_records_load()).
 */
void kx_testing_statement(struct kx_strlist *out,
			  const struct kx_testing_input *in);

/*
 * The sentences of kx_testing_statement() as one paragraph wrapped at 72
 * columns, as the rest of a cover letter (caller frees).
 */
char *kx_testing_paragraph(const struct kx_testing_input *in);

#endif
