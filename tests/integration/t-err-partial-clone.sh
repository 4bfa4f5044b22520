#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A partial clone (git clone --filter=blob:none) lacks the blobs its
# promisor remote sends when git asks; libgit2 1.5 cannot ask.  A missing
# one is then no damage: kvmx86 says it is a partial clone, and its hint
# (not git fsck, which finds nothing wrong) works: git log -p fetches what
# the series' diffs need; git fetch --refetch --no-filter makes the clone
# whole.  The clone is made from a local repository (file://), no network.
. "$(dirname "$0")/lib.sh"

src=$(sample_repo)
git -C "$src" config uploadpack.allowFilter true
git -C "$src" config uploadpack.allowAnySHA1InWant true

# partial DIR: a blob-less clone of the sample, with its KVM refs
partial() {
	git clone -q --filter=blob:none --no-checkout "file://$src" "$1"
	git -C "$1" remote add kvm-x86 https://github.com/kvm-x86/linux.git
	git -C "$1" fetch -q origin 'refs/remotes/kvm-x86/*:refs/remotes/kvm-x86/*'
	git -C "$1" branch -q x86/mmu/multiarch origin/x86/mmu/multiarch
	[ "$(git -C "$1" config remote.origin.promisor)" = true ] ||
		fail "precondition: not a partial clone"
	git -C "$1" rev-list --objects --missing=print --all | grep -q '^?' ||
		fail "precondition: no object is missing"
}

partial "$T/p1"
cd "$T/p1"
range=kvm-x86/next..x86/mmu/multiarch
# what git says of it: nothing wrong
git fsck --full >"$T/fsck" 2>&1 || fail "git fsck fails on a partial clone: $(cat "$T/fsck")"

note "check-base: a partial clone, not a damaged one"
run_kvmx86 check-base x86/mmu/multiarch
expect_fatal "git log -p --format= <base>..<tip> >/dev/null"
expect_stderr_matches '^fatal: object [0-9a-f]{40} is missing: this is a partial clone, and git fetches what it lacks from remote .origin. when it needs it, but kvmx86 reads through libgit2, which cannot$'
expect_stderr_contains "hint: or make the clone whole: git fetch --refetch --no-filter origin"
expect_stderr_lacks "fsck"
expect_stdout_empty

note "test, and --json, say the same"
run_kvmx86 test "$range" -- true
expect_fatal "this is a partial clone"
expect_stderr_lacks "fsck"
run_kvmx86 check-base --json x86/mmu/multiarch
expect_fatal "this is a partial clone"

note "the first hint works: git fetches what the diffs need"
git log -p --format= "$range" >/dev/null
run_kvmx86 check-base x86/mmu/multiarch
expect_exit 1
expect_verdict wrong
run_kvmx86 test "$range" -- true
expect_exit 0

note "the second hint works: the clone made whole"
partial "$T/p2"
cd "$T/p2"
run_kvmx86 check-base x86/mmu/multiarch
expect_fatal "this is a partial clone"
git fetch -q --refetch --no-filter origin
run_kvmx86 check-base x86/mmu/multiarch
expect_exit 1
expect_verdict wrong

note "the remote named by extensions.partialClone (git before 2.24), or none"
partial "$T/p3"
cd "$T/p3"
git remote rename origin up 2>/dev/null || git config --rename-section remote.origin remote.up
git config --unset remote.up.promisor
git config core.repositoryformatversion 1
git config extensions.partialClone up
run_kvmx86 check-base x86/mmu/multiarch
expect_fatal "git fetch --refetch --no-filter up"
expect_stderr_contains "from remote 'up' when it needs it"
# its promisor packs alone still say what it is
git config --unset extensions.partialClone
git config core.repositoryformatversion 0
run_kvmx86 check-base x86/mmu/multiarch
expect_fatal "this is a partial clone, and git fetches what it lacks from its promisor remote"
expect_stderr_lacks "fsck"

note "a clone that is not partial keeps the fsck hint"
cp -a "$src" "$T/whole"
cd "$T/whole"
blob=$(git rev-parse 'kvm-x86/next:include/linux/kvm_host.h')
git repack -q -a -d
rm -f .git/objects/pack/*.promisor
pack=$(ls .git/objects/pack/*.pack)
# unpack all but the one blob: it is missing, and no remote promised it
mkdir "$T/packs" && mv .git/objects/pack/* "$T/packs/"
git unpack-objects -q <"$T/packs/$(basename "$pack")"
rm -f ".git/objects/${blob:0:2}/${blob:2}"
run_kvmx86 check-base x86/mmu/multiarch
expect_fatal "git fsck --full"
expect_stderr_lacks "partial clone"
