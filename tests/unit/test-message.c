// SPDX-License-Identifier: GPL-2.0-only
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "kvmx86/patch.h"

#define LINK "https://lore.kernel.org/r/a@b"

static void check(const char *in, const char *signer, const char *want)
{
	char *got = kx_message_add_trailer(in, "Link", LINK, signer);

	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_message__add_trailer(void **state)
{
	(void)state;
	/* before the author's sign-off, after the other trailers */
	check("KVM: x86: Fix\n\nBody.\n\nReported-by: R <r@x>\nSigned-off-by: A <a@x>\n",
	      "a@x",
	      "KVM: x86: Fix\n\nBody.\n\nReported-by: R <r@x>\nLink: " LINK
	      "\nSigned-off-by: A <a@x>\n");
	/* another's sign-off first (a patch carried): before the author's */
	check("S\n\nB.\n\nSigned-off-by: O <o@x>\nSigned-off-by: A <a@x>\n", "a@x",
	      "S\n\nB.\n\nSigned-off-by: O <o@x>\nLink: " LINK "\nSigned-off-by: A <a@x>\n");
	/* no sign-off: at the end of the block */
	check("S\n\nB.\n\nFixes: 123456789abc (\"x\")\n\n\n", "a@x",
	      "S\n\nB.\n\nFixes: 123456789abc (\"x\")\nLink: " LINK "\n");
	/* no trailer block: a new paragraph; the subject is never one */
	check("S\n\nJust prose.\n", NULL, "S\n\nJust prose.\n\nLink: " LINK "\n");
	check("KVM: x86: Fix: this\n", NULL, "KVM: x86: Fix: this\n\nLink: " LINK "\n");
	/* a last paragraph that is not all trailers is prose */
	check("S\n\nSee: this line\nand that.\n", NULL,
	      "S\n\nSee: this line\nand that.\n\nLink: " LINK "\n");
	/* already there (any case of the key): unchanged */
	check("S\n\nB.\n\nlink: " LINK "\nSigned-off-by: A <a@x>\n", "a@x", NULL);
	/* another link is not this one */
	check("S\n\nB.\n\nLink: https://lore.kernel.org/r/other@b\n", NULL,
	      "S\n\nB.\n\nLink: https://lore.kernel.org/r/other@b\nLink: " LINK "\n");
}

static void check_append(const char *in, const char *want)
{
	char *got = kx_message_append_trailer(in, "Reviewed-by", "R <r@x>");

	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/*
 * Notes below a "---" line of the message (version-notes-below-separator
 * asks for them there) are cut by git am with the line: a trailer goes
 * above it, as git interpret-trailers puts it, and one there already is
 * seen.
 */
static void test_message__trailer_above_cut(void **state)
{
	(void)state;
	check("S\n\nB.\n\nSigned-off-by: A <a@x>\n---\nv2: reworded\n", "a@x",
	      "S\n\nB.\n\nLink: " LINK "\nSigned-off-by: A <a@x>\n---\nv2: reworded\n");
	check_append("S\n\nB.\n\nSigned-off-by: A <a@x>\n---\nv2: reworded\n",
		     "S\n\nB.\n\nSigned-off-by: A <a@x>\nReviewed-by: R <r@x>\n---\nv2: reworded\n");
	/* blank lines before the cut stay */
	check_append("S\n\nB.\n\nSigned-off-by: A <a@x>\n\n--- \nv2: x\n\nv3: y\n",
		     "S\n\nB.\n\nSigned-off-by: A <a@x>\nReviewed-by: R <r@x>\n\n--- \nv2: x\n\nv3: y\n");
	/* no trailer block above it: a new paragraph there */
	check_append("S\n\nB.\n---\nv2: x\n",
		     "S\n\nB.\n\nReviewed-by: R <r@x>\n---\nv2: x\n");
	check_append("S\n\nB.\n\nReviewed-by: R <r@x>\nSigned-off-by: A <a@x>\n---\nv2: x\n",
		     NULL);
	/* notes whose last line has no newline end with one (the fuzzer's) */
	check_append("S\n\nB.\n---\nv2: x",
		     "S\n\nB.\n\nReviewed-by: R <r@x>\n---\nv2: x\n");
	/* "----" or "---x" is no cut, as git has it */
	check_append("S\n\nB.\n\nSigned-off-by: A <a@x>\n----\n",
		     "S\n\nB.\n\nSigned-off-by: A <a@x>\n----\n\nReviewed-by: R <r@x>\n");
	assert_int_equal(kx_message_cut("S\n\nB.\n---\nv2\n"), 6);
	assert_int_equal(kx_message_cut("S\n\nB.\n"), 6);
	assert_int_equal(kx_message_cut("---\n\nB.\n"), 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_message__add_trailer),
		cmocka_unit_test(test_message__trailer_above_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
