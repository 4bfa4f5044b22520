#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kvmx86 test --kernel on the stand-in kbuild (kbuild-lib.sh), whose
# tools/ rule, as kbuild's, finds no rule to make its target below a path
# holding '%': every commit builds whatever the branch is called
# (x86/vmx/x, a name with '%' and '#'), each branch in worktrees of its
# own whose paths hold only letters, digits, '.', '_', '-' and '/'; a
# repository whose own path make cannot build below is refused, plainly.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kbuild-lib.sh"

command -v cc >/dev/null || skip "no C compiler"
command -v make >/dev/null || skip "no make"
make_kernel_tree "$T/linux"

note "the stand-in fails below a path with '%', as kbuild does (so that this test can fail)"
mkdir -p "$T/a%2Fb"
if make -s O="$T/a%2Fb" arch/x86/kvm/ >"$T/make.out" 2>&1; then
	fail "the stand-in built below a '%' path: this test would prove nothing"
fi
grep -q "No rule to make target" "$T/make.out" || fail "not make's error: $(cat "$T/make.out")"
rm -rf "$T/a%2Fb"

for b in x86/vmx/x 'x86/vmx/100%#fix'; do
	note "a branch named '$b'"
	git checkout -q -b "$b" master
	printf 'int kvm_one(void) { return 1; }\n' >>arch/x86/kvm/x86.c
	git commit -q -am "KVM: x86: Add one"
	printf 'int kvm_two(void) { return 2; }\n' >>arch/x86/kvm/x86.c
	git commit -q -am "KVM: x86: Add two"
	run_kvmx86 prep --enroll --base master
	expect_exit 0
	run_kvmx86 test --kernel --no-link --json
	expect_exit 0
	expect_json '[.results[].status] | join(" ")' "pass pass"
	run_kvmx86 test --kernel --json
	expect_exit 0
	expect_json '[.results[].status] | join(" ")' "pass pass"
	# every path kvmx86 made for the build
	for p in $(jq -r '.results[].log' "$OUT") \
		 $(git worktree list --porcelain | sed -n 's/^worktree //p' | grep /kvmx86/worktrees/); do
		case $p in
		*[!A-Za-z0-9._/-]*) fail "a path make cannot build in: $p" ;;
		esac
	done
	git checkout -q master
done
[ "$(ls .git/kvmx86/worktrees | wc -l)" = 2 ] ||
	fail "not one directory of worktrees per branch: $(ls .git/kvmx86/worktrees)"

note "a branch not enrolled, as a range's tip, has worktrees of its own too"
git branch x86/vmx/y x86/vmx/x
run_kvmx86 test --kernel --no-link --rerun --json master..x86/vmx/y
expect_exit 0
expect_json '[.results[].status] | join(" ")' "pass pass"
y=x86-vmx-y-$(printf %s x86/vmx/y | git hash-object --stdin | cut -c1-10)
[ "$(ls .git/kvmx86/worktrees | wc -l)" = 3 ] && [ -d ".git/kvmx86/worktrees/$y/0" ] ||
	fail "x86/vmx/y has no worktrees of its own: $(ls .git/kvmx86/worktrees)"

note "a repository below a path make reads as syntax: refused, saying why"
mv "$T/linux" "$T/li%nux"
cd "$T/li%nux"
run_kvmx86 test --kernel --no-link --rerun x86/vmx/x
expect_fatal "holds '%', which kbuild cannot build below"
expect_stderr_contains "move or clone the repository to a path of letters"
# a command of one's own is not kbuild's: it runs there
run_kvmx86 test --rerun x86/vmx/x -- true
expect_exit 0
