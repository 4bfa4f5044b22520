// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stdio.h>

#include "kvmx86/error.h"

static _Thread_local char last_msg[1024];
static _Thread_local int last_code;
static _Thread_local char last_hint[1024];

int kx_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
	va_end(ap);
	last_code = code;
	last_hint[0] = '\0';
	return code;
}

const char *kx_error_last(void)
{
	return last_msg;
}

int kx_error_code(void)
{
	return last_code;
}

void kx_error_clear(void)
{
	last_msg[0] = '\0';
	last_hint[0] = '\0';
	last_code = 0;
}

void kx_error_hint(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_hint, sizeof(last_hint), fmt, ap);
	va_end(ap);
}

const char *kx_error_last_hint(void)
{
	return last_hint;
}
