/* SPDX-License-Identifier: GPL-2.0-only */
/* The command layer: the only code that prints or exits. */
#ifndef KVMX86_CMD_H
#define KVMX86_CMD_H

#include <stdbool.h>
#include <stdio.h>

/* Exit statuses shared by every command. */
enum {
	KX_EXIT_OK = 0,
	KX_EXIT_FINDINGS = 1,
	KX_EXIT_INTERRUPTED = 2,
	KX_EXIT_FAILURE = 128,
	KX_EXIT_USAGE = 129,
};

struct kx_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;	/* the synopsis and options, for --help */
	const char *summary;
};

/* Returns the command called name, or NULL. */
const struct kx_cmd *kx_cmd_find(const char *name);

int cmd_check_base(int argc, char **argv);
extern const char cmd_check_base_usage[];
int cmd_prep(int argc, char **argv);
extern const char cmd_prep_usage[];
int cmd_send(int argc, char **argv);
extern const char cmd_send_usage[];
int cmd_test(int argc, char **argv);
extern const char cmd_test_usage[];

/* prep --reorder [--dry-run] [rev] (prep_reorder.c); returns the exit status. */
int kx_prep_reorder(const char *rev, bool dry_run);

/*
 * Returns true if output to f is coloured: never with a non-empty
 * NO_COLOR; else as --color/--no-color say, else color.kvmx86 or
 * color.ui (kx_repo_color_config()), else auto: TERM set and not dumb,
 * and f a terminal, or stdout git's pager (GIT_PAGER_IN_USE, color.pager).
 */
bool kx_out_color(FILE *f);

/* The option codes of --color[=<when>] and --no-color, in every command. */
enum {
	KX_OPT_COLOR = 0x1000,
	KX_OPT_NO_COLOR,
};

/* Their rows of a command's getopt_long() table. */
#define KX_OUT_COLOR_OPTIONS						\
	{ "color", optional_argument, NULL, KX_OPT_COLOR },		\
	{ "no-color", no_argument, NULL, KX_OPT_NO_COLOR }

/* Their usage lines (the options column 22 wide, as most commands have it). */
#define KX_OUT_COLOR_USAGE						\
	"    --color[=<when>]  colour always, never or auto (default: color.kvmx86,\n" \
	"                      else color.ui, else auto); never with NO_COLOR set\n" \
	"    --no-color        the same as --color=never\n"

/*
 * Takes --color[=<when>] (c KX_OPT_COLOR, when NULL for a bare --color)
 * or --no-color (KX_OPT_NO_COLOR) for the whole run, the last one
 * winning.  Returns 0, or 129 after saying that <when> is bad.
 */
int kx_out_color_option(const struct kx_cmd *cmd, int c, const char *when);

/* Returns the escape sequence for name ("red", "bold", "reset"...) or "". */
const char *kx_out_sgr(bool color, const char *name);

/*
 * The one way kvmx86 prints text.  Prints fmt on f as fprintf() does, but
 * every %s and %c argument is shown with its control characters escaped
 * (kx_buf_add_escaped(); TAB kept): text from commits, configuration,
 * lore or a state file never moves the cursor, clears the screen, rings,
 * retitles the window or writes the clipboard.  fmt itself is kvmx86's
 * own, and so are kx_out_sgr()'s sequences, which pass as they are.
 */
void kx_out_printf(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prints text of several lines (a cover letter), escaped; LF and TAB kept. */
void kx_out_text(FILE *f, const char *text);

struct json_t;
/*
 * Returns a new JSON string of s, or JSON null for NULL; never NULL (but
 * out of memory).  Each byte of s that is not UTF-8 (a file name, a
 * command word, a cut quote) becomes U+FFFD: jansson refuses such a
 * string, and the key, the entry or the whole object went missing.
 */
struct json_t *kx_out_json_str(const char *s);

/*
 * Prints o on stdout as one JSON document and a newline (indented unless
 * compact), and takes the reference.  A C1 control (U+0080-U+009F), which
 * jansson writes as it is and a terminal obeys (U+009B is CSI), is written
 * \u0080..., DEL \u007f: the same JSON.
 */
void kx_out_json(struct json_t *o, bool compact);

/* Prints "fatal: <last error>" and its hint lines; returns 128. */
int kx_out_fatal(void);

/* Prints "error: <message>" and "usage" guidance for cmd; returns 129. */
int kx_out_usage_error(const struct kx_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct option;
/*
 * Reports getopt_long's ':' or '?' for argv as bad usage, naming the long
 * option of longopts that was likely meant; returns 129.
 */
int kx_out_bad_option(const struct kx_cmd *cmd, int c, char **argv,
		      const struct option *longopts);

/* Prints each line of text on f after prefix ("hint: "). */
/*
 * Writes the len bytes of text as they are (an mbox on standard output),
 * unless f is a terminal: then as kx_out_text() does, escaped.
 */
void kx_out_raw(FILE *f, const char *text, size_t len);

void kx_out_prefixed(FILE *f, const char *prefix, const char *text);

/*
 * Prints the output of a program that colours it (git range-diff --color)
 * as kx_out_text() does, but for its SGR sequences (ESC [ digits and ';'
 * then 'm'), which pass: colour stays, and nothing in it moves the cursor,
 * clears the screen or retitles the window (a commit's ESC or CR).
 */
void kx_out_colored_text(FILE *f, const char *text);

/* The series range that prep --show-info prints (hex ids). */
struct kx_info_range {
	const char *base, *start, *end, *from;
};

struct kx_state;

/* Returns true if s is a key of prep --show-info (series-vN included). */
bool kx_info_is_key(const char *s);

/*
 * Returns the --show-info keys that word likely means, quoted ("'revision'"
 * for a misspelling, "'base-branch', 'base-scope' or 'base-commit'" for a
 * key's beginning), or NULL (caller frees).
 */
char *kx_info_suggest(const char *word);

/*
 * Prints prep --show-info's lines (or JSON) for branch; only key's with
 * key.  Returns 0, or -1 (printing nothing) if the series has no key.
 */
int kx_info_print(const char *branch, const struct kx_state *s,
		  const struct kx_info_range *r, const char *key, bool json);

#endif
