/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Errors: functions return 0 or a negative KX_E* code, and store one
 * message per thread that the caller may print.  Library code never prints.
 */
#ifndef KVMX86_ERROR_H
#define KVMX86_ERROR_H

enum {
	KX_OK = 0,
	KX_ERROR = -1,		/* generic failure */
	KX_ENOTFOUND = -2,	/* a revision, ref, remote or file is missing */
	KX_EINVALID = -3,	/* input that cannot be accepted as is */
	KX_ENOMEM = -4,
	KX_EGIT = -5,		/* libgit2 failed */
	KX_ENET = -6,
	KX_EUSAGE = -7,		/* the user asked for something impossible */
};

/* Stores a printf-style message for this thread and returns code. */
int kx_error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Returns the last message stored on this thread, or "" if none. */
const char *kx_error_last(void);

/* Returns the code stored with the last message, or 0 if none. */
int kx_error_code(void);

/* Forgets the stored message and hint. */
void kx_error_clear(void);

/* Stores a hint (what to do) beside the last message; cleared by the next set. */
void kx_error_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Returns the hint stored with the last message, or "" if none. */
const char *kx_error_last_hint(void);

#endif
