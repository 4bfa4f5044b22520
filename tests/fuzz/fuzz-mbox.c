// SPDX-License-Identifier: GPL-2.0-only
/* lore's answers: an mboxrd (x=m), its messages, and the versions in them. */
#include "fuzz.h"
#include "kvmx86/lore.h"

static void pick(const struct kx_lore_messages *msgs)
{
	struct kx_lore_versions v = KX_LORE_VERSIONS_INIT;
	struct kx_lore_want want = { "tess@example.com", "KVM: x86: Frob the widget",
				     "20230101-frob-0123456789ab", 3 };
	size_t i;

	/* the first sender's own series, by change-id and by subject */
	if (msgs->nr && msgs->items[0].from_email)
		want.author_email = msgs->items[0].from_email;
	kx_lore_pick_versions(&v, msgs, &want);
	for (i = 0; i < v.nr; i++)
		FUZZ_ASSERT(v.items[i].revision < want.revision && v.items[i].msgid);
	kx_lore_versions_release(&v);
	want.change_id = NULL;
	if (msgs->nr)
		want.subject = msgs->items[0].subject;
	kx_lore_pick_versions(&v, msgs, &want);
	kx_lore_versions_release(&v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kx_lore_messages msgs = KX_LORE_MESSAGES_INIT;
	struct kx_lore_message m;
	char *text;
	size_t i;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	text = fuzz_string(data, size);
	kx_lore_mbox_parse(&msgs, text, size);
	for (i = 0; i < msgs.nr; i++) {
		struct kx_lore_subject s = KX_LORE_SUBJECT_INIT;
		char *link;

		kx_lore_subject_parse(&s, msgs.items[i].subject);
		kx_lore_subject_release(&s);
		if (msgs.items[i].msgid) {
			link = kx_lore_link(KX_LORE_DEFAULT_LINK, msgs.items[i].msgid);
			FUZZ_ASSERT(!strpbrk(link, " \t\r\n"));
			free(link);
		}
	}
	pick(&msgs);
	kx_lore_messages_release(&msgs);

	/* one message on its own, as the mbox reader hands it over */
	memset(&m, 0, sizeof(m));
	if (kx_lore_message_parse(&m, text, size) == 0)
		kx_lore_message_release(&m);
	kx_error_clear();
	free(text);
	return 0;
}
