// SPDX-License-Identifier: GPL-2.0-only
/*
 * A commit message through every rule of prep --check, and its subject
 * through what reads subjects: lore's subject parser, git shortlog's.
 */
#include "fuzz.h"
#include "kvmx86/cover.h"
#include "kvmx86/lore.h"
#include "kvmx86/patch.h"
#include "kvmx86/rules.h"

/* A commit the changelog names exists when its id starts with 'a'. */
static int lookup(void *data, const char *hex, char **subject)
{
	(void)data;
	*subject = NULL;
	if (hex[0] != 'a')
		return 0;
	*subject = kx_xstrdup("KVM: x86: Some earlier commit");
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_lore_subject s = KX_LORE_SUBJECT_INIT;
	struct kx_rule_env env;
	struct kx_patch p[2];
	struct kx_patch_file *file;
	struct kx_shortlog_entry e[2];
	char *text, *out;
	size_t i;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	text = fuzz_string(data, size);
	memset(&env, 0, sizeof(env));
	env.lookup_commit = lookup;
	for (i = 0; i < 2; i++) {
		kx_patch_init(&p[i]);
		memset(p[i].id, i ? 'b' : 'a', 40);
		p[i].id[40] = '\0';
		p[i].author_name = kx_xstrdup("Tess Ting");
		p[i].author_email = kx_xstrdup("tess@example.com");
		kx_patch_set_message(&p[i], text);
	}
	file = kx_patch_add_file(&p[0], "arch/x86/kvm/x86.c");
	kx_strlist_add(&file->added, "static void frob(void) {}");
	file = kx_patch_add_file(&p[1], "tools/testing/selftests/kvm/x86/frob.c");
	kx_strlist_add(&file->added, "int main(void) { return 0; }");
	kx_rules_run(&f, p, 2, &env);
	for (i = 0; i < f.nr; i++)
		FUZZ_ASSERT(f.items[i].rule && f.items[i].message);
	kx_findings_release(&f);

	kx_lore_subject_parse(&s, p[0].subject ? p[0].subject : "");
	kx_lore_subject_release(&s);
	out = kx_shortlog_subject(text);
	free(out);
	e[0].author = "Tess Ting";
	e[0].message = text;
	e[1].author = "Oscar Other";
	e[1].message = text;
	out = kx_shortlog_format(e, 2);
	free(out);
	for (i = 0; i < 2; i++)
		kx_patch_release(&p[i]);
	kx_error_clear();
	free(text);
	return 0;
}
