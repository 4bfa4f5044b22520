// SPDX-License-Identifier: GPL-2.0-only
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "kvmx86/error.h"
#include "kvmx86/http.h"

/* gzip of data (one member), in *out (malloc'd), its length returned. */
static size_t gzip_of(unsigned char **out, const void *data, size_t len)
{
	z_stream z;
	size_t cap = len + 1024;

	memset(&z, 0, sizeof(z));
	*out = malloc(cap);
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)data;
	z.avail_in = (unsigned)len;
	z.next_out = *out;
	z.avail_out = (unsigned)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	deflateEnd(&z);
	return cap - z.avail_out;
}

static void test_http__gunzip(void **state)
{
	unsigned char *a, *b, *both;
	size_t na, nb;
	char *out;
	size_t len;

	(void)state;
	na = gzip_of(&a, "From x\n", 7);
	nb = gzip_of(&b, "From y\n", 7);
	assert_int_equal(kx_http_gunzip(&out, &len, a, na, 100, "u"), 0);
	assert_int_equal(len, 7);
	assert_string_equal(out, "From x\n");
	free(out);

	/* gzip members concatenate; trailing zeros are ignored */
	both = malloc(na + nb + 4);
	memcpy(both, a, na);
	memcpy(both + na, b, nb);
	memset(both + na + nb, 0, 4);
	assert_int_equal(kx_http_gunzip(&out, &len, both, na + nb + 4, 100,
					"u"), 0);
	assert_string_equal(out, "From x\nFrom y\n");
	free(out);

	/* every truncation is an error that says so, never a short mbox */
	for (len = 2; len < na; len++) {
		size_t n;

		assert_int_equal(kx_http_gunzip(&out, &n, a, len, 100, "u"),
				 KX_EINVALID);
		assert_null(out);
		if (!strstr(kx_error_last(), "truncated") &&
		    !strstr(kx_error_last(), "corrupt"))
			fail_msg("cut at %zu: %s", len, kx_error_last());
	}
	assert_int_equal(kx_http_gunzip(&out, &len, a, na / 2, 100, "URL"),
			 KX_EINVALID);
	assert_non_null(strstr(kx_error_last(), "the gzip data from 'URL' is "
			       "truncated"));

	/* corrupt, not gzip, too big */
	a[na - 5] ^= 0xff;	/* the length in the trailer */
	assert_int_equal(kx_http_gunzip(&out, &len, a, na, 100, "u"),
			 KX_EINVALID);
	assert_non_null(strstr(kx_error_last(), "corrupt"));
	assert_int_equal(kx_http_gunzip(&out, &len, "<html>", 6, 100, "URL"),
			 KX_EINVALID);
	assert_string_equal(kx_error_last(), "the answer from 'URL' is not "
			    "gzip data");
	assert_int_equal(kx_http_gunzip(&out, &len, b, nb, 6, "URL"),
			 KX_EINVALID);
	assert_string_equal(kx_error_last(), "the gzip data from 'URL' "
			    "inflates past 6 bytes");
	assert_int_equal(kx_http_gunzip(&out, &len, b, nb, 7, "URL"), 0);
	free(out);
	free(a);
	free(b);
	free(both);
}

static void test_http__bad_url(void **state)
{
	struct kx_http_response r = KX_HTTP_RESPONSE_INIT;

	(void)state;
	assert_int_equal(kx_http_get(&r, "file:///etc/passwd", NULL),
			 KX_EINVALID);
	assert_string_equal(kx_error_last(), "'file:///etc/passwd' is not an "
			    "http or https URL");
	assert_int_equal(r.attempts, 0);
	kx_http_response_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http__gunzip),
		cmocka_unit_test(test_http__bad_url),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
