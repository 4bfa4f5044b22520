// SPDX-License-Identifier: GPL-2.0-only
/*
 * The launcher's fast path.  Loading libgit2 and its seventeen libraries
 * and initialising it (which parses the system's CA bundle) costs about
 * 16 ms before any work; prep --show-info, run from prompts and scripts,
 * needs none of it when the branch's range cache is current.  Anything
 * unusual (GIT_DIR and friends, another owner, a symbolic branch ref, a
 * stale or missing cache, an unknown key) goes to the full command, which
 * also owns every error message: this path never reports one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kvmx86.h"
#include "kvmx86/cover.h"
#include "kvmx86/coverio.h"
#include "kvmx86/error.h"
#include "kvmx86/rangecache.h"
#include "kvmx86/run.h"
#include "kvmx86/file.h"
#include "kvmx86/statefile.h"
#include "kvmx86/util.h"

static bool owned_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode) && st.st_uid == geteuid();
}

/* Strips one trailing newline; returns false if s had none or more lines. */
static bool one_line(char *s)
{
	size_t n = strcspn(s, "\n");

	if (s[n] != '\n' || s[n + 1])
		return false;
	s[n] = '\0';
	return true;
}

/*
 * Finds the repository as git does in the plain case: a .git directory,
 * or a .git file naming a linked worktree's directory, in the working
 * directory or a parent.  Sets *gitdir and *commondir (ending in '/').
 */
static bool discover(char **gitdir, char **commondir)
{
	char *dir = getcwd(NULL, 0), *slash;
	char *dotgit = NULL, *text = NULL, *common;
	struct stat st;
	bool found = false;

	if (!dir || *dir != '/')
		goto done;
	for (;;) {
		free(dotgit);
		dotgit = kx_xasprintf("%s/.git", strcmp(dir, "/") ? dir : "");
		if (!lstat(dotgit, &st))
			break;
		if (!strcmp(dir, "/"))
			goto done;
		slash = strrchr(dir, '/');
		slash[slash == dir] = '\0';
	}
	if (!owned_dir(dir))
		goto done;
	if (S_ISDIR(st.st_mode)) {
		*gitdir = kx_xasprintf("%s/", dotgit);
	} else if (S_ISREG(st.st_mode) && (text = kx_read_file(dotgit)) &&
		   one_line(text) && kx_starts_with(text, "gitdir: /")) {
		*gitdir = kx_xasprintf("%s/", text + strlen("gitdir: "));
	} else {
		goto done;
	}
	if (!owned_dir(*gitdir)) {
		free(*gitdir);
		goto done;
	}
	free(text);
	text = kx_xasprintf("%scommondir", *gitdir);
	common = kx_read_file(text);
	if (!common) {
		*commondir = kx_xstrdup(*gitdir);
	} else if (one_line(common)) {
		*commondir = *common == '/' ? kx_xasprintf("%s/", common)
					    : kx_xasprintf("%s%s/", *gitdir, common);
	} else {
		free(common);
		free(*gitdir);
		goto done;
	}
	free(common);
	found = true;
done:
	free(text);
	free(dotgit);
	free(dir);
	return found;
}

static bool is_hex40(const char *s)
{
	return strlen(s) == 40 && strspn(s, "0123456789abcdef") == 40;
}

/* The tip of refs/heads/<branch>: the loose ref, else packed-refs. */
static bool branch_tip(char out[41], const char *commondir, const char *branch)
{
	char *path = kx_xasprintf("%srefs/heads/%s", commondir, branch);
	char *text = kx_read_file(path), *line, *want;
	bool found = false;

	free(path);
	if (text) {
		found = one_line(text) && is_hex40(text);
		if (found)
			memcpy(out, text, 41);
		free(text);
		return found;
	}
	path = kx_xasprintf("%spacked-refs", commondir);
	text = kx_read_file(path);
	free(path);
	if (!text)
		return false;
	want = kx_xasprintf(" refs/heads/%s\n", branch);
	for (line = text; *line; ) {
		char *nl = strchr(line, '\n');

		if (!nl)
			break;
		if (nl - line == 40 + (long)strlen(want) - 1 &&
		    !strncmp(line + 40, want, strlen(want))) {
			memcpy(out, line, 40);
			out[40] = '\0';
			found = is_hex40(out);
			break;
		}
		line = nl + 1;
	}
	free(want);
	free(text);
	return found;
}

static bool current_branch(char **branch, const char *gitdir)
{
	char *path = kx_xasprintf("%sHEAD", gitdir);
	char *text = kx_read_file(path);
	bool ok = text && one_line(text) && kx_starts_with(text, "ref: refs/heads/");

	free(path);
	if (ok)
		*branch = kx_xstrdup(text + strlen("ref: refs/heads/"));
	free(text);
	return ok;
}

static bool plain_environment(void)
{
	return !getenv("GIT_DIR") && !getenv("GIT_COMMON_DIR") &&
	       !getenv("GIT_WORK_TREE") && !getenv("GIT_CEILING_DIRECTORIES") &&
	       !getenv("GIT_DISCOVERY_ACROSS_FILESYSTEM");
}

/*
 * The series range of branch_arg (NULL: the current branch) from its range
 * cache, when the cache is current: the branch's tip and the state's base
 * and b4 cover commit are those it was computed from.  Fills *branch
 * (caller frees), *c and s (initialised by the call: the caller releases
 * it).  Any doubt is false: the full command decides.
 */
static bool cached_range(const char *branch_arg, char **branch,
			 struct kx_range_cache *c, struct kx_state_file *s)
{
	char *gitdir = NULL, *commondir = NULL, *path = NULL, *text = NULL;
	char *name, tip[41];
	bool ok = false;

	*branch = NULL;
	kx_state_file_init(s);
	if (!plain_environment() || !discover(&gitdir, &commondir))
		goto done;
	if (branch_arg)
		*branch = kx_xstrdup(kx_starts_with(branch_arg, "refs/heads/") ?
				     branch_arg + strlen("refs/heads/") : branch_arg);
	else if (!current_branch(branch, gitdir))
		goto done;
	if (!**branch || strstr(*branch, "..") || !branch_tip(tip, commondir, *branch))
		goto done;
	path = kx_range_cache_path(commondir, *branch);
	text = kx_read_file(path);
	if (!text || kx_range_cache_parse(c, text) < 0 || strcmp(c->tip, tip))
		goto done;
	free(path);
	name = kx_state_file_name(*branch);
	path = kx_xasprintf("%skvmx86/state/%s", commondir, name);
	free(name);
	if (kx_state_file_load(s, path) < 0) {
		kx_error_clear();
		goto done;
	}
	ok = s->state.base_commit &&
	     kx_range_cache_matches(c, tip, s->state.base_commit,
				    s->state.b4_cover_commit);
done:
	free(text);
	free(path);
	free(gitdir);
	free(commondir);
	return ok;
}

static bool tracing(void)
{
	const char *t = getenv("KVMX86_TRACE_PERFORMANCE");

	return t && *t && strcmp(t, "0");
}

static int show_info(int argc, char **argv)
{
	const char *key = NULL, *branch_arg = NULL;
	char *branch = NULL;
	bool json = false, show = false;
	struct kx_state_file s;
	struct kx_range_cache c;
	struct kx_info_range r;
	int i, ret = -1;

	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--show-info") && !show)
			show = true;
		else if (!strcmp(argv[i], "--json") && !json)
			json = true;
		else if (*argv[i] == '-')
			return -1;
		else if (!key && !branch_arg && kx_info_is_key(argv[i]))
			key = argv[i];
		else if (!branch_arg)
			branch_arg = argv[i];
		else
			return -1;
	}
	if (!show)
		return -1;
	if (!cached_range(branch_arg, &branch, &c, &s))
		goto done;
	r.base = c.base;
	r.start = c.start;
	r.end = c.tip;
	r.from = c.from;
	if (kx_info_print(branch, &s.state, &r, key, json) < 0)
		goto done;
	if (tracing())
		kx_out_printf(stderr, "trace: show-info: from the range cache, without libgit2\n");
	ret = KX_EXIT_OK;
done:
	kx_state_file_release(&s);
	free(branch);
	return ret;
}

/*
 * prep --cover spends most of its time waiting for git's diffstat (see
 * lib/io/cover.c).  When the range cache is current, it starts here,
 * before the module and libgit2 are loaded, and the module adopts it
 * (KX_COVER_PREFETCH_ENV: "<from>..<end> <pid> <fd>"), or stops it if its
 * range differs.  Never answers: -1.
 */
static int prefetch_cover(int argc, char **argv)
{
	const char *branch_arg = NULL;
	char *branch = NULL, range[84], *env;
	bool cover = false;
	struct kx_state_file s;
	struct kx_range_cache c;
	const char *dsa[11];
	struct kx_proc ds;
	int i;

	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--cover"))
			cover = true;
		else if (!strcmp(argv[i], "--offline") || !strcmp(argv[i], "--range-diff"))
			continue;
		else if (*argv[i] == '-' || branch_arg)
			return -1;
		else
			branch_arg = argv[i];
	}
	if (!cover || !cached_range(branch_arg, &branch, &c, &s) || !c.start[0])
		goto done;
	snprintf(range, sizeof(range), "%s..%s", c.from, c.tip);
	kx_cover_diffstat_argv(dsa, c.from, c.tip);
	if (kx_run_start(&ds, dsa, NULL) < 0) {
		kx_error_clear();
		goto done;
	}
	env = kx_xasprintf("%s %d %d", range, (int)ds.pid, ds.fd);
	setenv(KX_COVER_PREFETCH_ENV, env, 1);
	free(env);
	if (tracing())
		kx_out_printf(stderr, "trace: cover: git's diffstat started before the module\n");
done:
	kx_state_file_release(&s);
	free(branch);
	return -1;
}

int kx_fast_main(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
		kx_out_printf(stdout, "kvmx86 %s\n", KX_VERSION);
		return KX_EXIT_OK;
	}
	if (argc >= 3 && !strcmp(argv[1], "prep")) {
		int i;

		for (i = 2; i < argc; i++)
			if (!strcmp(argv[i], "--cover"))
				return prefetch_cover(argc, argv);
		return show_info(argc, argv);
	}
	return -1;
}
