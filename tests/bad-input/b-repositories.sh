#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Repositories kvmx86 cannot work in as it would like: not a repository,
# bare, unborn, detached at kvm-x86/next, shallow, no kvm-x86/next, no
# KVM x86 remote, a remote with no URL, unrelated history, a tree that
# is no kernel for test --kernel.  check-base,
# test and prep --enroll fail (128) saying what is wrong and what to do;
# prep --check checks what it can, saying so; nothing changes.
. "$(dirname "$0")/lib.sh"

src=$(sample_repo)

# case DIR WANT-EXIT MESSAGE ARGS...: kvmx86 ARGS in DIR exits WANT-EXIT
# with MESSAGE on stderr (for 128) or stdout, and changes nothing
case_in() {
	local dir=$1 want=$2 msg=$3
	shift 3
	(
		cd "$dir"
		snapshot "$T/before"
		run_kvmx86 "$@"
		expect_exit "$want"
		if [ "$want" = 128 ]; then
			expect_fatal
			expect_stderr_contains "$msg"
			grep -q '^hint: ' "$ERR" || fail "$LAST_CMD: no hint"
		else
			grep -qF -- "$msg" "$OUT" "$ERR" || fail "$LAST_CMD: says nothing of '$msg'"
		fi
		expect_unchanged "$T/before" "$LAST_CMD"
	)
}

# fails DIR MESSAGE: check-base, test and prep --enroll fail with MESSAGE
fails() {
	case_in "$1" 128 "$2" check-base
	case_in "$1" 128 "$2" test -- true
	case_in "$1" 128 "$2" prep --enroll
}

note "not a repository"
mkdir "$T/none"
(
	cd "$T/none"
	for args in "check-base" "prep --check" "test -- true" "prep --enroll"; do
		# shellcheck disable=SC2086
		run_kvmx86 $args
		expect_fatal "run kvmx86 inside your kernel tree"
		expect_stderr_contains "not a git repository"
		[ -z "$(ls -A)" ] || fail "$LAST_CMD: made something in $T/none"
	done
)

note "bare, with no KVM x86 remote"
git clone -q --bare "$src" "$T/bare.git"
fails "$T/bare.git" "no remote points to the KVM x86 tree"
case_in "$T/bare.git" 1 "checking HEAD alone" prep --check

note "unborn branch"
git init -q "$T/unborn"
case_in "$T/unborn" 128 "has no commits yet" check-base
case_in "$T/unborn" 128 "has no commits yet" prep --check
case_in "$T/unborn" 128 "has no commits yet" test -- true
case_in "$T/unborn" 128 "has no commits yet" prep --enroll

note "detached at kvm-x86/next"
cp -a "$src" "$T/detached"
git -C "$T/detached" checkout -q --detach kvm-x86/next
case_in "$T/detached" 128 "HEAD is detached and has no commits beyond the KVM trees" check-base
case_in "$T/detached" 128 "HEAD is detached and has no commits beyond the KVM trees" test -- true
case_in "$T/detached" 128 "HEAD is detached, and this action works on a branch" prep --enroll
case_in "$T/detached" 1 "checking HEAD alone" prep --check

note "shallow clone"
git clone -q --depth=3 --no-single-branch "file://$src" "$T/shallow"
git -C "$T/shallow" checkout -q x86/vmx/good-series
fails "$T/shallow" "this is a shallow clone"
# a base inside the clone enrolls; one below its boundary is no damage
case_in "$T/shallow" 128 "this is a shallow clone, and the history needed is below its boundary" \
	prep --enroll --base HEAD~5
expect_stderr_contains "git fetch --unshallow"
expect_stderr_lacks "fsck"
case_in "$T/shallow" 128 "this is a shallow clone" prep --check HEAD~5..HEAD

note "no kvm-x86/next"
cp -a "$src" "$T/nonext"
git -C "$T/nonext" checkout -q x86/vmx/good-series
git -C "$T/nonext" update-ref -d refs/remotes/kvm-x86/next
fails "$T/nonext" "kvm-x86/next is missing"

note "no KVM x86 remote, and one with no URL"
for how in remove url; do
	cp -a "$src" "$T/remote-$how"
	git -C "$T/remote-$how" checkout -q x86/vmx/good-series
	if [ $how = remove ]; then
		git -C "$T/remote-$how" remote remove kvm-x86
	else
		git -C "$T/remote-$how" config remote.kvm-x86.url ''
	fi
	fails "$T/remote-$how" "no remote points to the KVM x86 tree"
	case_in "$T/remote-$how" 0 "the base was not checked" prep --check
done

note "unrelated history"
cp -a "$src" "$T/orphan"
(
	cd "$T/orphan"
	git checkout -q --orphan x86/vmx/orphan
	git commit -q -m "KVM: x86: Start from nothing"
)
fails "$T/orphan" "shares no history with the KVM trees"

note "test --kernel in a tree that is no kernel: refused before any build"
git -C "$src" checkout -q x86/vmx/good-series
case_in "$src" 128 "this is no kernel tree" test --kernel
case_in "$src" 128 "this is no kernel tree" test --kernel --no-link
expect_stdout_lacks "built and linked"
exit 0
