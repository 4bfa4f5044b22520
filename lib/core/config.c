// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/config.h"
#include "kvmx86/error.h"
#include "kvmx86/safe.h"
#include "kvmx86/util.h"

static int bad_value(const char *key, const char *value, const char *what)
{
	char *shown = kx_escape(strlen(value) > 60 ? "(too long)" : value, 0);
	int error = kx_error_set(KX_EINVALID, "bad config value '%s' for '%s': %s",
				 shown, key, what);

	free(shown);
	return error;
}

int kx_config_parse_uint(unsigned *out, const char *key, const char *value,
			 unsigned min, unsigned max)
{
	unsigned long long v = 0, unit = 1;
	const char *p = value;
	char range[80];

	snprintf(range, sizeof(range), "expected a whole number from %u to %u",
		 min, max);
	if (!isdigit((unsigned char)*p))
		return bad_value(key, value, range);
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (unsigned)(*p - '0');
		if (v > UINT_MAX)
			return bad_value(key, value, range);
	}
	/* git's units (config.c, git_parse_signed) */
	if (*p == 'k' || *p == 'K')
		unit = 1024;
	else if (*p == 'm' || *p == 'M')
		unit = 1024 * 1024;
	else if (*p == 'g' || *p == 'G')
		unit = 1024 * 1024 * 1024;
	if (unit > 1)
		p++;
	if (*p || v * unit > max || v * unit < min)
		return bad_value(key, value, range);
	*out = (unsigned)(v * unit);
	return 0;
}

int kx_config_check_url(const char *key, const char *value)
{
	const char *host;
	size_t i;

	if (strncasecmp(value, "http://", 7) && strncasecmp(value, "https://", 8))
		return bad_value(key, value, "expected an http:// or https:// URL");
	for (i = 0; value[i]; i++)
		if ((unsigned char)value[i] <= ' ' || value[i] == 0x7f)
			return bad_value(key, value,
					 "a URL holds no blanks or control characters");
	if (!kx_utf8_valid(value, strlen(value)))
		return bad_value(key, value, "a URL is UTF-8");
	host = strstr(value, "://") + 3;
	if (!*host || *host == '/')
		return bad_value(key, value, "the URL names no host");
	if (strlen(value) > 2048)
		return bad_value(key, value, "the URL is over 2048 bytes");
	return 0;
}
