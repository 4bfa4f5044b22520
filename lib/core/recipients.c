// SPDX-License-Identifier: GPL-2.0-only
/*
 * Recipients as git send-email and b4 gather them, with the handbook's
 * exceptions: stable is a tag, not an address to mail, unless asked.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/error.h"
#include "kvmx86/recipients.h"

static struct kx_rcpt *find(struct kx_rcpts *r, const char *addr)
{
	size_t i;

	for (i = 0; i < r->nr; i++)
		if (kx_mail_addr_eq(r->items[i].mb.addr, addr))
			return &r->items[i];
	return NULL;
}

void kx_rcpts_add(struct kx_rcpts *r, const char *name, const char *addr,
		  bool to, const char *why)
{
	struct kx_rcpt *e = find(r, addr);

	if (e) {
		/* the first name given is kept, as git send-email keeps it */
		if (!*e->mb.name && name && *name) {
			free(e->mb.name);
			e->mb.name = kx_xstrdup(name);
		}
		e->to |= to;
		return;
	}
	if (r->nr == r->alloc) {
		r->alloc = r->alloc ? 2 * r->alloc : 8;
		r->items = kx_xrealloc(r->items, r->alloc * sizeof(*r->items));
	}
	e = &r->items[r->nr++];
	kx_mailbox_set(&e->mb, name, addr);
	e->to = to;
	e->why = kx_xstrdup(why);
}

void kx_rcpts_merge(struct kx_rcpts *r, const struct kx_rcpts *from)
{
	size_t i;

	for (i = 0; i < from->nr; i++)
		kx_rcpts_add(r, from->items[i].mb.name, from->items[i].mb.addr,
			     from->items[i].to, from->items[i].why);
}

void kx_rcpts_release(struct kx_rcpts *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++) {
		kx_mailbox_release(&r->items[i].mb);
		free(r->items[i].why);
	}
	free(r->items);
	memset(r, 0, sizeof(*r));
}

bool kx_addr_is_stable(const char *addr)
{
	return kx_mail_addr_eq(addr, "stable@vger.kernel.org") ||
	       kx_mail_addr_eq(addr, "stable@kernel.org");
}

static const struct {
	const char *name;
	unsigned bits;
} suppress_names[] = {
	{ "author", KX_SUPPRESS_AUTHOR },
	{ "self", KX_SUPPRESS_SELF },
	{ "cc", KX_SUPPRESS_CC },
	{ "bodycc", KX_SUPPRESS_BODYCC },
	{ "sob", KX_SUPPRESS_SOB },
	{ "misc-by", KX_SUPPRESS_MISC_BY },
	{ "cccmd", KX_SUPPRESS_CCCMD },
	{ "body", KX_SUPPRESS_BODY },
	{ "all", KX_SUPPRESS_ALL },
};

int kx_suppress_cc_add(unsigned *mask, const char *value)
{
	size_t i;

	/* git send-email matches the names exactly, and dies on others */
	for (i = 0; i < sizeof(suppress_names) / sizeof(*suppress_names); i++)
		if (!strcmp(value, suppress_names[i].name)) {
			*mask |= suppress_names[i].bits;
			return 0;
		}
	kx_error_set(KX_EINVALID, "unknown suppressCc value '%s'", value);
	kx_error_hint("use author, self, cc, bodycc, sob, misc-by, cccmd, body or all");
	return KX_EINVALID;
}

unsigned kx_suppress_cc_resolve(unsigned mask, int suppress_from,
				int signed_off_by_cc)
{
	/* git-send-email.perl's order: the old-style keys trump, body last */
	if (suppress_from >= 0)
		mask = suppress_from ? mask | KX_SUPPRESS_SELF :
				       mask & ~(unsigned)KX_SUPPRESS_SELF;
	if (signed_off_by_cc >= 0)
		mask = signed_off_by_cc ? mask & ~(unsigned)KX_SUPPRESS_SOB :
					  mask | KX_SUPPRESS_SOB;
	if (mask & KX_SUPPRESS_BODY)
		mask |= KX_SUPPRESS_SOB | KX_SUPPRESS_BODYCC | KX_SUPPRESS_MISC_BY;
	return mask & ~(unsigned)KX_SUPPRESS_BODY;
}

static bool ends_with_by(const char *tag)
{
	size_t n = strlen(tag);

	return n > 3 && !strcasecmp(tag + n - 3, "-by");
}

bool kx_suppress_trailer(unsigned mask, const char *tag, bool self)
{
	/* the sender's own trailer is self's, whatever its tag */
	if (self)
		return mask & KX_SUPPRESS_SELF;
	if (!strcasecmp(tag, "Signed-off-by"))
		return mask & KX_SUPPRESS_SOB;
	if (ends_with_by(tag))
		return mask & KX_SUPPRESS_MISC_BY;
	if (!strcasecmp(tag, "Cc"))
		return mask & KX_SUPPRESS_BODYCC;
	return false;
}

bool kx_rcpt_is_sender(const struct kx_mailbox *sender, const char *name,
		       const char *addr)
{
	return sender && !strcmp(sender->name, name ? name : "") &&
	       kx_mail_addr_eq(sender->addr, addr);
}

/* The trailers that name people git send-email and b4 copy. */
static const char *const person_tags[] = {
	"Signed-off-by", "Co-developed-by", "Cc", "Reported-by",
	"Suggested-by", "Reviewed-by", "Acked-by", "Tested-by",
};

/* Returns the tag that the line of n bytes at s starts, or NULL. */
static const char *person_tag(const char *s, size_t n, const char **value)
{
	size_t i;

	for (i = 0; i < sizeof(person_tags) / sizeof(*person_tags); i++) {
		size_t len = strlen(person_tags[i]);

		if (n > len && !strncasecmp(s, person_tags[i], len) &&
		    s[len] == ':') {
			*value = s + len + 1;
			return person_tags[i];
		}
	}
	return NULL;
}

static bool excluded(const struct kx_rcpt_opts *o, const char *addr)
{
	size_t i;

	if (o->not_me_too && o->sender && kx_mail_addr_eq(addr, o->sender->addr))
		return true;
	for (i = 0; o->exclude && i < o->exclude->nr; i++)
		if (kx_mail_addr_eq(addr, o->exclude->items[i]))
			return true;
	return false;
}

/* Adds the mailboxes of list ("Name <addr>") for the reasons in why. */
static void add_list(struct kx_rcpts *out, const struct kx_rcpt_opts *o,
		     const struct kx_strlist *list, const struct kx_strlist *why,
		     bool to, struct kx_strlist *warnings)
{
	size_t i;

	for (i = 0; list && i < list->nr; i++) {
		struct kx_mailbox mb;

		if (kx_mailbox_parse(&mb, list->items[i]) < 0) {
			if (warnings)
				kx_strlist_addf(warnings, "%s: %s",
						why && i < why->nr ? why->items[i] : "an address",
						kx_error_last());
			kx_error_clear();
			continue;
		}
		if (!excluded(o, mb.addr))
			kx_rcpts_add(out, mb.name, mb.addr, to,
				     why && i < why->nr ? why->items[i] : "asked for");
		kx_mailbox_release(&mb);
	}
}

/*
 * mb as the mailmap has it, if that is still a mailbox kvmx86 writes;
 * returns false if the repository's configuration takes it out.
 */
static bool map_person(const struct kx_rcpt_opts *o, const char *tag,
		       struct kx_mailbox *mb)
{
	char *name = kx_xstrdup(mb->name), *addr = kx_xstrdup(mb->addr);

	if (!o->mailmap(o->mailmap_data, tag, &name, &addr)) {
		free(name);
		free(addr);
		return false;
	}
	if (kx_mail_addr_ok(addr) && kx_mail_header_check("the name", name) == 0) {
		kx_mailbox_release(mb);
		mb->name = name;
		mb->addr = addr;
		return true;
	}
	kx_error_clear();
	free(name);
	free(addr);
	return true;
}

void kx_rcpts_for_patch(struct kx_rcpts *out, const struct kx_rcpt_opts *o,
			const char *message, const struct kx_maint_hits *hits,
			struct kx_strlist *warnings)
{
	const char *p;
	size_t i;

	if (!excluded(o, KX_SEND_LIST))
		kx_rcpts_add(out, NULL, KX_SEND_LIST, true,
			     "the KVM list (Documentation/process/maintainer-kvm-x86.rst)");
	add_list(out, o, o->to, o->to_why, true, warnings);
	add_list(out, o, o->cc, o->cc_why, false, warnings);
	for (i = 0; hits && i < hits->nr; i++) {
		const struct kx_maint_hit *h = &hits->items[i];
		char *why;

		/* MAINTAINERS is kvmx86's cc-cmd (git send-email's --cc-cmd) */
		if (excluded(o, h->addr) || (o->suppress_cc & KX_SUPPRESS_CCCMD) ||
		    ((o->suppress_cc & KX_SUPPRESS_SELF) &&
		     kx_rcpt_is_sender(o->sender, h->name, h->addr)))
			continue;
		why = kx_xasprintf("MAINTAINERS: %s", h->role ? h->role : "");
		kx_rcpts_add(out, h->name, h->addr, false, why);
		free(why);
	}
	if (o->no_trailer_cc || !message)
		return;
	/* every line of the message, as git send-email reads the trailers */
	for (p = message; *p;) {
		size_t n = strcspn(p, "\n");
		const char *value, *tag = person_tag(p, n, &value);

		if (tag) {
			char *text = kx_xstrndup_trimmed(value, n - (size_t)(value - p));
			struct kx_mailbox mb;

			/* what follows the address is dropped, but not a smuggled line */
			if (kx_mail_header_check("the trailer", text) < 0 ||
			    kx_mailbox_parse(&mb, text) < 0) {
				if (warnings)
					kx_strlist_addf(warnings, "%s: trailer skipped: %s",
							tag, kx_error_last());
				kx_error_clear();
			} else {
				/* git send-email compares the person before any mapping */
				bool keep = !kx_suppress_trailer(o->suppress_cc, tag,
								 kx_rcpt_is_sender(o->sender, mb.name, mb.addr));

				if (keep && o->mailmap)
					keep = map_person(o, tag, &mb);
				if (keep && !excluded(o, mb.addr) &&
				    (o->cc_stable || !kx_addr_is_stable(mb.addr))) {
					char *why = kx_xasprintf("%s: trailer", tag);

					kx_rcpts_add(out, mb.name, mb.addr, false, why);
					free(why);
				}
				kx_mailbox_release(&mb);
			}
			free(text);
		}
		p += n + (p[n] == '\n');
	}
}
