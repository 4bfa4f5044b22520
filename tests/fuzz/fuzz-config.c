// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kvmx86.* values kvmx86 interprets, and the option values read the
 * same way: numbers (kvmx86.httpTimeout, httpRetries, superficialLines),
 * URLs (kvmx86.loreUrl, loreLinkUrl), --set-prefixes, --force-revision,
 * --link's message-id or URL.
 */
#include "fuzz.h"
#include "kvmx86/config.h"
#include "kvmx86/lore.h"
#include "kvmx86/safe.h"
#include "kvmx86/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kx_strlist l = KX_STRLIST_INIT;
	unsigned v = 7, min, max;
	char *text, *msgid = NULL, *link, *clean;
	size_t i;

	if (size < 2 || size > FUZZ_MAX_INPUT)
		return 0;
	min = data[0] % 4;
	max = data[1] ? (unsigned)data[1] * 100 : 4294967295u;
	text = fuzz_string(data + 2, size - 2);
	if (kx_config_parse_uint(&v, "kvmx86.httpTimeout", text, min, max) == 0)
		FUZZ_ASSERT(v >= min && v <= max);
	else
		FUZZ_ASSERT(v == 7 && strstr(kx_error_last(), "kvmx86.httpTimeout"));
	if (kx_config_check_url("kvmx86.loreUrl", text) == 0) {
		/* a checked URL makes links without user-info or line breaks */
		link = kx_lore_link(text, "a@b");
		clean = kx_url_redact(text);
		FUZZ_ASSERT(!strpbrk(link, " \r\n\t"));
		{
			const char *auth = strstr(clean, "://") + 3;

			FUZZ_ASSERT(!memchr(auth, '@', strcspn(auth, "/?#")));
		}
		free(link);
		free(clean);
	}
	if (kx_prefixes_parse(&l, text) == 0)
		for (i = 0; i < l.nr; i++)
			FUZZ_ASSERT(kx_header_text_check("p", l.items[i], KX_PREFIX_MAX) == 0);
	kx_strlist_release(&l);
	if (kx_parse_revision(&v, text) == 0)
		FUZZ_ASSERT(v >= 1 && v <= KX_REVISION_MAX);
	if (kx_lore_msgid_from_arg(&msgid, text) == 0) {
		FUZZ_ASSERT(msgid);
		link = kx_lore_link(KX_LORE_DEFAULT_LINK, msgid);
		FUZZ_ASSERT(!strpbrk(link, " \r\n\t"));
		free(link);
		free(msgid);
	}
	kx_error_clear();
	free(text);
	return 0;
}
