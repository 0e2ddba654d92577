import { ContainerSpec, RestartPolicy } from '../container-spec';
import { shellJoin, shellQuote } from '../../private/shell';

/** Where the library keeps its files on a host. */
const LIB = '/usr/local/lib/cdktf-isolation';
/** Where per-boot files (fetched secrets) live: tmpfs, gone at shutdown. */
const RUN = '/run/cdktf-isolation';

/**
 * Renders a container spec as a `docker run` invocation and as the files
 * that bring it up on a host at every boot.
 *
 * Supervision: Docker's restart policy is the one supervisor of a running
 * container (`--restart on-failure:N` by default, or `always`/`no`). The
 * systemd unit is `Type=oneshot` with `RemainAfterExit=yes`: it only
 * (re)creates the container at boot and stops it at shutdown; it never
 * restarts it, so the two never fight. Docker was chosen because its policy
 * counts restarts per container (`RestartCount`, bounded by
 * `MaximumRetryCount`), keeps working while dockerd restarts (live restore),
 * and is the same policy the docker provider renders for LocalDockerHost,
 * so both renderers supervise alike.
 */
export class DockerRun {
  /** The library's directory on a host. */
  public static readonly LIB_DIR = LIB;
  /** Per-boot state directory (secrets env files). */
  public static readonly RUN_DIR = RUN;
  /** The image pull helper. */
  public static readonly PULL_SCRIPT = `${LIB}/pull-image.sh`;
  /** The SSM Parameter Store helper. */
  public static readonly SSM_SCRIPT = `${LIB}/ssm-env.sh`;

  /** The systemd unit name of a container. */
  public static unitName(spec: ContainerSpec): string {
    return `cdktf-container-${spec.name}.service`;
  }

  /** Path of a container's start script on the host. */
  public static scriptPath(spec: ContainerSpec): string {
    return `${LIB}/containers/${spec.name}.sh`;
  }

  /** Path of a container's secrets env file on the host (root only, tmpfs). */
  public static secretsPath(spec: ContainerSpec): string {
    return `${RUN}/${spec.name}.env`;
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
    return spec.restartPolicy === RestartPolicy.ON_FAILURE ? `on-failure:${spec.maxRestarts}` : spec.restartPolicy;
  }

  /** Mount options of a tmpfs. */
  public static tmpfsOptions(sizeMiB: number): string {
    return `rw,noexec,nosuid,nodev,size=${sizeMiB}m`;
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
   */
  public static startScript(spec: ContainerSpec): string {
    const lines = [
      '#!/bin/sh',
      `# Written by cdktf-isolation: (re)creates container ${spec.name} at boot,`,
      `# run by ${DockerRun.unitName(spec)}. Docker's restart policy supervises it.`,
      'set -eu',
      `lib="\${CDKTF_ISOLATION_LIB:-${LIB}}"`,
    ];
    if (spec.secretEnvironment.length > 0) {
      lines.push(
        `run="\${CDKTF_ISOLATION_RUN:-${RUN}}"`,
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
    const groups = DockerRun.groups(spec).map((group) =>
      group.map((w) => (w === secretsPath ? '"$env_file"' : shellQuote(w))).join(' '));
    lines.push(
      `"$lib/pull-image.sh" ${shellQuote(spec.image)}`,
      `docker rm --force ${shellQuote(spec.name)} >/dev/null 2>&1 || true`,
      `exec docker run \\\n  ${groups.join(' \\\n  ')}`,
      '',
    );
    return lines.join('\n');
  }

  /** The systemd unit that runs the start script at every boot. */
  public static unit(spec: ContainerSpec): string {
    return [
      '[Unit]',
      `Description=cdktf-isolation container ${spec.name}`,
      'Wants=network-online.target',
      'After=network-online.target docker.service',
      // Wants, not Requires: a restart of docker.service (package upgrade, live
      // restore) must not stop this unit and with it the container.
      'Wants=docker.service',
      '',
      '[Service]',
      'Type=oneshot',
      'RemainAfterExit=yes',
      // First boot pulls the image; allow slow registries.
      'TimeoutStartSec=900',
      // The ECR credential helper's config is root's (~/.docker/config.json).
      'Environment=HOME=/root',
      `ExecStart=${DockerRun.scriptPath(spec)}`,
      `ExecStop=/usr/bin/docker stop --time ${spec.stopTimeoutSeconds} ${spec.name}`,
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

  /**
   * The arguments after `docker run`, grouped: each option with its value,
   * then the image with the command. Renderers print one group per line.
   */
  private static groups(spec: ContainerSpec): string[][] {
    const g: string[][] = [['--detach'], ['--name', spec.name]];
    g.push(['--memory', `${spec.memoryMiB}m`], ['--memory-swap', `${spec.memoryMiB}m`]);
    if (spec.cpus !== undefined) g.push(['--cpus', String(spec.cpus)]);
    g.push(['--pids-limit', String(spec.pidsLimit)]);
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
    if (spec.user !== undefined) g.push(['--user', spec.user]);
    if (spec.workingDirectory !== undefined) g.push(['--workdir', spec.workingDirectory]);
    g.push(['--restart', DockerRun.restart(spec)]);
    g.push(['--stop-timeout', String(spec.stopTimeoutSeconds)]);
    g.push(['--log-driver', 'json-file'], ['--log-opt', `max-size=${spec.logMaxSize}`], ['--log-opt', `max-file=${spec.logMaxFiles}`]);
    for (const p of spec.ports) {
      const ip = p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp;
      g.push(['--publish', `${ip}:${p.hostPort}:${p.containerPort}/${p.protocol}`]);
    }
    if (spec.healthCheck) {
      const h = spec.healthCheck;
      g.push(['--health-cmd', DockerRun.healthCommand(spec)!], ['--health-interval', `${h.intervalSeconds}s`], ['--health-timeout', `${h.timeoutSeconds}s`],
        ['--health-retries', String(h.retries)], ['--health-start-period', `${h.startPeriodSeconds}s`]);
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

/** Shell helpers shared by the containers of a host. */
export class HostScripts {
  /**
   * Pulls an image unless it is present; retries with backoff (first boot
   * may race the network); a present image is never re-pulled, so a reboot
   * does not change what runs.
   */
  public static pullImage(): string {
    return `#!/bin/sh
# Written by cdktf-isolation: make sure an image is present.
set -eu
image="$1"
if docker image inspect "$image" >/dev/null 2>&1; then
  exit 0
fi
attempts="\${CDKTF_ISOLATION_PULL_ATTEMPTS:-6}"
delay=2
i=1
while :; do
  if docker pull --quiet "$image"; then
    exit 0
  fi
  if [ "$i" -ge "$attempts" ]; then
    echo "cdktf-isolation: could not pull $image after $attempts attempts" >&2
    exit 1
  fi
  sleep "$delay"
  delay=$((delay * 2))
  i=$((i + 1))
done
`;
  }

  /**
   * Appends `NAME=value` of one SSM parameter (decrypted) to an env file.
   * Uses the AWS CLI where the host has it (Amazon Linux 2023), else
   * Python's boto3 (Debian, Ubuntu); the region comes from IMDSv2.
   */
  public static ssmEnv(): string {
    return `#!/bin/sh
# Written by cdktf-isolation: append NAME=<value of SSM parameter> to FILE.
set -eu
file="$1"
name="$2"
parameter="$3"
imds=http://169.254.169.254/latest
token=$(curl -fsS -X PUT "$imds/api/token" -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')
region=$(curl -fsS -H "X-aws-ec2-metadata-token: $token" "$imds/meta-data/placement/region")
if command -v aws >/dev/null 2>&1; then
  value=$(aws ssm get-parameter --region "$region" --with-decryption --name "$parameter" --query Parameter.Value --output text)
else
  value=$(python3 -c 'import sys, boto3; sys.stdout.write(boto3.client("ssm", region_name=sys.argv[1]).get_parameter(Name=sys.argv[2], WithDecryption=True)["Parameter"]["Value"])' "$region" "$parameter")
fi
case "$value" in
  *"
"*)
    echo "cdktf-isolation: SSM parameter $parameter holds a line break, which docker --env-file cannot pass" >&2
    exit 1
    ;;
esac
printf '%s=%s\\n' "$name" "$value" >> "$file"
`;
  }

  private constructor() {}
}
