// SPDX-License-Identifier: GPL-2.0-only
/*
 * b4's tracking data (--enroll): what it imports passes the state file's
 * checks, so the state that follows can be written and read again.
 */
#include "fuzz.h"
#include "kvmx86/statefile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kx_state_file f, g;
	char *text, *saved;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	text = fuzz_string(data, size);
	kx_state_file_init(&f);
	f.state.branch = kx_xstrdup("b4/frob");
	f.state.change_id = kx_xstrdup("20230101-frob-0123456789ab");
	if (kx_b4_tracking_parse(&f.state, text, "b4's tracking data") == 0) {
		FUZZ_ASSERT(kx_state_check(&f.state) == 0);
		saved = kx_state_file_format(&f);
		FUZZ_ASSERT(saved);
		FUZZ_ASSERT(kx_state_file_parse(&g, saved, strlen(saved), "s") == 0);
		kx_state_file_release(&g);
		free(saved);
	} else {
		/* a refused import changes nothing */
		FUZZ_ASSERT(f.state.revision == 1 && !f.state.sent_nr &&
			    !f.state.prefixes.nr &&
			    !strcmp(f.state.change_id, "20230101-frob-0123456789ab"));
	}
	kx_state_file_release(&f);
	kx_error_clear();
	free(text);
	return 0;
}
