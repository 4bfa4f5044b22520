#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# What a killed git or kvmx86 leaves, and a state that cannot be written:
# a branch's ref lock left behind is named with the command that clears
# it before anything is rewritten; prep -n that cannot write its state
# makes nothing.
. "$(dirname "$0")/lib.sh"

enrolled_series
b=x86/vmx/good-series
gd=$(git rev-parse --path-format=absolute --git-common-dir)

note "refs/heads/<branch>.lock left by a killed rewrite"
mkdir -p "$(dirname "$gd/refs/heads/$b.lock")"
echo junk >"$gd/refs/heads/$b.lock"
snapshot "$T/before"
run_kvmx86 prep --link 'a@example.com' --offline
expect_fatal "refs/heads/$b is locked: $gd/refs/heads/$b.lock exists"
expect_stderr_contains "rm '$gd/refs/heads/$b.lock'"
expect_unchanged "$T/before" "a locked branch"
rm "$gd/refs/heads/$b.lock"

note "prep -n whose state cannot be written makes nothing"
mv "$gd/kvmx86/state" "$T/state.saved"
: >"$gd/kvmx86/state"
snapshot "$T/before"
run_kvmx86 prep -n unwritable --topic vmx
expect_fatal
expect_stderr_contains "nothing was made"
git rev-parse -q --verify refs/heads/x86/vmx/unwritable >/dev/null &&
	fail "the branch was made"
expect_unchanged "$T/before" "prep -n with no room for its state"
rm "$gd/kvmx86/state"
mv "$T/state.saved" "$gd/kvmx86/state"
