// SPDX-License-Identifier: GPL-2.0-only
/*
 * The MAINTAINERS matcher over a literal file and tree: F: (a directory
 * and a glob), X:, N:, K: (on the file's text, with -f), the .mailmap,
 * people before lists.  The expected lines are what Linux 6.1's
 * scripts/get_maintainer.pl --nogit --nogit-fallback --norolestats
 * --nofixes -f printed for the same files in the same tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/maintainers.h"

static const char maintainers[] =
	"List of maintainers\n"
	"\n"
	"KERNEL VIRTUAL MACHINE (KVM)\n"
	"M:\tPaolo Bonzini <pbonzini@redhat.com>\n"
	"L:\tkvm@vger.kernel.org\n"
	"S:\tSupported\n"
	"F:\tinclude/linux/kvm*\n"
	"F:\tvirt/kvm/\n"
	"X:\tvirt/kvm/vfio.c\n"
	"\n"
	"KERNEL VIRTUAL MACHINE FOR X86 (KVM/x86)\n"
	"M:\tSean Christopherson <seanjc@google.com>\n"
	"M:\tPaolo Bonzini <pbonzini@redhat.com>\n"
	"L:\tkvm@vger.kernel.org\n"
	"S:\tSupported\n"
	"F:\tarch/x86/kvm/\n"
	"X:\tarch/x86/kvm/vmx/\n"
	"N:\tx86_test\n"
	"\n"
	"KVM GMEM\n"
	"R:\tGil Mem <gil@example.org>\n"
	"S:\tMaintained\n"
	"K:\t\\bkvm_gmem_\\w+\n"
	"\n"
	"KVM VMX\n"
	"R:\t\"Vic, Viewer\" <vic@old.example>\n"
	"L:\tvmx-list@example.org\n"
	"S:\tOdd Fixes\n"
	"F:\tarch/x86/kvm/vmx/\n"
	"\n"
	"X86 ARCHITECTURE (32-BIT AND 64-BIT)\n"
	"M:\tThomas Gleixner <tglx@linutronix.de>\n"
	"M:\tx86@kernel.org\n"
	"L:\tlinux-kernel@vger.kernel.org\n"
	"S:\tMaintained\n"
	"F:\tarch/x86/\n";

static bool is_dir(void *data, const char *path)
{
	static const char *const dirs[] = {
		"arch", "arch/x86", "arch/x86/kvm", "arch/x86/kvm/vmx",
		"include", "include/linux", "virt", "virt/kvm",
	};
	size_t i, n = strlen(path);

	(void)data;
	while (n && path[n - 1] == '/')
		n--;
	for (i = 0; i < sizeof(dirs) / sizeof(*dirs); i++)
		if (strlen(dirs[i]) == n && !strncmp(dirs[i], path, n))
			return true;
	return false;
}

static char *read_file(void *data, const char *path)
{
	(void)data;
	if (!strcmp(path, "include/linux/kvm_host.h"))
		return strdup("void kvm_gmem_x(void);\n");
	return strdup("");
}

/* The lines printed for file, joined with '|'. */
static char *answer(struct kx_maintainers *m, const char *file)
{
	struct kx_maint_hits h = { NULL, 0, 0 };
	struct kx_buf b = KX_BUF_INIT;
	size_t i;

	kx_maintainers_for_files(&h, m, &file, 1);
	kx_buf_adds(&b, "");
	for (i = 0; i < h.nr; i++)
		kx_buf_addf(&b, "%s%s", i ? "|" : "", h.items[i].text);
	kx_maint_hits_release(&h);
	return kx_buf_detach(&b);
}

static void expect(struct kx_maintainers *m, const char *file, const char *want)
{
	char *got = answer(m, file);

	assert_string_equal(got, want);
	free(got);
}

static void test_maintainers__like_get_maintainer(void **state)
{
	struct kx_maint_tree tree = { is_dir, read_file, NULL };
	struct kx_maintainers *m;

	(void)state;
	kx_maintainers_parse(&m, maintainers, strlen(maintainers), &tree);
	kx_maintainers_set_mailmap(m, "Vic Viewer <vic@example.org> <vic@old.example>\n");
	assert_int_equal(kx_maintainers_warnings(m)->nr, 0);
	expect(m, "arch/x86/kvm/x86.c",
	       "Sean Christopherson <seanjc@google.com>|"
	       "Paolo Bonzini <pbonzini@redhat.com>|"
	       "Thomas Gleixner <tglx@linutronix.de>|x86@kernel.org|"
	       "kvm@vger.kernel.org|linux-kernel@vger.kernel.org");
	/* X: takes vmx/ out of KVM/x86; the mailmap renames Vic */
	expect(m, "arch/x86/kvm/vmx/vmx.c",
	       "Vic Viewer <vic@example.org>|"
	       "Thomas Gleixner <tglx@linutronix.de>|x86@kernel.org|"
	       "vmx-list@example.org|linux-kernel@vger.kernel.org");
	/* a glob, and K: on the file's text */
	expect(m, "include/linux/kvm_host.h",
	       "Paolo Bonzini <pbonzini@redhat.com>|Gil Mem <gil@example.org>|"
	       "kvm@vger.kernel.org");
	/* N: on the path */
	expect(m, "tools/testing/selftests/kvm/x86_test.c",
	       "Sean Christopherson <seanjc@google.com>|"
	       "Paolo Bonzini <pbonzini@redhat.com>|kvm@vger.kernel.org");
	expect(m, "arch/arm64/kvm/arm.c", "");
	kx_maintainers_free(m);
}

/* What the K: keywords of entries name for one diff line, joined with '|'. */
static void expect_line(const char *entries, const char *line, const char *want)
{
	static const char head[] =
		"Subject: [PATCH] x\n\n---\n"
		"diff --git a/drivers/x.c b/drivers/x.c\n"
		"--- a/drivers/x.c\n+++ b/drivers/x.c\n@@ -1,2 +1,2 @@\n";
	struct kx_maint_tree tree = { is_dir, read_file, NULL };
	struct kx_maint_hits h = { NULL, 0, 0 };
	struct kx_maintainers *m;
	struct kx_buf b = KX_BUF_INIT;
	char *patch = kx_xasprintf("%s%s", head, line);
	size_t i;

	kx_maintainers_parse(&m, entries, strlen(entries), &tree);
	kx_maintainers_for_patch(&h, m, patch);
	kx_buf_adds(&b, "");
	for (i = 0; i < h.nr; i++)
		kx_buf_addf(&b, "%s%s", i ? "|" : "", h.items[i].text);
	assert_string_equal(b.buf, want);
	kx_buf_release(&b);
	kx_maint_hits_release(&h);
	kx_maintainers_free(m);
	free(patch);
}

/*
 * K: on a diff line is get_maintainer's "^[+-].*" prefix and the value:
 * kvmx86 searches the value after the sign instead, except where Perl
 * reads the two otherwise ('|' binds loosest, a '^' of the value's own).
 */
static void test_maintainers__keywords_in_diff(void **state)
{
	static const char entries[] =
		"\nPLAIN\nM:\tP <p@example.org>\nK:\t\\bkvm_gmem_\\w+\n"
		"\nALT\nM:\tA <a@example.org>\nK:\tphylink\\.h|struct\\s+phylink\n"
		"\nANCHOR\nM:\tC <c@example.org>\nK:\t^xyzzy\n";

	(void)state;
	/* added, removed, and context lines */
	expect_line(entries, "+\tkvm_gmem_bind(x);\n", "P <p@example.org>");
	expect_line(entries, "-kvm_gmem_bind(x);\n", "P <p@example.org>");
	expect_line(entries, " \tkvm_gmem_bind(x);\n+xkvm_gmem_bind(x);\n", "");
	/* (^[+-].*phylink\.h)|(struct\s+phylink): a context line counts */
	expect_line(entries, " \tstruct  phylink *pl;\n", "A <a@example.org>");
	expect_line(entries, " #include <linux/phylink.h>\n", "");
	/* "^[+-].*^xyzzy" can never match a diff line */
	expect_line(entries, "+xyzzy\n", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_maintainers__like_get_maintainer),
		cmocka_unit_test(test_maintainers__keywords_in_diff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
