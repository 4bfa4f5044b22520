// SPDX-License-Identifier: GPL-2.0-only
/* kvmx86 prep: create, adopt and describe a series; its state, not its commits. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "kvmx86.h"
#include "kvmx86/check.h"
#include "kvmx86/collect.h"
#include "kvmx86/cover.h"
#include "kvmx86/coverio.h"
#include "kvmx86/error.h"
#include "kvmx86/fromthread.h"
#include "kvmx86/link.h"
#include "kvmx86/prep.h"
#include "kvmx86/resolve.h"
#include "kvmx86/rules.h"
#include "kvmx86/run.h"
#include "kvmx86/testrun.h"
#include "kvmx86/topichist.h"

const char cmd_prep_usage[] =
	"usage: kvmx86 prep -n <name> [--topic <topic>] [--base <rev>]\n"
	"       kvmx86 prep [-n <name>] -F <msgid | url> [--topic <topic>] [--base <rev>]\n"
	"       kvmx86 prep --enroll [<branch>] [--base <rev>] [--drop-b4-cover]\n"
	"       kvmx86 prep --edit-cover [<branch>]\n"
	"       kvmx86 prep --show-info [<key>] [--json] [<branch>]\n"
	"       kvmx86 prep --set-prefixes <prefixes> [<branch>]\n"
	"       kvmx86 prep --force-revision <n> [<branch>]\n"
	"       kvmx86 prep --compare-to v<n> [<branch>]\n"
	"       kvmx86 prep --cover [--offline] [--range-diff] [<branch>]\n"
	"       kvmx86 prep --link <msgid | url> [--force] [--offline] [<rev>]\n"
	"       kvmx86 prep --trailers [--dry-run] [--json] [<branch>]\n"
	"       kvmx86 prep --manual-reroll <msgid | url> [--force] [<branch>]\n"
	"       kvmx86 prep --cleanup [--force] [<branch>]\n"
	"       kvmx86 prep --check [<rev> | <base>..<tip>] [--json] [--checkpatch]\n"
	"       kvmx86 prep --suggest-topic [<rev>] [--json]\n"
	"       kvmx86 prep --reorder [--dry-run] [<rev>]\n"
	"\n"
	"Manage a series: its branch x86/<topic>/<name>, cover letter, change-id\n"
	"and versions.  The state lives beside the repository, never in a commit:\n"
	"editing the cover letter changes no patch.\n"
	"\n"
	"    -n, --new <name>          create and enroll x86/<topic>/<name> on kvm-x86/next, checked out\n"
	"    --topic <topic>           the kvm-x86 topic branch it targets (default: misc;\n"
	"                              with -F: the one the shortlog names, if kvm-x86 has it)\n"
	"    --base <rev>              base the series on <rev> instead\n"
	"    -F, --from-thread <msgid | url>\n"
	"                              create it from the newest version a lore thread holds\n"
	"                              (its patches, cover letter, change-id; the name from it)\n"
	"    --enroll                  adopt an existing branch (also one prepared by b4)\n"
	"    --drop-b4-cover           with --enroll: remove b4's cover commit (a backup is kept)\n"
	"    --edit-cover              edit the cover letter in the editor git uses\n"
	"    --show-info [<key>]       print the series' facts as key: value lines\n"
	"    --json                    with --show-info, --check, --suggest-topic, --trailers:\n"
	"                              one JSON object\n"
	"    --set-prefixes <p>        subject prefixes, e.g. RFC or \"RFC,RESEND\"; \"\" clears\n"
	"    --force-revision <n>      prepare version n\n"
	"    --compare-to v<n>         git range-diff against a sent version\n"
	"    --cover                   print the cover letter of the next version\n"
	"    --offline                 with --cover, --link: never ask lore for earlier versions\n"
	"    --range-diff              with --cover: add a range-diff against the last sent version\n"
	"    --link <msgid | url>      add a lore Link: to <rev> (default: the tip), rewriting the branch\n"
	"    --trailers                add the trailers that lore's replies to the last version\n"
	"                              sent give (Reviewed-by, Acked-by, ...), rewriting the branch\n"
	"    --manual-reroll <msgid | url>\n"
	"                              record the version lore has as sent (by git send-email\n"
	"                              or b4) and prepare the next\n"
	"    --cleanup                 archive the state and delete the sent tags\n"
	"    --force                   with --cleanup: even with unsent work; with --link: even\n"
	"                              to an earlier version of the series; with --manual-reroll:\n"
	"                              even if the mails are not the branch's commits\n"
	"    --check                   check every commit against the KVM x86 handbook\n"
	"    --checkpatch              with --check: also run the tree's scripts/checkpatch.pl\n"
	"    --suggest-topic           the shortlog prefix the files of one commit imply\n"
	"    --reorder                 put selftests and KVM changes in a bisect-safe order\n"
	"    --dry-run                 with --reorder: print the order and evidence, change nothing\n"
	"    --color[=<when>]          colour always, never or auto (default: color.kvmx86,\n"
	"                              else color.ui, else auto); never with NO_COLOR set\n"
	"    --no-color                the same as --color=never\n"
	"    -h, --help                show this help\n"
	"\n"
	"Exit status: 0 done; 1 refused (cleanup with unsent work, a reorder that\n"
	"conflicts or meets local changes, a --link to an earlier version) or,\n"
	"for --check, an error found; 128 failure; 129 bad usage.\n"
	"See kvmx86-prep(1).\n";

struct kx_resolved;
static void print_notes(const struct kx_resolved *s);

enum action {
	ACT_NONE,
	ACT_NEW,
	ACT_ENROLL,
	ACT_EDIT_COVER,
	ACT_SHOW_INFO,
	ACT_SET_PREFIXES,
	ACT_FORCE_REVISION,
	ACT_COMPARE_TO,
	ACT_CLEANUP,
	ACT_CHECK,
	ACT_SUGGEST_TOPIC,
	ACT_REORDER,
	ACT_COVER,
	ACT_LINK,
	ACT_TRAILERS,
	ACT_MANUAL_REROLL,
};

enum {
	OPT_TOPIC = 0x100,
	OPT_BASE,
	OPT_ENROLL,
	OPT_DROP_B4_COVER,
	OPT_EDIT_COVER,
	OPT_SHOW_INFO,
	OPT_JSON,
	OPT_SET_PREFIXES,
	OPT_FORCE_REVISION,
	OPT_COMPARE_TO,
	OPT_CLEANUP,
	OPT_FORCE,
	OPT_CHECK,
	OPT_SUGGEST_TOPIC,
	OPT_CHECKPATCH,
	OPT_REORDER,
	OPT_DRY_RUN,
	OPT_COVER,
	OPT_OFFLINE,
	OPT_RANGE_DIFF,
	OPT_LINK,
	OPT_TRAILERS,
	OPT_MANUAL_REROLL,
};

struct prep_opts {
	enum action action;
	const char *action_opt;		/* the action's option, for messages */
	const char *name, *topic, *base, *value, *key, *branch;
	const char *from_thread;	/* -F: the Message-ID or link */
	bool json, drop_b4_cover, force, checkpatch, dry_run, offline, range_diff;
	unsigned revision;
};

static int set_action(struct prep_opts *o, enum action a, const char *opt)
{
	if (o->action != ACT_NONE && o->action != a)
		return kx_out_usage_error(kx_cmd_find("prep"),
					  "%s cannot go with another action", opt);
	o->action = a;
	o->action_opt = opt;
	return 0;
}

static int parse_argv(struct prep_opts *o, int argc, char **argv)
{
	static const struct option options[] = {
		{ "new", required_argument, NULL, 'n' },
		{ "from-thread", required_argument, NULL, 'F' },
		{ "topic", required_argument, NULL, OPT_TOPIC },
		{ "base", required_argument, NULL, OPT_BASE },
		{ "enroll", no_argument, NULL, OPT_ENROLL },
		{ "drop-b4-cover", no_argument, NULL, OPT_DROP_B4_COVER },
		{ "edit-cover", no_argument, NULL, OPT_EDIT_COVER },
		{ "show-info", no_argument, NULL, OPT_SHOW_INFO },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "set-prefixes", required_argument, NULL, OPT_SET_PREFIXES },
		{ "force-revision", required_argument, NULL, OPT_FORCE_REVISION },
		{ "compare-to", required_argument, NULL, OPT_COMPARE_TO },
		{ "cleanup", no_argument, NULL, OPT_CLEANUP },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "suggest-topic", no_argument, NULL, OPT_SUGGEST_TOPIC },
		{ "checkpatch", no_argument, NULL, OPT_CHECKPATCH },
		{ "reorder", no_argument, NULL, OPT_REORDER },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "cover", no_argument, NULL, OPT_COVER },
		{ "offline", no_argument, NULL, OPT_OFFLINE },
		{ "range-diff", no_argument, NULL, OPT_RANGE_DIFF },
		{ "link", required_argument, NULL, OPT_LINK },
		{ "trailers", no_argument, NULL, OPT_TRAILERS },
		{ "manual-reroll", required_argument, NULL, OPT_MANUAL_REROLL },
		KX_OUT_COLOR_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct kx_cmd *cmd = kx_cmd_find("prep");
	int c, ret = 0;

	opterr = 0;
	while (!ret && (c = getopt_long(argc, argv, ":hn:F:", options, NULL)) != -1) {
		switch (c) {
		case 'h':
			kx_out_text(stdout, cmd_prep_usage);
			return 1;
		case 'n':
			o->name = optarg;
			ret = set_action(o, ACT_NEW, "-n");
			break;
		case 'F':
			if (!*optarg || *optarg == '-')
				return kx_out_usage_error(cmd, "-F needs the Message-ID or lore link of a mail of the series, not '%s'",
							  optarg);
			o->from_thread = optarg;
			break;
		case OPT_TOPIC:
			if (!*optarg)
				return kx_out_usage_error(cmd, "--topic needs a topic, a kvm-x86 topic branch (e.g. vmx, mmu, misc)");
			o->topic = optarg;
			break;
		case OPT_BASE:
			o->base = optarg;
			break;
		case OPT_ENROLL:
			ret = set_action(o, ACT_ENROLL, "--enroll");
			break;
		case OPT_DROP_B4_COVER:
			o->drop_b4_cover = true;
			break;
		case OPT_EDIT_COVER:
			ret = set_action(o, ACT_EDIT_COVER, "--edit-cover");
			break;
		case OPT_SHOW_INFO:
			ret = set_action(o, ACT_SHOW_INFO, "--show-info");
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_SET_PREFIXES: {
			struct kx_strlist l = KX_STRLIST_INIT;

			/* they go into a mail header: one line, no control characters */
			if (kx_prefixes_parse(&l, optarg) < 0)
				return kx_out_usage_error(cmd, "%s", kx_error_last());
			kx_strlist_release(&l);
			o->value = optarg;
			ret = set_action(o, ACT_SET_PREFIXES, "--set-prefixes");
			break;
		}
		case OPT_FORCE_REVISION:
			if (kx_parse_revision(&o->revision, optarg) < 0)
				return kx_out_usage_error(cmd, "%s", kx_error_last());
			ret = set_action(o, ACT_FORCE_REVISION, "--force-revision");
			break;
		case OPT_COMPARE_TO:
			if (kx_parse_revision(&o->revision, optarg) < 0)
				return kx_out_usage_error(cmd, "%s", kx_error_last());
			ret = set_action(o, ACT_COMPARE_TO, "--compare-to");
			break;
		case OPT_CLEANUP:
			ret = set_action(o, ACT_CLEANUP, "--cleanup");
			break;
		case OPT_FORCE:
			o->force = true;
			break;
		case OPT_CHECKPATCH:
			o->checkpatch = true;
			break;
		case OPT_CHECK:
			ret = set_action(o, ACT_CHECK, "--check");
			break;
		case OPT_SUGGEST_TOPIC:
			ret = set_action(o, ACT_SUGGEST_TOPIC, "--suggest-topic");
			break;
		case OPT_REORDER:
			ret = set_action(o, ACT_REORDER, "--reorder");
			break;
		case OPT_DRY_RUN:
			o->dry_run = true;
			break;
		case OPT_COVER:
			ret = set_action(o, ACT_COVER, "--cover");
			break;
		case OPT_OFFLINE:
			o->offline = true;
			break;
		case OPT_RANGE_DIFF:
			o->range_diff = true;
			break;
		case OPT_LINK:
			ret = set_action(o, ACT_LINK, "--link");
			o->value = optarg;
			break;
		case OPT_TRAILERS:
			ret = set_action(o, ACT_TRAILERS, "--trailers");
			break;
		case OPT_MANUAL_REROLL:
			/* "--manual-reroll --force ID": getopt took the option */
			if (*optarg == '-' || !*optarg)
				return kx_out_usage_error(cmd, "--manual-reroll needs the Message-ID or lore link of a mail of the version, not '%s'",
							  optarg);
			ret = set_action(o, ACT_MANUAL_REROLL, "--manual-reroll");
			o->value = optarg;
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
	/* -F alone, as b4 prep -F: the branch is named after the version */
	if (o->action == ACT_NONE && o->from_thread) {
		o->action = ACT_NEW;
		o->action_opt = "-F";
	}
	if (o->action == ACT_NONE)
		return kx_out_usage_error(cmd, "no action given");
	/* --show-info [KEY] [BRANCH] */
	if (o->action == ACT_SHOW_INFO && optind < argc && kx_info_is_key(argv[optind]))
		o->key = argv[optind++];
	/* two words: the first can only be a key, and it is none */
	else if (o->action == ACT_SHOW_INFO && argc - optind == 2) {
		char *meant = kx_info_suggest(argv[optind]);

		ret = meant ? kx_out_usage_error(cmd, "unknown key '%s'; did you mean %s?",
						 argv[optind], meant) :
			      kx_out_usage_error(cmd, "unknown key '%s'", argv[optind]);
		free(meant);
		return ret;
	}
	if (optind < argc)
		o->branch = argv[optind++];
	if (optind < argc)
		return kx_out_usage_error(cmd, "too many arguments");
	/* "prep --cover HEAD": the current branch */
	if (o->action == ACT_COVER && o->branch && !strcmp(o->branch, "HEAD"))
		o->branch = NULL;
	if (o->action == ACT_NEW && o->branch)
		return kx_out_usage_error(cmd, "-n takes no branch: it names the new one");
	{
		const char *stray = NULL;

		if (o->topic && o->action != ACT_NEW)
			stray = "--topic";
		else if (o->from_thread && o->action != ACT_NEW)
			stray = "-F";
		else if (o->base && o->action != ACT_NEW && o->action != ACT_ENROLL)
			stray = "--base";
		else if (o->drop_b4_cover && o->action != ACT_ENROLL)
			stray = "--drop-b4-cover";
		else if (o->json && o->action != ACT_SHOW_INFO &&
			 o->action != ACT_CHECK && o->action != ACT_SUGGEST_TOPIC &&
			 o->action != ACT_TRAILERS)
			stray = "--json";
		else if (o->force && o->action != ACT_CLEANUP && o->action != ACT_LINK &&
			 o->action != ACT_MANUAL_REROLL)
			stray = "--force";
		else if (o->checkpatch && o->action != ACT_CHECK)
			stray = "--checkpatch";
		else if (o->dry_run && o->action != ACT_REORDER && o->action != ACT_TRAILERS)
			stray = "--dry-run";
		else if (o->offline && o->action != ACT_COVER && o->action != ACT_LINK)
			stray = "--offline";
		else if (o->range_diff && o->action != ACT_COVER)
			stray = "--range-diff";
		if (stray)
			return kx_out_usage_error(cmd, "%s does not go with %s", stray,
						  o->action_opt);
	}
	return 0;
}

static int show_info(struct kx_prep *p, const struct prep_opts *o)
{
	struct kx_prep_range r = p->range;
	struct kx_info_range ir;

	ir.base = r.base;
	ir.start = r.start;
	ir.end = r.end;
	ir.from = r.from;
	if (kx_info_print(p->branch, &p->state, &ir, o->key, o->json) < 0)
		return kx_out_usage_error(kx_cmd_find("prep"),
					  "no '%s' in this series", o->key);
	return KX_EXIT_OK;
}

static void set_prefixes(struct kx_state *s, const char *value)
{
	/* parse_argv() checked the value */
	kx_prefixes_parse(&s->prefixes, value);
}

static int run_range_diff(struct kx_prep *p, unsigned rev)
{
	struct kx_strlist argv = KX_STRLIST_INIT;
	const char **args;
	int status, ret;
	size_t i, k;

	if (kx_prep_compare_argv(p, rev, &argv) < 0)
		return kx_out_fatal();
	/*
	 * kvmx86's colour rule (NO_COLOR, TERM, a terminal), not git's, and
	 * no pager: kvmx86 pages none of its output
	 */
	args = kx_xcalloc(argv.nr + 3, sizeof(*args));
	for (i = k = 0; i < argv.nr; i++) {
		args[k++] = argv.items[i];
		if (!i)
			args[k++] = "--no-pager";
		if (!strcmp(argv.items[i], "range-diff"))
			args[k++] = kx_out_color(stdout) ? "--color" : "--no-color";
	}
	fflush(stdout);
	/*
	 * git prints the commits' subjects and lines as they are: a terminal
	 * gets them with their control characters shown, git's colour kept;
	 * a file or a pipe the bytes
	 */
	if (isatty(fileno(stdout))) {
		char *out = NULL;

		if (kx_run(args, NULL, &out, &status) < 0) {
			ret = kx_out_fatal();
		} else {
			if (out)
				kx_out_colored_text(stdout, out);
			ret = status ? KX_EXIT_FAILURE : KX_EXIT_OK;
		}
		free(out);
	} else if (kx_run(args, NULL, NULL, &status) < 0) {
		ret = kx_out_fatal();
	} else {
		ret = status ? KX_EXIT_FAILURE : KX_EXIT_OK;
	}
	free(args);
	kx_strlist_release(&argv);
	return ret;
}

/* Prints the cover letter, or the text under a single patch's "---". */
static int print_cover(struct kx_resolved *s, const struct prep_opts *o)
{
	struct kx_prep *p = &s->prep;
	struct kx_cover_options opts = { o->offline, o->range_diff };
	struct kx_cover_facts f;
	char *subject = NULL, *body = NULL;
	bool single;
	size_t i;
	int ret = KX_EXIT_OK;

	if (kx_cover_gather(&f, s, &opts) < 0) {
		kx_cover_facts_release(&f);
		return kx_out_fatal();
	}
	single = f.range.count == 1;
	if (!single && (!p->state.cover_subject || !*p->state.cover_subject))
		kx_strlist_add(&f.warnings, "the cover letter has no subject: kvmx86 prep --edit-cover");
	if (kx_cover_body(&body, p, &f, single,
			  single ? NULL : "*** BLURB HERE ***", NULL) < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	for (i = 0; i < f.warnings.nr; i++)
		kx_out_printf(stderr, "warning: %s\n", f.warnings.items[i]);
	if (single) {
		/* no cover letter: the text that goes below the patch's "---" */
		kx_out_text(stdout, body);
		goto done;
	}
	subject = kx_cover_subject_line(&p->state.prefixes, p->state.revision, 0,
					f.range.count,
					p->state.cover_subject && *p->state.cover_subject ?
					p->state.cover_subject : "*** SUBJECT HERE ***");
	kx_out_printf(stdout, "From: %s\nSubject: %s\n\n", f.from, subject);
	kx_out_text(stdout, body);
done:
	free(body);
	free(subject);
	kx_cover_facts_release(&f);
	return ret;
}

static int run_link(const struct prep_opts *o)
{
	struct kx_series_query q = { 0 };
	struct kx_resolved s;
	struct kx_link l;
	const char *rev = o->branch;
	size_t i;
	int ret = KX_EXIT_OK, error;

	memset(&l, 0, sizeof(l));
	memset(&s, 0, sizeof(s));
	/* REV names a branch: that branch's tip; else a commit of this one */
	q.arg = rev;
	q.need_branch = true;
	q.alone_without_trees = true;
	if (rev && kx_series_resolve(&s, &q) == 0 && s.named == KX_NAMED_REV &&
	    s.prep.branch && !s.prep.branch_gone) {
		rev = NULL;
	} else {
		kx_resolved_release(&s);
		kx_error_clear();
		q.arg = NULL;
		if (kx_series_resolve(&s, &q) < 0) {
			ret = kx_out_fatal();
			goto done;
		}
	}
	print_notes(&s);
	error = kx_prep_link(&l, &s, o->value, rev, o->force, o->offline);
	for (i = 0; i < l.warnings.nr; i++)
		kx_out_printf(stderr, "warning: %s\n", l.warnings.items[i]);
	if (error == KX_LINK_REFUSED) {
		kx_out_printf(stderr, "error: %s is %s: earlier versions belong in the cover letter, not in a changelog\n",
			l.url, l.earlier);
		kx_out_printf(stderr, "hint: kvmx86 prep --cover links them; --force adds the Link: anyway\n");
		ret = KX_EXIT_FINDINGS;
		goto done;
	}
	if (error < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	if (l.earlier)
		kx_out_printf(stderr, "warning: %s is %s (--force: added anyway)\n", l.url,
			l.earlier);
	if (l.unchanged) {
		kx_out_printf(stdout, "%.12s (\"%s\") has Link: %s already; nothing changed\n",
		       l.commit, l.subject, l.url);
		goto done;
	}
	kx_out_printf(stdout, "added Link: %s to %.12s (\"%s\"), now %.12s\n", l.url, l.commit,
	       l.subject, l.new_commit);
	kx_out_printf(stdout, "%s: %.12s -> %.12s (%zu commit%s re-created); the old tip is kept as %s\n",
	       s.prep.branch, l.old_tip, l.new_tip, l.rewritten, l.rewritten == 1 ? "" : "s",
	       l.backup);
done:
	kx_link_release(&l);
	kx_resolved_release(&s);
	return ret;
}

/* prep --trailers --json: what was (or would be) added, and left out. */
static void print_trailers_json(const struct kx_trailers_result *r, bool dry_run)
{
	json_t *o = json_object(), *added = json_array(), *skipped = json_array();
	size_t i;

	for (i = 0; i < r->nr; i++)
		json_array_append_new(added, json_pack("{s:s, s:I, s:o, s:o}",
			"commit", r->items[i].commit,
			"patch", (json_int_t)r->items[i].index,
			"trailer", kx_out_json_str(r->items[i].line),
			"msgid", kx_out_json_str(r->items[i].msgid)));
	for (i = 0; i < r->skipped.nr; i++)
		json_array_append_new(skipped, kx_out_json_str(r->skipped.items[i]));
	json_object_set_new(o, "revision", json_integer(r->revision));
	json_object_set_new(o, "thread", kx_out_json_str(r->url));
	{
		json_t *earlier = json_array();
		unsigned rev;
		int at;

		/* "v<N> <url>" */
		for (i = 0; i < r->earlier.nr; i++)
			if (sscanf(r->earlier.items[i], "v%u %n", &rev, &at) == 1)
				json_array_append_new(earlier, json_pack("{s:I, s:o}",
					"revision", (json_int_t)rev,
					"thread", kx_out_json_str(r->earlier.items[i] + at)));
		json_object_set_new(o, "earlier", earlier);
		json_object_set_new(o, "earlier_changed",
				    json_integer((json_int_t)r->earlier_changed));
	}
	json_object_set_new(o, "found", json_integer((json_int_t)r->found));
	json_object_set_new(o, "matched_by", json_string(r->by_subject ? "subject" : "patch-id"));
	json_object_set_new(o, "added", added);
	json_object_set_new(o, "skipped", skipped);
	json_object_set_new(o, "dry_run", json_boolean(dry_run));
	json_object_set_new(o, "old_tip", r->old_tip[0] ? json_string(r->old_tip) : json_null());
	json_object_set_new(o, "new_tip", r->new_tip[0] ? json_string(r->new_tip) : json_null());
	json_object_set_new(o, "backup", kx_out_json_str(r->backup));
	kx_out_json(o, false);
}

static int run_trailers(const struct prep_opts *o)
{
	struct kx_series_query q = { 0 };
	struct kx_trailers_result r;
	struct kx_resolved s;
	size_t i, k;
	int ret = KX_EXIT_OK;

	memset(&r, 0, sizeof(r));
	memset(&s, 0, sizeof(s));
	q.arg = o->branch;
	q.need_branch = true;
	if (kx_series_resolve(&s, &q) < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	print_notes(&s);
	if (kx_prep_trailers(&r, &s, o->dry_run) < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	if (o->json) {
		print_trailers_json(&r, o->dry_run);
		goto done;
	}
	for (i = 0; i < r.earlier.nr; i++) {
		const char *url = strchr(r.earlier.items[i], ' ');

		kx_out_printf(stdout, "%.*s's thread: %s\n",
			      (int)(url - r.earlier.items[i]), r.earlier.items[i], url + 1);
	}
	kx_out_printf(stdout, "v%u's thread: %s\n", r.revision, r.url);
	if (r.by_subject)
		kx_out_printf(stdout, "note: v%u's commits are not known: patches matched by subject\n",
			      r.revision);
	/* commit by commit, oldest first, each with what it gets */
	for (k = 0; k < s.series.nr; k++) {
		bool header = false;

		for (i = 0; i < r.nr; i++) {
			if (strcmp(s.series.commits[k].id, r.items[i].commit))
				continue;
			if (!header)
				kx_out_printf(stdout, "%.12s %s\n", s.series.commits[k].id,
					      s.series.commits[k].subject);
			header = true;
			kx_out_printf(stdout, "    + %s (<%s>)\n", r.items[i].line,
				      r.items[i].msgid);
		}
	}
	for (i = 0; i < r.skipped.nr; i++)
		kx_out_printf(stderr, "warning: %s\n", r.skipped.items[i]);
	if (r.earlier_changed)
		kx_out_printf(stdout, "note: %zu trailer%s from earlier versions' replies %s for patches changed since: not added\n",
			      r.earlier_changed, r.earlier_changed == 1 ? "" : "s",
			      r.earlier_changed == 1 ? "is" : "are");
	if (!r.nr && !r.found)
		kx_out_printf(stdout, "no trailers in the replies to v%u%s\n", r.revision,
			      r.earlier.nr ? " or earlier versions" : "");
	else if (!r.nr)
		kx_out_printf(stdout, "no new trailers: the %zu in the replies are on their commits already or left out\n",
			      r.found);
	else if (o->dry_run)
		kx_out_printf(stdout, "%zu trailer%s to add (--dry-run: nothing changed)\n", r.nr,
			      r.nr == 1 ? "" : "s");
	else
		kx_out_printf(stdout, "%s: %.12s -> %.12s (%zu commit%s re-created, %zu trailer%s added); the old tip is kept as %s\n",
			      s.prep.branch, r.old_tip, r.new_tip, r.rewritten,
			      r.rewritten == 1 ? "" : "s", r.nr, r.nr == 1 ? "" : "s", r.backup);
done:
	kx_trailers_result_release(&r);
	kx_resolved_release(&s);
	return ret;
}

static const char *sev_color(enum kx_severity sev)
{
	return sev == KX_SEV_ERROR ? "red" : sev == KX_SEV_WARNING ? "yellow" : "cyan";
}

static void print_finding(bool color, const char *where,
			  const struct kx_finding *f)
{
	kx_out_printf(stdout, "%.12s ", where);
	/* compiler-style, for the findings about a line of a file */
	if (f->path && f->line)
		kx_out_printf(stdout, "%s:%u: ", f->path, f->line);
	else if (f->path)
		kx_out_printf(stdout, "%s: ", f->path);
	kx_out_printf(stdout, "%s%s%s %s: %s\n", kx_out_sgr(color, sev_color(f->severity)),
		      kx_severity_name(f->severity), kx_out_sgr(color, "reset"),
		      f->rule, f->message);
}

/* Compiler-style lines under each commit, then the series, then counts. */
static void print_check_text(const struct kx_check_input *in,
			     const struct kx_findings *f)
{
	bool color = kx_out_color(stdout);
	size_t i, k, n[4] = { 0 };

	for (i = 0; i < in->notes.nr; i++)
		kx_out_printf(stdout, "note: %s\n", in->notes.items[i]);
	for (i = 0; i < in->nr; i++) {
		const struct kx_patch *p = &in->patches[i];

		kx_out_printf(stdout, "%s%.12s %s%s\n", kx_out_sgr(color, "bold"), p->id,
		       p->subject, kx_out_sgr(color, "reset"));
		for (k = 0; k < f->nr; k++)
			if (!strcmp(f->items[k].commit, p->id))
				print_finding(color, p->id, &f->items[k]);
	}
	for (k = 0; k < f->nr; k++)
		if (!f->items[k].commit[0])
			print_finding(color, "series", &f->items[k]);
	for (k = 0; k < f->nr; k++)
		n[f->items[k].severity]++;
	kx_out_printf(stdout, "%zu error%s, %zu warning%s, %zu advice\n",
	       n[KX_SEV_ERROR], n[KX_SEV_ERROR] == 1 ? "" : "s",
	       n[KX_SEV_WARNING], n[KX_SEV_WARNING] == 1 ? "" : "s",
	       n[KX_SEV_ADVICE]);
}

/* The documented --json object: findings and summary (kvmx86-prep(1)). */
static void print_check_json(const struct kx_check_input *in,
			     const struct kx_findings *f)
{
	json_t *o = json_object(), *list = json_array(), *commits = json_array();
	json_t *notes = json_array();
	size_t i;

	for (i = 0; i < f->nr; i++)
		json_array_append_new(list, json_pack("{s:o, s:s, s:s, s:o, s:o, s:o}",
			"commit", f->items[i].commit[0] ?
				  json_string(f->items[i].commit) : json_null(),
			"rule", f->items[i].rule,
			"severity", kx_severity_name(f->items[i].severity),
			"message", kx_out_json_str(f->items[i].message),
			"path", kx_out_json_str(f->items[i].path),
			"line", f->items[i].line ? json_integer(f->items[i].line) :
						    json_null()));
	for (i = 0; i < in->nr; i++)
		json_array_append_new(commits, json_pack("{s:s, s:o}",
			"id", in->patches[i].id,
			"subject", kx_out_json_str(in->patches[i].subject)));
	for (i = 0; i < in->notes.nr; i++)
		json_array_append_new(notes, kx_out_json_str(in->notes.items[i]));
	json_object_set_new(o, "findings", list);
	json_object_set_new(o, "summary", json_pack("{s:I, s:I, s:I}",
		"errors", (json_int_t)kx_findings_count(f, KX_SEV_ERROR),
		"warnings", (json_int_t)kx_findings_count(f, KX_SEV_WARNING),
		"advice", (json_int_t)kx_findings_count(f, KX_SEV_ADVICE)));
	json_object_set_new(o, "commits", commits);
	json_object_set_new(o, "notes", notes);
	kx_out_json(o, false);
}

static int run_check(const struct prep_opts *o)
{
	struct kx_series_query q = { 0 };
	struct kx_resolved s;
	struct kx_check_input in;
	struct kx_findings f = KX_FINDINGS_INIT;
	int ret;

	memset(&in, 0, sizeof(in));
	q.arg = o->branch;
	q.alone_without_trees = true;
	if (kx_series_resolve(&s, &q) < 0 || kx_check_load(&in, &s) < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	/* nothing checked is no clean bill: check-base, test and send fail too */
	if (!in.nr) {
		kx_error_set(KX_ERROR, "the series is empty: %s has no commits on its base",
			     s.prep.branch ? s.prep.branch : "HEAD");
		kx_error_hint("commit your changes first, or give a range: kvmx86 prep --check <base>..<branch>");
		ret = kx_out_fatal();
		goto done;
	}
	kx_check_run(&f, &in, 0);
	if (o->checkpatch && kx_check_checkpatch(&in, &f) < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	if (o->json)
		print_check_json(&in, &f);
	else
		print_check_text(&in, &f);
	ret = kx_findings_count(&f, KX_SEV_ERROR) ? KX_EXIT_FINDINGS : KX_EXIT_OK;
done:
	kx_findings_release(&f);
	kx_check_release(&in);
	kx_resolved_release(&s);
	return ret;
}

/* The one answer of core's kx_topic_suggest(), history included. */
static int run_suggest_topic(const struct prep_opts *o)
{
	struct kx_series_query q = { 0 };
	struct kx_resolved s;
	struct kx_topichist_cache *hist = NULL;
	struct kx_rule_env env = { 0 };
	struct kx_topic t = { 0 };
	struct kx_check_input in;
	const char *prefix;
	char *topic = NULL;
	int ret = KX_EXIT_OK;

	memset(&in, 0, sizeof(in));
	q.state_only = true;
	if (kx_series_resolve(&s, &q) < 0 ||
	    kx_check_load_one(&in, &s, o->branch) < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	env.history_topic = kx_topichist_env;
	env.history_data = hist = kx_topichist_cache_new(in.repo);
	kx_topic_suggest(&t, &in.patches[0], &env);
	prefix = t.prefix;
	if (kx_starts_with(prefix, "KVM: ") && strlen(prefix) > 6)
		topic = kx_xstrndup(prefix + 5, strlen(prefix) - 6);
	if (o->json) {
		json_t *obj = json_pack("{s:s, s:o, s:o, s:o}",
			"commit", in.patches[0].id,
			"prefix", kx_out_json_str(prefix),
			"topic", kx_out_json_str(topic),
			"reason", kx_out_json_str(t.reason));

		kx_out_json(obj, false);
	} else {
		kx_out_printf(stdout, "%.12s %s\n", in.patches[0].id, prefix);
		if (*t.reason)
			kx_out_printf(stdout, "  %s\n", t.reason);
	}
done:
	kx_topic_release(&t);
	free(topic);
	kx_topichist_cache_free(hist);
	kx_check_release(&in);
	kx_resolved_release(&s);
	return ret;
}

/*
 * --manual-reroll: a version sent by other means (git send-email, b4)
 * recorded as kvmx86 send records its own, once lore has it.
 */
static int run_manual_reroll(const struct prep_opts *o)
{
	struct kx_series_query q = { 0 };
	struct kx_import im = KX_IMPORT_INIT;
	struct kx_resolved s;
	struct kx_prep *p = &s.prep;
	const char *tip;
	bool same, existed = false;
	unsigned rev;
	size_t i;
	int ret = KX_EXIT_OK;

	memset(&s, 0, sizeof(s));
	q.arg = o->branch;
	q.need_enrolled = true;
	if (kx_series_resolve(&s, &q) < 0 || kx_prep_lock(p) < 0 ||
	    kx_import_fetch(&im, p->repo, o->value) < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	print_notes(&s);
	rev = im.series.revision;
	for (i = 0; i < p->state.sent_nr; i++)
		if (p->state.sent[i].revision == rev) {
			kx_error_set(KX_EINVALID, "v%u of %s is recorded as sent already", rev, p->branch);
			kx_error_hint("kvmx86 prep --show-info says what was sent");
			ret = kx_out_fatal();
			goto done;
		}
	if (rev != p->state.revision) {
		kx_error_set(KX_EINVALID, "the thread's newest whole version is v%u, and %s prepares v%u",
			     rev, p->branch, p->state.revision);
		kx_error_hint("if v%u is the version sent: kvmx86 prep --force-revision %u, then this again",
			      rev, rev);
		ret = kx_out_fatal();
		goto done;
	}
	if (!s.series.nr) {
		kx_error_set(KX_EINVALID, "%s has no commits: no version of it was sent", p->branch);
		ret = kx_out_fatal();
		goto done;
	}
	tip = s.series.commits[s.series.nr - 1].id;
	if (kx_import_same(&same, p->repo, &im, p->state.base_commit, tip, s.series.nr) < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	if (!same && !o->force) {
		kx_out_printf(stderr, "error: v%u on lore (%u patch%s) is not %s as it is (%zu commit%s): the mails do not make its tree on its base\n",
			      rev, im.series.total, im.series.total == 1 ? "" : "es", p->branch,
			      s.series.nr, s.series.nr == 1 ? "" : "s");
		kx_out_printf(stderr, "hint: --force records it as sent all the same, at the branch's tip\n");
		ret = KX_EXIT_FINDINGS;
		goto done;
	}
	if (kx_import_record(&s, &im, tip, true, &existed) < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	{
		unsigned mails = im.series.total + (im.series.cover != NULL);

		if (existed)
			kx_out_printf(stderr, "note: the tag sent/%s-v%u exists already: left as it is\n",
				      p->branch, rev);
		if (existed)
			kx_out_printf(stdout, "v%u of %s is recorded as sent: %u mail%s\n",
				      rev, p->branch, mails, mails == 1 ? "" : "s");
		else
			kx_out_printf(stdout, "v%u of %s is recorded as sent: %u mail%s, tagged sent/%s-v%u\n",
				      rev, p->branch, mails, mails == 1 ? "" : "s", p->branch, rev);
		kx_out_printf(stdout, "link: %s\n", p->state.sent[p->state.sent_nr - 1].link);
	}
	kx_out_printf(stdout, "now preparing v%u: kvmx86 prep --edit-cover says what changed\n",
		      p->state.revision);
done:
	kx_import_release(&im);
	kx_resolved_release(&s);
	return ret;
}

/* -n, and -n -F: the branch made, from a version on lore or empty. */
static int run_new(struct kx_resolved *s, const struct prep_opts *o)
{
	struct kx_prep *p = &s->prep;
	struct kx_import im = KX_IMPORT_INIT;
	char *created = NULL, *desc = NULL, *name = NULL;
	bool existed = false;
	int ret = 0;

	if (o->from_thread) {
		if (kx_import_fetch(&im, p->repo, o->from_thread) < 0) {
			ret = kx_out_fatal();
			goto done;
		}
		kx_out_printf(stderr, "v%u of the thread: %u patch%s%s, from %s\n",
			      im.series.revision, im.series.total,
			      im.series.total == 1 ? "" : "es",
			      im.series.cover ? " and a cover letter" : "", im.url);
	}
	if (!o->name)
		name = kx_thread_series_name(&im.series);
	if (kx_prep_create(p, o->name ? o->name : name, o->topic, o->base,
			   o->from_thread ? &im : NULL, &created, &desc) < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	kx_out_printf(stdout, "created %s on %s\n", created, desc);
	if (!o->from_thread)
		goto done;
	if (kx_import_record(s, &im, p->state.last_tip, false, &existed) < 0) {
		kx_error_hint("%s holds v%u's patches; kvmx86 prep --trailers and --compare-to v%u will not know it",
			      created, im.series.revision, im.series.revision);
		ret = kx_out_fatal();
		goto done;
	}
	if (existed)
		kx_out_printf(stderr, "note: the tag sent/%s-v%u exists already: left as it is\n",
			      created, im.series.revision);
	kx_out_printf(stdout, "  %u commit%s from v%u (change-id %s); preparing v%u\n",
		      im.series.total, im.series.total == 1 ? "" : "s", im.series.revision,
		      p->state.change_id, p->state.revision);
	kx_out_printf(stdout, "  the cover letter is v%u's: kvmx86 prep --edit-cover; the replies' trailers: kvmx86 prep --trailers\n",
		      im.series.revision);
done:
	free(created);
	free(desc);
	free(name);
	kx_import_release(&im);
	return ret;
}

/* What each action asks of the series resolver. */
static void query_of(struct kx_series_query *q, const struct prep_opts *o)
{
	memset(q, 0, sizeof(*q));
	q->arg = o->action == ACT_NEW ? NULL : o->branch;
	switch (o->action) {
	case ACT_NEW:
		q->state_only = true;
		break;
	case ACT_ENROLL:
		q->need_branch = true;
		q->state_only = true;
		break;
	case ACT_EDIT_COVER:
	case ACT_SET_PREFIXES:
	case ACT_FORCE_REVISION:
		q->need_enrolled = true;
		q->state_only = true;
		break;
	case ACT_CLEANUP:
		/* a deleted branch's state may go, with --force */
		q->need_branch = true;
		q->state_only = o->force;
		break;
	case ACT_SHOW_INFO:
		q->need_enrolled = true;
		q->range_only = true;
		break;
	default:
		q->need_enrolled = true;
		break;
	}
}

static void print_notes(const struct kx_resolved *s)
{
	size_t i;

	for (i = 0; i < s->notes.nr; i++)
		kx_out_printf(stderr, "note: %s\n", s->notes.items[i]);
}

int cmd_prep(int argc, char **argv)
{
	struct prep_opts o;
	struct kx_series_query q;
	struct kx_resolved s;
	struct kx_prep *p = &s.prep;
	struct kx_strlist notes = KX_STRLIST_INIT;
	char *archived = NULL;
	bool changed, was_enrolled;
	size_t i;
	int ret;

	memset(&o, 0, sizeof(o));
	ret = parse_argv(&o, argc, argv);
	if (ret)
		return ret == 1 ? KX_EXIT_OK : ret;

	if (o.action == ACT_CHECK)
		return run_check(&o);
	if (o.action == ACT_SUGGEST_TOPIC) {
		/* one commit's files, never a series' */
		if (o.branch && strstr(o.branch, ".."))
			return kx_out_usage_error(kx_cmd_find("prep"),
						  "--suggest-topic looks at one commit, not a range: give REV (e.g. the range's tip)");
		return run_suggest_topic(&o);
	}
	if (o.action == ACT_REORDER)
		return kx_prep_reorder(o.branch, o.dry_run);
	if (o.action == ACT_LINK)
		return run_link(&o);
	if (o.action == ACT_TRAILERS)
		return run_trailers(&o);
	if (o.action == ACT_MANUAL_REROLL)
		return run_manual_reroll(&o);
	query_of(&q, &o);
	if (kx_series_resolve(&s, &q) < 0 && !(o.action == ACT_NEW && p->repo)) {
		/* "--show-info revison": a key mistyped, not a branch */
		char *meant = o.action == ACT_SHOW_INFO && o.branch && !p->branch ?
			kx_info_suggest(o.branch) : NULL;

		if (meant) {
			kx_error_clear();
			ret = kx_out_usage_error(kx_cmd_find("prep"),
						 "no key or branch '%s'; did you mean %s?",
						 o.branch, meant);
			free(meant);
			goto done;
		}
		ret = kx_out_fatal();
		goto done;
	}
	/* what decides from the state reads it again under its lock */
	if ((o.action == ACT_ENROLL || o.action == ACT_SET_PREFIXES ||
	     o.action == ACT_FORCE_REVISION || o.action == ACT_CLEANUP) &&
	    kx_prep_lock(p) < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	kx_error_clear();
	print_notes(&s);
	switch (o.action) {
	case ACT_NEW:
		ret = run_new(&s, &o);
		break;
	case ACT_ENROLL:
		was_enrolled = p->has_state;
		if (kx_prep_enroll(p, o.base, o.drop_b4_cover, &notes) < 0) {
			ret = kx_out_fatal();
			break;
		}
		if (!was_enrolled)
			kx_out_printf(stdout, "enrolled %s (change-id %s, v%u, base %.12s)\n",
				      p->branch, p->state.change_id, p->state.revision,
				      p->state.base_commit);
		for (i = 0; i < notes.nr; i++)
			kx_out_printf(stdout, "%s%s\n", was_enrolled ? "" : "  ",
				      notes.items[i]);
		/* the series on its new base, for the next --show-info's cache */
		q.state_only = false;
		q.need_enrolled = true;
		q.arg = p->branch;
		{
			struct kx_resolved again;

			if (kx_series_resolve(&again, &q) < 0)
				kx_error_clear();
			kx_resolved_release(&again);
		}
		break;
	case ACT_EDIT_COVER:
		if (kx_prep_edit_cover(p, &changed, &notes) < 0) {
			ret = kx_out_fatal();
			break;
		}
		for (i = 0; i < notes.nr; i++)
			kx_out_printf(stderr, "warning: %s\n", notes.items[i]);
		kx_out_printf(stdout, changed ? "cover letter updated\n" : "cover letter unchanged\n");
		break;
	case ACT_SHOW_INFO:
		ret = show_info(p, &o);
		break;
	case ACT_SET_PREFIXES:
		set_prefixes(&p->state, o.value);
		if (kx_prep_save(p) < 0) {
			ret = kx_out_fatal();
		} else {
			/* the subjects they make, as --force-revision says its version */
			struct kx_buf b = KX_BUF_INIT;
			size_t i;

			for (i = 0; i < p->state.prefixes.nr; i++)
				kx_buf_addf(&b, " %s", p->state.prefixes.items[i]);
			if (p->state.revision > 1)
				kx_buf_addf(&b, " v%u", p->state.revision);
			kx_out_printf(stdout, "%s: subjects begin [PATCH%s k/N]\n", p->branch,
				      b.len ? b.buf : "");
			kx_buf_release(&b);
		}
		break;
	case ACT_FORCE_REVISION:
		p->state.revision = o.revision;
		if (kx_prep_save(p) < 0)
			ret = kx_out_fatal();
		else
			kx_out_printf(stdout, "%s: preparing v%u\n", p->branch, o.revision);
		break;
	case ACT_COMPARE_TO:
		ret = run_range_diff(p, o.revision);
		break;
	case ACT_CLEANUP:
		if (!(p->branch_gone && o.force) && kx_prep_require_state(p) < 0) {
			ret = kx_out_fatal();
			break;
		}
		ret = kx_prep_cleanup(p, &s.series, o.force, &archived);
		if (ret == 1) {
			kx_out_printf(stderr, "error: %s\n", kx_error_last());
			kx_out_prefixed(stderr, "hint: ", kx_error_last_hint());
			ret = KX_EXIT_FINDINGS;
		} else if (ret < 0) {
			ret = kx_out_fatal();
		} else {
			kx_out_printf(stdout, "archived the state of %s to %s\n", p->branch, archived);
			/* a kernel tree's worktrees take seconds: said first */
			if (kx_test_has_worktrees(p->commondir, p->branch)) {
				kx_out_printf(stderr, "removing the worktrees kvmx86 test made for %s...\n",
					      p->branch);
				fflush(stderr);
			}
			kx_test_remove_worktrees(p->commondir, p->branch);
		}
		break;
	case ACT_COVER:
		ret = print_cover(&s, &o);
		break;
	case ACT_LINK:
	case ACT_TRAILERS:
	case ACT_MANUAL_REROLL:
	case ACT_NONE:
	case ACT_CHECK:
	case ACT_SUGGEST_TOPIC:
	case ACT_REORDER:
		break;
	}
done:
	kx_strlist_release(&notes);
	free(archived);
	kx_resolved_release(&s);
	return ret;
}
