#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# send's recipients: the KVM list in To:; the tree's MAINTAINERS per patch
# (a reviewer of one patch's files gets that patch only) and their union
# on the cover; the person trailers; stable kept a tag unless --cc-stable;
# --to/--cc, kvmx86.to/.cc and sendemail.to/.cc, sendemail.identity's
# .from/.to/.cc; b4's cover To:/Cc:; sendemail.suppressCc (and
# suppressFrom); duplicates folded; the .mailmap; --exclude remembered in
# the state; --no-trailer-cc; --not-me-too; the reason of every address
# in --dry-run and --json.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
git config user.name "Sam Sender"
git config user.email "sam@example.com"
next=$(sha refs/remotes/kvm-x86/next)

git checkout -q --detach "$next"
cat >MAINTAINERS <<'EOM'
List of maintainers

KERNEL VIRTUAL MACHINE FOR X86 (KVM/x86)
M:	Sean Christopherson <seanjc@google.com>
M:	Paolo Bonzini <pbonzini@redhat.com>
L:	kvm@vger.kernel.org
S:	Supported
F:	arch/x86/kvm/
X:	arch/x86/kvm/vmx/

KVM VMX
R:	Vic Viewer <vic@example.org>
L:	vmx-list@example.org
S:	Supported
F:	arch/x86/kvm/vmx/

X86 ARCHITECTURE (32-BIT AND 64-BIT)
M:	Thomas Gleixner <tglx@linutronix.de>
M:	x86@kernel.org
L:	linux-kernel@vger.kernel.org
S:	Maintained
F:	arch/x86/
EOM
echo "Rita Real <rita@real.example> <rita@old.example>" >.mailmap
git add MAINTAINERS .mailmap
git commit -q -m "MAINTAINERS: the KVM entries"
# published: kvm-x86/next has it
git update-ref refs/remotes/kvm-x86/next HEAD
next=$(sha HEAD)
git checkout -q -b x86/send-rcpt
echo "/* x */" >>arch/x86/kvm/x86.c
GIT_AUTHOR_NAME="Sam Sender" GIT_AUTHOR_EMAIL=sam@example.com \
	git commit -q -am "KVM: x86: One" -m "Change one thing." -m "Signed-off-by: Sam Sender <sam@example.com>"
echo "/* y */" >>arch/x86/kvm/vmx/vmx.c
GIT_AUTHOR_NAME="Sam Sender" GIT_AUTHOR_EMAIL=sam@example.com \
	git commit -q -am "KVM: VMX: Two" -m "Change another thing." -m "$(printf '%s\n' \
	"Reported-by: Rita Reporter <rita@example.org>" \
	"Suggested-by: Rita Old <rita@old.example>" \
	"Cc: stable@vger.kernel.org # 6.1+" \
	"Reviewed-by: Vic Viewer <vic@example.org>" \
	"Signed-off-by: Sam Sender <sam@example.com>")"
git config branch.x86/send-rcpt.description "$(printf 'KVM: Two things\n\nTwo things.')"
run_kvmx86 prep --enroll --base "$next"
expect_exit 0

# to K / cc K: the addresses of mail K (0: the cover), one a line
to() { jq -r ".mails[] | select(.index == $1) | .to[].addr" "$OUT"; }
cc() { jq -r ".mails[] | select(.index == $1) | .cc[].addr" "$OUT"; }
reason() {
	jq -r ".mails[] | select(.index == $1) | (.to + .cc)[] |
		select(.addr == \"$2\") | .reason" "$OUT"
}
has() { "$1" "$2" | grep -qx "$3" || fail "mail $2: $3 not in $1 ($( "$1" "$2" | tr '\n' ' '))"; }
lacks() { "$1" "$2" | grep -qx "$3" && fail "mail $2: $3 in $1"; true; }

note "MAINTAINERS per patch, the union on the cover, trailers, stable"
run_kvmx86 send --dry-run --json
expect_exit 0
has to 1 kvm@vger.kernel.org
has cc 1 seanjc@google.com
has cc 1 tglx@linutronix.de
has cc 1 x86@kernel.org
lacks cc 1 vic@example.org
lacks cc 1 rita@example.org
has cc 2 vic@example.org
has cc 2 vmx-list@example.org
has cc 2 rita@example.org
lacks cc 2 seanjc@google.com
lacks cc 2 stable@vger.kernel.org
for a in seanjc@google.com vic@example.org rita@example.org x86@kernel.org; do
	has cc 0 "$a"
done
lacks cc 0 stable@vger.kernel.org
[ "$( (to 0; cc 0) | grep -c '^kvm@vger.kernel.org$')" = 1 ] ||
	fail "the KVM list is addressed twice on the cover"
[ "$(cc 2 | grep -c '^vic@example.org$')" = 1 ] ||
	fail "vic (MAINTAINERS and Reviewed-by) is not folded into one"
[ "$(cc 2 | grep -c '^sam@example.com$')" = 1 ] ||
	fail "the sender is not copied exactly once"
[ "$(reason 2 vic@example.org)" = "MAINTAINERS: reviewer:KVM VMX" ] ||
	fail "vic's reason is '$(reason 2 vic@example.org)'"
has cc 2 rita@real.example
lacks cc 2 rita@old.example
[ "$(jq -r '.mails[] | select(.index == 2) | .cc[] | select(.addr == "rita@real.example") | .address' "$OUT")" = "Rita Real <rita@real.example>" ] ||
	fail "the .mailmap did not give Rita's real name"
[ "$(reason 2 rita@example.org)" = "Reported-by: trailer" ] ||
	fail "rita's reason is '$(reason 2 rita@example.org)'"

note "--dry-run prints who gets which mail and why"
run_kvmx86 send --dry-run
expect_exit 0
expect_stdout_contains "Cc: Vic Viewer <vic@example.org>"
expect_stdout_contains "(MAINTAINERS: reviewer:KVM VMX)"
expect_stdout_contains "(Reported-by: trailer)"

note "--cc-stable mails stable"
run_kvmx86 send --dry-run --json --cc-stable
has cc 2 stable@vger.kernel.org

note "--to, --cc and the configuration"
git config kvmx86.cc "Kay Config <kay@example.org>"
git config sendemail.to "Tom To <tom@example.org>"
run_kvmx86 send --dry-run --json --to "Ann To <ann@example.org>" --cc bob@example.org
expect_exit 0
has to 1 ann@example.org
has to 2 tom@example.org
has cc 1 bob@example.org
has cc 2 kay@example.org
[ "$(reason 1 kay@example.org)" = "kvmx86.cc (configuration)" ] ||
	fail "kay's reason is '$(reason 1 kay@example.org)'"
[ "$(reason 1 ann@example.org)" = "--to" ] || fail "ann's reason is '$(reason 1 ann@example.org)'"
git config --unset kvmx86.cc
git config --unset sendemail.to

note "--no-trailer-cc and --not-me-too"
run_kvmx86 send --dry-run --json --no-trailer-cc
lacks cc 2 rita@example.org
has cc 2 vic@example.org
run_kvmx86 send --dry-run --json --not-me-too
lacks cc 1 sam@example.com
lacks cc 0 sam@example.com

note "kvmx86.to and sendemail.cc"
git config kvmx86.to "Kim To <kim@example.org>"
git config sendemail.cc "Cid Cc <cid@example.org>"
run_kvmx86 send --dry-run --json
expect_exit 0
for k in 0 1 2; do
	has to "$k" kim@example.org
	has cc "$k" cid@example.org
done
[ "$(reason 2 kim@example.org)" = "kvmx86.to (configuration)" ] ||
	fail "kim's reason is '$(reason 2 kim@example.org)'"
[ "$(reason 2 cid@example.org)" = "sendemail.cc (configuration)" ] ||
	fail "cid's reason is '$(reason 2 cid@example.org)'"
git config --unset kvmx86.to
git config --unset sendemail.cc

note "sendemail.identity: sendemail.<identity>.from, .to and .cc first"
git config sendemail.to "Tom To <tom@example.org>"
git config sendemail.cc "Cid Cc <cid@example.org>"
git config sendemail.identity work
git config sendemail.work.from "Wendy Work <wendy@work.example>"
git config sendemail.work.to "Wes To <wes@work.example>"
run_kvmx86 send --dry-run --json
expect_exit 0
expect_json .from "Wendy Work <wendy@work.example>"
has to 1 wes@work.example
lacks to 1 tom@example.org
# the identity sets no cc: sendemail.cc counts
has cc 1 cid@example.org
[ "$(reason 1 wes@work.example)" = "sendemail.work.to (configuration)" ] ||
	fail "wes's reason is '$(reason 1 wes@work.example)'"
git config sendemail.work.cc "Wyn Cc <wyn@work.example>"
run_kvmx86 send --dry-run --json
has cc 2 wyn@work.example
lacks cc 2 cid@example.org
run_kvmx86 send --dry-run
expect_exit 0
expect_stdout_contains "Message-ID: <"
expect_stdout_matches "@work.example>"
git config --unset sendemail.identity
run_kvmx86 send --dry-run --json
expect_json .from "Sam Sender <sam@example.com>"
has to 1 tom@example.org
lacks to 1 wes@work.example

note "--identity and kvmx86.identity pick the sender and recipients as they pick the server"
run_kvmx86 send --dry-run --json --identity work
expect_exit 0
expect_json .from "Wendy Work <wendy@work.example>"
has to 1 wes@work.example
has cc 2 wyn@work.example
git config kvmx86.identity work
run_kvmx86 send --dry-run --json
expect_json .from "Wendy Work <wendy@work.example>"
has to 1 wes@work.example
git config sendemail.identity other
run_kvmx86 send --dry-run --json
expect_json .from "Wendy Work <wendy@work.example>"
git config --unset sendemail.identity
git config --unset kvmx86.identity
git config --remove-section sendemail.work
git config --unset sendemail.to
git config --unset sendemail.cc

note "sendemail.suppressCc: misc-by, then self as a second value"
git config sendemail.suppressCc misc-by
run_kvmx86 send --dry-run --json
expect_exit 0
lacks cc 2 rita@example.org
lacks cc 2 rita@real.example
has cc 2 vic@example.org
has cc 2 sam@example.com
has cc 1 seanjc@google.com
git config --add sendemail.suppressCc self
run_kvmx86 send --dry-run --json
lacks cc 1 sam@example.com
lacks cc 2 sam@example.com
lacks cc 0 sam@example.com
lacks cc 2 rita@example.org

note "sendemail.suppressCc=cccmd: no MAINTAINERS answer, the trailers still"
git config --replace-all sendemail.suppressCc cccmd
run_kvmx86 send --dry-run --json
lacks cc 1 seanjc@google.com
lacks cc 1 tglx@linutronix.de
lacks cc 2 vmx-list@example.org
has cc 2 vic@example.org
[ "$(reason 2 vic@example.org)" = "Reviewed-by: trailer" ] ||
	fail "vic's reason is '$(reason 2 vic@example.org)'"
has cc 2 rita@example.org

note "sendemail.<identity>.suppressCc first; body; all"
git config sendemail.identity work
git config sendemail.work.suppressCc body
run_kvmx86 send --dry-run --json
has cc 1 seanjc@google.com
lacks cc 2 rita@example.org
# the sender's own sign-off is self's, not sob's
has cc 2 sam@example.com
git config --unset sendemail.identity
git config --remove-section sendemail.work
git config --replace-all sendemail.suppressCc all
run_kvmx86 send --dry-run --json
[ "$( (to 2; cc 2) | tr '\n' ' ')" = "kvm@vger.kernel.org " ] ||
	fail "suppressCc=all left $( (to 2; cc 2) | tr '\n' ' ')"

note "sendemail.suppressFrom trumps suppressCc's self"
git config --replace-all sendemail.suppressCc self
git config sendemail.suppressFrom false
run_kvmx86 send --dry-run --json
has cc 2 sam@example.com
git config --unset sendemail.suppressFrom

note "an unknown suppressCc value is refused, as git send-email dies"
git config --replace-all sendemail.suppressCc misc
run_kvmx86 send --dry-run
expect_exit 128 "an unknown suppressCc value"
expect_stderr_contains "sendemail.suppresscc: unknown suppressCc value 'misc'"
git config --unset-all sendemail.suppressCc

note "git send-email's ccCmd, toCmd, headerCmd: not run, and said"
git config sendemail.ccCmd "$T/cc-cmd"
git config sendemail.work.toCmd "$T/to-cmd"
git config sendemail.identity work
printf '#!/bin/sh\necho ran >>"%s"\n' "$T/ran" >"$T/cc-cmd"
cp "$T/cc-cmd" "$T/to-cmd"
chmod +x "$T/cc-cmd" "$T/to-cmd"
run_kvmx86 send --dry-run --json
expect_json_true '[.warnings[] | select(test("^sendemail.ccCmd \\(git send-email.s --cc-cmd\\) is not run"))] | length == 1' \
	"a warning for sendemail.ccCmd"
expect_json_true '[.warnings[] | select(test("^sendemail.work.toCmd \\(git send-email.s --to-cmd\\) is not run"))] | length == 1' \
	"a warning for the identity's toCmd"
run_kvmx86 send --dry-run
expect_stderr_contains "warning: sendemail.ccCmd (git send-email's --cc-cmd) is not run"
[ ! -e "$T/ran" ] || fail "a configured command ran"
git config --unset sendemail.identity
git config --remove-section sendemail.work
git config --unset sendemail.ccCmd

note "--suppress-cc joins the configured values, as in git send-email"
git config sendemail.suppressCc misc-by
run_kvmx86 send --dry-run --json --suppress-cc=cccmd
expect_exit 0
lacks cc 2 rita@example.org
lacks cc 1 seanjc@google.com
# vic reviewed (misc-by) and is in MAINTAINERS (cccmd): both are gone
lacks cc 2 vic@example.org
has cc 2 sam@example.com
run_kvmx86 send --dry-run --json --suppress-cc all
[ "$( (to 2; cc 2) | tr '\n' ' ')" = "kvm@vger.kernel.org " ] ||
	fail "--suppress-cc all left $( (to 2; cc 2) | tr '\n' ' ')"
git config --unset-all sendemail.suppressCc
run_kvmx86 send --dry-run --suppress-cc misc
expect_usage_error
expect_stderr_contains "--suppress-cc: unknown suppressCc value 'misc'"

note "b4's cover To: and Cc: (imported at enrolment) address every mail"
git checkout -q -b x86/send-b4 "$next"
git commit -q --allow-empty -F - <<'EOC'
KVM: Two things from b4

Two things, prepared with b4.

To: Tina Bee <tina@b4.example>
Cc: carl@b4.example
Cc: Vic Viewer <vic@example.org>

--- b4-submit-tracking ---
# This section is used internally by b4 prep for tracking purposes.
{
  "series": {
    "revision": 1,
    "change-id": "20230101-two-things-0123456789ab",
    "prefixes": [],
    "base-branch": null,
    "history": {}
  }
}
EOC
git cherry-pick "$next..x86/send-rcpt" >/dev/null
run_kvmx86 prep --enroll
expect_exit 0
expect_stdout_contains "b4's cover: 1 To: and 2 Cc: kept as the recipients for send"
run_kvmx86 send --dry-run --json
expect_exit 0
for k in 0 1 2; do
	has to "$k" tina@b4.example
	has cc "$k" carl@b4.example
done
[ "$(reason 1 tina@b4.example)" = "the series' recipients (from b4)" ] ||
	fail "tina's reason is '$(reason 1 tina@b4.example)'"
# a patch has two mails besides the cover: b4's cover commit is none
[ "$(jq '.mails | length' "$OUT")" = 3 ] || fail "b4's cover commit became a mail"
# folded with MAINTAINERS' reviewer, whose reason comes first
[ "$(cc 2 | grep -c '^vic@example.org$')" = 1 ] || fail "vic is addressed twice"
git checkout -q x86/send-rcpt

note "--exclude: for this run in a dry run, remembered by a write-out"
run_kvmx86 send --dry-run --json --exclude vic@example.org
lacks cc 2 vic@example.org
lacks cc 0 vic@example.org
read_state x86/send-rcpt
jq -e '.recipients.exclude // [] | index("vic@example.org") | not' "$OUT" >/dev/null ||
	fail "a dry run remembered the exclusion"
run_kvmx86 send -o "$T/out" --exclude vic@example.org
expect_exit 0
expect_stderr_contains "vic@example.org is excluded from this series from now on"
sed '/^$/q' "$T/out/0002-"*.patch | grep -q 'vic@example.org' &&
	fail "an excluded address was written into the headers"
run_kvmx86 send --dry-run --json
lacks cc 2 vic@example.org
read_state x86/send-rcpt
jq -e '.recipients.exclude | index("vic@example.org")' "$OUT" >/dev/null ||
	fail "the exclusion is not in the state"

note "lists separated by commas, as git send-email takes them"
git config sendemail.to 'a1@example.org, "Two, A" <a2@example.org>'
git config --add sendemail.to a3@example.org
run_kvmx86 send --dry-run --json --cc 'c1@example.org,C Two <c2@example.org>'
expect_exit 0
has to 1 a1@example.org
has to 1 a2@example.org
has to 1 a3@example.org
has cc 1 c1@example.org
has cc 1 c2@example.org
[ "$(reason 1 a2@example.org)" = "sendemail.to (configuration)" ] ||
	fail "a2's reason is '$(reason 1 a2@example.org)'"

note "a configured recipient that is no address is an error, not a warning"
git config --add sendemail.to 'not an address'
run_kvmx86 send --dry-run
expect_fatal "bad config value 'not an address' for 'sendemail.to'"
expect_stdout_empty
git config --unset-all sendemail.to

note "an address that starts with '-' is refused before anything"
run_kvmx86 send --dry-run --to '-oQ/tmp/x@example.com'
expect_exit 129
run_kvmx86 send -o "$T/dash" --cc 'Me <-oQ/tmp/x@example.com>'
expect_exit 129
[ ! -e "$T/dash" ] || fail "a write-out went with an address that starts with '-'"
