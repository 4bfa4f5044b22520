#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep -n in a sparse checkout, as git switch -c: a file the base changes
# (or deletes) outside the sparse cone stays out of the work tree (its index entry
# updated and still skip-worktree), the work tree is clean after.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)
git checkout -q -b changed "$next"
echo "/* in */" >>arch/x86/kvm/vmx/vmx.c
echo "/* out */" >>arch/x86/kvm/svm/svm.c
git rm -q arch/x86/kvm/xen.c
git commit -q -am "changes in and out of the cone"
changed=$(sha changed)
git checkout -q "$next"
git sparse-checkout set arch/x86/kvm/vmx ||
	fail "git sparse-checkout failed"
[ ! -e arch/x86/kvm/svm/svm.c ] || fail "svm.c is in the sparse work tree"

git switch -q -c with-git "$changed"
git ls-files -v >"$T/git.files"
git checkout -q "$next"

run_kvmx86 prep -n sparse --base "$changed"
expect_exit 0
expect_stdout_contains "created x86/misc/sparse on $changed"
[ -z "$(git status --porcelain)" ] || fail "the work tree is not clean: $(git status --porcelain)"
[ ! -e arch/x86/kvm/svm/svm.c ] || fail "svm.c was written outside the cone"
grep -q "in \*/" arch/x86/kvm/vmx/vmx.c || fail "vmx.c was not updated"
git ls-files -v | diff -u "$T/git.files" - >&2 ||
	fail "the index is not git switch -c's"
