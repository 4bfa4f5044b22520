#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --link: "Link: https://lore.kernel.org/r/<msgid>" on one commit
# (the tip by default), before the author's sign-off; '/' in a Message-ID
# escaped; archive URLs for the same message turned into the lore link;
# the commits above it re-created with the same trees, authors and
# messages; the old tip kept under refs/kvmx86/backup/ and in the reflog;
# the same link twice changes nothing; a link to an earlier version of the
# series (its sent history) is refused unless --force; local changes and
# commits outside the series are refused.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)
b=x86/vmx/linked
git checkout -q -b "$b" "$next"
for n in 1 2 3; do
	echo "/* change $n */" >>arch/x86/kvm/vmx/vmx.c
	git commit -q -am "KVM: VMX: Change $n" -m "Change $n of vmx.c." \
		-m "Reported-by: Rita Porter <rita@example.com>
Signed-off-by: $GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL>"
done
run_kvmx86 prep --enroll --base "$next"
expect_exit 0
old=$(sha HEAD)

note "a Message-ID with '/' on the middle commit: escaped, before the sign-off"
refs_snapshot "$T/refs.before"
run_env GIT_COMMITTER_NAME="Lin Ker" GIT_COMMITTER_EMAIL=lin@example.com -- \
	prep --link '<ab/cd@example.com>' HEAD~1 --offline
expect_exit 0
url='https://lore.kernel.org/r/ab%2Fcd@example.com'
expect_stdout_contains "added Link: $url to $(short "$old~1") (\"KVM: VMX: Change 2\")"
expect_stdout_contains "the old tip is kept as refs/kvmx86/backup/$b/1"
git log -1 --format=%B HEAD~1 >"$T/msg"
printf '%s\n' "KVM: VMX: Change 2" "" "Change 2 of vmx.c." "" \
	"Reported-by: Rita Porter <rita@example.com>" "Link: $url" \
	"Signed-off-by: $GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL>" "" >"$T/want"
diff -u "$T/want" "$T/msg" || fail "the message of the linked commit (diff above)"
[ "$(sha HEAD~2)" = "$(sha "$old~2")" ] || fail "the commit below was re-created"
[ "$(git rev-parse HEAD^{tree})" = "$(git rev-parse "$old^{tree}")" ] || fail "the tree changed"
[ "$(git rev-parse HEAD~1^{tree})" = "$(git rev-parse "$old~1^{tree}")" ] || fail "a tree changed"
[ "$(git log -1 --format=%B HEAD)" = "$(git log -1 --format=%B "$old")" ] ||
	fail "the tip's message changed"
[ "$(git log -1 --format='%an <%ae>' HEAD)" = "$GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL>" ] ||
	fail "the author changed"
[ "$(git log -1 --format='%cn' HEAD)" = "Lin Ker" ] || fail "the committer is not the current identity"
[ "$(sha "refs/kvmx86/backup/$b/1")" = "$old" ] || fail "no backup of the old tip"
git reflog -1 --format=%gs "refs/heads/$b" | grep -q "kvmx86 prep --link" ||
	fail "no reflog entry"
git diff --quiet && git diff --cached --quiet || fail "the work tree or index changed"

note "the same message through other archives' URLs: unchanged"
for arg in "https://lore.kernel.org/kvm/ab%2Fcd@example.com/T/#u" \
	   "https://patchwork.kernel.org/project/kvm/patch/ab%2Fcd@example.com/"; do
	run_kvmx86 prep --link "$arg" HEAD~1 --offline
	expect_exit 0
	expect_stdout_contains "has Link: $url already; nothing changed"
done
[ "$(git rev-parse -q --verify "refs/kvmx86/backup/$b/2")" = "" ] || fail "a second backup"

note "the tip by default; a branch name means its tip"
git checkout -q master
run_kvmx86 prep --link 'tip@example.com' "$b" --offline
expect_exit 0
git log -1 --format=%B "$b" | grep -qx 'Link: https://lore.kernel.org/r/tip@example.com' ||
	fail "no Link: on the branch's tip"
[ "$(git symbolic-ref HEAD)" = refs/heads/master ] || fail "HEAD moved"
git checkout -q "$b"

note "an earlier version of the series is refused, then --force"
sf=$(state_file "$b")
jq '.sent = [{revision: 1, cover_msgid: "v1-cover@example.com", msgids: ["v1-patch-2@example.com"]}] | .revision = 2' \
	"$sf" >"$sf.new"
mv "$sf.new" "$sf"
refs_snapshot "$T/refs.before"
run_kvmx86 prep --link 'https://lore.kernel.org/all/v1-patch-2@example.com/' --offline
expect_exit 1
expect_stderr_contains "is v1 of $b"
expect_stderr_contains "cover letter"
expect_refs_unchanged "$T/refs.before" "a refused link"
run_kvmx86 prep --link 'v1-cover@example.com' --force --offline
expect_exit 0
expect_stderr_contains "warning: https://lore.kernel.org/r/v1-cover@example.com is v1 of $b"
git log -1 --format=%B | grep -qx 'Link: https://lore.kernel.org/r/v1-cover@example.com' ||
	fail "--force did not add the link"

note "refusals: local changes, a commit outside the series, a bad argument"
echo "dirty" >>arch/x86/kvm/vmx/vmx.c
refs_snapshot "$T/refs.before"
run_kvmx86 prep --link 'x@example.com' --offline
expect_fatal
expect_refs_unchanged "$T/refs.before" "local changes"
git checkout -q -- arch/x86/kvm/vmx/vmx.c
run_kvmx86 prep --link 'x@example.com' "$next" --offline
expect_fatal "series-range"
run_kvmx86 prep --link 'https://marc.info/?l=kvm&m=1' --offline
expect_fatal
run_kvmx86 prep --link
expect_usage_error

note "the committer of the new commits: as git, each part from its variable, else user.*"
git config user.name "Conf Name"
git config user.email conf@example.com
run_env -u GIT_COMMITTER_EMAIL GIT_COMMITTER_NAME="Env Name" -- prep --link 'who@example.com' --offline
expect_exit 0
[ "$(git log -1 --format='%cn <%ce>')" = "Env Name <conf@example.com>" ] ||
	fail "committer: $(git log -1 --format='%cn <%ce>')"

git config committer.email committer@example.com
run_env -u GIT_COMMITTER_EMAIL -u GIT_COMMITTER_NAME -- prep --link 'who2@example.com' --offline
expect_exit 0
[ "$(git log -1 --format='%cn <%ce>')" = "Conf Name <committer@example.com>" ] ||
	fail "committer.email does not come before user.email: $(git log -1 --format='%cn <%ce>')"
git config --unset committer.email

note "no committer identity: refused, nothing changed"
git config --unset user.name
refs_snapshot "$T/refs.before"
run_env -u GIT_COMMITTER_NAME -u GIT_COMMITTER_EMAIL HOME="$T/nohome" -- prep --link 'nobody@example.com' --offline
expect_fatal "no committer identity for the new commits: user.name is not set"
expect_refs_unchanged "$T/refs.before" "no identity"
