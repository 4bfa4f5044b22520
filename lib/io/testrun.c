// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvmx86 test, the repository side.  Each job owns a worktree under
 * <common-dir>/kvmx86/worktrees/<label>/<job>, moved from commit to commit
 * with git checkout (which rewrites only the files that differ and leaves
 * build products alone, so builds stay incremental; libgit2 1.5's checkout
 * compares all 78k files of a kernel tree and is slower).  Logs go to
 * <common-dir>/kvmx86/logs/<label>/<commit>.log.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>
#include <jansson.h>

#include "io.h"
#include "kvmx86/checkbase.h"
#include "kvmx86/error.h"
#include "kvmx86/resolve.h"
#include "kvmx86/run.h"
#include "kvmx86/file.h"
#include "kvmx86/state.h"
#include "kvmx86/testrun.h"
#include "kvmx86/util.h"

#define PREP(r) (&(r)->series->prep)
#define REPO(r) ((git_repository *)PREP(r)->repo)

extern char **environ;

const char *kx_test_status_name(enum kx_test_status s)
{
	switch (s) {
	case KX_TEST_PASS:
		return "pass";
	case KX_TEST_FAIL:
		return "fail";
	case KX_TEST_ERROR:
		return "error";
	case KX_TEST_SKIPPED:
		break;
	}
	return "skipped";
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *label_of(const char *name)
{
	char *file = kx_state_file_name(name);

	file[strlen(file) - strlen(".json")] = '\0';
	return file;
}

int kx_test_open(struct kx_test_run *r, struct kx_resolved *s)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->series = s;
	r->jobs = 1;
	if (git_repository_is_bare(REPO(r)))
		return kx_error_set(KX_EUSAGE, "bare repository: there is no work tree to test in");
	if (!s->series.nr) {
		kx_error_set(KX_EINVALID, "the series is empty: nothing to test");
		kx_error_hint("give a range: kvmx86 test <base>..<tip> -- <command>");
		return KX_EINVALID;
	}
	/* the results go to the state of the branch the series ends at */
	r->enrolled = s->prep.has_state && !s->prep.branch_gone;
	r->label = r->enrolled ? label_of(s->prep.branch) : kx_xstrdup("range");
	r->commits = kx_xcalloc(s->series.nr, sizeof(*r->commits));
	for (i = 0; i < s->series.nr; i++) {
		memcpy(r->commits[i].id, s->series.commits[i].id,
		       sizeof(r->commits[i].id));
		r->commits[i].subject = kx_xstrdup(s->series.commits[i].subject);
	}
	r->nr = s->series.nr;
	memcpy(r->base, s->prep.range.base, sizeof(r->base));
	return 0;
}

/* --- recorded results (state.test_results[commit] = [ {command, ...} ]) --- */

static char *command_text(const char *const *argv)
{
	char *out = kx_xstrdup("");
	size_t i;

	for (i = 0; argv[i]; i++) {
		char *next = kx_xasprintf("%s%s%s", out, i ? " " : "", argv[i]);

		free(out);
		out = next;
	}
	return out;
}

/* The string at key in o, or "". */
static const char *str_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : "";
}

/* Whether run is the record of step s: the same command and configuration. */
static bool is_record_of(json_t *run, const struct kx_test_stepdef *s)
{
	return !strcmp(str_of(run, "command"), s->record) &&
	       !strcmp(str_of(run, "config"), s->config ? s->config->name : "");
}

static json_t *find_record(struct kx_test_run *r, const char *id,
			   const struct kx_test_stepdef *s)
{
	json_t *runs = json_object_get(PREP(r)->file.test_results, id), *run;
	size_t i;

	json_array_foreach(runs, i, run)
		if (is_record_of(run, s))
			return run;
	return NULL;
}

static int record(struct kx_test_run *r, const struct kx_test_commit *t,
		  size_t step)
{
	const struct kx_test_step *st = &t->steps[step];
	const struct kx_test_stepdef *s = &r->steps[step];
	json_t *runs, *run;
	char date[32];
	time_t tnow = time(NULL);
	size_t i;

	if (!r->enrolled || st->status == KX_TEST_SKIPPED || st->recorded)
		return 0;
	if (!PREP(r)->file.test_results)
		PREP(r)->file.test_results = json_object();
	runs = json_object_get(PREP(r)->file.test_results, t->id);
	if (!json_is_array(runs)) {
		runs = json_array();
		json_object_set_new(PREP(r)->file.test_results, t->id, runs);
	}
	json_array_foreach(runs, i, run)
		if (is_record_of(run, s)) {
			json_array_remove(runs, i);
			break;
		}
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&tnow));
	run = json_pack("{s:s, s:s, s:s, s:i, s:f, s:s?, s:b, s:s}",
			"command", s->record, "kind", s->kind,
			"status", kx_test_status_name(st->status),
			"exit", st->exit_status, "seconds", st->seconds,
			"log", t->log, "kernel_preset", r->kernel, "date", date);
	/* what a cover letter's testing statement says of it */
	if (s->config)
		json_object_set_new(run, "config",
				    json_string(s->config->name));
	json_object_set_new(run, "build",
			    json_string(kx_test_build_name(s->build)));
	json_array_append_new(runs, run);
	return kx_prep_save(PREP(r));
}

/* --- worktrees --- */

/* Runs git with its output in the log fd; *why says what failed. */
static int git_logged(const char *const argv[], int fd, const char *what,
		      char **why)
{
	int status, error = kx_run_fd(argv, NULL, fd, &status);

	if (!error && status) {
		*why = kx_xasprintf("%s failed (exit %d)", what, status);
		error = KX_ERROR;
	}
	return error;
}

/* Puts the job's worktree at commit id, creating it the first time. */
static int move_worktree(struct kx_test_run *r, const char *wt, const char *id,
			 int fd, char **why)
{
	char *gitdir_arg = kx_xasprintf("--git-dir=%s", PREP(r)->commondir);
	char *dotgit = kx_xasprintf("%s/.git", wt);
	struct stat st;
	int error;

	if (stat(dotgit, &st) == 0) {
		const char *argv[] = { "git", "-C", wt, "checkout", "--detach",
				       "--force", "--quiet", id, NULL };

		error = git_logged(argv, fd, "git checkout", why);
	} else {
		const char *prune[] = { "git", gitdir_arg, "worktree", "prune", NULL };
		const char *add[] = { "git", gitdir_arg, "worktree", "add", "--detach",
				      "--force", "--quiet", wt, id, NULL };
		char *ignored = NULL;

		/* a worktree deleted behind git's back is still registered */
		git_logged(prune, fd, "git worktree prune", &ignored);
		free(ignored);
		error = git_logged(add, fd, "git worktree add", why);
	}
	free(dotgit);
	free(gitdir_arg);
	return error;
}

static int make_dirs(const char *dir)
{
	char *copy = kx_xstrdup(dir), *p;

	for (p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(copy, 0777);
		*p = '/';
	}
	if (mkdir(copy, 0777) < 0 && errno != EEXIST) {
		int error = kx_error_set(KX_ERROR, "cannot create %s: %s", copy,
					 strerror(errno));
		free(copy);
		return error;
	}
	free(copy);
	return 0;
}

/* --- the kernel configurations --- */

/*
 * Configuration c's build directory, relative to the worktree: right below
 * the source tree, where kbuild names the sources "..", never by their
 * absolute path (which holds the branch's %-escaped name, a pattern
 * character to make).  git checkout leaves it alone; git worktree remove
 * removes it with the worktree.
 */
static char *build_dir(const struct kx_kernel_config *c)
{
	return kx_xasprintf(".kvmx86-%s", c->name);
}

/* Terminates l's items with NULL, for an argv. */
static const char *const *argv_of(struct kx_strlist *l)
{
	kx_grow((void **)&l->items, &l->alloc, l->nr, sizeof(*l->items));
	l->items[l->nr] = NULL;
	return (const char *const *)l->items;
}

/* Appends "make <flag> O=<dir> [ARCH=...]" for configuration c. */
static void make_argv(struct kx_strlist *argv, const struct kx_kernel_config *c,
		      const char *flag)
{
	char *dir = build_dir(c);

	kx_strlist_add(argv, "make");
	kx_strlist_add(argv, flag);
	kx_strlist_addf(argv, "O=%s", dir);
	if (c->arch)
		kx_strlist_addf(argv, "ARCH=%s", c->arch);
	free(dir);
}

/* Runs argv in wt, said in the log first; *why says what failed. */
static int run_logged(struct kx_strlist *argv, const char *wt, int fd,
		      char **why)
{
	char *text = command_text(argv_of(argv));
	int status, error;

	dprintf(fd, "# kvmx86 test --kernel: %s\n", text);
	error = kx_run_fd(argv_of(argv), wt, fd, &status);
	if (!error && status) {
		*why = kx_xasprintf("%s failed (exit %d)", text, status);
		error = KX_ERROR;
	}
	free(text);
	kx_strlist_release(argv);
	return error;
}

/*
 * Configures c's build directory as the handbook asks (its defconfig the
 * first time, the options, olddefconfig at every commit since Kconfig
 * changes with the tree) and checks its .config; *why says what went
 * wrong.
 */
static int configure_kernel(const char *wt, const struct kx_kernel_config *c,
			    int fd, char **why)
{
	struct kx_strlist argv = KX_STRLIST_INIT;
	char *dir = build_dir(c);
	char *path = kx_xasprintf("%s/%s/.config", wt, dir);
	char *config = NULL, *bad = NULL;
	int error = 0;

	if (access(path, F_OK)) {
		make_argv(&argv, c, "-s");
		kx_strlist_add(&argv, c->defconfig);
		error = run_logged(&argv, wt, fd, why);
	}
	if (!error) {
		kx_strlist_add(&argv, "scripts/config");
		kx_strlist_add(&argv, "--file");
		kx_strlist_addf(&argv, "%s/.config", dir);
		kx_kernel_config_args(&argv, c);
		error = run_logged(&argv, wt, fd, why);
	}
	if (!error) {
		make_argv(&argv, c, "-s");
		kx_strlist_add(&argv, "olddefconfig");
		error = run_logged(&argv, wt, fd, why);
	}
	if (!error) {
		config = kx_read_file(path);
		bad = config ? kx_kernel_config_check(c, config) :
			       kx_xasprintf("there is no %s/.config", dir);
	}
	if (bad) {
		dprintf(fd, "# kvmx86 test --kernel: %s did not stick: %s\n",
			c->name, bad);
		if (c == &kx_kernel_configs[0])
			*why = kx_xasprintf("the kernel preset did not stick (%s): the options' dependencies differ in this tree",
					    bad);
		else
			*why = kx_xasprintf("the configuration '%s' (%s) did not stick (%s): the options' dependencies differ in this tree",
					    c->name, c->label, bad);
		error = KX_ERROR;
	}
	if (error && !*why) {
		*why = kx_xstrdup(kx_error_last());
		kx_error_clear();
	}
	free(config);
	free(bad);
	free(path);
	free(dir);
	return error;
}

/*
 * <build dir>/kvmx86-vmlinux names the commit whose code vmlinux.o holds:
 * the base's id after the base's build (and after a commit that changed
 * nothing vmlinux holds), "unknown" after a failed full build.
 */
static char *stamp_path(const char *wt, const struct kx_kernel_config *c)
{
	char *dir = build_dir(c), *path;

	path = kx_xasprintf("%s/%s/kvmx86-vmlinux", wt, dir);
	free(dir);
	return path;
}

/* The stamp's commit, or NULL if the directory has no full build yet. */
static char *read_stamp(const char *wt, const struct kx_kernel_config *c)
{
	char *path = stamp_path(wt, c), *text = kx_read_file(path);

	free(path);
	if (text)
		text[strcspn(text, "\n")] = '\0';
	return text;
}

static void write_stamp(const char *wt, const struct kx_kernel_config *c,
			const char *id)
{
	char *path = stamp_path(wt, c);
	FILE *f = fopen(path, "w");

	if (f) {
		fprintf(f, "%s\n", id);
		fclose(f);
	}
	free(path);
}

/*
 * kbuild refuses make O= while the source tree holds a build of its own
 * (a .config, include/config/, arch/x86/include/generated/: an older
 * kvmx86's, a --selftests command's make headers).  make mrproper cleans
 * it, and its find of objects empties the build directories below the
 * worktree too: their stamps go with them, so the next build starts over
 * at the base.
 */
static int clean_source_tree(const char *wt, int fd, char **why)
{
	static const char *const marks[] = {
		".config", "include/config", "arch/x86/include/generated",
	};
	struct kx_strlist argv = KX_STRLIST_INIT;
	bool built = false;
	size_t i;
	int error;

	for (i = 0; i < ARRAY_SIZE(marks) && !built; i++) {
		char *path = kx_xasprintf("%s/%s", wt, marks[i]);

		built = !access(path, F_OK);
		free(path);
	}
	if (!built)
		return 0;
	kx_strlist_add(&argv, "make");
	kx_strlist_add(&argv, "-s");
	kx_strlist_add(&argv, "mrproper");
	error = run_logged(&argv, wt, fd, why);
	for (i = 0; i < kx_kernel_configs_nr; i++) {
		char *path = stamp_path(wt, &kx_kernel_configs[i]);

		unlink(path);
		free(path);
	}
	return error;
}

/*
 * Marks the commits by which the series changed code vmlinux holds: KVM's
 * modules linked against the base's vmlinux.o would prove nothing there,
 * so vmlinux is built again at those commits.
 */
static int diff_builtin(void *data, const char *path, const git_oid *old_id,
			const git_oid *new_id)
{
	(void)old_id;
	(void)new_id;
	*(bool *)data |= kx_kernel_path_builtin(path);
	return 0;
}

static int mark_vmlinux(struct kx_test_run *r)
{
	bool builtin = false;
	size_t i;
	int error = 0;

	for (i = 0; i < r->nr && !error; i++) {
		git_commit *c = NULL, *parent = NULL;
		git_tree *tree = NULL, *old = NULL;
		git_oid id;

		git_oid_fromstr(&id, r->commits[i].id);
		if ((error = kx_git(git_commit_lookup(&c, REPO(r), &id))) < 0 ||
		    (error = kx_git(git_commit_tree(&tree, c))) < 0)
			goto next;
		if (git_commit_parentcount(c) &&
		    ((error = kx_git(git_commit_parent(&parent, c, 0))) < 0 ||
		     (error = kx_git(git_commit_tree(&old, parent))) < 0))
			goto next;
		if (!builtin)
			error = kx_tree_diff(REPO(r), old, tree, diff_builtin,
					     &builtin);
		r->commits[i].vmlinux = builtin;
next:
		git_tree_free(old);
		git_tree_free(tree);
		git_commit_free(parent);
		git_commit_free(c);
	}
	return error;
}

/* --- the run --- */

struct job {
	pid_t pid;		/* 0: free */
	size_t index;		/* the commit it tests */
	size_t step;		/* the step running, or the first to run */
	bool priming;		/* what runs: the base's build of step prime */
	size_t prime;
	bool primed;		/* the base's builds were done or tried */
	char *base_error[KX_TEST_STEPS_MAX];	/* why step k's base failed */
	bool full;		/* the step runs make vmlinux modules */
	time_t checkout;	/* when the commit was checked out */
	double start;
	char *worktree;
};

/* Sets t's overall result from its steps. */
static void summarize(struct kx_test_run *r, struct kx_test_commit *t)
{
	size_t k;

	t->status = KX_TEST_PASS;
	t->seconds = 0;
	t->recorded = true;
	t->step = -1;
	for (k = 0; k < r->steps_nr; k++) {
		const struct kx_test_step *st = &t->steps[k];

		t->seconds += st->seconds;
		t->recorded &= st->recorded;
		if (st->status != KX_TEST_PASS) {
			t->status = st->status;
			t->exit_status = st->exit_status;
			t->step = (long)k;
			break;
		}
	}
}

/* Fills the steps recorded earlier; returns the first step to run. */
static size_t recorded_steps(struct kx_test_run *r, struct kx_test_commit *t)
{
	size_t k;

	for (k = 0; k < r->steps_nr && !r->rerun; k++) {
		json_t *rec = find_record(r, t->id, &r->steps[k]);
		const char *was = str_of(rec, "status");
		struct kx_test_step *st = &t->steps[k];

		if (strcmp(was, "pass") && strcmp(was, "fail"))
			break;
		st->recorded = true;
		st->status = strcmp(was, "pass") ? KX_TEST_FAIL : KX_TEST_PASS;
		st->seconds = json_number_value(json_object_get(rec, "seconds"));
		st->exit_status = (int)json_integer_value(json_object_get(rec, "exit"));
		if (*str_of(rec, "log") && !t->log)
			t->log = kx_xstrdup(str_of(rec, "log"));
		if (st->status == KX_TEST_FAIL)
			return r->steps_nr;	/* the commit failed already */
	}
	return k;
}

/* Step k of t could not run: an error, recorded. */
static int step_error(struct kx_test_run *r, struct kx_test_commit *t,
		      size_t k, char *why)
{
	t->steps[k].status = KX_TEST_ERROR;
	free(t->error);
	t->error = why && t->log ? kx_xasprintf("%s; see %s", why, t->log) :
		   why ? kx_xstrdup(why) : kx_xstrdup(kx_error_last());
	free(why);
	kx_error_clear();
	return record(r, t, k);
}

/* The environment of a command of one's own built in configuration c. */
static void command_env(struct kx_strlist *env, const char *wt,
			const struct kx_kernel_config *c)
{
	char *dir = build_dir(c);
	size_t i;

	/* kbuild takes O= and ARCH= from the environment too */
	for (i = 0; environ[i]; i++)
		if (!kx_starts_with(environ[i], "KBUILD_OUTPUT=") &&
		    !kx_starts_with(environ[i], "ARCH=") &&
		    kx_run_env_keeps(environ[i]))
			kx_strlist_add(env, environ[i]);
	kx_strlist_addf(env, "KBUILD_OUTPUT=%s/%s", wt, dir);
	if (c->arch)
		kx_strlist_addf(env, "ARCH=%s", c->arch);
	free(dir);
}

/* Spawns argv in the job's worktree, output to fd; 0 or an errno. */
static int spawn(struct job *j, const char *const *argv,
		 const char *const *envp, int fd)
{
	posix_spawn_file_actions_t fa;
	char **own;
	int error;

	j->start = now();
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addchdir_np(&fa, j->worktree);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	if (fd >= 0) {
		posix_spawn_file_actions_adddup2(&fa, fd, STDOUT_FILENO);
		posix_spawn_file_actions_adddup2(&fa, fd, STDERR_FILENO);
	}
	own = envp ? NULL : kx_run_env();
	error = posix_spawnp(&j->pid, argv[0], &fa, NULL, (char *const *)argv,
			     envp ? (char *const *)envp : own);
	free(own);
	posix_spawn_file_actions_destroy(&fa);
	if (error)
		j->pid = 0;
	return error;
}

/* Appends --kernel's own build of step s at commit t to argv. */
static void own_build(struct kx_test_run *r, struct job *j,
		      const struct kx_test_stepdef *s,
		      const struct kx_test_commit *t, struct kx_strlist *argv)
{
	char *jobs = kx_xasprintf("-j%u", r->make_jobs ? r->make_jobs : 1);
	char *stamp = NULL, *dir, *path, *config;

	make_argv(argv, s->config, jobs);
	free(jobs);
	j->full = false;
	if (s->build == KX_BUILD_COMPILED) {
		kx_strlist_add(argv, "arch/x86/kvm/");
		return;
	}
	/*
	 * vmlinux again where the series changed its code, or where the
	 * directory's vmlinux.o holds something else than the base's
	 */
	stamp = t ? read_stamp(j->worktree, s->config) : NULL;
	j->full = !t || t->vmlinux || !stamp || strcmp(stamp, r->base);
	free(stamp);
	if (j->full) {
		kx_strlist_add(argv, "vmlinux");
		kx_strlist_add(argv, "modules");
		return;
	}
	dir = build_dir(s->config);
	path = kx_xasprintf("%s/%s/.config", j->worktree, dir);
	config = kx_read_file(path);
	kx_kernel_module_targets(argv, config);
	free(config);
	free(path);
	free(dir);
}

/* Removes the modules so that only this commit's build can leave them. */
static void remove_modules(const char *wt, const struct kx_kernel_config *c)
{
	char *dir = build_dir(c);
	size_t m;

	for (m = 0; m < kx_kvm_modules_nr; m++) {
		char *path = kx_xasprintf("%s/%s/arch/x86/kvm/%s", wt, dir,
					  kx_kvm_modules[m]);

		unlink(path);
		free(path);
	}
	free(dir);
}

/*
 * Starts step k of the job's commit: configures the kernel first if the
 * step builds one.  Returns 0 with j->pid set, or 0 with the step an
 * error (recorded), or a negative KX_E* of kvmx86's own.
 */
static int start_step(struct kx_test_run *r, struct job *j, size_t k)
{
	struct kx_test_commit *t = &r->commits[j->index];
	const struct kx_test_stepdef *s = &r->steps[k];
	struct kx_strlist argv = KX_STRLIST_INIT, env = KX_STRLIST_INIT;
	char *why = NULL, *text;
	int fd, err, error = 0;
	size_t i;

	j->step = k;
	j->pid = 0;
	fd = open(t->log, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (s->config && j->base_error[k]) {
		why = kx_xstrdup(j->base_error[k]);
		goto done;
	}
	if (s->config && configure_kernel(j->worktree, s->config, fd, &why) < 0)
		goto done;
	if (!s->argv) {
		own_build(r, j, s, t, &argv);
		if (s->build == KX_BUILD_LINKED)
			remove_modules(j->worktree, s->config);
	} else {
		for (i = 0; s->argv[i]; i++)
			kx_strlist_add(&argv, s->argv[i]);
		if (s->config)
			command_env(&env, j->worktree, s->config);
	}
	text = command_text(argv_of(&argv));
	dprintf(fd, "# kvmx86 test: %s%s%s: %s\n", s->kind,
		s->config ? " " : "", s->config ? s->config->name : "", text);
	free(text);
	if ((err = spawn(j, argv_of(&argv), env.nr ? argv_of(&env) : NULL, fd)))
		why = kx_xasprintf("cannot run %s: %s", argv.items[0],
				   strerror(err));
done:
	if (fd >= 0)
		close(fd);
	if (why)
		error = step_error(r, t, k, why);
	kx_strlist_release(&env);
	kx_strlist_release(&argv);
	return error;
}

/*
 * Starts the next build of the base the job still needs: each linked
 * configuration's build directory gets one full build at the base, so
 * that each commit after it only builds the modules again.  Returns true
 * if one runs.
 */
static bool prime_next(struct kx_test_run *r, struct job *j)
{
	struct kx_test_commit *t = &r->commits[j->index];

	for (; j->prime < r->steps_nr; j->prime++) {
		const struct kx_test_stepdef *s = &r->steps[j->prime];
		struct kx_strlist argv = KX_STRLIST_INIT;
		char *stamp, *why = NULL, *text;
		int fd, error;

		if (s->argv || s->build != KX_BUILD_LINKED)
			continue;
		if ((stamp = read_stamp(j->worktree, s->config))) {
			free(stamp);	/* built once: incremental from here */
			continue;
		}
		fd = open(t->log, O_WRONLY | O_APPEND | O_CLOEXEC);
		dprintf(fd, "# kvmx86 test --kernel: configuration %s: the full build at the base %s, once\n",
			s->config->name, r->base);
		if (configure_kernel(j->worktree, s->config, fd, &why) == 0) {
			own_build(r, j, s, NULL, &argv);
			text = command_text(argv_of(&argv));
			dprintf(fd, "# kvmx86 test --kernel: %s\n", text);
			free(text);
			if ((error = spawn(j, argv_of(&argv), NULL, fd)))
				why = kx_xasprintf("cannot run make: %s",
						   strerror(error));
		}
		kx_strlist_release(&argv);
		if (fd >= 0)
			close(fd);
		if (j->pid) {
			j->priming = true;
			return true;
		}
		j->base_error[j->prime] = kx_xasprintf("at the base %.12s: %s",
						       r->base, why);
		free(why);
	}
	return false;
}

/* The job's base builds are done: on to its commit. */
static int begin_commit(struct kx_test_run *r, struct job *j)
{
	struct kx_test_commit *t = &r->commits[j->index];
	char *why = NULL;
	int fd = open(t->log, O_WRONLY | O_APPEND | O_CLOEXEC), error;

	j->checkout = time(NULL);
	error = move_worktree(r, j->worktree, t->id, fd, &why);
	if (fd >= 0)
		close(fd);
	if (error < 0)
		return step_error(r, t, j->step, why);
	return start_step(r, j, j->step);
}

/*
 * Prepares commit index for the job (its log, the base's builds the first
 * time, the worktree) and starts its first step not recorded yet.  Leaves
 * j->pid 0 when nothing runs: all recorded, or the commit could not be
 * prepared.
 */
static int start_job(struct kx_test_run *r, struct job *j, size_t index,
		     const char *logdir)
{
	struct kx_test_commit *t = &r->commits[index];
	size_t first = recorded_steps(r, t), k;
	char *why = NULL;
	bool unprimed = false;
	int fd;

	j->pid = 0;
	j->index = index;
	j->step = first;
	if (first == r->steps_nr)
		return 0;
	free(t->log);
	t->log = kx_xasprintf("%s/%s.log", logdir, t->id);
	fd = open(t->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return kx_error_set(KX_ERROR, "cannot write %s: %s", t->log,
				    strerror(errno));
	dprintf(fd, "# kvmx86 test: commit %s %s\n# in %s\n", t->id, t->subject,
		j->worktree);
	if (r->kernel && clean_source_tree(j->worktree, fd, &why) < 0) {
		close(fd);
		return step_error(r, t, first, why);
	}
	/* a build directory without a full build yet needs the base's */
	for (k = 0; k < r->steps_nr && !j->primed; k++) {
		char *stamp;

		if (r->steps[k].argv || r->steps[k].build != KX_BUILD_LINKED)
			continue;
		stamp = read_stamp(j->worktree, r->steps[k].config);
		unprimed |= !stamp;
		free(stamp);
	}
	if (!unprimed || j->primed) {
		close(fd);
		return begin_commit(r, j);
	}
	j->primed = true;
	j->prime = 0;
	if (!*r->base) {
		why = kx_xstrdup("the series starts at a root commit: "
				 "there is no base to build first");
	} else if (move_worktree(r, j->worktree, r->base, fd, &why) == 0) {
		close(fd);
		if (prime_next(r, j))
			return 0;
		return begin_commit(r, j);
	}
	close(fd);
	for (k = 0; k < r->steps_nr; k++)
		j->base_error[k] = kx_xasprintf("at the base: %s", why);
	free(why);
	return begin_commit(r, j);
}

/*
 * The modules step s should have linked that are missing, or older than
 * the commit's checkout (a comma-separated list), or NULL.
 */
static char *missing_modules(struct job *j, const struct kx_test_stepdef *s)
{
	char *dir = build_dir(s->config), *out = NULL;
	size_t m;

	for (m = 0; m < kx_kvm_modules_nr; m++) {
		char *path = kx_xasprintf("%s/%s/arch/x86/kvm/%s", j->worktree,
					  dir, kx_kvm_modules[m]), *next;
		struct stat st;

		/* a second's slack: file times may lag the clock a tick */
		if (stat(path, &st) == 0 && st.st_mtime + 1 >= j->checkout) {
			free(path);
			continue;
		}
		next = kx_xasprintf("%s%s%s", out ? out : "", out ? ", " : "",
				    kx_kvm_modules[m]);
		free(out);
		out = next;
		free(path);
	}
	free(dir);
	return out;
}

/* A base build ended: the next one, or the commit. */
static int prime_done(struct kx_test_run *r, struct job *j, int exit_status)
{
	const struct kx_test_stepdef *s = &r->steps[j->prime];
	const struct kx_test_commit *t = &r->commits[j->index];

	j->priming = false;
	/* later commits of the job say so too: name the log that shows it */
	if (exit_status)
		j->base_error[j->prime] =
			kx_xasprintf("the base %.12s does not build in the configuration '%s' (make vmlinux modules: exit %d, in %s)",
				     r->base, s->config->name, exit_status,
				     t->log);
	else
		write_stamp(j->worktree, s->config, r->base);
	j->prime++;
	if (prime_next(r, j))
		return 0;
	return begin_commit(r, j);
}

/* Appends a line to t's log. */
static void log_line(const struct kx_test_commit *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void log_line(const struct kx_test_commit *t, const char *fmt, ...)
{
	int fd = open(t->log, O_WRONLY | O_APPEND | O_CLOEXEC);
	va_list ap;

	if (fd < 0)
		return;
	va_start(ap, fmt);
	vdprintf(fd, fmt, ap);
	va_end(ap);
	close(fd);
}

/* The job's process ended: record it; start the next one or finish. */
static int step_done(struct kx_test_run *r, struct job *j, int wstatus)
{
	struct kx_test_commit *t = &r->commits[j->index];
	struct kx_test_step *st = &t->steps[j->step];
	const struct kx_test_stepdef *s = &r->steps[j->step];
	int exit_status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) :
			  128 + WTERMSIG(wstatus);
	char *missing;
	int error;

	j->pid = 0;
	if (j->priming)
		return prime_done(r, j, exit_status);
	st->seconds = now() - j->start;
	st->exit_status = exit_status;
	st->status = exit_status ? KX_TEST_FAIL : KX_TEST_PASS;
	if (!s->argv && s->build == KX_BUILD_LINKED && j->full)
		write_stamp(j->worktree, s->config, exit_status ? "unknown" :
			    t->vmlinux ? t->id : r->base);
	if (!s->argv && s->build == KX_BUILD_LINKED && !exit_status &&
	    (missing = missing_modules(j, s))) {
		/* make was content, but a module is not there: not linked */
		st->status = KX_TEST_FAIL;
		free(t->error);
		t->error = kx_xasprintf("%s not linked in the configuration '%s'",
					missing, s->config->name);
		log_line(t, "# kvmx86 test --kernel: make exited 0, but %s\n",
			 t->error);
		free(missing);
	}
	if ((error = record(r, t, j->step)) < 0)
		return error;
	if (st->status == KX_TEST_PASS && j->step + 1 < r->steps_nr)
		return start_step(r, j, j->step + 1);
	return 0;
}

/* The steps: the command (per configuration with --kernel), then tests. */
static void plan_steps(struct kx_test_run *r)
{
	size_t c, nconfigs = !r->kernel ? 0 :
			     r->matrix ? kx_kernel_configs_nr : 1;
	char *own = NULL;

	r->steps_nr = 0;
	if (r->kernel && !r->argv) {
		if (r->no_link) {
			own = kx_xstrdup("make arch/x86/kvm/");
		} else {
			size_t m;

			own = kx_xstrdup("make");
			for (m = 0; m < kx_kvm_modules_nr; m++) {
				char *next = kx_xasprintf("%s arch/x86/kvm/%s", own,
							  kx_kvm_modules[m]);

				free(own);
				own = next;
			}
		}
	}
	for (c = 0; c < (nconfigs ? nconfigs : 1); c++) {
		struct kx_test_stepdef *s = &r->steps[r->steps_nr++];

		s->kind = "command";
		s->argv = r->argv;
		s->config = nconfigs ? &kx_kernel_configs[c] : NULL;
		s->build = own ? (r->no_link ? KX_BUILD_COMPILED : KX_BUILD_LINKED) :
			   KX_BUILD_COMMAND;
		s->record = own ? kx_xstrdup(own) : command_text(r->argv);
	}
	free(own);
	if (r->selftests) {
		struct kx_test_stepdef *s = &r->steps[r->steps_nr++];

		s->kind = "selftests";
		s->argv = r->selftests;
		s->record = command_text(r->selftests);
	}
	if (r->kut) {
		struct kx_test_stepdef *s = &r->steps[r->steps_nr++];

		s->kind = "kvm-unit-tests";
		s->argv = r->kut;
		s->record = command_text(r->kut);
	}
}

int kx_test_execute(struct kx_test_run *r, volatile sig_atomic_t *stop)
{
	char *wtdir = kx_xasprintf("%skvmx86/worktrees/%s", PREP(r)->commondir, r->label);
	char *logdir = kx_xasprintf("%skvmx86/logs/%s", PREP(r)->commondir, r->label);
	struct job *jobs = kx_xcalloc(r->jobs, sizeof(*jobs));
	size_t next = 0, done = 0, running = 0, i, k;
	double t0 = now();
	int error;

	plan_steps(r);
	if ((error = make_dirs(wtdir)) < 0 || (error = make_dirs(logdir)) < 0)
		goto out;
	if (r->kernel && !r->argv && !r->no_link && (error = mark_vmlinux(r)) < 0)
		goto out;
	for (i = 0; i < r->jobs; i++)
		jobs[i].worktree = kx_xasprintf("%s/%zu", wtdir, i);

	while (!error && (next < r->nr || running)) {
		int wstatus;
		pid_t pid;

		/* fill the free jobs, in series order */
		for (i = 0; i < r->jobs && !error; i++) {
			while (!jobs[i].pid && next < r->nr && !*stop) {
				if ((error = start_job(r, &jobs[i], next, logdir)) < 0)
					break;
				next++;
				if (jobs[i].pid) {
					running++;
					continue;
				}
				/* all recorded, or it could not be prepared */
				summarize(r, &r->commits[jobs[i].index]);
				done++;
			}
		}
		if (r->progress)
			r->progress(r->progress_data, done, r->nr, now() - t0);
		if (*stop || error)
			break;
		if (!running)
			continue;
		pid = waitpid(-1, &wstatus, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			error = kx_error_set(KX_ERROR, "cannot wait for the tests: %s",
					     strerror(errno));
			break;
		}
		for (i = 0; i < r->jobs; i++) {
			if (jobs[i].pid != pid)
				continue;
			error = step_done(r, &jobs[i], wstatus);
			if (!jobs[i].pid) {
				summarize(r, &r->commits[jobs[i].index]);
				running--;
				done++;
			}
			break;
		}
	}
	/* interrupted (or failed): stop what runs; those commits stay skipped */
	for (i = 0; i < r->jobs; i++) {
		struct kx_test_commit *t;
		int wstatus;

		if (!jobs[i].pid)
			continue;
		kill(jobs[i].pid, SIGINT);
		while (waitpid(jobs[i].pid, &wstatus, 0) < 0 && errno == EINTR)
			;
		t = &r->commits[jobs[i].index];
		t->steps[jobs[i].step].status = KX_TEST_SKIPPED;
		summarize(r, t);
		t->status = KX_TEST_SKIPPED;
	}
	if (r->progress)
		r->progress(r->progress_data, done, r->nr, now() - t0);
out:
	for (i = 0; i < r->jobs; i++) {
		free(jobs[i].worktree);
		for (k = 0; k < KX_TEST_STEPS_MAX; k++)
			free(jobs[i].base_error[k]);
	}
	free(jobs);
	free(wtdir);
	free(logdir);
	return error;
}

long kx_test_first_failure(const struct kx_test_run *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++)
		if (r->commits[i].status == KX_TEST_FAIL)
			return (long)i;
	return -1;
}

void kx_test_close(struct kx_test_run *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++) {
		free(r->commits[i].subject);
		free(r->commits[i].log);
		free(r->commits[i].error);
	}
	for (i = 0; i < r->steps_nr; i++)
		free(r->steps[i].record);
	free(r->commits);
	free(r->label);
	memset(r, 0, sizeof(*r));
}
