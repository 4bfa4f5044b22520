#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The repository as git finds it: GIT_DIR, GIT_WORK_TREE and GIT_INDEX_FILE
# are honoured, GIT_COMMON_DIR is refused, and no program kvmx86 starts
# (git in its worktrees, the user's command) inherits them: a hook that
# runs kvmx86 loses no staged change and leaves HEAD where it was.
. "$(dirname "$0")/lib.sh"

repo="$T/proj"
git init -q -b master "$repo"
cd "$repo"
printf 'one\n' >f
git add f
git commit -q -m "Start"
git checkout -q -b x86/misc/env
printf 'two\n' >>f
git commit -q -am "KVM: x86: Add two"
printf 'three\n' >>f
git commit -q -am "KVM: x86: Add three"
head=$(git rev-parse HEAD)

note "GIT_INDEX_FILE: the staged version survives kvmx86 test"
printf 'staged\n' >>f
git add f
printf 'unstaged\n' >>f
staged=$(git diff --cached)
run_env GIT_INDEX_FILE="$repo/.git/index" -- test master..HEAD -- true
expect_exit 0
[ "$(git diff --cached)" = "$staged" ] || fail "the staged change was lost"
grep -qx unstaged f || fail "the work tree changed"

note "GIT_DIR: HEAD stays on the branch, at its commit"
run_env GIT_DIR="$repo/.git" -- test master..HEAD -- true
expect_exit 0
[ "$(git symbolic-ref HEAD)" = refs/heads/x86/misc/env ] || fail "HEAD left the branch"
[ "$(git rev-parse HEAD)" = "$head" ] || fail "HEAD moved"
[ "$(git diff --cached)" = "$staged" ] || fail "the staged change was lost"

note "the user's command inherits none of the caller's repository variables"
run_env GIT_DIR="$repo/.git" GIT_INDEX_FILE="$repo/.git/index" GIT_PREFIX=sub/ -- \
	test --rerun master..HEAD -- sh -c 'test -z "${GIT_DIR+x}${GIT_INDEX_FILE+x}${GIT_WORK_TREE+x}${GIT_PREFIX+x}"'
expect_exit 0

note "... nor the object directories, ceiling, namespace of a hook's quarantine"
run_env GIT_DIR="$repo/.git" GIT_OBJECT_DIRECTORY="$repo/.git/objects" \
	GIT_ALTERNATE_OBJECT_DIRECTORIES=/nonexistent GIT_CEILING_DIRECTORIES=/ \
	GIT_QUARANTINE_PATH=/nonexistent -- \
	test --rerun master..HEAD -- sh -c 'env | grep -e ^GIT_OBJECT -e ^GIT_ALTERNATE -e ^GIT_CEILING -e ^GIT_NAMESPACE -e ^GIT_QUARANTINE && exit 1; exit 0'
expect_exit 0
grep -rq "/nonexistent" "$(git rev-parse --git-common-dir)/kvmx86/logs" 2>/dev/null &&
	fail "a git kvmx86 started saw the caller's GIT_ALTERNATE_OBJECT_DIRECTORIES"
true

note "GIT_DIR and GIT_WORK_TREE from elsewhere name the repository"
mkdir "$T/elsewhere"
cd "$T/elsewhere"
run_env GIT_DIR="$repo/.git" GIT_WORK_TREE="$repo" -- prep --check --json master..x86/misc/env
[ "$RC" -lt 128 ] || fail "prep --check with GIT_DIR from elsewhere failed"
expect_json '.commits | length' 2
run_kvmx86 prep --check master..x86/misc/env
expect_fatal "not a git repository"

note "a separate git dir: GIT_DIR names it, the current directory is the work tree"
git clone -q --separate-git-dir="$T/sep.git" "$repo" "$T/sepwt"
cd "$T/sepwt"
git checkout -q x86/misc/env
mv .git "$T/dotgit-file"
run_env GIT_DIR="$T/sep.git" -- test origin/master..x86/misc/env -- sh -c 'test -f f'
expect_exit 0
[ "$(git --git-dir="$T/sep.git" symbolic-ref HEAD)" = refs/heads/x86/misc/env ] ||
	fail "HEAD of the separate git dir moved"
mv "$T/dotgit-file" .git

note "GIT_COMMON_DIR cannot be honoured: refused, not ignored"
cd "$repo"
run_env GIT_COMMON_DIR="$repo/.git" -- prep --check master..HEAD
expect_fatal "GIT_COMMON_DIR is set"
expect_stdout_empty
