// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cover text (an edited cover letter, a branch description, b4's cover
 * commit) and a cover template: input = text, a NUL byte, the template.
 */
#include "fuzz.h"
#include "kvmx86/cover.h"
#include "kvmx86/safe.h"
#include "kvmx86/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kx_cover_text t;
	struct kx_cover_blocks b;
	struct kx_version_link links[3] = {
		{ 1, "https://lore.kernel.org/all/v1@x/", NULL },
		{ 2, NULL, "link to v2 (not found on lore)" },
		{ 3, "https://lore.kernel.org/all/v3@x/", NULL },
	};
	struct kx_strlist prefixes = KX_STRLIST_INIT;
	char *text, *tmpl, *subject = NULL, *body = NULL, *changelog, *out, *bad = NULL;
	char *line;
	bool converted;
	unsigned revision;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	text = fuzz_string(data, size);
	tmpl = text + strlen(text) < text + size ? text + strlen(text) + 1 : NULL;
	revision = size ? (unsigned)data[size - 1] % 6 + 1 : 1;

	if (kx_cover_from_text(&subject, &body, text, size && data[0] == '#',
			       "the cover letter",
			       &converted) == 0) {
		/* what is stored does for a mail header and for JSON */
		FUZZ_ASSERT(kx_header_text_check("subject", subject, KX_SUBJECT_MAX) == 0);
		FUZZ_ASSERT(kx_utf8_valid(body, strlen(body)));
		kx_cover_text_parse(&t, body);
		changelog = kx_cover_changelog(&t, revision, links, revision - 1 < 3 ?
					       revision - 1 : 3);
		memset(&b, 0, sizeof(b));
		b.cover = t.blurb;
		b.changelog = changelog;
		b.shortlog = "Tess Ting (1):\n  KVM: x86: Frob\n";
		b.base_commit = "0123456789abcdef0123456789abcdef01234567";
		b.change_id = "20230101-frob-0123456789ab";
		out = kx_cover_render(tmpl ? tmpl : kx_cover_default_template, &b, &bad);
		FUZZ_ASSERT(out || bad);
		free(out);
		free(bad);
		free(changelog);
		kx_cover_text_release(&t);
		/* the subject line of the letter stays one line */
		if (kx_prefixes_parse(&prefixes, tmpl ? tmpl : "RFC") == 0) {
			line = kx_cover_subject_line(&prefixes, revision, 0, 3, subject);
			FUZZ_ASSERT(!strpbrk(line, "\r\n"));
			free(line);
		}
		kx_strlist_release(&prefixes);
	}
	free(subject);
	free(body);
	kx_error_clear();
	free(text);
	return 0;
}
