#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Damaged and missing objects, made by hand in loose form: check-base,
# prep --check and test each name the object (its id) and say what to do
# (git fsck), exit 128, and change nothing.  An id the user typed that
# names nothing is an unknown revision, not a damaged repository.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
git checkout -q x86/vmx/good-series
for p in .git/objects/pack/*.pack; do
	[ -e "$p" ] || continue
	mv "$p" "$T/p.pack"
	rm -f "${p%.pack}.idx"
	git unpack-objects -q <"$T/p.pack"
done
cp -a . "$T/pristine"

# fresh: a copy of the untouched repository, cd'd into
fresh() {
	cd "$T"
	chmod -R u+w "$T/r" 2>/dev/null || true
	rm -rf "$T/r"
	cp -a "$T/pristine" "$T/r"
	cd "$T/r"
}

# loose ID: the path of ID's loose object, made writable
loose() {
	local o=.git/objects/${1:0:2}/${1:2}
	chmod u+w "$o"
	echo "$o"
}

# deflate TYPE FILE OBJECT: writes FILE's bytes as OBJECT, of type TYPE
deflate() {
	python3 - "$@" <<'EOF'
import sys, zlib
kind, src, dst = sys.argv[1:4]
body = open(src, 'rb').read()
open(dst, 'wb').write(zlib.compress(b'%s %d\0' % (kind.encode(), len(body)) + body))
EOF
}

# files_snapshot FILE: every file of the repository and its work tree but
# the objects and kvmx86's range cache, hashed (lib.sh's snapshot asks
# git, which cannot read a damaged HEAD)
files_snapshot() {
	find . \( -path ./.git/objects -o -path './.git/kvmx86/cache*' \) -prune \
		-o -type f -print0 | sort -z | xargs -0r sha256sum >"$1"
}

# expect_named ID WORD CMD...: CMD fails naming ID (WORD: corrupt or
# missing) with git fsck as what to do, and changes nothing
expect_named() {
	local id=$1 word=$2
	shift 2
	files_snapshot "$T/before"
	run_kvmx86 "$@"
	expect_fatal "'git fsck --full'"
	expect_stderr_contains "fatal: object $id is $word"
	files_snapshot "$T/after"
	diff -u "$T/before" "$T/after" >&2 || fail "$*: something changed"
}

commands=("check-base" "prep --check" "test -- true")

note "a commit of the series whose zlib stream is damaged"
fresh
id=$(git rev-parse HEAD~1)
o=$(loose "$id")
printf 'garbage' | dd of="$o" bs=1 seek=10 conv=notrunc status=none
for c in "${commands[@]}"; do
	# shellcheck disable=SC2086
	expect_named "$id" corrupt $c
done
# the history between two sides (not "no common history", not "not an
# ancestor")
expect_named "$id" corrupt prep --check kvm-x86/next..HEAD
expect_named "$id" corrupt prep --enroll --base kvm-x86/next

note "a commit of the series that no longer parses (a revision walk reads it first)"
fresh
id=$(git rev-parse HEAD~1)
git cat-file commit "$id" | sed 's/^tree /trie /' >"$T/body"
deflate commit "$T/body" "$(loose "$id")"
for c in "${commands[@]}"; do
	# shellcheck disable=SC2086
	expect_named "$id" corrupt $c
done

note "the branch's tip, an empty file (not an unborn branch)"
fresh
id=$(git rev-parse HEAD)
: >"$(loose "$id")"
for c in "${commands[@]}"; do
	# shellcheck disable=SC2086
	expect_named "$id" corrupt $c
	expect_stderr_lacks "no commits yet"
done

note "a blob the series changes, damaged"
fresh
file=$(git diff --name-only HEAD~1 HEAD | head -n 1)
id=$(git rev-parse "HEAD:$file")
printf 'xxxxxxxx' | dd of="$(loose "$id")" bs=1 seek=12 conv=notrunc status=none
expect_named "$id" corrupt prep --check

note "a commit of the series that is missing"
fresh
id=$(git rev-parse HEAD~1)
rm -f "$(loose "$id")"
for c in "${commands[@]}"; do
	# shellcheck disable=SC2086
	expect_named "$id" missing $c
done
note "the same id typed: an unknown revision"
run_kvmx86 check-base "$id"
expect_fatal "give a branch"
expect_stderr_contains "unknown revision"
expect_stderr_lacks "git fsck"

note "the branch's tip, missing (not an unborn branch)"
fresh
id=$(git rev-parse HEAD)
rm -f "$(loose "$id")"
for c in "${commands[@]}"; do
	# shellcheck disable=SC2086
	expect_named "$id" missing $c
	expect_stderr_lacks "no commits yet"
done

note "kvm-x86/next's commit, missing (not 'fetch the KVM x86 tree')"
fresh
id=$(git rev-parse kvm-x86/next)
rm -f "$(loose "$id")"
expect_named "$id" missing check-base
expect_stderr_lacks "next is missing"
note "kvm-x86/fixes at a commit that is missing: a warning, never left out unsaid"
fresh
git update-ref refs/remotes/kvm-x86/fixes 1234567890123456789012345678901234567890 2>/dev/null ||
	printf '1234567890123456789012345678901234567890\n' >.git/refs/remotes/kvm-x86/fixes
# the copy's index is stale: snapshot's own git status would refresh it
git update-index -q --refresh || true
snapshot "$T/before"
run_kvmx86 check-base
expect_exit 0
expect_stdout_contains "warning: kvm-x86/fixes was not considered as a base"
expect_stdout_contains "git fetch kvm-x86"
run_kvmx86 check-base --json
expect_json '.warnings | map(select(contains("kvm-x86/fixes"))) | length' 1
expect_unchanged "$T/before" "a damaged kvm-x86/fixes"
exit 0
