import { Protocol } from './network';

/* The resolved values a ContainerSpec holds (container-spec.ts): validated, defaults applied, in a fixed order. */

/** A name and a value (environment variables, labels), in a fixed order. */
export interface NameValue {
  /** The name. */
  readonly name: string;
  /** The value. */
  readonly value: string;
}

/** Normalized published port. */
export interface ResolvedPort {
  readonly containerPort: number;
  readonly hostPort: number;
  readonly protocol: Protocol;
  readonly hostIp: string;
}

/** Normalized zero-downtime cutover of an HTTP port (ContainerOptions.zeroDowntime). */
export interface ResolvedZeroDowntime {
  readonly containerPort: number;
  /** Where the proxy listens: the published port's host address and port. */
  readonly hostIp: string;
  readonly hostPort: number;
  readonly healthPath: string;
  readonly drainSeconds: number;
  readonly maxRequestBodyMiB: number;
  readonly timeoutSeconds: number;
  /** The two loopback ports the versions alternate on (the library's choice, from the name). */
  readonly upstreamPorts: number[];
}

/** Normalized tmpfs mount. */
export interface ResolvedTmpfs {
  readonly target: string;
  readonly sizeMiB: number;
}

/** Normalized volume. */
export interface ResolvedVolume {
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
  /** True when `source` is a host path. */
  readonly hostPath: boolean;
  /** Whether the container shares a data volume with others (`VolumeMount.shared`). */
  readonly shared: boolean;
  /**
   * The data volume of the host it mounts (`source` is then its data directory on the host).
   * @default - not a data volume
   */
  readonly dataVolume?: string;
}

/** Normalized health check. */
export interface ResolvedHealthCheck {
  readonly command: string[];
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly retries: number;
  readonly startPeriodSeconds: number;
}
