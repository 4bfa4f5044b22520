#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --cleanup beside an unfinished send attempt: the two commands of
# its hint name the branch as one shell word, so that a branch named
# with a ';' and a '${IFS}' (git allows them) pastes back as that branch,
# never as a second command.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-send.sh"

need_aiosmtpd
cd "$(sample_repo)"
send_identity
b='x86/vmx/tidy;touch${IFS}pwned'
tidy_series "$b"

smtp_start
send_config
restart --drop-after 1
run_kvmx86 send --force
expect_exit 2 "v1 cut off"
run_kvmx86 prep --cleanup
expect_exit 1 "cleanup beside an unfinished send"
word="'x86/vmx/tidy;touch\${IFS}pwned'"
expect_stderr_contains "  kvmx86 send $word"
expect_stderr_contains "  kvmx86 prep --cleanup --force $word"

note "the hint's commands, pasted into a shell, name the branch"
cp "$ERR" "$T/hint.txt"
restart
sed -n 's/^hint:   kvmx86 /run_kvmx86 /p' "$T/hint.txt" >"$T/hint.sh"
[ "$(wc -l <"$T/hint.sh")" = 2 ] || fail "the hint has not two commands: $(cat "$T/hint.sh")"
head -n 1 "$T/hint.sh" >"$T/finish.sh"
. "$T/finish.sh"
expect_exit 0 "the hint finishes v1"
[ ! -e pwned ] || fail "the hint ran a command of the branch's name"
