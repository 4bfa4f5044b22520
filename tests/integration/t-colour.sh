#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Colour only on a terminal; never with NO_COLOR set or TERM=dumb.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"

note "not a terminal: no ESC byte"
for b in x86/vmx/good-series x86/mmu/multiarch fixes/current; do
	run_env TERM=xterm-256color -- check-base "$b"
	expect_no_esc
	run_env TERM=xterm-256color -- check-base --json "$b"
	expect_no_esc
done
run_env TERM=xterm-256color NO_COLOR=1 -- check-base x86/mmu/multiarch
expect_exit 1
expect_no_esc


need_tty

note "a terminal: colour"
on_tty TERM=xterm-256color -- check-base x86/mmu/multiarch
expect_exit 1
expect_verdict_tty() {
	tr -d '\r' <"$OUT" | sed 's/\x1b\[[0-9;]*m//g' | grep -qE "^verdict: +$1( .*)?\$" ||
		fail "tty verdict is not '$1'"
}
expect_verdict_tty wrong
grep -q $'\033\\[' "$OUT" || fail "no colour (ESC [) on a terminal"

note "a terminal with NO_COLOR=1: no colour"
on_tty TERM=xterm-256color NO_COLOR=1 -- check-base x86/mmu/multiarch
expect_exit 1
expect_verdict_tty wrong
expect_no_esc

note "a terminal with TERM=dumb: no colour"
on_tty TERM=dumb -- check-base x86/mmu/multiarch
expect_exit 1
expect_verdict_tty wrong
expect_no_esc

note "a terminal, --json: no colour in JSON"
on_tty TERM=xterm-256color -- check-base --json x86/vmx/good-series
expect_exit 0
expect_no_esc

note "test's progress line on a terminal with TERM=dumb or no TERM: no escape sequence"
git checkout -q x86/vmx/good-series
on_tty TERM=dumb -- test --rerun -- sleep 0.3
expect_exit 0
expect_no_esc
on_tty -u TERM -- test --rerun -- sleep 0.3
expect_exit 0
expect_no_esc
on_tty TERM=xterm-256color -- test --rerun -- sleep 0.3
expect_exit 0
grep -q $'\r' "$OUT" || fail "no progress line on a terminal"

note "test --json with stderr on a terminal: the progress line there, the object alone on stdout"
cmd=$(printf '%q ' env TERM=xterm-256color "$KVMX86" test --json --rerun -- sleep 0.3)
LAST_CMD="(tty) $cmd >$T/json.out"
RC=0
SHELL=/bin/sh script -qec "$cmd >$T/json.out" /dev/null </dev/null >"$OUT" 2>"$ERR" || RC=$?
expect_exit 0
grep -q 'test: 0/3 commits' "$OUT" || fail "no progress line on the terminal with --json"
[ "$(jq -s length <"$T/json.out")" = 1 ] || fail "stdout is not one JSON document"
! grep -q $'\033' "$T/json.out" || fail "an escape sequence in the JSON"
