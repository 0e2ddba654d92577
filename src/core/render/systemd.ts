import { oncePerObject } from '../../private/memo';
import { quoteFragments, Tokens } from '../../private/tokens';
import { ContainerSpec } from '../container-spec';
import { DataVolumes } from '../data-volume';
import { HostLayout } from './host-layout';

/** The escaping of systemd's double-quoted words, in the order it must be applied. */
const SYSTEMD_ESCAPES: ReadonlyArray<[string, string]> = [['\\', '\\\\'], ['"', '\\"'], ['\n', '\\n'], ['%', '%%'], ['$', '$$']];

/**
 * A word as systemd reads it in `ExecStart=` and `Environment=`, in double
 * quotes: `%` starts a specifier and `$` a variable, so both are doubled;
 * `\\`, `"` and a line break are escaped. A word with tokens (values known
 * at apply) is escaped part by part, its tokens by Terraform's `replace`.
 */
export function systemdQuoted(word: string): string {
  const body = quoteFragments(word,
    (literal) => SYSTEMD_ESCAPES.reduce((text, [from, to]) => text.split(from).join(to), literal),
    (token) => SYSTEMD_ESCAPES.reduce((text, [from, to]) => Tokens.replaceAll(text, from, to), token));
  return `"${body}"`;
}

/** A word of a command line for systemd: bare when it holds only safe characters (with `%` doubled), else quoted. */
export function systemdWord(word: string): string {
  return !Tokens.isUnresolved(word) && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word.replace(/%/g, '%%') : systemdQuoted(word);
}

/**
 * The systemd unit of a container (`cdktf-container-<name>.service`).
 *
 * Supervision: Docker's restart policy is the one supervisor of a running
 * container (`--restart on-failure:N` by default, or `always`/`no`). The
 * unit is `Type=oneshot` with `RemainAfterExit=yes`: it only (re)creates the
 * container at boot and stops it at shutdown; it never restarts it, so the
 * two never fight. Docker was chosen because its policy counts restarts per
 * container (`RestartCount`, bounded by `MaximumRetryCount`), keeps working
 * while dockerd restarts (live restore), and is the same policy the docker
 * provider renders for LocalDockerHost, so both renderers supervise alike.
 */
export class ContainerUnit {
  /** The systemd unit that runs the start script at every boot. */
  public static render(spec: ContainerSpec): string {
    return ContainerUnit.unitOf(spec);
  }

  /** Rendered once per spec (specs never change), for the user data and the SSM document alike. */
  private static readonly unitOf = oncePerObject((spec: ContainerSpec) => ContainerUnit.renderUnit(spec));

  private static renderUnit(spec: ContainerSpec): string {
    return [
      '[Unit]',
      `Description=cdktf-isolation container ${spec.name}`,
      'Wants=network-online.target',
      'After=network-online.target docker.service',
      // Wants, not Requires: a restart of docker.service (package upgrade, live
      // restore) must not stop this unit and with it the container.
      'Wants=docker.service',
      // Data volumes: mounted (by their unit, at every boot) before the container starts.
      ...[...new Set(spec.volumes.flatMap((v) => (v.dataVolume === undefined ? [] : [v.dataVolume])))].flatMap((name) => [
        `Requires=${DataVolumes.unitName(name)}`,
        `After=${DataVolumes.unitName(name)}`,
        `RequiresMountsFor=${DataVolumes.mountDirectory(name)}`,
      ]),
      '',
      '[Service]',
      'Type=oneshot',
      'RemainAfterExit=yes',
      // First boot pulls the image; allow slow registries.
      'TimeoutStartSec=900',
      // The ECR credential helper's config is root's (~/.docker/config.json).
      'Environment=HOME=/root',
      // The lock the reconcile takes too (reconcile.ts): a boot never
      // (re)creates a container while an update is replacing it.
      `ExecStart=/usr/bin/flock ${HostLayout.LOCK_FILE} ${HostLayout.startScript(spec.name)}`,
      `ExecStop=/usr/bin/docker stop --time ${systemdWord(Tokens.numberText(spec.stopTimeoutSeconds))} ${spec.name}`,
      // Removed after stopping, so dockerd does not restart it by itself at
      // the next boot (a stopped container exits 143, which on-failure would
      // restart) before this unit creates it anew.
      `ExecStopPost=-/usr/bin/docker rm --force ${spec.name}`,
      '',
      '[Install]',
      'WantedBy=multi-user.target',
      '',
    ].join('\n');
  }

  private constructor() {}
}
