// SPDX-License-Identifier: GPL-2.0-only
/*
 * patatt's canonical form over a mail, and what git mailinfo said of it:
 * the input is "mail \x01 message-and-patch \x01 info" (missing parts
 * empty).  Properties: folding only inserts line breaks before blanks,
 * and a key file decodes to what its base64 encodes.
 */
#include "fuzz.h"
#include "kvmx86/sign.h"

static void check_fold(const char *value)
{
	char *f, *want, *p, *q;

	if (strchr(value, '\n') || strchr(value, '\r'))
		return;
	f = kx_patatt_fold("X-Developer-Signature", value);
	want = kx_xasprintf("X-Developer-Signature: %s", value);
	/* every break is "\n" before a blank, and undoing them gives the text */
	for (p = q = f; *p; p++) {
		if (*p == '\n') {
			FUZZ_ASSERT(p[1] == ' ' || p[1] == '\t');
			continue;
		}
		*q++ = *p;
	}
	*q = '\0';
	FUZZ_ASSERT(!strcmp(f, want));
	free(want);
	free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kx_patatt_mail m;
	struct kx_patatt_canon c;
	unsigned char seed[KX_PATATT_SEED_LEN], again[KX_PATATT_SEED_LEN];
	struct kx_buf b = KX_BUF_INIT;
	char *text, *mp, *info, *in;
	size_t n;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	text = fuzz_string(data, size);
	mp = memchr(text, '\x01', size);
	if (mp)
		*mp++ = '\0';
	else
		mp = text + size;
	info = strchr(mp, '\x01');
	if (info)
		*info++ = '\0';
	else
		info = mp + strlen(mp);

	if (!kx_patatt_parse(&m, text, strlen(text))) {
		/* CRLF made LF (as Python's replace: "\r\r\n" keeps one) */
		in = kx_patatt_mailinfo_input(&m, &n);
		FUZZ_ASSERT(n <= strlen(text));
		free(in);
		if (!kx_patatt_canonicalize(&c, &m, mp, strlen(mp), info)) {
			struct kx_patatt_sig s = { 0 };
			char *value;

			/* every canonical line ends in CRLF */
			FUZZ_ASSERT(c.body_len >= 2 &&
				    !memcmp(c.body + c.body_len - 2, "\r\n", 2));
			FUZZ_ASSERT(kx_ends_with(c.headers, "\r\n"));
			s.identity = c.identity;
			s.h = c.h;
			s.bh = "";
			s.b = info;
			value = kx_patatt_sig_value(&s);
			check_fold(value);
			free(value);
		}
		kx_patatt_canon_release(&c);
	}
	kx_patatt_mail_release(&m);
	check_fold(text);

	if (!kx_patatt_key_parse(seed, text, size)) {
		kx_patatt_base64(&b, seed, sizeof(seed));
		FUZZ_ASSERT(!kx_patatt_key_parse(again, b.buf, b.len));
		FUZZ_ASSERT(!memcmp(seed, again, sizeof(seed)));
		kx_buf_release(&b);
	}
	kx_error_clear();
	free(text);
	return 0;
}
