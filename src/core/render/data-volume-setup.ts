import { shellQuote } from '../../private/shell';
import { DataVolumes, ResolvedDataVolume } from '../data-volume';
import { CloudConfig } from './cloud-config';
import { HostLayout } from './host-layout';

/** How long the mount script waits for a volume's device by default (seconds). */
const DEVICE_TIMEOUT_SECONDS = 300;

/**
 * What a host's data volumes add to it: the mount script, one systemd unit
 * per volume (run at every boot), and at first boot the script run
 * directly from cloud-init (so a volume that never appears is an error in
 * the cloud-init log) before the units are enabled. cloud-init's own
 * `disk_setup`/`fs_setup` cannot be used: the attachment is created after
 * the instance, so the device appears while boot is under way.
 *
 * Host-level: a data volume added or removed replaces a VmHost (its
 * volume ids are part of what the host is); the volume itself stays.
 */
export class DataVolumeSetup {
  /** The mount script on the host. */
  public static readonly SCRIPT = `${HostLayout.LIB_DIR}/mount-data-volume.sh`;

  /**
   * Adds the volumes to `config`.
   * @param volumes the host's volumes, each with its EBS volume id (a Terraform reference at synth)
   */
  public static apply(config: CloudConfig, volumes: Array<{ volume: ResolvedDataVolume; volumeId: string }>): void {
    if (volumes.length === 0) return;
    if (!config.hasFile(DataVolumeSetup.SCRIPT)) config.addFile({ path: DataVolumeSetup.SCRIPT, content: DataVolumeSetup.mountScript(), permissions: '0755' });
    for (const { volume, volumeId } of volumes) {
      config.addFile({ path: `/etc/systemd/system/${DataVolumes.unitName(volume.name)}`, content: DataVolumeSetup.unit(volume, volumeId), permissions: '0644' });
      config.addRunCommand([DataVolumeSetup.SCRIPT, volumeId, volume.mountDirectory]);
      if (!config.hasRunCommand(['systemctl', 'daemon-reload'])) config.addRunCommand(['systemctl', 'daemon-reload']);
      config.addRunCommand(['systemctl', 'enable', '--now', DataVolumes.unitName(volume.name)]);
    }
  }

  /** The unit that mounts one volume at every boot; the units of the containers that use it require it. */
  public static unit(volume: ResolvedDataVolume, volumeId: string): string {
    return [
      '[Unit]',
      `Description=cdktf-isolation data volume ${volume.name}`,
      'After=local-fs.target',
      '',
      '[Service]',
      'Type=oneshot',
      'RemainAfterExit=yes',
      `TimeoutStartSec=${DEVICE_TIMEOUT_SECONDS + 120}`,
      // The id is an attribute of the library's own aws_ebs_volume (vol- and hex digits): no quoting needed.
      `ExecStart=${DataVolumeSetup.SCRIPT} ${volumeId} ${volume.mountDirectory}`,
      '',
      '[Install]',
      'WantedBy=multi-user.target',
      '',
    ].join('\n');
  }

  /**
   * The mount script: `mount-data-volume.sh VOLUME_ID DIRECTORY`.
   *
   * 1. Finds the block device whose serial is the volume id without its
   *    dash (how Nitro instances present an EBS volume: an NVMe controller
   *    with that serial), in sysfs, not by `/dev/xvdX` names, device order
   *    or a by-id link alone; waits for it, bounded.
   * 2. Creates an ext4 filesystem only when `blkid -p` finds no signature
   *    at all on the device; one that holds anything (a filesystem, a
   *    partition table) is never formatted.
   * 3. Writes the fstab line (by filesystem UUID, `nofail`) and mounts it.
   * 4. Creates `data/` on it, the directory containers get.
   *
   * `CDKTF_ISOLATION_SYSFS`, `CDKTF_ISOLATION_DEV`, `CDKTF_ISOLATION_FSTAB`
   * and `CDKTF_ISOLATION_VOLUME_TIMEOUT` point it elsewhere (tests).
   */
  public static mountScript(): string {
    return `#!/bin/sh
# Written by cdktf-isolation: mount the EBS data volume VOLUME_ID on DIRECTORY.
# Never formats a device that holds anything; never mounts another device there.
set -eu
if [ "$#" -ne 2 ]; then
  echo "usage: $0 VOLUME_ID DIRECTORY" >&2
  exit 2
fi
volume_id="$1"
directory="$2"
sysfs="\${CDKTF_ISOLATION_SYSFS:-/sys}"
devdir="\${CDKTF_ISOLATION_DEV:-/dev}"
fstab="\${CDKTF_ISOLATION_FSTAB:-/etc/fstab}"
timeout="\${CDKTF_ISOLATION_VOLUME_TIMEOUT:-${DEVICE_TIMEOUT_SECONDS}}"
# On Nitro instances the NVMe serial of an EBS volume is its id without the dash.
serial=$(printf '%s' "$volume_id" | tr -d -- '-')

fail() {
  echo "cdktf-isolation: data volume $volume_id ($directory): $*" >&2
  exit 1
}

# Prints the block device whose serial (sysfs) is $1; fails when there is none.
find_device() {
  for block in "$sysfs"/block/*; do
    [ -e "$block" ] || continue
    for file in "$block/device/serial" "$block/serial"; do
      [ -r "$file" ] || continue
      value=$(tr -d ' \\n' < "$file")
      if [ "$value" = "$1" ] && [ -b "$devdir/\${block##*/}" ]; then
        printf '%s\\n' "$devdir/\${block##*/}"
        return 0
      fi
    done
  done
  return 1
}

waited=0
until device=$(find_device "$serial"); do
  if [ "$waited" -ge "$timeout" ]; then
    fail "no block device with serial $serial appeared within $timeout s; is the volume attached (aws_volume_attachment)? Nothing was formatted or mounted"
  fi
  sleep 2
  waited=$((waited + 2))
done
echo "cdktf-isolation: data volume $volume_id is $device"

probe=0
blkid -p "$device" >/dev/null 2>&1 || probe=$?
case "$probe" in
  0) ;;
  2)
    echo "cdktf-isolation: $device holds no filesystem: creating ext4"
    mkfs.ext4 -q "$device" < /dev/null || fail "mkfs.ext4 $device failed"
    ;;
  *) fail "blkid could not probe $device (exit $probe); not formatting it" ;;
esac
uuid=$(blkid -p -s UUID -o value "$device" || true)
fstype=$(blkid -p -s TYPE -o value "$device" || true)
if [ -z "$uuid" ] || [ -z "$fstype" ]; then
  fail "$device holds data but no filesystem with a UUID (a partition table?); it is not formatted: mount it yourself"
fi

line="UUID=$uuid $directory $fstype defaults,nofail 0 2"
touch "$fstab"
tmp="$fstab.cdktf-isolation.tmp"
awk -v dir="$directory" '$2 != dir' "$fstab" > "$tmp"
printf '%s\\n' "$line" >> "$tmp"
mv -f "$tmp" "$fstab"

mkdir -p "$directory"
if mountpoint -q "$directory"; then
  current=$(findmnt -n -o UUID --mountpoint "$directory" || true)
  if [ "$current" != "$uuid" ]; then
    fail "$directory is already a mount of another filesystem (UUID $current), not of $device (UUID $uuid)"
  fi
else
  mount -T "$fstab" "$directory" || fail "mount of UUID=$uuid on $directory failed"
fi
mkdir -p "$directory/data"
echo "cdktf-isolation: data volume $volume_id ($device, $fstype UUID $uuid) is mounted on $directory"
`;
  }

  /**
   * The lines of a container's start script that make sure its data
   * volumes are mounted (a container never writes into the root volume
   * in their place) and give each volume's `data/` directory to the
   * container's user, not recursively.
   */
  public static startScriptLines(mounts: Array<{ directory: string; owner?: string }>): string[] {
    const lines: string[] = [];
    for (const m of mounts) {
      const dir = shellQuote(m.directory);
      lines.push(`if ! mountpoint -q ${dir}; then`,
        `  echo "cdktf-isolation: data volume ${m.directory} is not mounted; not starting the container" >&2`,
        '  exit 1',
        'fi',
        `mkdir -p ${shellQuote(`${m.directory}/data`)}`);
      if (m.owner !== undefined) lines.push(`chown ${shellQuote(m.owner)} ${shellQuote(`${m.directory}/data`)}`);
    }
    return lines;
  }

  private constructor() {}
}
