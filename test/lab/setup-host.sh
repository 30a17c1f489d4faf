#!/usr/bin/env bash
# setup-host.sh prepares a clean Debian 12 machine (root, no systemd as PID 1, as in CI) for
# `npm run test:lab`: the programs the lab runs inside its namespaces (Sec. 5.1, Fig. 13 of the
# paper: sshd, chronyd, ping, arping; nft to drop SEM datagrams in a test; keepalived, measured beside
# the agents) and what the virtual servers need (qemu, libvirtd, a
# Debian kernel and busybox for the tiny guest). It is idempotent: packages already installed
# are kept, and daemons already running are left alone.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-host.sh: must run as root (it installs packages and starts libvirtd)" >&2
  exit 2
fi

export DEBIAN_FRONTEND=noninteractive

PACKAGES=(
  iproute2 iputils-ping arping procps psmisc nftables
  openssh-server openssh-client
  chrony
  keepalived
  busybox-static cpio kmod
  qemu-system-x86 qemu-utils
  libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients
  slurm-wlm munge
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

# The tiny KVM guest boots a Debian kernel. A machine that boots another kernel (a cloud or
# micro-VM kernel) has no /boot/vmlinuz-*, so the Debian one is installed for the guest only.
if ! compgen -G '/boot/vmlinuz-*' >/dev/null; then
  missing+=(linux-image-amd64)
fi

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup-host.sh: installing ${missing[*]}"
  apt-get update -qq
  # policy-rc.d 101 keeps package scripts from starting the host's own sshd and chronyd: the
  # lab starts its own copies inside its namespaces and must not touch the host's.
  policy=/usr/sbin/policy-rc.d
  had_policy=0
  [ -e "$policy" ] && had_policy=1
  if [ "$had_policy" -eq 0 ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 0755 "$policy"
  fi
  status=0
  apt-get install -y -qq --no-install-recommends "${missing[@]}" || status=$?
  if [ "$had_policy" -eq 0 ]; then rm -f "$policy"; fi
  [ "$status" -eq 0 ] || exit "$status"
fi

# libvirtd (9.0) looks up its compiled-in qemu user and group before it reads qemu.conf, so
# they must exist even though libvirt-daemon-system, which creates them, is not installed.
getent group kvm >/dev/null || groupadd --system kvm
getent group libvirt-qemu >/dev/null || groupadd --system libvirt-qemu
getent passwd libvirt-qemu >/dev/null ||
  useradd --system --no-create-home --home-dir /var/lib/libvirt --shell /usr/sbin/nologin --gid libvirt-qemu libvirt-qemu

# qemu itself runs as root: the lab's guest reads a kernel and an initramfs from the lab
# directory, owned by root. Debian ships qemu.conf in libvirt-daemon-system, so it may be missing.
qemu_conf=/etc/libvirt/qemu.conf
mkdir -p /etc/libvirt
if ! grep -sEq '^\s*user\s*=\s*"root"' "$qemu_conf"; then
  printf '\n# added by dbss test/lab/setup-host.sh\nuser = "root"\ngroup = "root"\nswtpm_user = "root"\nswtpm_group = "root"\n' >>"$qemu_conf"
fi

# running NAME: a live (not zombie) process called NAME exists. Where PID 1 does not reap
# orphans, a killed daemon stays behind as a zombie that plain pgrep would count as running.
running() {
  ps -C "$1" -o stat= | grep -q '^[^Z]'
}

# With no systemd as PID 1 the daemons are started directly; virtlogd first, because libvirtd
# hands every qemu process's console output to it.
if [ -e /dev/kvm ]; then
  # The packages create these through systemd-tmpfiles, which does not run without systemd.
  mkdir -p /var/log/libvirt/qemu /var/lib/libvirt/qemu /var/cache/libvirt /run/libvirt
  if ! running virtlogd; then
    virtlogd -d
  fi
  if ! running libvirtd; then
    libvirtd -d
  fi
  for _ in $(seq 1 50); do
    if virsh -c qemu:///system version >/dev/null 2>&1; then break; fi
    sleep 0.2
  done
  if virsh -c qemu:///system version >/dev/null 2>&1; then
    echo "setup-host.sh: libvirtd answers on qemu:///system"
  else
    echo "setup-host.sh: libvirtd does not answer on qemu:///system; the lab will run without virtual servers" >&2
  fi
else
  echo "setup-host.sh: /dev/kvm is missing; the lab will run without virtual servers" >&2
fi

echo "setup-host.sh: done"
