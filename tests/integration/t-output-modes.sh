#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The files kvmx86 writes follow the umask as git's do (0666 less the
# umask): send -o's mails are of the mode git format-patch gives its own,
# --mbox's file too, and the state under .git/kvmx86 that of .git/config.
# A file written over keeps the mode the user gave it.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
git config user.name "Sam Sender"
git config user.email "sam@example.com"
git checkout -q x86/vmx/good-series
next=$(sha refs/remotes/kvm-x86/next)

modes() {
	stat -c '%a' "$@" | sort -u | tr '\n' ' '
}

for mask in 022 027 077; do
	note "umask $mask"
	umask "$mask"
	rm -rf .git/kvmx86 "$T/git-$mask" "$T/out-$mask"
	git config --unset-all branch.x86/vmx/good-series.kvmx86 2>/dev/null || true
	run_kvmx86 prep --enroll --base "$next"
	expect_exit 0
	git format-patch -q --cover-letter -o "$T/git-$mask" "$next..HEAD"
	want=$(modes "$T/git-$mask"/*.patch)
	run_kvmx86 send -o "$T/out-$mask"
	expect_exit 0 "send -o"
	[ "$(modes "$T/out-$mask"/*.patch)" = "$want" ] ||
		fail "umask $mask: send -o wrote $(modes "$T/out-$mask"/*.patch), git format-patch $want"
	run_kvmx86 send --mbox "$T/series-$mask.mbox"
	expect_exit 0 "send --mbox"
	[ "$(modes "$T/series-$mask.mbox")" = "$want" ] ||
		fail "umask $mask: --mbox wrote $(modes "$T/series-$mask.mbox"), git format-patch $want"
	# git's own files under .git, as git config writes a new one
	git config -f .git/probe-$mask probe.x y
	[ "$(modes .git/kvmx86/state/*.json)" = "$(modes .git/probe-$mask)" ] ||
		fail "umask $mask: the state file is $(modes .git/kvmx86/state/*.json), git's $(modes .git/probe-$mask)"
done
umask 022

note "a file written over keeps its mode, as git format-patch's does"
chmod 600 "$T/series-022.mbox" "$T/out-022"/0001-*.patch
run_kvmx86 send --mbox "$T/series-022.mbox"
expect_exit 0
[ "$(modes "$T/series-022.mbox")" = "600 " ] || fail "--mbox over a 0600 file made it $(modes "$T/series-022.mbox")"
run_kvmx86 send -o "$T/out-022"
expect_exit 0
[ "$(modes "$T/out-022"/0001-*.patch)" = "600 " ] || fail "send -o over a 0600 file made it $(modes "$T/out-022"/0001-*.patch)"
[ "$(modes "$T/out-022"/0002-*.patch)" = "644 " ] || fail "send -o changed the mode of another file"
