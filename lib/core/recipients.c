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

/* mb as the mailmap has it, if that is still a mailbox kvmx86 writes. */
static void map_person(const struct kx_rcpt_opts *o, struct kx_mailbox *mb)
{
	char *name = kx_xstrdup(mb->name), *addr = kx_xstrdup(mb->addr);

	o->mailmap(o->mailmap_data, &name, &addr);
	if (kx_mail_addr_ok(addr) && kx_mail_header_check("the name", name) == 0) {
		kx_mailbox_release(mb);
		mb->name = name;
		mb->addr = addr;
		return;
	}
	kx_error_clear();
	free(name);
	free(addr);
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

		if (excluded(o, h->addr))
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
				if (o->mailmap)
					map_person(o, &mb);
				if (!excluded(o, mb.addr) &&
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
