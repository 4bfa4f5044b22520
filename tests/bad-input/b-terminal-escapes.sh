#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Commit subjects and checkpatch's output with terminal escapes (an OSC 52
# clipboard write, a screen clear, a cursor report request, BEL, CR, a C1
# CSI, bytes that are not UTF-8): every text output shows them escaped;
# --json carries them exactly.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)
subject=$'KVM: VMX: Frob \e]52;c;Zm9v\a \e[2J \e[6n\r \xc2\x9b6n \xe9'
git checkout -q -b x86/vmx/escapes "$next"
echo "/* one */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -am "$subject"
echo "/* two */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -am "KVM: VMX: Second"
run_kvmx86 prep --enroll
expect_exit 0
snapshot "$T/before"

shown='KVM: VMX: Frob ^[]52;c;Zm9v^G ^[[2J ^[[6n^M <C2><9B>6n'

note "check-base"
run_kvmx86 check-base
expect_exit 0
expect_clean_bytes
expect_stdout_contains "$shown"

note "prep --check"
run_kvmx86 prep --check
expect_clean_bytes
expect_stdout_contains "$shown"
expect_unchanged "$T/before" "check-base and prep --check"

note "prep --check --json is exact"
run_kvmx86 prep --check --json
[ "$(jq -r '.commits[0].subject' <"$OUT")" = "$(git log -1 --format=%s HEAD~)" ] ||
	fail "--json does not carry the subject exactly"

note "prep --cover"
git config branch.x86/vmx/escapes.description "unused"
run_kvmx86 prep --cover --offline
expect_exit 0
expect_clean_bytes

note "test"
run_kvmx86 test -- true
expect_exit 0
expect_clean_bytes
expect_stdout_contains "^[]52;c;Zm9v^G"

note "checkpatch's output"
mkdir -p scripts
cat >scripts/checkpatch.pl <<'EOS'
#!/usr/bin/perl
print "$ARGV[-1]:1: WARNING:LONG_LINE: line \e[2J\e]0;title\a over 100 columns\n";
print STDERR "checkpatch: \e[31mnoise\e[m\n";
exit 1;
EOS
run_kvmx86 prep --check --checkpatch
expect_clean_bytes
expect_stdout_contains "checkpatch/LONG_LINE: line ^[[2J^[]0;title^G over 100 columns"
rm -rf scripts

note "a change-id shown by --show-info, from a hand-edited state"
sf=$(state_file x86/vmx/escapes)
jq '.cover.body = "blurb \u001b[2J\r more"' "$sf" >"$T/s.json" && cp "$T/s.json" "$sf"
run_kvmx86 prep --cover --offline
expect_exit 0
expect_clean_bytes
expect_stdout_contains "blurb ^[[2J^M more"
