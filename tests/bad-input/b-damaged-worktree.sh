#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kvmx86 test's own worktrees damaged between runs: the .git file gone or
# garbage, the directory gone or replaced, git's record of it gone, a
# tracked file changed and junk left in it.  The next run makes the
# worktree again or puts it back, and every commit is tested at exactly
# its tree (the command checks it), never "error" for kvmx86's own mess.
. "$(dirname "$0")/lib.sh"

enrolled_series
# at the commit's tree: what is tracked is as committed (untracked build
# products may stay: they make the next build incremental)
cmd=(sh -c 'git diff --quiet HEAD && test -z "$(git status --porcelain --untracked-files=no)"')
run_kvmx86 test -- "${cmd[@]}"
expect_exit 0
gd=$(git rev-parse --path-format=absolute --git-common-dir)
wt=$(ls -d "$gd"/kvmx86/worktrees/*/0)
[ -d "$wt" ] || fail "no worktree after a run"

# damaged WHAT: the next run passes at every commit, tested anew
damaged() {
	run_kvmx86 test --forget
	expect_exit 0
	run_kvmx86 test -- "${cmd[@]}"
	expect_exit 0
	expect_stdout_contains "3 commits: 3 pass, 0 fail, 0 error"
	expect_stdout_lacks "[recorded]"
	[ -f "$wt/.git" ] || fail "$1: the worktree was not made again"
}

note "the worktree's .git removed"
rm -f "$wt/.git"
damaged ".git removed"

note "the worktree's .git holds garbage"
echo garbage >"$wt/.git"
damaged ".git garbage"

note "the worktree removed"
rm -rf "$wt"
damaged "removed"

note "the worktree replaced by a directory of junk"
rm -rf "$wt"
mkdir -p "$wt/sub"
echo junk >"$wt/sub/file"
damaged "junk"

note "git's record of the worktree removed"
rm -rf "$gd/worktrees"
damaged "record removed"

note "a tracked file changed, junk and an ignored file left"
echo "changed" >>"$wt/arch/x86/kvm/vmx/vmx.c"
echo junk >"$wt/untracked.c"
mkdir -p "$wt/.kvmx86-junk" && echo x >"$wt/.kvmx86-junk/x.o"
damaged "dirty"
