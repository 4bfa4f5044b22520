// SPDX-License-Identifier: GPL-2.0-only
/* Trailers of a commit message, and adding one (prep --link). */
#include "fuzz.h"
#include "kvmx86/patch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kx_trailers t = KX_TRAILERS_INIT;
	char *text, *nl, *value, *out;
	size_t i;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	text = fuzz_string(data, size);
	kx_trailers_parse(&t, text);
	for (i = 0; i < t.nr; i++)
		FUZZ_ASSERT(t.items[i].key && *t.items[i].key && t.items[i].value);
	kx_trailers_release(&t);

	/* the first line a Link: value, the rest the message it goes into */
	nl = strchr(text, '\n');
	value = kx_xstrndup(text, nl ? (size_t)(nl - text) : strlen(text));
	out = kx_message_add_trailer(nl ? nl + 1 : "", "Link", value,
				     "tess@example.com");
	if (out) {
		size_t n = strlen(out);

		FUZZ_ASSERT(n && out[n - 1] == '\n');
		/* what was added is found again */
		kx_trailers_parse(&t, out);
		kx_trailers_release(&t);
		free(out);
	}
	free(value);
	free(text);
	return 0;
}
