// SPDX-License-Identifier: GPL-2.0-only
/* kvmx86 test: run a command at every commit of the series. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "kvmx86.h"
#include "kvmx86/error.h"
#include "kvmx86/resolve.h"
#include "kvmx86/safe.h"
#include "kvmx86/testrun.h"
#include "kvmx86/util.h"

const char cmd_test_usage[] =
	"usage: kvmx86 test [<rev> | <base>..<tip>] [-j <n>] [--json] [--rerun] [--build]\n"
	"                   [--selftests <cmd>] [--kut <cmd>] [-- <command> [<args>...]]\n"
	"       kvmx86 test --kernel [--matrix] [--no-link] [<rev> | <base>..<tip>] [-j <n>]\n"
	"                   [--json] [--rerun] [-- <command>...]\n"
	"       kvmx86 test --forget [<rev> | <base>..<tip>]\n"
	"       kvmx86 test --forget-all\n"
	"\n"
	"Run <command> (else kvmx86.buildCommand) at every commit of the series,\n"
	"each in a worktree of kvmx86's own (never your checkout), and say whether\n"
	"the series is bisectable: the first failing commit in series order.  Each\n"
	"result is printed as it comes and recorded for the repository, keyed by\n"
	"the commit's tree, the command (or the kernel configuration) and the\n"
	"compiler; a re-run reuses them (an interrupted run resumes).\n"
	"\n"
	"    -j, --jobs <n>    run <n> commits at once (default 1)\n"
	"    --rerun           run every commit again, ignoring recorded results\n"
	"    --build           the command is a build: a pass counts as one in the\n"
	"                      testing statement and for prep --check\n"
	"    --selftests <cmd> then run the selftests command (split into words, no shell)\n"
	"    --kut <cmd>       then run the kvm-unit-tests command (likewise)\n"
	"    --kernel          configure each commit as the handbook asks (x86_64_defconfig,\n"
	"                      KVM=m KVM_INTEL=m KVM_AMD=m EXPERT=y KVM_WERROR=y, no KASAN)\n"
	"                      in a build directory (make O=), check .config, build vmlinux\n"
	"                      and the modules once at the base, then link kvm.ko,\n"
	"                      kvm-intel.ko and kvm-amd.ko at each commit; over distcc\n"
	"                      (kvmx86.distccHosts, DISTCC_HOSTS) or icecream (kvmx86.icecc)\n"
	"    --no-link         with --kernel: only compile arch/x86/kvm/ (faster, proves less)\n"
	"    --matrix          with --kernel: also KVM_SMM=n, KVM_XEN=y, PROVE_LOCKING=y and\n"
	"                      32-bit (ARCH=i386), each in its own build directory\n"
	"    --forget          forget the recorded results of the series' commits\n"
	"    --forget-all      forget every result recorded in this repository\n"
	"    --json            print the results as one JSON object\n"
	KX_OUT_COLOR_USAGE
	"    -h, --help        show this help\n"
	"\n"
	"Exit status: 0 every commit passes; 1 a commit fails or cannot be\n"
	"prepared; 2 interrupted; 128 failure; 129 bad usage.  See kvmx86-test(1).\n";

struct test_opts {
	const char *arg;
	unsigned jobs;
	bool json, rerun, kernel, matrix, no_link, build, forget, forget_all;
	struct kx_strlist selftests, kut;	/* the words of --selftests, --kut */
	char **argv;	/* the command, NULL-terminated; NULL: --kernel's own */
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static const struct option test_options[] = {
	{ "jobs", required_argument, NULL, 'j' },
	{ "json", no_argument, NULL, 'J' },
	{ "rerun", no_argument, NULL, 'R' },
	{ "kernel", no_argument, NULL, 'K' },
	{ "matrix", no_argument, NULL, 'M' },
	{ "no-link", no_argument, NULL, 'N' },
	{ "selftests", required_argument, NULL, 'S' },
	{ "kut", required_argument, NULL, 'U' },
	{ "build", no_argument, NULL, 'B' },
	{ "forget", no_argument, NULL, 'F' },
	{ "forget-all", no_argument, NULL, 'A' },
	{ "help", no_argument, NULL, 'h' },
	KX_OUT_COLOR_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

/*
 * Reads options from optind on, up to the first non-option or "--" ("+");
 * 0, or what parse_argv() returns (1 after --help, 129 on bad usage).
 */
static int read_options(struct test_opts *o, int argc, char **argv)
{
	const struct kx_cmd *cmd = kx_cmd_find("test");
	char *end;
	long n;
	int c, ret;

	while ((c = getopt_long(argc, argv, "+:hj:", test_options, NULL)) != -1) {
		switch (c) {
		case 'h':
			kx_out_text(stdout, cmd_test_usage);
			return 1;
		case 'j':
			n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 256)
				return kx_out_usage_error(cmd, "-j takes a number of jobs from 1 to 256, not '%s'",
							  optarg);
			o->jobs = (unsigned)n;
			break;
		case 'J':
			o->json = true;
			break;
		case 'R':
			o->rerun = true;
			break;
		case 'K':
			o->kernel = true;
			break;
		case 'M':
			o->matrix = true;
			break;
		case 'N':
			o->no_link = true;
			break;
		case 'B':
			o->build = true;
			break;
		case 'F':
			o->forget = true;
			break;
		case 'A':
			o->forget_all = true;
			break;
		case 'S':
		case 'U': {
			struct kx_strlist *l = c == 'S' ? &o->selftests : &o->kut;

			kx_strlist_release(l);
			if (kx_split_words(l, optarg) < 0 || !l->nr)
				return kx_out_usage_error(cmd, "%s needs a command (words, with '...' or \"...\" quoting), not '%s'",
							  c == 'S' ? "--selftests" : "--kut", optarg);
			break;
		}
		case KX_OPT_COLOR:
		case KX_OPT_NO_COLOR:
			if ((ret = kx_out_color_option(cmd, c, optarg)))
				return ret;
			break;
		default:
			return kx_out_bad_option(cmd, c, argv, test_options);
		}
	}
	return 0;
}

/*
 * The first word of argv that is not UTF-8, or NULL.  A result is keyed by
 * the command's text in the store, a JSON file, which cannot hold such a
 * word: refused up front, rather than failing at the first result.
 */
static const char *not_utf8(char *const *argv)
{
	for (; argv && *argv; argv++)
		if (!kx_utf8_valid(*argv, strlen(*argv)))
			return *argv;
	return NULL;
}

/* The same for the words of l. */
static const char *not_utf8_words(const struct kx_strlist *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (!kx_utf8_valid(l->items[i], strlen(l->items[i])))
			return l->items[i];
	return NULL;
}

static int parse_argv(struct test_opts *o, int argc, char **argv)
{
	const struct kx_cmd *cmd = kx_cmd_find("test");
	int ret;

	o->jobs = 1;
	opterr = 0;
	if ((ret = read_options(o, argc, argv)))
		return ret;
	/*
	 * REV, then the options between it and "--": a second pass, which
	 * getopt_long() starts at optind, so the command's own options are
	 * never read here.
	 */
	if (strcmp(argv[optind - 1], "--") && optind < argc &&
	    strcmp(argv[optind], "--")) {
		o->arg = argv[optind++];
		if (optind < argc && argv[optind][0] == '-' &&
		    strcmp(argv[optind], "--") &&
		    (ret = read_options(o, argc, argv)))
			return ret;
	}
	/* getopt consumed a "--" right after the options */
	if (strcmp(argv[optind - 1], "--")) {
		if (!o->arg && optind < argc && strcmp(argv[optind], "--"))
			o->arg = argv[optind++];
		/* a word that is neither "--" nor the command: never dropped */
		if (optind < argc && strcmp(argv[optind], "--"))
			return kx_out_usage_error(cmd, "too many arguments: '%s'; the command goes after '--': kvmx86 test [<rev> | <base>..<tip>] -- <command>",
						  argv[optind]);
		if (optind < argc)
			optind++;
	}
	if ((o->matrix || o->no_link) && !o->kernel)
		return kx_out_usage_error(cmd, "%s goes with --kernel",
					  o->matrix ? "--matrix" : "--no-link");
	if (o->no_link && optind < argc)
		return kx_out_usage_error(cmd, "--no-link is for --kernel's own build, not for a command of yours");
	if ((o->forget || o->forget_all) &&
	    (o->kernel || o->build || o->rerun || o->json || o->selftests.nr ||
	     o->kut.nr || optind < argc || (o->forget && o->forget_all) ||
	     (o->forget_all && o->arg)))
		return kx_out_usage_error(cmd, "%s takes %s",
					  o->forget_all ? "--forget-all" : "--forget",
					  o->forget_all ? "nothing else" :
					  "a series only: kvmx86 test --forget [<rev> | <base>..<tip>]");
	if (o->build && o->kernel)
		return kx_out_usage_error(cmd, "--build is for a command of yours; --kernel's own build is one");
	if (optind >= argc && o->build)
		return kx_out_usage_error(cmd, "--build needs a command after '--'");
	/* no command: --kernel's own build, or kvmx86.buildCommand's */
	if (optind < argc)
		o->argv = argv + optind;
	{
		const char *bad = not_utf8(o->argv);

		if (!bad)
			bad = not_utf8_words(&o->selftests);
		if (!bad)
			bad = not_utf8_words(&o->kut);
		if (bad)
			return kx_out_usage_error(cmd, "command word '%s' is not UTF-8: the results (JSON) cannot record it",
						  bad);
	}
	return 0;
}

/* What the streaming output needs between the run's calls. */
struct live {
	const struct kx_test_run *r;
	bool tty;		/* the progress line is on stderr, a terminal */
	bool dumb;		/* TERM unset or dumb: no escape sequences */
	bool color;
	bool progress_shown;
	int shown_len;		/* the progress line's width, to blank it */
};

/* Takes the progress line away: ESC[K, or blanks where TERM is dumb. */
static void clear_progress(struct live *l)
{
	if (!l->progress_shown)
		return;
	if (l->dumb)
		kx_out_printf(stderr, "\r%*s\r", l->shown_len, "");
	else
		kx_out_printf(stderr, "\r\033[K");
	fflush(stderr);
	l->progress_shown = false;
}

static void progress(void *data, size_t done, size_t total, double elapsed)
{
	struct live *l = data;
	char line[160];
	int n;

	if (!l->tty)
		return;
	n = snprintf(line, sizeof(line), "test: %zu/%zu commits, %.0fs", done,
		     total, elapsed);
	if (done && done < total && n > 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - (size_t)n, ", about %.0fs left",
			      elapsed / (double)done * (double)(total - done));
	if (n < 0)
		return;
	clear_progress(l);
	kx_out_printf(stderr, "\r%s", line);
	fflush(stderr);
	l->progress_shown = true;
	l->shown_len = (int)strlen(line);
}

/* How the text names step k: NULL for the command (its first configuration). */
static const char *step_name(const struct kx_test_run *r, size_t k)
{
	const struct kx_test_stepdef *s = &r->steps[k];

	if (strcmp(s->kind, "command"))
		return s->kind;
	if (s->config && s->config != &kx_kernel_configs[0])
		return s->config->label;
	return NULL;
}

/* What the command proves: --json's "build". */
static const char *build_of(const struct kx_test_run *r)
{
	switch (r->steps[0].build) {
	case KX_BUILD_LINKED:
		return "linked";
	case KX_BUILD_COMPILED:
		return "compiled, not linked";
	case KX_BUILD_DECLARED:
		return "build";
	case KX_BUILD_COMMAND:
		break;
	}
	return "command";
}

/* The testing statement of this run's results, as one paragraph. */
static char *statement_of(const struct kx_test_run *r)
{
	struct kx_test_record *rec = kx_xcalloc(r->nr * r->steps_nr + 1,
						sizeof(*rec));
	const char **ids = kx_xcalloc(r->nr + 1, sizeof(*ids));
	struct kx_testing_input in = { ids, r->nr, rec, 0 };
	char *out;
	size_t i, k;

	for (i = 0; i < r->nr; i++) {
		const struct kx_test_commit *t = &r->commits[i];

		ids[i] = t->id;
		for (k = 0; k < r->steps_nr; k++) {
			const struct kx_test_stepdef *s = &r->steps[k];

			if (t->steps[k].status != KX_TEST_PASS &&
			    t->steps[k].status != KX_TEST_FAIL)
				continue;
			rec[in.records_nr++] = (struct kx_test_record){
				.commit = t->id, .command = s->record,
				.kind = s->kind,
				.pass = t->steps[k].status == KX_TEST_PASS,
				.config = s->config ? s->config->name : NULL,
				.build = s->build,
				.options = t->steps[k].options,
				.via = r->icecc ? "icecc" :
				       r->distcc_hosts ? "distcc" : NULL,
				.jobs = t->steps[k].jobs,
				.remote_jobs = t->steps[k].remote_jobs,
				.hosts = r->hosts };
		}
	}
	out = kx_testing_paragraph(&in);
	free(ids);
	free(rec);
	return out;
}

/* At most so many lines of a failing commit's log are shown. */
#define EXCERPT_LINES 8

/* Prints commit i's line, and for a failure what its log says. */
static void print_commit(const struct kx_test_run *r, size_t i, bool color)
{
	const struct kx_test_commit *t = &r->commits[i];
	const char *sgr = t->status == KX_TEST_PASS ? "green" :
			  t->status == KX_TEST_SKIPPED ? "yellow" : "red";

	kx_out_printf(stdout, "%.12s %s%-7s%s", t->id, kx_out_sgr(color, sgr),
		      kx_test_status_name(t->status), kx_out_sgr(color, "reset"));
	if (t->status == KX_TEST_PASS || t->status == KX_TEST_FAIL)
		kx_out_printf(stdout, " %6.1fs", t->seconds);
	else
		kx_out_printf(stdout, "        ");
	kx_out_printf(stdout, " %s", t->subject);
	if (t->status == KX_TEST_FAIL) {
		const char *name = t->step >= 0 ?
				   step_name(r, (size_t)t->step) : NULL;

		if (t->error)
			kx_out_printf(stdout, " (%s, log %s)", t->error, t->log);
		else
			kx_out_printf(stdout, " (%s%sexit %d, log %s)", name ? name : "",
				      name ? ": " : "", t->exit_status, t->log);
	} else if (t->status == KX_TEST_ERROR) {
		kx_out_printf(stdout, " (%s)", t->error ? t->error : "not prepared");
	}
	if (t->recorded)
		kx_out_printf(stdout, " [recorded]");
	kx_out_printf(stdout, "\n");
	/* t->error says what make did not, a log excerpt would not */
	if (t->status == KX_TEST_FAIL && !t->recorded && t->log && !t->error) {
		struct kx_strlist lines = KX_STRLIST_INIT;
		size_t k;

		/* what make showed, before the commit's log scrolls away */
		kx_test_failure_lines(&lines, t, EXCERPT_LINES);
		for (k = 0; k < lines.nr; k++)
			kx_out_printf(stdout, "    %s\n", lines.items[k]);
		kx_strlist_release(&lines);
	}
}

/* The run's callback: each commit's line as its result is final. */
static void on_commit(void *data, size_t i)
{
	struct live *l = data;

	clear_progress(l);
	print_commit(l->r, i, l->color);
	/* a pipe or a file sees it now, not when the run ends */
	fflush(stdout);
}

/* "412 of 430 compile jobs on 3 distcc hosts", or NULL. */
static char *where_jobs(const struct kx_test_run *r)
{
	unsigned long jobs = 0, remote = 0;
	size_t i, k;

	if (!r->distcc_hosts && !r->icecc)
		return NULL;
	for (i = 0; i < r->nr; i++)
		for (k = 0; k < r->steps_nr; k++)
			if (!r->commits[i].steps[k].recorded) {
				jobs += r->commits[i].steps[k].jobs;
				remote += r->commits[i].steps[k].remote_jobs;
			}
	if (r->icecc)
		return kx_xasprintf("%lu of %lu compile jobs sent away by icecream's scheduler",
				    remote, jobs);
	return kx_xasprintf("%lu of %lu compile jobs on %u distcc host%s (-j%u)",
			    remote, jobs, r->hosts, r->hosts == 1 ? "" : "s",
			    r->make_jobs);
}

/*
 * The run's notes, and what a pass means (only where something passed);
 * arg is the series as the user named it (NULL: none), for a command line
 * to paste.
 */
static void run_notes(const struct kx_test_run *r, const char *arg,
		      struct kx_strlist *out)
{
	struct kx_buf b = KX_BUF_INIT;
	size_t i, k, passed = 0;

	for (i = 0; i < r->notes.nr; i++)
		kx_strlist_add(out, r->notes.items[i]);
	for (i = 0; i < r->nr; i++)
		passed += r->commits[i].status == KX_TEST_PASS;
	if (r->steps[0].build == KX_BUILD_COMPILED && passed)
		kx_strlist_add(out, "each commit that passes was configured and arch/x86/kvm/ compiled, not linked");
	if (r->steps[0].build == KX_BUILD_LINKED && passed) {
		kx_buf_adds(&b, "each commit that passes was configured and kvm.ko, "
			    "kvm-intel.ko and kvm-amd.ko built and linked (");
		for (k = 0; k < r->steps_nr; k++)
			if (r->steps[k].config)
				kx_buf_addf(&b, "%s%s", k ? ", " : "",
					    r->steps[k].config->name);
		kx_buf_adds(&b, ")");
		kx_strlist_add(out, b.buf);
		kx_buf_release(&b);
	}
	/* the record is the command's shell words: pasted back, the same argv */
	if (r->steps[0].build == KX_BUILD_COMMAND && !r->kernel) {
		char *word = arg ? kx_shell_word(arg) : NULL;

		kx_strlist_addf(out, "the command is not declared a build (--build, kvmx86.buildCommand): the testing statement says it ran, not that the series builds; if it is one: kvmx86 test --build %s%s-- %s",
				word ? word : "", word ? " " : "",
				r->steps[0].record);
		free(word);
	}
}

static void print_summary(const struct kx_test_run *r, const char *arg,
			  long first, bool stopped)
{
	struct kx_strlist notes = KX_STRLIST_INIT;
	size_t i, counts[4] = { 0 };
	char *statement, *where;

	for (i = 0; i < r->nr; i++)
		counts[r->commits[i].status]++;
	kx_out_printf(stdout, "%zu commit%s: %zu pass, %zu fail, %zu error, %zu skipped\n", r->nr,
		      r->nr == 1 ? "" : "s",
		      counts[KX_TEST_PASS], counts[KX_TEST_FAIL], counts[KX_TEST_ERROR],
		      counts[KX_TEST_SKIPPED]);
	if (first >= 0)
		kx_out_printf(stdout, "first failure: %.12s %s: the series is not bisectable\n",
			      r->commits[first].id, r->commits[first].subject);
	/* a failure found does not say the rest was not run */
	if (stopped)
		kx_out_printf(stdout, "interrupted: run the same command again to resume\n");
	else if (first < 0 && !counts[KX_TEST_ERROR])
		kx_out_printf(stdout, "every commit passes: the series is bisectable for this command\n");
	if ((where = where_jobs(r)))
		kx_out_printf(stdout, "%s\n", where);
	free(where);
	run_notes(r, arg, &notes);
	for (i = 0; i < notes.nr; i++)
		kx_out_printf(stdout, "note: %s\n", notes.items[i]);
	kx_strlist_release(&notes);
	if (!(statement = kx_test_run_statement(r)))
		statement = statement_of(r);
	kx_out_printf(stdout, "testing statement:\n");
	kx_out_text(stdout, statement);
	kx_out_printf(stdout, "\n");
	free(statement);
}

static void print_json(const struct kx_test_run *r, const char *arg,
		       long first, bool stopped)
{
	json_t *o = json_object(), *list = json_array();
	json_t *configs = json_array();
	size_t i, k;
	char *statement;

	for (i = 0; i < r->nr; i++) {
		const struct kx_test_commit *t = &r->commits[i];
		const struct kx_kernel_config *failed = t->step >= 0 ?
			r->steps[t->step].config : NULL;
		json_t *steps = json_array();

		for (k = 0; k < r->steps_nr; k++) {
			const struct kx_test_stepdef *s = &r->steps[k];

			enum kx_test_status st = t->steps[k].status;
			/* an exit status only for a command that ran and ended */
			bool ran = st == KX_TEST_PASS || st == KX_TEST_FAIL;

			json_array_append_new(steps, json_pack("{s:s, s:s?, s:s, s:s, s:o, s:f, s:b}",
				"kind", s->kind,
				"config", s->config ? s->config->name : NULL,
				"build", kx_test_build_name(s->build),
				"status", kx_test_status_name(st),
				"exit", ran ? json_integer(t->steps[k].exit_status) : json_null(),
				"seconds", t->steps[k].seconds,
				"recorded", t->steps[k].recorded));
		}
		json_array_append_new(list, json_pack("{s:s, s:o, s:s, s:f, s:o, s:b, s:o, s:s?, s:o}",
			"commit", t->id, "subject", kx_out_json_str(t->subject),
			"status", kx_test_status_name(t->status),
			"seconds", t->seconds, "log", kx_out_json_str(t->log),
			"recorded", t->recorded, "error", kx_out_json_str(t->error),
			"config", failed ? failed->name : NULL, "steps", steps));
	}
	for (k = 0; k < r->steps_nr; k++)
		if (r->steps[k].config)
			json_array_append_new(configs,
					      json_string(r->steps[k].config->name));
	if (!(statement = kx_test_run_statement(r)))
		statement = statement_of(r);
	json_object_set_new(o, "results", list);
	json_object_set_new(o, "first_failure",
			    first >= 0 ? json_string(r->commits[first].id) : json_null());
	json_object_set_new(o, "interrupted", json_boolean(stopped));
	json_object_set_new(o, "recorded", json_true());
	{
		char *where = where_jobs(r);

		json_object_set_new(o, "compile_jobs", kx_out_json_str(where));
		free(where);
	}
	{
		json_t *notes = json_array();
		struct kx_strlist l = KX_STRLIST_INIT;

		run_notes(r, arg, &l);
		for (i = 0; i < l.nr; i++)
			json_array_append_new(notes, kx_out_json_str(l.items[i]));
		kx_strlist_release(&l);
		json_object_set_new(o, "notes", notes);
	}
	json_object_set_new(o, "build", json_string(build_of(r)));
	json_object_set_new(o, "configs", configs);
	json_object_set_new(o, "testing_statement", kx_out_json_str(statement));
	kx_out_json(o, false);
	free(statement);
}

/* A NULL-terminated argv over the words of l, or NULL if there are none. */
static char **argv_of(const struct kx_strlist *l)
{
	char **argv;

	if (!l->nr)
		return NULL;
	argv = kx_xcalloc(l->nr + 1, sizeof(*argv));
	memcpy(argv, l->items, l->nr * sizeof(*argv));
	return argv;
}

/* --forget, --forget-all: the records only, no worktree. */
static int forget(struct kx_test_run *r, bool all)
{
	size_t n;

	if (kx_test_forget(r, all, &n) < 0)
		return kx_out_fatal();
	if (all)
		kx_out_printf(stdout, "forgot %zu recorded result%s of this repository\n",
			      n, n == 1 ? "" : "s");
	else
		kx_out_printf(stdout, "forgot %zu recorded result%s of the %zu commit%s of the series\n",
			      n, n == 1 ? "" : "s", r->nr, r->nr == 1 ? "" : "s");
	return KX_EXIT_OK;
}

int cmd_test(int argc, char **argv)
{
	struct test_opts o = { 0 };
	char **selftests = NULL, **kut = NULL;
	struct kx_series_query q = { 0 };
	struct kx_resolved s;
	struct kx_test_run r;
	struct live live = { 0 };
	struct sigaction sa, old_int, old_term;
	long first, cpus;
	size_t i;
	int ret;

	/* 1: --help was printed; else 0 or a usage error's status */
	if ((ret = parse_argv(&o, argc, argv))) {
		kx_strlist_release(&o.selftests);
		kx_strlist_release(&o.kut);
		return ret == 1 ? KX_EXIT_OK : ret;
	}
	memset(&r, 0, sizeof(r));
	memset(&s, 0, sizeof(s));
	q.arg = o.arg;
	if (kx_series_resolve(&s, &q) < 0 || kx_test_open(&r, &s) < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	for (i = 0; i < s.notes.nr; i++)
		kx_out_printf(stderr, "note: %s\n", s.notes.items[i]);
	if (o.forget || o.forget_all) {
		ret = forget(&r, o.forget_all);
		goto done;
	}
	if (!o.argv && !o.kernel && not_utf8(r.build_command)) {
		kx_error_set(KX_EINVALID, "bad config value for 'kvmx86.buildCommand': word '%s' is not UTF-8, which the results (JSON) cannot record",
			     not_utf8(r.build_command));
		ret = kx_out_fatal();
		goto done;
	}
	if (!o.argv && !o.kernel && !r.build_command) {
		ret = kx_out_usage_error(kx_cmd_find("test"),
					 "no command: give it after '--', e.g. kvmx86 test --build -- make, or set kvmx86.buildCommand");
		goto done;
	}
	r.argv = (const char *const *)o.argv;
	r.jobs = o.jobs;
	r.rerun = o.rerun;
	r.kernel = o.kernel;
	r.matrix = o.matrix;
	r.no_link = o.no_link;
	r.declared_build = o.build;
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	/* the jobs share the CPUs */
	r.make_jobs = cpus > (long)o.jobs ? (unsigned)(cpus / (long)o.jobs) : 1;
	selftests = argv_of(&o.selftests);
	kut = argv_of(&o.kut);
	r.selftests = (const char *const *)selftests;
	r.kut = (const char *const *)kut;
	live.r = &r;
	/* --json too: its object comes at the end, the progress line meanwhile */
	live.tty = isatty(STDERR_FILENO);
	live.dumb = !getenv("TERM") || !strcmp(getenv("TERM"), "dumb");
	live.color = kx_out_color(stdout);
	r.progress = progress;
	r.progress_data = &live;
	if (!o.json)
		r.on_commit = on_commit;

	/* no SA_RESTART: waitpid() must return to notice the interrupt */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	ret = kx_test_execute(&r, &interrupted);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	clear_progress(&live);
	if (ret < 0) {
		ret = kx_out_fatal();
		goto done;
	}
	first = kx_test_first_failure(&r);
	if (o.json) {
		print_json(&r, o.arg, first, interrupted);
	} else {
		/* the interrupted ones had no line yet */
		for (i = 0; i < r.nr; i++)
			if (r.commits[i].status == KX_TEST_SKIPPED)
				print_commit(&r, i, live.color);
		print_summary(&r, o.arg, first, interrupted);
	}
	ret = KX_EXIT_OK;
	for (i = 0; i < r.nr; i++)
		if (r.commits[i].status == KX_TEST_FAIL || r.commits[i].status == KX_TEST_ERROR)
			ret = KX_EXIT_FINDINGS;
	if (interrupted)
		ret = KX_EXIT_INTERRUPTED;
done:
	kx_test_close(&r);
	kx_resolved_release(&s);
	free(selftests);
	free(kut);
	kx_strlist_release(&o.selftests);
	kx_strlist_release(&o.kut);
	return ret;
}
