#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# send asks before the mails go, as git send-email's sendemail.confirm
# does (once for the series): on a terminal it shows what goes to whom and
# takes y or n; unset, Enter (or no terminal at all) sends, as git's
# default; set, no terminal is a refusal; never, or --confirm=never, does
# not ask.  A no, or a Ctrl-C at the question, sends and records nothing
# and leaves no lock behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-send.sh"

need_tty

cd "$(sample_repo)"
send_identity
sendmail_sink

five_series x86/vmx/ask
next=$(sha refs/remotes/kvm-x86/next)

note "sendemail.confirm set, no terminal: refused, nothing sent"
git config sendemail.confirm always
run_kvmx86 send
expect_exit 1
expect_stderr_contains "standard input is no terminal to answer on: nothing was sent"
expect_stderr_contains "hint: --confirm=never sends without asking"
[ "$(sent)" = 0 ] || fail "a mail went"
run_kvmx86 send --json
expect_exit 1
expect_json_true '[.refusals[] | select(.reason | test("standard input is no terminal"))] | length == 1' \
	"--json's refusals name the question no one can answer"
read_state x86/vmx/ask
expect_json_true '.attempt == null and ((.sent // []) | length == 0)' "nothing was recorded"

note "on a terminal, n: what would go is shown, nothing goes"
answer_on_tty $'n\n' send
expect_exit 1
expect_stdout_contains "about to send 6 mails of v1 of x86/vmx/ask:"
expect_stdout_contains "[PATCH 0/5] KVM: VMX: Five changes"
expect_stdout_contains "kvm@vger.kernel.org"
expect_stdout_contains "Send them? [y/n]"
expect_stdout_contains "nothing was sent"
[ "$(sent)" = 0 ] || fail "a mail went after n"

note "a Ctrl-C at the question: nothing goes, no lock is left"
mkfifo "$T/in"
cmd=$(printf '%q ' exec "$KVMX86" send)
(
	rc=0
	SHELL=/bin/sh script -qec "$cmd" /dev/null <"$T/in" >"$T/tty.out" 2>&1 || rc=$?
	echo "$rc" >"$T/tty.rc"
) &
exec 3>"$T/in"
for i in $(seq 1 300); do
	grep -q 'Send them?' "$T/tty.out" 2>/dev/null && break
	sleep 0.1
done
grep -q 'Send them?' "$T/tty.out" || fail "no question on the terminal: $(cat "$T/tty.out")"
printf '\003' >&3
exec 3>&-
wait
grep -q 'stopped by signal 2: nothing was sent' "$T/tty.out" ||
	fail "Ctrl-C at the question: $(cat "$T/tty.out")"
[ "$(cat "$T/tty.rc")" = 2 ] || fail "Ctrl-C at the question exits $(cat "$T/tty.rc"), not 2"
[ "$(sent)" = 0 ] || fail "a mail went after Ctrl-C"
[ -z "$(ls "$(git rev-parse --git-common-dir)"/kvmx86/state/*.lock 2>/dev/null)" ] ||
	fail "a lock was left behind"

note "--confirm=never: no question"
run_kvmx86 send --confirm=never --dry-run
expect_exit 0
run_kvmx86 send --confirm=sometimes
expect_exit 129
expect_stderr_contains "use always, auto, cc, compose or never"
git config sendemail.confirm sometimes
run_kvmx86 send
expect_exit 128
expect_stderr_contains "'sendemail.confirm'"
git config sendemail.confirm auto

note "on a terminal, y: sent"
answer_on_tty $'y\n' send
expect_exit 0
[ "$(sent)" = 6 ] || fail "$(sent) mails went, not 6"

note "unset: Enter sends, as git send-email's default"
git config --unset sendemail.confirm
rm -f "$T"/out/*
five_series x86/vmx/enter
answer_on_tty $'\n' send
expect_exit 0
expect_stdout_contains "Send them? [Y/n]"
[ "$(sent)" = 6 ] || fail "$(sent) mails went on Enter, not 6"

note "unset, no terminal: sent without a question"
rm -f "$T"/out/*
five_series x86/vmx/quiet
run_kvmx86 send
expect_exit 0
expect_stderr_lacks "Send them?"
[ "$(sent)" = 6 ] || fail "$(sent) mails went, not 6"
