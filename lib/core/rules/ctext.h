/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A line of C as the rules read it (internal to the rules): which runs are
 * code, which a string or character literal, which a comment's text, so
 * that the rules that look at names and those that look at comments split
 * a line the same way.
 */
#ifndef KVMX86_RULES_CTEXT_H
#define KVMX86_RULES_CTEXT_H

#include <stdbool.h>
#include <stddef.h>

/* What a run of a C line is. */
enum kx_c_kind {
	KX_C_CODE,
	KX_C_LITERAL,	/* with its quotes */
	KX_C_COMMENT,	/* the text, without the delimiters or a block's leading '*' */
};

/* Called with each run [s, s + n) of a line, in order. */
typedef void (*kx_c_run_fn)(enum kx_c_kind kind, const char *s, size_t n,
			    void *data);

/*
 * Calls fn with the runs of line (without its leading blanks); *in_block
 * carries a block comment from the line before to the next.  A line that
 * begins with "* " or "*" alone is in a block comment whose opening is not
 * in the diff.
 */
void kx_c_line_runs(const char *line, bool *in_block, kx_c_run_fn fn,
		    void *data);

#endif
