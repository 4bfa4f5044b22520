/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Who gets each mail of a series, and why: the list, the addresses asked
 * for (--to, --cc, configuration, b4's), the MAINTAINERS hits of each
 * patch, the person trailers of its commit; duplicates folded, stable
 * kept a tag, the exclusions taken out.  Pure: strings in, the lists out.
 */
#ifndef KVMX86_RECIPIENTS_H
#define KVMX86_RECIPIENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/mail.h"
#include "kvmx86/maintainers.h"
#include "kvmx86/util.h"

/* Where every KVM x86 series goes. */
#define KX_SEND_LIST "kvm@vger.kernel.org"

/* One recipient and the first reason that put it there. */
struct kx_rcpt {
	struct kx_mailbox mb;
	bool to;			/* To:, else Cc: */
	char *why;			/* "MAINTAINERS: maintainer:KVM ...", "Reviewed-by: trailer" */
};

struct kx_rcpts {
	struct kx_rcpt *items;
	size_t nr, alloc;
};

/*
 * Adds name (NULL: none) and addr for why unless addr is there already
 * (ASCII case ignored); a To: of an address already in Cc: moves it.
 */
void kx_rcpts_add(struct kx_rcpts *r, const char *name, const char *addr,
		  bool to, const char *why);

/* Adds every recipient of from to r, as kx_rcpts_add() does. */
void kx_rcpts_merge(struct kx_rcpts *r, const struct kx_rcpts *from);

/* Frees what r owns. */
void kx_rcpts_release(struct kx_rcpts *r);

/* Returns true if addr is stable's (stable@vger.kernel.org, stable@kernel.org). */
bool kx_addr_is_stable(const char *addr);

/* What the addressing of one patch depends on beyond its commit. */
struct kx_rcpt_opts {
	const struct kx_mailbox *sender;
	const struct kx_strlist *to, *cc;	/* "Name <addr>": asked for */
	const struct kx_strlist *to_why, *cc_why;	/* the reason of each */
	const struct kx_strlist *exclude;	/* addresses never mailed */
	bool cc_stable;			/* mail stable's Cc: trailers too */
	bool no_trailer_cc;		/* the trailers address no one */
	bool not_me_too;		/* the sender is not copied */
	/*
	 * Maps a trailer's person as the tree's .mailmap says, replacing
	 * *name and *addr (caller's, freed and replaced by the callee) or
	 * leaving them; NULL: no mailmap.
	 */
	void (*mailmap)(void *data, char **name, char **addr);
	void *mailmap_data;
};

/*
 * The recipients of a patch whose commit message is message and whose
 * MAINTAINERS answer is hits (NULL: none), appended to out: KX_SEND_LIST
 * and o->to in To:, then o->cc, the hits, the person trailers
 * (Signed-off-by, Co-developed-by, Cc, Reported-by, Suggested-by,
 * Reviewed-by, Acked-by, Tested-by) in Cc:, through o->mailmap; a mapped
 * address that kvmx86 cannot write is not taken.  A trailer whose value is not
 * a mailbox is skipped and named in warnings (NULL: not wanted).
 */
void kx_rcpts_for_patch(struct kx_rcpts *out, const struct kx_rcpt_opts *o,
			const char *message, const struct kx_maint_hits *hits,
			struct kx_strlist *warnings);

#endif
