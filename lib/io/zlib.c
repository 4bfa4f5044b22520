// SPDX-License-Identifier: GPL-2.0-only
/*
 * zlib, loaded on the first call: the bundled libgit2 inflates objects
 * and kvmx86 inflates gzip'd lore answers, but `kvmx86 --version` and a
 * prep --show-info answered from its cache read no object, and one
 * shared object less to map and relocate at every start is worth 0.1 to
 * 0.2 ms there (docs/benchmarks.md, "Startup").  Built only with the
 * bundled libgit2 (a system libgit2 brings libz.so.1 itself); the soname
 * has been libz.so.1 since 1996.  These are the functions the executable
 * and its tests call; a new one fails the link, not the run.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include <dlfcn.h>
#include <zlib.h>

#define KX_LIBZ "libz.so.1"

static struct {
	int (*inflateInit_)(z_streamp, const char *, int);
	int (*inflateInit2_)(z_streamp, int, const char *, int);
	int (*inflate)(z_streamp, int);
	int (*inflateEnd)(z_streamp);
	int (*inflateReset)(z_streamp);
	int (*deflateInit_)(z_streamp, int, const char *, int);
	int (*deflateInit2_)(z_streamp, int, int, int, int, int, const char *, int);
	int (*deflate)(z_streamp, int);
	int (*deflateEnd)(z_streamp);
	int (*deflateReset)(z_streamp);
	uLong (*crc32)(uLong, const Bytef *, uInt);
} z;

static pthread_once_t z_once = PTHREAD_ONCE_INIT;
static bool z_loaded;
static char z_error[256];

#define Z_SYM(h, name) (*(void **)&z.name = dlsym(h, #name)) != NULL

static void z_load(void)
{
	void *h = dlopen(KX_LIBZ, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		snprintf(z_error, sizeof(z_error), "cannot load %s: %s", KX_LIBZ,
			 dlerror());
		return;
	}
	if (!(Z_SYM(h, inflateInit_) && Z_SYM(h, inflateInit2_) &&
	      Z_SYM(h, inflate) && Z_SYM(h, inflateEnd) &&
	      Z_SYM(h, inflateReset) && Z_SYM(h, deflateInit_) &&
	      Z_SYM(h, deflateInit2_) && Z_SYM(h, deflate) &&
	      Z_SYM(h, deflateEnd) && Z_SYM(h, deflateReset) &&
	      Z_SYM(h, crc32))) {
		snprintf(z_error, sizeof(z_error), "%s lacks a function kvmx86 needs",
			 KX_LIBZ);
		dlclose(h);
		return;
	}
	z_loaded = true;
}

/* Why zlib could not be loaded, or NULL (lib/io/io.h). */
const char *kx_zlib_error(void)
{
	return z_error[0] ? z_error : NULL;
}

/*
 * Without zlib no stream starts: the caller's error (libgit2's, or
 * kvmx86's own for a lore answer) carries z_error as zlib's message, and
 * nothing else is reached without a stream.
 */
static bool z_ready(z_streamp s)
{
	pthread_once(&z_once, z_load);
	if (!z_loaded && s)
		s->msg = z_error;
	return z_loaded;
}

int inflateInit_(z_streamp s, const char *version, int size)
{
	return z_ready(s) ? z.inflateInit_(s, version, size) : Z_VERSION_ERROR;
}

int inflateInit2_(z_streamp s, int bits, const char *version, int size)
{
	return z_ready(s) ? z.inflateInit2_(s, bits, version, size) : Z_VERSION_ERROR;
}

int inflate(z_streamp s, int flush)
{
	return z_ready(s) ? z.inflate(s, flush) : Z_STREAM_ERROR;
}

int inflateEnd(z_streamp s)
{
	return z_ready(s) ? z.inflateEnd(s) : Z_STREAM_ERROR;
}

int inflateReset(z_streamp s)
{
	return z_ready(s) ? z.inflateReset(s) : Z_STREAM_ERROR;
}

int deflateInit_(z_streamp s, int level, const char *version, int size)
{
	return z_ready(s) ? z.deflateInit_(s, level, version, size) : Z_VERSION_ERROR;
}

int deflateInit2_(z_streamp s, int level, int method, int bits, int mem,
		  int strategy, const char *version, int size)
{
	return z_ready(s) ? z.deflateInit2_(s, level, method, bits, mem, strategy,
					    version, size) : Z_VERSION_ERROR;
}

int deflate(z_streamp s, int flush)
{
	return z_ready(s) ? z.deflate(s, flush) : Z_STREAM_ERROR;
}

int deflateEnd(z_streamp s)
{
	return z_ready(s) ? z.deflateEnd(s) : Z_STREAM_ERROR;
}

int deflateReset(z_streamp s)
{
	return z_ready(s) ? z.deflateReset(s) : Z_STREAM_ERROR;
}

/* only after a stream has started (a pack's entries): loaded by then */
uLong crc32(uLong crc, const Bytef *buf, uInt len)
{
	return z_ready(NULL) ? z.crc32(crc, buf, len) : crc;
}
