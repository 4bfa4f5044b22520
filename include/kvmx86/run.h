/* SPDX-License-Identifier: GPL-2.0-only */
/* Running other programs: always an argv, never a shell of kvmx86's making. */
#ifndef KVMX86_RUN_H
#define KVMX86_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Returns false for an entry ("NAME=value") of the environment that no
 * program kvmx86 starts may inherit: GIT_DIR, GIT_INDEX_FILE,
 * GIT_WORK_TREE, GIT_COMMON_DIR and GIT_PREFIX name the caller's
 * repository, not the one the program works in.
 */
bool kx_run_env_keeps(const char *entry);

/*
 * Returns this process's environment without what kx_run_env_keeps()
 * drops: a NULL-terminated array borrowing environ's strings (free the
 * array only).  Every program kvmx86 starts gets it.
 */
char **kx_run_env(void);

/*
 * Runs argv[0] (looked up in PATH) with argv in cwd (NULL: this one),
 * stdin and stderr inherited;
 * stdout too unless out is given, where it is captured (caller frees).
 * Stores the exit status (128 + signal for a signal) in *status.  Returns
 * 0 if the program ran, KX_ERROR if it could not be started.
 */
int kx_run(const char *const argv[], const char *cwd, char **out,
	   int *status);

/*
 * Starts argv (looked up in PATH) in cwd (NULL: this one) with stdin from
 * /dev/null, stdout and stderr to fd (inherited when fd < 0), in envp
 * (NULL: this environment without git's repository variables), and
 * returns without waiting: the caller waits for *pid.  Returns 0, or the
 * errno of a start that failed (*pid 0, no message stored).
 */
int kx_run_spawn(pid_t *pid, const char *const argv[], const char *cwd,
		 const char *const *envp, int fd);

/*
 * Runs argv like kx_run() with stdin from /dev/null and stdout and stderr
 * going to fd (a log file).
 */
int kx_run_fd(const char *const argv[], const char *cwd, int fd, int *status);

/* How kx_run_input() starts its program. */
enum kx_run_flags {
	/*
	 * With SIGINT and SIGQUIT ignored: a Ctrl-C at the terminal reaches
	 * kvmx86 alone, which lets the program finish what it is doing (a
	 * mail on its way) and hears how it ended.  The program stays in the
	 * terminal's process group, so that it can still ask there.
	 */
	KX_RUN_NO_SIGINT = 1 << 0,
};

/*
 * Runs argv like kx_run() with the len bytes of input on its stdin (a
 * program that stops reading is no error) and stdout captured into *out
 * (caller frees) unless out is NULL; stderr inherited; flags from
 * enum kx_run_flags.  *signalled (unless NULL) says whether a signal
 * ended the program, which an exit status of 129 to 255 does not.  The
 * buffers that held the output are overwritten before they are freed (a
 * password from `git credential fill` passes there).  Returns 0 if the
 * program ran, KX_ERROR if it could not be started.
 */
int kx_run_input(const char *const argv[], const char *cwd, const char *input,
		 size_t len, char **out, int *status, bool *signalled,
		 unsigned flags);

/* A program running beside kvmx86, its stdout in a pipe. */
struct kx_proc {
	pid_t pid;
	int fd;			/* the pipe's read end */
	const char *name;
};

/*
 * Starts argv like kx_run(), stdin from /dev/null and stdout into a pipe,
 * and returns without waiting; kx_run_finish() must follow.  Returns 0 or
 * KX_ERROR.
 */
int kx_run_start(struct kx_proc *p, const char *const argv[], const char *cwd);

/*
 * Reads the rest of p's output into *out (caller frees), waits for it and
 * stores its exit status.  Returns 0 or KX_ERROR.
 */
int kx_run_finish(struct kx_proc *p, char **out, int *status);

#endif
