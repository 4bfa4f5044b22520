#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# scripts/make-sample-repo itself: deterministic, refuses to overwrite
# without --force, and builds the documented shape.
. "$(dirname "$0")/lib.sh"

S=$SAMPLE_REPO_SCRIPT

note "--help"
"$S" --help >"$OUT" 2>"$ERR" || fail "--help failed"
grep -q '^usage: make-sample-repo' "$OUT" || fail "--help prints no usage"
RC=0; "$S" >"$OUT" 2>"$ERR" || RC=$?
[ "$RC" = 129 ] || fail "no DIR: exit $RC, not 129"

note "build, refuse to overwrite, --force rebuilds the same object ids"
"$S" "$T/a" >/dev/null
cp "$T/a/.git/sample-manifest.txt" "$T/manifest.1"
git -C "$T/a" for-each-ref --format='%(objectname) %(refname)' >"$T/refs.1"
: >"$T/a/marker"
RC=0; "$S" "$T/a" >"$OUT" 2>"$ERR" || RC=$?
[ "$RC" != 0 ] || fail "overwrote an existing directory"
[ -e "$T/a/marker" ] || fail "touched the existing directory"
mkdir "$T/c"
RC=0; "$S" "$T/c" >"$OUT" 2>"$ERR" || RC=$?
[ "$RC" != 0 ] || fail "used an existing empty directory"
(cd "$T" && "$S" --force a >/dev/null) || fail "--force (relative DIR) failed"
[ ! -e "$T/a/marker" ] || fail "--force kept the old contents"
cmp -s "$T/manifest.1" "$T/a/.git/sample-manifest.txt" ||
	fail "two builds: the manifests differ"
git -C "$T/a" for-each-ref --format='%(objectname) %(refname)' >"$T/refs.2"
cmp -s "$T/refs.1" "$T/refs.2" || fail "two builds: the refs differ"
tpl=${SAMPLE_REPO_TEMPLATE:-}
if [ -n "$tpl" ] && [ "$tpl/.git/sample-manifest.txt" -nt "$S" ]; then
	cmp -s "$tpl/.git/sample-manifest.txt" "$T/manifest.1" ||
		fail "the build tree's sample repository differs"
fi

cd "$T/a"
note "HEAD on master, clean"
[ "$(git symbolic-ref HEAD)" = refs/heads/master ] || fail "HEAD is not master"
[ -z "$(git status --porcelain)" ] || fail "the work tree is not clean"
[ "$(sha master)" = "$(sha v6.3-rc4)" ] || fail "master is not v6.3-rc4"

note "tags"
for t in v6.2 v6.3-rc1 v6.3-rc2 v6.3-rc3 v6.3-rc4; do
	[ "$(git cat-file -t "refs/tags/$t")" = tag ] || fail "$t is not annotated"
	[ "$(git tag -l --format='%(contents:subject)' "$t")" = "Linux ${t#v}" ] ||
		fail "$t's message is not 'Linux ${t#v}'"
	git merge-base --is-ancestor "$t" master || fail "$t is not on master"
done
[ "$(git cat-file -t refs/tags/kvm-x86-pmu-6.4)" = commit ] ||
	fail "kvm-x86-pmu-6.4 is not lightweight"
[ "$(sha kvm-x86-pmu-6.4)" = "$(sha refs/remotes/kvm-x86/pmu)" ] ||
	fail "kvm-x86-pmu-6.4 is not on the pmu topic"

note "remotes"
[ "$(git remote get-url kvm-x86)" = https://github.com/kvm-x86/linux.git ] ||
	fail "kvm-x86 URL"
[ "$(git remote get-url kvm)" = https://git.kernel.org/pub/scm/virt/kvm/kvm.git ] ||
	fail "kvm URL"
rc2=$(sha v6.3-rc2)
next=$(sha refs/remotes/kvm-x86/next)
for t in mmu pmu vmx svm misc selftests xen generic; do
	r=refs/remotes/kvm-x86/$t
	n=$(git rev-list --count "v6.3-rc2..$r")
	{ [ "$n" -ge 1 ] && [ "$n" -le 3 ]; } || fail "$r has $n commits on v6.3-rc2"
	[ "$(git merge-base v6.3-rc2 "$r")" = "$rc2" ] || fail "$r is not on v6.3-rc2"
	git merge-base --is-ancestor "$r" "$next" || fail "next lacks $r"
	[ -n "$(git reflog show "$r")" ] || fail "$r has no reflog"
done
git merge-base --is-ancestor v6.3-rc2 "$next" || fail "next is not on v6.3-rc2"
git merge-base --is-ancestor v6.3-rc3 "$next" && fail "next contains v6.3-rc3"
[ -n "$(git reflog show refs/remotes/kvm-x86/next)" ] || fail "next has no reflog"
[ "$(sha refs/remotes/kvm-x86/fixes~1)" = "$(sha v6.3-rc3)" ] ||
	fail "kvm-x86/fixes is not v6.3-rc3 + 1"
[ "$(sha refs/remotes/kvm/master~1)" = "$(sha v6.3-rc4)" ] ||
	fail "kvm/master is not v6.3-rc4 + 1"
git merge-base --is-ancestor "$next" refs/remotes/kvm/next ||
	fail "kvm/next lacks kvm-x86/next"
[ "$(git rev-list --count --no-merges "v6.3-rc2..refs/remotes/kvm/next" ^"$next")" = 1 ] ||
	fail "kvm/next is not v6.3-rc2 + one commit + kvm-x86/next"

note "bugs and the fix"
released=$(mf commit.released_bug "$T/a")
cycle=$(mf commit.cycle_bug "$T/a")
git merge-base --is-ancestor "$released" v6.2 || fail "released bug not in v6.2"
git merge-base --is-ancestor "$cycle" v6.2 && fail "cycle bug in v6.2"
git merge-base --is-ancestor "$cycle" v6.3-rc1 || fail "cycle bug not in v6.3-rc1"
git log -1 --format=%B fixes/current |
	grep -qx "Fixes: $(short "$cycle") (\"$(git log -1 --format=%s "$cycle")\")" ||
	fail "fixes/current has no Fixes: for the cycle bug"

note "local branches"
for b in x86/vmx/good-series x86/mmu/multiarch fixes/current; do
	[ -n "$(git config "branch.$b.description")" ] || fail "$b: no description"
	git rev-parse -q --verify "$b@{upstream}" >/dev/null || fail "$b: no upstream"
	[ "$(mf "branch.$b.fork" "$T/a")" = \
	  "$(sha "$b~$(mf "branch.$b.commits" "$T/a")")" ] || fail "$b: manifest fork"
	[ "$(mf "branch.$b.tip" "$T/a")" = "$(sha "$b")" ] || fail "$b: manifest tip"
done
[ "$(git rev-parse --abbrev-ref 'x86/vmx/good-series@{upstream}')" = kvm-x86/next ] ||
	fail "good-series upstream"
[ "$(git rev-parse --abbrev-ref 'fixes/current@{upstream}')" = kvm/master ] ||
	fail "fixes/current upstream"
[ "$(mf branch.x86/mmu/multiarch.fork "$T/a")" = "$next" ] || fail "multiarch fork"
[ "$(mf branch.fixes/current.fork "$T/a")" = "$(sha refs/remotes/kvm/master)" ] ||
	fail "fixes/current fork"
git diff --stat "$next" x86/mmu/multiarch -- virt/kvm include/linux arch/arm64 |
	tail -1 | grep -qE '([3-9][0-9]|[1-9][0-9][0-9]) insertions' ||
	fail "multiarch adds fewer than 30 lines of common/arm64 code"
