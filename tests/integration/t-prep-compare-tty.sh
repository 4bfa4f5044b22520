#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --compare-to on a terminal: git range-diff's colour stays, but a
# commit's own control characters (ESC, CR) are shown, never obeyed; to a
# pipe, git's bytes as they are.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-send.sh"

need_tty

cd "$(sample_repo)"
send_identity
five_series x86/vmx/compare
sendmail_sink
run_kvmx86 send
expect_exit 0

note "v2 retitles its last patch with ESC ]0; (a window title) and a CR"
git commit -q --amend -m "$(printf 'KVM: VMX: Change \033]0;owned\007thing 5\rX')" \
	-m "Signed-off-by: Tess Ting <tess@example.com>"

# tty ENV...: prep --compare-to v1 on a pseudo-terminal, output in $OUT.
tty() {
	SHELL=/bin/sh script -qec "$(printf '%q ' env "$@" "$KVMX86" prep --compare-to v1)" \
		/dev/null </dev/null >"$OUT" 2>"$ERR" || fail "--compare-to failed: $(cat -v "$OUT")"
}

tty TERM=xterm-256color
grep -q $'\033\\[[0-9;]*m' "$OUT" || fail "no colour on a terminal: $(cat -v "$OUT")"
! grep -q $'\033\\]' "$OUT" || fail "the commit's ESC ] reached the terminal: $(cat -v "$OUT")"
! grep -q $'\a' "$OUT" || fail "the commit's BEL reached the terminal"
grep -qF 'Change ^[]0;owned^Gthing 5^MX' "$OUT" ||
	fail "the subject is not shown escaped: $(cat -v "$OUT")"

tty TERM=xterm-256color NO_COLOR=1
! grep -q $'\033' "$OUT" || fail "an ESC with NO_COLOR: $(cat -v "$OUT")"

note "to a pipe: git's bytes"
run_kvmx86 prep --compare-to v1
expect_exit 0
grep -q $'\033\\]0;owned' "$OUT" || fail "the subject's bytes changed on a pipe"
