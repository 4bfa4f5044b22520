// SPDX-License-Identifier: GPL-2.0-only
/* kvmx86: the verb table and global options (git and systemd style). */
#include <getopt.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <git2.h>

#include "kvmx86.h"
#include "kvmx86/suggest.h"
#include "kvmx86/util.h"

static const struct kx_cmd commands[] = {
	{ "check-base", cmd_check_base, cmd_check_base_usage,
	  "check that the series is based where the KVM x86 handbook asks" },
	{ "prep", cmd_prep, cmd_prep_usage,
	  "create, adopt and describe a series (cover letter, versions)" },
	{ "send", cmd_send, cmd_send_usage,
	  "make the mails of the series, address them and send them" },
	{ "test", cmd_test, cmd_test_usage,
	  "run a command at every commit of the series (bisectability)" },
};

static const char main_usage[] =
	"usage: kvmx86 [--version] [--help] <command> [<args>]\n"
	"       git kvmx86 <command> [<args>]\n"
	"\n"
	"A submission assistant for the Linux KVM x86 tree.\n"
	"\n"
	"Commands:\n";

/* "'x' is not a kvmx86 command", and the one meant, if it is plain. */
static int unknown_command(const char *name)
{
	const char *names[ARRAY_SIZE(commands) + 1];
	const char *meant;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		names[i] = commands[i].name;
	names[i] = "help";
	meant = kx_suggest(name, names, ARRAY_SIZE(names));
	if (meant)
		return kx_out_usage_error(NULL, "'%s' is not a kvmx86 command; did you mean '%s'?",
					  name, meant);
	return kx_out_usage_error(NULL, "'%s' is not a kvmx86 command", name);
}

const struct kx_cmd *kx_cmd_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void print_main_usage(FILE *f)
{
	size_t i;

	kx_out_text(f, main_usage);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		kx_out_printf(f, "   %-12s %s\n", commands[i].name, commands[i].summary);
	kx_out_text(f, "\n'kvmx86 help <command>' or 'kvmx86 <command> --help' shows a command's options;\n"
		    "man kvmx86-<command> its manual.\n"
		    "\n"
		    "Exit status: 0 clean, 1 findings, 2 interrupted (re-run resumes),\n"
		    "128 failure, 129 bad usage.\n");
}

/*
 * The libgit2 in use: the version of the library running (a system one
 * may have been updated since the build) and how this build got it.
 */
static void print_version(void)
{
	int major, minor, rev;

	kx_out_printf(stdout, "kvmx86 %s\n", KX_VERSION);
	if (git_libgit2_version(&major, &minor, &rev) == 0)
		kx_out_printf(stdout, "libgit2 %d.%d.%d (%s)\n", major, minor, rev,
			      KX_LIBGIT2_DESC);
}

static int cmd_help(int argc, char **argv)
{
	const struct kx_cmd *cmd;

	if (argc < 2) {
		print_main_usage(stdout);
		return KX_EXIT_OK;
	}
	cmd = kx_cmd_find(argv[1]);
	if (!cmd)
		return unknown_command(argv[1]);
	kx_out_text(stdout, cmd->usage);
	return KX_EXIT_OK;
}

/*
 * Reading a kernel file through a pack's delta chain makes libgit2
 * allocate a buffer of hundreds of KB per delta, and keep up to 16 MB of
 * them as delta bases.  Each comes from mmap() or from heap memory that
 * glibc has just grown or trimmed: fresh pages, thousands of page faults
 * for one series.  So large blocks stay on the heap, the heap is not
 * trimmed, and it grows once, by HEAP_RESERVE, as transparent huge pages
 * where the kernel gives them on request (transparent_hugepage=madvise;
 * "always" does so anyway, "never" ignores the advice).  The reserve is
 * address space: a page is touched only when a block uses it.
 */
#define HEAP_RESERVE ((size_t)24 << 20)

static void heap_setup(void)
{
#if defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
	/* glibc's largest mmap threshold, above the reserve */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
#ifdef MADV_HUGEPAGE
	{
		const uintptr_t huge = (uintptr_t)2 << 20;
		char *p = malloc(HEAP_RESERVE);
		uintptr_t start, end;

		if (!p)
			return;
		start = ((uintptr_t)p + huge - 1) & ~(huge - 1);
		end = ((uintptr_t)p + HEAP_RESERVE) & ~(huge - 1);
		if (end > start)
			madvise((void *)start, end - start, MADV_HUGEPAGE);
		/* the top of the heap now, where the next blocks come from */
		free(p);
	}
#endif
#endif
}

/* ret, unless what went to stdout could not all be written (as git: 128). */
static int output_written(int ret)
{
	if (fflush(stdout) || ferror(stdout)) {
		kx_out_printf(stderr, "fatal: could not write the output\n");
		return KX_EXIT_FAILURE;
	}
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const struct kx_cmd *cmd;
	int c, ret;

	/* "+": stop at the first non-option, the command */
	while ((c = getopt_long(argc, argv, "+hV", options, NULL)) != -1) {
		switch (c) {
		case 'h':
			print_main_usage(stdout);
			return output_written(KX_EXIT_OK);
		case 'V':
			print_version();
			return output_written(KX_EXIT_OK);
		default:
			print_main_usage(stderr);
			return KX_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		print_main_usage(stderr);
		return KX_EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	if (!strcmp(argv[0], "help"))
		return output_written(cmd_help(argc, argv));
	cmd = kx_cmd_find(argv[0]);
	if (!cmd)
		return unknown_command(argv[0]);

	kx_trace("start");
	heap_setup();
	git_libgit2_init();
	kx_trace("libgit2 initialised");
	/*
	 * Reads as git does, without re-hashing every object: 1.7x to 6x
	 * the instructions of a --check otherwise (docs/benchmarks.md).
	 * Blobs are not kept in libgit2's object cache: its delta-base
	 * cache already holds what the next patch reads (2% on a packed
	 * kernel tree).
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	optind = 0;	/* glibc: 0 re-initialises getopt for the command */
	ret = cmd->fn(argc, argv);
	git_libgit2_shutdown();
	return output_written(ret);
}
