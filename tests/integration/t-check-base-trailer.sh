#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# base-trailer: an enrolled series stacked on commits no KVM tree has gets
# one warning naming them (each becomes a prerequisite-patch-id line); a
# series on kvm-x86/next gets none; the rule is tunable.  A series of
# selftests alone on such KVM commits gets co-post-selftests' advice.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)

note "on kvm-x86/next: no base-trailer"
git checkout -q x86/vmx/good-series
run_kvmx86 prep --enroll
run_kvmx86 prep --check --json
expect_json '[.findings[] | select(.rule == "base-trailer")] | length' 0

note "stacked on good-series: one warning with the three commits below"
git checkout -q -b x86/vmx/stacked
echo "/* stacked */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -am "KVM: VMX: Stack one more change" -m "Add one more line to vmx.c on top of the other series." \
	-m "Signed-off-by: $GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL>"
run_kvmx86 prep --enroll --base HEAD~1
run_kvmx86 prep --check
expect_exit 0
expect_stdout_contains "series warning base-trailer: the series builds on 3 commits that no KVM tree has: $(short HEAD~3) (\"$(git log -1 --format=%s HEAD~3)\")"
expect_stdout_contains "base-commit: names $(short "$next")"
run_kvmx86 prep --check --json
expect_json '[.findings[] | select(.rule == "base-trailer")][0].commit' null
expect_json '[.findings[] | select(.rule == "base-trailer")][0].severity' warning

note "KVM code of its own: no co-post-selftests"
expect_json '[.findings[] | select(.rule == "co-post-selftests")] | length' 0

note "co-post-selftests: selftests alone on the KVM commits below them"
git checkout -q -b x86/selftests/good-series-test x86/vmx/good-series
mkdir -p tools/testing/selftests/kvm/x86
echo "int main(void) { return 0; }" >tools/testing/selftests/kvm/x86/good_series_test.c
git add tools/testing/selftests/kvm/x86/good_series_test.c
git commit -q -m "KVM: selftests: Test the good series" -m "Add a test of the changes below." \
	-m "Signed-off-by: $GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL>"
run_kvmx86 prep --enroll --base HEAD~1
run_kvmx86 prep --check
expect_exit 0
expect_stdout_contains "series advice co-post-selftests: the series changes only KVM selftests and builds on 2 KVM commits that no KVM tree has ($(short HEAD~3) (\"$(git log -1 --format=%s HEAD~3)\"), ...): post the tests with the KVM changes they test as one series"
git config kvmx86.rule.co-post-selftests off
run_kvmx86 prep --check
expect_stdout_lacks "co-post-selftests"
git config --unset kvmx86.rule.co-post-selftests
git checkout -q x86/vmx/stacked

note "check-base counts the same series, the commits below it as prerequisites"
run_kvmx86 check-base
expect_exit 0
expect_stdout_matches "^series: +x86/vmx/stacked, 1 commit on 3 that no KVM tree has \\(prerequisites\\)\$"
expect_stdout_matches "^  $(short HEAD~3) .* \\(prerequisite\\)\$"
run_kvmx86 check-base --json
expect_json .prerequisites 3
expect_json '[.commits[] | select(.prerequisite | not) | .id] | join(",")' "$(sha HEAD)"

note "tunable"
git config kvmx86.rule.base-trailer off
run_kvmx86 prep --check --json
expect_json '[.findings[] | select(.rule == "base-trailer")] | length' 0
expect_json '[.findings[] | select(.rule == "config")] | length' 0
git config kvmx86.rule.base-trailer error
run_kvmx86 prep --check
expect_exit 1
expect_stdout_contains "series error base-trailer:"
