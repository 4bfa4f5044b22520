// SPDX-License-Identifier: GPL-2.0-only
/* lore's Atom feed (x=A), and the versions in its entries. */
#include "fuzz.h"
#include "kvmx86/lore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kx_lore_messages msgs = KX_LORE_MESSAGES_INIT;
	struct kx_lore_versions v = KX_LORE_VERSIONS_INIT;
	struct kx_lore_want want = { "tess@example.com", "KVM: x86: Frob the widget",
				     "20230101-frob-0123456789ab", 4 };
	char *text;
	size_t i;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	text = fuzz_string(data, size);
	kx_lore_atom_parse(&msgs, text, size);
	for (i = 0; i < msgs.nr; i++) {
		const struct kx_lore_message *m = &msgs.items[i];

		FUZZ_ASSERT(m->subject && m->from_name);
		if (m->from_email)
			want.author_email = m->from_email;
	}
	kx_lore_pick_versions(&v, &msgs, &want);
	for (i = 0; i < v.nr; i++)
		FUZZ_ASSERT(v.items[i].revision < want.revision);
	kx_lore_versions_release(&v);
	kx_lore_messages_release(&msgs);
	kx_error_clear();
	free(text);
	return 0;
}
