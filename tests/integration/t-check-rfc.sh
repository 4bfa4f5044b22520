#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --check's rfc-untested-feature: a series that adds uapi (a KVM_CAP_
# in include/uapi/linux/kvm.h) without a KVM selftest gets a series
# warning, unless the enrolled branch is tagged RFC (its state's prefixes,
# prep --set-prefixes) or a commit changes tools/testing/selftests/kvm/.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
b=x86/misc/foo-cap
new_branch "$b" kvm-x86/next
sed -i 's|^#endif /\* __LINUX_KVM_H \*/|#define KVM_CAP_FOO 240\n&|' \
	include/uapi/linux/kvm.h
commit_all "KVM: Add KVM_CAP_FOO to enable foo" \
	"Let userspace enable foo for a VM."

# rfc_findings: the rfc-untested-feature findings as "commit severity".
rfc_findings() {
	jq -r '.findings[] | select(.rule == "rfc-untested-feature") | "\(.commit) \(.severity)"' <"$OUT"
}

note "new uapi, no selftest, not enrolled: a series warning"
run_kvmx86 prep --check --json kvm-x86/next.."$b"
expect_exit 0
[ "$(rfc_findings)" = "null warning" ] || fail "findings: '$(rfc_findings)'"
run_kvmx86 prep --check kvm-x86/next.."$b"
expect_stdout_contains "series warning rfc-untested-feature: patch 1 adds KVM_CAP_FOO to include/uapi/linux/kvm.h, and no patch changes the KVM selftests"

note "enrolled without prefixes: still"
run_kvmx86 prep --enroll
expect_exit 0
run_kvmx86 prep --check --json
[ "$(rfc_findings)" = "null warning" ] || fail "findings: '$(rfc_findings)'"

note "tagged RESEND: still; tagged RFC: none"
run_kvmx86 prep --set-prefixes RESEND
expect_exit 0
run_kvmx86 prep --check --json
[ "$(rfc_findings)" = "null warning" ] || fail "findings: '$(rfc_findings)'"
run_kvmx86 prep --set-prefixes RFC,RESEND
expect_exit 0
run_kvmx86 prep --check --json
[ -z "$(rfc_findings)" ] || fail "findings with RFC: '$(rfc_findings)'"

note "not RFC, but a selftest in the series: none"
run_kvmx86 prep --set-prefixes ""
expect_exit 0
commit_append tools/testing/selftests/kvm/x86_64/foo_test.c \
	"KVM: selftests: Test KVM_CAP_FOO" <<'EOT'
int foo_test_ran;
EOT
run_kvmx86 prep --check --json
[ -z "$(rfc_findings)" ] || fail "findings with a selftest: '$(rfc_findings)'"
