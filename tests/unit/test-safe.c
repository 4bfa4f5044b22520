// SPDX-License-Identifier: GPL-2.0-only
/* Text on its way to a mail header or a terminal (lib/core/safe.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/error.h"
#include "kvmx86/safe.h"

static void test_safe__utf8_valid(void **state)
{
	(void)state;
	assert_true(kx_utf8_valid("", 0));
	assert_true(kx_utf8_valid("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14));
	assert_false(kx_utf8_valid("R\xe9" "C", 3));		/* Latin-1 */
	assert_false(kx_utf8_valid("\xc0\xaf", 2));		/* overlong '/' */
	assert_false(kx_utf8_valid("\xed\xa0\x80", 3));		/* a surrogate */
	assert_false(kx_utf8_valid("\xf4\x90\x80\x80", 4));	/* past U+10FFFF */
	assert_false(kx_utf8_valid("\xe2\x82", 2));		/* cut short */
	assert_false(kx_utf8_valid("a\0b", 3));			/* NUL */
}

static void test_safe__escape_controls(void **state)
{
	char *s;

	(void)state;
	s = kx_escape("a\033]52;c;Zm9v\007b\033[2J\r\x7f", 0);
	assert_string_equal(s, "a^[]52;c;Zm9v^Gb^[[2J^M^?");
	free(s);
	/* C1 CSI as UTF-8 and a raw 8-bit CSI byte */
	s = kx_escape("x\xc2\x9b" "6n y\x9b" "6n", 0);
	assert_string_equal(s, "x<C2><9B>6n y<9B>6n");
	free(s);
	/* printable UTF-8 passes; LF and TAB only when asked */
	s = kx_escape("caf\xc3\xa9\tl\xc3\xa0\n", 0);
	assert_string_equal(s, "caf\xc3\xa9^Il\xc3\xa0^J");
	free(s);
	s = kx_escape("caf\xc3\xa9\tl\xc3\xa0\n", KX_ESCAPE_KEEP_NL | KX_ESCAPE_KEEP_TAB);
	assert_string_equal(s, "caf\xc3\xa9\tl\xc3\xa0\n");
	free(s);
	assert_false(kx_needs_escape("plain caf\xc3\xa9", 0));
	assert_true(kx_needs_escape("a\rb", 0));
	assert_true(kx_needs_escape("R\xe9", 0));
	assert_false(kx_needs_escape("a\nb", KX_ESCAPE_KEEP_NL));
}

static void test_safe__header_text(void **state)
{
	(void)state;
	assert_int_equal(kx_header_text_check("prefix", "RFC", 64), 0);
	assert_int_equal(kx_header_text_check("name", "Jos\xc3\xa9 M\xc3\xbcller", 64), 0);
	assert_int_equal(kx_header_text_check("prefix",
			 "RFC\nBcc: attacker@evil.example", 64), KX_EINVALID);
	assert_string_equal(kx_error_last(),
			    "prefix 'RFC^JBcc: attacker@evil.example' holds a line break");
	assert_non_null(strstr(kx_error_last_hint(), "one line of UTF-8"));
	assert_int_equal(kx_header_text_check("change-id", "a\rb", 64), KX_EINVALID);
	assert_non_null(strstr(kx_error_last(), "line break"));
	assert_int_equal(kx_header_text_check("subject", "a\033[2Jb", 64), KX_EINVALID);
	assert_string_equal(kx_error_last(), "subject 'a^[[2Jb' holds a control character");
	assert_int_equal(kx_header_text_check("subject", "tab\there", 64), KX_EINVALID);
	assert_int_equal(kx_header_text_check("prefix", "R\xe9" "C", 64), KX_EINVALID);
	assert_string_equal(kx_error_last(), "prefix 'R<E9>C' is not valid UTF-8");
	assert_int_equal(kx_header_text_check("prefix", "0123456789", 9), KX_EINVALID);
	assert_non_null(strstr(kx_error_last(), "at most 9"));
}

static void test_safe__latin1_to_utf8(void **state)
{
	bool converted;
	char *s;

	(void)state;
	s = kx_text_to_utf8("caf\xc3\xa9", &converted);
	assert_false(converted);
	assert_string_equal(s, "caf\xc3\xa9");
	free(s);
	/* Latin-1 e-acute, and Windows-1252's curly quotes and euro sign */
	s = kx_text_to_utf8("caf\xe9 \x93q\x94 \x80", &converted);
	assert_true(converted);
	assert_string_equal(s, "caf\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d \xe2\x82\xac");
	assert_true(kx_utf8_valid(s, strlen(s)));
	free(s);
}

static void test_safe__url_redact(void **state)
{
	char *s;

	(void)state;
	s = kx_url_redact("http://alice:S3cr3tPW@host:8080/all?q=a@b");
	assert_string_equal(s, "http://host:8080/all?q=a@b");
	free(s);
	s = kx_url_redact("https://a:p@ss@host/x");
	assert_string_equal(s, "https://host/x");
	free(s);
	s = kx_url_redact("https://lore.kernel.org/all/a@b/");
	assert_string_equal(s, "https://lore.kernel.org/all/a@b/");
	free(s);
	s = kx_url_redact("not a url");
	assert_string_equal(s, "not a url");
	free(s);
}

static void test_safe__shell_word(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "make", "make" },
		{ "a b", "'a b'" },
		{ "it's", "'it'\\''s'" },
		{ "", "''" },
		/* a line break stays one line, and pastes back as one */
		{ "set -e\nmake", "$'set -e\\nmake'" },
		{ "a\tb'c\\d\x1b", "$'a\\tb\\'c\\\\d\\x1b'" },
		/*
		 * a C1 control or a byte that is no UTF-8, which a terminal
		 * shows as <C2><9B> or <FF>: as \xHH, the rest as it is
		 */
		{ "bad\xc2\x9bname", "$'bad\\xc2\\x9bname'" },
		{ "b\xff" "d \xc3\xa9", "$'b\\xff" "d \xc3\xa9'" },
		{ "caf\xc3\xa9 x", "'caf\xc3\xa9 x'" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *w = kx_shell_word(cases[i].in);

		assert_string_equal(w, cases[i].out);
		free(w);
	}
}

static void test_safe__utf8_cut(void **state)
{
	/* "caf\u00e9s": the e-acute is bytes 3 and 4 */
	static const char s[] = "caf\xc3\xa9s";

	(void)state;
	assert_int_equal(kx_utf8_cut(s, 3), 3);
	assert_int_equal(kx_utf8_cut(s, 4), 3);
	assert_int_equal(kx_utf8_cut(s, 5), 5);
	assert_int_equal(kx_utf8_cut(s, 6), 6);
	assert_int_equal(kx_utf8_cut("\xe2\x82\xac", 2), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_safe__utf8_valid),
		cmocka_unit_test(test_safe__escape_controls),
		cmocka_unit_test(test_safe__header_text),
		cmocka_unit_test(test_safe__latin1_to_utf8),
		cmocka_unit_test(test_safe__url_redact),
		cmocka_unit_test(test_safe__shell_word),
		cmocka_unit_test(test_safe__utf8_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
