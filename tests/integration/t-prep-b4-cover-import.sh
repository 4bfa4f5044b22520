#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --enroll of a b4 branch imports the cover's text alone: b4 prep -e,
# --auto-to-cc (its To:/Cc: trailers), a send (to a local sendmail
# stand-in) that adds "Changes in v2:" below "---", then kvmx86 prep
# --enroll and --cover --offline.  b4's '#' help, its Signed-off-by: and
# template bullets are left out, the To:/Cc: become the state's
# recipients, and the "Changes in vN:" notes kvmx86's version sections.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
need_b4
b=x86/vmx/b4-import

note "b4 prep -e, --auto-to-cc (stand-in get_maintainer commands), --edit-cover, send"
printf '#!/bin/sh\ncat >/dev/null\nprintf "%%s\\n" "Sean Christopherson <seanjc@google.com>" "Paolo Bonzini <pbonzini@redhat.com>"\n' >"$T/to-cmd"
printf '#!/bin/sh\ncat >/dev/null\nprintf "%%s\\n" "kvm@vger.kernel.org" "linux-kernel@vger.kernel.org"\n' >"$T/cc-cmd"
chmod +x "$T/to-cmd" "$T/cc-cmd"
git config b4.send-auto-to-cmd "$T/to-cmd"
git config b4.send-auto-cc-cmd "$T/cc-cmd"
git checkout -q --no-track -b "$b" x86/vmx/good-series
b4_run prep -e kvm-x86/next
b4_run prep --auto-to-cc
cover=$(git rev-list --reverse kvm-x86/next..HEAD | head -n 1)
git log -1 --format=%B "$cover" | grep -qx 'To: Sean Christopherson <seanjc@google.com>' ||
	fail "b4 --auto-to-cc added no To: line"
# the user replaces b4's EDITME title and paragraph, keeping the rest
cat >"$T/edit.py" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
s = re.sub(r'EDITME: cover title for .*', 'KVM: VMX: Harden DEBUGCTL handling', s)
s = re.sub(r'EDITME: describe the purpose.*?the patch\.\n',
           'This series makes KVM validate DEBUGCTL writes.\n', s, flags=re.S)
open(p, 'w').write(s)
PY
printf '#!/bin/sh\nfor f; do :; done\nexec python3 %s "$f"\n' "$T/edit.py" >"$T/b4-editor"
chmod +x "$T/b4-editor"
EDITOR="$T/b4-editor" b4_run prep --edit-cover
b4_run send --no-sign --to kvm@vger.kernel.org
cover=$(git rev-list --reverse kvm-x86/next..HEAD | head -n 1)
git log -1 --format=%B "$cover" >"$T/b4-cover"
for want in '^# ' '^To: ' '^Cc: ' '^Signed-off-by: ' '^Changes in v2:$' '^- Link to v1: https://'; do
	grep -qE "$want" "$T/b4-cover" || fail "b4's cover lacks /$want/: $(cat "$T/b4-cover")"
done
msgid=$(b4_tracking_json "$cover" | jq -r '.series.history.v1[0]')

note "kvmx86 prep --enroll: the cover text alone, the recipients kept"
run_kvmx86 prep --enroll
expect_exit 0
expect_stdout_contains "b4's cover: 2 To: and 2 Cc: kept as the recipients for send"
read_state "$b"
expect_json .cover.subject "KVM: VMX: Harden DEBUGCTL handling"
expect_json '.recipients.to | join("|")' "Sean Christopherson <seanjc@google.com>|Paolo Bonzini <pbonzini@redhat.com>"
expect_json '.recipients.cc | join("|")' "kvm@vger.kernel.org|linux-kernel@vger.kernel.org"
expect_json .cover.body "$(printf '%s\n' 'This series makes KVM validate DEBUGCTL writes.' '' 'v2:' '' \
	"v1: https://lore.kernel.org/r/$msgid")"

note "prep --cover --offline: kvmx86's version log, none of b4's scaffolding"
run_kvmx86 prep --cover --offline
expect_exit 0
for bad in '^# ' '^To: ' '^Cc: ' '^Signed-off-by: ' 'Changes in v' 'EDITME: describe what is new' 'b4 prep'; do
	! grep -qE "$bad" "$OUT" || fail "the cover has b4's /$bad/: $(cat "$OUT")"
done
expect_stdout_matches '^v2:$'
expect_stdout_matches "^v1: https://lore.kernel.org/.*$msgid"

note "enrolling again changes nothing: the cover is read the same way"
run_kvmx86 prep --enroll
expect_exit 0
expect_stdout_contains "enrolled already: nothing changed"
