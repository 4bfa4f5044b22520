// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tree and blob diffs that stay fast on a kernel tree: libgit2 1.5's
 * git_diff_tree_to_tree() iterates every entry of both trees (78k files,
 * 23 ms a commit on the fixture), and git_patch_from_blobs() reads the
 * whole index for attributes on its first call (260 ms).
 */
#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "io.h"
#include "kvmx86/area.h"
#include "kvmx86/util.h"

static int diff_trees(git_repository *repo, const char *prefix,
		      git_tree *old_tree, git_tree *new_tree,
		      kx_tree_diff_cb cb, void *data);

/* Reports the change of one entry from old_e to new_e (either may be NULL). */
static int diff_entry(git_repository *repo, const char *prefix,
		      const git_tree_entry *old_e, const git_tree_entry *new_e,
		      kx_tree_diff_cb cb, void *data)
{
	const git_tree_entry *e = new_e ? new_e : old_e;
	bool old_tree = old_e && git_tree_entry_type(old_e) == GIT_OBJECT_TREE;
	bool new_tree = new_e && git_tree_entry_type(new_e) == GIT_OBJECT_TREE;
	char *path = kx_xasprintf("%s%s", prefix, git_tree_entry_name(e));
	int error = 0;

	if (old_tree || new_tree) {
		git_tree *ot = NULL, *nt = NULL;
		char *sub = kx_xasprintf("%s/", path);

		if ((!old_tree || (error = kx_git(git_tree_lookup(&ot, repo,
					git_tree_entry_id(old_e)))) >= 0) &&
		    (!new_tree || (error = kx_git(git_tree_lookup(&nt, repo,
					git_tree_entry_id(new_e)))) >= 0))
			error = diff_trees(repo, sub, ot, nt, cb, data);
		git_tree_free(ot);
		git_tree_free(nt);
		free(sub);
		/* a file replaced by a directory, or the other way round */
		old_e = old_tree ? NULL : old_e;
		new_e = new_tree ? NULL : new_e;
	}
	if (error >= 0 && (old_e || new_e) &&
	    git_tree_entry_type(old_e ? old_e : new_e) == GIT_OBJECT_BLOB)
		error = cb(data, path, old_e ? git_tree_entry_id(old_e) : NULL,
			   new_e ? git_tree_entry_id(new_e) : NULL);
	free(path);
	return error;
}

/* Descends only into subtrees whose ids differ. */
static int diff_trees(git_repository *repo, const char *prefix,
		      git_tree *old_tree, git_tree *new_tree,
		      kx_tree_diff_cb cb, void *data)
{
	size_t i, n;
	int error;

	n = old_tree ? git_tree_entrycount(old_tree) : 0;
	for (i = 0; i < n; i++) {
		const git_tree_entry *o = git_tree_entry_byindex(old_tree, i);
		const git_tree_entry *e = new_tree ?
			git_tree_entry_byname(new_tree, git_tree_entry_name(o)) :
			NULL;

		if (e && !git_oid_cmp(git_tree_entry_id(o), git_tree_entry_id(e)) &&
		    git_tree_entry_filemode(o) == git_tree_entry_filemode(e))
			continue;
		if ((error = diff_entry(repo, prefix, o, e, cb, data)) < 0)
			return error;
	}
	n = new_tree ? git_tree_entrycount(new_tree) : 0;
	for (i = 0; i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(new_tree, i);

		if (old_tree &&
		    git_tree_entry_byname(old_tree, git_tree_entry_name(e)))
			continue;
		if ((error = diff_entry(repo, prefix, NULL, e, cb, data)) < 0)
			return error;
	}
	return 0;
}

int kx_tree_diff(git_repository *repo, git_tree *old_tree, git_tree *new_tree,
		 kx_tree_diff_cb cb, void *data)
{
	return diff_trees(repo, "", old_tree, new_tree, cb, data);
}

/* git's default funcname: a line that starts with a letter, '_' or '$' */
static bool funcname_line(const char *line)
{
	return isalpha((unsigned char)*line) || *line == '_' || *line == '$';
}

/*
 * Cuts the lines that a and b share at both ends before diffing: xdiff
 * hashes every line of both buffers first, and a kernel source file is
 * thousands of lines around a change of three (a third of prep --check).
 * Kept: the 3 lines of context, and from the start back to a funcname
 * line, so that each hunk's function context is the one the whole files
 * give (xdiff searches backwards from the hunk for the first such line).
 */
static bool line_start(const char *buf, size_t i)
{
	return !i || buf[i - 1] == '\n';
}

/* Moves i, a line start, to the start of the line before (0 stays 0). */
static size_t line_before(const char *buf, size_t i)
{
	if (i)
		for (i--; !line_start(buf, i); i--)
			;
	return i;
}

/*
 * The bytes a and b share at their starts (forward) or ends, at most n:
 * memcmp() over blocks first, since a kernel file is hundreds of KB
 * around a change of a few lines.
 */
static size_t common_start(const char *a, const char *b, size_t n)
{
	const size_t block = 256;
	size_t i = 0;

	while (n - i >= block && !memcmp(a + i, b + i, block))
		i += block;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

static size_t common_end(const char *a_end, const char *b_end, size_t n)
{
	const size_t block = 256;
	size_t i = 0;

	while (n - i >= block &&
	       !memcmp(a_end - i - block, b_end - i - block, block))
		i += block;
	while (i < n && a_end[-1 - (ptrdiff_t)i] == b_end[-1 - (ptrdiff_t)i])
		i++;
	return i;
}

/*
 * Cuts what a and b share at both ends, keeping `back` lines of the
 * common end.  Returns true if it cut anything at the end.
 */
static bool trim_common(const char **a, size_t *alen, const char **b,
			size_t *blen, size_t back)
{
	const size_t context = 3;
	size_t n = *alen < *blen ? *alen : *blen, pre, suf, cut, k;

	pre = common_start(*a, *b, n);
	if (pre == *alen && pre == *blen)
		return false;
	while (!line_start(*a, pre))
		pre--;
	/* the hunk's leading context, then the line before it, then back
	 * to a funcname line: the first one xdiff's search meets */
	cut = pre;
	for (k = 0; k <= context; k++)
		cut = line_before(*a, cut);
	while (cut && !funcname_line(*a + cut))
		cut = line_before(*a, cut);

	suf = common_end(*a + *alen, *b + *blen, n - pre);
	while (suf && !(line_start(*a, *alen - suf) && line_start(*b, *blen - suf)))
		suf--;
	for (k = 0; suf && k < back; suf--)
		if ((*a)[*alen - suf] == '\n')
			k++;
	while (suf && !line_start(*a, *alen - suf))
		suf--;

	*alen -= suf + cut;
	*blen -= suf + cut;
	*a += cut;
	*b += cut;
	return suf > 0;
}

/* The context lines that end the last hunk of patch. */
static size_t trailing_context(git_patch *patch)
{
	size_t h = git_patch_num_hunks(patch), n = 0;
	int l;

	if (!h)
		return 0;
	for (l = git_patch_num_lines_in_hunk(patch, h - 1) - 1; l >= 0; l--) {
		const git_diff_line *line = NULL;

		git_patch_get_line_in_hunk(&line, patch, h - 1, (size_t)l);
		if (line->origin != GIT_DIFF_LINE_CONTEXT)
			break;
		n++;
	}
	return n;
}

/*
 * Diffs the two buffers as a whole would be diffed, cutting what they
 * share at both ends first.  The common end is the shortest one: xdiff
 * slides an ambiguous insertion (a block that repeats the lines after
 * it) down as far as the following lines allow, so when the last hunk
 * lacks its 3 lines of trailing context, the cut was too close: keep
 * more of the end and diff again.
 */
static int diff_buffers(git_patch **out, size_t *skipped, const char *a,
			size_t alen, const char *b, size_t blen,
			const git_diff_options *opts)
{
	bool text = a && b && !memchr(a, '\0', alen < 8000 ? alen : 8000) &&
		    !memchr(b, '\0', blen < 8000 ? blen : 8000);
	size_t back;
	int error;

	/* binary files stay whole: xdiff's binary test reads the start */
	for (back = 3; text; back *= 8) {
		const char *ta = a, *tb = b;
		size_t tal = alen, tbl = blen;
		bool cut_end = trim_common(&ta, &tal, &tb, &tbl, back);

		if ((error = git_patch_from_buffers(out, ta, tal, NULL, tb, tbl,
						    NULL, opts)) < 0)
			return error;
		if (!cut_end || trailing_context(*out) >= 3) {
			/* the lines cut from the start, for line numbers */
			for (const char *nl = a; (nl = memchr(nl, '\n', (size_t)(ta - nl)));
			     nl++)
				++*skipped;
			return 0;
		}
		git_patch_free(*out);
		*out = NULL;
	}
	return git_patch_from_buffers(out, a, alen, NULL, b, blen, NULL, opts);
}

int kx_buffer_hunks(const char *a, size_t alen, const char *b, size_t blen,
		    kx_hunk_cb cb, void *data)
{
	git_patch *patch = NULL;
	git_diff_options opts;
	struct kx_diff_line *lines = NULL;
	size_t lines_alloc = 0, h, nhunks, skipped = 0;
	int error = 0;

	/* buffers, not blobs: no attributes, no index, no diff driver */
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	if ((error = kx_git(diff_buffers(&patch, &skipped, a, alen, b, blen,
					 &opts))) < 0)
		goto done;
	nhunks = patch ? git_patch_num_hunks(patch) : 0;
	for (h = 0; h < nhunks; h++) {
		int nl = git_patch_num_lines_in_hunk(patch, h), l;
		const git_diff_hunk *hunk = NULL;
		const char *at = "";
		char *header;

		for (l = 0; l < nl; l++) {
			const git_diff_line *line = NULL;

			git_patch_get_line_in_hunk(&line, patch, h, (size_t)l);
			kx_grow((void **)&lines, &lines_alloc, (size_t)l,
				sizeof(*lines));
			lines[l].origin = line->origin;
			lines[l].line = (unsigned)((line->origin == '-' ?
						    line->old_lineno :
						    line->new_lineno) + (int)skipped);
			/* libgit2 keeps the line's newline: kx_diff_line does not */
			lines[l].text = kx_xstrndup(line->content,
						    line->content_len -
						    (line->content_len &&
						     line->content[line->content_len - 1] == '\n'));
		}
		/* "@@ -a,b +c,d @@ int kvm_set_cr0(...)": keep what follows */
		git_patch_get_hunk(&hunk, NULL, patch, h);
		if (hunk && (at = strstr(hunk->header + 2, "@@")))
			at += 2;
		header = kx_xstrndup(at ? at : "", hunk && at ?
				     strcspn(at, "\n") : 0);
		cb(data, header, lines, (unsigned)nl);
		free(header);
		for (l = 0; l < nl; l++)
			free((char *)lines[l].text);
	}
done:
	free(lines);
	git_patch_free(patch);
	return error;
}

int kx_blob_hunks(git_repository *repo, const git_oid *old_id,
		  const git_oid *new_id, kx_hunk_cb cb, void *data)
{
	git_blob *old_blob = NULL, *new_blob = NULL;
	int error;

	if ((old_id && (error = kx_git(git_blob_lookup(&old_blob, repo, old_id))) < 0) ||
	    (new_id && (error = kx_git(git_blob_lookup(&new_blob, repo, new_id))) < 0))
		goto done;
	error = kx_buffer_hunks(old_blob ? git_blob_rawcontent(old_blob) : NULL,
				old_blob ? (size_t)git_blob_rawsize(old_blob) : 0,
				new_blob ? git_blob_rawcontent(new_blob) : NULL,
				new_blob ? (size_t)git_blob_rawsize(new_blob) : 0,
				cb, data);
done:
	git_blob_free(old_blob);
	git_blob_free(new_blob);
	return error;
}
