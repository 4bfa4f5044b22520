#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# send -o / --mbox: the mails are what git format-patch writes, with
# kvmx86's headers.  `git am` of the written files onto the base gives
# the same trees, authors, author dates and messages (a rename, a binary
# file, a mode change, a non-ASCII author and subject, an author who is
# not the sender, a 50-patch series, a single patch); Debian's `b4 am`
# applies the written mbox offline.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
git config user.name "Sam Sender"
git config user.email "sam@example.com"
next=$(sha refs/remotes/kvm-x86/next)

# same_commits BASE..TIP REPO BASE2..TIP2: trees, authors, author dates and
# messages agree commit by commit.
same_commits() {
	local f='%T%n%an <%ae>%n%ad%n%B' a b
	a=$(git log --reverse --date=raw --format="$f%x01" "$1")
	b=$(git -C "$2" log --reverse --date=raw --format="$f%x01" "$3")
	[ "$a" = "$b" ] || {
		diff -u <(printf '%s\n' "$a") <(printf '%s\n' "$b") >&2 || true
		fail "$4: the applied commits differ from the series (diff above)"
	}
}

# am_check WHAT FILES...: git am of FILES onto $next in a fresh clone.
# An mbox starts with its cover letter, which git am stops at (as it does
# on git format-patch --cover-letter --stdout): that one mail is skipped.
am_check() {
	local what=$1 clone="$T/clone-$RANDOM" rc=0
	shift
	git clone -q --no-checkout . "$clone"
	git -C "$clone" -c advice.detachedHead=false checkout -q "$next"
	git -C "$clone" -c user.name=Applier -c user.email=a@example.com \
		am -q "$@" >"$T/am.out" 2>&1 || rc=$?
	if [ $rc != 0 ] && grep -q 'No valid patches' "$T/am.out" &&
	   grep -q '^Subject: \[PATCH.* 0*0/' "$clone/.git/rebase-apply/0001"; then
		rc=0
		git -C "$clone" -c user.name=Applier -c user.email=a@example.com \
			am -q --skip >"$T/am.out" 2>&1 || rc=$?
	fi
	[ $rc = 0 ] || {
		cat "$T/am.out" >&2
		fail "$what: git am failed (output above)"
	}
	same_commits "$next..HEAD" "$clone" "$next..HEAD" "$what"
}

note "a series with a rename, a binary file, a mode change, foreign and non-ASCII authors"
git checkout -q -b x86/vmx/send "$next"
git config branch.x86/vmx/send.description "$(printf 'KVM: VMX: Send this series\n\nA series for the round trip.')"
echo "/* more */" >>arch/x86/kvm/vmx/vmx.c
GIT_AUTHOR_NAME="Sam Sender" GIT_AUTHOR_EMAIL=sam@example.com \
	git commit -q -am "KVM: VMX: Touch vmx.c" -m "Touch vmx.c for the round trip." -m "Signed-off-by: Sam Sender <sam@example.com>"
git mv arch/x86/kvm/vmx/nested.c arch/x86/kvm/vmx/nested_renamed.c
GIT_AUTHOR_NAME="Ánne Ümlaut" GIT_AUTHOR_EMAIL=anne@example.com \
GIT_AUTHOR_DATE="2023-03-04T05:06:07+0530" \
	git commit -q -m "KVM: nVMX: Rename nested.c – naïvely" \
	-m "Körper with non-ASCII text." \
	-m "Signed-off-by: Ánne Ümlaut <anne@example.com>"
printf '\000\001\002binary' >arch/x86/kvm/blob.bin
chmod +x arch/x86/kvm/x86.c
git add -A
GIT_AUTHOR_NAME="Zed Zebra" GIT_AUTHOR_EMAIL=zed@example.com \
	git commit -q -m "KVM: x86: Add a blob, make x86.c executable" \
	-m "A line that is long enough: $(printf 'x%.0s' $(seq 1 120))" \
	-m "Cc: stable@vger.kernel.org # 6.1+" \
	-m "Signed-off-by: Zed Zebra <zed@example.com>"
run_kvmx86 prep --enroll --base "$next"
expect_exit 0

run_kvmx86 send -o "$T/out"
expect_exit 0 "send -o"
ls "$T/out" >"$T/files"
# git's own names for the same range
git format-patch -q --cover-letter -o "$T/git-out" "$next..HEAD"
ls "$T/git-out" >"$T/git-files"
cmp -s "$T/files" "$T/git-files" || {
	diff -u "$T/git-files" "$T/files" >&2 || true
	fail "send -o names its files unlike git format-patch"
}
for f in "$T"/out/*.patch; do
	for h in From To Subject Date Message-ID; do
		grep -q "^$h: " "$f" || fail "$(basename "$f") has no $h: header"
	done
done
grep -q '^Cc: .*zed@example.com' "$T/out/0003-"*.patch ||
	grep -q '^    .*zed@example.com' "$T/out/0003-"*.patch ||
	fail "patch 3 does not Cc its author (Signed-off-by)"
grep -qi 'stable@' "$T/out/0003-"*.patch | grep -q '^Cc:' &&
	fail "stable was mailed without --cc-stable"
grep -q '^From: Zed Zebra <zed@example.com>$' "$T/out/0003-"*.patch ||
	fail "patch 3 lacks the in-body From: of its author"
grep -q '^From: Sam Sender' "$T/out/0001-"*.patch || fail "patch 1 is not from the sender"
[ "$(grep -c '^From: ' "$T/out/0001-"*.patch)" = 1 ] ||
	fail "patch 1 (by the sender) has an in-body From:"
grep -q '^Subject: \[PATCH 2/3\] =?UTF-8?q?KVM:=20nVMX' "$T/out/0002-"*.patch ||
	fail "the non-ASCII subject is not RFC 2047-encoded"
[ "$(cat "$T"/out/*.patch | grep -c '^base-commit: ')" = 1 ] ||
	fail "base-commit: is not written exactly once"
grep -q '^change-id: ' "$T/out/0000-cover-letter.patch" ||
	fail "the cover letter has no change-id:"
cover_id=$(sed -n 's/^Message-ID: <\(.*\)>$/\1/p' "$T/out/0000-cover-letter.patch")
[[ $cover_id =~ ^[0-9]{8}-send-this-series-v1-0-[0-9a-f]{12}@example\.com$ ]] ||
	[[ $cover_id =~ ^[0-9]{8}-send-v1-0-[0-9a-f]{12}@example\.com$ ]] ||
	fail "the cover's Message-ID '$cover_id' is not of b4's shape"
for f in "$T"/out/000[123]-*.patch; do
	grep -q "^In-Reply-To: <$cover_id>$" "$f" ||
		fail "$(basename "$f") is not threaded to the cover letter"
done
am_check "send -o" "$T"/out/000[123]-*.patch

note "a mail a killed run left half-written in DIR is removed, said, and not sent"
printf 'From: half\n' >"$T/out/.0002-KVM-x86-half.patch.tmpAbC123"
printf 'keep\n' >"$T/out/.notes.tmp"
run_kvmx86 send -o "$T/out"
expect_exit 0 "send -o over a half-written mail"
expect_stderr_contains "note: removed .0002-KVM-x86-half.patch.tmpAbC123, a mail an earlier run left half-written"
[ ! -e "$T/out/.0002-KVM-x86-half.patch.tmpAbC123" ] || fail "the half-written mail stays"
[ -e "$T/out/.notes.tmp" ] || fail "a file of the user's was removed"

note "diff.noprefix, diff.mnemonicPrefix and diff.relative do not change the patches"
git config diff.noprefix true
git config diff.mnemonicPrefix true
run_kvmx86 send -o "$T/out-np"
expect_exit 0 "send -o with diff.noprefix"
grep -q '^diff --git a/' "$T"/out-np/0001-*.patch || fail "diff.noprefix reached the patches"
am_check "send -o with diff.noprefix" "$T"/out-np/000[123]-*.patch
git config --unset diff.noprefix
git config --unset diff.mnemonicPrefix

note "--mbox: one mbox for git am"
run_kvmx86 send --mbox "$T/series.mbox"
expect_exit 0 "send --mbox"
am_check "send --mbox" "$T/series.mbox"
cover2=$(grep -m1 '^Message-ID: ' "$T/series.mbox")
[ "Message-ID: <$cover_id>" != "$cover2" ] ||
	fail "two writes share a Message-ID nonce"

note "--mbox - writes the mbox to standard output, as format-patch --stdout"
run_kvmx86 send --mbox -
expect_exit 0 "send --mbox -"
[ ! -e ./- ] || fail "--mbox - wrote a file named -"
cp "$OUT" "$T/stdout.mbox"
am_check "send --mbox -" "$T/stdout.mbox"
run_kvmx86 send --mbox - --json
expect_usage_error

note "b4 am of the written mbox, offline"
if command -v b4 >/dev/null 2>&1; then
	# Debian's b4 0.12 under python 3.11 fails on any folded Subject:
	# (git format-patch's output too): unfold the headers first.
	python3 -c '
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="surrogateescape").read()
out, head = [], False
for line in text.split("\n"):
    if re.match(r"From [0-9a-f]{40} ", line):
        head = True
    elif head and line == "":
        head = False
    elif head and line[:1] in (" ", "\t"):
        out[-1] += " " + line.lstrip(" \t")
        continue
    out.append(line)
sys.stdout.write("\n".join(out))
' "$T/series.mbox" >"$T/unfolded.mbox"
	mid=$(sed -n 's/^Message-ID: <\(.*\)>$/\1/p' "$T/unfolded.mbox" | head -1)
	mkdir -p "$T/b4out"
	(b4 -n am -m "$T/unfolded.mbox" -o "$T/b4out" "$mid" \
		>"$T/b4.out" 2>&1) || { cat "$T/b4.out" >&2; fail "b4 am failed"; }
	am_check "b4 am" "$T"/b4out/*.mbx
else
	echo "b4 is not installed: b4 am not checked" >&2
fi

note "a single patch: no cover letter, the cover text under its ---"
git checkout -q -b x86/vmx/single "$next"
git config branch.x86/vmx/single.description "$(printf 'KVM: VMX: One\n\nOnly one patch.')"
echo "/* one */" >>arch/x86/kvm/vmx/vmx.c
GIT_AUTHOR_NAME="Zed Zebra" GIT_AUTHOR_EMAIL=zed@example.com \
	git commit -q -am "KVM: VMX: One patch" -m "Only one change." \
	-m "Signed-off-by: Zed Zebra <zed@example.com>"
run_kvmx86 prep --enroll --base "$next"
run_kvmx86 send -o "$T/single"
expect_exit 0 "send -o of one patch"
[ "$(ls "$T/single")" = "0001-KVM-VMX-One-patch.patch" ] ||
	fail "a single patch wrote $(ls "$T/single")"
grep -q '^Subject: \[PATCH\] KVM: VMX: One patch$' "$T/single/"*.patch ||
	fail "a single patch is not [PATCH]"
grep -q '^Only one patch\.$' "$T/single/"*.patch || fail "the cover text is not under ---"
grep -q '^In-Reply-To:' "$T/single/"*.patch && fail "a single patch replies to something"
# base-commit: and change-id: end the mail, after the diff, as git
# format-patch --base and b4 put them: a blank line, the lines, the signature
awk '/^diff --git / { d = NR } /^base-commit: / { b = NR } END { exit !(d && b > d) }' \
	"$T/single/"*.patch || fail "a single patch's base-commit: is not after its diff"
git format-patch -q --stdout --base="$next" "$next..x86/vmx/single" |
	sed -n '/^+\/\* one \*\/$/,/^-- $/p' >"$T/single-git"
sed -n '/^+\/\* one \*\/$/,/^-- $/p' "$T/single/"*.patch | grep -v '^change-id: ' >"$T/single-ours"
diff -u "$T/single-git" "$T/single-ours" ||
	fail "the end of a single patch differs from git format-patch --base's (diff above)"
grep -q '^change-id: .*$' "$T/single/"*.patch || fail "a single patch has no change-id:"
# a template that ends with a signature, as the default one: one signature
printf '%s\n' '${cover}' '' '${changelog}' '' '---' '${shortlog}' '' '${diffstat}' '' \
	'base-commit: ${base_commit}' \
	'${prerequisites}' 'change-id: ${change_id}' '-- ' '${signature}' >"$T/template"
git config kvmx86.coverTemplate "$T/template"
run_kvmx86 send -o "$T/single-tpl"
expect_exit 0 "send -o of one patch, a cover template"
git config --unset kvmx86.coverTemplate
[ "$(grep -c '^-- $' "$T/single-tpl/"*.patch)" = 1 ] ||
	fail "a single patch with a cover template has $(grep -c '^-- $' "$T/single-tpl/"*.patch) signatures"
# the template's "---", shortlog and diffstat are the patch's own already
[ "$(grep -c '^---$' "$T/single-tpl/"*.patch)" = 1 ] ||
	fail "a single patch with a cover template has $(grep -c '^---$' "$T/single-tpl/"*.patch) '---' lines"
[ "$(grep -c ' changed, ' "$T/single-tpl/"*.patch)" = 1 ] ||
	fail "a single patch with a cover template has its diffstat $(grep -c ' changed, ' "$T/single-tpl/"*.patch) times"
awk '/^diff --git / { d = NR } /^base-commit: / { b = NR } END { exit !(d && b > d) }' \
	"$T/single-tpl/"*.patch || fail "with a template, base-commit: is not after the diff"
am_check "one patch" "$T/single/"*.patch

note "a 50-patch series"
git checkout -q -b x86/vmx/fifty "$next"
git config branch.x86/vmx/fifty.description "$(printf 'KVM: VMX: Fifty\n\nFifty patches.')"
for i in $(seq 1 50); do
	echo "/* $i */" >>arch/x86/kvm/vmx/vmx.c
	git commit -q -am "KVM: VMX: Patch number $i" -m "Change number $i." \
		-m "Signed-off-by: Tess Ting <tess@example.com>"
done
run_kvmx86 prep --enroll --base "$next"
start=$(date +%s)
run_kvmx86 send --mbox "$T/fifty.mbox"
expect_exit 0 "send --mbox of 50 patches"
# written out, the cover letter has the time of writing (no back-dating)
cover_date=$(date -d "$(grep -m1 '^Date: ' "$T/fifty.mbox" | cut -d' ' -f2-)" +%s)
[ "$cover_date" -ge "$start" ] || fail "the written cover letter is dated $cover_date, before the run ($start)"
[ "$(grep -c '^Subject: \[PATCH [0-9][0-9]/50\]' "$T/fifty.mbox")" = 51 ] ||
	fail "the 50-patch mbox lacks [PATCH nn/50] subjects"
am_check "50 patches" "$T/fifty.mbox"
