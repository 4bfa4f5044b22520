// SPDX-License-Identifier: GPL-2.0-only
/*
 * sign-probe: signs a mail as kvmx86 send will, for the integration tests
 * (tests/integration/t-sign-patatt.sh).  Not installed.
 *
 *   sign-probe [--time T] [--identity ADDR] [--repeat N] REPO IN OUT
 *   sign-probe --maps
 *
 * Reads patatt.* from REPO's git configuration, loads the key, signs the
 * mail IN (identity: --identity, else patatt.identity or user.email, else
 * mailinfo's address) at time T (default: now) and writes it to OUT.
 * --repeat N signs it N times and prints the time per mail, the first
 * (which loads libcrypto) apart.
 * --maps loads nothing and prints whether libcrypto is mapped: a command
 * that signs nothing must not load it.  Errors go to stderr as "error: ..."
 * and "hint: ...".  Exit: 0 signed, 2 no key configured ("unsigned"), 1
 * error, 129 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <git2.h>

#include "../lib/io/io.h"
#include "kvmx86/error.h"
#include "kvmx86/file.h"
#include "kvmx86/sign.h"

enum { OPT_TIME = 0x100, OPT_IDENTITY, OPT_MAPS, OPT_REPEAT };

static int usage(void)
{
	fputs("usage: sign-probe [--time T] [--identity ADDR] [--repeat N] REPO IN OUT\n"
	      "       sign-probe --maps\n", stderr);
	return 129;
}

static int report(int error)
{
	const char *hint = kx_error_last_hint();

	fprintf(stderr, "%s: %s\n", error == KX_ENOTFOUND ? "unsigned" : "error",
		kx_error_last());
	if (*hint)
		fprintf(stderr, "hint: %s\n", hint);
	return error == KX_ENOTFOUND ? 2 : 1;
}

/* Prints "libcrypto mapped" or "libcrypto not mapped" from /proc/self/maps. */
static int maps(void)
{
	char *text = kx_read_file("/proc/self/maps");
	bool mapped;

	if (!text) {
		perror("/proc/self/maps");
		return 1;
	}
	mapped = strstr(text, "libcrypto") != NULL;
	printf("libcrypto %s\n", mapped ? "mapped" : "not mapped");
	free(text);
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000 + (double)ts.tv_nsec / 1e6;
}

static int write_out(const char *path, const char *s)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(s, 1, strlen(s), f) != strlen(s) || fclose(f)) {
		perror(path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "time", required_argument, NULL, OPT_TIME },
		{ "identity", required_argument, NULL, OPT_IDENTITY },
		{ "maps", no_argument, NULL, OPT_MAPS },
		{ "repeat", required_argument, NULL, OPT_REPEAT },
		{ NULL, 0, NULL, 0 },
	};
	const char *identity = NULL;
	long long t = (long long)time(NULL);
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	struct kx_sign_key *key = NULL;
	char *msg = NULL, *out = NULL;
	size_t len = 0;
	long repeat = 1, i;
	double first = 0, rest = 0;
	int c, error, rc = 1;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case OPT_TIME:
			t = strtoll(optarg, NULL, 10);
			break;
		case OPT_IDENTITY:
			identity = optarg;
			break;
		case OPT_REPEAT:
			repeat = strtol(optarg, NULL, 10);
			if (repeat < 1)
				return usage();
			break;
		case OPT_MAPS:
			return maps();
		default:
			return usage();
		}
	}
	if (argc - optind != 3)
		return usage();

	git_libgit2_init();
	if ((error = kx_git(git_repository_open(&repo, argv[optind]))) < 0 ||
	    (error = kx_git(git_repository_config_snapshot(&cfg, repo))) < 0) {
		rc = report(error);
		goto done;
	}
	if ((error = kx_sign_key_load_at(&key, kx_config_lookup, cfg,
					 git_repository_workdir(repo))) < 0) {
		rc = report(error);
		goto done;
	}
	if (!identity)
		identity = kx_sign_key_identity(key);
	if ((error = kx_file_read(&msg, &len, argv[optind + 1], KX_FILE_MAX)) < 0) {
		rc = report(error);
		goto done;
	}
	for (i = 0; i < repeat; i++) {
		double start = now_ms();

		free(out);
		out = NULL;
		if ((error = kx_sign_mail(&out, msg, len, key, identity, t)) < 0) {
			rc = report(error);
			goto done;
		}
		if (i)
			rest += now_ms() - start;
		else
			first = now_ms() - start;
	}
	if (repeat > 1)
		printf("first %.2f ms, then %.2f ms per mail\n", first,
		       rest / (double)(repeat - 1));
	rc = write_out(argv[optind + 2], out);
	if (!rc)
		printf("signed with %s\n", kx_sign_key_path(key));
done:
	free(out);
	free(msg);
	kx_sign_key_free(key);
	git_config_free(cfg);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}
