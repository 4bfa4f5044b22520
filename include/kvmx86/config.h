/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kvmx86.* values kvmx86 interprets, read from git's configuration by
 * io (lib/io/config.c) and checked here.  Pure code.  A value that does
 * not parse is an error naming the key, never a silent default.
 */
#ifndef KVMX86_CONFIG_H
#define KVMX86_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Parses value as git parses an integer (decimal digits, then k, m or g
 * for 1024, 1024^2 and 1024^3) into *out, which must lie between min and
 * max.  Returns 0, or KX_EINVALID with a message naming key and the range.
 */
int kx_config_parse_uint(unsigned *out, const char *key, const char *value,
			 unsigned min, unsigned max);

/*
 * Checks value as an http or https URL that kvmx86 may ask and write into
 * a cover letter: one line, no blanks or control characters, a host.
 * Returns 0, or KX_EINVALID with a message naming key.
 */
int kx_config_check_url(const char *key, const char *value);

/*
 * Writes as the text of a git config file (caller frees *out) the
 * settings git passes to its commands through the environment: those of
 * parameters (GIT_CONFIG_PARAMETERS, what `git -c key=value` sets:
 * single-quoted 'key'='value' or 'key=value' words; may be NULL), then
 * the n pairs keys[i], values[i] (GIT_CONFIG_KEY_<i>, GIT_CONFIG_VALUE_<i>
 * of GIT_CONFIG_COUNT).  A key without a value is true.  Returns 0, or
 * KX_EINVALID naming what does not parse.
 */
int kx_config_env_text(char **out, const char *parameters,
		       const char *const *keys, const char *const *values,
		       size_t n);

#endif
