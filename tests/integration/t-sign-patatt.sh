#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Signed mails: what kvmx86 signs (sign-probe, as kvmx86 send will) passes
# Debian's `patatt validate`, and is byte for byte what `patatt sign`
# writes for the same mail, key and time; a mail altered after signing
# fails.  The mails are kvmx86's own (send -o: an RFC 2047 author, an
# in-body From, a folded subject, 8bit bodies) and hand-made ones in its
# shapes (quoted-printable, trailing blanks in a patch).  An OpenPGP or
# OpenSSH key is refused with a clear message, no key means "unsigned",
# a malformed key file is named.  libcrypto is loaded only to sign.
. "$(dirname "$0")/lib.sh"

: "${SIGN_PROBE:?set SIGN_PROBE to the sign-probe binary}"
command -v patatt >/dev/null || skip "patatt is not installed"

export XDG_DATA_HOME="$T/data"
# signing makes a temporary directory for git mailinfo: here, to see it go
mkdir "$T/tmp"
export TMPDIR="$T/tmp"
PROBE_OUT="$T/probe.out" PROBE_ERR="$T/probe.err"

# probe ARGS...: runs sign-probe; sets RC, output in $PROBE_OUT/$PROBE_ERR.
probe() {
	LAST_CMD="sign-probe$(printf ' %q' "$@")"
	LAST_DIR=$PWD
	RC=0
	"$SIGN_PROBE" "$@" >"$PROBE_OUT" 2>"$PROBE_ERR" </dev/null || RC=$?
	cp "$PROBE_OUT" "$OUT"
	cp "$PROBE_ERR" "$ERR"
}

# validate FILE: patatt validate must say PASS.  (The mail goes on stdin:
# given one file, patatt reads it as an mbox, and a mail without a
# "From " line is then no message at all, which "passes".)
validate() {
	local rc=0
	patatt validate <"$1" >"$T/v.out" 2>&1 || rc=$?
	[ $rc = 0 ] && grep -q '^ *PASS |' "$T/v.out" || {
		cat "$T/v.out" >&2
		fail "patatt validate rejects $1 (exit $rc)"
	}
}

# invalid FILE WHAT: patatt validate must fail (BADSIG).
invalid() {
	local rc=0
	patatt validate <"$1" >"$T/v.out" 2>&1 || rc=$?
	[ $rc != 0 ] && grep -q 'BADSIG' "$T/v.out" || {
		cat "$T/v.out" >&2
		fail "patatt validate accepts $2 (exit $rc)"
	}
}

cd "$(sample_repo)"
repo=$PWD
git config user.name "Sàm Sénder"
git config user.email "sam@example.com"
next=$(sha refs/remotes/kvm-x86/next)

note "a key made by patatt genkey"
patatt genkey -n kvmtest >"$T/genkey.out" 2>&1 ||
	{ cat "$T/genkey.out" >&2; fail "patatt genkey failed"; }
key="$XDG_DATA_HOME/patatt/private/kvmtest.key"
[ -f "$key" ] || fail "patatt genkey wrote no $key"
[ -e "$XDG_DATA_HOME/patatt/public/ed25519/example.com/sam/kvmtest" ] ||
	fail "patatt genkey wrote no public key for sam@example.com"

note "no key configured: unsigned"
probe "$repo" /dev/null "$T/x"
[ "$RC" = 2 ] || fail "no key: expected exit 2, got $RC"
grep -q '^unsigned: patatt.signingkey is not set' "$PROBE_ERR" ||
	fail "no key: stderr does not say unsigned"

git config patatt.signingkey ed25519:kvmtest
git config patatt.selector kvmtest

note "kvmx86's own mails (send -o)"
git checkout -q -b signed "$next"
echo 'int changed;' | GIT_AUTHOR_NAME="Jörg Tést" GIT_AUTHOR_EMAIL=jorg@example.com \
	commit_append arch/x86/kvm/x86.c "KVM: x86: Änderung für naïve Leser"
printf 'int trailing = 1;   \n\t\n' >>arch/x86/kvm/x86.c
git add -A
git commit -q -m "KVM: x86: A subject long enough that git format-patch has to fold it on two lines" \
	-m "Body with trailing blanks.   " -m "Signed-off-by: Sam Sender <sam@example.com>"
run_kvmx86 prep --enroll --base "$next"
expect_exit 0 "prep --enroll"
run_kvmx86 send -o "$T/out" --force
expect_exit 0 "send -o"
n=0
for f in "$T"/out/*.patch; do
	probe --time 1796650000 "$repo" "$f" "$f.signed"
	[ "$RC" = 0 ] || fail "sign-probe failed on $(basename "$f")"
	grep -q '^X-Developer-Signature: v=1; a=ed25519-sha256; t=1796650000;' "$f.signed" ||
		fail "$(basename "$f"): no X-Developer-Signature"
	grep -q '^X-Developer-Key: i=sam@example.com; a=ed25519;' "$f.signed" ||
		fail "$(basename "$f"): no X-Developer-Key"
	validate "$f.signed"
	n=$((n + 1))
done
[ $n -ge 3 ] || fail "send -o wrote $n mails, expected at least 3"
grep -q '^From: =?UTF-8?q?' "$T"/out/*.patch ||
	fail "no mail has an RFC 2047 From (the test lost its point)"
grep -q '^ ' "$(grep -l 'A subject long enough' "$T"/out/*.patch | head -1)" ||
	fail "the long subject is not folded (the test lost its point)"

note "byte for byte what patatt sign writes"
for f in "$T"/out/*.patch; do
	/usr/bin/python3 - "$f" "$key" >"$f.patatt" <<'EOF'
import sys, time
import patatt
time.time = lambda: 1796650000
with open(sys.argv[1], 'rb') as fh:
    msg = fh.read()
with open(sys.argv[2]) as fh:
    key = fh.read()
sys.stdout.buffer.write(patatt.sign_message(msg, 'ed25519', key,
                                            'sam@example.com', 'kvmtest'))
EOF
	cmp -s "$f.signed" "$f.patatt" || {
		diff -u "$f.patatt" "$f.signed" >&2 || true
		fail "$(basename "$f"): kvmx86's signed mail differs from patatt's"
	}
done

note "hand-made mails in kvmx86's shapes"
mkdir "$T/hand"
cat >"$T/hand/qp.eml" <<'EOF'
From: =?UTF-8?q?J=C3=B6rg=20T=C3=A9st?= <jorg@example.com>
Date: Mon, 7 Dec 2026 14:00:00 +0000
Subject: [PATCH v2 1/3] KVM: x86: a rather long subject that has to be folded
 because it goes on and on
To: kvm@vger.kernel.org
Cc: Sean Christopherson <seanjc@google.com>
Message-ID: <20261207-abc-v2-1-123@example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

From: =C3=89lodie Author <elodie@example.org>

Body line with trailing space =20
and a J=C3=B6rg line, and a soft=
 break

Signed-off-by: J=C3=B6rg T=C3=A9st <jorg@example.com>
---
 foo.c | 2 +-
diff --git a/foo.c b/foo.c
--- a/foo.c
+++ b/foo.c
@@ -1,2 +1,2 @@
-old=20
+new=09
 =20


EOF
cat >"$T/hand/ascii.eml" <<'EOF'
From: Sam Sender <sam@example.com>
Date: Mon, 7 Dec 2026 14:00:00 +0000
Subject: [PATCH 0/1] KVM: x86: cover
To: kvm@vger.kernel.org
Message-ID: <cover@example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

Cover text, no patch.
EOF
for f in "$T"/hand/*.eml; do
	probe "$repo" "$f" "$f.signed"
	[ "$RC" = 0 ] || fail "sign-probe failed on $(basename "$f")"
	validate "$f.signed"
done
# the default i= is patatt's: patatt.identity, else user.email
git config patatt.identity jorg@example.com
mkdir -p "$XDG_DATA_HOME/patatt/public/ed25519/example.com/jorg"
cp "$XDG_DATA_HOME/patatt/public/kvmtest.pub" \
	"$XDG_DATA_HOME/patatt/public/ed25519/example.com/jorg/kvmtest"
probe "$repo" "$T/hand/qp.eml" "$T/hand/qp.jorg"
[ "$RC" = 0 ] || fail "sign-probe with patatt.identity failed"
grep -q '^ i=jorg@example.com;\|; i=jorg@example.com;' "$T/hand/qp.jorg" ||
	fail "patatt.identity is not the i="
validate "$T/hand/qp.jorg"
git config --unset patatt.identity

note "CRLF line ends on the wire keep the signature valid"
# SMTP carries CRLF; b4 signs the CRLF form, kvmx86 the LF one
for f in "$T"/out/*.signed; do
	sed 's/$/\r/' "$f" >"$f.crlf"
	validate "$f.crlf"
done

note "a mail altered after signing fails"
f=$(ls "$T"/out/*.patch | sed -n 2p).signed
# one byte of the body
awk 'BEGIN { done = 0 } /^$/ && !b { b = 1 } b && !done && /^[A-Za-z]/ {
	sub(/[A-Za-z]/, "Q"); done = 1 } { print }' "$f" >"$T/body.eml"
cmp -s "$f" "$T/body.eml" && fail "the body was not altered"
invalid "$T/body.eml" "a mail with one body byte changed"
# one signed header (the Message-ID)
sed '0,/^Message-ID: </s//Message-ID: <x/' "$f" >"$T/hdr.eml"
cmp -s "$f" "$T/hdr.eml" && fail "the header was not altered"
invalid "$T/hdr.eml" "a mail with its Message-ID changed"
sed '0,/^Subject: \[PATCH/s//Subject: [PATCH RESEND/' "$f" >"$T/subj.eml"
validate "$T/subj.eml"	# mailinfo drops the [PATCH ...] prefix, as patatt signs
sed '0,/^\(Subject: \[PATCH[^]]*\]\) /s//\1 X/' "$f" >"$T/subj2.eml"
invalid "$T/subj2.eml" "a mail with its subject changed"

note "signing a signed mail replaces the signature"
probe --time 1796650001 "$repo" "$f" "$T/resigned.eml"
[ "$RC" = 0 ] || fail "re-signing failed"
[ "$(grep -c '^X-Developer-Signature:' "$T/resigned.eml")" = 1 ] ||
	fail "re-signing left two signatures"
grep -q 't=1796650001;' "$T/resigned.eml" || fail "re-signing kept the old t="
validate "$T/resigned.eml"

note "the key where patatt also looks: an absolute path, .git/<name>.key"
cp "$key" "$T/abs.key"
git config patatt.signingkey "ed25519:$T/abs.key"
probe "$repo" "$T/hand/ascii.eml" "$T/abs.eml"
[ "$RC" = 0 ] || fail "an absolute key path failed"
grep -qF "signed with $T/abs.key" "$PROBE_OUT" || fail "the absolute key was not used"
validate "$T/abs.eml"
cp "$key" .git/inrepo.key
git config patatt.signingkey ed25519:inrepo
probe "$repo" "$T/hand/ascii.eml" "$T/inrepo.eml"
[ "$RC" = 0 ] || fail "a key in .git/ failed"
grep -qF ".git/inrepo.key" "$PROBE_OUT" || fail "the key in .git/ was not used"
validate "$T/inrepo.eml"

note "no selector: patatt leaves s= out, validate looks for 'default'"
git config patatt.signingkey ed25519:kvmtest
git config --unset patatt.selector
probe "$repo" "$T/hand/ascii.eml" "$T/nosel.eml"
[ "$RC" = 0 ] || fail "signing without a selector failed"
grep -q ' s=' "$T/nosel.eml" && fail "s= without patatt.selector"
validate "$T/nosel.eml"
git config patatt.selector kvmtest

note "OpenPGP and OpenSSH keys are refused"
git config patatt.signingkey openpgp:ABCDEF0123456789
probe "$repo" "$T/hand/ascii.eml" "$T/x"
[ "$RC" = 1 ] || fail "openpgp: expected exit 1, got $RC"
grep -q "kvmx86 signs with ed25519 keys, and patatt.signingkey is the OpenPGP key 'ABCDEF0123456789'" \
	"$PROBE_ERR" || fail "openpgp: unclear message"
grep -q '^hint: .*patatt genkey' "$PROBE_ERR" || fail "openpgp: no hint"
[ -e "$T/x" ] && fail "openpgp: a mail was written"
git config patatt.signingkey openssh:/nonexistent/id_ed25519
probe "$repo" "$T/hand/ascii.eml" "$T/x"
[ "$RC" = 1 ] && grep -q 'OpenSSH key' "$PROBE_ERR" || fail "openssh: not refused"
# without patatt.signingkey, patatt signs with user.signingkey (OpenPGP)
git config --unset patatt.signingkey
git config user.signingkey 0123456789ABCDEF
probe "$repo" "$T/hand/ascii.eml" "$T/x"
[ "$RC" = 1 ] && grep -q "user.signingkey .*OpenPGP key '0123456789ABCDEF'" "$PROBE_ERR" ||
	fail "user.signingkey: not refused"
git config --unset user.signingkey

note "a missing or malformed key file is named"
git config patatt.signingkey ed25519:nosuchkey
probe "$repo" "$T/hand/ascii.eml" "$T/x"
[ "$RC" = 1 ] && grep -qF "$XDG_DATA_HOME/patatt/private/nosuchkey.key" "$PROBE_ERR" ||
	fail "a missing key is not named"
printf 'not a key\n' >"$XDG_DATA_HOME/patatt/private/bad.key"
git config patatt.signingkey ed25519:bad
probe "$repo" "$T/hand/ascii.eml" "$T/x"
[ "$RC" = 1 ] || fail "malformed key: expected exit 1, got $RC"
grep -qF "the ed25519 key '$XDG_DATA_HOME/patatt/private/bad.key' is malformed" "$PROBE_ERR" ||
	fail "malformed key: the file is not named"
grep -q 'not a key' "$PROBE_ERR" && fail "the key file's text reached the output"
git config patatt.signingkey ed25519:kvmtest

note "mails patatt cannot sign are refused"
printf 'From: Sam <sam@example.com>\n\nno subject\n' >"$T/nosubj.eml"
probe "$repo" "$T/nosubj.eml" "$T/x"
[ "$RC" = 1 ] && grep -q '^error: cannot sign: the mail has no subject header' "$PROBE_ERR" ||
	fail "a mail without Subject: is not refused"
printf 'From: Sam <sam@example.com>\nSubject: x\n' >"$T/nobody.eml"
probe "$repo" "$T/nobody.eml" "$T/x"
[ "$RC" = 1 ] && grep -q '^error: cannot sign: the mail has no body' "$PROBE_ERR" ||
	fail "a mail without a body is not refused"
mkdir "$T/nogit"
ln -s "$(command -v env)" "$T/nogit/env"
RC=0
PATH="$T/nogit" "$SIGN_PROBE" "$repo" "$T/hand/ascii.eml" "$T/x" 2>"$PROBE_ERR" || RC=$?
[ "$RC" = 1 ] && grep -q '^error: cannot run git mailinfo' "$PROBE_ERR" ||
	fail "no git: not an error naming git mailinfo"
[ -e "$T/x" ] && fail "a mail was written without git mailinfo"
[ -z "$(ls "$TMPDIR")" ] ||
	fail "signing left its temporary directory behind"

note "libcrypto is loaded to sign, and only then"
probe --maps
grep -qx 'libcrypto not mapped' "$PROBE_OUT" || fail "libcrypto mapped before signing"
LD_DEBUG=files "$KVMX86" send -o "$T/out2" --force >/dev/null 2>"$T/ld.log" ||
	fail "kvmx86 send -o failed under LD_DEBUG"
grep -q 'libcrypto' "$T/ld.log" && fail "kvmx86 send -o (no signing) loaded libcrypto"
LD_DEBUG=files "$SIGN_PROBE" "$repo" "$T/hand/ascii.eml" "$T/ld.eml" \
	>/dev/null 2>"$T/ld.log" || fail "sign-probe failed under LD_DEBUG"
grep -q 'calling init: .*libcrypto.so.3' "$T/ld.log" ||
	fail "signing did not load libcrypto.so.3"

note "pass"
