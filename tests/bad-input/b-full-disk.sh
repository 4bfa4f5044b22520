#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A full disk: kvmx86's state directory, send -o's directory and test's
# records on a small tmpfs with no room left (a mount namespace of its
# own, unshare -rm, so nothing outside the test sees it).  Each command
# fails (128) naming the file and "No space left on device"; the state
# file is the one before, whole; no temporary file is left; nothing that
# failed is reported as done.
. "$(dirname "$0")/lib.sh"

command -v unshare >/dev/null || skip "unshare is not installed (util-linux)"
unshare -rm true 2>/dev/null ||
	skip "user and mount namespaces are not permitted here"

enrolled_series
b=x86/vmx/good-series
sf=$(state_file "$b")
sdir=$(dirname "$sf")
cp "$sf" "$T/state.before"

# on_full_disk DIR ARGS...: kvmx86 ARGS with DIR on a full 256 KiB
# tmpfs holding what DIR held; DIR's contents afterwards are copied to
# $T/after (the mount goes with the namespace).  Sets RC, OUT and ERR as
# run_kvmx86 does.
on_full_disk() {
	local dir=$1
	shift
	LAST_CMD="(full $dir) kvmx86$(printf ' %q' "$@")"
	LAST_DIR=$PWD
	rm -rf "$T/after" "$T/held"
	mkdir -p "$T/after" "$T/held" "$dir"
	cp -a "$dir/." "$T/held/"
	RC=0
	unshare -rm bash -c '
		dir=$1 held=$2 after=$3 out=$4 err=$5
		shift 5
		mount -t tmpfs -o size=256k tmpfs "$dir" || exit 99
		cp -a "$held/." "$dir/" || exit 99
		# every block taken (but $FREE_BLOCKS): the next write fails
		dd if=/dev/zero of="$dir/.filler" bs=4k 2>/dev/null
		[ "${FREE_BLOCKS:-0}" = 0 ] || truncate -s "-$((FREE_BLOCKS * 4096))" "$dir/.filler"
		rc=0
		"$@" >"$out" 2>"$err" </dev/null || rc=$?
		rm -f "$dir/.filler"
		cp -a "$dir/." "$after/"
		exit $rc' full "$dir" "$T/held" "$T/after" "$OUT" "$ERR" \
		"$KVMX86" "$@" || RC=$?
	[ "$RC" != 99 ] || fail "could not set up the full tmpfs"
}

note "prep --set-prefixes: the state file stays as it was, whole"
on_full_disk "$sdir" prep --set-prefixes RFC
expect_fatal "No space left on device"
expect_stderr_contains "$(basename "$sf")"
cmp -s "$T/after/$(basename "$sf")" "$T/state.before" ||
	fail "the state file changed on a full disk"
ls -A "$T/after" | grep -v -e '\.json$' -e '^\.filler$' >"$T/extra" || true
[ ! -s "$T/extra" ] || { cat "$T/extra" >&2; fail "a temporary file was left"; }
expect_stdout_lacks "updated"

note "prep --edit-cover's text is not lost: the command fails, saying so"
cat >"$T/editor" <<'EOS'
#!/bin/sh
printf 'KVM: VMX: A subject\n\nA body that must not vanish.\n' >"$1"
EOS
chmod +x "$T/editor"
# the lock fits (it is taken before the editor opens), the state does not
GIT_EDITOR=$T/editor FREE_BLOCKS=1 on_full_disk "$sdir" prep --edit-cover
expect_fatal "No space left on device"
cmp -s "$T/after/$(basename "$sf")" "$T/state.before" ||
	fail "the state file changed on a full disk"
ed_file="$(git rev-parse --git-common-dir)/kvmx86/cover/x86%2Fvmx%2Fgood-series.EDITMSG"
grep -q "must not vanish" "$ed_file" || fail "the edited text is gone"
expect_stderr_contains "x86%2Fvmx%2Fgood-series.EDITMSG"
rm -f "$ed_file"
rmdir "$(dirname "$ed_file")"
# no room even for the lock: refused before the editor opens, no file kept
GIT_EDITOR=$T/editor on_full_disk "$sdir" prep --edit-cover
expect_fatal "No space left on device"
[ ! -e "$ed_file" ] || fail "--edit-cover kept a file though no editor ran"

note "send -o: exit 128 naming the file; no part of the series is left"
git config user.name "Tess Ting"
git config user.email tess@example.com
mkdir -p "$T/mails"
on_full_disk "$T/mails" send --force -o "$T/mails"
expect_fatal "No space left on device"
ls "$T"/after/*.patch >/dev/null 2>&1 && fail "part of the series was left: $(ls "$T/after")"
ls -A "$T/after" | grep -v -e '\.patch$' -e '^\.filler$' >"$T/extra" || true
[ ! -s "$T/extra" ] || { cat "$T/extra" >&2; fail "a temporary file was left"; }

note "test: results that cannot be recorded are not reported as recorded"
on_full_disk "$sdir" test -- true
expect_exit 128
expect_stderr_contains "No space left on device"
cmp -s "$T/after/$(basename "$sf")" "$T/state.before" ||
	fail "the state file changed on a full disk"

note "prep --link with no room for the state: the branch does not move without it"
tip=$(git rev-parse HEAD)
# room for the lock (its pid), none for the state
FREE_BLOCKS=1 on_full_disk "$sdir" prep --link full@example.com --offline
expect_exit 128
expect_stderr_contains "No space left on device"
expect_stderr_contains "nothing was changed"
[ "$(git rev-parse HEAD)" = "$tip" ] || fail "the branch moved without its state"
git for-each-ref refs/kvmx86/backup | grep -q . && fail "a backup ref was made for a rewrite that did not happen"
cmp -s "$T/after/$(basename "$sf")" "$T/state.before" ||
	fail "the state file changed on a full disk"

note "prep --link on a read-only object store: said so, not a missing object"
objdir=$(git rev-parse --path-format=absolute --git-common-dir)/objects
tip=$(git rev-parse HEAD)
LAST_CMD="(read-only $objdir) kvmx86 prep --link ro@example.com --offline"
RC=0
unshare -rm bash -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || exit 99
	exec "$2" prep --link ro@example.com --offline' ro "$objdir" "$KVMX86" \
	>"$OUT" 2>"$ERR" </dev/null || RC=$?
[ "$RC" != 99 ] || skip "a read-only bind mount is not permitted here"
expect_fatal "cannot write objects into $objdir: Read-only file system"
expect_stderr_lacks "is missing"
[ "$(git rev-parse HEAD)" = "$tip" ] || fail "the branch moved"
