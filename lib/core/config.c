// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
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

int kx_config_bool_value(const char *value)
{
	static const char *const yes[] = { "true", "yes", "on" };
	static const char *const no[] = { "false", "no", "off", "" };
	intmax_t v, unit = 1;
	char *end;
	size_t i;

	if (!value)
		return 1;
	for (i = 0; i < ARRAY_SIZE(yes); i++)
		if (!strcasecmp(value, yes[i]))
			return 1;
	for (i = 0; i < ARRAY_SIZE(no); i++)
		if (!strcasecmp(value, no[i]))
			return 0;
	/* else an int as git_parse_int() reads one: strtoimax, base 0, a unit */
	errno = 0;
	v = strtoimax(value, &end, 0);
	if (errno || end == value)
		return -1;
	if (*end == 'k' || *end == 'K')
		unit = 1024;
	else if (*end == 'm' || *end == 'M')
		unit = 1024 * 1024;
	else if (*end == 'g' || *end == 'G')
		unit = 1024 * 1024 * 1024;
	if (unit > 1)
		end++;
	if (*end || v > INT_MAX / unit || v < INT_MIN / unit)
		return -1;
	return v != 0;
}

int kx_config_parse_bool(bool *out, const char *key, const char *value)
{
	int v = kx_config_bool_value(value);

	if (v < 0)
		return bad_value(key, value, "expected a boolean (true or false)");
	*out = v;
	return 0;
}

int kx_config_parse_color(enum kx_color_when *out, const char *key,
			  const char *value)
{
	int v;

	/* git_config_colorbool(): the words first, then a boolean */
	if (value && !strcasecmp(value, "never"))
		*out = KX_COLOR_NEVER;
	else if (value && !strcasecmp(value, "always"))
		*out = KX_COLOR_ALWAYS;
	else if (value && !strcasecmp(value, "auto"))
		*out = KX_COLOR_AUTO;
	else if ((v = kx_config_bool_value(value)) < 0)
		return bad_value(key, value,
				 "expected always, never, auto or a boolean (true means auto)");
	else
		*out = v ? KX_COLOR_AUTO : KX_COLOR_NEVER;
	return 0;
}

int kx_color_parse_option(enum kx_color_when *out, const char *when)
{
	char *shown;
	int error;

	/* git's --color takes the three words (in any case), not a boolean */
	if (!when || !strcasecmp(when, "always"))
		*out = KX_COLOR_ALWAYS;
	else if (!strcasecmp(when, "never"))
		*out = KX_COLOR_NEVER;
	else if (!strcasecmp(when, "auto"))
		*out = KX_COLOR_AUTO;
	else {
		shown = kx_escape(strlen(when) > 60 ? "(too long)" : when, 0);
		error = kx_error_set(KX_EINVALID,
				     "option '--color' expects 'always', 'never' or 'auto', not '%s'",
				     shown);
		free(shown);
		return error;
	}
	return 0;
}

/*
 * One single-quoted shell word at *p into b, as git's sq_quote writes it
 * ('it'\''s', '\!' for a '!'): quoted parts joined by a backslash and
 * the character it escapes.  False if none.
 */
static bool sq_word(struct kx_buf *b, const char **p)
{
	const char *s = *p;

	if (*s != '\'')
		return false;
	kx_buf_adds(b, "");
	for (;;) {
		const char *end = strchr(s + 1, '\'');

		if (!end)
			return false;
		kx_buf_add(b, s + 1, (size_t)(end - s - 1));
		s = end + 1;
		/* \X then a quote: X, and the word goes on */
		if (s[0] == '\\' && s[1] && s[2] == '\'') {
			kx_buf_addc(b, s[1]);
			s += 2;
			continue;
		}
		break;
	}
	*p = s;
	return true;
}

/* Appends key = value to the config text (a key with no value: true). */
static int add_setting(struct kx_buf *out, const char *key, const char *value)
{
	const char *dot = strchr(key, '.'), *last = strrchr(key, '.');
	const char *p;

	if (!dot || dot == key || !last[1] || strchr(key, '\n'))
		return kx_error_set(KX_EINVALID,
				    "bad configuration from the environment: '%s' is not section.key",
				    key);
	kx_buf_addf(out, "[%.*s", (int)(dot - key), key);
	if (last != dot) {
		kx_buf_adds(out, " \"");
		for (p = dot + 1; p < last; p++) {
			if (*p == '"' || *p == '\\')
				kx_buf_addc(out, '\\');
			kx_buf_addc(out, *p);
		}
		kx_buf_adds(out, "\"");
	}
	kx_buf_addf(out, "]\n\t%s", last + 1);
	if (value) {
		kx_buf_adds(out, " = \"");
		for (p = value; *p; p++) {
			if (*p == '\n')
				kx_buf_adds(out, "\\n");
			else if (*p == '\t')
				kx_buf_adds(out, "\\t");
			else {
				if (*p == '"' || *p == '\\')
					kx_buf_addc(out, '\\');
				kx_buf_addc(out, *p);
			}
		}
		kx_buf_adds(out, "\"");
	}
	kx_buf_adds(out, "\n");
	return 0;
}

int kx_config_env_text(char **out, const char *parameters,
		       const char *const *keys, const char *const *values,
		       size_t n)
{
	struct kx_buf text = KX_BUF_INIT;
	const char *p = parameters ? parameters : "";
	size_t i;
	int error = 0;

	*out = NULL;
	kx_buf_adds(&text, "");
	while (!error) {
		struct kx_buf key = KX_BUF_INIT, value = KX_BUF_INIT;
		bool has_value = false;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (!sq_word(&key, &p)) {
			error = kx_error_set(KX_EINVALID,
					     "bad GIT_CONFIG_PARAMETERS: '%s' is no quoted setting", p);
		} else if (*p == '=') {
			/* 'key'='value'; 'key'= alone is git -c key: true */
			p++;
			if (*p && *p != ' ') {
				has_value = true;
				if (!sq_word(&value, &p))
					error = kx_error_set(KX_EINVALID,
							     "bad GIT_CONFIG_PARAMETERS: no quoted value for '%s'",
							     key.buf ? key.buf : "");
			}
		} else if (key.buf && strchr(key.buf, '=')) {
			/* the older 'key=value' */
			char *eq = strchr(key.buf, '=');

			*eq = '\0';
			kx_buf_adds(&value, eq + 1);
			has_value = true;
		}
		if (!error)
			error = add_setting(&text, key.buf ? key.buf : "",
					    has_value ? (value.buf ? value.buf : "") : NULL);
		kx_buf_release(&key);
		kx_buf_release(&value);
	}
	for (i = 0; i < n && !error; i++)
		error = add_setting(&text, keys[i], values[i]);
	if (error < 0) {
		kx_buf_release(&text);
		return error;
	}
	*out = kx_buf_detach(&text);
	return 0;
}
