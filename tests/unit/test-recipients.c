// SPDX-License-Identifier: GPL-2.0-only
/* Who gets a patch mail, and why, over literal messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rcpts__trailers_and_maintainers),
		cmocka_unit_test(test_rcpts__options),
		cmocka_unit_test(test_rcpts__smuggled_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
