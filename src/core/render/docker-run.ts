import { oncePerObject } from '../../private/memo';
import { shellJoin, shellQuote } from '../../private/shell';
import { Tokens } from '../../private/tokens';
import { RestartPolicy } from '../container-options';
import { ContainerSpec } from '../container-spec';
import { DataVolumes } from '../data-volume';
import { DataVolumeSetup } from './data-volume-setup';
import { Protocol } from '../network';
import { HostLayout } from './host-layout';

/**
 * Renders a container spec as a `docker run` invocation and as the start
 * script that (re)creates the container on a host (its systemd unit is
 * rendered by ContainerUnit, in systemd.ts).

 * Docker's restart policy supervises the running container (see ContainerUnit).
 */
/** A number as text (a token's reference when it is one). */
const n = (value: number): string => Tokens.numberText(value);

export class DockerRun {
  /** Path of a container's start script on the host. */
  public static scriptPath(spec: ContainerSpec): string {
    return HostLayout.startScript(spec.name);
  }

  /** Path of a container's secrets env file on the host (root only, tmpfs). */
  public static secretsPath(spec: ContainerSpec): string {
    return HostLayout.secretsFile(spec.name);
  }

  /** The `docker run` argv (starting with `docker`, `run`). */
  public static argv(spec: ContainerSpec): string[] {
    return ['docker', 'run', ...DockerRun.groups(spec).flat()];
  }

  /** The argv as one shell-safe command line. */
  public static commandLine(spec: ContainerSpec): string {
    return shellJoin(DockerRun.argv(spec));
  }

  /** `--restart` value. */
  public static restart(spec: ContainerSpec): string {
    return spec.restartPolicy === RestartPolicy.ON_FAILURE ? `on-failure:${n(spec.maxRestarts!)}` : spec.restartPolicy;
  }

  /** Mount options of a tmpfs. */
  public static tmpfsOptions(sizeMiB: number): string {
    return `rw,noexec,nosuid,nodev,size=${n(sizeMiB)}m`;
  }

  /** The health check as the CMD-SHELL string Docker runs with /bin/sh -c. */
  public static healthCommand(spec: ContainerSpec): string | undefined {
    return spec.healthCheck ? shellJoin(spec.healthCheck.command) : undefined;
  }

  /**
   * The container's start script: fetches its secrets (if any), makes sure
   * the image is present, replaces any old container of the same name and
   * runs the new one. `CDKTF_ISOLATION_LIB` and `CDKTF_ISOLATION_RUN` move
   * the library's directories (tests run the script outside a host).
   * `CDKTF_ISOLATION_REPLACE=1` (the reconcile, which has pulled the image)
   * skips the check for a container that already runs this definition and
   * the pull: two docker calls fewer on the update path.
   */
  public static startScript(spec: ContainerSpec): string {
    return DockerRun.startScriptOf(spec);
  }

  /**
   * A spec never changes (a host with data volumes runs a copy): its script is
   * rendered once, for the user data and the SSM document's desired set alike.
   */
  private static readonly startScriptOf = oncePerObject((spec: ContainerSpec) => DockerRun.renderStartScript(spec));

  private static renderStartScript(spec: ContainerSpec): string {
    const z = spec.zeroDowntime;
    const name = z ? '"$name"' : shellQuote(spec.name);
    const lines = [
      '#!/bin/sh',
      `# Written by cdktf-isolation: (re)creates container ${spec.name} at boot,`,
      `# run by ${HostLayout.unitName(spec.name)}. Docker's restart policy supervises it.`,
      'set -eu',
      `lib="\${CDKTF_ISOLATION_LIB:-${HostLayout.LIB_DIR}}"`,
    ];
    if (z) {
      lines.push(
        '# Behind the host\'s reverse proxy (zeroDowntime): the reconcile starts a new',
        '# version beside the old one, under another name and loopback port.',
        `proxy_dir="\${CDKTF_ISOLATION_PROXY_DIR:-${HostLayout.PROXY_DIR}}"`,
        `name="\${CDKTF_ISOLATION_CONTAINER:-${spec.name}}"`,
        '# The loopback port of the version the proxy forwards to (its upstream file).',
        'port="${CDKTF_ISOLATION_UPSTREAM_PORT:-}"',
        'if [ -z "$port" ]; then',
        `  port=$(sed -n 's/^server 127\\.0\\.0\\.1:\\([0-9][0-9]*\\) .*/\\1/p' "$proxy_dir/upstreams/${spec.name}.conf" 2>/dev/null) || port=`,
        'fi',
        'case "$port" in',
        `  ${z.upstreamPorts[0]} | ${z.upstreamPorts[1]}) ;;`,
        `  *) port=${z.upstreamPorts[0]} ;;`,
        'esac',
      );
    }
    lines.push(
      '# The digest of this script, as a label: the reconcile compares it with',
      '# the desired definition and leaves a container that runs it alone.',
      'spec_digest=$(sha256sum < "$0")',
      'spec_digest="${spec_digest%% *}"',
      '# A container that already runs this very definition is kept: the reconcile',
      '# created it and then started this unit (at boot, the unit stopped and removed it).',
      '# The reconcile sets CDKTF_ISOLATION_REPLACE=1: it pulled the image, it wants a new one.',
      'replace="${CDKTF_ISOLATION_REPLACE:-}"',
      `if [ -z "$replace" ] && [ "$(docker inspect --format '{{.State.Running}} {{index .Config.Labels "${HostLayout.SPEC_DIGEST_LABEL}"}}' ${name} 2>/dev/null)" = "true $spec_digest" ]; then`,
      '  exit 0',
      'fi',
    );
    if (spec.secretEnvironment.length > 0) {
      lines.push(
        `run="\${CDKTF_ISOLATION_RUN:-${HostLayout.RUN_DIR}}"`,
        'umask 077',
        'mkdir -p "$run"',
        `env_file="$run/${spec.name}.env"`,
        'tmp="$env_file.tmp"',
        ': > "$tmp"',
      );
      for (const secret of spec.secretEnvironment) {
        lines.push(`"$lib/ssm-env.sh" "$tmp" ${shellQuote(secret.name)} ${shellQuote(secret.value)}`);
      }
      lines.push('mv -f "$tmp" "$env_file"');
    }
    const secretsPath = DockerRun.secretsPath(spec);
    const raw = DockerRun.groups(spec);
    const loopback = z ? DockerRun.loopbackPublish(z.upstreamPorts[0], z.containerPort) : undefined;
    const groups = raw.map((group) => {
      if (z && group[0] === '--name') return '--name "$name"';
      if (z && group[0] === '--publish' && group[1] === loopback) return `--publish "${DockerRun.loopbackPublish('$port', z.containerPort)}"`;
      return group.map((w) => (w === secretsPath ? '"$env_file"' : shellQuote(w))).join(' ');
    });
    // After the spec's labels: before the entrypoint, or the image and its command (the last group).
    const entrypoint = raw.findIndex((group) => group[0] === '--entrypoint');
    groups.splice(entrypoint >= 0 ? entrypoint : groups.length - 1, 0, `--label "${HostLayout.SPEC_DIGEST_LABEL}=$spec_digest"`);
    // Data volumes: mounted (never the root volume in their place), their data directory the container's user's.
    const data = spec.volumes.filter((v) => v.dataVolume !== undefined);
    lines.push(...DataVolumeSetup.startScriptLines(data.map((v) => ({
      directory: DataVolumes.mountDirectory(v.dataVolume!),
      owner: v.readOnly ? undefined : spec._dataOwner(),
    }))));
    lines.push(
      `[ -n "$replace" ] || "$lib/pull-image.sh" ${shellQuote(spec.image)}`,
      `docker rm --force ${name} >/dev/null 2>&1 || true`,
      `exec docker run \\\n  ${groups.join(' \\\n  ')}`,
      '',
    );
    return lines.join('\n');
  }

  /** The `--publish` value of a zero-downtime version: its HTTP port on one loopback port. */
  private static loopbackPublish(port: number | string, containerPort: number): string {
    return `127.0.0.1:${port}:${containerPort}/tcp`;
  }

  /**
   * The arguments after `docker run`, grouped: each option with its value,
   * then the image with the command. Renderers print one group per line.
   */
  private static groups(spec: ContainerSpec): string[][] {
    const g: string[][] = [['--detach'], ['--name', spec.name]];
    g.push(['--memory', `${n(spec.memoryMiB)}m`], ['--memory-swap', `${n(spec.memoryMiB)}m`]);
    if (spec.cpus !== undefined) g.push(['--cpus', n(spec.cpus)]);
    g.push(['--cpu-shares', n(spec.cpuShares)]);
    g.push(['--pids-limit', n(spec.pidsLimit)]);
    for (const c of spec.capDrop) g.push(['--cap-drop', c]);
    for (const c of spec.capAdd) g.push(['--cap-add', c]);
    if (spec.noNewPrivileges) g.push(['--security-opt', 'no-new-privileges=true']);
    if (spec.seccompUnconfined) g.push(['--security-opt', 'seccomp=unconfined']);
    if (spec.privileged) g.push(['--privileged']);
    if (spec.hostNetwork) g.push(['--network', 'host']);
    if (spec.hostPid) g.push(['--pid', 'host']);
    if (spec.hostIpc) g.push(['--ipc', 'host']);
    if (spec.hostUts) g.push(['--uts', 'host']);
    if (spec.readOnlyRootFilesystem) g.push(['--read-only']);
    for (const t of spec.tmpfs) g.push(['--tmpfs', `${t.target}:${DockerRun.tmpfsOptions(t.sizeMiB)}`]);
    for (const v of spec.volumes) g.push(['--volume', `${v.source}:${v.target}${v.readOnly ? ':ro' : ''}`]);
    g.push(['--user', spec.user]);
    if (spec.workingDirectory !== undefined) g.push(['--workdir', spec.workingDirectory]);
    g.push(['--restart', DockerRun.restart(spec)]);
    g.push(['--stop-timeout', n(spec.stopTimeoutSeconds)]);
    g.push(['--log-driver', 'json-file'], ['--log-opt', `max-size=${spec.logMaxSize}`], ['--log-opt', `max-file=${n(spec.logMaxFiles)}`]);
    for (const p of spec.ports) {
      // Behind the proxy: the HTTP port on loopback only (the start script picks the version's port).
      if (spec.zeroDowntime && p.containerPort === spec.zeroDowntime.containerPort && p.protocol === Protocol.TCP) {
        g.push(['--publish', DockerRun.loopbackPublish(spec.zeroDowntime.upstreamPorts[0], p.containerPort)]);
        continue;
      }
      // Docker reads an address in brackets (it trims them), which an IPv6 address needs; one known at apply always gets them.
      const ip = p.hostIp.includes(':') || Tokens.isUnresolved(p.hostIp) ? `[${p.hostIp}]` : p.hostIp;
      g.push(['--publish', `${ip}:${n(p.hostPort)}:${n(p.containerPort)}/${p.protocol}`]);
    }
    if (spec.healthCheck) {
      const h = spec.healthCheck;
      g.push(['--health-cmd', DockerRun.healthCommand(spec)!], ['--health-interval', `${n(h.intervalSeconds)}s`], ['--health-timeout', `${n(h.timeoutSeconds)}s`],
        ['--health-retries', n(h.retries)], ['--health-start-period', `${n(h.startPeriodSeconds)}s`]);
    }
    for (const e of spec.environment) g.push(['--env', `${e.name}=${e.value}`]);
    if (spec.secretEnvironment.length > 0) g.push(['--env-file', DockerRun.secretsPath(spec)]);
    for (const l of spec.labels) g.push(['--label', `${l.name}=${l.value}`]);
    // The CLI's --entrypoint takes one executable; its other words lead the command.
    if (spec.entrypoint) g.push(['--entrypoint', spec.entrypoint[0]]);
    g.push([spec.image, ...(spec.entrypoint ?? []).slice(1), ...(spec.command ?? [])]);
    return g;
  }

  private constructor() {}
}
