/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The libFuzzer harnesses (tests/fuzz/fuzz-*.c): one per parser of outside
 * input.  Each defines LLVMFuzzerTestOneInput(); built with clang's
 * -fsanitize=fuzzer by scripts/fuzz, and with standalone.c's main() by the
 * ordinary build, which runs every seed and every input that once crashed.
 * A harness checks properties too: what it finds wrong, it abort()s on.
 */
#ifndef KVMX86_FUZZ_H
#define KVMX86_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvmx86/error.h"
#include "kvmx86/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of the input, exactly size + 1 bytes (caller frees). */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = kx_xmalloc(size + 1);

	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Fails the run with why: libFuzzer keeps the input as a crash. */
#define FUZZ_ASSERT(cond)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: property broken: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

/* Inputs longer than this are cut: every parser is linear, so this is enough. */
#define FUZZ_MAX_INPUT (1 << 16)

#endif
