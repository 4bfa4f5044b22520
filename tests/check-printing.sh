#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# check-printing.sh SOURCE-DIR: every text kvmx86 prints goes through
# cmd/out.c's kx_out_printf() or kx_out_text(), which escape control
# characters, so that none can be forgotten: no other code of cmd/ calls
# the stdio printers, and no code of lib/ prints to stdout or stderr (but
# util.c's out-of-memory and trace lines, which hold no outside text).
# JSON goes out through json_dumpf(), exact.
set -u
src=${1:?usage: check-printing.sh SOURCE-DIR}
bad=0

hits=$(grep -n -E '(^|[^A-Za-z0-9_])(printf|fprintf|vfprintf|vprintf|puts|fputs|putchar|putc|fputc|fwrite|dprintf|perror|err|warn|errx|warnx)[[:space:]]*\(' \
	"$src"/cmd/*.c | grep -v '^[^:]*/cmd/out\.c:')
if [ -n "$hits" ]; then
	echo "cmd/ prints without kx_out_printf()/kx_out_text():"
	echo "$hits"
	bad=1
fi

hits=$(grep -n -E '(^|[^A-Za-z0-9_])((printf|puts|putchar|perror|vprintf)[[:space:]]*\(|(fprintf|fputs|fputc|putc|fwrite|vfprintf)[[:space:]]*\(.*(stdout|stderr))' \
	$(find "$src/lib" -name '*.c') | grep -v '^[^:]*/lib/core/util\.c:')
if [ -n "$hits" ]; then
	echo "lib/ prints (only cmd/ prints):"
	echo "$hits"
	bad=1
fi
exit $bad
