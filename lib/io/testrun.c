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
#include "kvmx86/run.h"
#include "kvmx86/state.h"
#include "kvmx86/testrun.h"
#include "kvmx86/util.h"

#define REPO(r) ((git_repository *)(r)->prep.repo)

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

static void add_commit(struct kx_test_run *r, size_t *alloc, git_commit *c)
{
	struct kx_test_commit *t;

	kx_grow((void **)&r->commits, alloc, r->nr, sizeof(*r->commits));
	t = &r->commits[r->nr++];
	memset(t, 0, sizeof(*t));
	git_oid_tostr(t->id, sizeof(t->id), git_commit_id(c));
	t->subject = kx_xstrdup(git_commit_summary(c) ? git_commit_summary(c) : "");
}

/* tip's first-parent line down to (not including) stop, oldest first. */
static int load_line(struct kx_test_run *r, const git_oid *tip,
		     const git_oid *stop, const char *skip)
{
	git_commit **line = NULL;
	size_t nr = 0, alloc = 0, calloc_ = 0;
	git_oid oid;
	int error = 0;

	git_oid_cpy(&oid, tip);
	while (git_oid_cmp(&oid, stop)) {
		git_commit *c = NULL;
		char hex[41];

		if ((error = kx_git(git_commit_lookup(&c, REPO(r), &oid))) < 0)
			break;
		git_oid_tostr(hex, sizeof(hex), &oid);
		if (skip && !strcmp(skip, hex)) {
			git_commit_free(c);
		} else {
			kx_grow((void **)&line, &alloc, nr, sizeof(*line));
			line[nr++] = c;
		}
		if (git_oid_cmp(&oid, stop) && !git_commit_parentcount(c))
			break;
		git_oid_cpy(&oid, git_commit_parent_id(c, 0));
	}
	while (nr) {
		git_commit *c = line[--nr];

		if (!error)
			add_commit(r, &calloc_, c);
		git_commit_free(c);
	}
	free(line);
	return error;
}

static int resolve(git_oid *out, git_repository *repo, const char *spec)
{
	git_object *obj = NULL, *peeled = NULL;
	int error = git_revparse_single(&obj, repo, spec);

	if (error == 0 && (error = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT)) == 0)
		git_oid_cpy(out, git_object_id(peeled));
	git_object_free(peeled);
	git_object_free(obj);
	if (error < 0) {
		git_error_clear();
		error = kx_error_set(KX_ENOTFOUND, "'%s' is not a commit here", spec);
		kx_error_hint("give a branch, a commit or a range <base>..<tip>");
	}
	return error;
}

static char *label_of(const char *name)
{
	char *file = kx_state_file_name(name);

	file[strlen(file) - strlen(".json")] = '\0';
	return file;
}

int kx_test_open(struct kx_test_run *r, const char *path, const char *arg)
{
	const char *dots = arg ? strstr(arg, "..") : NULL;
	git_oid tip, bottom;
	int error;

	memset(r, 0, sizeof(*r));
	r->jobs = 1;
	error = kx_prep_open(&r->prep, path, dots ? NULL : arg);
	if (error < 0 && !(r->prep.repo && !arg &&
			   git_repository_head_detached(r->prep.repo) == 1))
		return error;
	kx_error_clear();
	if (git_repository_is_bare(REPO(r)))
		return kx_error_set(KX_EUSAGE, "bare repository: there is no work tree to test in");

	if (dots) {
		char *left = kx_xstrndup(arg, (size_t)(dots - arg));

		error = resolve(&bottom, REPO(r), *left ? left : "HEAD");
		free(left);
		if (!error)
			error = resolve(&tip, REPO(r), dots[2] ? dots + 2 : "HEAD");
		if (!error && git_merge_base(&bottom, REPO(r), &bottom, &tip) < 0) {
			git_error_clear();
			error = kx_error_set(KX_EINVALID, "'%s' has no common history", arg);
		}
		if (!error)
			error = load_line(r, &tip, &bottom, NULL);
		r->label = kx_xstrdup("range");
	} else if (r->prep.has_state && !r->prep.branch_gone) {
		struct kx_prep_range pr;

		if ((error = kx_prep_range(&r->prep, &pr)) < 0)
			return error;
		git_oid_fromstr(&tip, pr.end);
		git_oid_fromstr(&bottom, pr.base);
		error = load_line(r, &tip, &bottom, r->prep.state.b4_cover_commit);
		r->enrolled = true;
		r->label = label_of(r->prep.branch);
	} else {
		struct kx_checkbase cb = KX_CHECKBASE_INIT;
		size_t i, alloc = 0;

		error = kx_checkbase_gather_repo(&cb, REPO(r), arg);
		for (i = 0; !error && i < cb.series.nr; i++) {
			git_commit *c = NULL;
			git_oid id;

			git_oid_fromstr(&id, cb.series.commits[i].id);
			if ((error = kx_git(git_commit_lookup(&c, REPO(r), &id))) < 0)
				break;
			add_commit(r, &alloc, c);
			git_commit_free(c);
		}
		kx_checkbase_release(&cb);
		r->label = kx_xstrdup("range");
	}
	if (!error && !r->nr) {
		error = kx_error_set(KX_EINVALID, "the series is empty: nothing to test");
		kx_error_hint("give a range: kvmx86 test <base>..<tip> -- <command>");
	}
	return error;
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

static json_t *find_record(struct kx_test_run *r, const char *id, const char *command)
{
	json_t *runs = json_object_get(r->prep.state.test_results, id), *run;
	size_t i;

	json_array_foreach(runs, i, run)
		if (!strcmp(str_of(run, "command"), command))
			return run;
	return NULL;
}

static int record(struct kx_test_run *r, const struct kx_test_commit *t,
		  size_t step)
{
	const struct kx_test_step *st = &t->steps[step];
	char *command = command_text(r->step_argv[step]);
	json_t *runs, *run;
	char date[32];
	time_t tnow = time(NULL);
	size_t i;
	int error;

	if (!r->enrolled || st->status == KX_TEST_SKIPPED || st->recorded) {
		free(command);
		return 0;
	}
	if (!r->prep.state.test_results)
		r->prep.state.test_results = json_object();
	runs = json_object_get(r->prep.state.test_results, t->id);
	if (!json_is_array(runs)) {
		runs = json_array();
		json_object_set_new(r->prep.state.test_results, t->id, runs);
	}
	json_array_foreach(runs, i, run)
		if (!strcmp(str_of(run, "command"), command)) {
			json_array_remove(runs, i);
			break;
		}
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&tnow));
	json_array_append_new(runs, json_pack("{s:s, s:s, s:s, s:i, s:f, s:s?, s:b, s:s}",
					      "command", command,
					      "kind", r->step_kind[step],
					      "status", kx_test_status_name(st->status),
					      "exit", st->exit_status,
					      "seconds", st->seconds,
					      "log", t->log,
					      "kernel_preset", r->kernel,
					      "date", date));
	free(command);
	error = kx_prep_save(&r->prep);
	return error;
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
	char *gitdir_arg = kx_xasprintf("--git-dir=%s", r->prep.commondir);
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

/* --- the kernel preset --- */

/*
 * Configures the worktree as the handbook asks (x86_64_defconfig the first
 * time, the preset's options, olddefconfig at every commit since Kconfig
 * changes with the tree) and checks .config; *why says what went wrong.
 */
static int configure_kernel(const char *wt, int fd, char **why)
{
	const char *defconfig[] = { "make", "-s", "x86_64_defconfig", NULL };
	const char *set[] = { "scripts/config", "--file", ".config",
			      "--module", "KVM", "--module", "KVM_INTEL",
			      "--module", "KVM_AMD", "--enable", "EXPERT",
			      "--enable", "KVM_WERROR", "--disable", "KASAN", NULL };
	const char *old[] = { "make", "-s", "olddefconfig", NULL };
	char *path = kx_xasprintf("%s/.config", wt), *config, *bad;
	int status, error = 0;

	if (access(path, F_OK)) {
		dprintf(fd, "# kvmx86 test --kernel: make x86_64_defconfig\n");
		if ((error = kx_run_fd(defconfig, wt, fd, &status)) == 0 && status) {
			*why = kx_xstrdup("make x86_64_defconfig failed");
			error = KX_ERROR;
		}
	}
	dprintf(fd, "# kvmx86 test --kernel: scripts/config, make olddefconfig\n");
	if (!error && (error = kx_run_fd(set, wt, fd, &status)) == 0 && status) {
		*why = kx_xstrdup("scripts/config failed");
		error = KX_ERROR;
	}
	if (!error && (error = kx_run_fd(old, wt, fd, &status)) == 0 && status) {
		*why = kx_xstrdup("make olddefconfig failed");
		error = KX_ERROR;
	}
	if (!error) {
		config = kx_read_file(path);
		bad = config ? kx_kernel_config_check(&kx_kernel_configs[0], config) :
			       kx_xstrdup("there is no .config");
		if (bad) {
			dprintf(fd, "# kvmx86 test --kernel: the preset did not stick: %s\n", bad);
			*why = kx_xasprintf("the kernel preset did not stick (%s): the options' dependencies differ in this tree",
					    bad);
			free(bad);
			error = KX_ERROR;
		}
		free(config);
	}
	if (error && !*why) {
		*why = kx_xstrdup(kx_error_last());
		kx_error_clear();
	}
	free(path);
	return error;
}

/* --- the run --- */

struct job {
	pid_t pid;		/* 0: free */
	size_t index;		/* the commit it runs */
	size_t step;		/* the step running */
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
	for (k = 0; k < r->steps_nr; k++) {
		const struct kx_test_step *st = &t->steps[k];

		t->seconds += st->seconds;
		t->recorded &= st->recorded;
		if (st->status != KX_TEST_PASS) {
			t->status = st->status;
			t->exit_status = st->exit_status;
			break;
		}
	}
}

/* Fills the steps recorded earlier; returns the first step to run. */
static size_t recorded_steps(struct kx_test_run *r, struct kx_test_commit *t)
{
	size_t k;

	for (k = 0; k < r->steps_nr && !r->rerun; k++) {
		char *command = command_text(r->step_argv[k]);
		json_t *rec = find_record(r, t->id, command);
		const char *was = str_of(rec, "status");
		struct kx_test_step *st = &t->steps[k];

		free(command);
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

/* Runs step k of the job's commit in its worktree, output to the log. */
static void start_step(struct kx_test_run *r, struct job *j, size_t k)
{
	struct kx_test_commit *t = &r->commits[j->index];
	const char *const *argv = r->step_argv[k];
	posix_spawn_file_actions_t fa;
	int fd, error;

	j->step = k;
	fd = open(t->log, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd >= 0) {
		char *command = command_text(argv);

		dprintf(fd, "# kvmx86 test: %s: %s\n", r->step_kind[k], command);
		free(command);
	}
	j->start = now();
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addchdir_np(&fa, j->worktree);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	if (fd >= 0) {
		posix_spawn_file_actions_adddup2(&fa, fd, STDOUT_FILENO);
		posix_spawn_file_actions_adddup2(&fa, fd, STDERR_FILENO);
	}
	error = posix_spawnp(&j->pid, argv[0], &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (fd >= 0)
		close(fd);
	if (error) {
		j->pid = 0;
		t->steps[k].status = KX_TEST_ERROR;
		free(t->error);
		t->error = kx_xasprintf("cannot run %s: %s", argv[0], strerror(error));
	}
}

/*
 * Prepares commit index for the job (worktree, kernel configuration) and
 * starts its first step not recorded yet.  Leaves j->pid 0 when nothing
 * runs: all recorded, or the commit could not be prepared.
 */
static int start_job(struct kx_test_run *r, struct job *j, size_t index,
		     const char *logdir)
{
	struct kx_test_commit *t = &r->commits[index];
	size_t first = recorded_steps(r, t);
	char *why = NULL;
	int fd;

	j->pid = 0;
	j->index = index;
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
	if (move_worktree(r, j->worktree, t->id, fd, &why) < 0 ||
	    (r->kernel && configure_kernel(j->worktree, fd, &why) < 0)) {
		t->steps[first].status = KX_TEST_ERROR;
		t->error = why ? kx_xasprintf("%s; see %s", why, t->log) :
				 kx_xstrdup(kx_error_last());
		free(why);
		kx_error_clear();
		close(fd);
		return 0;
	}
	close(fd);
	start_step(r, j, first);
	return 0;
}

/* The job's step ended: record it; start the next one or finish. */
static int step_done(struct kx_test_run *r, struct job *j, int wstatus, bool *more)
{
	struct kx_test_commit *t = &r->commits[j->index];
	struct kx_test_step *st = &t->steps[j->step];
	int error;

	st->seconds = now() - j->start;
	st->exit_status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) :
			  128 + WTERMSIG(wstatus);
	st->status = st->exit_status ? KX_TEST_FAIL : KX_TEST_PASS;
	j->pid = 0;
	error = record(r, t, j->step);
	*more = false;
	if (!error && st->status == KX_TEST_PASS && j->step + 1 < r->steps_nr) {
		start_step(r, j, j->step + 1);
		*more = j->pid != 0;
	}
	return error;
}

int kx_test_execute(struct kx_test_run *r, volatile sig_atomic_t *stop)
{
	char *wtdir = kx_xasprintf("%skvmx86/worktrees/%s", r->prep.commondir, r->label);
	char *logdir = kx_xasprintf("%skvmx86/logs/%s", r->prep.commondir, r->label);
	struct job *jobs = kx_xcalloc(r->jobs, sizeof(*jobs));
	size_t next = 0, done = 0, running = 0, i;
	double t0 = now();
	int error;

	r->steps_nr = 0;
	r->step_argv[r->steps_nr] = r->argv;
	r->step_kind[r->steps_nr++] = "command";
	if (r->selftests) {
		r->step_argv[r->steps_nr] = r->selftests;
		r->step_kind[r->steps_nr++] = "selftests";
	}
	if (r->kut) {
		r->step_argv[r->steps_nr] = r->kut;
		r->step_kind[r->steps_nr++] = "kvm-unit-tests";
	}
	if ((error = make_dirs(wtdir)) < 0 || (error = make_dirs(logdir)) < 0)
		goto out;
	for (i = 0; i < r->jobs; i++)
		jobs[i].worktree = kx_xasprintf("%s/%zu", wtdir, i);

	while (!error && (next < r->nr || running)) {
		int wstatus;
		pid_t pid;

		/* fill the free jobs, in series order */
		for (i = 0; i < r->jobs && !error; i++) {
			while (!jobs[i].pid && next < r->nr && !*stop) {
				struct kx_test_commit *t = &r->commits[next];

				if ((error = start_job(r, &jobs[i], next, logdir)) < 0)
					break;
				next++;
				if (jobs[i].pid) {
					running++;
					continue;
				}
				/* all recorded, or it could not be prepared */
				summarize(r, t);
				if (t->status == KX_TEST_ERROR && !t->recorded) {
					size_t k;

					for (k = 0; t->steps[k].status != KX_TEST_ERROR; k++)
						;
					error = record(r, t, k);
				}
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
			bool more;

			if (jobs[i].pid != pid)
				continue;
			error = step_done(r, &jobs[i], wstatus, &more);
			if (!more) {
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
	for (i = 0; i < r->jobs; i++)
		free(jobs[i].worktree);
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
	free(r->commits);
	free(r->label);
	kx_prep_close(&r->prep);
	memset(r, 0, sizeof(*r));
}
