#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --check: colour on a terminal only; never with NO_COLOR or TERM=dumb,
# and never in --json.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
b=x86/misc/bad-style

# on_tty VAR=VALUE... -- ARGS...: runs kvmx86 on a pseudo-terminal (util-linux
# script); the terminal's output goes to $OUT.
on_tty() {
	local envs=() cmd
	while [ "$1" != -- ]; do
		envs+=("$1")
		shift
	done
	shift
	cmd=$(printf '%q ' env "${envs[@]}" "$KVMX86" "$@")
	LAST_CMD="(tty) $cmd"
	LAST_DIR=$PWD
	RC=0
	SHELL=/bin/sh script -qec "$cmd" /dev/null </dev/null >"$OUT" 2>"$ERR" ||
		RC=$?
}
# plain: the terminal's output without colour nor carriage returns.
plain() {
	tr -d '\r' <"$OUT" | sed 's/\x1b\[[0-9;]*m//g'
}

note "not a terminal: no ESC byte"
run_env TERM=xterm-256color -- prep --check "$b"
expect_exit 1
expect_no_esc
cp "$OUT" "$T/plain.txt"

command -v script >/dev/null || skip "no script(1) for a pseudo-terminal"
SHELL=/bin/sh script -qec 'test -t 1' /dev/null </dev/null >/dev/null 2>&1 ||
	skip "script(1) cannot give a pseudo-terminal here"

note "a terminal: colour, and the same text once it is removed"
on_tty TERM=xterm-256color -- prep --check "$b"
expect_exit 1
grep -q $'\033\\[' "$OUT" || fail "no colour (ESC [) on a terminal"
plain | diff -u "$T/plain.txt" - >&2 ||
	fail "the coloured output is not the plain one plus colour (diff above)"

note "a terminal, --json: no colour"
on_tty TERM=xterm-256color -- prep --check --json "$b"
expect_exit 1
expect_no_esc

note "a terminal with NO_COLOR=1: no colour"
on_tty TERM=xterm-256color NO_COLOR=1 -- prep --check "$b"
expect_exit 1
expect_no_esc
plain | diff -u "$T/plain.txt" - >&2 || fail "NO_COLOR output differs (diff above)"

note "a terminal with TERM=dumb: no colour"
on_tty TERM=dumb -- prep --check "$b"
expect_exit 1
expect_no_esc
