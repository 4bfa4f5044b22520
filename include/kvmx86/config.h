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
 * Reads value as git reads a boolean (true, yes, on, false, no, off and
 * "" in any case, or an integer: 0 is false); NULL, a key written
 * without '=', is true.  Returns 1, 0, or -1 if it is none.
 */
int kx_config_bool_value(const char *value);

/*
 * Parses a boolean configuration value (kx_config_bool_value()) into
 * *out.  Returns 0, or KX_EINVALID with a message naming key.
 */
int kx_config_parse_bool(bool *out, const char *key, const char *value);

/* When output is coloured: git's --color=<when> and color.ui. */
enum kx_color_when {
	KX_COLOR_UNSET = 0,	/* not said here: the next source decides */
	KX_COLOR_NEVER,
	KX_COLOR_ALWAYS,
	KX_COLOR_AUTO,		/* on a terminal (or git's pager) */
};

/* What git's configuration says of colour. */
struct kx_color_config {
	enum kx_color_when when;	/* color.kvmx86, else color.ui */
	bool pager;			/* color.pager: auto colours git's pager */
};

/*
 * Parses value as git's color.ui (git_config_colorbool()): always, never
 * or auto in any case, or a boolean, where true means auto (and NULL, a
 * key without '=', is true).  Returns 0, or KX_EINVALID with a message
 * naming key and the values it takes.
 */
int kx_config_parse_color(enum kx_color_when *out, const char *key,
			  const char *value);

/*
 * Parses the <when> of --color[=<when>] as git does: always, never or
 * auto (a bare --color, NULL, is always; no boolean).  Returns 0, or
 * KX_EINVALID with a message naming --color and the values it takes.
 */
int kx_color_parse_option(enum kx_color_when *out, const char *when);

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
