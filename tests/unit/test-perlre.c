// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Perl regex subset of MAINTAINERS.  Each expectation is what perl
 * 5.36 answers for the same pattern, flags and text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/error.h"
#include "kvmx86/perlre.h"

static bool m(const char *pattern, unsigned flags, const char *text)
{
	struct kx_perlre *re;
	bool r;

	assert_int_equal(kx_perlre_compile(&re, pattern, flags), 0);
	r = kx_perlre_match(re, text, strlen(text));
	kx_perlre_free(re);
	return r;
}

static void test_perlre__literals_and_classes(void **state)
{
	(void)state;
	assert_true(m("^arch/x86/kvm/", 0, "arch/x86/kvm/x86.c"));
	assert_false(m("^arch/x86/kvm/", 0, "xarch/x86/kvm/x86.c"));
	assert_true(m("^drivers/edac/altera_edac\\.[ch]", 0, "drivers/edac/altera_edac.h"));
	assert_false(m("^drivers/edac/altera_edac\\.[ch]", 0, "drivers/edac/altera_edacXh"));
	assert_true(m("^drivers/regulator/da9...-regulator\\.[ch]", 0,
		      "drivers/regulator/da9063-regulator.c"));
	assert_true(m("^include/sound/da[79].*\\.h", 0, "include/sound/da7219.h"));
	assert_false(m("^include/sound/da[79].*\\.h", 0, "include/sound/da8219.h"));
	assert_true(m("[^a-z]tegra", KX_RE_X, "arch/arm/mach-tegra/x.c"));
	assert_false(m("[^a-z]tegra", KX_RE_X, "drivers/integra/x.c"));
	assert_true(m("[-_]x", 0, "a_x"));
	assert_true(m("[-_]x", 0, "a-x"));
	assert_true(m("[a\\-z]", 0, "-"));
	assert_false(m("[a\\-z]", 0, "b"));
	assert_true(m("[]a]", 0, "]"));
	assert_true(m("[[:digit:]]x", 0, "7x"));
}

/*
 * Where no thread is alive the search skips to a byte a match can begin
 * with; a pattern that can match empty, or begins with an assertion,
 * must not lose a match that way.
 */
static void test_perlre__first_bytes(void **state)
{
	(void)state;
	assert_true(m("kvm", 0, "xxxxxxxxxxxxxxxxxxxxxxxxkvm"));
	assert_false(m("kvm", 0, "xxxxxxxxxxxxxxxxxxxxxxxxkv"));
	assert_false(m("kvm", 0, ""));
	/* a failed start, then the real one: "kvkvm" */
	assert_true(m("kvm", 0, "kvkvm"));
	assert_true(m("(?i)pidfd", KX_RE_X, "a PIDFD here"));
	assert_true(m("\\bSGX_", 0, "if (SGX_FOO)"));
	assert_false(m("\\bSGX_", 0, "if (XSGX_FOO)"));
	assert_true(m("[^@]sifive", KX_RE_X, "@sifive xsifive"));
	assert_false(m("[^@]sifive", KX_RE_X, "@sifive"));
	/* can be empty: matches anything, even nothing */
	assert_true(m("x*", 0, ""));
	assert_true(m("(|a)b?", 0, "zzz"));
	assert_true(m("$", 0, "abc"));
	assert_true(m("\\b", 0, "  a"));
	assert_false(m("\\b", 0, "   "));
	/* the first byte after an assertion or an optional part */
	assert_true(m("(devm_)?reset_control", KX_RE_X, "+ reset_control_get("));
	assert_true(m("(devm_)?reset_control", KX_RE_X, "+ devm_reset_control_get("));
	assert_true(m(".b", 0, "\nab"));
	assert_false(m(".b", 0, "\nb"));
}

static void test_perlre__perl_semantics(void **state)
{
	(void)state;
	/* bcm113* is bcm11 and any number of 3s */
	assert_true(m("bcm113*", KX_RE_X, "arch/arm/mach-bcm/bcm11x.c"));
	assert_true(m("bcm[9]?47622", KX_RE_X, "bcm947622.dts"));
	assert_true(m("bcm[9]?47622", KX_RE_X, "bcm47622.dts"));
	assert_true(m("sun[x456789]i", KX_RE_X, "sun8i-h3.dtsi"));
	/* /x: blanks and comments in the pattern are nothing */
	assert_true(m("a b # comment", KX_RE_X, "ab"));
	assert_false(m("a b", 0, "ab"));
	/* alternation binds loosest: get_maintainer's "^[+-].*" prefix */
	assert_true(m("^[+-].*phylink\\.h|struct\\s+phylink", KX_RE_X,
		      " context with struct  phylink *pl;\n"));
	assert_false(m("^[+-].*(?:phylink\\.h|struct\\s+phylink)", KX_RE_X,
		       " context with struct  phylink *pl;\n"));
	assert_true(m("^[+-].*\\bSGX_", KX_RE_X, "+\tif (SGX_FOO)\n"));
	assert_false(m("^[+-].*\\bSGX_", KX_RE_X, "+\tif (XSGX_FOO)\n"));
	/* (?i) to the end; (?i:...) inside */
	assert_true(m("(?i)clone3", KX_RE_X, "CLONE3"));
	assert_true(m("\\b(?i:clang|llvm)\\b", KX_RE_X, "built by Clang 15"));
	assert_false(m("\\b(?i:clang|llvm)\\b", KX_RE_X, "clangs"));
	assert_false(m("(?:x(?i)a)b", 0, "xAB"));
	assert_true(m("(?:x(?i)a)b", 0, "xAb"));
	/* empty alternatives, optional groups */
	assert_true(m("(devm_)?hwmon_device_(un)?register(|_with_groups|_with_info)", KX_RE_X,
		      "+	hwmon_device_register_with_info(dev"));
	assert_true(m("(?:\\b|_)bpf(?:\\b|_)", KX_RE_X, "net/core/filter_bpf_x.c"));
	assert_false(m("(?:\\b|_)bpf(?:\\b|_)", KX_RE_X, "ebpfx"));
	/* '.' is no newline; '$' is the end or before a final newline */
	assert_false(m("a.b", 0, "a\nb"));
	assert_true(m("a.b", KX_RE_S, "a\nb"));
	assert_true(m("ab$", 0, "xab\n"));
	assert_false(m("ab$", 0, "xab\n\n"));
	assert_true(m("^b", KX_RE_M, "a\nb"));
	assert_false(m("^b", 0, "a\nb"));
	/* counted repetition; '{' that is no count is a '{' */
	assert_true(m("^a{2,3}b", 0, "aab"));
	assert_false(m("^a{2,3}b", 0, "ab"));
	assert_false(m("^a{2,3}b", 0, "aaaab"));
	assert_true(m("x{a", 0, "x{a"));
	assert_true(m("\\x41\\x{42}", 0, "AB"));
	/* patterns that would backtrack for ever take linear time here */
	assert_false(m("(a*)*b", 0, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
	assert_true(m("", 0, ""));
	assert_true(m("x*", 0, ""));
}

static void test_perlre__refused(void **state)
{
	struct kx_perlre *re = NULL;

	(void)state;
	assert_int_equal(kx_perlre_compile(&re, "(a", 0), KX_EINVALID);
	assert_int_equal(kx_perlre_compile(&re, "a)", 0), KX_EINVALID);
	assert_int_equal(kx_perlre_compile(&re, "[ab", 0), KX_EINVALID);
	assert_int_equal(kx_perlre_compile(&re, "(a)\\1", 0), KX_EINVALID);
	assert_int_equal(kx_perlre_compile(&re, "a(?=b)", 0), KX_EINVALID);
	assert_int_equal(kx_perlre_compile(&re, "*a", 0), KX_EINVALID);
	assert_int_equal(kx_perlre_compile(&re, "a{2000}", 0), KX_EINVALID);
	assert_int_equal(kx_perlre_compile(&re, "(a{999}){999}", 0), KX_EINVALID);
	assert_null(re);
	kx_error_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_perlre__literals_and_classes),
		cmocka_unit_test(test_perlre__first_bytes),
		cmocka_unit_test(test_perlre__perl_semantics),
		cmocka_unit_test(test_perlre__refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
