// SPDX-License-Identifier: GPL-2.0-only
/*
 * The state file: what loads saves, and loads again to the same state;
 * the second save is the first byte for byte.  What does not load is
 * refused with a message, never half-read.
 */
#include "fuzz.h"
#include "kvmx86/statefile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kx_state_file a, b;
	char *one, *two;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	if (kx_state_file_parse(&a, (const char *)data, size, "state file") < 0) {
		FUZZ_ASSERT(*kx_error_last());
		FUZZ_ASSERT(!a.state.branch && !a.loaded);
		kx_state_file_release(&a);
		kx_error_clear();
		return 0;
	}
	FUZZ_ASSERT(kx_state_check(&a.state) == 0);
	one = kx_state_file_format(&a);
	FUZZ_ASSERT(one);
	FUZZ_ASSERT(kx_state_file_parse(&b, one, strlen(one), "saved state") == 0);
	two = kx_state_file_format(&b);
	FUZZ_ASSERT(two && !strcmp(one, two));
	FUZZ_ASSERT(a.state.revision == b.state.revision &&
		    a.state.sent_nr == b.state.sent_nr &&
		    a.state.prefixes.nr == b.state.prefixes.nr);
	free(one);
	free(two);
	kx_state_file_release(&a);
	kx_state_file_release(&b);
	return 0;
}
