#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --check --checkpatch leaves out what a kvmx86 rule reported for the
# same commit: checkpatch's EMAIL_SUBJECT where shortlog-no-tool-name
# fired, its "Non-standard signature" about a combined tag where
# no-combined-tags fired; the same types on a commit the rules let pass
# stay, and so does a BAD_SIGN_OFF about something else.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
b=x86/misc/tool-names
new_branch "$b" kvm-x86/next
add_lines arch/x86/kvm/x86.c <<'EOS'

static int kvm_tool_names_one;
EOS
git add -A
git commit -q --no-verify -s -m "KVM: x86: Fix sparse warnings in the emulator" \
	-m "Annotate the pointer as __user, as the emulator reads it from the guest." \
	-m "Reported-and-tested-by: Rita Reporter <rita@example.com>"
one=$(sha HEAD)
add_lines arch/x86/kvm/x86.c <<'EOS'

static int kvm_tool_names_two;
EOS
git add -A
git commit -q --no-verify -s -m "KVM: x86: Handle sparse banks in the Hyper-V flush" \
	-m "Walk every bank of the sparse set, not only the first one." \
	-m "Acked-and-not-really-by: Sam <sam@example.com>"
two=$(sha HEAD)

# checkpatch as checkpatch.pl --terse --show-types prints these findings
mkdir -p scripts
cat >scripts/checkpatch.pl <<'EOS'
#!/usr/bin/perl
my $c = $ARGV[-1];
print "$c:2: WARNING:EMAIL_SUBJECT: A patch subject line should describe the change not the tool that found it\n";
my $tag = `git log -1 --format=%b $c` =~ /^([A-Za-z-]+-and-[A-Za-z-]+:)/m ? $1 : "none";
print "$c:9: WARNING:BAD_SIGN_OFF: Non-standard signature: $tag\n";
print "$c:10: WARNING:BAD_SIGN_OFF: Duplicate signature\n";
exit 1;
EOS

note "without --checkpatch: the rules' own findings"
run_kvmx86 prep --check --json kvm-x86/next.."$b"
expect_json_true "[.findings[] | select(.commit == \"$one\" and .rule == \"shortlog-no-tool-name\" and .severity == \"warning\")] | length == 1" \
	"shortlog-no-tool-name on the sparse warnings"
expect_json_true "[.findings[] | select(.commit == \"$one\" and .rule == \"no-combined-tags\" and .severity == \"advice\")] | length == 1" \
	"no-combined-tags on Reported-and-tested-by:"
expect_json_true "[.findings[] | select(.commit == \"$two\" and .rule == \"shortlog-no-tool-name\")] | length == 0" \
	"no shortlog-no-tool-name on the sparse banks"
expect_json_true "[.findings[] | select(.commit == \"$two\" and .rule == \"no-combined-tags\")] | length == 1" \
	"no-combined-tags on the second commit's tag"

note "with --checkpatch: checkpatch's duplicates are left out"
run_kvmx86 prep --check --checkpatch --json kvm-x86/next.."$b"
# cp COMMIT TYPE [TEXT]: how many checkpatch/TYPE findings of COMMIT hold TEXT
cp() {
	jq -r --arg c "$1" --arg r "checkpatch/$2" --arg m "${3:-}" \
		'[.findings[] | select(.commit == $c and .rule == $r and (.message | contains($m)))] | length' <"$OUT"
}
[ "$(cp "$one" EMAIL_SUBJECT)" = 0 ] || fail "EMAIL_SUBJECT kept beside shortlog-no-tool-name"
[ "$(cp "$one" BAD_SIGN_OFF "Reported-and-tested-by:")" = 0 ] ||
	fail "the Non-standard signature kept beside no-combined-tags"
[ "$(cp "$one" BAD_SIGN_OFF "Duplicate signature")" = 1 ] ||
	fail "another BAD_SIGN_OFF left out"
[ "$(cp "$two" EMAIL_SUBJECT)" = 1 ] ||
	fail "EMAIL_SUBJECT left out where shortlog-no-tool-name did not fire"
[ "$(cp "$two" BAD_SIGN_OFF "Acked-and-not-really-by:")" = 0 ] ||
	fail "the Non-standard signature kept beside no-combined-tags (second commit)"
rm -rf scripts
