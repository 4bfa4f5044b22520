// SPDX-License-Identifier: GPL-2.0-only
/*
 * The escaper every printed text goes through, the header-text check and
 * the conversion to UTF-8: whatever comes in, what goes to a terminal
 * holds no control character, and what passes the check no line break.
 */
#include "fuzz.h"
#include "kvmx86/safe.h"

static void check_escaped(const char *s, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;

	FUZZ_ASSERT(kx_utf8_valid(s, strlen(s)));
	for (; *p; p++) {
		if (*p == '\n' && (flags & KX_ESCAPE_KEEP_NL))
			continue;
		if (*p == '\t' && (flags & KX_ESCAPE_KEEP_TAB))
			continue;
		FUZZ_ASSERT(*p >= 0x20 && *p != 0x7f);
		/* no C1 control as UTF-8 either */
		FUZZ_ASSERT(!(p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f));
	}
	FUZZ_ASSERT(!kx_needs_escape(s, flags));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kx_buf b = KX_BUF_INIT;
	char *text, *out;
	bool converted;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	text = fuzz_string(data, size);
	/* all bytes, NULs included, as printf's %.*s would hand them over */
	kx_buf_add_escaped(&b, (const char *)data, size, 0);
	check_escaped(b.buf, 0);
	kx_buf_release(&b);
	out = kx_escape(text, KX_ESCAPE_KEEP_NL | KX_ESCAPE_KEEP_TAB);
	check_escaped(out, KX_ESCAPE_KEEP_NL | KX_ESCAPE_KEEP_TAB);
	free(out);
	if (kx_header_text_check("field", text, 1000) == 0)
		FUZZ_ASSERT(!strpbrk(text, "\r\n\t\033") && !kx_needs_escape(text, 0));
	else
		check_escaped(kx_error_last(), 0);
	out = kx_text_to_utf8(text, &converted);
	FUZZ_ASSERT(kx_utf8_valid(out, strlen(out)));
	FUZZ_ASSERT(converted == !kx_utf8_valid(text, strlen(text)));
	free(out);
	out = kx_url_redact(text);
	free(out);
	kx_error_clear();
	free(text);
	return 0;
}
