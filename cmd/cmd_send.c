// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvmx86 send, part one: the mails of the series (cover letter and
 * patches as git format-patch writes them, with kvmx86's headers), who
 * gets each and why, the pre-flight, and writing them out.  Delivery is
 * part two's: nothing here sends or records a mail as sent.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "kvmx86.h"
#include "kvmx86/base.h"
#include "kvmx86/check.h"
#include "kvmx86/checkbase.h"
#include "kvmx86/cover.h"
#include "kvmx86/coverio.h"
#include "kvmx86/error.h"
#include "kvmx86/file.h"
#include "kvmx86/findings.h"
#include "kvmx86/funcindex.h"
#include "kvmx86/mail.h"
#include "kvmx86/recipients.h"
#include "kvmx86/resolve.h"
#include "kvmx86/rules.h"
#include "kvmx86/send.h"
#include "kvmx86/topichist.h"
#include "kvmx86/util.h"

const char cmd_send_usage[] =
	"usage: kvmx86 send [<rev>] [--dry-run | -o <dir> | --mbox <file>]\n"
	"                   [--to <addr>] [--cc <addr>] [--cc-stable] [--exclude <addr>]\n"
	"                   [--no-trailer-cc] [--not-me-too] [--force] [--json]\n"
	"\n"
	"Make the mails of the series (cover letter and patches), address them\n"
	"(the KVM list, MAINTAINERS, the commits' trailers, --to/--cc and the\n"
	"configuration), check the series before it leaves, and write them out.\n"
	"\n"
	"    --dry-run         print who gets which mail and why, then the mails\n"
	"    -o <dir>          write one file per mail into <dir>, as git format-patch\n"
	"    --mbox <file>     write every mail into one mbox for git am and b4 am\n"
	"    --to <addr>       add a To: recipient (repeatable)\n"
	"    --cc <addr>       add a Cc: recipient (repeatable)\n"
	"    --cc-stable       also mail the stable addresses of Cc: trailers\n"
	"    --exclude <addr>  never mail addr (repeatable)\n"
	"    --no-trailer-cc   address no one named in the commits' trailers\n"
	"    --not-me-too      do not copy the sender\n"
	"    --force           write out despite the pre-flight's refusals\n"
	"    --json            describe the mails as one JSON object\n"
	"    -h, --help        show this help\n"
	"\n"
	"Exit status: 0 written (or a clean dry run); 1 refused by the pre-flight\n"
	"(or a dry run that found reasons to refuse); 128 failure; 129 bad usage.\n"
	"See kvmx86-send(1).\n";

enum {
	OPT_DRY_RUN = 0x100,
	OPT_MBOX,
	OPT_TO,
	OPT_CC,
	OPT_CC_STABLE,
	OPT_EXCLUDE,
	OPT_NO_TRAILER_CC,
	OPT_NOT_ME_TOO,
	OPT_FORCE,
	OPT_JSON,
};

enum send_mode { MODE_NONE, MODE_DRY_RUN, MODE_DIR, MODE_MBOX };

struct send_opts {
	const char *rev;
	enum send_mode mode;
	const char *path;
	struct kx_strlist to, cc, exclude;
	bool cc_stable, no_trailer_cc, not_me_too, force, json;
};

static int set_mode(struct send_opts *o, enum send_mode m, const char *path)
{
	if (o->mode != MODE_NONE && o->mode != m)
		return kx_out_usage_error(kx_cmd_find("send"),
					  "--dry-run, -o and --mbox do not go together");
	o->mode = m;
	o->path = path;
	return 0;
}

/* An address given on the command line, checked before anything. */
static int add_addr(struct kx_strlist *l, const char *opt, const char *value)
{
	struct kx_mailbox mb;

	if (kx_mailbox_parse(&mb, value) < 0)
		return kx_out_usage_error(kx_cmd_find("send"), "%s: %s", opt,
					  kx_error_last());
	kx_mailbox_release(&mb);
	kx_strlist_add(l, value);
	return 0;
}

static int parse_argv(struct send_opts *o, int argc, char **argv)
{
	static const struct option options[] = {
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "output-directory", required_argument, NULL, 'o' },
		{ "mbox", required_argument, NULL, OPT_MBOX },
		{ "to", required_argument, NULL, OPT_TO },
		{ "cc", required_argument, NULL, OPT_CC },
		{ "cc-stable", no_argument, NULL, OPT_CC_STABLE },
		{ "exclude", required_argument, NULL, OPT_EXCLUDE },
		{ "no-trailer-cc", no_argument, NULL, OPT_NO_TRAILER_CC },
		{ "not-me-too", no_argument, NULL, OPT_NOT_ME_TOO },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct kx_cmd *cmd = kx_cmd_find("send");
	int c, ret = 0;

	opterr = 0;
	while (!ret && (c = getopt_long(argc, argv, ":ho:", options, NULL)) != -1) {
		switch (c) {
		case 'h':
			kx_out_text(stdout, cmd_send_usage);
			return 1;
		case OPT_DRY_RUN:
			ret = set_mode(o, MODE_DRY_RUN, NULL);
			break;
		case 'o':
			ret = set_mode(o, MODE_DIR, optarg);
			break;
		case OPT_MBOX:
			ret = set_mode(o, MODE_MBOX, optarg);
			break;
		case OPT_TO:
			ret = add_addr(&o->to, "--to", optarg);
			break;
		case OPT_CC:
			ret = add_addr(&o->cc, "--cc", optarg);
			break;
		case OPT_EXCLUDE: {
			struct kx_mailbox mb;

			if (kx_mailbox_parse(&mb, optarg) < 0)
				return kx_out_usage_error(cmd, "--exclude: %s",
							  kx_error_last());
			kx_strlist_add(&o->exclude, mb.addr);
			kx_mailbox_release(&mb);
			break;
		}
		case OPT_CC_STABLE:
			o->cc_stable = true;
			break;
		case OPT_NO_TRAILER_CC:
			o->no_trailer_cc = true;
			break;
		case OPT_NOT_ME_TOO:
			o->not_me_too = true;
			break;
		case OPT_FORCE:
			o->force = true;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		default:
			return kx_out_bad_option(cmd, c, argv, options);
		}
	}
	if (ret)
		return ret;
	if (argc - optind > 1)
		return kx_out_usage_error(cmd, "too many arguments: give one revision or branch");
	if (o->mode == MODE_NONE)
		return kx_out_usage_error(cmd, "sending is part two's: give --dry-run, -o <dir> or --mbox <file>");
	if ((o->mode == MODE_DIR || o->mode == MODE_MBOX) && !*o->path)
		return kx_out_usage_error(cmd, "%s needs a path",
					  o->mode == MODE_DIR ? "-o" : "--mbox");
	o->rev = optind < argc ? argv[optind] : NULL;
	return 0;
}

/* One reason the pre-flight refuses, with its fix. */
struct refusal {
	char *what, *fix;
};

struct preflight {
	struct refusal *items;
	size_t nr, alloc;
	struct kx_strlist warnings;
};

static void refuse(struct preflight *pf, const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void refuse(struct preflight *pf, const char *fix, const char *fmt, ...)
{
	char *what;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) < 0)
		abort();
	va_end(ap);
	if (pf->nr == pf->alloc) {
		pf->alloc = pf->alloc ? 2 * pf->alloc : 8;
		pf->items = kx_xrealloc(pf->items, pf->alloc * sizeof(*pf->items));
	}
	pf->items[pf->nr].what = what;
	pf->items[pf->nr].fix = kx_xstrdup(fix);
	pf->nr++;
}

static void preflight_release(struct preflight *pf)
{
	size_t i;

	for (i = 0; i < pf->nr; i++) {
		free(pf->items[i].what);
		free(pf->items[i].fix);
	}
	free(pf->items);
	kx_strlist_release(&pf->warnings);
}

/* Template text of git, b4 and kvmx86 left in text, or NULL. */
static const char *template_text(const char *text)
{
	static const char *const marks[] = {
		"*** SUBJECT HERE ***", "*** BLURB HERE ***", "EDITME",
	};
	size_t i;

	for (i = 0; text && i < ARRAY_SIZE(marks); i++)
		if (strstr(text, marks[i]))
			return marks[i];
	return NULL;
}

/* A cover text that asks for the new version to go as a reply. */
static const char *asks_for_reply(const char *text)
{
	static const char *const asks[] = {
		"In-Reply-To:", "in-reply-to:", "in reply to v", "as a reply to",
	};
	size_t i;

	for (i = 0; text && i < ARRAY_SIZE(asks); i++)
		if (strstr(text, asks[i]))
			return asks[i];
	return NULL;
}

static void check_base(struct preflight *pf, struct kx_resolved *s)
{
	struct kx_checkbase *cb;
	struct kx_base_result r;

	if (kx_series_checkbase(&cb, s) < 0) {
		kx_strlist_addf(&pf->warnings, "the base was not checked: %s",
				kx_error_last());
		kx_error_clear();
		return;
	}
	memset(&r, 0, sizeof(r));
	if (kx_base_decide(&r, &cb->series, &cb->facts, &cb->config) < 0) {
		kx_strlist_addf(&pf->warnings, "the base was not checked: %s",
				kx_error_last());
		kx_error_clear();
		kx_base_result_release(&r);
		return;
	}
	if (r.verdict == KX_VERDICT_WRONG || r.verdict == KX_VERDICT_STALE)
		refuse(pf, r.remedy ? r.remedy : "kvmx86 check-base says how",
		       "check-base: the base is %s", kx_verdict_name(r.verdict));
	kx_base_result_release(&r);
}

/* prep --check's errors, each a refusal; its rules as prep --check runs them. */
static void check_rules(struct preflight *pf, struct kx_resolved *s)
{
	struct kx_check_input in;
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_rule_env env;
	struct kx_topichist_cache *hist = NULL;
	struct kx_funcindex_lazy *fidx = NULL;
	size_t i;

	memset(&in, 0, sizeof(in));
	if (kx_check_load(&in, s) < 0) {
		kx_strlist_addf(&pf->warnings, "prep --check did not run: %s",
				kx_error_last());
		kx_error_clear();
		goto done;
	}
	memset(&env, 0, sizeof(env));
	env.lookup_commit = kx_check_lookup_commit;
	env.data = &in;
	env.sent_msgids = &in.sent_msgids;
	env.tests = in.tests;
	env.tests_nr = in.tests_nr;
	env.history_topic = kx_topichist_env;
	env.history_data = hist = kx_topichist_cache_new(in.repo);
	kx_topichist_cache_expect(hist, in.patches, in.nr);
	env.is_function = kx_funcindex_env;
	env.function_data = fidx = kx_funcindex_lazy_new(in.repo,
					in.nr ? in.patches[0].id : NULL);
	f.overrides = in.overrides;
	f.overrides_nr = in.overrides_nr;
	kx_rules_run(&f, in.patches, in.nr, &env);
	kx_rule_cover_letter(&f, in.cover_subject, in.cover_body, &env);
	for (i = 0; i < f.nr; i++) {
		const struct kx_finding *x = &f.items[i];

		if (x->severity != KX_SEV_ERROR)
			continue;
		if (x->commit[0])
			refuse(pf, "kvmx86 prep --check shows it; fix the commit (git rebase -i)",
			       "prep --check: %.12s: %s [%s]", x->commit,
			       x->message, x->rule);
		else
			refuse(pf, "kvmx86 prep --check shows it",
			       "prep --check: %s [%s]", x->message, x->rule);
	}
done:
	kx_funcindex_lazy_free(fidx);
	kx_topichist_cache_free(hist);
	kx_findings_release(&f);
	kx_check_release(&in);
}

/* The base is published, and the series applies to its ref's tip today. */
static void check_published(struct preflight *pf, struct kx_resolved *s,
			    const char *base)
{
	const char *ref = s->base_ref ? s->base_ref : s->prep.state.base_ref;
	char conflict[41], tip[41];
	bool reached = false;

	if (kx_send_base_published(&reached, s, base) < 0) {
		kx_strlist_addf(&pf->warnings, "base-commit %.12s was not checked: %s",
				base, kx_error_last());
		kx_error_clear();
	} else if (!reached) {
		refuse(pf, "rebase onto a published base: kvmx86 check-base says which (git fetch first)",
		       "base-commit %.12s is on no remote-tracking ref: no one else has it",
		       base);
	}
	kx_trace("send: published");
	if (!ref) {
		kx_strlist_add(&pf->warnings,
			       "the base tracks no ref: not checked that the series applies to it today");
		return;
	}
	if (kx_send_applies(conflict, tip, s, ref) < 0) {
		kx_strlist_addf(&pf->warnings, "not checked that the series applies to %s: %s",
				ref, kx_error_last());
		kx_error_clear();
	} else if (conflict[0]) {
		char *fix = kx_xasprintf("rebase onto %s and resolve the conflicts: git rebase %s",
					 ref, ref);

		refuse(pf, fix, "the series no longer applies to %s (%.12s): %.12s conflicts",
		       ref, tip, conflict);
		free(fix);
	}
}

/* kvmx86 test's records at the series' current commits: none may fail. */
static void check_tests(struct preflight *pf, struct kx_resolved *s)
{
	struct kx_test_records r = { NULL, 0, 0 };
	struct kx_strlist ids = KX_STRLIST_INIT;
	size_t i;

	for (i = 0; i < s->series.nr; i++)
		kx_strlist_add(&ids, s->series.commits[i].id);
	/* the repository's store (kvmx86-test(1)): a failure hidden is none */
	if (kx_test_records_load(&r, s->prep.commondir, s->prep.repo,
				 (const char *const *)ids.items, ids.nr) < 0) {
		refuse(pf, "fix or remove the file it names, then run kvmx86 test again",
		       "kvmx86 test's records cannot be read: %s", kx_error_last());
		kx_error_clear();
	}
	for (i = 0; i < r.nr; i++)
		if (!r.items[i].pass)
			refuse(pf, "fix the commit, then run kvmx86 test again",
			       "kvmx86 test recorded a failure at %.12s: %s",
			       r.items[i].commit,
			       r.items[i].command ? r.items[i].command : r.items[i].kind);
	kx_test_records_release(&r);
	kx_strlist_release(&ids);
}

static void preflight(struct preflight *pf, struct kx_resolved *s,
		      const struct kx_cover_facts *cf, bool single,
		      struct kx_send_dirty *d)
{
	const struct kx_state *st = &s->prep.state;
	const char *t;
	bool dirty = false;

	kx_trace("send: facts");
	if (!single && (!st->cover_subject || !*st->cover_subject))
		refuse(pf, "kvmx86 prep --edit-cover", "the cover letter has no subject");
	if ((t = template_text(st->cover_subject)) ||
	    (t = template_text(st->cover_body)))
		refuse(pf, "kvmx86 prep --edit-cover, and replace it",
		       "template text '%s' is left in the cover letter", t);
	if (!single && (!st->cover_body || !*st->cover_body))
		refuse(pf, "kvmx86 prep --edit-cover", "the cover letter has no text");
	if ((t = asks_for_reply(st->cover_body)))
		refuse(pf, "drop it: post the new version as a thread of its own and link to the earlier one from the cover letter",
		       "the cover letter asks for the mails to go as a reply ('%s'); the handbook wants every version in a new thread",
		       t);
	if (kx_starts_with(cf->testing, "EDITME"))
		kx_strlist_add(&pf->warnings,
			       "kvmx86 test recorded no build or test of these commits: the cover letter says so");
	check_base(pf, s);
	kx_trace("send: check-base");
	check_published(pf, s, cf->base_commit);
	kx_trace("send: published, applies");
	check_tests(pf, s);
	check_rules(pf, s);
	kx_trace("send: prep --check");
	/* last: git looked at the work tree meanwhile */
	if (kx_send_dirty_finish(d, &dirty) < 0) {
		kx_strlist_addf(&pf->warnings, "the work tree was not checked: %s",
				kx_error_last());
		kx_error_clear();
	} else if (dirty) {
		refuse(pf, "commit or stash the changes (git stash), then send",
		       "the work tree has uncommitted changes");
	}
	kx_trace("send: work tree");
}

/* A mail made, with its recipients. */
struct mail {
	char *file;			/* -o's file name */
	char *subject;			/* the whole subject line */
	char *msgid;
	struct kx_rcpts rcpts;
	char *text;
};

struct send {
	struct send_opts *o;
	struct kx_resolved s;
	struct kx_cover_facts cf;
	struct kx_send_facts sf;
	struct preflight pf;
	struct mail *mails;		/* [0] the cover (text NULL: none) */
	size_t nr;			/* patches + 1 */
	char *cover_body;
	struct kx_strlist rwarnings;	/* recipients' */
};

/* The cover letter's text, as prep --cover renders it. */
static int cover_body(struct send *sd, bool single)
{
	/* nothing recorded: the mail says what was not tested, no EDITME */
	const char *testing = kx_starts_with(sd->cf.testing, "EDITME") ?
		"Not tested with kvmx86 test: no build or test of these commits was recorded." :
		NULL;

	return kx_cover_body(&sd->cover_body, &sd->s.prep, &sd->cf, single,
			     NULL, testing);
}

/* The part of a Message-ID no two runs share: 12 random hex digits. */
static int nonce(char out[13])
{
	unsigned char r[6];
	FILE *f = fopen("/dev/urandom", "rb");
	size_t i;

	if (!f || fread(r, 1, sizeof(r), f) != sizeof(r)) {
		if (f)
			fclose(f);
		return kx_error_set(KX_ERROR, "cannot read /dev/urandom: %s",
				    strerror(errno));
	}
	fclose(f);
	for (i = 0; i < sizeof(r); i++)
		snprintf(out + 2 * i, 3, "%02x", r[i]);
	return 0;
}

static void addresses(struct send *sd, size_t k, const char *message,
		      const struct kx_maint_hits *hits)
{
	struct kx_strlist to = KX_STRLIST_INIT, cc = KX_STRLIST_INIT;
	struct kx_strlist to_why = KX_STRLIST_INIT, cc_why = KX_STRLIST_INIT;
	const struct kx_state *st = &sd->s.prep.state;
	struct kx_strlist exclude = KX_STRLIST_INIT;
	struct kx_rcpt_opts ro;
	size_t i;

	for (i = 0; i < sd->o->to.nr; i++) {
		kx_strlist_add(&to, sd->o->to.items[i]);
		kx_strlist_add(&to_why, "--to");
	}
	for (i = 0; i < sd->sf.to.nr; i++) {
		kx_strlist_add(&to, sd->sf.to.items[i]);
		kx_strlist_add(&to_why, sd->sf.to_why.items[i]);
	}
	for (i = 0; i < st->to.nr; i++) {
		kx_strlist_add(&to, st->to.items[i]);
		kx_strlist_add(&to_why, "the series' recipients (from b4)");
	}
	for (i = 0; i < sd->o->cc.nr; i++) {
		kx_strlist_add(&cc, sd->o->cc.items[i]);
		kx_strlist_add(&cc_why, "--cc");
	}
	for (i = 0; i < sd->sf.cc.nr; i++) {
		kx_strlist_add(&cc, sd->sf.cc.items[i]);
		kx_strlist_add(&cc_why, sd->sf.cc_why.items[i]);
	}
	for (i = 0; i < st->cc.nr; i++) {
		kx_strlist_add(&cc, st->cc.items[i]);
		kx_strlist_add(&cc_why, "the series' recipients (from b4)");
	}
	for (i = 0; i < sd->o->exclude.nr; i++)
		kx_strlist_add(&exclude, sd->o->exclude.items[i]);
	for (i = 0; i < st->exclude.nr; i++)
		kx_strlist_add(&exclude, st->exclude.items[i]);
	memset(&ro, 0, sizeof(ro));
	ro.sender = &sd->sf.sender;
	ro.to = &to;
	ro.cc = &cc;
	ro.to_why = &to_why;
	ro.cc_why = &cc_why;
	ro.exclude = &exclude;
	ro.cc_stable = sd->o->cc_stable;
	ro.no_trailer_cc = sd->o->no_trailer_cc;
	ro.not_me_too = sd->o->not_me_too;
	ro.mailmap = kx_send_mailmap;
	ro.mailmap_data = &sd->sf;
	kx_rcpts_for_patch(&sd->mails[k].rcpts, &ro, message, hits, &sd->rwarnings);
	kx_strlist_release(&to);
	kx_strlist_release(&cc);
	kx_strlist_release(&to_why);
	kx_strlist_release(&cc_why);
	kx_strlist_release(&exclude);
}

/* Splits r into the mailbox arrays kx_mail_render() takes (borrowed). */
static void split_rcpts(const struct kx_rcpts *r, struct kx_mailbox **to,
			size_t *to_nr, struct kx_mailbox **cc, size_t *cc_nr)
{
	size_t i;

	*to = kx_xcalloc(r->nr + 1, sizeof(**to));
	*cc = kx_xcalloc(r->nr + 1, sizeof(**cc));
	*to_nr = *cc_nr = 0;
	for (i = 0; i < r->nr; i++) {
		if (r->items[i].to)
			(*to)[(*to_nr)++] = r->items[i].mb;
		else
			(*cc)[(*cc_nr)++] = r->items[i].mb;
	}
}

static int render(struct send *sd, size_t k, struct kx_mail *m)
{
	struct kx_mailbox *to, *cc;
	int error;

	split_rcpts(&sd->mails[k].rcpts, &to, &m->to_nr, &cc, &m->cc_nr);
	m->to = to;
	m->cc = cc;
	error = kx_mail_render(&sd->mails[k].text, m);
	if (error < 0) {
		char *why = kx_xstrdup(kx_error_last());

		if (k)
			kx_error_set(error, "patch %zu (%.12s): %s", k,
				     sd->sf.patches[k - 1].id, why);
		else
			kx_error_set(error, "the cover letter: %s", why);
		kx_error_hint("fix the text, or the address, that it names");
		free(why);
	}
	free(to);
	free(cc);
	return error;
}

/* Whether the author is the sender, as git send-email compares them. */
static bool same_person(const struct kx_mailbox *a, const struct kx_mailbox *b)
{
	return !strcmp(a->name, b->name) && !strcmp(a->addr, b->addr);
}

static int make_mails(struct send *sd)
{
	struct kx_prep *p = &sd->s.prep;
	const struct kx_state *st = &p->state;
	size_t n = sd->sf.nr, k;
	bool single = n == 1;
	char *stem = NULL, *now = NULL, day[16], nc[13];
	const char *domain = strrchr(sd->sf.sender.addr, '@') + 1;
	time_t t = time(NULL);
	struct tm tm;
	int error = 0;

	if ((error = nonce(nc)) < 0)
		return error;
	gmtime_r(&t, &tm);
	strftime(day, sizeof(day), "%Y%m%d", &tm);
	/* b4's stem: the date and slug of the change-id, else today's */
	stem = kx_mail_msgid_stem(st->change_id, day,
				  st->cover_subject && *st->cover_subject ?
				  st->cover_subject : p->branch);
	{
		struct tm lt;
		long off;

		localtime_r(&t, &lt);
		off = lt.tm_gmtoff / 60;
		now = kx_mail_date((long long)t, (int)off);
	}
	sd->nr = n + 1;
	sd->mails = kx_xcalloc(sd->nr, sizeof(*sd->mails));
	for (k = 0; k <= n; k++) {
		sd->mails[k].msgid = kx_mail_msgid(stem, st->revision ? st->revision : 1,
						   k, nc, domain);
		if (!sd->mails[k].msgid) {
			error = kx_error_set(KX_EINVALID,
					     "cannot make a Message-ID of '%s' and the sender's domain '%s'",
					     stem, domain);
			kx_error_hint("set sendemail.from to an address with a plain domain");
			goto done;
		}
	}

	/* the patches: each to its own people, threaded to the cover only */
	for (k = 1; k <= n; k++) {
		struct kx_send_patch *pt = &sd->sf.patches[k - 1];
		struct kx_mail m;
		char *prefix, *body, *date, *mbox_id = kx_xstrdup(pt->id);
		const char *below = single ? sd->cover_body : NULL;

		prefix = kx_cover_subject_line(&st->prefixes, st->revision, k, n, "");
		date = kx_mail_date(pt->author_time, pt->author_offset);
		body = kx_mail_patch_body(pt->body, below, pt->diff);
		addresses(sd, k, pt->message, &pt->maint);
		memset(&m, 0, sizeof(m));
		m.mbox_id = mbox_id;
		m.from = &sd->sf.sender;
		m.date = date;
		m.subject_prefix = prefix;
		m.subject = pt->subject;
		m.message_id = sd->mails[k].msgid;
		m.in_reply_to = single ? NULL : sd->mails[0].msgid;
		m.body_from = same_person(&pt->author, &sd->sf.sender) ? NULL : &pt->author;
		m.body = body;
		m.signature = sd->cf.signature;
		error = render(sd, k, &m);
		sd->mails[k].subject = kx_xasprintf("%s%s", prefix, pt->subject);
		sd->mails[k].file = kx_mail_file_name(st->revision, k, pt->subject,
						      ".patch", 64);
		free(prefix);
		free(date);
		free(body);
		free(mbox_id);
		if (error < 0)
			goto done;
	}
	if (!single) {
		struct kx_mail m;
		char *prefix = kx_cover_subject_line(&st->prefixes, st->revision, 0, n, "");

		/* the cover: the union of the patches' recipients */
		addresses(sd, 0, NULL, NULL);
		for (k = 1; k <= n; k++)
			kx_rcpts_merge(&sd->mails[0].rcpts, &sd->mails[k].rcpts);
		memset(&m, 0, sizeof(m));
		m.mbox_id = "0000000000000000000000000000000000000000";
		m.from = &sd->sf.sender;
		m.date = now;
		m.subject_prefix = prefix;
		m.subject = st->cover_subject ? st->cover_subject : "";
		m.message_id = sd->mails[0].msgid;
		m.body = sd->cover_body;
		error = render(sd, 0, &m);
		sd->mails[0].subject = kx_xasprintf("%s%s", prefix, m.subject);
		sd->mails[0].file = kx_mail_file_name(st->revision, 0, NULL, ".patch", 64);
		free(prefix);
	}
done:
	free(stem);
	free(now);
	return error;
}

/*
 * Adds --exclude's addresses to the series' exclusion list, which later
 * versions keep (as b4.email-exclude); a dry run changes nothing.
 * Returns 0 or a negative KX_E*.
 */
static int remember_exclusions(struct send *sd)
{
	struct kx_state *st = &sd->s.prep.state;
	size_t i, j, added = 0;

	for (i = 0; i < sd->o->exclude.nr; i++) {
		const char *a = sd->o->exclude.items[i];

		for (j = 0; j < st->exclude.nr; j++)
			if (kx_mail_addr_eq(st->exclude.items[j], a))
				break;
		if (j < st->exclude.nr)
			continue;
		if (sd->o->mode == MODE_DRY_RUN) {
			kx_out_printf(stderr, "note: %s is excluded for this run only (a dry run remembers nothing)\n",
				      a);
			continue;
		}
		kx_strlist_add(&st->exclude, a);
		added++;
	}
	if (!added)
		return 0;
	if (kx_prep_save(&sd->s.prep) < 0)
		return KX_ERROR;
	for (i = st->exclude.nr - added; i < st->exclude.nr; i++)
		kx_out_printf(stderr, "note: %s is excluded from this series from now on\n",
			      st->exclude.items[i]);
	return 0;
}

static void print_rcpts(FILE *f, const struct mail *m)
{
	size_t i;

	kx_out_printf(f, "%s\n", m->subject);
	for (i = 0; i < m->rcpts.nr; i++) {
		char *t = kx_mailbox_text(&m->rcpts.items[i].mb);

		kx_out_printf(f, "  %-3s %s\n      (%s)\n",
			      m->rcpts.items[i].to ? "To:" : "Cc:", t,
			      m->rcpts.items[i].why);
		free(t);
	}
}

static void print_json(const struct send *sd)
{
	json_t *o = json_object(), *mails = json_array(), *refusals = json_array();
	json_t *warnings = json_array();
	size_t k, i;

	for (k = 0; k < sd->nr; k++) {
		const struct mail *m = &sd->mails[k];
		json_t *to = json_array(), *cc = json_array(), *j;

		if (!m->text)
			continue;
		for (i = 0; i < m->rcpts.nr; i++) {
			char *t = kx_mailbox_text(&m->rcpts.items[i].mb);

			json_array_append_new(m->rcpts.items[i].to ? to : cc,
				json_pack("{s:s, s:s, s:s}", "address", t,
					  "addr", m->rcpts.items[i].mb.addr,
					  "reason", m->rcpts.items[i].why));
			free(t);
		}
		j = json_pack("{s:i, s:s, s:s, s:s, s:o, s:o}",
			      "index", (json_int_t)k, "subject", m->subject,
			      "message_id", m->msgid, "file", m->file,
			      "to", to, "cc", cc);
		json_array_append_new(mails, j);
	}
	for (i = 0; i < sd->pf.nr; i++)
		json_array_append_new(refusals,
			json_pack("{s:s, s:s}", "reason", sd->pf.items[i].what,
				  "fix", sd->pf.items[i].fix));
	for (i = 0; i < sd->pf.warnings.nr; i++)
		json_array_append_new(warnings, json_string(sd->pf.warnings.items[i]));
	for (i = 0; i < sd->rwarnings.nr; i++)
		json_array_append_new(warnings, json_string(sd->rwarnings.items[i]));
	{
		char *from = kx_mailbox_text(&sd->sf.sender);

		json_object_set_new(o, "from", json_string(from));
		free(from);
	}
	json_object_set_new(o, "mails", mails);
	json_object_set_new(o, "refusals", refusals);
	json_object_set_new(o, "warnings", warnings);
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	kx_out_printf(stdout, "\n");
	json_decref(o);
}

static int write_out(struct send *sd)
{
	struct kx_buf mbox = KX_BUF_INIT;
	size_t k;
	int error = 0;

	if (sd->o->mode == MODE_DIR && mkdir(sd->o->path, 0777) < 0 &&
	    errno != EEXIST)
		return kx_error_set(KX_ERROR, "cannot create '%s': %s", sd->o->path,
				    strerror(errno));
	kx_buf_adds(&mbox, "");
	for (k = 0; k < sd->nr; k++) {
		const struct mail *m = &sd->mails[k];

		if (!m->text)
			continue;
		if (sd->o->mode == MODE_DIR) {
			char *path = kx_xasprintf("%s/%s", sd->o->path, m->file);

			error = kx_write_atomic(path, m->text, false);
			if (!error && !sd->o->json)
				kx_out_printf(stdout, "%s\n", path);
			free(path);
			if (error < 0)
				return error;
		} else {
			kx_buf_adds(&mbox, m->text);
		}
	}
	if (sd->o->mode == MODE_MBOX) {
		error = kx_write_atomic(sd->o->path, mbox.buf, false);
		if (!error && !sd->o->json)
			kx_out_printf(stdout, "%s\n", sd->o->path);
	}
	kx_buf_release(&mbox);
	return error;
}

static void print_preflight(const struct send *sd, bool refusing)
{
	size_t i;

	for (i = 0; i < sd->pf.warnings.nr; i++)
		kx_out_printf(stderr, "warning: %s\n", sd->pf.warnings.items[i]);
	for (i = 0; i < sd->rwarnings.nr; i++)
		kx_out_printf(stderr, "warning: %s\n", sd->rwarnings.items[i]);
	for (i = 0; i < sd->sf.warnings.nr; i++)
		kx_out_printf(stderr, "warning: %s\n", sd->sf.warnings.items[i]);
	for (i = 0; i < sd->pf.nr; i++) {
		kx_out_printf(stderr, "%s: %s\n",
			      refusing ? "error" : "would refuse",
			      sd->pf.items[i].what);
		kx_out_printf(stderr, "hint: %s\n", sd->pf.items[i].fix);
	}
}

static void send_release(struct send *sd)
{
	size_t k;

	for (k = 0; k < sd->nr; k++) {
		free(sd->mails[k].file);
		free(sd->mails[k].subject);
		free(sd->mails[k].msgid);
		free(sd->mails[k].text);
		kx_rcpts_release(&sd->mails[k].rcpts);
	}
	free(sd->mails);
	free(sd->cover_body);
	kx_strlist_release(&sd->rwarnings);
	preflight_release(&sd->pf);
	kx_send_facts_release(&sd->sf);
	kx_cover_facts_release(&sd->cf);
	kx_resolved_release(&sd->s);
}

int cmd_send(int argc, char **argv)
{
	struct send_opts o;
	struct kx_series_query q = { 0 };
	struct kx_cover_options co = { true, false };
	struct send sd;
	struct kx_send_dirty dirty;
	size_t k;
	int ret;

	memset(&o, 0, sizeof(o));
	memset(&sd, 0, sizeof(sd));
	memset(&dirty, 0, sizeof(dirty));
	sd.o = &o;
	if ((ret = parse_argv(&o, argc, argv)) != 0) {
		ret = ret == 1 ? KX_EXIT_OK : ret;
		goto out;
	}
	q.arg = o.rev;
	q.need_enrolled = true;
	if (kx_series_resolve(&sd.s, &q) < 0 ||
	    kx_send_dirty_start(&dirty, &sd.s) < 0 ||
	    kx_cover_gather(&sd.cf, &sd.s, &co) < 0 ||
	    kx_send_gather(&sd.sf, &sd.s) < 0 ||
	    cover_body(&sd, sd.sf.nr == 1) < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	preflight(&sd.pf, &sd.s, &sd.cf, sd.sf.nr == 1, &dirty);
	if (make_mails(&sd) < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	ret = KX_EXIT_OK;
	if (o.mode == MODE_DRY_RUN) {
		remember_exclusions(&sd);
		print_preflight(&sd, false);
		if (o.json) {
			print_json(&sd);
		} else {
			for (k = 0; k < sd.nr; k++)
				if (sd.mails[k].text)
					print_rcpts(stdout, &sd.mails[k]);
			for (k = 0; k < sd.nr; k++)
				if (sd.mails[k].text) {
					kx_out_printf(stdout, "\n");
					kx_out_text(stdout, sd.mails[k].text);
				}
		}
		ret = sd.pf.nr ? KX_EXIT_FINDINGS : KX_EXIT_OK;
		goto done;
	}
	if (sd.pf.nr && !o.force) {
		print_preflight(&sd, true);
		kx_out_printf(stderr, "nothing written: fix the above, or give --force\n");
		ret = KX_EXIT_FINDINGS;
		goto done;
	}
	print_preflight(&sd, false);
	if (write_out(&sd) < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	if (remember_exclusions(&sd) < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	if (o.json)
		print_json(&sd);
done:
	{
		bool unused;

		/* an early failure still waits for git */
		if (kx_send_dirty_finish(&dirty, &unused) < 0)
			kx_error_clear();
	}
	send_release(&sd);
out:
	kx_strlist_release(&o.to);
	kx_strlist_release(&o.cc);
	kx_strlist_release(&o.exclude);
	return ret;
}
