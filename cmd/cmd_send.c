// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvmx86 send: the mails of the series (cover letter and patches as git
 * format-patch writes them, with kvmx86's headers), who gets each and
 * why, the pre-flight, and then writing them out or delivering them.
 * Delivery goes through a send attempt recorded in the state before the
 * first mail leaves (sendattempt.h), so that an interrupted run resumes
 * with the very same mails and none goes twice.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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
#include "kvmx86/hook.h"
#include "kvmx86/mail.h"
#include "kvmx86/recipients.h"
#include "kvmx86/resolve.h"
#include "kvmx86/rules.h"
#include "kvmx86/safe.h"
#include "kvmx86/send.h"
#include "kvmx86/sendattempt.h"
#include "kvmx86/smtp.h"
#include "kvmx86/util.h"

const char cmd_send_usage[] =
	"usage: kvmx86 send [<rev>] [--dry-run | -o <dir> | --mbox <file> | --reflect |\n"
	"                   --preview-to <addr>]\n"
	"                   [--resend <vN>] [--resend-unknown | --mark-arrived] [--new-attempt]\n"
	"                   [--identity <name>] [--smtp-insecure] [--no-sign] [--confirm <when>]\n"
	"                   [--to <addr>] [--cc <addr>] [--cc-stable] [--exclude <addr>]\n"
	"                   [--suppress-cc <what>] [--no-trailer-cc] [--not-me-too]\n"
	"                   [--worktree-check <all|series>] [--force] [--json]\n"
	"\n"
	"Make the mails of the series (cover letter and patches), address them\n"
	"(the KVM list, MAINTAINERS, the commits' trailers, --to/--cc and the\n"
	"configuration), check the series before it leaves, and send them as\n"
	"git send-email is configured (sendemail.*), or write them out.\n"
	"\n"
	"    --dry-run         print who gets which mail and why, then the mails\n"
	"    -o, --output-directory <dir>\n"
	"                      write one file per mail into <dir>, as git format-patch\n"
	"    --mbox <file>     write every mail into one mbox for git am and b4 am\n"
	"                      (- for standard output)\n"
	"    --reflect         send the whole series to yourself only; record nothing\n"
	"    --preview-to <addr>  send it, [PATCH PREVIEW ...], to addr only (repeatable),\n"
	"                      for a review before the list sees it; record nothing\n"
	"    --resend <vN>     send sent version N again as [PATCH RESEND], from its tag\n"
	"    --resend-unknown  resume with the mails that may have arrived, too\n"
	"    --mark-arrived    count the possibly-sent mails as sent (found in the archive)\n"
	"    --new-attempt     drop the interrupted attempt and start a new one\n"
	"    --identity <name> use sendemail.<name>.* (as git send-email --identity)\n"
	"    --smtp-insecure   allow plain-text SMTP to a server that is not loopback\n"
	"    --no-sign         do not sign the mails with the patatt key\n"
	"    --no-validate     do not run git's sendemail-validate hook on the mails\n"
	"                      (sendemail.validate; --validate runs it)\n"
	"    --confirm <when>  ask before sending: always, auto, cc, never, compose\n"
	"                      (as git send-email; sendemail.confirm)\n"
	"    --to <addr>       add a To: recipient (repeatable)\n"
	"    --cc <addr>       add a Cc: recipient (repeatable)\n"
	"    --cc-stable       also mail the stable addresses of Cc: trailers\n"
	"    --exclude <addr>  never mail addr (repeatable)\n"
	"    --suppress-cc <what>  as git send-email: author, self, cc, bodycc, sob,\n"
	"                      misc-by, cccmd, body or all, with sendemail.suppressCc\n"
	"    --no-trailer-cc   address no one named in the commits' trailers\n"
	"    --not-me-too      do not copy the sender\n"
	"    --worktree-check <all|series>  look for uncommitted changes in every\n"
	"                      tracked file (all) or in the series' (kvmx86.worktreeCheck)\n"
	"    --force           send or write out despite the pre-flight's refusals\n"
	"    --json            describe the mails as one JSON object\n"
	KX_OUT_COLOR_USAGE
	"    -h, --help        show this help\n"
	"\n"
	"Exit status: 0 sent or written (or a clean dry run); 1 refused (the\n"
	"pre-flight, a changed series, or a dry run that found reasons to refuse);\n"
	"2 interrupted with mails left (the command that resumes is printed);\n"
	"128 failure; 129 bad usage.\n"
	"See kvmx86-send(1).\n";

enum {
	OPT_DRY_RUN = 0x100,
	OPT_MBOX,
	OPT_TO,
	OPT_CC,
	OPT_CC_STABLE,
	OPT_EXCLUDE,
	OPT_NO_TRAILER_CC,
	OPT_SUPPRESS_CC,
	OPT_NOT_ME_TOO,
	OPT_FORCE,
	OPT_JSON,
	OPT_REFLECT,
	OPT_RESEND,
	OPT_RESEND_UNKNOWN,
	OPT_MARK_ARRIVED,
	OPT_NEW_ATTEMPT,
	OPT_IDENTITY,
	OPT_SMTP_INSECURE,
	OPT_NO_SIGN,
	OPT_WORKTREE_CHECK,
	OPT_CONFIRM,
	OPT_VALIDATE,
	OPT_NO_VALIDATE,
	OPT_PREVIEW_TO,
};

enum send_mode { MODE_NONE, MODE_DRY_RUN, MODE_DIR, MODE_MBOX, MODE_REFLECT, MODE_PREVIEW };

struct send_opts {
	const char *rev;
	enum send_mode mode;
	const char *path;
	struct kx_strlist to, cc, exclude;
	struct kx_strlist preview;	/* --preview-to's */
	bool cc_stable, no_trailer_cc, not_me_too, force, json;
	unsigned suppress_cc;		/* --suppress-cc's, enum kx_suppress */
	unsigned resend;		/* --resend's version, or 0 */
	const char *identity;
	bool resend_unknown, new_attempt, smtp_insecure, no_sign;
	bool mark_arrived;	/* the possibly-sent mails are in the archive */
	enum kx_worktree_check worktree_check;
	enum kx_confirm confirm;	/* --confirm's, or unset */
	int validate;			/* --[no-]validate: 1, 0; -1 neither */
	const char *const *argv;	/* this run's words after "send" */
	size_t argc;
};

static int set_mode(struct send_opts *o, enum send_mode m, const char *path)
{
	if (o->mode != MODE_NONE && o->mode != m)
		return kx_out_usage_error(kx_cmd_find("send"),
					  "--dry-run, -o, --mbox, --reflect and --preview-to do not go together");
	o->mode = m;
	o->path = path;
	return 0;
}

/*
 * The addresses given to an option, a list separated by commas as git
 * send-email takes it, each checked before anything.
 */
static int add_addr(struct kx_strlist *l, const char *opt, const char *value)
{
	struct kx_strlist one = KX_STRLIST_INIT;
	size_t i;
	int ret = 0;

	kx_mail_split_list(&one, value);
	if (!one.nr)
		ret = kx_out_usage_error(kx_cmd_find("send"), "%s: no address", opt);
	for (i = 0; i < one.nr && !ret; i++) {
		struct kx_mailbox mb;

		if (kx_mailbox_parse(&mb, one.items[i]) < 0) {
			ret = kx_out_usage_error(kx_cmd_find("send"), "%s: %s",
						 opt, kx_error_last());
			break;
		}
		kx_mailbox_release(&mb);
		kx_strlist_add(l, one.items[i]);
	}
	kx_strlist_release(&one);
	return ret;
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
		{ "suppress-cc", required_argument, NULL, OPT_SUPPRESS_CC },
		{ "not-me-too", no_argument, NULL, OPT_NOT_ME_TOO },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "reflect", no_argument, NULL, OPT_REFLECT },
		{ "preview-to", required_argument, NULL, OPT_PREVIEW_TO },
		{ "resend", required_argument, NULL, OPT_RESEND },
		{ "resend-unknown", no_argument, NULL, OPT_RESEND_UNKNOWN },
		{ "mark-arrived", no_argument, NULL, OPT_MARK_ARRIVED },
		{ "new-attempt", no_argument, NULL, OPT_NEW_ATTEMPT },
		{ "identity", required_argument, NULL, OPT_IDENTITY },
		{ "smtp-insecure", no_argument, NULL, OPT_SMTP_INSECURE },
		{ "no-sign", no_argument, NULL, OPT_NO_SIGN },
		{ "validate", no_argument, NULL, OPT_VALIDATE },
		{ "no-validate", no_argument, NULL, OPT_NO_VALIDATE },
		{ "worktree-check", required_argument, NULL, OPT_WORKTREE_CHECK },
		{ "confirm", required_argument, NULL, OPT_CONFIRM },
		KX_OUT_COLOR_OPTIONS,
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
		case OPT_SUPPRESS_CC:
			/* git send-email dies on a value it does not know */
			if (kx_suppress_cc_add(&o->suppress_cc, optarg) < 0)
				return kx_out_usage_error(kx_cmd_find("send"),
							  "--suppress-cc: %s",
							  kx_error_last());
			break;
		case OPT_NOT_ME_TOO:
			o->not_me_too = true;
			break;
		case OPT_FORCE:
			o->force = true;
			break;
		case OPT_WORKTREE_CHECK:
			if (kx_worktree_check_parse(&o->worktree_check, optarg) < 0)
				return kx_out_usage_error(cmd, "--worktree-check: %s",
							  kx_error_last());
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_PREVIEW_TO:
			if (!(ret = set_mode(o, MODE_PREVIEW, NULL)))
				ret = add_addr(&o->preview, "--preview-to", optarg);
			break;
		case OPT_REFLECT:
			ret = set_mode(o, MODE_REFLECT, NULL);
			break;
		case OPT_RESEND:
			if (kx_parse_revision(&o->resend, optarg) < 0)
				return kx_out_usage_error(cmd, "--resend: '%s' is not a version (v1, v2, ...)",
							  optarg);
			break;
		case OPT_MARK_ARRIVED:
			o->mark_arrived = true;
			break;
		case OPT_RESEND_UNKNOWN:
			o->resend_unknown = true;
			break;
		case OPT_NEW_ATTEMPT:
			o->new_attempt = true;
			break;
		case OPT_IDENTITY:
			if (!*optarg)
				return kx_out_usage_error(cmd, "--identity needs a name");
			o->identity = optarg;
			break;
		case OPT_SMTP_INSECURE:
			o->smtp_insecure = true;
			break;
		case OPT_VALIDATE:
		case OPT_NO_VALIDATE:
			o->validate = c == OPT_VALIDATE;
			break;
		case OPT_NO_SIGN:
			o->no_sign = true;
			break;
		case OPT_CONFIRM:
			if (kx_confirm_parse(&o->confirm, optarg, "--confirm") < 0)
				return kx_out_usage_error(cmd, "%s", kx_error_last());
			break;
		case KX_OPT_COLOR:
		case KX_OPT_NO_COLOR:
			ret = kx_out_color_option(cmd, c, optarg);
			break;
		default:
			return kx_out_bad_option(cmd, c, argv, options);
		}
	}
	if (ret)
		return ret;
	if (argc - optind > 1)
		return kx_out_usage_error(cmd, "too many arguments: give one revision or branch");
	if ((o->resend_unknown || o->mark_arrived) && o->new_attempt)
		return kx_out_usage_error(cmd, "%s resumes an attempt, --new-attempt drops it: give one",
					  o->resend_unknown ? "--resend-unknown" : "--mark-arrived");
	if (o->resend_unknown && o->mark_arrived)
		return kx_out_usage_error(cmd, "--resend-unknown sends the possibly-sent mails again, --mark-arrived counts them as sent: give one");
	if (o->mode != MODE_NONE && (o->resend_unknown || o->new_attempt || o->mark_arrived))
		return kx_out_usage_error(cmd, "%s is for sending: not with --dry-run, -o, --mbox, --reflect or --preview-to",
					  o->resend_unknown ? "--resend-unknown" :
					  o->mark_arrived ? "--mark-arrived" : "--new-attempt");
	if ((o->mode == MODE_DIR || o->mode == MODE_MBOX) && !*o->path)
		return kx_out_usage_error(cmd, "%s needs a path",
					  o->mode == MODE_DIR ? "-o" : "--mbox");
	if (o->mode == MODE_MBOX && !strcmp(o->path, "-") && o->json)
		return kx_out_usage_error(cmd, "--mbox - and --json both write to standard output: give one");
	o->rev = optind < argc ? argv[optind] : NULL;
	if (o->resend && o->mode != MODE_NONE && o->mode != MODE_REFLECT &&
	    o->mode != MODE_DRY_RUN)
		return kx_out_usage_error(cmd, "--resend sends: not with -o, --mbox or --preview-to");
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
		/* a bad kvmx86.* value is the user's to fix: a refusal */
		if (s->checkbase_config_bad)
			refuse(pf, kx_error_last_hint(), "%s", kx_error_last());
		else
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

/*
 * prep --check's errors, each a refusal, as prep --check finds them; its
 * base-choice error is check-base's verdict, refused there with its fix.
 */
static void check_rules(struct preflight *pf, struct kx_resolved *s)
{
	struct kx_check_input in;
	struct kx_findings f = KX_FINDINGS_INIT;
	size_t i;

	memset(&in, 0, sizeof(in));
	if (kx_check_load(&in, s) < 0) {
		/* check_base() refused it already */
		if (!s->checkbase_config_bad)
			kx_strlist_addf(&pf->warnings, "prep --check did not run: %s",
					kx_error_last());
		kx_error_clear();
		goto done;
	}
	/* a cover letter not written yet is the pre-flight's own refusal */
	kx_check_run(&f, &in, KX_CHECK_COVER_OPTIONAL);
	for (i = 0; i < f.nr; i++) {
		const struct kx_finding *x = &f.items[i];

		if (x->severity != KX_SEV_ERROR || !strcmp(x->rule, "base-choice"))
			continue;
		if (x->commit[0] && x->path && x->line)
			refuse(pf, "kvmx86 prep --check shows it; fix the commit (git rebase -i)",
			       "prep --check: %.12s: %s:%u: %s [%s]", x->commit,
			       x->path, x->line, x->message, x->rule);
		else if (x->commit[0])
			refuse(pf, "kvmx86 prep --check shows it; fix the commit (git rebase -i)",
			       "prep --check: %.12s: %s [%s]", x->commit,
			       x->message, x->rule);
		else
			refuse(pf, "kvmx86 prep --check shows it",
			       "prep --check: %s [%s]", x->message, x->rule);
	}
done:
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
			refuse(pf, "fix the commit, then run kvmx86 test again; a command that was the wrong one: kvmx86 test --forget",
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
	if ((t = kx_cover_template_in(st->cover_subject)) ||
	    (t = kx_cover_template_in(st->cover_body)))
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
		       d->series_only ? "files of the series have uncommitted changes" :
		       "the work tree has uncommitted changes");
	}
	kx_trace("send: work tree");
}

/* A mail made, with its recipients. */
struct mail {
	char *file;			/* -o's file name */
	char *subject;			/* the whole subject line */
	char *msgid;			/* once sent: the attempt's, which went */
	struct kx_rcpts rcpts;
	char *text;
	char *status;			/* once sent: the attempt's status of it */
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
	/* what the mails are of: the state's, or --resend's tag's */
	unsigned revision;
	struct kx_strlist prefixes;
	char *cover_subject;
	char nonce[13];
	char *resend_tag;		/* --resend's tag */
	char *refused;			/* the recipient the server refused */
	bool hook_rejected;		/* sendemail-validate said no: --force does not send */
	bool delivered;			/* the mails' outcomes are known (--json) */
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

	if (sd->o->mode == MODE_PREVIEW) {
		/* b4 send --preview-to: those addresses only, no list, no Cc */
		for (i = 0; i < sd->o->preview.nr; i++) {
			struct kx_mailbox mb;

			/* parsed once already, by the option */
			if (kx_mailbox_parse(&mb, sd->o->preview.items[i]) < 0) {
				kx_error_clear();
				continue;
			}
			kx_rcpts_add(&sd->mails[k].rcpts, mb.name, mb.addr, true, "--preview-to");
			kx_mailbox_release(&mb);
		}
		(void)message;
		(void)hits;
		return;
	}
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

/*
 * The body of a single patch: its cover text under the "---", and the
 * base-commit:, prerequisite-patch-id: and change-id: lines the text ends
 * with after the diff, where git format-patch --base and b4 put them
 * (a blank line, then the lines, then the signature).
 */
static char *single_body(const char *body, const char *cover, const char *diff)
{
	struct kx_buf b = KX_BUF_INIT;
	const char *tail = NULL, *p, *nl, *sig;
	char *head, *out;
	size_t len;

	/* the last one: a blurb may quote such a line */
	for (p = cover; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (kx_starts_with(p, "base-commit: "))
			tail = p;
		if (!nl)
			break;
	}
	if (!tail)
		return kx_mail_patch_body(body, cover, diff);
	len = (size_t)(tail - cover);
	while (len && cover[len - 1] == '\n')
		len--;
	head = kx_xstrndup(cover, len);
	out = kx_mail_patch_body(body, head, diff);
	free(head);
	kx_buf_adds(&b, out);
	free(out);
	if (b.len && b.buf[b.len - 1] != '\n')
		kx_buf_addc(&b, '\n');
	kx_buf_addc(&b, '\n');
	/* a template's "-- " signature: the mail has its own */
	sig = strstr(tail, "\n-- \n");
	kx_buf_add(&b, tail, sig ? (size_t)(sig - tail) + 1 : strlen(tail));
	if (b.buf[b.len - 1] != '\n')
		kx_buf_addc(&b, '\n');
	return kx_buf_detach(&b);
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
	char *stem = NULL, *now = NULL, day[16], *nc = sd->nonce;
	const char *domain = strrchr(sd->sf.sender.addr, '@') + 1;
	time_t t = time(NULL);
	struct tm tm;
	int error = 0;
	/*
	 * Mails that go (and a dry run's, which shows them) are dated when
	 * they are sent, one second apart in the order they go, as git
	 * send-email dates them, so that archives and readers sort the
	 * thread; written out, each patch keeps its author date, as git
	 * format-patch writes it.
	 */
	bool wire = sd->o->mode == MODE_NONE || sd->o->mode == MODE_REFLECT ||
		    sd->o->mode == MODE_PREVIEW || sd->o->mode == MODE_DRY_RUN;
	long off;
	/* written out, the cover letter has the time of writing */
	time_t first = t - (time_t)(single || !wire ? 0 : n);

	if ((error = nonce(nc)) < 0)
		return error;
	gmtime_r(&t, &tm);
	strftime(day, sizeof(day), "%Y%m%d", &tm);
	/* b4's stem: the date and slug of the change-id, else today's */
	stem = kx_mail_msgid_stem(st->change_id, day,
				  sd->cover_subject && *sd->cover_subject ?
				  sd->cover_subject : p->branch);
	{
		struct tm lt;

		localtime_r(&t, &lt);
		off = lt.tm_gmtoff / 60;
		now = kx_mail_date((long long)first, (int)off);
	}
	sd->nr = n + 1;
	sd->mails = kx_xcalloc(sd->nr, sizeof(*sd->mails));
	for (k = 0; k <= n; k++) {
		sd->mails[k].msgid = kx_mail_msgid(stem, sd->revision ? sd->revision : 1,
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

		prefix = kx_cover_subject_line(&sd->prefixes, sd->revision, k, n, "");
		date = wire ? kx_mail_date((long long)(first + (time_t)(single ? 0 : k)), (int)off) :
			      kx_mail_date(pt->author_time, pt->author_offset);
		body = single ? single_body(pt->body, sd->cover_body, pt->diff) :
				kx_mail_patch_body(pt->body, NULL, pt->diff);
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
		sd->mails[k].file = kx_mail_file_name(sd->revision, k, pt->subject,
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
		char *prefix = kx_cover_subject_line(&sd->prefixes, sd->revision, 0, n, "");

		/* the cover: the union of the patches' recipients */
		addresses(sd, 0, NULL, NULL);
		for (k = 1; k <= n; k++)
			kx_rcpts_merge(&sd->mails[0].rcpts, &sd->mails[k].rcpts);
		memset(&m, 0, sizeof(m));
		m.mbox_id = "0000000000000000000000000000000000000000";
		m.from = &sd->sf.sender;
		m.date = now;
		m.subject_prefix = prefix;
		m.subject = sd->cover_subject ? sd->cover_subject : "";
		m.message_id = sd->mails[0].msgid;
		m.body = sd->cover_body;
		error = render(sd, 0, &m);
		sd->mails[0].subject = kx_xasprintf("%s%s", prefix, m.subject);
		sd->mails[0].file = kx_mail_file_name(sd->revision, 0, NULL, ".patch", 64);
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

/* The revision went out already: its next, or --resend. */
static void refuse_sent_already(struct preflight *pf, const struct send *sd)
{
	char *fix = kx_xasprintf("prepare the next version (kvmx86 prep --force-revision %u), or send v%u again: kvmx86 send --resend v%u",
				 sd->revision + 1, sd->revision, sd->revision);

	refuse(pf, fix, "v%u of %s was sent already", sd->revision,
	       sd->s.prep.branch);
	free(fix);
}

static void print_json(const struct send *sd)
{
	json_t *o = json_object(), *mails = json_array(), *refusals = json_array();
	json_t *warnings = json_array();
	size_t k, i;

	for (k = 0; k < sd->nr; k++) {
		const struct mail *m = &sd->mails[k];
		json_t *to, *cc, *j;

		/* no cover letter for a single patch: no mail 0 */
		if (!m->text)
			continue;
		to = json_array();
		cc = json_array();
		for (i = 0; i < m->rcpts.nr; i++) {
			char *t = kx_mailbox_text(&m->rcpts.items[i].mb);

			json_array_append_new(m->rcpts.items[i].to ? to : cc,
				json_pack("{s:o, s:o, s:o}",
					  "address", kx_out_json_str(t),
					  "addr", kx_out_json_str(m->rcpts.items[i].mb.addr),
					  "reason", kx_out_json_str(m->rcpts.items[i].why)));
			free(t);
		}
		j = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}",
			      "index", (json_int_t)k,
			      "subject", kx_out_json_str(m->subject),
			      "message_id", kx_out_json_str(m->msgid),
			      "file", kx_out_json_str(m->file),
			      "to", to, "cc", cc);
		/*
		 * sent: accepted, possibly sent ("unknown") or not ("pending");
		 * null when nothing went, the key there all the same
		 */
		json_object_set_new(j, "status", kx_out_json_str(m->status));
		json_array_append_new(mails, j);
	}
	for (i = 0; i < sd->pf.nr; i++)
		json_array_append_new(refusals,
			json_pack("{s:o, s:o}",
				  "reason", kx_out_json_str(sd->pf.items[i].what),
				  "fix", kx_out_json_str(sd->pf.items[i].fix)));
	for (i = 0; i < sd->pf.warnings.nr; i++)
		json_array_append_new(warnings, kx_out_json_str(sd->pf.warnings.items[i]));
	for (i = 0; i < sd->rwarnings.nr; i++)
		json_array_append_new(warnings, kx_out_json_str(sd->rwarnings.items[i]));
	for (i = 0; i < sd->sf.warnings.nr; i++)
		json_array_append_new(warnings, kx_out_json_str(sd->sf.warnings.items[i]));
	{
		char *from = kx_mailbox_text(&sd->sf.sender);

		json_object_set_new(o, "from", kx_out_json_str(from));
		free(from);
	}
	json_object_set_new(o, "mails", mails);
	json_object_set_new(o, "refusals", refusals);
	json_object_set_new(o, "warnings", warnings);
	/* an attempt left unfinished: a resume sends its recorded mails */
	json_object_set_new(o, "attempt", json_null());
	if (sd->o->mode == MODE_DRY_RUN && sd->s.prep.state.attempt) {
		const struct kx_attempt *a = sd->s.prep.state.attempt;

		json_object_set_new(o, "attempt",
			json_pack("{s:s, s:I, s:s?, s:I, s:I, s:I}",
				  "kind", a->kind, "revision", (json_int_t)a->revision,
				  "began", a->date,
				  "mails", (json_int_t)a->nr,
				  "accepted", (json_int_t)kx_attempt_count(a, "accepted"),
				  "possibly_sent", (json_int_t)kx_attempt_count(a, "unknown")));
	}
	kx_out_json(o, false);
}

static int write_out(struct send *sd)
{
	struct kx_strlist written = KX_STRLIST_INIT;
	struct kx_buf mbox = KX_BUF_INIT;
	size_t k;
	int error = 0;

	if (sd->o->mode == MODE_DIR && mkdir(sd->o->path, 0777) < 0 &&
	    errno != EEXIST)
		return kx_error_set(KX_ERROR, "cannot create '%s': %s", sd->o->path,
				    strerror(errno));
	/* a part-written mail of a killed run: git send-email DIR would send it */
	if (sd->o->mode == MODE_DIR) {
		struct kx_strlist stale = KX_STRLIST_INIT;

		error = kx_remove_stale_temps(sd->o->path, ".patch", &stale);
		for (k = 0; k < stale.nr; k++)
			kx_out_printf(stderr, "note: removed %s, a mail an earlier run left half-written\n",
				      stale.items[k]);
		kx_strlist_release(&stale);
		if (error < 0)
			return error;
	}
	kx_buf_adds(&mbox, "");
	for (k = 0; k < sd->nr && !error; k++) {
		const struct mail *m = &sd->mails[k];

		if (!m->text)
			continue;
		if (sd->o->mode == MODE_DIR) {
			char *path = kx_xasprintf("%s/%s", sd->o->path, m->file);

			if (!(error = kx_write_atomic(path, m->text, false)))
				kx_strlist_add(&written, path);
			free(path);
		} else {
			kx_buf_adds(&mbox, m->text);
		}
	}
	if (!error && sd->o->mode == MODE_MBOX && !strcmp(sd->o->path, "-")) {
		/* as git format-patch --stdout; a terminal sees no raw escape */
		kx_out_raw(stdout, mbox.buf, mbox.len);
	} else if (!error && sd->o->mode == MODE_MBOX) {
		error = kx_write_atomic(sd->o->path, mbox.buf, false);
	}
	if (error < 0) {
		/* part of a series is no series: what this run wrote goes */
		for (k = 0; k < written.nr; k++)
			unlink(written.items[k]);
	} else if (!sd->o->json) {
		for (k = 0; k < written.nr; k++)
			kx_out_printf(stdout, "%s\n", written.items[k]);
		if (sd->o->mode == MODE_MBOX && strcmp(sd->o->path, "-"))
			kx_out_printf(stdout, "%s\n", sd->o->path);
	}
	kx_strlist_release(&written);
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

/* --- delivery ------------------------------------------------------------- */

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

/*
 * SIGINT, SIGTERM and SIGHUP stop the run between two mails, never
 * within one: the mail on its way gets its answer and its record.  A
 * second signal kills at once (the state stays whole: each record is an
 * atomic write).
 */
static void catch_stop(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sa.sa_flags = SA_RESTART | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

static bool str_eq_null(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Where progress goes: stdout, unless it holds --json's object. */
static FILE *progress(const struct send *sd)
{
	return sd->o->json ? stderr : stdout;
}

/* Prints "error: <last error>" and its hint, as a refusal. */
static void print_error(void)
{
	kx_out_printf(stderr, "error: %s\n", kx_error_last());
	kx_out_prefixed(stderr, "hint: ", kx_error_last_hint());
}

/* The mail as it travels: without the mbox "From " line. */
static const char *wire_text(const char *text)
{
	const char *nl;

	if (kx_starts_with(text, "From ") && (nl = strchr(text, '\n')))
		return nl + 1;
	return text;
}

/* The envelope of mail m: each address of its To: and Cc: once. */
static void envelope(struct kx_strlist *out, const struct mail *m)
{
	size_t i, k;

	for (i = 0; i < m->rcpts.nr; i++) {
		const char *a = m->rcpts.items[i].mb.addr;

		for (k = 0; k < out->nr; k++)
			if (kx_mail_addr_eq(out->items[k], a))
				break;
		if (k == out->nr)
			kx_strlist_add(out, a);
	}
}

static char *iso_now(void)
{
	time_t t = time(NULL);
	struct tm tm;
	char buf[32];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return kx_xstrdup(buf);
}

/* The subject line of the cover (of the patch, for a single patch). */
static char *cover_line(const struct send *sd)
{
	if (sd->nr > 1 && sd->mails[0].subject)
		return kx_xstrdup(sd->mails[0].subject);
	return kx_cover_subject_line(&sd->prefixes, sd->revision, 0, 1,
				     sd->cover_subject ? sd->cover_subject : "");
}

/* The fingerprint of what the mails of this run are made of. */
static void fingerprint(char out[41], struct send *sd, const char *kind)
{
	struct kx_attempt_source src;
	struct kx_strlist *rcpts = kx_xcalloc(sd->nr, sizeof(*rcpts));
	const char **commits = kx_xcalloc(sd->s.series.nr + 1, sizeof(*commits));
	char *from = kx_mailbox_text(&sd->sf.sender), *line = cover_line(sd), *text;
	size_t i, n = 0;

	for (i = 0; i < sd->s.series.nr; i++)
		commits[i] = sd->s.series.commits[i].id;
	for (i = 0; i < sd->nr; i++)
		if (sd->mails[i].text)
			envelope(&rcpts[n++], &sd->mails[i]);
	memset(&src, 0, sizeof(src));
	src.kind = kind;
	src.revision = sd->revision;
	src.base = sd->s.prep.range.from;
	src.tip = sd->s.prep.range.end;
	src.commits = commits;
	src.commits_nr = sd->s.series.nr;
	src.from = from;
	src.cover_subject = line;
	src.cover_body = sd->cover_body;
	src.rcpts = rcpts;
	src.mails_nr = n;
	text = kx_attempt_fingerprint_text(&src);
	kx_send_hash(out, text);
	free(text);
	for (i = 0; i < n; i++)
		kx_strlist_release(&rcpts[i]);
	free(rcpts);
	free(commits);
	free(from);
	free(line);
}

/*
 * The attempt of this run's mails, each signed with key (if any) before
 * it is stored; reflect addresses every mail to from only.
 */
static int make_attempt(struct kx_attempt **out, struct send *sd,
			const char *kind, const char *fp, const char *from,
			const struct kx_sign_key *key, bool reflect)
{
	struct kx_attempt *a = kx_attempt_new();
	long long now = (long long)time(NULL);
	size_t k;
	int error = 0;

	a->kind = kx_xstrdup(kind);
	a->revision = sd->revision;
	a->nonce = kx_xstrdup(sd->nonce);
	a->fingerprint = kx_xstrdup(fp);
	a->from = kx_xstrdup(from);
	a->date = iso_now();
	a->base = kx_xstrdup(sd->s.prep.range.from);
	a->tip = kx_xstrdup(sd->s.prep.range.end);
	for (k = 0; k < sd->nr && !error; k++) {
		const struct mail *m = &sd->mails[k];
		struct kx_attempt_mail *am;

		if (!m->text)
			continue;
		am = kx_attempt_add_mail(a);
		am->msgid = kx_xstrdup(m->msgid);
		am->status = kx_xstrdup("pending");
		if (reflect)
			kx_strlist_add(&am->rcpts, from);
		else
			envelope(&am->rcpts, m);
		if (key)
			error = kx_send_sign(&am->text, wire_text(m->text), key,
					     sd->sf.sender.addr, now);
		else
			am->text = kx_xstrdup(wire_text(m->text));
		if (!error && !am->rcpts.nr)
			error = kx_error_set(KX_EINVALID, "%s has no recipients",
					     m->subject);
		if (!error && !kx_utf8_valid(am->text, strlen(am->text))) {
			/* the state is JSON: it holds text, not any bytes */
			error = kx_error_set(KX_EINVALID, "%s is not UTF-8: kvmx86 cannot record it to resume with",
					     m->subject);
			kx_error_hint("nothing was sent; write the mails out (kvmx86 send -o <dir>) and send them with git send-email");
		}
	}
	if (error < 0) {
		kx_attempt_free(a);
		return error;
	}
	*out = a;
	return 0;
}

/* The subject of mail i of a, for messages: this run's, in the same order. */
static const char *subject_of(const struct send *sd, size_t i)
{
	size_t k, n = 0;

	for (k = 0; k < sd->nr; k++)
		if (sd->mails[k].text && n++ == i)
			return sd->mails[k].subject;
	return "(a mail)";
}

/*
 * Sends the mails of a that are due, recording each outcome at once when
 * record.  Returns 0 when each went, 1 when the run stopped with mails
 * left (said on stderr), or a negative KX_E* when a record failed.
 */
static int deliver(struct send *sd, struct kx_attempt *a, struct kx_smtp *smtp,
		   bool record)
{
	size_t i;
	int error;

	for (i = 0; i < a->nr; i++) {
		struct kx_attempt_mail *m = &a->mails[i];
		struct kx_smtp_result res;
		const char *subject = subject_of(sd, i);
		char *before;
		bool unknown;

		if (!kx_attempt_mail_due(m, sd->o->resend_unknown))
			continue;
		if (stop_signal) {
			kx_out_printf(stderr, "error: stopped by signal %d before %s\n",
				      (int)stop_signal, subject);
			return 1;
		}
		/*
		 * Recorded as possibly sent before it goes: a run killed while
		 * the mail is on its way (after the final dot, before the
		 * answer) must not leave it pending, to go a second time.
		 */
		before = m->status;
		m->status = kx_xstrdup("unknown");
		if (record && (error = kx_prep_save(&sd->s.prep)) < 0) {
			free(m->status);
			m->status = before;
			kx_out_printf(stderr, "error: not sent: %s\n", subject);
			return error;
		}
		memset(&res, 0, sizeof(res));
		error = kx_smtp_send(smtp, a->from,
				     (const char *const *)m->rcpts.items,
				     m->rcpts.nr, m->text, strlen(m->text), &res);
		/* a program killed on the way is an error, and possibly sent */
		unknown = res.outcome == KX_SMTP_UNKNOWN;
		if ((error < 0 && !unknown) || res.outcome == KX_SMTP_FAILED ||
		    res.outcome == KX_SMTP_REFUSED) {
			/* not delivered: as it was before it went */
			free(m->status);
			m->status = before;
			before = NULL;
			if (record && kx_prep_save(&sd->s.prep) < 0) {
				print_error();
				kx_out_printf(stderr, "note: %s stays possibly sent in the state, though it did not go\n",
					      subject);
			}
		} else {
			free(before);
		}
		if ((error < 0 && !unknown) || res.outcome == KX_SMTP_FAILED) {
			kx_out_printf(stderr, "error: not sent: %s\n", subject);
			if (error < 0) {
				print_error();
			} else if (res.reply) {
				kx_out_printf(stderr, "error: %s\n", res.reply);
			}
			kx_smtp_result_release(&res);
			return 1;
		}
		switch (res.outcome) {
		case KX_SMTP_ACCEPTED:
			free(m->status);
			m->status = kx_xstrdup("accepted");
			break;
		case KX_SMTP_REFUSED:
			kx_out_printf(stderr, "error: not sent: %s\n", subject);
			if (res.refused) {
				kx_out_printf(stderr, "error: the server refused the recipient %s%s%s\n",
					      res.refused, res.reply ? ": " : "",
					      res.reply ? res.reply : "");
				free(sd->refused);
				sd->refused = kx_xstrdup(res.refused);
			}
			else
				kx_out_printf(stderr, "error: the server refused the mail%s%s\n",
					      res.reply ? ": " : "",
					      res.reply ? res.reply : "");
			kx_smtp_result_release(&res);
			return 1;
		case KX_SMTP_UNKNOWN:
		default:
			free(m->status);
			m->status = kx_xstrdup("unknown");
			kx_out_printf(stderr, "error: possibly sent: %s\n", subject);
			if (error < 0)
				print_error();
			else
				kx_out_printf(stderr, "error: the connection ended after the mail went and before the server answered%s%s\n",
					      res.reply ? ": " : "", res.reply ? res.reply : "");
			error = 0;
			break;
		}
		kx_smtp_result_release(&res);
		if (record && (error = kx_prep_save(&sd->s.prep)) < 0) {
			/* a resume asks --resend-unknown for it, never repeats it */
			kx_out_printf(stderr, "error: %s went (%s) but could not be recorded: it is %s in the state\n",
				      subject, m->status, "possibly sent");
			return error;
		}
		/*
		 * Once recorded: a pipe or a log file sees each mail go, as
		 * test's lines, and a reader gone (SIGPIPE) stops the run
		 * between two mails, never with one accepted but unrecorded
		 */
		if (!strcmp(m->status, "accepted")) {
			kx_out_printf(progress(sd), "sent: %s\n", subject);
			fflush(progress(sd));
		}
		if (!strcmp(m->status, "unknown"))
			return 1;
	}
	return 0;
}

/* The series' name in its sent tags, as b4 names them. */
static const char *tag_name_of(const char *branch)
{
	return kx_starts_with(branch, "b4/") ? branch + 3 : branch;
}

/*
 * What follows a whole version sent: its tag, its sent entry (the cover's
 * Message-ID and link for the next cover letter), the next revision and
 * its notes begun.  The attempt goes with the same write.
 */
static int finish_version(struct send *sd)
{
	struct kx_state *st = &sd->s.prep.state;
	struct kx_attempt *a = st->attempt;
	const struct mail *head = &sd->mails[sd->nr > 1 && sd->mails[0].text ? 0 : 1];
	char *tag = kx_xasprintf("sent/%s-v%u", tag_name_of(sd->s.prep.branch),
				 a->revision);
	char *line = cover_line(sd), *msg, *body;
	struct kx_sent *e;
	bool existed;
	size_t i;
	int error;

	msg = kx_sent_tag_message(line, sd->cover_body);
	error = kx_send_tag(&existed, &sd->s, tag, a->tip, msg);
	free(msg);
	free(line);
	if (error < 0)
		goto done;
	if (existed)
		kx_out_printf(stderr, "note: the tag %s exists already: left as it is\n", tag);
	e = kx_state_add_sent(st, a->revision);
	e->date = kx_xstrdup(a->date);
	e->cover_msgid = kx_xstrdup(a->mails[0].msgid);
	e->link = kx_send_lore_link(&sd->s, a->mails[0].msgid);
	for (i = 0; i < a->nr; i++)
		kx_strlist_add(&e->msgids, a->mails[i].msgid);
	for (i = 0; i < head->rcpts.nr; i++)
		kx_strlist_add(head->rcpts.items[i].to ? &e->to : &e->cc,
			       head->rcpts.items[i].mb.addr);
	e->send_nonce = kx_xstrdup(a->nonce);
	e->base = kx_xstrdup(a->base);
	e->tip = kx_xstrdup(a->tip);
	e->tag = kx_xstrdup(tag);
	if (st->revision == a->revision && st->revision < KX_REVISION_MAX) {
		st->revision++;
		body = kx_cover_next_version(st->cover_body, st->revision);
		free(st->cover_body);
		st->cover_body = body;
	}
	kx_out_printf(progress(sd), "v%u of %s is sent: %zu mail%s, tagged %s\n",
		      a->revision, sd->s.prep.branch, a->nr, a->nr == 1 ? "" : "s",
		      tag);
	kx_out_printf(progress(sd), "link: %s\n", e->link);
	st->attempt = NULL;
	kx_attempt_free(a);
	error = kx_prep_save(&sd->s.prep);
	if (!error && st->revision > e->revision)
		kx_out_printf(progress(sd), "now preparing v%u: kvmx86 prep --edit-cover says what changed\n",
			      st->revision);
done:
	free(tag);
	return error;
}

/*
 * Takes the series lock for the attempt and reads the state again; the
 * mails were made of what was read before, so that must be what is
 * there now.
 */
static int lock_state(struct send *sd)
{
	struct kx_state *st = &sd->s.prep.state;
	char *subject = st->cover_subject ? kx_xstrdup(st->cover_subject) : NULL;
	char *body = st->cover_body ? kx_xstrdup(st->cover_body) : NULL;
	char *base = st->base_commit ? kx_xstrdup(st->base_commit) : NULL;
	unsigned revision = st->revision;
	int error;

	if ((error = kx_prep_lock(&sd->s.prep)) < 0)
		goto done;
	if (revision != st->revision ||
	    !str_eq_null(subject, st->cover_subject) ||
	    !str_eq_null(body, st->cover_body)) {
		error = kx_error_set(KX_ERROR, "the series' state changed while this kvmx86 made the mails");
		kx_error_hint("nothing was sent; run this again");
		goto done;
	}
	/* the base the resolver followed, which this save records */
	free(st->base_commit);
	st->base_commit = base;
	base = NULL;
done:
	free(subject);
	free(body);
	free(base);
	return error;
}

/* Prints the commands that go on from an attempt left unfinished. */
static void print_resume(const struct send *sd, const struct kx_attempt *a)
{
	size_t accepted = kx_attempt_count(a, "accepted");
	size_t unknown = kx_attempt_count(a, "unknown");
	size_t pending = kx_attempt_count(a, "pending");
	char *cmd;

	kx_out_printf(stderr, "error: v%u is not wholly sent: %zu of %zu mail%s accepted, %zu not sent",
		      a->revision, accepted, a->nr, a->nr == 1 ? "" : "s", pending);
	if (unknown)
		kx_out_printf(stderr, ", %zu possibly sent", unknown);
	kx_out_printf(stderr, "\n");
	if (pending) {
		cmd = kx_attempt_resume_command(sd->o->argv, sd->o->argc,
						"--new-attempt", NULL);
		kx_out_printf(stderr, "hint: to send the rest (the same mails, byte for byte):\n  %s\n",
			      cmd);
		free(cmd);
	}
	if (unknown) {
		cmd = kx_attempt_resume_command(sd->o->argv, sd->o->argc,
						"--new-attempt", "--resend-unknown");
		kx_out_printf(stderr, "hint: a possibly-sent mail may be in the archive already; if it is not,\n"
			      "hint: send it again with its Message-ID (archives fold duplicates):\n  %s\n",
			      cmd);
		free(cmd);
		cmd = kx_attempt_resume_command(sd->o->argv, sd->o->argc,
						"--new-attempt", "--mark-arrived");
		kx_out_printf(stderr, "hint: if it is there (its Message-ID on lore), count it as sent:\n  %s\n",
			      cmd);
		free(cmd);
	}
}

/*
 * A refused recipient refuses the resume as well, unless the server
 * changes its mind: the way around is a new attempt without it, whose
 * mails are new ones, also those that went.
 */
static void print_refused(const struct send *sd, const struct kx_attempt *a)
{
	const char **argv = kx_xcalloc(sd->o->argc + 2, sizeof(*argv));
	size_t accepted = kx_attempt_count(a, "accepted");
	char *cmd;

	if (sd->o->argc)
		memcpy(argv, sd->o->argv, sd->o->argc * sizeof(*argv));
	argv[sd->o->argc] = "--exclude";
	argv[sd->o->argc + 1] = sd->refused;
	cmd = kx_attempt_resume_command(argv, sd->o->argc + 2, "--resend-unknown",
					"--new-attempt");
	kx_out_printf(stderr, "hint: if %s is wrong, leave it out and start a new attempt%s:\n  %s\n",
		      sd->refused,
		      accepted ? " (the mails that went go again, as new mails)" : "",
		      cmd);
	free(cmd);
	free(argv);
}

/*
 * An attempt of another kind (a send beside a --resend) or a resend of
 * another version is no change of the series: this run asks for other
 * mails.  The way on is the command that made the attempt; a new attempt
 * would drop it with mails of it on the list and the rest never sent.
 */
static void print_other(const struct send *sd, const struct kx_attempt *a)
{
	const char *argv[3];
	char ver[16];
	size_t n = 0, left = a->nr - kx_attempt_count(a, "accepted");
	char *cmd;

	if (sd->o->resend)
		kx_out_printf(stderr, "error: and this run would resend v%u: one attempt at a time\n",
			      sd->o->resend);
	else
		kx_out_printf(stderr, "error: and this run would send v%u: one attempt at a time\n",
			      sd->revision);
	if (sd->o->rev)
		argv[n++] = sd->o->rev;
	if (!strcmp(a->kind, "resend")) {
		snprintf(ver, sizeof(ver), "v%u", a->revision);
		argv[n++] = "--resend";
		argv[n++] = ver;
	}
	cmd = kx_attempt_resume_command(argv, n, NULL, NULL);
	kx_out_printf(stderr, "hint: finish it first (the same mails, byte for byte), then run this again:\n  %s\n",
		      cmd);
	free(cmd);
	cmd = kx_attempt_resume_command(sd->o->argv, sd->o->argc,
					"--resend-unknown", "--new-attempt");
	kx_out_printf(stderr, "hint: or drop it, its %zu mail%s left never sent:\n  %s\n",
		      left, left == 1 ? "" : "s", cmd);
	free(cmd);
}

/* Says why an attempt recorded cannot go on with this run's mails. */
static void print_changed(const struct send *sd, const struct kx_attempt *a)
{
	const char *kind = sd->o->resend ? "resend" : "send";
	char *cmd;

	kx_out_printf(stderr, "error: an attempt to %s v%u began %s and is not finished (%zu of %zu mails accepted),\n",
		      a->kind, a->revision, a->date ? a->date : "earlier",
		      kx_attempt_count(a, "accepted"), a->nr);
	if (strcmp(a->kind, kind) ||
	    (sd->o->resend && a->revision != sd->o->resend)) {
		print_other(sd, a);
		return;
	}
	cmd = kx_attempt_resume_command(sd->o->argv, sd->o->argc,
					"--resend-unknown", "--new-attempt");
	/* the version is the one change that names itself */
	if (a->revision != sd->revision)
		kx_out_printf(stderr, "error: and the series is v%u now (kvmx86 prep --force-revision?)\n",
			      sd->revision);
	else
		kx_out_printf(stderr, "error: and the series changed since: its commits, cover letter, prefixes or recipients\n");
	if (a->revision != sd->revision)
		kx_out_printf(stderr, "hint: to finish it, set the version back (kvmx86 prep --force-revision %u) and run this again;\n",
			      a->revision);
	else
		kx_out_printf(stderr, "hint: to finish it, restore the series it was made of (its tip was %.12s) and run this again;\n",
			      a->tip ? a->tip : "?");
	kx_out_printf(stderr, "hint: to send the series as it is now, as new mails with new Message-IDs:\n  %s\n",
		      cmd);
	free(cmd);
}

/* print_changed()'s refusal, for --json. */
static void refuse_changed(struct preflight *pf, const struct send *sd,
			   const struct kx_attempt *a)
{
	char *cmd = kx_attempt_resume_command(sd->o->argv, sd->o->argc,
					      "--resend-unknown", "--new-attempt");
	char *fix = a->revision != sd->revision ?
		kx_xasprintf("set the version back (kvmx86 prep --force-revision %u) and run this again, or send the series as it is now: %s",
			     a->revision, cmd) :
		kx_xasprintf("restore the series it was made of (its tip was %.12s) and run this again, or send the series as it is now: %s",
			     a->tip ? a->tip : "?", cmd);

	refuse(pf, fix, "an attempt to %s v%u began %s and is not finished (%zu of %zu mails accepted), and the series %s since",
	       a->kind, a->revision, a->date ? a->date : "earlier",
	       kx_attempt_count(a, "accepted"), a->nr,
	       a->revision != sd->revision ? "is another version" : "changed");
	free(fix);
	free(cmd);
}

/*
 * What --json says of a delivery: each mail's Message-ID and status as the
 * attempt holds them (a resume sends the recorded mails, not this run's).
 */
static void note_outcomes(struct send *sd, const struct kx_attempt *a)
{
	size_t k, i = 0;

	for (k = 0; k < sd->nr && i < a->nr; k++) {
		struct mail *m = &sd->mails[k];

		if (!m->text)
			continue;
		free(m->msgid);
		m->msgid = kx_xstrdup(a->mails[i].msgid);
		free(m->status);
		m->status = kx_xstrdup(a->mails[i].status);
		i++;
	}
	sd->delivered = true;
}

/* Adds each address of list to out once. */
static void add_addrs(struct kx_strlist *out, const struct kx_strlist *list)
{
	size_t i, k;

	for (i = 0; i < list->nr; i++) {
		for (k = 0; k < out->nr; k++)
			if (kx_mail_addr_eq(out->items[k], list->items[i]))
				break;
		if (k == out->nr)
			kx_strlist_add(out, list->items[i]);
	}
}

/*
 * Asks once before mails go, as git send-email's sendemail.confirm asks
 * before each: what goes (subjects, the addresses) on stderr, the answer
 * from a terminal on standard input.  Unset, as git's default: Enter, or
 * no terminal at all, sends.  Returns KX_EXIT_OK to send, else the exit
 * status, nothing sent.
 */
static int confirm(struct send *sd, enum kx_confirm mode,
		   const struct kx_strlist *subjects, const struct kx_strlist *addrs)
{
	struct sigaction sa, old[3];
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	char line[64];
	size_t i;
	int tries, ret = KX_EXIT_FINDINGS;

	if (mode == KX_CONFIRM_NEVER || !subjects->nr)
		return KX_EXIT_OK;
	if (!isatty(STDIN_FILENO)) {
		if (mode == KX_CONFIRM_UNSET)
			return KX_EXIT_OK;
		kx_out_printf(stderr, "error: sendemail.confirm (or --confirm) asks before the mails go, and standard input is no terminal to answer on: nothing was sent\n");
		kx_out_printf(stderr, "hint: --confirm=never sends without asking\n");
		/* --json's refusals say it too */
		refuse(&sd->pf, "--confirm=never sends without asking",
		       "sendemail.confirm asks, and standard input is no terminal");
		return KX_EXIT_FINDINGS;
	}
	kx_out_printf(stderr, "about to send %zu mail%s of v%u of %s:\n", subjects->nr,
		      subjects->nr == 1 ? "" : "s", sd->revision, sd->s.prep.branch);
	for (i = 0; i < subjects->nr; i++)
		kx_out_printf(stderr, "  %s\n", subjects->items[i]);
	kx_out_printf(stderr, "to %zu address%s:", addrs->nr, addrs->nr == 1 ? "" : "es");
	for (i = 0; i < addrs->nr; i++)
		kx_out_printf(stderr, "%s %s", i ? "," : "", addrs->items[i]);
	kx_out_printf(stderr, "\n(kvmx86 send --dry-run says why each; sendemail.confirm=never stops this question)\n");
	/* a Ctrl-C at the question ends the read, and the run, cleanly */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, &old[i]);
	for (tries = 0; tries < 10 && !stop_signal; tries++) {
		char *p, *word;
		bool enter;

		kx_out_printf(stderr, "Send %s? [%s] ", subjects->nr == 1 ? "it" : "them",
			      mode == KX_CONFIRM_UNSET ? "Y/n" : "y/n");
		fflush(stderr);
		if (!fgets(line, sizeof(line), stdin)) {
			if (stop_signal)
				break;
			kx_out_printf(stderr, "\n");
			/* git: end of input takes the default answer */
			ret = mode == KX_CONFIRM_UNSET ? KX_EXIT_OK : KX_EXIT_FINDINGS;
			goto done;
		}
		/* a line longer than line: no answer, and its end no Enter */
		if (!strchr(line, '\n') && !feof(stdin)) {
			int c;

			while ((c = getchar()) != EOF && c != '\n')
				;
			continue;
		}
		/* Enter alone: the default; " n" is a no, not an Enter */
		enter = !strcmp(line, "\n") || !strcmp(line, "\r\n");
		for (p = line; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		word = line + strspn(line, " \t");
		word[strcspn(word, " \t\r\n")] = '\0';
		if ((enter && mode == KX_CONFIRM_UNSET) || !strcmp(word, "y") ||
		    !strcmp(word, "yes") || !strcmp(word, "a") || !strcmp(word, "all")) {
			ret = KX_EXIT_OK;
			goto done;
		}
		if (!strcmp(word, "n") || !strcmp(word, "no") || !strcmp(word, "q") ||
		    !strcmp(word, "quit"))
			goto done;
	}
	if (stop_signal) {
		kx_out_printf(stderr, "\nerror: stopped by signal %d: nothing was sent\n",
			      (int)stop_signal);
		ret = KX_EXIT_INTERRUPTED;
	}
done:
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &old[i], NULL);
	if (ret == KX_EXIT_FINDINGS) {
		kx_out_printf(stderr, "nothing was sent\n");
		refuse(&sd->pf, "answer y to send", "not confirmed at the question of sendemail.confirm");
	}
	return ret;
}

/*
 * git send-email's sendemail-validate hook, on each mail as it would go:
 * a mail it rejects is a refusal of the pre-flight (--force sends anyway,
 * --no-validate or sendemail.validate=false skips the hook).
 */
static int validate(struct send *sd)
{
	char *hook = NULL, *dir = NULL;
	bool on;
	size_t k;
	int error;

	if ((error = kx_send_validate_wanted(&on, sd->s.prep.repo, sd->o->validate,
					     sd->o->identity)) < 0 ||
	    !on || (error = kx_hook_find(&hook, sd->s.prep.repo, "sendemail-validate")) < 0 ||
	    !hook)
		return error;
	if ((error = kx_temp_dir(&dir, "validate")) < 0)
		goto done;
	for (k = 0; k < sd->nr; k++) {
		const struct mail *m = &sd->mails[k];
		char *file;
		int status;

		if (!m->text)
			continue;
		file = kx_xasprintf("%s/%04zu.patch", dir, k);
		if ((error = kx_write_atomic(file, m->text, false)) < 0 ||
		    (error = kx_hook_run(&status, sd->s.prep.repo, hook, file)) < 0) {
			unlink(file);
			free(file);
			break;
		}
		unlink(file);
		free(file);
		if (status) {
			/* as git send-email: --force does not override the hook */
			sd->hook_rejected = true;
			refuse(&sd->pf, "fix what the hook says, or send with --no-validate (--force does not override it)",
			       "the sendemail-validate hook rejected %s (exit %d): %s",
			       k ? "a patch" : "the cover letter", status, m->subject);
			break;
		}
	}
	rmdir(dir);
done:
	free(dir);
	free(hook);
	return error;
}

/* confirm() for a new attempt: the mails made. */
static int confirm_new(struct send *sd, enum kx_confirm mode)
{
	struct kx_strlist subjects = KX_STRLIST_INIT, addrs = KX_STRLIST_INIT;
	size_t k;
	int ret;

	for (k = 0; k < sd->nr; k++) {
		if (!sd->mails[k].text)
			continue;
		kx_strlist_add(&subjects, sd->mails[k].subject);
		envelope(&addrs, &sd->mails[k]);
	}
	ret = confirm(sd, mode, &subjects, &addrs);
	kx_strlist_release(&subjects);
	kx_strlist_release(&addrs);
	return ret;
}

/* confirm() for a resumed attempt: its mails not accepted yet. */
static int confirm_resume(struct send *sd, enum kx_confirm mode,
			  const struct kx_attempt *a)
{
	struct kx_strlist subjects = KX_STRLIST_INIT, addrs = KX_STRLIST_INIT;
	size_t i;
	int ret;

	for (i = 0; i < a->nr; i++) {
		if (!strcmp(a->mails[i].status, "accepted"))
			continue;
		kx_strlist_addf(&subjects, "<%s>", a->mails[i].msgid);
		add_addrs(&addrs, &a->mails[i].rcpts);
	}
	ret = confirm(sd, mode, &subjects, &addrs);
	kx_strlist_release(&subjects);
	kx_strlist_release(&addrs);
	return ret;
}

/* --preview-to's addresses, for a message (caller frees). */
static char *preview_list(const struct send_opts *o)
{
	struct kx_buf b = KX_BUF_INIT;
	size_t i;

	for (i = 0; i < o->preview.nr; i++)
		kx_buf_addf(&b, "%s%s", i ? ", " : "", o->preview.items[i]);
	return kx_buf_detach(&b);
}

static int send_mails(struct send *sd)
{
	struct send_opts *o = sd->o;
	struct kx_state *st = &sd->s.prep.state;
	/* --reflect and --preview-to: sent for a look, recorded nowhere */
	bool reflect = o->mode == MODE_REFLECT || o->mode == MODE_PREVIEW;
	bool preview = o->mode == MODE_PREVIEW;
	char *plist = preview ? preview_list(o) : NULL;
	const char *kind = o->resend ? "resend" : "send";
	struct kx_smtp_conf conf;
	struct kx_smtp *smtp = NULL;
	struct kx_sign_key *key = NULL;
	struct kx_attempt *reflected = NULL, *a;
	struct kx_attempt_ask ask;
	enum kx_attempt_decision d = KX_ATTEMPT_NEW;
	const char *from;
	char fp[41];
	int ret = KX_EXIT_OK, error;

	memset(&conf, 0, sizeof(conf));
	if (kx_send_smtp_conf(&conf, &sd->s, o->identity, o->smtp_insecure) < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	if (kx_smtp_conf_check(&conf) < 0) {
		/* a refusal: --json lists it */
		refuse(&sd->pf, *kx_error_last_hint() ? kx_error_last_hint() :
		       "see sendemail.smtpEncryption in kvmx86-send(1)",
		       "%s", kx_error_last());
		print_error();
		kx_out_printf(stderr, "nothing was sent\n");
		ret = KX_EXIT_FINDINGS;
		goto done;
	}
	from = kx_smtp_conf_envelope(&conf, sd->sf.sender.addr);
	if (!o->no_sign) {
		error = kx_send_sign_key(&key, &sd->s);
		if (error == KX_ENOTFOUND) {
			kx_error_clear();
		} else if (error < 0) {
			ret = kx_out_fatal();
			goto done;
		}
	}
	catch_stop();
	fingerprint(fp, sd, kind);
	if (reflect && sd->hook_rejected) {
		print_preflight(sd, true);
		kx_out_printf(stderr, "nothing was sent: the sendemail-validate hook rejected a mail\n");
		ret = KX_EXIT_FINDINGS;
		goto done;
	}
	if (reflect) {
		/* to the sender only, new Message-IDs: nothing to record */
		print_preflight(sd, false);
		if (make_attempt(&reflected, sd, kind, fp, from, key, !preview) < 0) {
			ret = kx_out_fatal();
			goto done;
		}
		a = reflected;
		if (preview)
			kx_out_printf(progress(sd), "previewing %zu mail%s to %s\n", a->nr,
				      a->nr == 1 ? "" : "s", plist);
		else
			kx_out_printf(progress(sd), "reflecting %zu mail%s to %s only\n", a->nr,
				      a->nr == 1 ? "" : "s", from);
		goto send;
	}
	if (lock_state(sd) < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	/* the user found them in the archive: they went, and go no more */
	if (o->mark_arrived) {
		size_t i, marked = 0;

		for (i = 0; st->attempt && i < st->attempt->nr; i++) {
			struct kx_attempt_mail *m = &st->attempt->mails[i];

			if (strcmp(m->status, "unknown"))
				continue;
			free(m->status);
			m->status = kx_xstrdup("accepted");
			kx_out_printf(stderr, "note: <%s> counts as sent (--mark-arrived)\n",
				      m->msgid);
			marked++;
		}
		if (!marked) {
			refuse(&sd->pf, "it is for a mail a send left possibly sent, once found in the archive",
			       "--mark-arrived: no mail of %s is possibly sent",
			       sd->s.prep.branch);
			kx_out_printf(stderr, "error: --mark-arrived: no mail of %s is possibly sent\n",
				      sd->s.prep.branch);
			kx_out_printf(stderr, "hint: it is for a mail a send left possibly sent, once found in the archive\n");
			ret = KX_EXIT_FINDINGS;
			goto done;
		}
		if (kx_prep_save(&sd->s.prep) < 0) {
			ret = kx_out_fatal();
			goto done;
		}
	}
	memset(&ask, 0, sizeof(ask));
	ask.kind = kind;
	ask.revision = sd->revision;
	ask.fingerprint = fp;
	ask.resend_unknown = o->resend_unknown;
	ask.new_attempt = o->new_attempt;
	d = kx_attempt_decide(st->attempt, &ask);
	switch (d) {
	case KX_ATTEMPT_CHANGED:
		print_changed(sd, st->attempt);
		refuse_changed(&sd->pf, sd, st->attempt);
		ret = KX_EXIT_FINDINGS;
		goto done;
	case KX_ATTEMPT_UNKNOWN:
		print_resume(sd, st->attempt);
		note_outcomes(sd, st->attempt);
		ret = KX_EXIT_INTERRUPTED;
		goto done;
	case KX_ATTEMPT_FINISH:
		print_preflight(sd, false);
		kx_out_printf(stderr, "note: every mail of v%u was sent already: finishing\n",
			      st->attempt->revision);
		note_outcomes(sd, st->attempt);
		goto finish;
	case KX_ATTEMPT_RESUME:
		print_preflight(sd, false);
		kx_out_printf(stderr, "note: resuming the attempt that began %s: %zu of %zu mails were accepted\n",
			      st->attempt->date ? st->attempt->date : "earlier",
			      kx_attempt_count(st->attempt, "accepted"),
			      st->attempt->nr);
		if ((ret = confirm_resume(sd, o->confirm ? o->confirm : conf.confirm,
					  st->attempt)) != KX_EXIT_OK)
			goto done;
		break;
	case KX_ATTEMPT_NEW:
		if (!o->resend && kx_state_find_sent(st, sd->revision)) {
			/* not even --force sends a version twice */
			refuse_sent_already(&sd->pf, sd);
			print_preflight(sd, true);
			ret = KX_EXIT_FINDINGS;
			goto done;
		}
		if (sd->pf.nr && (!o->force || sd->hook_rejected)) {
			print_preflight(sd, true);
			kx_out_printf(stderr, "nothing was sent: fix the above%s\n",
				      sd->hook_rejected ? "" : ", or give --force");
			ret = KX_EXIT_FINDINGS;
			goto done;
		}
		print_preflight(sd, false);
		if ((ret = confirm_new(sd, o->confirm ? o->confirm : conf.confirm)) != KX_EXIT_OK)
			goto done;
		if (st->attempt)
			kx_out_printf(stderr, "note: the attempt that began %s is dropped (%zu of its %zu mails were accepted)\n",
				      st->attempt->date ? st->attempt->date : "earlier",
				      kx_attempt_count(st->attempt, "accepted"),
				      st->attempt->nr);
		if (make_attempt(&a, sd, kind, fp, from, key, false) < 0) {
			ret = kx_out_fatal();
			goto done;
		}
		kx_attempt_free(st->attempt);
		st->attempt = a;
		/* recorded before the first mail goes */
		if (stop_signal || kx_prep_save(&sd->s.prep) < 0) {
			kx_attempt_free(st->attempt);
			st->attempt = NULL;
			if (stop_signal) {
				kx_out_printf(stderr, "error: stopped by signal %d: nothing was sent\n",
					      (int)stop_signal);
				ret = KX_EXIT_INTERRUPTED;
			} else {
				ret = kx_out_fatal();
			}
			goto done;
		}
		break;
	}
	a = st->attempt;
send:
	if (kx_smtp_open(&smtp, &conf, kx_send_git_dir(&sd->s)) < 0) {
		print_error();
		if (!reflect) {
			print_resume(sd, a);
			note_outcomes(sd, a);
		}
		ret = KX_EXIT_INTERRUPTED;
		goto done;
	}
	error = deliver(sd, a, smtp, !reflect);
	kx_smtp_close(smtp);
	smtp = NULL;
	note_outcomes(sd, a);
	if (error < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	if (reflect) {
		if (error) {
			kx_out_printf(stderr, "error: the %s stopped with mails left: run it again to send the whole series anew\n",
				      preview ? "preview" : "reflection");
			ret = KX_EXIT_INTERRUPTED;
		} else {
			kx_out_printf(progress(sd), "%s %zu mail%s to %s; nothing is recorded as sent\n",
				      preview ? "previewed" : "reflected", a->nr, a->nr == 1 ? "" : "s",
				      preview ? plist : from);
		}
		goto done;
	}
	if (error || kx_attempt_count(a, "accepted") != a->nr) {
		print_resume(sd, a);
		if (sd->refused)
			print_refused(sd, a);
		ret = KX_EXIT_INTERRUPTED;
		goto done;
	}
finish:
	if (!strcmp(st->attempt->kind, "resend")) {
		kx_out_printf(progress(sd), "v%u of %s is sent again: %zu mail%s\n",
			      st->attempt->revision, sd->s.prep.branch,
			      st->attempt->nr, st->attempt->nr == 1 ? "" : "s");
		kx_attempt_free(st->attempt);
		st->attempt = NULL;
		error = kx_prep_save(&sd->s.prep);
	} else {
		error = finish_version(sd);
	}
	if (error < 0) {
		ret = kx_out_fatal();
		kx_out_printf(stderr, "hint: every mail went; run this again to finish (nothing is sent twice)\n");
	}
done:
	free(plist);
	kx_smtp_close(smtp);
	kx_attempt_free(reflected);
	kx_send_sign_key_free(key);
	kx_smtp_conf_release(&conf);
	return ret;
}

/*
 * Adds the prefixes version N went with, from its tag's first line
 * ("[PATCH RFC v2 0/3] ..."): the words in brackets less PATCH, RESEND,
 * the version and the count, as b4 --resend takes them.  Not the
 * prefixes set since for the next version (an RFC dropped or added).
 */
static void tag_prefixes(struct kx_strlist *out, const char *msg)
{
	const char *end = strchr(msg, ']'), *nl = strchr(msg, '\n'), *p;

	if (*msg != '[' || !end || (nl && nl < end))
		return;
	for (p = msg + 1; p < end;) {
		size_t len = strcspn(p, " ]");
		char *w = kx_xstrndup(p, len);
		bool skip = !len || !strcasecmp(w, "PATCH") || !strcasecmp(w, "RESEND") ||
			    ((*w == 'v' || *w == 'V') && w[1] &&
			     strspn(w + 1, "0123456789") == len - 1) ||
			    (strchr(w, '/') && strspn(w, "0123456789/") == len);

		if (!skip)
			kx_strlist_add(out, w);
		free(w);
		p += len;
		while (p < end && *p == ' ')
			p++;
	}
}

/*
 * --resend vN: the series becomes the commits of its sent/<name>-vN tag
 * (from the base recorded, or the tag's base-commit: line) and the cover
 * letter the tag's message, as b4 --resend takes them; "RESEND" leads the
 * prefixes the version had.
 */
static int setup_resend(struct send *sd)
{
	struct kx_state *st = &sd->s.prep.state;
	const struct kx_sent *e = kx_state_find_sent(st, sd->o->resend);
	char *tag = e && e->tag ? kx_xstrdup(e->tag) :
		kx_xasprintf("sent/%s-v%u", tag_name_of(sd->s.prep.branch),
			     sd->o->resend);
	char *msg = NULL, tip[41], base[41] = "";
	const char *b, *nl;
	int error;

	if ((error = kx_send_read_tag(&msg, tip, &sd->s, tag)) < 0) {
		if (error == KX_ENOTFOUND)
			kx_error_hint("kvmx86 prep --show-info lists the versions sent (series-vN)");
		goto done;
	}
	if (e && e->base)
		snprintf(base, sizeof(base), "%s", e->base);
	else if ((b = strstr(msg, "\nbase-commit: "))) {
		b += strlen("\nbase-commit: ");
		if (strspn(b, "0123456789abcdef") == 40)
			snprintf(base, sizeof(base), "%.40s", b);
	}
	if (!base[0]) {
		error = kx_error_set(KX_EINVALID, "the base of v%u is not known: %s has no base-commit: line",
				     sd->o->resend, tag);
		goto done;
	}
	if ((error = kx_series_use_range(&sd->s, base, tip)) < 0)
		goto done;
	/* the tag's first line is the cover's subject line: drop "[...] " */
	nl = strchr(msg, '\n');
	b = msg;
	if (*b == '[' && strchr(b, ']') && (!nl || strchr(b, ']') < nl)) {
		b = strchr(b, ']') + 1;
		while (*b == ' ')
			b++;
	}
	sd->cover_subject = kx_xstrndup(b, nl ? (size_t)(nl - b) : strlen(b));
	b = nl ? nl + 1 : "";
	while (*b == '\n')
		b++;
	sd->cover_body = kx_xstrdup(b);
	sd->revision = sd->o->resend;
	kx_strlist_add(&sd->prefixes, "RESEND");
	tag_prefixes(&sd->prefixes, msg);
	sd->resend_tag = tag;
	tag = NULL;
done:
	free(msg);
	free(tag);
	return error;
}

static void send_release(struct send *sd)
{
	size_t k;

	for (k = 0; k < sd->nr; k++) {
		free(sd->mails[k].file);
		free(sd->mails[k].subject);
		free(sd->mails[k].msgid);
		free(sd->mails[k].text);
		free(sd->mails[k].status);
		kx_rcpts_release(&sd->mails[k].rcpts);
	}
	free(sd->mails);
	free(sd->cover_body);
	free(sd->cover_subject);
	free(sd->resend_tag);
	free(sd->refused);
	kx_strlist_release(&sd->prefixes);
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
	o.validate = -1;
	sd.o = &o;
	if ((ret = parse_argv(&o, argc, argv)) != 0) {
		ret = ret == 1 ? KX_EXIT_OK : ret;
		goto out;
	}
	q.arg = o.rev;
	q.need_enrolled = true;
	o.argv = (const char *const *)argv + 1;
	o.argc = argc > 1 ? (size_t)argc - 1 : 0;
	if (kx_series_resolve(&sd.s, &q) < 0 ||
	    kx_send_dirty_start(&dirty, &sd.s, o.worktree_check) < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	if (o.resend) {
		if (setup_resend(&sd) < 0) {
			ret = kx_out_fatal();
			goto done;
		}
	} else {
		const struct kx_state *st = &sd.s.prep.state;
		size_t i;

		sd.revision = st->revision;
		/* b4 send --preview-to's subjects: [PATCH PREVIEW ...] */
		if (o.mode == MODE_PREVIEW)
			kx_strlist_add(&sd.prefixes, "PREVIEW");
		for (i = 0; i < st->prefixes.nr; i++)
			kx_strlist_add(&sd.prefixes, st->prefixes.items[i]);
		sd.cover_subject = st->cover_subject ? kx_xstrdup(st->cover_subject) : NULL;
	}
	if (kx_cover_gather(&sd.cf, &sd.s, &co) < 0 ||
	    kx_send_gather(&sd.sf, &sd.s, o.identity, o.suppress_cc, !o.resend) < 0 ||
	    (!o.resend && cover_body(&sd, sd.sf.nr == 1) < 0)) {
		ret = kx_out_fatal();
		goto done;
	}
	/* a version sent once was checked then */
	if (!o.resend)
		preflight(&sd.pf, &sd.s, &sd.cf, sd.sf.nr == 1, &dirty);
	if (make_mails(&sd) < 0 ||
	    /* git format-patch runs no hook: writing out does not either */
	    (o.mode != MODE_DIR && o.mode != MODE_MBOX && validate(&sd) < 0)) {
		ret = kx_out_fatal();
		goto done;
	}
	ret = KX_EXIT_OK;
	if (o.mode == MODE_DRY_RUN) {
		const struct kx_attempt *a = sd.s.prep.state.attempt;

		/* what sending would say before anything */
		if (!o.resend && !(a && a->revision == sd.revision) &&
		    kx_state_find_sent(&sd.s.prep.state, sd.revision))
			refuse_sent_already(&sd.pf, &sd);
		remember_exclusions(&sd);
		print_preflight(&sd, false);
		if (a)
			kx_out_printf(stderr, "note: an attempt to %s v%u began %s: %zu of %zu mails accepted, %zu possibly sent; kvmx86 send resumes it if the series is as it was\n",
				      a->kind, a->revision, a->date ? a->date : "earlier",
				      kx_attempt_count(a, "accepted"), a->nr,
				      kx_attempt_count(a, "unknown"));
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
	if (o.mode == MODE_NONE || o.mode == MODE_REFLECT || o.mode == MODE_PREVIEW) {
		ret = send_mails(&sd);
		if (ret == KX_EXIT_OK && o.mode == MODE_NONE && !o.resend &&
		    remember_exclusions(&sd) < 0)
			ret = kx_out_fatal();
		/*
		 * a refusal (1) or a stopped send (2) too: the reasons, which
		 * mails went and which did not; a failure after mails went too
		 */
		if (o.json && (ret == KX_EXIT_OK || ret == KX_EXIT_FINDINGS ||
			       ret == KX_EXIT_INTERRUPTED || sd.delivered))
			print_json(&sd);
		goto done;
	}
	if (sd.pf.nr && !o.force) {
		print_preflight(&sd, true);
		kx_out_printf(stderr, "nothing written: fix the above, or give --force\n");
		if (o.json)
			print_json(&sd);
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
	kx_strlist_release(&o.preview);
	return ret;
}
