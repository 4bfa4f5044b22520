// SPDX-License-Identifier: GPL-2.0-only
/* kvmx86 check-base: is the series based where the handbook asks? */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kvmx86.h"
#include "kvmx86/base.h"
#include "kvmx86/checkbase.h"
#include "kvmx86/resolve.h"
#include "kvmx86/error.h"

const char cmd_check_base_usage[] =
	"usage: kvmx86 check-base [<rev> | <base>..<tip>] [--scope=<scope>] [--json] [--print-base]\n"
	"\n"
	"Decide the base the KVM x86 handbook asks for (kvm-x86/next; the rc that\n"
	"kvm-x86/next is built on for a truly multi-arch series; kvm/master for a\n"
	"fix for the current release), compare it with the base the series uses,\n"
	"and say how to fix a wrong one.\n"
	"\n"
	"    --scope=<scope>   x86, multi-arch or current-fix instead of the detected scope\n"
	"    --json            print the result as one JSON object\n"
	"    --print-base      print --base=<commit> for git format-patch, or fail\n"
	KX_OUT_COLOR_USAGE
	"    -h, --help        show this help\n"
	"\n"
	"Exit status: 0 ok, behind or stale; 1 wrong (or no base to print);\n"
	"128 failure; 129 bad usage.  See kvmx86-check-base(1).\n";

enum {
	OPT_SCOPE = 0x100,
	OPT_JSON,
	OPT_PRINT_BASE,
};

struct check_base_opts {
	const char *arg;
	enum kx_scope scope;
	bool json;
	bool print_base;
};

static int parse_argv(struct check_base_opts *o, int argc, char **argv)
{
	static const struct option options[] = {
		{ "scope", required_argument, NULL, OPT_SCOPE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "print-base", no_argument, NULL, OPT_PRINT_BASE },
		KX_OUT_COLOR_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct kx_cmd *cmd = kx_cmd_find("check-base");
	int c, ret;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 'h':
			kx_out_text(stdout, cmd_check_base_usage);
			return 1;
		case OPT_SCOPE:
			if (kx_scope_parse(&o->scope, optarg) < 0)
				return kx_out_usage_error(cmd, "%s",
							  kx_error_last());
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_PRINT_BASE:
			o->print_base = true;
			break;
		case KX_OPT_COLOR:
		case KX_OPT_NO_COLOR:
			if ((ret = kx_out_color_option(cmd, c, optarg)))
				return ret;
			break;
		default:
			return kx_out_bad_option(cmd, c, argv, options);
		}
	}
	if (argc - optind > 1)
		return kx_out_usage_error(cmd, "too many arguments: give one revision or range");
	if (o->json && o->print_base)
		return kx_out_usage_error(cmd, "--json and --print-base do not go together");
	o->arg = optind < argc ? argv[optind] : NULL;
	return 0;
}

static json_t *strlist_json(const struct kx_strlist *l)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < l->nr; i++)
		json_array_append_new(a, kx_out_json_str(l->items[i]));
	return a;
}

/* The documented --json object (kvmx86-check-base(1), JSON OUTPUT). */
static void print_json(const struct kx_checkbase *cb,
		       const struct kx_base_result *r)
{
	const struct kx_base_facts *f = &cb->facts;
	json_t *o = json_object(), *commits = json_array(), *sup = json_object();
	struct kx_strlist warnings = KX_STRLIST_INIT;
	size_t i;

	for (i = 0; i < cb->series.nr; i++) {
		const struct kx_commit *c = &cb->series.commits[i];

		json_array_append_new(commits,
			json_pack("{s:s, s:o, s:s, s:b}", "id", c->id,
				  "subject", kx_out_json_str(c->subject),
				  "area", kx_area_name(c->area),
				  "prerequisite", i < cb->prerequisites));
	}
	for (i = 0; i < cb->warnings.nr; i++)
		kx_strlist_add(&warnings, cb->warnings.items[i]);
	for (i = 0; i < r->warnings.nr; i++)
		kx_strlist_add(&warnings, r->warnings.items[i]);

	json_object_set_new(o, "scope", json_string(kx_scope_name(r->scope)));
	json_object_set_new(o, "detected_scope",
			    json_string(kx_scope_name(r->detected)));
	json_object_set_new(o, "recommended_base",
			    kx_out_json_str(r->recommended ? r->recommended->name : NULL));
	json_object_set_new(o, "actual_base",
			    kx_out_json_str(r->actual ? r->actual->name : f->fork));
	json_object_set_new(o, "recommended_commit",
			    kx_out_json_str(r->recommended ? r->recommended->tip : NULL));
	json_object_set_new(o, "base_commit", json_string(f->fork));
	json_object_set_new(o, "verdict", json_string(kx_verdict_name(r->verdict)));
	json_object_set_new(o, "behind_by",
			    r->verdict == KX_VERDICT_BEHIND ?
			    json_integer((json_int_t)r->behind_by) : json_null());
	json_object_set_new(o, "remedy", kx_out_json_str(r->remedy));
	json_object_set_new(o, "target_topic", kx_out_json_str(f->target_topic));
	json_object_set_new(o, "branch", kx_out_json_str(f->branch));
	json_object_set_new(o, "x86_remote", kx_out_json_str(cb->x86_remote));
	json_object_set_new(o, "kvm_remote", kx_out_json_str(cb->kvm_remote));
	json_object_set_new(o, "cycle_rc", kx_out_json_str(cb->cycle_rc));
	json_object_set_new(sup, "common_logic", json_integer(r->common_logic));
	json_object_set_new(sup, "other_logic", json_integer(r->other_logic));
	json_object_set_new(sup, "limit", json_integer(cb->config.superficial_lines));
	json_object_set_new(o, "superficial", sup);
	json_object_set_new(o, "commits", commits);
	json_object_set_new(o, "prerequisites",
			    json_integer((json_int_t)cb->prerequisites));
	json_object_set_new(o, "reasons", strlist_json(&r->reasons));
	json_object_set_new(o, "warnings", strlist_json(&warnings));

	kx_out_json(o, false);
	kx_strlist_release(&warnings);
}

static const char *verdict_color(enum kx_verdict v)
{
	switch (v) {
	case KX_VERDICT_OK:
		return "green";
	case KX_VERDICT_WRONG:
		return "red";
	default:
		return "yellow";
	}
}

static void print_warnings(FILE *f, bool color, const struct kx_strlist *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		kx_out_printf(f, "%swarning:%s %s\n", kx_out_sgr(color, "yellow"),
			kx_out_sgr(color, "reset"), l->items[i]);
}

/* Is <remote>/<the branch's topic> one of the KVM x86 tree's branches here? */
static bool has_topic(const struct kx_base_facts *f, const char *remote)
{
	size_t i, n = strlen(remote);

	for (i = 0; i < f->cands_nr; i++)
		if (f->cands[i].kind == KX_CAND_TOPIC &&
		    !strncmp(f->cands[i].name, remote, n) && f->cands[i].name[n] == '/' &&
		    !strcmp(f->cands[i].name + n + 1, f->target_topic))
			return true;
	return false;
}

static void print_text(const struct kx_checkbase *cb,
		       const struct kx_base_result *r)
{
	const struct kx_base_facts *f = &cb->facts;
	bool color = kx_out_color(stdout);
	size_t i, own = cb->series.nr - cb->prerequisites;

	kx_out_printf(stdout, "series:      %.*s, %zu commit%s",
	       f->branch ? (int)strlen(f->branch) : 12,
	       f->branch ? f->branch : f->tip, own, own == 1 ? "" : "s");
	/* an enrolled base above commits no KVM tree has: they count too */
	if (cb->prerequisites)
		kx_out_printf(stdout, " on %zu that no KVM tree has (prerequisites)",
			      cb->prerequisites);
	kx_out_printf(stdout, "\n");
	for (i = 0; i < cb->series.nr; i++) {
		const struct kx_commit *c = &cb->series.commits[i];

		kx_out_printf(stdout, "  %.12s %-10s %s%s\n", c->id, kx_area_name(c->area),
		       c->subject, i < cb->prerequisites ? " (prerequisite)" : "");
	}
	if (f->target_topic)
		kx_out_printf(stdout, "target:      %s/%s%s\n", cb->x86_remote, f->target_topic,
			      has_topic(f, cb->x86_remote) ? "" : " (no such branch there)");
	kx_out_printf(stdout, "scope:       %s%s%s\n", kx_out_sgr(color, "bold"),
	       kx_scope_name(r->scope), kx_out_sgr(color, "reset"));
	if (r->recommended)
		kx_out_printf(stdout, "recommended: %s (%.12s)\n", r->recommended->name,
		       r->recommended->tip);
	else
		kx_out_printf(stdout, "recommended: (not found here)\n");
	if (r->actual)
		kx_out_printf(stdout, "actual:      %s (%.12s), fork point %.12s\n",
		       r->actual->name, r->actual->tip, f->fork);
	else
		kx_out_printf(stdout, "actual:      %.12s, in no KVM ref\n", f->fork);
	kx_out_printf(stdout, "verdict:     %s%s%s", kx_out_sgr(color, verdict_color(r->verdict)),
	       kx_verdict_name(r->verdict), kx_out_sgr(color, "reset"));
	if (r->verdict == KX_VERDICT_BEHIND)
		kx_out_printf(stdout, " (%zu commit%s behind)", r->behind_by,
		       r->behind_by == 1 ? "" : "s");
	kx_out_printf(stdout, "\n");
	if (r->remedy)
		kx_out_printf(stdout, "fix:         %s\n", r->remedy);
	if (r->reasons.nr) {
		kx_out_printf(stdout, "why:\n");
		for (i = 0; i < r->reasons.nr; i++)
			kx_out_printf(stdout, "  - %s\n", r->reasons.items[i]);
	}
	print_warnings(stdout, color, &cb->warnings);
	print_warnings(stdout, color, &r->warnings);
}

static int print_base(const struct kx_checkbase *cb,
		      const struct kx_base_result *r)
{
	const char *commit = kx_base_print_commit(r, &cb->facts);
	bool color = kx_out_color(stderr);
	size_t i;

	print_warnings(stderr, color, &cb->warnings);
	print_warnings(stderr, color, &r->warnings);
	if (!commit) {
		kx_out_printf(stderr, "error: no base to print: the verdict is %s\n",
			kx_verdict_name(r->verdict));
		for (i = 0; i < r->reasons.nr; i++)
			kx_out_printf(stderr, "  - %s\n", r->reasons.items[i]);
		if (r->remedy)
			kx_out_printf(stderr, "hint: %s\n", r->remedy);
		return KX_EXIT_FINDINGS;
	}
	if (r->verdict == KX_VERDICT_BEHIND)
		kx_out_printf(stderr, "warning: the series is %zu commit%s behind %s\n",
			r->behind_by, r->behind_by == 1 ? "" : "s",
			r->recommended->name);
	kx_out_printf(stdout, "--base=%s\n", commit);
	return KX_EXIT_OK;
}

int cmd_check_base(int argc, char **argv)
{
	struct check_base_opts o = { NULL, KX_SCOPE_UNSET, false, false };
	struct kx_series_query q = { 0 };
	struct kx_resolved s;
	struct kx_checkbase *cb;
	struct kx_base_result r = KX_BASE_RESULT_INIT;
	size_t i;
	int ret;

	ret = parse_argv(&o, argc, argv);
	if (ret)
		return ret == 1 ? KX_EXIT_OK : ret;

	q.arg = o.arg;
	if (kx_series_resolve(&s, &q) < 0 || kx_series_checkbase(&cb, &s) < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	for (i = 0; i < s.notes.nr; i++)
		kx_out_printf(stderr, "note: %s\n", s.notes.items[i]);
	cb->facts.forced = o.scope;
	if (kx_base_decide(&r, &cb->series, &cb->facts, &cb->config) < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	if (o.print_base) {
		ret = print_base(cb, &r);
		goto done;
	}
	if (o.json)
		print_json(cb, &r);
	else
		print_text(cb, &r);
	ret = r.verdict == KX_VERDICT_WRONG ? KX_EXIT_FINDINGS : KX_EXIT_OK;
done:
	kx_base_result_release(&r);
	kx_resolved_release(&s);
	return ret;
}
