#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kvmx86 test in a bare repository: every commit is tested in a worktree
# of kvmx86's own (git worktree add --detach works from a bare repository),
# so a range, a branch or --kernel needs no work tree of the user's; the
# repository stays bare, its refs unchanged; --forget works too.
. "$(dirname "$0")/lib.sh"

src=$(sample_repo)
git clone -q --bare "$src" "$T/bare.git"
cd "$T/bare.git"
git remote add kvm-x86 https://github.com/kvm-x86/linux.git
git remote add kvm https://git.kernel.org/pub/scm/virt/kvm/kvm.git
git fetch -q "$src" 'refs/remotes/*:refs/remotes/*'
[ "$(git rev-parse --is-bare-repository)" = true ] || fail "precondition: not bare"
refs_before=$(git for-each-ref --format='%(objectname) %(refname)')

note "a range: each commit in a worktree of kvmx86's own"
# the command checks it runs in a work tree at the commit tested
check='test "$(git rev-parse --is-inside-work-tree)" = true && git log -1 --format=%H >>"$0"'
run_kvmx86 test kvm-x86/next..x86/vmx/good-series -- sh -c "$check" "$T/seen"
expect_exit 0
expect_stdout_contains "3 commits: 3 pass, 0 fail, 0 error, 0 skipped"
expect_stderr_lacks "bare"
[ "$(sort "$T/seen")" = "$(git rev-list kvm-x86/next..x86/vmx/good-series | sort)" ] ||
	fail "the command did not run at each commit: $(cat "$T/seen")"
ls -d kvmx86/worktrees/*/0 >/dev/null 2>&1 ||
	fail "no worktree under the repository: $(ls -R kvmx86 2>&1)"

note "--json; the records are reused"
run_kvmx86 test --json kvm-x86/next..x86/vmx/good-series -- sh -c "$check" "$T/seen"
expect_exit 0
expect_json '[.results[].status] | unique | join(",")' pass
expect_json '[.results[].recorded] | all' true

note "a failing command fails the series, as in a checkout"
run_kvmx86 test kvm-x86/next..x86/vmx/good-series -- false
expect_exit 1
expect_stdout_contains "first failure:"

note "a branch named: its series is found as check-base finds it"
run_kvmx86 test x86/vmx/good-series -- true
expect_exit 0
expect_stdout_contains "3 commits: 3 pass"

note "--forget"
run_kvmx86 test --forget kvm-x86/next..x86/vmx/good-series
expect_exit 0
expect_stdout_contains "forgot "

note "the repository is still bare, its refs untouched"
[ "$(git rev-parse --is-bare-repository)" = true ] || fail "no longer bare"
[ "$(git config core.bare)" = true ] || fail "core.bare changed"
[ "$(git for-each-ref --format='%(objectname) %(refname)')" = "$refs_before" ] ||
	fail "refs changed"
[ ! -e index ] || fail "an index appeared in the bare repository"

note "--kernel in a bare clone of a kernel-shaped tree"
if command -v cc >/dev/null && command -v make >/dev/null; then
	. "$(dirname "$0")/kbuild-lib.sh"
	make_kernel_tree "$T/linux"
	git checkout -q -b x86/misc/kernel
	printf 'int kvm_one(void) { return 1; }\n' >>arch/x86/kvm/x86.c
	git commit -q -am "KVM: x86: Add one"
	git clone -q --bare "$T/linux" "$T/linux.git"
	cd "$T/linux.git"
	run_kvmx86 test --kernel --no-link master..x86/misc/kernel
	expect_exit 0
	expect_stdout_contains "1 commit: 1 pass"
	[ "$(git rev-parse --is-bare-repository)" = true ] || fail "no longer bare"
else
	note "no C compiler or make: --kernel not tried"
fi
