#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --show-info takes the series range from the range cache only when
# the cache is current, and then prints exactly what a walk prints; a new
# commit, a corrupt cache, GIT_DIR, packed refs, a linked worktree and a
# changed state are each handled correctly.
. "$(dirname "$0")/lib.sh"

main=$(sample_repo)
cd "$main"
b=x86/vmx/good-series
git checkout -q "$b"
run_kvmx86 prep --enroll
expect_exit 0
cache="$main/.git/kvmx86/cache/x86%2Fvmx%2Fgood-series.range"

# info ARGS...: runs --show-info traced; sets FAST=1 if the cache served.
info() {
	run_env KVMX86_TRACE_PERFORMANCE=1 -- prep --show-info "$@"
	expect_exit 0 "--show-info $*"
	FAST=0
	if grep -q 'the series range from the range cache' "$ERR"; then FAST=1; fi
}

note "enrolling fills the cache: the first --show-info is already fast"
[ -f "$cache" ] || fail "no range cache at $cache"
rm -f "$cache"
info
[ "$FAST" = 0 ] || fail "served from a cache that does not exist"
cp "$OUT" "$T/slow.txt"
[ -f "$cache" ] || fail "the full --show-info did not write the cache"
info
[ "$FAST" = 1 ] || fail "a current cache did not serve: $(cat "$ERR")"
expect_same_file "$T/slow.txt" "$OUT"

note "every form prints what the full command prints"
for args in "--json" "end-commit" "--json series-range" "revision $b" "$b" "refs/heads/$b --json"; do
	# shellcheck disable=SC2086
	info $args
	[ "$FAST" = 1 ] || fail "--show-info $args was not served from the cache"
	cp "$OUT" "$T/fast"
	rm -f "$cache"
	# shellcheck disable=SC2086
	run_env GIT_DIR="$main/.git" -- prep --show-info $args
	expect_exit 0
	expect_same_file "$T/fast" "$OUT"
done

note "a key the series lacks goes to the full command's error"
run_kvmx86 prep --show-info series-v7
expect_usage_error

note "a new commit makes the cache stale: the new tip, never the old"
commit_append arch/x86/kvm/vmx/vmx.c "KVM: VMX: One more line" <<<'/* more */'
tip=$(git rev-parse HEAD)
info end-commit
[ "$FAST" = 0 ] || fail "a stale cache served"
expect_stdout_is "end-commit: $tip"
info end-commit
[ "$FAST" = 1 ] || fail "the cache was not refreshed"
expect_stdout_is "end-commit: $tip"

note "the state is read fresh: a new revision shows at once"
run_kvmx86 prep --force-revision 3
expect_exit 0
info revision
[ "$FAST" = 1 ] || fail "the cache did not serve"
expect_stdout_is "revision: 3"

note "packed refs"
git pack-refs --all
[ ! -e ".git/refs/heads/$b" ] || fail "the ref is still loose"
info end-commit
[ "$FAST" = 1 ] || fail "a packed ref was not read"
expect_stdout_is "end-commit: $tip"

note "a corrupt cache is a miss, and is rewritten"
printf 'kvmx86-range-1\ntip %s\n' "$tip" >"$cache"
info end-commit
[ "$FAST" = 0 ] || fail "a corrupt cache served"
expect_stdout_is "end-commit: $tip"
grep -q '^count ' "$cache" || fail "the corrupt cache was not rewritten"

note "a cache for another base is a miss"
sed -i 's/^base .*/base 0000000000000000000000000000000000000000/' "$cache"
info base-commit
[ "$FAST" = 0 ] || fail "a cache for another base served"

note "in a subdirectory and in a linked worktree"
mkdir -p arch/x86/kvm && cd arch/x86/kvm
info end-commit
[ "$FAST" = 1 ] || fail "not served from a subdirectory"
cd "$main"
git checkout -q --detach
git worktree add -q "$T/wt" "$b"
cd "$T/wt"
info end-commit
[ "$FAST" = 1 ] || fail "not served in a linked worktree: $(cat "$ERR")"
expect_stdout_is "end-commit: $tip"

note "cleanup removes the cache with the state"
run_kvmx86 prep --cleanup --force
expect_exit 0
[ ! -e "$cache" ] || fail "the cache outlived the state"
