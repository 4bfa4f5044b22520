// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runs a harness over files and directories of inputs without libFuzzer:
 * the seed corpora and every input that once crashed, in the ordinary
 * build and under its sanitizers.  Exit 0 when each ran through.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "kvmx86/file.h"

static int run_file(const char *path)
{
	char *text;
	size_t len;

	if (kx_file_read(&text, &len, path, (size_t)64 << 20) < 0) {
		fprintf(stderr, "fuzz: %s\n", kx_error_last());
		return 1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)text, len);
	free(text);
	return 0;
}

static int run_path(const char *path, size_t *count)
{
	struct dirent **names;
	struct stat st;
	int n, i, bad = 0;

	if (stat(path, &st) < 0) {
		perror(path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	/* in name order: a run is the same run every time */
	n = scandir(path, &names, NULL, alphasort);
	if (n < 0) {
		perror(path);
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			char *sub = kx_xasprintf("%s/%s", path, names[i]->d_name);

			bad |= run_path(sub, count);
			free(sub);
		}
		free(names[i]);
	}
	free(names);
	return bad;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int i, bad = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s <file or directory>...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++)
		bad |= run_path(argv[i], &count);
	printf("%s: %zu inputs\n", argv[0], count);
	return bad;
}
