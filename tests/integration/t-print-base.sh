#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# --print-base: `--base=<40-hex fork>` for ok and behind; nothing on stdout,
# a reason on stderr and exit 1 otherwise; usable with git format-patch.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)

note "ok: x86/vmx/good-series"
git checkout -q x86/vmx/good-series
run_kvmx86 check-base --print-base
expect_exit 0
expect_stdout_is "--base=$next"

note "git format-patch \$(kvmx86 check-base --print-base) ... kvm-x86/next.."
# exactly as a user would type it: git format-patch $(kvmx86 check-base --print-base)
# shellcheck disable=SC2046
git format-patch -q $("$KVMX86" check-base --print-base) -o "$T/out" refs/remotes/kvm-x86/next.. >/dev/null
n=$(find "$T/out" -name '*.patch' | wc -l)
[ "$n" = 3 ] || fail "format-patch wrote $n patches, not 3"
grep -l '^prerequisite-patch-id:' "$T"/out/*.patch &&
	fail "format-patch wrote prerequisite-patch-id lines"
grep -qx "base-commit: $next" "$T/out/0001-"*.patch ||
	fail "the first patch lacks base-commit: $next"

note "wrong: x86/mmu/multiarch"
git checkout -q x86/mmu/multiarch
run_kvmx86 check-base --print-base
expect_exit 1
expect_stdout_empty
expect_stderr_nonempty

note "behind: an x86 series on kvm-x86/pmu"
pmu=$(sha refs/remotes/kvm-x86/pmu)
new_branch x86/pmu/behind refs/remotes/kvm-x86/pmu
x86_commit 1
x86_commit 2
run_kvmx86 check-base --print-base
expect_exit 0
expect_stdout_is "--base=$pmu"
rm -rf "$T/out"
# shellcheck disable=SC2046
git format-patch -q $(cat "$OUT") -o "$T/out" refs/remotes/kvm-x86/pmu.. >/dev/null
grep -l '^prerequisite-patch-id:' "$T"/out/*.patch &&
	fail "format-patch wrote prerequisite-patch-id lines (behind)"
grep -qx "base-commit: $pmu" "$T/out/0001-"*.patch ||
	fail "the first patch lacks base-commit: $pmu"

note "ok with a REV argument, from master"
git checkout -q master
run_kvmx86 check-base --print-base x86/vmx/good-series
expect_exit 0
expect_stdout_is "--base=$next"

note "current-fix ok: fixes/current prints kvm/master"
run_kvmx86 check-base --print-base fixes/current
expect_exit 0
expect_stdout_is "--base=$(sha refs/remotes/kvm/master)"

note "--scope=x86 makes the multi-arch branch printable"
run_kvmx86 check-base --print-base --scope=x86 x86/mmu/multiarch
expect_exit 0
expect_stdout_is "--base=$next"
