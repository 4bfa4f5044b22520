// SPDX-License-Identifier: GPL-2.0-only
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kvmx86.h"
#include "kvmx86/error.h"

bool kx_out_color(FILE *f)
{
	const char *term = getenv("TERM");
	const char *no_color = getenv("NO_COLOR");

	/* https://no-color.org: any non-empty NO_COLOR turns colour off */
	if (no_color && *no_color)
		return false;
	if (!term || !strcmp(term, "dumb"))
		return false;
	return isatty(fileno(f));
}

const char *kx_out_sgr(bool color, const char *name)
{
	static const struct {
		const char *name, *seq;
	} sgr[] = {
		{ "reset", "\033[m" },
		{ "bold", "\033[1m" },
		{ "red", "\033[1;31m" },
		{ "green", "\033[32m" },
		{ "yellow", "\033[33m" },
		{ "cyan", "\033[36m" },
	};
	size_t i;

	if (!color)
		return "";
	for (i = 0; i < sizeof(sgr) / sizeof(sgr[0]); i++)
		if (!strcmp(sgr[i].name, name))
			return sgr[i].seq;
	return "";
}

void kx_out_prefixed(FILE *f, const char *prefix, const char *text)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		int len = nl ? (int)(nl - text) : (int)strlen(text);

		fprintf(f, "%s%.*s\n", prefix, len, text);
		text += len + (nl ? 1 : 0);
	}
}

int kx_out_fatal(void)
{
	bool color = kx_out_color(stderr);

	fprintf(stderr, "%sfatal:%s %s\n", kx_out_sgr(color, "red"),
		kx_out_sgr(color, "reset"), kx_error_last());
	kx_out_prefixed(stderr, "hint: ", kx_error_last_hint());
	return KX_EXIT_FAILURE;
}

int kx_out_usage_error(const struct kx_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd)
		fputs(cmd->usage, stderr);
	else
		fputs("see 'kvmx86 --help'\n", stderr);
	return KX_EXIT_USAGE;
}

int kx_out_bad_option(const struct kx_cmd *cmd, int c, char **argv)
{
	/* getopt: ':' for a missing value, '?' for an unknown option */
	bool is_short = optopt > 0 && optopt < 0x100;	/* long ones are 0x100+ */

	if (c == ':')
		return is_short ? kx_out_usage_error(cmd, "option '-%c' needs a value", optopt) :
				  kx_out_usage_error(cmd, "option '%s' needs a value",
						     argv[optind - 1]);
	if (is_short)
		return kx_out_usage_error(cmd, "unknown option '-%c'", optopt);
	return kx_out_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}
