# SPDX-License-Identifier: GPL-2.0-only
# Shared by scripts/demo and scripts/test; source it, do not run it.

# What kvmx86 needs to build, test and install, as Debian 12 packages
# (public-inbox, its Xapian search and python3: the lore tests' servers;
# clang and libFuzzer: scripts/fuzz).
KX_PACKAGES=(meson ninja-build pkg-config gcc make libgit2-dev libcurl4-openssl-dev
	libjansson-dev zlib1g-dev libcmocka-dev scdoc jq git bsdutils man-db
	b4 git-filter-repo cmake libhttp-parser-dev strace
	public-inbox libsearch-xapian-perl python3 python3-aiosmtpd openssl
	git-email libauthen-sasl-perl
	clang libclang-rt-14-dev libfuzzer-14-dev
	distcc ccache patatt libssl-dev netbase)

kx_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

kx_say() { printf '%s\n' "$*"; }
kx_fatal() { printf 'fatal: %s\n' "$*" >&2; exit 128; }
kx_hint() { printf 'hint: %s\n' "$*" >&2; }

# Installs whatever of KX_PACKAGES is missing.  Needs no root when nothing
# is missing; runs apt-get update only when something is.
kx_install_missing()
{
	local missing=() pkg sudo=()

	if ! command -v dpkg-query >/dev/null 2>&1; then
		kx_say "not a Debian system: assuming ${KX_PACKAGES[*]} are installed"
		return 0
	fi
	for pkg in "${KX_PACKAGES[@]}"; do
		if [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" \
		     != "install ok installed" ]; then
			missing+=("$pkg")
		fi
	done
	[ ${#missing[@]} -eq 0 ] && return 0

	if [ "$(id -u)" -ne 0 ]; then
		if ! command -v sudo >/dev/null 2>&1; then
			printf 'fatal: missing packages: %s\n' "${missing[*]}" >&2
			kx_hint "as root: apt-get update && apt-get install ${missing[*]}"
			exit 128
		fi
		sudo=(sudo)
	fi
	kx_say "installing ${missing[*]}"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q ||
		kx_fatal "apt-get update failed"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}" ||
		kx_fatal "apt-get install ${missing[*]} failed"
}

# kx_setup DIR [MESON-OPTION...]: configures DIR, or reconfigures it with the
# options if it is already configured (wiping it if that fails, e.g. after a
# meson upgrade).
kx_setup()
{
	local dir=$1
	shift
	if [ -f "$dir/meson-private/coredata.dat" ]; then
		meson setup --reconfigure "$dir" "$kx_root" "$@" ||
			meson setup --wipe "$dir" "$kx_root" "$@"
	else
		meson setup "$dir" "$kx_root" "$@"
	fi
}
