#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep -n writes only the files that differ from HEAD, yet stops where
# git switch -c stops: an untracked symlink where the new base has a
# directory (nothing is written through it), untracked files in a
# directory the new base has a file in place of.  Nothing is changed.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)
f=arch/x86/kvm/pmu.c
git checkout -q -b target "$next"
mkdir -p arch/x86/kvm/newdir
echo "/* new */" >arch/x86/kvm/newdir/new.c
git rm -q "$f"
mkdir "$f"
echo "/* inside */" >"$f/inner.c"
git add arch/x86/kvm/newdir "$f"
git commit -q -m "a new directory, and pmu.c made one"
target=$(sha target)
git checkout -q -b file-again "$next"
git rm -q "$f"
mkdir "$f"
echo "/* inside */" >"$f/inner.c"
git add "$f"
git commit -q -m "pmu.c a directory"
git checkout -q "$next"

# refused WHAT NAME BASE: prep -n NAME --base BASE stops, as git switch
# -c does, and changes nothing.
refused() {
	local status
	status=$(git status --porcelain --ignored)
	refs_snapshot "$T/refs.before"
	git switch -q -c "git-$2" "$3" 2>/dev/null && fail "$1: git switch -c took it"
	run_kvmx86 prep -n "$2" --base "$3"
	expect_exit 128
	expect_stderr_contains "cannot switch to $3"
	expect_refs_unchanged "$T/refs.before" "$1"
	[ "$(git status --porcelain --ignored)" = "$status" ] ||
		fail "$1: the work tree changed: $(git status --porcelain --ignored)"
}

note "an untracked symlink where the base has a directory: nothing written through it"
mkdir "$T/outside"
ln -s "$T/outside" arch/x86/kvm/newdir
refused "a symlink in the way" viasymlink "$target"
[ -z "$(ls -A "$T/outside")" ] || fail "a file was written outside the work tree: $(ls "$T/outside")"
rm arch/x86/kvm/newdir

note "an untracked file where the base has a directory"
echo "mine" >arch/x86/kvm/newdir
refused "a file in the way" viafile "$target"
[ "$(cat arch/x86/kvm/newdir)" = mine ] || fail "the untracked file changed"
rm arch/x86/kvm/newdir

note "untracked files in a directory the base has a file in place of"
git checkout -q file-again
echo "precious" >"$f/untracked.c"
refused "untracked files in a directory" viadir "$next"
[ "$(cat "$f/untracked.c")" = precious ] || fail "the untracked file is gone"
[ -f "$f/inner.c" ] || fail "a tracked file was deleted"
rm "$f/untracked.c"

note "with nothing in the way, it goes"
run_kvmx86 prep -n clean --base "$next"
expect_exit 0
[ -f "$f" ] || fail "pmu.c is no file"
[ -z "$(git status --porcelain)" ] || fail "the work tree is not clean"
