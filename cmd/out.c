// SPDX-License-Identifier: GPL-2.0-only
#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <jansson.h>

#include "kvmx86.h"
#include "kvmx86/config.h"
#include "kvmx86/error.h"
#include "kvmx86/resolve.h"
#include "kvmx86/safe.h"
#include "kvmx86/suggest.h"
#include "kvmx86/util.h"

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

/* --color[=<when>] or --no-color, the last given; unset: the configuration's */
static enum kx_color_when color_option;

int kx_out_color_option(const struct kx_cmd *cmd, int c, const char *when)
{
	if (c == KX_OPT_NO_COLOR) {
		color_option = KX_COLOR_NEVER;
		return 0;
	}
	if (kx_color_parse_option(&color_option, when) < 0)
		return kx_out_usage_error(cmd, "%s", kx_error_last());
	return 0;
}

/* Did git start kvmx86 with its pager on stdout (git -p, pager.kvmx86)? */
static bool git_pager_in_use(void)
{
	const char *v = getenv("GIT_PAGER_IN_USE");

	/* git_env_bool(): a boolean as git reads one; unset is false */
	return v && kx_config_bool_value(v) == 1;
}

bool kx_out_color(FILE *f)
{
	const struct kx_color_config *cfg = kx_repo_color_config();
	enum kx_color_when when = color_option;
	const char *term = getenv("TERM");
	const char *no_color = getenv("NO_COLOR");
	int fd = fileno(f);

	/*
	 * https://no-color.org: any non-empty NO_COLOR turns colour off, and
	 * (the project's rule: never with NO_COLOR) over --color=always too
	 */
	if (no_color && *no_color)
		return false;
	/* the command line, then color.kvmx86 or color.ui, then auto */
	if (when == KX_COLOR_UNSET)
		when = cfg->when;
	if (when == KX_COLOR_NEVER || when == KX_COLOR_ALWAYS)
		return when == KX_COLOR_ALWAYS;
	/* auto, as git's check_auto_color() */
	if (!term || !strcmp(term, "dumb"))
		return false;
	if (isatty(fd))
		return true;
	/* git's pager stands for the terminal on stdout, unless color.pager */
	return fd == STDOUT_FILENO && cfg->pager && git_pager_in_use();
}

const char *kx_out_sgr(bool color, const char *name)
{
	size_t i;

	if (!color)
		return "";
	for (i = 0; i < sizeof(sgr) / sizeof(sgr[0]); i++)
		if (!strcmp(sgr[i].name, name))
			return sgr[i].seq;
	return "";
}

/* One of kx_out_sgr()'s own sequences: the only escapes printed as they are. */
static bool is_sgr(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(sgr) / sizeof(sgr[0]); i++)
		if (s == sgr[i].seq)
			return true;
	return false;
}

/* Appends the n bytes of s escaped, padded to width as printf pads. */
static void add_padded(struct kx_buf *out, const char *s, size_t n, int width,
		       bool left, bool raw)
{
	struct kx_buf b = KX_BUF_INIT;
	size_t pad;

	if (raw)
		kx_buf_add(&b, s, n);
	else
		kx_buf_add_escaped(&b, s, n, KX_ESCAPE_KEEP_TAB);
	pad = width > 0 && (size_t)width > b.len ? (size_t)width - b.len : 0;
	for (; !left && pad; pad--)
		kx_buf_addc(out, ' ');
	kx_buf_add(out, b.buf, b.len);
	for (; left && pad; pad--)
		kx_buf_addc(out, ' ');
	kx_buf_release(&b);
}

/* snprintf() of one conversion spec (with its '*'s) and one argument. */
#define FORMAT_ONE(buf, spec, star_w, star_p, w, p, arg)		\
	((star_w) && (star_p) ? snprintf(buf, sizeof(buf), spec, w, p, arg) :	\
	 (star_w) ? snprintf(buf, sizeof(buf), spec, w, arg) :			\
	 (star_p) ? snprintf(buf, sizeof(buf), spec, p, arg) :			\
	 snprintf(buf, sizeof(buf), spec, arg))

/*
 * vfprintf() into out, with every %s and %c argument escaped: the format
 * is kvmx86's own text, the arguments may be anyone's.
 */
static void format(struct kx_buf *out, const char *fmt, va_list ap)
{
	while (*fmt) {
		char spec[32], num[512], conv;
		const char *pct = strchr(fmt, '%');
		size_t n = 0;
		int width = 0, prec = -1, len = 0;
		bool star_w = false, star_p = false, left = false;

		if (!pct) {
			kx_buf_adds(out, fmt);
			break;
		}
		kx_buf_add(out, fmt, (size_t)(pct - fmt));
		fmt = pct + 1;
		spec[n++] = '%';
		while (*fmt && strchr("-+ #0", *fmt) && n < 8) {
			left |= *fmt == '-';
			spec[n++] = *fmt++;
		}
		if (*fmt == '*') {
			star_w = true;
			width = va_arg(ap, int);
			if (width < 0) {
				left = true;
				width = -width;
			}
			spec[n++] = *fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9' && n < 16) {
			width = width * 10 + (*fmt - '0');
			spec[n++] = *fmt++;
		}
		if (*fmt == '.') {
			spec[n++] = *fmt++;
			prec = 0;
			if (*fmt == '*') {
				star_p = true;
				prec = va_arg(ap, int);
				spec[n++] = *fmt++;
			}
			while (*fmt >= '0' && *fmt <= '9' && n < 24) {
				prec = prec * 10 + (*fmt - '0');
				spec[n++] = *fmt++;
			}
		}
		/* length: 1 l, 2 ll, 3 z, 4 j, 5 t, 6 L (h and hh read an int) */
		while (*fmt && strchr("hlzjtL", *fmt) && n < 28) {
			len = *fmt == 'l' ? (len == 1 ? 2 : 1) : *fmt == 'z' ? 3 :
			      *fmt == 'j' ? 4 : *fmt == 't' ? 5 : *fmt == 'L' ? 6 : len;
			spec[n++] = *fmt++;
		}
		conv = *fmt;
		if (!conv)
			break;
		fmt++;
		spec[n++] = conv;
		spec[n] = '\0';
		switch (conv) {
		case '%':
			kx_buf_addc(out, '%');
			continue;
		case 's': {
			const char *s = va_arg(ap, const char *);

			if (!s)
				s = "(null)";
			add_padded(out, s, prec >= 0 ? strnlen(s, (size_t)prec) :
				   strlen(s), width, left, is_sgr(s));
			continue;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			add_padded(out, &c, 1, width, left, false);
			continue;
		}
		case 'd':
		case 'i':
			if (len == 1)
				FORMAT_ONE(num, spec, star_w, star_p, width, prec, va_arg(ap, long));
			else if (len == 2)
				FORMAT_ONE(num, spec, star_w, star_p, width, prec, va_arg(ap, long long));
			else if (len == 3)
				FORMAT_ONE(num, spec, star_w, star_p, width, prec, va_arg(ap, ssize_t));
			else if (len == 4)
				FORMAT_ONE(num, spec, star_w, star_p, width, prec, va_arg(ap, intmax_t));
			else if (len == 5)
				FORMAT_ONE(num, spec, star_w, star_p, width, prec, va_arg(ap, ptrdiff_t));
			else
				FORMAT_ONE(num, spec, star_w, star_p, width, prec, va_arg(ap, int));
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			if (len == 1)
				FORMAT_ONE(num, spec, star_w, star_p, width, prec, va_arg(ap, unsigned long));
			else if (len == 2)
				FORMAT_ONE(num, spec, star_w, star_p, width, prec, va_arg(ap, unsigned long long));
			else if (len == 3)
				FORMAT_ONE(num, spec, star_w, star_p, width, prec, va_arg(ap, size_t));
			else if (len == 4)
				FORMAT_ONE(num, spec, star_w, star_p, width, prec, va_arg(ap, uintmax_t));
			else if (len == 5)
				FORMAT_ONE(num, spec, star_w, star_p, width, prec, va_arg(ap, ptrdiff_t));
			else
				FORMAT_ONE(num, spec, star_w, star_p, width, prec, va_arg(ap, unsigned));
			break;
		case 'f':
		case 'F':
		case 'e':
		case 'E':
		case 'g':
		case 'G':
		case 'a':
		case 'A':
			if (len == 6)
				FORMAT_ONE(num, spec, star_w, star_p, width, prec, va_arg(ap, long double));
			else
				FORMAT_ONE(num, spec, star_w, star_p, width, prec, va_arg(ap, double));
			break;
		case 'p':
			FORMAT_ONE(num, spec, star_w, star_p, width, prec, va_arg(ap, void *));
			break;
		default:
			/* not a conversion kvmx86 uses: shown, never interpreted */
			kx_buf_add(out, spec, n);
			continue;
		}
		kx_buf_adds(out, num);
	}
}

static void vprint(FILE *f, const char *fmt, va_list ap)
{
	struct kx_buf out = KX_BUF_INIT;

	format(&out, fmt, ap);
	if (out.len)
		fwrite(out.buf, 1, out.len, f);
	kx_buf_release(&out);
}

void kx_out_printf(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(f, fmt, ap);
	va_end(ap);
}

void kx_out_text(FILE *f, const char *text)
{
	struct kx_buf b = KX_BUF_INIT;

	kx_buf_add_escaped(&b, text, strlen(text),
			   KX_ESCAPE_KEEP_NL | KX_ESCAPE_KEEP_TAB);
	fwrite(b.buf, 1, b.len, f);
	kx_buf_release(&b);
}

void kx_out_raw(FILE *f, const char *text, size_t len)
{
	/* bytes for a file or a pipe; a terminal sees them escaped */
	if (isatty(fileno(f)))
		kx_out_text(f, text);
	else
		fwrite(text, 1, len, f);
}

/* The length of the SGR sequence at s (ESC [ [0-9;]* m), or 0. */
static size_t sgr_length(const char *s)
{
	size_t n = 2;

	if (s[0] != '\033' || s[1] != '[')
		return 0;
	while ((s[n] >= '0' && s[n] <= '9') || s[n] == ';')
		n++;
	return s[n] == 'm' ? n + 1 : 0;
}

void kx_out_colored_text(FILE *f, const char *text)
{
	struct kx_buf b = KX_BUF_INIT;
	const char *p = text;

	while (*p) {
		size_t sgr = sgr_length(p);
		size_t n = strcspn(p, "\033");

		if (sgr) {
			kx_buf_add(&b, p, sgr);
			p += sgr;
			continue;
		}
		/* a lone ESC, or one that starts another sequence: escaped */
		if (!n)
			n = 1;
		kx_buf_add_escaped(&b, p, n, KX_ESCAPE_KEEP_NL | KX_ESCAPE_KEEP_TAB);
		p += n;
	}
	fwrite(b.buf, 1, b.len, f);
	kx_buf_release(&b);
}

void kx_out_prefixed(FILE *f, const char *prefix, const char *text)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		int len = nl ? (int)(nl - text) : (int)strlen(text);

		kx_out_printf(f, "%s%.*s\n", prefix, len, text);
		text += len + (nl ? 1 : 0);
	}
}

json_t *kx_out_json_str(const char *s)
{
	struct kx_buf b = KX_BUF_INIT;
	size_t n, i, len;
	uint32_t cp;
	json_t *j;

	if (!s)
		return json_null();
	n = strlen(s);
	if (kx_utf8_valid(s, n))
		return json_stringn(s, n);
	for (i = 0; i < n; i += len ? len : 1) {
		len = kx_utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (len)
			kx_buf_add(&b, s + i, len);
		else
			kx_buf_adds(&b, "\xef\xbf\xbd");	/* U+FFFD */
	}
	j = json_stringn(b.buf, b.len);
	kx_buf_release(&b);
	return j;
}

void kx_out_json(json_t *o, bool compact)
{
	size_t flags = compact ? 0 : JSON_INDENT(2) | JSON_PRESERVE_ORDER;
	char *text = o ? json_dumps(o, flags) : NULL;
	const char *p;

	if (!text) {
		/* jansson fails only for want of memory: as kx_xmalloc() */
		fputs("fatal: out of memory\n", stderr);
		abort();
	}
	for (p = text; *p; p++) {
		/* outside strings JSON is ASCII: a C2 80-9F pair, a DEL, is in one */
		if ((unsigned char)p[0] == 0xc2 && (unsigned char)p[1] >= 0x80 &&
		    (unsigned char)p[1] <= 0x9f) {
			fprintf(stdout, "\\u%04x", (unsigned char)p[1]);
			p++;
		} else if (*p == 0x7f) {
			fputs("\\u007f", stdout);
		} else {
			putc(*p, stdout);
		}
	}
	putc('\n', stdout);
	free(text);
	json_decref(o);
}

int kx_out_fatal(void)
{
	bool color = kx_out_color(stderr);

	kx_out_printf(stderr, "%sfatal:%s %s\n", kx_out_sgr(color, "red"),
		      kx_out_sgr(color, "reset"), kx_error_last());
	kx_out_prefixed(stderr, "hint: ", kx_error_last_hint());
	return KX_EXIT_FAILURE;
}

int kx_out_usage_error(const struct kx_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	kx_out_printf(stderr, "error: ");
	va_start(ap, fmt);
	vprint(stderr, fmt, ap);
	va_end(ap);
	kx_out_printf(stderr, "\n");
	kx_out_text(stderr, cmd ? cmd->usage : "see 'kvmx86 --help'\n");
	return KX_EXIT_USAGE;
}

/* The long option that arg ("--name" or "--name=value") names, or NULL. */
static const struct option *long_option_of(const char *arg,
					   const struct option *longopts)
{
	const struct option *found = NULL;
	size_t len, prefixes = 0;

	if (!longopts || !kx_starts_with(arg, "--"))
		return NULL;
	arg += 2;
	len = strcspn(arg, "=");
	for (; longopts->name; longopts++) {
		if (strncmp(longopts->name, arg, len))
			continue;
		if (!longopts->name[len])
			return longopts;
		found = longopts;
		prefixes++;
	}
	/* getopt_long takes a unique prefix */
	return prefixes == 1 ? found : NULL;
}

int kx_out_bad_option(const struct kx_cmd *cmd, int c, char **argv,
		      const struct option *longopts)
{
	/* getopt: ':' for a missing value, '?' for an unknown option */
	const char *arg = argv[optind - 1], *meant = NULL;
	const struct option *opt = long_option_of(arg, longopts);
	const char *names[64];
	size_t n = 0;

	/* a long option the user typed: name it so, never by its code */
	if (opt && optopt == opt->val)
		return c == ':' ? kx_out_usage_error(cmd, "option '--%s' needs a value", opt->name) :
				  kx_out_usage_error(cmd, "option '--%s' takes no value", opt->name);
	/*
	 * Else a short one, also inside a group ("-zq"), where getopt has not
	 * moved on and argv[optind - 1] is the word before it.
	 */
	if (optopt > 0)
		return c == ':' ? kx_out_usage_error(cmd, "option '-%c' needs a value", optopt) :
				  kx_out_usage_error(cmd, "unknown option '-%c'", optopt);
	/* getopt_long takes a unique prefix: one of several is none */
	if (kx_starts_with(arg, "--") && longopts) {
		size_t len = strcspn(arg + 2, "="), i;
		struct kx_buf which = KX_BUF_INIT;
		size_t matches = 0;
		int ret;

		for (i = 0; len && longopts[i].name; i++)
			if (!strncmp(longopts[i].name, arg + 2, len)) {
				kx_buf_addf(&which, "%s--%s", matches ? ", " : "",
					    longopts[i].name);
				matches++;
			}
		if (matches > 1) {
			ret = kx_out_usage_error(cmd, "ambiguous option '%.*s': %s",
						 (int)len + 2, arg, which.buf);
			kx_buf_release(&which);
			return ret;
		}
		kx_buf_release(&which);
	}
	/* "--chek" for "--check", as git suggests */
	while (longopts && longopts[n].name && n < ARRAY_SIZE(names)) {
		names[n] = longopts[n].name;
		n++;
	}
	if (kx_starts_with(arg, "--")) {
		char *word = kx_xstrndup(arg + 2, strcspn(arg + 2, "="));

		meant = kx_suggest(word, names, n);
		free(word);
	}
	if (meant)
		return kx_out_usage_error(cmd, "unknown option '%s'; did you mean '--%s'?",
					  arg, meant);
	return kx_out_usage_error(cmd, "unknown option '%s'", arg);
}
