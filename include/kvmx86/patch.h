/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A commit as the rules see it: its message and what its diff adds.  io/
 * fills it from a repository, tests from literal strings.
 */
#ifndef KVMX86_PATCH_H
#define KVMX86_PATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/area.h"
#include "kvmx86/util.h"

struct kx_patch_file {
	char *path;
	enum kx_area area;
	bool created, deleted;
	struct kx_strlist added;	/* the text of the '+' lines */
	/* added_line[i]: added.items[i]'s line in the new file (i <
	 * added_line_nr); those without one are unknown */
	unsigned *added_line;
	size_t added_line_nr, added_line_alloc;
	struct kx_strlist removed;	/* the text of the '-' lines */
	struct kx_strlist context;	/* hunk headers: the enclosing lines */
};

struct kx_patch {
	char id[41];
	char *subject;		/* the first line of the message */
	char *body;		/* everything after the subject's blank line */
	char *author_name, *author_email;
	struct kx_patch_file *files;
	size_t files_nr, files_alloc;
};

/* Sets every field of p to empty. */
void kx_patch_init(struct kx_patch *p);

/* Sets subject and body from a whole commit message. */
void kx_patch_set_message(struct kx_patch *p, const char *message);

/* Appends a file (area from the path); returns it (owned by p). */
struct kx_patch_file *kx_patch_add_file(struct kx_patch *p, const char *path);

/* Appends an added line of f and its line number in the new file. */
void kx_patch_file_add_line(struct kx_patch_file *f, const char *text,
			    unsigned line);

/* Returns the new file's line of f's i-th added line, or 0 if unknown. */
unsigned kx_patch_file_line(const struct kx_patch_file *f, size_t i);

/* Frees what p owns. */
void kx_patch_release(struct kx_patch *p);

/* A "Key: value" trailer of the message's last paragraph. */
struct kx_trailer {
	char *key;		/* as written, e.g. "Signed-off-by" */
	char *value;
};

struct kx_trailers {
	struct kx_trailer *items;
	size_t nr, alloc;
};
#define KX_TRAILERS_INIT { NULL, 0, 0 }

/*
 * Parses the trailers of body: the lines of its last paragraph that look
 * like "Token: value" (token of letters, digits and '-').  The paragraph
 * counts only if every line is a trailer or an indented continuation.
 */
void kx_trailers_parse(struct kx_trailers *out, const char *body);

/* Frees the trailers. */
void kx_trailers_release(struct kx_trailers *t);

/*
 * Returns message with the trailer "key: value" added (caller frees), or
 * NULL if its trailers already hold it (key compared ignoring case).  It
 * goes into the trailer block (the last paragraph above a "---" line, see
 * kx_message_cut(), as kx_trailers_parse() finds it) before the first
 * Signed-off-by: naming signer (an email; NULL: any), so that the sign-off
 * stays last, else at the block's end; without a block, in a new last
 * paragraph.  The "---" line and what follows it stay as they are; the
 * result ends with one newline.
 */
char *kx_message_add_trailer(const char *message, const char *key,
			     const char *value, const char *signer);

/*
 * Returns the length of message above its "---" line (a line of "---"
 * and a blank, not the subject), where git am cuts it: the notes below
 * it are no part of the commit applied.  Its length if it has none.
 */
size_t kx_message_cut(const char *message);

/*
 * Returns message with "key: value" at the end of its trailer block (a new
 * last paragraph without one), where b4 puts the trailers it collects;
 * NULL if the block holds it already.  Caller frees.
 */
char *kx_message_append_trailer(const char *message, const char *key,
				const char *value);

/*
 * Facts from outside the commit that some rules need; io/ provides them,
 * tests supply their own.  Any member may be NULL: the rule that needs it is
 * then skipped.
 */
/* What a passing kvmx86 test step proves about the build. */
enum kx_test_build {
	KX_BUILD_COMMAND,	/* a command of the user's: it ran, no more */
	KX_BUILD_DECLARED,	/* a command the user declares a build
				   (kvmx86.buildCommand, --build) */
	KX_BUILD_COMPILED,	/* --kernel --no-link: arch/x86/kvm/ compiled */
	KX_BUILD_LINKED,	/* --kernel: kvm.ko, kvm-intel.ko and
				   kvm-amd.ko linked */
};

/* Returns "command", "build", "compiled" or "linked". */
const char *kx_test_build_name(enum kx_test_build b);

/* Returns the level called name; anything else is KX_BUILD_COMMAND. */
enum kx_test_build kx_test_build_parse(const char *name);

/* A result `kvmx86 test` recorded for a commit (state.test_results). */
struct kx_test_record {
	const char *commit;		/* 40-hex */
	const char *command;
	const char *kind;		/* "command", "selftests", "kvm-unit-tests" */
	bool pass;
	const char *config;		/* --kernel's configuration, or NULL */
	enum kx_test_build build;
	/* what its .config showed of the options asked for, "KVM=m ..." */
	const char *options;
	/* compile jobs spread by "distcc" or "icecc" (else NULL) */
	const char *via;
	unsigned long jobs, remote_jobs;	/* compile jobs, sent away */
	unsigned hosts;			/* hosts they could go to */
};

struct kx_rule_env {
	/*
	 * Looks up a commit by (abbreviated) id: returns 1 and its subject in
	 * *subject (caller frees) if it exists, 0 if not, -1 if ambiguous.
	 */
	int (*lookup_commit)(void *data, const char *hex, char **subject);
	void *data;
	/* Message-ids of earlier versions of this series (from the state). */
	const struct kx_strlist *sent_msgids;
	/* The series' subject prefixes, "RFC", "RESEND"... (from the state). */
	const struct kx_strlist *prefixes;
	/* What kvmx86 test recorded for commits of the series, if anything. */
	const struct kx_test_record *tests;
	size_t tests_nr;
	/*
	 * The topic from history for commit (hex id), whose files leave it
	 * ambiguous: the majority 'KVM: <topic>:' prefix of the latest
	 * commits touching paths (caller frees), with *reason (caller
	 * frees), or NULL.
	 */
	char *(*history_topic)(void *data, const char *commit,
			       const struct kx_strlist *paths, char **reason);
	void *history_data;
	/*
	 * Whether the n bytes at name name a function of KVM's code in the
	 * tree the series sits on (function-parens: names the diff does not
	 * touch).
	 */
	bool (*is_function)(void *data, const char *name, size_t n);
	void *function_data;
	/* The version being prepared (the state's), 0 without a state. */
	unsigned revision;
	/*
	 * The versions sent (the state's sent[]), in its order, and the
	 * message-id each is linked by (its cover letter's, else its first
	 * mail's; NULL when none is recorded).
	 */
	const unsigned *sent_revisions;
	const char *const *sent_link_msgids;
	size_t sent_revisions_nr;
	/*
	 * For a series tagged RESEND: the version it is compared with
	 * (resend_of, the sent one of the revision being prepared, else the
	 * last sent), the patch-ids (40-hex) of that version's commits as
	 * sent, oldest first, and those of the series' patches, one each in
	 * order ("" for a patch with an empty diff); NULL when not known.
	 */
	unsigned resend_of;
	const struct kx_strlist *sent_patch_ids;
	const struct kx_strlist *patch_ids;
};

#endif
