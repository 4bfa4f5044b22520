#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# No zlib to load: with the bundled libgit2, kvmx86 loads zlib on the
# first object it reads (lib/io/zlib.c).  Hidden in a mount namespace of
# the test's own (unshare -rm: an empty file bound over libz.so.1), a
# command that reads objects fails (128) naming the library and how to
# install it, not a ref or an object it could not read; --version, which
# reads none, still works; nothing changes.
. "$(dirname "$0")/lib.sh"

"$KVMX86" --version | grep -q 'bundled' ||
	skip "a system libgit2 links zlib itself"
command -v unshare >/dev/null || skip "unshare is not installed (util-linux)"
unshare -rm true 2>/dev/null ||
	skip "user and mount namespaces are not permitted here"
libz=$(ldconfig -p | awk '$1 == "libz.so.1" && /x86-64|x86_64/ { print $NF; exit }')
[ -n "$libz" ] || libz=$(ldconfig -p | awk '$1 == "libz.so.1" { print $NF; exit }')
[ -n "$libz" ] || skip "no libz.so.1 in the loader's cache"

enrolled_series
snapshot "$T/before"
: >"$T/empty"

# without_zlib ARGS...: kvmx86 ARGS with libz.so.1 an empty file; RC, OUT
# and ERR as run_kvmx86 sets them
without_zlib() {
	LAST_CMD="(no zlib) kvmx86$(printf ' %q' "$@")"
	LAST_DIR=$PWD
	RC=0
	unshare -rm bash -c '
		libz=$1 empty=$2
		shift 2
		mount --bind "$empty" "$libz" || exit 99
		exec "$@"
	' sh "$libz" "$T/empty" "$KVMX86" "$@" >"$OUT" 2>"$ERR" || RC=$?
	[ "$RC" != 99 ] || skip "cannot bind a file over $libz here"
}

for args in "prep --check" "check-base" "prep --cover --offline" "send -o $T/out --force"; do
	note "$args without zlib"
	# shellcheck disable=SC2086
	without_zlib $args
	expect_exit 128 "kvmx86 $args without zlib"
	expect_message "cannot load libz.so.1"
	expect_stderr_contains "hint: kvmx86 reads objects with zlib: install it (Debian: apt-get install zlib1g)"
	expect_stderr_lacks "there is no refs/heads"
	expect_stderr_lacks "is corrupt"
	expect_clean_bytes
	expect_unchanged "$T/before" "kvmx86 $args without zlib"
done
[ ! -e "$T/out" ] || fail "send -o wrote $T/out without zlib"

note "--version reads no object, and needs no zlib"
without_zlib --version
expect_exit 0 "kvmx86 --version without zlib"
expect_stdout_contains "libgit2"
