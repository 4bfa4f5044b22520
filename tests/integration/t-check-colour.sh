#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --check: colour on a terminal only; never with NO_COLOR or TERM=dumb,
# and never in --json.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
b=x86/misc/bad-style

# plain: the terminal's output without colour nor carriage returns.
plain() {
	tr -d '\r' <"$OUT" | sed 's/\x1b\[[0-9;]*m//g'
}

note "not a terminal: no ESC byte"
run_env TERM=xterm-256color -- prep --check "$b"
expect_exit 1
expect_no_esc
cp "$OUT" "$T/plain.txt"

need_tty

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
