#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Linked worktrees (git worktree add) share one state under the common git
# dir: prefixes set in one are read in the other.
. "$(dirname "$0")/lib.sh"

main=$(sample_repo)
cd "$main"
b=x86/vmx/good-series
wt="$T/wt"
git worktree add -q "$wt" "$b"

note "enroll in the linked worktree (the branch is checked out there)"
cd "$wt"
run_kvmx86 prep --enroll
expect_exit 0
common=$(git rev-parse --path-format=absolute --git-common-dir)
[ "$common" = "$main/.git" ] || fail "bad worktree setup"
[ -f "$main/.git/kvmx86/state/x86%2Fvmx%2Fgood-series.json" ] ||
	fail "the state is not under the common dir"
[ ! -e "$main/.git/worktrees/wt/kvmx86" ] || fail "state under the worktree's git dir"
[ ! -e "$wt/.git/kvmx86" ] || fail "state in the worktree's .git file's place"

note "set prefixes in the worktree, read them in the main one"
run_kvmx86 prep --set-prefixes RFC
expect_exit 0
cd "$main"
run_kvmx86 prep --show-info prefixes "$b"
expect_exit 0
expect_stdout_is "prefixes: RFC"

note "set them in the main worktree (REV), read them in the linked one"
run_kvmx86 prep --set-prefixes "RFC,RESEND" "$b"
expect_exit 0
cd "$wt"
run_kvmx86 prep --show-info prefixes
expect_exit 0
expect_stdout_is "prefixes: RFC RESEND"

note "revision and cover too"
run_kvmx86 prep --force-revision 3
expect_exit 0
printf '%s\n' "KVM: VMX: From the worktree" "" "Body." >"$T/cover.txt"
make_editor "$T/editor" "$T/cover.txt"
run_env GIT_EDITOR="$T/editor" -- prep --edit-cover
expect_exit 0
cd "$main"
run_kvmx86 prep --show-info --json "$b"
expect_exit 0
expect_json .revision 3
expect_json '."cover-subject"' "KVM: VMX: From the worktree"

note "prep -n in the main worktree, read from the linked one"
run_kvmx86 prep -n shared
expect_exit 0
cd "$wt"
run_kvmx86 prep --show-info branch x86/misc/shared
expect_exit 0
expect_stdout_is "branch: x86/misc/shared"

note "one state dir, one file per branch"
ls -A "$main/.git/kvmx86/state" | LC_ALL=C sort >"$T/ls"
printf '%s\n' 'x86%2Fmisc%2Fshared.json' 'x86%2Fvmx%2Fgood-series.json' |
	LC_ALL=C sort | diff -u - "$T/ls" || fail "unexpected state files"
