/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * b4's cover letter, as kvmx86 imports it at enrollment: b4 keeps more
 * than the cover's text in it (its '#' help lines, the To:/Cc: trailers
 * of `b4 prep --auto-to-cc`, the sender's Signed-off-by: and a "---"
 * section of "Changes in vN:" notes).  The text alone becomes the cover,
 * the To:/Cc: lines the series' recipients, and b4's version notes
 * kvmx86's "vN:" sections (cover.h).  Pure.
 */
#ifndef KVMX86_B4COVER_H
#define KVMX86_B4COVER_H

#include <stddef.h>

#include "kvmx86/util.h"

struct kx_b4_cover {
	char *text;		/* subject line, blank line, body */
	struct kx_strlist to, cc;	/* the recipients b4 listed */
	size_t signoffs;	/* Signed-off-by: lines left out */
	size_t help;		/* '#' lines left out */
	size_t versions;	/* "Changes in vN:" sections turned into notes */
};
#define KX_B4_COVER_INIT { NULL, KX_STRLIST_INIT, KX_STRLIST_INIT, 0, 0, 0 }

/*
 * Splits b4's cover text into out (released first): '#' lines and b4's
 * template bullets dropped; the To:, Cc: and Signed-off-by: lines of the
 * trailer paragraph that ends the cover taken out (other trailers stay);
 * the "Changes in vN:" notes and "Link to vN: <url>" lines below b4's
 * "---" merged, newest first, with the "vN:" sections the text may have.
 */
void kx_b4_cover_import(struct kx_b4_cover *out, const char *text);

/* Frees what c owns and empties it. */
void kx_b4_cover_release(struct kx_b4_cover *c);

#endif
