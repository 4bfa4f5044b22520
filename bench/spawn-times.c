// SPDX-License-Identifier: GPL-2.0-only
/*
 * spawn-times RUNS PROGRAM-A PROGRAM-B ARG...: runs "PROGRAM-A ARG..." and
 * "PROGRAM-B ARG..." RUNS times each, alternately (A B A B ...), output to
 * /dev/null, and prints one line per run: "a|b wall_ms cpu_ms" (cpu: user
 * and system time of the child).  Alternating puts the machine's drift on
 * both; a command that fails stops the measurement (exit 1).  Used by
 * bench/startup, where a millisecond is the whole of a command's cost and
 * a shell or hyperfine between the runs would be a large part of it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double ms(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1e3 + (b->tv_nsec - a->tv_nsec) / 1e6;
}

static int run(char **argv, double *wall, double *cpu)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status;
	pid_t pid;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		if (null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*wall = ms(&t0, &t1);
	*cpu = ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3 +
	       ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -1;
}

int main(int argc, char **argv)
{
	double wall, cpu;
	char *prog[2];
	int runs, i, k;

	if (argc < 4 || (runs = atoi(argv[1])) < 1) {
		fputs("usage: spawn-times RUNS PROGRAM-A PROGRAM-B [ARG...]\n", stderr);
		return 129;
	}
	prog[0] = argv[2];
	prog[1] = argv[3];
	/* argv + 3 becomes each run's argv: the program, then the arguments */
	for (i = 0; i < runs; i++) {
		for (k = 0; k < 2; k++) {
			argv[3] = prog[k];
			if (run(argv + 3, &wall, &cpu) < 0) {
				fprintf(stderr, "spawn-times: %s failed\n", prog[k]);
				return 1;
			}
			printf("%c %.4f %.4f\n", k ? 'b' : 'a', wall, cpu);
		}
	}
	return 0;
}
