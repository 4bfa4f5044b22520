#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --cleanup refuses (exit 1, nothing changed) while a send attempt is
# unfinished, though every commit is in a sent version (v2 being v1's
# commits with other prefixes, or a --resend of v1): archived, the mails
# it has left would never go.  The hint's command finishes the attempt;
# --force archives anyway.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-send.sh"

need_aiosmtpd
cd "$(sample_repo)"
send_identity
b=x86/vmx/tidy
tidy_series "$b"

smtp_start
send_config
run_kvmx86 prep --set-prefixes RFC
expect_exit 0
run_kvmx86 send --force
expect_exit 0 "RFC v1 sent"

note "v2, the same commits without RFC, is cut off after its cover letter"
run_kvmx86 prep --set-prefixes ""
expect_exit 0
restart --drop-after 1
run_kvmx86 send --force
expect_exit 2 "v2 cut off"
sf=$(state_file "$b")
cp "$sf" "$T/state.1"
refs_snapshot "$T/refs.before"
run_kvmx86 prep --cleanup
expect_exit 1 "cleanup beside an unfinished send"
expect_stderr_contains "an attempt to send v2 of $b began"
expect_stderr_contains "(1 of 3 mails accepted): nothing was cleaned up"
expect_stderr_contains "  kvmx86 send $b"
expect_stderr_contains "  kvmx86 prep --cleanup --force $b"
expect_same_file "$sf" "$T/state.1" "refused --cleanup"
expect_refs_unchanged "$T/refs.before" "refused --cleanup"
restart
run_kvmx86 send "$b"
expect_exit 0 "the hint finishes v2"
[ "$(smtp_count)" = 6 ] || fail "the server has $(smtp_count) mails, not 6"

note "a resend of v1 cut off: the hint is the resend"
restart --drop-after 1
run_kvmx86 send --resend v1
expect_exit 2 "the resend cut off"
run_kvmx86 prep --cleanup
expect_exit 1 "cleanup beside an unfinished resend"
expect_stderr_contains "an attempt to resend v1 of $b began"
expect_stderr_contains "  kvmx86 send --resend v1 $b"

note "--force archives anyway"
run_kvmx86 prep --cleanup --force
expect_exit 0 "cleanup --force"
expect_no_state "$b"
