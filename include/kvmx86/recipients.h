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

/*
 * The sources of addresses git send-email's --suppress-cc and
 * sendemail.suppressCc take out.  kvmx86 has no Cc: header lines of a
 * patch file nor an author copied from From: (a kernel author signs off),
 * so KX_SUPPRESS_CC and KX_SUPPRESS_AUTHOR are accepted and take out
 * nothing; its cc-cmd is its own MAINTAINERS answer.
 */
enum kx_suppress {
	KX_SUPPRESS_AUTHOR = 1 << 0,
	KX_SUPPRESS_SELF = 1 << 1,	/* the sender, in a trailer or MAINTAINERS */
	KX_SUPPRESS_CC = 1 << 2,
	KX_SUPPRESS_BODYCC = 1 << 3,	/* Cc: trailers */
	KX_SUPPRESS_SOB = 1 << 4,	/* Signed-off-by: trailers */
	KX_SUPPRESS_MISC_BY = 1 << 5,	/* the other *-by: trailers */
	KX_SUPPRESS_CCCMD = 1 << 6,	/* the MAINTAINERS answer */
	KX_SUPPRESS_BODY = 1 << 7,	/* sob, bodycc, misc-by, once resolved */
	KX_SUPPRESS_ALL = (1 << 8) - 1,
};

/*
 * Adds one suppressCc value (author, self, cc, bodycc, sob, misc-by,
 * cccmd, body, all: git's names, case and all) to *mask.  Returns 0 or
 * KX_EINVALID with the message stored.
 */
int kx_suppress_cc_add(unsigned *mask, const char *value);

/*
 * The mask git send-email acts on: suppressFrom (suppress_from: 1, 0, -1
 * unset) and signedOffByCc (1, 0, -1) override self and sob, then body
 * becomes sob, bodycc and misc-by.
 */
unsigned kx_suppress_cc_resolve(unsigned mask, int suppress_from,
				int signed_off_by_cc);

/*
 * Returns true if the resolved mask takes out the person of a trailer
 * tag ("Signed-off-by", "Cc", "Acked-by"), self: the person is the sender.
 */
bool kx_suppress_trailer(unsigned mask, const char *tag, bool self);

/*
 * Returns true if name and addr are the sender's as git send-email
 * compares them (the whole mailbox: the same name, the same address).
 */
bool kx_rcpt_is_sender(const struct kx_mailbox *sender, const char *name,
		       const char *addr);

/* What the addressing of one patch depends on beyond its commit. */
struct kx_rcpt_opts {
	const struct kx_mailbox *sender;
	const struct kx_strlist *to, *cc;	/* "Name <addr>": asked for */
	const struct kx_strlist *to_why, *cc_why;	/* the reason of each */
	const struct kx_strlist *exclude;	/* addresses never mailed */
	bool cc_stable;			/* mail stable's Cc: trailers too */
	bool no_trailer_cc;		/* the trailers address no one */
	bool not_me_too;		/* the sender is not copied */
	unsigned suppress_cc;		/* resolved enum kx_suppress: --suppress-cc */
	/*
	 * The repository's say on a trailer's person (tag: "Reviewed-by"):
	 * returns false if its configuration (sendemail.suppressCc) takes
	 * the person out, else maps it as the tree's .mailmap says,
	 * replacing *name and *addr (caller's, freed and replaced by the
	 * callee) or leaving them, and returns true.  NULL: neither.
	 */
	bool (*mailmap)(void *data, const char *tag, char **name, char **addr);
	void *mailmap_data;
};

/*
 * The recipients of a patch whose commit message is message and whose
 * MAINTAINERS answer is hits (NULL: none), appended to out: KX_SEND_LIST
 * and o->to in To:, then o->cc, the hits, the person trailers
 * (Signed-off-by, Co-developed-by, Cc, Reported-by, Suggested-by,
 * Reviewed-by, Acked-by, Tested-by) in Cc:, through o->mailmap; what
 * o->suppress_cc names taken out as git send-email does; a mapped
 * address that kvmx86 cannot write is not taken.  A trailer whose value is not
 * a mailbox is skipped and named in warnings (NULL: not wanted).
 */
void kx_rcpts_for_patch(struct kx_rcpts *out, const struct kx_rcpt_opts *o,
			const char *message, const struct kx_maint_hits *hits,
			struct kx_strlist *warnings);

#endif
