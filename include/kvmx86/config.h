/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kvmx86.* values kvmx86 interprets, read from git's configuration by
 * io (lib/io/config.c) and checked here.  Pure code.  A value that does
 * not parse is an error naming the key, never a silent default.
 */
#ifndef KVMX86_CONFIG_H
#define KVMX86_CONFIG_H

#include <stdbool.h>

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

#endif
