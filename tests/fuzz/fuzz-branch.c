// SPDX-License-Identifier: GPL-2.0-only
/*
 * Branch names: the topic of x86/<topic>/<name>, whether a name may be
 * pasted into a shell command, the state file's name, the change-id a
 * name makes.
 */
#include "fuzz.h"
#include "kvmx86/branch.h"
#include "kvmx86/safe.h"
#include "kvmx86/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char topic[64], *name, *file, *id;
	size_t i;

	if (size > 4096)
		return 0;
	name = fuzz_string(data, size);
	kx_branch_topic(topic, sizeof(topic), name);
	if (kx_branch_name_is_safe(name))
		for (i = 0; name[i]; i++)
			FUZZ_ASSERT(!strchr(" \t\n'\"$`;&|<>()*?[]\\!~#", name[i]));
	/* one file in the state directory, whatever the name */
	file = kx_state_file_name(name);
	FUZZ_ASSERT(!strchr(file, '/') && kx_ends_with(file, ".json"));
	free(file);
	id = kx_change_id(name, "20230101", "0123456789ab");
	FUZZ_ASSERT(kx_header_text_check("change-id", id, KX_CHANGE_ID_MAX) == 0);
	free(id);
	kx_url_is_kvm_x86(name);
	kx_url_is_kvm(name);
	kx_error_clear();
	free(name);
	return 0;
}
