#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# An enrolled branch needs no KVM remote for --show-info, --edit-cover,
# --set-prefixes, --force-revision, --compare-to, --cleanup: they use the
# recorded base.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)
b=x86/vmx/good-series
tip=$(mf branch.$b.tip)
git checkout -q "$b"
make_sent_tag "$b" 1 "$next" HEAD >/dev/null
b4_desc_state "$b" 2 1 >/dev/null  # b4 sent v1 (written by hand as b4 does)
echo "/* v2 */" >>tools/testing/selftests/kvm/x86_64/foo_test.c
commit_all "KVM: selftests: One more line for v2"
tip=$(sha HEAD)
run_kvmx86 prep --enroll
expect_exit 0

note "remove both KVM remotes (and their remote-tracking branches)"
git remote remove kvm-x86
git remote remove kvm
[ -z "$(git remote)" ] || fail "remotes left"
run_kvmx86 check-base
expect_fatal   # sanity: check-base itself needs the remote

note "--show-info"
run_kvmx86 prep --show-info
expect_exit 0
expect_info base-commit "$next"
expect_info base-branch kvm-x86/next
expect_info end-commit "$tip"
expect_info series-range "$next..$tip"
run_kvmx86 prep --show-info --json
expect_exit 0
expect_json '."base-commit"' "$next"

note "--set-prefixes, --force-revision, --edit-cover"
run_kvmx86 prep --set-prefixes RFC
expect_exit 0
run_kvmx86 prep --force-revision 3
expect_exit 0
printf '%s\n' "KVM: VMX: Offline" "" "Body." >"$T/cover.txt"
make_editor "$T/editor" "$T/cover.txt"
run_env GIT_EDITOR="$T/editor" -- prep --edit-cover
expect_exit 0
read_state "$b"
expect_json '.prefixes | join(",")' RFC
expect_json .revision 3
expect_json .cover.subject "KVM: VMX: Offline"

note "--compare-to"
run_kvmx86 prep --compare-to v1
expect_exit 0
expect_stdout_contains "KVM: selftests: One more line for v2"

note "--cleanup"
run_kvmx86 prep --cleanup
expect_exit 1
run_kvmx86 prep --cleanup --force
expect_exit 0
expect_no_state "$b"
! git rev-parse -q --verify "refs/tags/sent/$b-v1" >/dev/null || fail "sent tag left"

note "without a remote, -n and --enroll (no --base) cannot find the base: 128"
run_kvmx86 prep -n offline
expect_fatal
expect_no_state x86/misc/offline
run_kvmx86 prep --enroll
expect_fatal
expect_no_state "$b"
