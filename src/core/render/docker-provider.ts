import { Tokens } from '../../private/tokens';
import { ContainerSpec } from '../container-spec';
import { DockerRun } from './docker-run';

/**
 * The arguments of `docker_container` this library sets, in the shape of
 * `@cdktf/provider-docker`'s ContainerConfig (camelCase keys, without
 * `image`, which is the image resource's id), so that LocalDockerHost
 * passes it without a cast.
 */
export interface DockerContainerArgs {
  readonly name: string;
  readonly memory: number;
  readonly memorySwap: number;
  readonly cpus?: string;
  readonly cpuShares: number;
  readonly capabilities: { readonly drop: string[]; readonly add: string[] };
  readonly securityOpts: string[];
  readonly privileged: boolean;
  readonly readOnly: boolean;
  readonly tmpfs: { [target: string]: string };
  readonly restart: string;
  readonly maxRetryCount?: number;
  readonly stopTimeout: number;
  readonly logDriver: string;
  readonly logOpts: { [key: string]: string };
  readonly ports: Array<{ readonly internal: number; readonly external: number; readonly ip: string; readonly protocol: string }>;
  readonly env: string[];
  readonly labels: Array<{ readonly label: string; readonly value: string }>;
  readonly volumes: Array<{ readonly hostPath?: string; readonly volumeName?: string; readonly containerPath: string; readonly readOnly: boolean }>;
  readonly mustRun: boolean;
  readonly start: boolean;
  readonly user: string;
  readonly workingDir?: string;
  readonly networkMode?: string;
  readonly pidMode?: string;
  readonly ipcMode?: string;
  readonly entrypoint?: string[];
  readonly command?: string[];
  readonly healthcheck?: {
    readonly test: string[];
    readonly interval: string;
    readonly timeout: string;
    readonly retries: number;
    readonly startPeriod: string;
  };
}

/**
 * Renders a container spec as the configuration of `docker_container` and
 * `docker_image` of the kreuzwerker/docker provider (the shape of
 * `@cdktf/provider-docker`'s ContainerConfig, camelCase keys), without
 * importing the provider.
 *
 * What the provider cannot express is listed in `unsupported`: the
 * provider's docker_container (3.6) has no pids limit and no UTS mode.
 */
export class DockerProviderConfig {
  /**
   * Spec fields the provider cannot express: a pids limit (always: the
   * provider's docker_container has no setting for it) and the host's UTS
   * namespace.
   */
  public static unsupported(spec: ContainerSpec): string[] {
    const gaps: string[] = ['pidsLimit'];
    if (spec.hostUts) gaps.push('hostUts');
    return gaps;
  }

  /** The `docker_container` configuration (without `image`, which is the image resource's id). */
  public static container(spec: ContainerSpec): DockerContainerArgs {
    const securityOpts: string[] = [];
    if (spec.noNewPrivileges) securityOpts.push('no-new-privileges=true');
    if (spec.seccompUnconfined) securityOpts.push('seccomp=unconfined');
    const h = spec.healthCheck;
    return {
      name: spec.name,
      memory: spec.memoryMiB,
      memorySwap: spec.memoryMiB,
      capabilities: { drop: [...spec.capDrop], add: [...spec.capAdd] },
      securityOpts,
      privileged: spec.privileged,
      readOnly: spec.readOnlyRootFilesystem,
      tmpfs: Object.fromEntries(spec.tmpfs.map((t) => [t.target, DockerRun.tmpfsOptions(t.sizeMiB)])),
      restart: spec.restartPolicy,
      maxRetryCount: spec.maxRestarts,
      stopTimeout: spec.stopTimeoutSeconds,
      logDriver: 'json-file',
      logOpts: { 'max-file': Tokens.numberText(spec.logMaxFiles), 'max-size': spec.logMaxSize },
      ports: spec.ports.map((p) => ({ internal: p.containerPort, external: p.hostPort, ip: p.hostIp, protocol: p.protocol })),
      env: spec.environment.map((e) => `${e.name}=${e.value}`),
      labels: spec.labels.map((l) => ({ label: l.name, value: l.value })),
      volumes: spec.volumes.map((v) => (v.hostPath
        ? { hostPath: v.source, containerPath: v.target, readOnly: v.readOnly }
        : { volumeName: v.source, containerPath: v.target, readOnly: v.readOnly })),
      mustRun: true,
      start: true,
      cpus: spec.cpus === undefined ? undefined : Tokens.numberText(spec.cpus),
      cpuShares: spec.cpuShares,
      user: spec.user,
      workingDir: spec.workingDirectory,
      networkMode: spec.hostNetwork ? 'host' : undefined,
      pidMode: spec.hostPid ? 'host' : undefined,
      ipcMode: spec.hostIpc ? 'host' : undefined,
      entrypoint: spec.entrypoint ? [...spec.entrypoint] : undefined,
      command: spec.command ? [...spec.command] : undefined,
      healthcheck: h ? {
        test: ['CMD-SHELL', DockerRun.healthCommand(spec)!],
        interval: `${Tokens.numberText(h.intervalSeconds)}s`,
        timeout: `${Tokens.numberText(h.timeoutSeconds)}s`,
        retries: h.retries,
        startPeriod: `${Tokens.numberText(h.startPeriodSeconds)}s`,
      } : undefined,
    };
  }

  /** The `docker_image` configuration. */
  public static image(spec: ContainerSpec): { readonly name: string; readonly keepLocally: boolean } {
    return { name: spec.image, keepLocally: true };
  }

  private constructor() {}
}
