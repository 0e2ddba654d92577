import { ContainerSpec } from '../container-spec';
import { DockerRun } from './docker-run';

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
  /** Spec fields the provider cannot express; LocalDockerHost reports them. */
  public static unsupported(spec: ContainerSpec): string[] {
    const gaps: string[] = ['pidsLimit'];
    if (spec.hostUts) gaps.push('hostUts');
    return gaps;
  }

  /** The `docker_container` configuration (without `image`, which is the image resource's id). */
  public static container(spec: ContainerSpec): Record<string, unknown> {
    const securityOpts: string[] = [];
    if (spec.noNewPrivileges) securityOpts.push('no-new-privileges=true');
    if (spec.seccompUnconfined) securityOpts.push('seccomp=unconfined');
    const config: Record<string, unknown> = {
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
      logOpts: { 'max-file': String(spec.logMaxFiles), 'max-size': spec.logMaxSize },
      ports: spec.ports.map((p) => ({ internal: p.containerPort, external: p.hostPort, ip: p.hostIp, protocol: p.protocol })),
      env: spec.environment.map((e) => `${e.name}=${e.value}`),
      labels: spec.labels.map((l) => ({ label: l.name, value: l.value })),
      volumes: spec.volumes.map((v) => (v.hostPath
        ? { hostPath: v.source, containerPath: v.target, readOnly: v.readOnly }
        : { volumeName: v.source, containerPath: v.target, readOnly: v.readOnly })),
      mustRun: true,
      start: true,
    };
    if (spec.cpus !== undefined) config.cpus = String(spec.cpus);
    if (spec.user !== undefined) config.user = spec.user;
    if (spec.workingDirectory !== undefined) config.workingDir = spec.workingDirectory;
    if (spec.hostNetwork) config.networkMode = 'host';
    if (spec.hostPid) config.pidMode = 'host';
    if (spec.hostIpc) config.ipcMode = 'host';
    if (spec.entrypoint) config.entrypoint = [...spec.entrypoint];
    if (spec.command) config.command = [...spec.command];
    if (spec.healthCheck) {
      const h = spec.healthCheck;
      config.healthcheck = {
        test: ['CMD-SHELL', DockerRun.healthCommand(spec)],
        interval: `${h.intervalSeconds}s`,
        timeout: `${h.timeoutSeconds}s`,
        retries: h.retries,
        startPeriod: `${h.startPeriodSeconds}s`,
      };
    }
    return config;
  }

  /** The `docker_image` configuration. */
  public static image(spec: ContainerSpec): Record<string, unknown> {
    return { name: spec.image, keepLocally: true };
  }

  private constructor() {}
}
