/* SPDX-License-Identifier: GPL-2.0-only */
/* Running other programs: always an argv, never a shell of kvmx86's making. */
#ifndef KVMX86_RUN_H
#define KVMX86_RUN_H

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
 * Runs argv like kx_run() with stdin from /dev/null and stdout and stderr
 * going to fd (a log file).
 */
int kx_run_fd(const char *const argv[], const char *cwd, int fd, int *status);

#endif
