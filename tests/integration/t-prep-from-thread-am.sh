#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep -n NAME -F MSGID on mails git am finds hard: what git am makes of
# them prep -F makes (trees, authors, dates, messages), and what git am
# refuses prep -F refuses, making nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-lore.sh"
. "$(dirname "$0")/lib-smtp.sh"

lore_list_repo
next=$NEXT
n=0

# Each case's subjects are its own: public-inbox threads mails by subject
# too, and a thread holding two series' v1 is not what is tested.
#
# post RANGE TAG [BASE]: the patches of RANGE as git format-patch makes
# them (base-commit BASE, default kvm-x86/next), Message-IDs
# <TAG.i@example.com> replying to the first, delivered to the inbox; with
# CRLF set, each line ends in CR LF.
post() {
	local f i=0
	rm -rf "$T/fp" && mkdir "$T/fp"
	git format-patch -q --to="$LORE_ADDRESS" --thread=shallow \
		--base="${3:-$next}" -o "$T/fp" "$1" >/dev/null ||
		fail "git format-patch $1 failed"
	for f in "$T/fp"/*.patch; do
		i=$((i + 1))
		sed -e '1d' \
			-e "s/^Message-ID: <.*>/Message-ID: <$2.$i@example.com>/I" \
			-e "s/^In-Reply-To: <.*>/In-Reply-To: <$2.1@example.com>/I" \
			-e "s/^References: <.*>/References: <$2.1@example.com>/I" \
			"$f" >"$f.eml"
		[ -z "${CRLF:-}" ] || sed -i 's/$/\r/' "$f.eml"
		lore_deliver <"$f.eml"
	done
}

facts() { git -C "$1" log --format='%T %an <%ae> %ad%n%B' --date=raw "$next..HEAD"; }

# same_as_am TAG: what git am makes of the mails post wrote, on
# kvm-x86/next, prep -n -F makes of them on lore.
same_as_am() {
	n=$((n + 1))
	rm -rf "$T/am"
	git worktree prune
	git worktree add -q --detach "$T/am" "$next"
	cat "$T/fp"/*.patch >"$T/all.mbox"
	git -C "$T/am" am -q "$T/all.mbox" || fail "git am of $1 failed"
	git checkout -q "$next"
	run_kvmx86 prep -n "am$n" -F "$1.1@example.com"
	expect_exit 0
	facts "$T/am" >"$T/am.facts"
	facts . >"$T/from.facts"
	diff -u "$T/am.facts" "$T/from.facts" >&2 ||
		fail "$1: the commits differ from what git am makes of the mails"
	[ -z "$(git status --porcelain --untracked-files=no)" ] ||
		fail "$1: the checkout is not clean"
	git checkout -q "$next"
}

note "a patch that creates a file there already: refused, as git am does"
f=arch/x86/kvm/pmu.c
git checkout -q -b readd "$next"
git rm -q "$f"
git commit -q -m "KVM: x86: Drop pmu.c"
echo "/* not the file kvm-x86/next has */" >"$f"
git add "$f"
git commit -q -m "KVM: x86: Add pmu.c"
post readd~1..readd readd
rm -rf "$T/am"
git worktree add -q --detach "$T/am" "$next"
! git -C "$T/am" am -q "$T/fp"/*.patch 2>/dev/null || fail "git am took it"
git checkout -q "$next"
refs_snapshot "$T/refs.before"
run_kvmx86 prep -n readd -F readd.1@example.com
expect_exit 128
expect_stderr_contains "patch 1/1 (\"KVM: x86: Add pmu.c\") does not apply"
expect_stderr_contains "$f already exists"
expect_refs_unchanged "$T/refs.before" "a refused -F"

note "a file replaced by a directory, and the directory by a file"
git checkout -q -b dirs "$next"
git rm -q "$f"
mkdir "$f"
echo "/* inside */" >"$f/inner.c"
git add "$f"
git commit -q -m "KVM: x86: Make pmu.c a directory"
git rm -q -r "$f"
echo "/* a file again */" >"$f"
git add "$f"
git commit -q -m "KVM: x86: Make pmu.c a file again"
post "$next..dirs" dirs
same_as_am dirs

note "mails sent with CR LF line ends, as git am reads them"
git checkout -q -b crlf "$next"
echo "/* crlf */" >>arch/x86/kvm/x86.c
git commit -q -am "KVM: x86: Add a line" -m "A body sent with CR LF line ends."
echo "/* crlf 2 */" >>arch/x86/kvm/x86.c
git commit -q -am "KVM: x86: Add another line" -m "Another."
CRLF=1 post "$next..crlf" crlf
same_as_am crlf

note "a submodule added, then moved to another commit: the commits, not their text"
git checkout -q -b sub "$next"
git update-index --add --cacheinfo "160000,$(git rev-parse "$next~1"),sub"
git commit -q -m "KVM: x86: Add a submodule"
git update-index --cacheinfo "160000,$(git rev-parse "$next~2"),sub"
git commit -q -m "KVM: x86: Move the submodule"
post "$next..sub" sub
same_as_am sub

note "patches of no hunks: a mode change, then a rename, last in their mails"
git checkout -q -b nohunk "$next"
chmod +x arch/x86/kvm/xen.c
git commit -q -am "KVM: x86: Make xen.c executable"
git mv arch/x86/kvm/x86.c arch/x86/kvm/x86-moved.c
git commit -q -m "KVM: x86: Move x86.c"
post "$next..nohunk" nohunk
same_as_am nohunk

note "an executable file renamed, with no hunk: it stays executable"
git checkout -q -b exec-rename "$next"
chmod +x arch/x86/kvm/xen.c
git commit -q -am "KVM: x86: Let xen.c be run"
git mv arch/x86/kvm/xen.c arch/x86/kvm/xen-moved.c
echo "/* new */" >arch/x86/kvm/zz.c
git add arch/x86/kvm/zz.c
git commit -q -m "KVM: x86: Move xen.c"
post "$next..exec-rename" exec-rename
same_as_am exec-rename

note "quoted-printable, base64 and ISO-8859-1 mails: UTF-8 commits, as git am makes"
git checkout -q -b charsets "$next"
for i in 1 2 3; do
	echo "/* charset $i */" >>arch/x86/kvm/x86.c
	GIT_AUTHOR_NAME="Zoë Ünïcode" git commit -q -am "KVM: x86: Add é $i" \
		-m "Déjà vu, naïve café $i: a line long enough that quoted-printable cuts it in two."
done
rm -rf "$T/fp" && mkdir "$T/fp"
git format-patch -q --to="$LORE_ADDRESS" --thread=shallow --base="$next" \
	-o "$T/fp" "$next..charsets" || fail "git format-patch failed"
# patch 1 in quoted-printable, 2 in base64, 3 in ISO-8859-1 (its From too)
python3 - "$T/fp" <<'PY' || fail "cannot re-encode the mails"
import base64, glob, quopri, re, sys
for i, f in enumerate(sorted(glob.glob(sys.argv[1] + '/*.patch'))):
    first, raw = open(f, 'rb').read().split(b'\n', 1)
    head, body = raw.split(b'\n\n', 1)
    head = re.sub(rb'(?im)^Message-ID: <.*>', b'Message-ID: <charsets.%d@example.com>' % (i + 1), head)
    head = re.sub(rb'(?im)^(In-Reply-To|References): <.*>', rb'\1: <charsets.1@example.com>', head)
    cte = [b'quoted-printable', b'base64', b'8bit'][i]
    head = head.replace(b'Content-Transfer-Encoding: 8bit', b'Content-Transfer-Encoding: ' + cte)
    if i == 0:
        body = quopri.encodestring(body)
    elif i == 1:
        body = base64.encodebytes(body)
    else:
        head = head.replace(b'charset=UTF-8', b'charset=ISO-8859-1')
        head = re.sub(rb'(?m)^From: .*<', b'From: =?ISO-8859-1?Q?Zo=EB_=DCn=EFcode?= <', head)
        body = body.decode().encode('latin-1')
    open(f, 'wb').write(first + b'\n' + head + b'\n\n' + body)
    open(f + '.eml', 'wb').write(head + b'\n\n' + body)
PY
for f in "$T/fp"/*.eml; do
	lore_deliver <"$f"
done
same_as_am charsets
