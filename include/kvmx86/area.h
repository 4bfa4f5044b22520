/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a changed path belongs to, and what kind of change a diff line is:
 * the facts behind the handbook's "truly multi-arch" test.  Pure code.
 */
#ifndef KVMX86_AREA_H
#define KVMX86_AREA_H

#include <stdbool.h>

/* Ordered by weight: a commit's area is the heaviest area it touches. */
enum kx_area {
	KX_AREA_NON_KVM = 0,	/* outside KVM (tip rules for arch/x86) */
	KX_AREA_SELFTESTS,	/* KVM selftests for x86 and the generic library */
	KX_AREA_X86,		/* KVM x86 host code, its headers and docs */
	KX_AREA_COMMON,		/* common KVM code shared by every architecture */
	KX_AREA_OTHER_ARCH,	/* another architecture's KVM code or selftests */
};

/* Returns the area of a repository-relative path. */
enum kx_area kx_area_of_path(const char *path);

/* Returns the area's name as used in output: "x86", "common", ... */
const char *kx_area_name(enum kx_area area);

/* What one added or removed line changes, from least to most substantive. */
enum kx_line_kind {
	KX_LINE_BLANK = 0,	/* empty or whitespace only */
	KX_LINE_COMMENT,	/* a comment line */
	KX_LINE_DEFINE,		/* a #define added to the KVM uapi header */
	KX_LINE_DECL,		/* a declaration in a header */
	KX_LINE_RENAME,		/* one of a -/+ pair that only renames identifiers */
	KX_LINE_LOGIC,		/* anything else: new or changed logic */
	KX_LINE__COUNT
};

/* Returns the kind's name as used in output: "comment", "logic", ... */
const char *kx_line_kind_name(enum kx_line_kind kind);

/* One line of a diff hunk, as libgit2 reports it. */
struct kx_diff_line {
	char origin;		/* '+', '-' or ' ' */
	const char *text;	/* without the newline */
	unsigned line;		/* in the new file ('+', ' '), the old ('-'); 0: unknown */
};

/*
 * Classifies the added and removed lines of one hunk of path into kinds[]
 * (one kind per line, ' ' lines get KX_LINE_BLANK and are not counted) and
 * adds the counts to counts[KX_LINE__COUNT].
 */
void kx_classify_hunk(const char *path, const struct kx_diff_line *lines,
		      unsigned nr, unsigned counts[KX_LINE__COUNT]);

/* Returns true if two lines differ only by identifiers renamed. */
bool kx_lines_are_rename(const char *old_line, const char *new_line);

#endif
