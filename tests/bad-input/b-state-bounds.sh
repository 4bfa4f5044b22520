#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# State files with values out of bounds or of the wrong type, and b4
# tracking data with a revision of 2^32: refused on load naming the field
# (exit 128), the file left as it is, nothing else changed.  A state that
# loads saves to what loads the same.
. "$(dirname "$0")/lib.sh"

enrolled_series
b=x86/vmx/good-series
sf=$(state_file "$b")
cp "$sf" "$T/good.json"

# bad JQ-EDIT MESSAGE: the edited state is refused by a reading command
# and by a writing one, naming MESSAGE; nothing changes.
bad() {
	jq -c "$1" "$T/good.json" >"$sf"
	cp "$sf" "$T/bad.json"
	snapshot "$T/before"
	for cmd in "prep --show-info" "prep --force-revision 2" "prep --cover --offline"; do
		run_kvmx86 $cmd
		expect_fatal
		expect_message "state file $sf: $2"
		expect_clean_bytes
	done
	expect_same_file "$sf" "$T/bad.json" "$1"
	expect_unchanged "$T/before" "$1"
}

note "numbers"
bad '.revision = 4294967296' "revision 4294967296 is out of range (1 to 1000)"
bad '.revision = 100000' "revision 100000 is out of range (1 to 1000)"
bad '.revision = 0' "revision 0 is out of range"
bad '.revision = -1' "revision -1 is out of range"
bad '.revision = 2.5' "revision is not a whole number"
bad '.revision = "3"' "revision is not a whole number"
bad '.sent = [{"revision": 4294967297}]' "sent[0].revision 4294967297 is out of range"
bad '.sent = [{"revision": 2}, {"revision": 2}]' "sent[0] and sent[1] are both v2"
bad '.sent = [{"cover_msgid": "a@b"}]' "sent[0].revision is missing"
note "types"
bad '.branch = 5' "branch is not a string"
bad '.prefixes = "RFC"' "prefixes is not a list"
bad '.prefixes = ["RFC", null]' "prefixes[1] is not a string"
bad '.prefixes = [range(17) | tostring]' "prefixes has 17 items, at most 16"
bad '.cover = []' "cover is not an object"
bad '.sent = {}' "sent is not a list"
bad '.test_results = []' "test_results is not an object"
note "strings"
bad '.change_id = ""' "change_id is empty"
bad '.base.commit = "HEAD~3"' "base.commit 'HEAD~3' is not a commit id"
bad '.last_tip = "0123"' "last_tip '0123' is not a commit id"
bad '.base.scope = "arm64"' "base.scope 'arm64' is none of the values kvmx86 knows"
bad '.imported_from = "git-send-email"' "imported_from 'git-send-email' is none of the values"
bad '.cover.subject = "a\nb"' "cover.subject 'a^Jb' holds a line break"
bad '.sent = [{"revision": 1, "to": ["a@b\r\nBcc: c@d"]}]' "sent[0].to[0] 'a@b^M^JBcc: c@d' holds a line break"
bad '.cover.body = ("x" * 1048577)' "cover.body is too long: 1048577 bytes, at most 1048576"
bad '.change_id = ("c" * 300)' "change_id 'cccc"

note "what loads, saves to what loads the same"
jq '.revision = 1000 | .newer = {"a": [1, 2.5, null]} | .cover.format = "md"' \
	"$T/good.json" >"$sf"
run_kvmx86 prep --set-prefixes RFC
expect_exit 0
read_state "$b"
expect_json .revision 1000
expect_json '.newer.a[1]' 2.5
expect_json .cover.format md
cp "$sf" "$T/once.json"
run_kvmx86 prep --set-prefixes RFC
expect_exit 0
expect_same_file "$sf" "$T/once.json" "a second save"

note "b4's revision 2^32: --enroll refused, naming it"
cp "$T/good.json" "$sf"
next=$(sha refs/remotes/kvm-x86/next)
git checkout -q -b b4/big "$next"
echo "/* big */" >>arch/x86/kvm/x86.c
git commit -q -am "KVM: x86: Big"
git config branch.b4/big.b4-tracking \
	'{"series": {"revision": 4294967296, "change-id": "20230101-big-0123456789ab", "history": {"v1": []}}}'
snapshot "$T/before"
run_kvmx86 prep --enroll --base "$next"
expect_fatal
expect_message "b4's tracking data of b4/big: revision 4294967296 is out of range (1 to 1000)"
expect_no_state b4/big
expect_unchanged "$T/before" "b4 revision 2^32"
git config branch.b4/big.b4-tracking \
	'{"series": {"revision": 2, "history": {"v4294967296": []}}}'
run_kvmx86 prep --enroll --base "$next"
expect_fatal
expect_message "history key 'v4294967296' is not a version"
expect_unchanged "$T/before" "b4 history v2^32"

note "b4 tracking data that is not JSON, or not b4's shape: refused, named"
b4b=$(git rev-parse --abbrev-ref HEAD)
for v in 'not json at all' '{"series": ' '[1, 2, 3]' '{"series": 5}' \
	 '{"series": {"revision": "two"}}'; do
	git config "branch.$b4b.b4-tracking" "$v"
	snapshot "$T/before"
	run_kvmx86 prep --enroll --base "$next"
	expect_fatal "b4's tracking data of $b4b"
	expect_no_state "$b4b"
	expect_unchanged "$T/before" "b4 tracking data '$v'"
done
