// SPDX-License-Identifier: GPL-2.0-only
/* Who gets a patch mail, and why, over literal messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/error.h"
#include "kvmx86/recipients.h"

static const struct kx_rcpt *find(const struct kx_rcpts *r, const char *addr)
{
	size_t i;

	for (i = 0; i < r->nr; i++)
		if (!strcmp(r->items[i].mb.addr, addr))
			return &r->items[i];
	return NULL;
}

static const char message[] =
	"KVM: x86: Fix a thing\n"
	"\n"
	"Fix it.\n"
	"\n"
	"Reported-by: Rita Reporter <rita@example.org>\n"
	"cc: stable@vger.kernel.org # 6.1+\n"
	"Cc: <stable@kernel.org>\n"
	"Reviewed-by: \"Vic, Viewer\" <VIC@example.org>\n"
	"Fixes: 0123456789ab (\"KVM: x86: Break a thing\")\n"
	"Link: https://lore.kernel.org/r/x@example.org\n"
	"Tested-by: not an address\n"
	"Signed-off-by: Sam Sender <sam@example.com>\n";

static void run(struct kx_rcpts *r, struct kx_rcpt_opts *o,
		struct kx_strlist *warnings)
{
	struct kx_maint_hits hits = { NULL, 0, 0 };
	struct kx_maint_hit h = { (char *)"Vic Viewer <vic@example.org>",
				  (char *)"Vic Viewer", (char *)"vic@example.org",
				  false, (char *)"reviewer:KVM VMX" };

	hits.items = &h;
	hits.nr = 1;
	memset(r, 0, sizeof(*r));
	kx_rcpts_for_patch(r, o, message, &hits, warnings);
}

static void test_rcpts__trailers_and_maintainers(void **state)
{
	struct kx_mailbox me = { (char *)"Sam Sender", (char *)"sam@example.com" };
	struct kx_rcpt_opts o;
	struct kx_rcpts r;
	struct kx_strlist w = KX_STRLIST_INIT;
	const struct kx_rcpt *e;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.sender = &me;
	run(&r, &o, &w);
	e = find(&r, KX_SEND_LIST);
	assert_non_null(e);
	assert_true(e->to);
	assert_ptr_equal(e, &r.items[0]);
	/* MAINTAINERS first, so its reason stays; the trailer folds into it */
	e = find(&r, "vic@example.org");
	assert_non_null(e);
	assert_false(e->to);
	assert_string_equal(e->why, "MAINTAINERS: reviewer:KVM VMX");
	assert_null(find(&r, "VIC@example.org"));
	e = find(&r, "rita@example.org");
	assert_non_null(e);
	assert_string_equal(e->why, "Reported-by: trailer");
	assert_string_equal(e->mb.name, "Rita Reporter");
	assert_non_null(find(&r, "sam@example.com"));
	/* stable is a tag; Fixes: and Link: name no one */
	assert_null(find(&r, "stable@vger.kernel.org"));
	assert_null(find(&r, "stable@kernel.org"));
	assert_int_equal(r.nr, 4);
	assert_int_equal(w.nr, 1);
	assert_non_null(strstr(w.items[0], "Tested-by"));
	kx_rcpts_release(&r);
	kx_strlist_release(&w);
}

static void test_rcpts__options(void **state)
{
	struct kx_mailbox me = { (char *)"Sam Sender", (char *)"sam@example.com" };
	struct kx_strlist to = KX_STRLIST_INIT, why = KX_STRLIST_INIT;
	struct kx_strlist ex = KX_STRLIST_INIT;
	struct kx_rcpt_opts o;
	struct kx_rcpts r;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.sender = &me;
	o.cc_stable = true;
	run(&r, &o, NULL);
	assert_non_null(find(&r, "stable@vger.kernel.org"));
	assert_non_null(find(&r, "stable@kernel.org"));
	kx_rcpts_release(&r);

	memset(&o, 0, sizeof(o));
	o.sender = &me;
	o.no_trailer_cc = true;
	o.not_me_too = true;
	run(&r, &o, NULL);
	assert_null(find(&r, "rita@example.org"));
	assert_null(find(&r, "sam@example.com"));
	assert_non_null(find(&r, "vic@example.org"));
	kx_rcpts_release(&r);

	/* a Cc: asked for in To: moves there; an exclusion wins over all */
	kx_strlist_add(&to, "Rita R <RITA@example.org>");
	kx_strlist_add(&why, "--to");
	kx_strlist_add(&ex, "vic@example.org");
	memset(&o, 0, sizeof(o));
	o.sender = &me;
	o.to = &to;
	o.to_why = &why;
	o.exclude = &ex;
	run(&r, &o, NULL);
	assert_true(find(&r, "RITA@example.org")->to);
	assert_null(find(&r, "rita@example.org"));
	assert_null(find(&r, "vic@example.org"));
	kx_rcpts_release(&r);
	kx_strlist_release(&to);
	kx_strlist_release(&why);
	kx_strlist_release(&ex);
}

static void test_rcpts__smuggled_line(void **state)
{
	struct kx_rcpt_opts o;
	struct kx_rcpts r;
	struct kx_strlist w = KX_STRLIST_INIT;

	(void)state;
	memset(&o, 0, sizeof(o));
	memset(&r, 0, sizeof(r));
	kx_rcpts_for_patch(&r, &o, "S\n\nCc: Eve <eve@example.org>\rBcc: x@evil.example\n",
			   NULL, &w);
	assert_null(find(&r, "eve@example.org"));
	assert_int_equal(r.nr, 1);
	assert_int_equal(w.nr, 1);
	kx_rcpts_release(&r);
	kx_strlist_release(&w);
}

static void test_suppress__values(void **state)
{
	unsigned m = 0;

	(void)state;
	assert_int_equal(kx_suppress_cc_add(&m, "sob"), 0);
	assert_int_equal(kx_suppress_cc_add(&m, "misc-by"), 0);
	assert_int_equal(m, KX_SUPPRESS_SOB | KX_SUPPRESS_MISC_BY);
	/* git's names, exactly: git send-email dies on the others */
	assert_int_equal(kx_suppress_cc_add(&m, "Self"), KX_EINVALID);
	assert_int_equal(kx_suppress_cc_add(&m, "misc"), KX_EINVALID);
	assert_int_equal(kx_suppress_cc_add(&m, ""), KX_EINVALID);
	kx_error_clear();
	assert_int_equal(m, KX_SUPPRESS_SOB | KX_SUPPRESS_MISC_BY);

	/* body: sob, bodycc and misc-by */
	m = 0;
	kx_suppress_cc_add(&m, "body");
	assert_int_equal(kx_suppress_cc_resolve(m, -1, -1),
			 KX_SUPPRESS_SOB | KX_SUPPRESS_BODYCC | KX_SUPPRESS_MISC_BY);
	/* all: every one */
	m = 0;
	kx_suppress_cc_add(&m, "all");
	assert_int_equal(kx_suppress_cc_resolve(m, -1, -1),
			 KX_SUPPRESS_ALL & ~(unsigned)KX_SUPPRESS_BODY);
	/* suppressFrom and signedOffByCc trump suppressCc ... */
	m = 0;
	kx_suppress_cc_add(&m, "self");
	kx_suppress_cc_add(&m, "sob");
	assert_int_equal(kx_suppress_cc_resolve(m, 0, 1), 0);
	assert_int_equal(kx_suppress_cc_resolve(0, 1, 0),
			 KX_SUPPRESS_SELF | KX_SUPPRESS_SOB);
	/* ... but body is expanded after them, as git-send-email.perl does */
	m = 0;
	kx_suppress_cc_add(&m, "body");
	assert_true(kx_suppress_cc_resolve(m, -1, 1) & KX_SUPPRESS_SOB);
}

static void test_suppress__trailers(void **state)
{
	unsigned all = kx_suppress_cc_resolve(KX_SUPPRESS_ALL, -1, -1);

	(void)state;
	assert_true(kx_suppress_trailer(KX_SUPPRESS_SOB, "signed-off-by", false));
	assert_false(kx_suppress_trailer(KX_SUPPRESS_SOB, "Acked-by", false));
	assert_true(kx_suppress_trailer(KX_SUPPRESS_MISC_BY, "Co-developed-by", false));
	assert_false(kx_suppress_trailer(KX_SUPPRESS_MISC_BY, "Signed-off-by", false));
	assert_true(kx_suppress_trailer(KX_SUPPRESS_BODYCC, "Cc", false));
	assert_false(kx_suppress_trailer(KX_SUPPRESS_BODYCC, "Reported-by", false));
	/* the sender's trailer is self's only, whatever its tag */
	assert_false(kx_suppress_trailer(KX_SUPPRESS_SOB, "Signed-off-by", true));
	assert_true(kx_suppress_trailer(KX_SUPPRESS_SELF, "Signed-off-by", true));
	assert_false(kx_suppress_trailer(all & ~(unsigned)KX_SUPPRESS_SELF,
					 "Cc", true));
}

/* Runs the sample with mask as --suppress-cc's resolved value. */
static void run_suppressed(struct kx_rcpts *r, const char *sender_name,
			   unsigned mask)
{
	struct kx_mailbox me = { (char *)sender_name, (char *)"sam@example.com" };
	struct kx_rcpt_opts o;

	memset(&o, 0, sizeof(o));
	o.sender = &me;
	o.suppress_cc = kx_suppress_cc_resolve(mask, -1, -1);
	run(r, &o, NULL);
}

static void test_suppress__patch(void **state)
{
	struct kx_rcpts r;

	(void)state;
	/* sob: others' sign-offs out; the sender's own stays (self's) */
	run_suppressed(&r, "Sam Sender", KX_SUPPRESS_SOB);
	assert_non_null(find(&r, "sam@example.com"));
	assert_non_null(find(&r, "rita@example.org"));
	kx_rcpts_release(&r);

	/* self: the sender's sign-off out, when name and address are the same */
	run_suppressed(&r, "Sam Sender", KX_SUPPRESS_SELF);
	assert_null(find(&r, "sam@example.com"));
	kx_rcpts_release(&r);
	run_suppressed(&r, "Sam S.", KX_SUPPRESS_SELF);
	assert_non_null(find(&r, "sam@example.com"));
	kx_rcpts_release(&r);

	/* misc-by: Reported-by out; Reviewed-by's person stays, MAINTAINERS' */
	run_suppressed(&r, "Sam Sender", KX_SUPPRESS_MISC_BY);
	assert_null(find(&r, "rita@example.org"));
	assert_string_equal(find(&r, "vic@example.org")->why,
			    "MAINTAINERS: reviewer:KVM VMX");
	assert_non_null(find(&r, "sam@example.com"));
	kx_rcpts_release(&r);

	/* cccmd: no MAINTAINERS answer; the trailer then names Vic */
	run_suppressed(&r, "Sam Sender", KX_SUPPRESS_CCCMD);
	assert_null(find(&r, "vic@example.org"));
	assert_string_equal(find(&r, "VIC@example.org")->why, "Reviewed-by: trailer");
	kx_rcpts_release(&r);

	/* bodycc with --cc-stable: the Cc: trailers out */
	{
		struct kx_mailbox me = { (char *)"Sam Sender", (char *)"sam@example.com" };
		struct kx_rcpt_opts o;

		memset(&o, 0, sizeof(o));
		o.sender = &me;
		o.cc_stable = true;
		o.suppress_cc = KX_SUPPRESS_BODYCC;
		run(&r, &o, NULL);
		assert_null(find(&r, "stable@vger.kernel.org"));
		assert_non_null(find(&r, "rita@example.org"));
		kx_rcpts_release(&r);
	}

	/* all: the list and what was asked for only */
	run_suppressed(&r, "Sam Sender", KX_SUPPRESS_ALL);
	assert_int_equal(r.nr, 1);
	assert_string_equal(r.items[0].mb.addr, KX_SEND_LIST);
	kx_rcpts_release(&r);
}

/* The repository's say: Rita is taken out, Sam mapped. */
static bool say(void *data, const char *tag, char **name, char **addr)
{
	(void)data;
	if (!strcmp(tag, "Reported-by"))
		return false;
	if (!strcmp(*addr, "sam@example.com")) {
		free(*addr);
		*addr = strdup("sam@work.example.com");
	}
	(void)name;
	return true;
}

static void test_suppress__repository(void **state)
{
	struct kx_mailbox me = { (char *)"Sam Sender", (char *)"sam@example.com" };
	struct kx_rcpt_opts o;
	struct kx_rcpts r;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.sender = &me;
	o.mailmap = say;
	run(&r, &o, NULL);
	assert_null(find(&r, "rita@example.org"));
	assert_null(find(&r, "sam@example.com"));
	assert_non_null(find(&r, "sam@work.example.com"));
	kx_rcpts_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rcpts__trailers_and_maintainers),
		cmocka_unit_test(test_rcpts__options),
		cmocka_unit_test(test_rcpts__smuggled_line),
		cmocka_unit_test(test_suppress__values),
		cmocka_unit_test(test_suppress__trailers),
		cmocka_unit_test(test_suppress__patch),
		cmocka_unit_test(test_suppress__repository),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
