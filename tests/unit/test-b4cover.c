// SPDX-License-Identifier: GPL-2.0-only
/* b4's cover letter taken apart at enrollment (lib/core/b4cover.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/b4cover.h"
#include "kvmx86/cover.h"

/* What b4 0.12 leaves after prep -e, --edit-cover, --auto-to-cc, a send. */
static const char b4_cover[] =
	"KVM: VMX: Harden DEBUGCTL handling\n"
	"\n"
	"# Lines starting with # will be removed from the cover letter. You can\n"
	"# use them to add notes or reminders to yourself.\n"
	"\n"
	"This series makes KVM validate DEBUGCTL writes.\n"
	"It comes with a selftest.\n"
	"\n"
	"# You can add trailers to the cover letter. Any email addresses found in\n"
	"# these trailers will be added to the addresses specified/generated\n"
	"# during the b4 send stage.\n"
	"\n"
	"To: Sean Christopherson <seanjc@google.com>\n"
	"To: Paolo Bonzini <pbonzini@redhat.com>\n"
	"To: \"H. Peter Anvin\" <hpa@zytor.com>\n"
	"Cc: kvm@vger.kernel.org\n"
	"Cc: linux-kernel@vger.kernel.org\n"
	"Signed-off-by: Tess Ting <tess@example.com>\n"
	"\n"
	"---\n"
	"Changes in v3:\n"
	"- EDITME: describe what is new in this series revision.\n"
	"- EDITME: use bulletpoints and terse descriptions.\n"
	"- Link to v2: https://lore.kernel.org/r/20240102-debugctl-v2-0-abc@example.com\n"
	"\n"
	"Changes in v2:\n"
	"- Check the LBR bit too.\n"
	"- Link to v1: https://lore.kernel.org/r/20240101-debugctl-v1-0-abc@example.com\n"
	"\n";

static void test_b4cover__import(void **state)
{
	struct kx_b4_cover c = KX_B4_COVER_INIT;
	struct kx_cover_text t;

	(void)state;
	kx_b4_cover_import(&c, b4_cover);
	assert_string_equal(c.text,
		"KVM: VMX: Harden DEBUGCTL handling\n"
		"\n"
		"This series makes KVM validate DEBUGCTL writes.\n"
		"It comes with a selftest.\n"
		"\n"
		"v3:\n"
		"\n"
		"v2: https://lore.kernel.org/r/20240102-debugctl-v2-0-abc@example.com\n"
		"- Check the LBR bit too.\n"
		"\n"
		"v1: https://lore.kernel.org/r/20240101-debugctl-v1-0-abc@example.com\n");
	assert_int_equal(c.to.nr, 3);
	assert_string_equal(c.to.items[0], "Sean Christopherson <seanjc@google.com>");
	assert_string_equal(c.to.items[2], "\"H. Peter Anvin\" <hpa@zytor.com>");
	assert_int_equal(c.cc.nr, 2);
	assert_string_equal(c.cc.items[1], "linux-kernel@vger.kernel.org");
	assert_int_equal(c.signoffs, 1);
	assert_int_equal(c.help, 5);
	assert_int_equal(c.versions, 2);

	/* the result is kvmx86's own cover text: blurb and version notes */
	kx_cover_text_parse(&t, strchr(c.text, '\n') + 2);
	assert_string_equal(t.blurb,
		"This series makes KVM validate DEBUGCTL writes.\n"
		"It comes with a selftest.");
	assert_int_equal(t.notes_nr, 3);
	assert_int_equal(t.notes[1].revision, 2);
	assert_string_equal(t.notes[1].text, "- Check the LBR bit too.");
	assert_string_equal(t.notes[2].link,
		"https://lore.kernel.org/r/20240101-debugctl-v1-0-abc@example.com");
	kx_cover_text_release(&t);
	kx_b4_cover_release(&c);
}

/* kvmx86's own sections in the text merge with b4's, newest first. */
static void test_b4cover__merge(void **state)
{
	struct kx_b4_cover c = KX_B4_COVER_INIT;

	(void)state;
	kx_b4_cover_import(&c,
		"KVM: x86: A series\n\nThe blurb.\n\n"
		"v2:\n- Rename the helper.\n\n"
		"v1: https://lore.kernel.org/r/v1@example.com\n\n"
		"---\n"
		"Changes in v2:\n- Drop patch 3.\n"
		"- Link to v1: EDITME (not found in tracking)\n");
	assert_string_equal(c.text,
		"KVM: x86: A series\n\nThe blurb.\n\n"
		"v2:\n- Rename the helper.\n- Drop patch 3.\n\n"
		"v1: https://lore.kernel.org/r/v1@example.com\n");
	kx_b4_cover_release(&c);
}

/* Nothing of b4's: the text stays, and trailers that are prose stay. */
static void test_b4cover__plain(void **state)
{
	struct kx_b4_cover c = KX_B4_COVER_INIT;

	(void)state;
	kx_b4_cover_import(&c, "KVM: x86: misc fixes\n\n"
			   "In-Reply-To: <20230301120000.1234-1-c@example.com>\n\n"
			   "v2: resend as a reply to v1 (In-Reply-To) with fixes.\n");
	assert_string_equal(c.text, "KVM: x86: misc fixes\n\n"
			    "In-Reply-To: <20230301120000.1234-1-c@example.com>\n\n"
			    "v2: resend as a reply to v1 (In-Reply-To) with fixes.\n");
	assert_int_equal(c.to.nr + c.cc.nr + c.signoffs + c.versions, 0);
	/* a last paragraph with prose in it is no trailer block */
	kx_b4_cover_import(&c, "Subject\n\nThe body.\nTo: whom it may concern, this\n");
	assert_string_equal(c.text, "Subject\n\nThe body.\nTo: whom it may concern, this\n");
	/* other trailers stay */
	kx_b4_cover_import(&c, "Subject\n\nBody.\n\nCc: a@example.com\nLink: https://x/y\n");
	assert_string_equal(c.text, "Subject\n\nBody.\n\nLink: https://x/y\n");
	assert_string_equal(c.cc.items[0], "a@example.com");
	kx_b4_cover_import(&c, "");
	assert_string_equal(c.text, "\n\n\n");
	kx_b4_cover_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b4cover__import),
		cmocka_unit_test(test_b4cover__merge),
		cmocka_unit_test(test_b4cover__plain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
