#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --check with no argument on a detached HEAD: there is no branch nor
# enrollment, but the commit (and check-base's series) can be checked.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)
bad=x86/misc/bad-style
good=x86/vmx/good-series
clean=$(sha "$good~2")

note "detached on a clean commit on kvm-x86/next: exit 0"
git checkout -q --detach "$clean"
run_kvmx86 prep --check --json
expect_exit 0 "detached HEAD, clean commit"
expect_json '[.commits[].id] | join(" ")' "$clean"
expect_json .summary.errors 0
run_kvmx86 prep --check
expect_exit 0
grep -qxF "$(short "$clean") $(git log -1 --format=%s "$clean")" "$OUT" ||
	fail "no header for the commit"

note "detached on x86/misc/bad-style's tip: check-base's series, exit 1"
git checkout -q --detach "$bad"
run_kvmx86 prep --check --json
expect_exit 1 "detached HEAD on bad-style"
expect_json '[.commits[].id] | join(" ")' "$(git rev-list --reverse "$next..$bad" | paste -sd' ')"

note "detached, with no KVM remote: HEAD alone"
git remote remove kvm-x86
git remote remove kvm
git checkout -q --detach "$clean"
run_kvmx86 prep --check --json
expect_exit 0 "detached HEAD without remotes"
expect_json '[.commits[].id] | join(" ")' "$clean"
expect_json_true '[.findings[] | select(.rule == "base-choice" and .severity == "advice")] | length == 1' "one advice finding on the unchecked base"
