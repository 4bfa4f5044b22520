#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The security and leak fixes of the bundled libgit2
# (subprojects/packagefiles/libgit2), each through the kvmx86 command that
# reaches it.  Under AddressSanitizer with leak detection (scripts/test)
# the library without the fix fails its case: an out-of-bounds read, or a
# leak report at exit; CVE-2026-53585 fails in any build.  Proved with
# scripts/libgit2-without <patch> libgit2-fixes, one patch at a time.
. "$(dirname "$0")/lib.sh"

# sanitized CMD...: a run must end with no sanitizer report
no_sanitizer_report() {
	if grep -E 'AddressSanitizer|LeakSanitizer|runtime error:' "$ERR"; then
		fail "$LAST_CMD: a sanitizer report"
	fi
	[ "$RC" -lt 129 ] || [ "$RC" = 129 ] || fail "$LAST_CMD: killed by signal $((RC - 128))"
}

main=$(sample_repo)
cd "$main"
git checkout -q x86/vmx/good-series

note "CVE-2024-24575: a revision ending in '@' is read within bounds"
# A name holding '@' is looked up as a ref (kx_git_resolve_commit), so
# "x86/vmx/@" reaches no revision parsing; "HEAD~1@" does, and makes the
# unpatched parser read on past the end of its "HEAD" (an out-of-bounds
# read of a global under AddressSanitizer).
for args in "prep --enroll x86/vmx/@" "check-base x86/vmx/@" "prep --check x86/vmx/@" \
	"check-base HEAD~1@" "prep --check HEAD~1@" "prep --check HEAD~3..HEAD~1@"; do
	# shellcheck disable=SC2086
	run_kvmx86 $args
	no_sanitizer_report
done
# "@{" at the end: not what the CVE fixed (the unpatched parser refuses it
# too), kept as a case of the same family
for args in "check-base HEAD@{" "check-base x86/vmx/good-series@{" \
	"prep --check HEAD~1@{"; do
	# shellcheck disable=SC2086
	run_kvmx86 $args
	no_sanitizer_report
	[ "$RC" = 128 ] || fail "$LAST_CMD: exit $RC, not 128"
done

# kvmx86 resolves each side of a range itself (git_revparse_single), so
# git_revparse(), whose leak patch 0005 fixes, is never reached: this case
# cannot fail without that patch, and stays for kvmx86's own resolution.
note "a range A..B whose B does not resolve"
run_kvmx86 check-base 'HEAD~1..HEAD~1000'
expect_exit 128
expect_stderr_contains "HEAD~1000"
no_sanitizer_report

note "mailmap: a line with '<>' (the entry leaked when it was refused)"
printf 'Tess Ting <tess@example.com> <>\n' >.mailmap
run_kvmx86 prep --enroll
expect_exit 0
run_kvmx86 prep --cover --offline
expect_exit 0
no_sanitizer_report
rm .mailmap

note "merge-base at a shallow clone's boundary (paint_down_to_common leaked)"
git clone -q --depth=2 --no-single-branch "file://$main" "$T/shallow"
(
	cd "$T/shallow"
	git checkout -q x86/vmx/good-series
	for args in "prep --check origin/kvm-x86/next..x86/vmx/good-series" \
		"prep --check origin/master~3..x86/vmx/good-series"; do
		# shellcheck disable=SC2086
		run_kvmx86 $args
		[ "$RC" = 0 ] || [ "$RC" = 1 ] || [ "$RC" = 128 ] ||
			fail "$LAST_CMD: exit $RC"
		no_sanitizer_report
	done
)

# corrupt_commit REV: rewrites REV's commit, loose, as one that names no
# tree (every object is unpacked first, so that the loose copy is read)
corrupt_commit() {
	local c obj p
	for p in .git/objects/pack/*.pack; do
		[ -e "$p" ] || continue
		mv "$p" "$T/p.pack"
		rm -f "${p%.pack}.idx"
		git unpack-objects -q <"$T/p.pack"
	done
	c=$(git rev-parse "$1^{commit}")
	git cat-file commit "$c" | sed 's/^tree /trie /' >"$T/bad"
	obj=.git/objects/${c:0:2}/${c:2}
	chmod u+w "$obj"
	python3 - "$T/bad" "$obj" <<'EOF'
import sys, zlib
body = open(sys.argv[1], 'rb').read()
open(sys.argv[2], 'wb').write(zlib.compress(b'commit %d\0' % len(body) + body))
EOF
}

note "a corrupt commit at a ref's tip (revparse leaked the reference)"
cp -a "$main" "$T/corrupt-ref"
(
	cd "$T/corrupt-ref"
	corrupt_commit kvm-x86/fixes
	# a ref kvmx86 cannot read is not a candidate base: the series is checked
	for args in "check-base" "prep --check"; do
		# shellcheck disable=SC2086
		run_kvmx86 $args
		[ "$RC" = 0 ] || [ "$RC" = 1 ] || fail "$LAST_CMD: exit $RC"
		no_sanitizer_report
	done
)

note "a commit inside the series that does not inflate (prepare_walk's list leaked)"
# a branch not enrolled: check-base walks the series itself (an enrolled
# one's range cache would answer)
sample_repo "$T/damaged" >/dev/null
(
	cd "$T/damaged"
	git checkout -q x86/vmx/good-series
	for p in .git/objects/pack/*.pack; do
		[ -e "$p" ] || continue
		mv "$p" "$T/p2.pack"
		rm -f "${p%.pack}.idx"
		git unpack-objects -q <"$T/p2.pack"
	done
	c=$(git rev-parse HEAD~1)
	chmod u+w ".git/objects/${c:0:2}/${c:2}"
	printf 'garbage' | dd of=".git/objects/${c:0:2}/${c:2}" bs=1 seek=10 \
		conv=notrunc status=none
	for args in "check-base" "prep --check" "prep --check HEAD~2..HEAD" \
		"prep --check kvm-x86/next..HEAD"; do
		# shellcheck disable=SC2086
		run_kvmx86 $args
		[ "$RC" = 128 ] || fail "$LAST_CMD: exit $RC, not 128"
		expect_stderr_contains "object $c is corrupt"
		no_sanitizer_report
	done
)

note "a corrupt commit inside the series (the walks fail cleanly)"
cp -a "$main" "$T/corrupt"
(
	cd "$T/corrupt"
	corrupt_commit HEAD~1
	for args in "check-base" "prep --check HEAD~2..HEAD"; do
		# shellcheck disable=SC2086
		run_kvmx86 $args
		[ "$RC" = 128 ] || fail "$LAST_CMD: exit $RC, not 128"
		no_sanitizer_report
	done
)

note "CVE-2026-53585: a delta that claims a 3 GiB object is refused, not allocated"
git checkout -q x86/vmx/good-series
file=$(git diff --name-only HEAD~1 HEAD | head -n 1)
new=$(git rev-parse "HEAD:$file")
old=$(git rev-parse "HEAD~1:$file")
# a pack of two objects: the old blob, and the new one as a delta on it
# that declares 3 GiB and inserts one byte; its index maps the new blob's
# id to the delta.  The loose copy of the new blob goes.
git repack -q -a -d
python3 - "$(git rev-parse --git-dir)/objects/pack" "$old" "$new" \
	"$(git cat-file blob "$old" | base64 -w0)" <<'EOF'
import base64, hashlib, struct, sys, zlib

packdir, old, new, old_b64 = sys.argv[1:5]
old_data = base64.b64decode(old_b64)

def hdr(kind, size):
    b = (kind << 4) | (size & 15)
    size >>= 4
    out = bytearray()
    while size:
        out.append(b | 0x80)
        b = size & 0x7f
        size >>= 7
    out.append(b)
    return bytes(out)

def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7f
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)

delta = varint(len(old_data)) + varint(3 << 30) + b'\x01x'
e1 = hdr(3, len(old_data)) + zlib.compress(old_data)
off2 = 12 + len(e1)
# OFS_DELTA: the distance back to the base, git's offset encoding
dist = off2 - 12
enc = bytearray([dist & 0x7f])
dist >>= 7
while dist:
    dist -= 1
    enc.insert(0, 0x80 | (dist & 0x7f))
    dist >>= 7
e2 = hdr(6, len(delta)) + bytes(enc) + zlib.compress(delta)
body = b'PACK' + struct.pack('>II', 2, 2) + e1 + e2
pack = body + hashlib.sha1(body).digest()
entries = sorted([(bytes.fromhex(old), 12, e1), (bytes.fromhex(new), off2, e2)])
idx = b'\xfftOc' + struct.pack('>I', 2)
fan = [0] * 256
for sha, _, _ in entries:
    for i in range(sha[0], 256):
        fan[i] += 1
idx += b''.join(struct.pack('>I', n) for n in fan)
idx += b''.join(sha for sha, _, _ in entries)
idx += b''.join(struct.pack('>I', zlib.crc32(e) & 0xffffffff) for _, _, e in entries)
idx += b''.join(struct.pack('>I', off) for _, off, _ in entries)
idx += hashlib.sha1(body).digest()
idx += hashlib.sha1(idx).digest()
name = hashlib.sha1(body).hexdigest()
open('%s/pack-%s.pack' % (packdir, name), 'wb').write(pack)
open('%s/pack-%s.idx' % (packdir, name), 'wb').write(idx)
EOF
# the new blob now lives only in the crafted pack
for p in .git/objects/pack/pack-*.idx; do
	git show-index <"$p" | grep -q " $new" || continue
	[ "$(git show-index <"$p" | wc -l)" = 2 ] && continue
	# the repack's pack has it too: rewrite that pack without it
	git rev-list --objects --all | grep -v "^$new" | cut -d' ' -f1 |
		git pack-objects -q .git/objects/pack/clean >/dev/null
	rm -f "$p" "${p%.idx}.pack"
done
run_kvmx86 prep --check HEAD~1..HEAD
expect_exit 128
expect_stderr_contains "overly large object"
no_sanitizer_report
exit 0
