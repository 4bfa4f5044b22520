// SPDX-License-Identifier: GPL-2.0-only
/* The kvmx86.* values kvmx86 interprets (lib/core/config.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/config.h"
#include "kvmx86/error.h"

static void test_config__uint_as_git_reads_it(void **state)
{
	unsigned v = 7;

	(void)state;
	assert_int_equal(kx_config_parse_uint(&v, "k", "30", 1, 3600), 0);
	assert_int_equal(v, 30);
	assert_int_equal(kx_config_parse_uint(&v, "k", "1k", 1, 3600), 0);
	assert_int_equal(v, 1024);
	assert_int_equal(kx_config_parse_uint(&v, "k", "0", 0, 10), 0);
	assert_int_equal(v, 0);
}

static void test_config__uint_garbage_names_the_key(void **state)
{
	static const char *const bad[] = {
		"", "abc", "-1", "0", "3601", "4k", "10 s", "1.5", " 5",
		"99999999999", "4294967296", "5x", "1kk",
	};
	unsigned v = 7;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(kx_config_parse_uint(&v, "kvmx86.httpTimeout", bad[i],
						      1, 3600), KX_EINVALID);
		assert_int_equal(v, 7);
		assert_non_null(strstr(kx_error_last(), "'kvmx86.httpTimeout'"));
		assert_non_null(strstr(kx_error_last(), "from 1 to 3600"));
	}
}

static void test_config__url(void **state)
{
	(void)state;
	assert_int_equal(kx_config_check_url("u", "https://lore.kernel.org/all"), 0);
	assert_int_equal(kx_config_check_url("u", "HTTP://127.0.0.1:8080/x/"), 0);
	assert_int_equal(kx_config_check_url("u", "ftp://lore.kernel.org/all"), KX_EINVALID);
	assert_int_equal(kx_config_check_url("u", "lore.kernel.org/all"), KX_EINVALID);
	assert_int_equal(kx_config_check_url("u", "https:///all"), KX_EINVALID);
	assert_int_equal(kx_config_check_url("u", "https://a/b\nBcc: c"), KX_EINVALID);
	assert_string_equal(kx_error_last(),
			    "bad config value 'https://a/b^JBcc: c' for 'u': a URL holds no blanks or control characters");
	assert_int_equal(kx_config_check_url("u", "https://a b/"), KX_EINVALID);
}

/* What `git -c` and GIT_CONFIG_COUNT pass, as a config file's text. */
static void test_config__env_text(void **state)
{
	const char *keys[] = { "kvmx86.rule.shortlog-case", "sendemail.work.cc" };
	const char *values[] = { "off", "A \"B\" <a@b.c>" };
	char *t;

	(void)state;
	assert_int_equal(kx_config_env_text(&t,
		"'kvmx86.superficialLines'='10' 'user.name=Ann O'\\''Neil' 'core.bare' 'a.B.c'='x\ny'",
		keys, values, 2), 0);
	assert_string_equal(t,
		"[kvmx86]\n\tsuperficialLines = \"10\"\n"
		"[user]\n\tname = \"Ann O'Neil\"\n"
		"[core]\n\tbare\n"
		"[a \"B\"]\n\tc = \"x\\ny\"\n"
		"[kvmx86 \"rule\"]\n\tshortlog-case = \"off\"\n"
		"[sendemail \"work\"]\n\tcc = \"A \\\"B\\\" <a@b.c>\"\n");
	free(t);
	assert_int_equal(kx_config_env_text(&t, NULL, NULL, NULL, 0), 0);
	assert_string_equal(t, "");
	free(t);
	/* git 2.39: 'key'= for git -c key (true), '\\!' for a '!' */
	assert_int_equal(kx_config_env_text(&t, "'color.ui'= 'alias.x'=''\\!'echo hi' 'a.b'='x'\\!'y'",
					    NULL, NULL, 0), 0);
	assert_string_equal(t, "[color]\n\tui\n[alias]\n\tx = \"!echo hi\"\n[a]\n\tb = \"x!y\"\n");
	free(t);
	assert_int_equal(kx_config_env_text(&t, "'unterminated", NULL, NULL, 0), KX_EINVALID);
	assert_int_equal(kx_config_env_text(&t, "'nodot'='x'", NULL, NULL, 0), KX_EINVALID);
	kx_error_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config__uint_as_git_reads_it),
		cmocka_unit_test(test_config__uint_garbage_names_the_key),
		cmocka_unit_test(test_config__url),
		cmocka_unit_test(test_config__env_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
