#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A branch started on mainline's master between two rcs: mainline's own
# commits (those of a remote of Linus' tree) are no part of the series,
# and the fix moves only the series' commits onto kvm-x86/next.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)
rc=$(git describe --tags --abbrev=0 refs/remotes/kvm/master)

# mainline after the rc: two commits that are no one's series
new_branch mainline "$rc"
commit_append drivers/gpu/drm/foo.c "drm/foo: A mainline change" <<'EOT'
/* drm */
EOT
commit_append fs/btrfs/bar.c "btrfs: Another mainline change" <<'EOT'
/* btrfs */
EOT
git remote add origin https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git
git update-ref refs/remotes/origin/master mainline
master=$(sha refs/remotes/origin/master)

new_branch x86/misc/on-master refs/remotes/origin/master
x86_commit 1

note "the series is the one commit above origin/master"
run_kvmx86 check-base --json
expect_exit 1
expect_json '.commits | length' 1
expect_json .verdict wrong
expect_json .remedy "git rebase --onto kvm-x86/next $(short "$master") x86/misc/on-master"
run_kvmx86 prep --check --json
expect_json '.commits | length' 1

note "the GitHub mirror's URL counts as mainline too"
git remote set-url origin https://github.com/torvalds/linux.git
run_kvmx86 check-base --json
expect_json '.commits | length' 1

note "without a mainline remote, its commits are the series' (nothing tells them apart)"
git remote remove origin
run_kvmx86 check-base --json
expect_json '.commits | length' 3
