// SPDX-License-Identifier: GPL-2.0-only
/*
 * A line of C split into code, literals and comment text (ctext.h).
 */
#include <string.h>

#include "ctext.h"

static void code_run(const char *s, const char *e, kx_c_run_fn fn, void *data)
{
	if (e > s)
		fn(KX_C_CODE, s, (size_t)(e - s), data);
}

void kx_c_line_runs(const char *line, bool *in_block, kx_c_run_fn fn,
		    void *data)
{
	const char *s = line, *start, *e;

	while (*s == ' ' || *s == '\t')
		s++;
	/* the middle or end of a comment whose opening line is unchanged */
	if (!*in_block && *s == '*' &&
	    (s[1] == ' ' || s[1] == '\t' || s[1] == '/' || !s[1]))
		*in_block = true;
	start = s;
	while (*s) {
		if (*in_block) {
			e = strstr(s, "*/");
			if (*s == '*' && s[1] != '/')
				s++;
			fn(KX_C_COMMENT, s, e ? (size_t)(e - s) : strlen(s), data);
			if (!e)
				return;
			*in_block = false;
			start = s = e + 2;
		} else if (*s == '"' || *s == '\'') {
			const char *q = s;
			char quote = *s++;

			code_run(start, q, fn, data);
			while (*s && *s != quote)
				s += s[0] == '\\' && s[1] ? 2 : 1;
			if (*s)
				s++;
			fn(KX_C_LITERAL, q, (size_t)(s - q), data);
			start = s;
		} else if (s[0] == '/' && s[1] == '/') {
			code_run(start, s, fn, data);
			fn(KX_C_COMMENT, s + 2, strlen(s + 2), data);
			return;
		} else if (s[0] == '/' && s[1] == '*') {
			code_run(start, s, fn, data);
			*in_block = true;
			/* an opening alone on its line is no code */
			start = s += 2;
		} else {
			s++;
		}
	}
	code_run(start, s, fn, data);
}
