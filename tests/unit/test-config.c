// SPDX-License-Identifier: GPL-2.0-only
/* The kvmx86.* values kvmx86 interprets (lib/core/config.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
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

/* git_config_bool(): the words in any case, "" false, an integer by its value. */
static void test_config__bool_as_git_reads_it(void **state)
{
	static const char *const yes[] = { "true", "YES", "On", "1", "-1", "2", "1k", "0x10" };
	static const char *const no[] = { "false", "No", "OFF", "", "0", "0k", "0x0" };
	static const char *const bad[] = { "maybe", "tru", "1 ", "1x", "99999999999", "4g" };
	bool b;
	size_t i;

	(void)state;
	assert_int_equal(kx_config_bool_value(NULL), 1);
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_int_equal(kx_config_bool_value(yes[i]), 1);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_int_equal(kx_config_bool_value(no[i]), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(kx_config_bool_value(bad[i]), -1);
	assert_int_equal(kx_config_parse_bool(&b, "color.pager", "maybe"), KX_EINVALID);
	assert_string_equal(kx_error_last(),
			    "bad config value 'maybe' for 'color.pager': expected a boolean (true or false)");
}

/* git_config_colorbool(): always/never/auto, else a boolean where true is auto. */
static void test_config__color_as_git_reads_it(void **state)
{
	static const struct {
		const char *value;
		enum kx_color_when when;
	} ok[] = {
		{ "always", KX_COLOR_ALWAYS }, { "ALWAYS", KX_COLOR_ALWAYS },
		{ "never", KX_COLOR_NEVER }, { "Never", KX_COLOR_NEVER },
		{ "auto", KX_COLOR_AUTO }, { "true", KX_COLOR_AUTO },
		{ "yes", KX_COLOR_AUTO }, { "1", KX_COLOR_AUTO },
		{ NULL, KX_COLOR_AUTO }, { "false", KX_COLOR_NEVER },
		{ "off", KX_COLOR_NEVER }, { "", KX_COLOR_NEVER }, { "0", KX_COLOR_NEVER },
	};
	enum kx_color_when w;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		w = KX_COLOR_UNSET;
		assert_int_equal(kx_config_parse_color(&w, "color.ui", ok[i].value), 0);
		assert_int_equal(w, ok[i].when);
	}
	w = KX_COLOR_UNSET;
	assert_int_equal(kx_config_parse_color(&w, "color.ui", "maybe"), KX_EINVALID);
	assert_int_equal(w, KX_COLOR_UNSET);
	assert_string_equal(kx_error_last(),
			    "bad config value 'maybe' for 'color.ui': expected always, never, auto or a boolean (true means auto)");
	assert_int_equal(kx_config_parse_color(&w, "color.kvmx86", "al\033ways"), KX_EINVALID);
	assert_non_null(strstr(kx_error_last(), "'al^[ways' for 'color.kvmx86'"));
}

/* --color=<when>: git's three words only; a bare --color is always. */
static void test_config__color_option(void **state)
{
	enum kx_color_when w = KX_COLOR_UNSET;

	(void)state;
	assert_int_equal(kx_color_parse_option(&w, NULL), 0);
	assert_int_equal(w, KX_COLOR_ALWAYS);
	assert_int_equal(kx_color_parse_option(&w, "never"), 0);
	assert_int_equal(w, KX_COLOR_NEVER);
	assert_int_equal(kx_color_parse_option(&w, "Auto"), 0);
	assert_int_equal(w, KX_COLOR_AUTO);
	assert_int_equal(kx_color_parse_option(&w, "always"), 0);
	assert_int_equal(w, KX_COLOR_ALWAYS);
	assert_int_equal(kx_color_parse_option(&w, "sometimes"), KX_EINVALID);
	assert_string_equal(kx_error_last(),
			    "option '--color' expects 'always', 'never' or 'auto', not 'sometimes'");
	assert_int_equal(kx_color_parse_option(&w, "true"), KX_EINVALID);
	assert_int_equal(kx_color_parse_option(&w, ""), KX_EINVALID);
	assert_int_equal(w, KX_COLOR_ALWAYS);
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
		cmocka_unit_test(test_config__bool_as_git_reads_it),
		cmocka_unit_test(test_config__color_as_git_reads_it),
		cmocka_unit_test(test_config__color_option),
		cmocka_unit_test(test_config__env_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
