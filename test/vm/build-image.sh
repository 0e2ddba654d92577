#!/usr/bin/env bash
# Builds the Debian 12 (bookworm) amd64 VM image that test/vm/boot.test.ts
# boots: a root filesystem made with debootstrap (+ apt-get in the chroot),
# packed into a raw ext4 image with `mkfs.ext4 -d` (no loop mount), plus the
# kernel and initrd taken from it for qemu's -kernel/-initrd.
#
#   build-image.sh OUT_DIR
#
# OUT_DIR appears only when complete (built next to it, then renamed), so a
# cache dir either holds a whole image or nothing. Concurrent builds of the
# same OUT_DIR wait for each other (flock on OUT_DIR.lock).
#
# Environment (all required; they are baked into the image, so the caller
# hashes them into OUT_DIR's name together with this file):
#   VM_MIRROR_HOST        host name of the Debian mirror (deb.debian.org)
#   VM_MIRROR_GUEST_IP    guest address qemu forwards to the mirror (port 80)
#   VM_REGISTRY_GUEST_IP  guest address qemu forwards to the host's registry
#   VM_REGISTRY_PORT      port of both the forward and the guest's loopback proxy
#
# Only image-level configuration lives here (what a cloud image and its
# network would provide). The user data under test is never touched.
set -euo pipefail

out=${1:?usage: build-image.sh OUT_DIR}
mirror_host=${VM_MIRROR_HOST:?}
mirror_ip=${VM_MIRROR_GUEST_IP:?}
registry_ip=${VM_REGISTRY_GUEST_IP:?}
registry_port=${VM_REGISTRY_PORT:?}

suite=bookworm
mirror="http://${mirror_host}/debian"
# What a Debian 12 cloud image has that matters here. Docker is NOT in the
# image: the user data installs docker.io, as on EC2.
packages=(
  linux-image-amd64 systemd systemd-sysv udev dbus kmod procps
  ifupdown isc-dhcp-client netbase iproute2 ca-certificates curl
  python3 cloud-init cloud-guest-utils sudo
)

log() { printf '[build-image %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

mkdir -p "$(dirname "$out")"
exec 9>"${out}.lock"
flock 9
if [ -e "$out/complete" ]; then
  log "already built: $out"
  exit 0
fi

work=$(mktemp -d "${out}.build.XXXXXX")
root="$work/root"

# Mount points under $root, deepest first.
mounts_under_root() {
  awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts | sort -r
}

cleanup() {
  local m
  for m in $(mounts_under_root); do
    umount "$m" 2>/dev/null || umount -l "$m" || true
  done
  if [ -n "$(mounts_under_root)" ]; then
    log "still mounted under $root; leaving $work in place"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

in_root() {
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"
}

log "debootstrap $suite (minbase) from $mirror"
if ! debootstrap --arch=amd64 --variant=minbase "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1; then
  tail -n 40 "$work/debootstrap.log" >&2
  exit 1
fi

log "apt sources, no service starts, unsafe dpkg I/O while building"
rm -f "$root/etc/apt/sources.list"
cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: http://${mirror_host}/debian
Suites: ${suite} ${suite}-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://${mirror_host}/debian-security
Suites: ${suite}-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/build-unsafe-io"

mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"

log "apt-get install ${packages[*]}"
if ! { in_root apt-get update -q && in_root apt-get install -y -q --no-install-recommends "${packages[@]}"; } >"$work/apt.log" 2>&1; then
  tail -n 60 "$work/apt.log" >&2
  exit 1
fi
in_root apt-get clean
# shellcheck disable=SC2016 # dpkg-query's format, not shell
in_root dpkg-query -W -f '${Package} ${Version}\n' >"$work/packages.txt"

for m in $(mounts_under_root); do umount "$m"; done
rm -f "$root/usr/sbin/policy-rc.d" "$root/etc/dpkg/dpkg.cfg.d/build-unsafe-io"

log "image-level configuration"
printf '/dev/vda / ext4 defaults,errors=remount-ro 0 1\n' >"$root/etc/fstab"
# Generated at first boot, as in a cloud image.
: >"$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"
# No DNS in the VM (qemu user networking with restrict=on): the mirror's name
# maps to the address qemu forwards to it, so apt sends the right Host header.
cat >"$root/etc/hosts" <<EOF
127.0.0.1 localhost
::1 localhost ip6-localhost ip6-loopback
${mirror_ip} ${mirror_host}
EOF
# cloud-init's locale module sets LANG=en_US.UTF-8 with Ubuntu's
# `locale-gen NAME`, which Debian's locale-gen ignores: have it generated.
sed -i 's/^# *\(en_US.UTF-8 UTF-8\)/\1/' "$root/etc/locale.gen"
in_root locale-gen >/dev/null
printf 'LANG=en_US.UTF-8\n' >"$root/etc/default/locale"
# cloud-init renders its fallback DHCP config to interfaces.d (ENI renderer).
printf 'source /etc/network/interfaces.d/*\n' >"$root/etc/network/interfaces"
mkdir -p "$root/etc/network/interfaces.d"
cat >"$root/etc/cloud/cloud.cfg.d/90-cdktf-vmtest.cfg" <<'EOF'
# Image-level: the seed is a NoCloud disk (cidata); no metadata service.
datasource_list: [ NoCloud, None ]
EOF

# The test registry, reached as 127.0.0.1:PORT inside the VM (Docker treats
# 127.0.0.0/8 registries as insecure, i.e. plain HTTP, by default): a socket
# activated proxy to the address qemu forwards to the registry on the host.
cat >"$root/etc/systemd/system/cdktf-registry-proxy.socket" <<EOF
[Unit]
Description=Test registry on 127.0.0.1:${registry_port} (image-level, test only)

[Socket]
ListenStream=127.0.0.1:${registry_port}
FreeBind=yes

[Install]
WantedBy=sockets.target
EOF
cat >"$root/etc/systemd/system/cdktf-registry-proxy.service" <<EOF
[Unit]
Description=Proxy to the host's test registry (image-level, test only)
Requires=cdktf-registry-proxy.socket
After=cdktf-registry-proxy.socket

[Service]
ExecStart=/lib/systemd/systemd-socket-proxyd ${registry_ip}:${registry_port}
EOF

# The test agent: one JSON line of state per second on a virtio port.
install -m 0755 "$(dirname "$0")/vm-agent.py" "$root/usr/local/sbin/cdktf-vmtest-agent"
cat >"$root/etc/systemd/system/cdktf-vmtest-agent.service" <<'EOF'
[Unit]
Description=Reports VM state to the test host (image-level, test only)
DefaultDependencies=no
After=local-fs.target systemd-udevd.service
Conflicts=shutdown.target
Before=shutdown.target

[Service]
ExecStart=/usr/local/sbin/cdktf-vmtest-agent
Restart=always
RestartSec=1

[Install]
WantedBy=sysinit.target
EOF
# The stand-in for the SSM agent's runShellScript: runs the commands the test
# sends on a second virtio port (the synthesized document's), answers there.
install -m 0755 "$(dirname "$0")/vm-runner.py" "$root/usr/local/sbin/cdktf-vmtest-runner"
cat >"$root/etc/systemd/system/cdktf-vmtest-runner.service" <<'EOF'
[Unit]
Description=Runs the test host's SSM document commands (image-level, test only)
After=local-fs.target systemd-udevd.service

[Service]
ExecStart=/usr/local/sbin/cdktf-vmtest-runner
Restart=always
RestartSec=1

[Install]
WantedBy=multi-user.target
EOF
in_root systemctl enable cdktf-registry-proxy.socket cdktf-vmtest-agent.service cdktf-vmtest-runner.service >/dev/null 2>&1

# The ACPI power button (QMP system_powerdown) reboots, so the host can ask
# for a clean reboot, as `aws ec2 reboot-instances` does.
mkdir -p "$root/etc/systemd/logind.conf.d"
printf '[Login]\nHandlePowerKey=reboot\n' >"$root/etc/systemd/logind.conf.d/90-cdktf-vmtest.conf"

log "kernel, initrd and ext4 image"
mkdir "$work/image"
kernels=("$root"/boot/vmlinuz-*)
initrds=("$root"/boot/initrd.img-*)
if [ "${#kernels[@]}" -ne 1 ] || [ "${#initrds[@]}" -ne 1 ] || [ ! -f "${kernels[0]}" ] || [ ! -f "${initrds[0]}" ]; then
  log "expected one kernel and one initrd in $root/boot"
  exit 1
fi
cp "${kernels[0]}" "$work/image/vmlinuz"
cp "${initrds[0]}" "$work/image/initrd.img"
mv "$work/packages.txt" "$work/image/packages.txt"
mkfs.ext4 -q -F -L rootfs -d "$root" "$work/image/rootfs.raw" 4G >/dev/null
date -u +%Y-%m-%dT%H:%M:%SZ >"$work/image/complete"
mv "$work/image" "$out"
log "built $out ($(du -sh --apparent-size "$out/rootfs.raw" | cut -f1) apparent, $(du -sh "$out/rootfs.raw" | cut -f1) used)"
