import { ContainerSpec } from './container-spec';
import { Protocol } from './network';
import { IsolationError } from '../private/errors';
import { Tokens } from '../private/tokens';
import { Check } from '../private/validate';

/** Sizes of a fleet. */
export interface FleetSize {
  /** Fewest instances. */
  readonly min: number;
  /** Most instances. */
  readonly max: number;
  /** Instances to start with. */
  readonly desired: number;
}

/** The HTTP health check a load balancer runs against a container. */
export interface HttpTargetHealthCheck {
  /** Request path. */
  readonly path: string;
  /** Host port the container publishes and the load balancer routes to. */
  readonly hostPort: number;
  /** Seconds between checks. */
  readonly intervalSeconds: number;
  /** Seconds before a check fails. */
  readonly timeoutSeconds: number;
  /** Failures before a target is unhealthy. */
  readonly unhealthyThreshold: number;
}

/** An HTTP probe found in a container health check. */
export interface HttpProbe {
  /** Request path. */
  readonly path: string;
  /**
   * Port in the URL.
   * @default - none in the URL
   */
  readonly containerPort?: number;
}

const HTTP_PROBE = /^https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::(\d+))?(\/[^\s?#]*)?(?:\?[^\s#]*)?$/;
const PROBE_TOOLS = new Set(['wget', 'curl']);

/** Pure rules of HostFleet: sizes and the load balancer's health check. */
export class FleetRules {
  /** Validates min/max/desired. */
  public static size(path: string, min: number, max: number, desired: number | undefined): FleetSize {
    Check.integerInRange(path, 'minCapacity', min, 0, 1000);
    Check.integerInRange(path, 'maxCapacity', max, 1, 1000);
    if ([min, max, desired].some((v) => Tokens.isUnresolved(v))) {
      // Known at apply: Terraform checks the order (desired defaults to min).
      Check.integerInRange(path, 'maxCapacity', max, min, 1000, 'Lower minCapacity or raise maxCapacity: maxCapacity must not be below minCapacity.');
      const d = desired ?? min;
      if (desired !== undefined) {
        Check.integerInRange(path, 'desiredCapacity', d, min, max,
          'Choose a desired capacity inside the range, or leave it out (it defaults to minCapacity).');
      }
      return { min, max, desired: d };
    }
    if (min > max) {
      throw new IsolationError(path, 'minCapacity', `must not exceed maxCapacity (${max})`, min, 'Lower minCapacity or raise maxCapacity.');
    }
    const d = desired ?? min;
    Check.integerInRange(path, 'desiredCapacity', d, 0, 1000);
    if (d < min || d > max) {
      throw new IsolationError(path, 'desiredCapacity', `must lie between minCapacity (${min}) and maxCapacity (${max})`, d,
        'Choose a desired capacity inside the range, or leave it out (it defaults to minCapacity).');
    }
    return { min, max, desired: d };
  }

  /** Validates a load balancer health check path. */
  public static validatePath(path: string, prop: string, value: unknown): string {
    return Check.matches(path, prop, value, /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]{0,1023}$/, "an absolute URL path such as '/healthz'",
      "Start the path with '/' and leave out scheme, host, spaces and query.");
  }

  /**
   * The container's health check as an HTTP probe (wget or curl of a
   * loopback URL), or undefined when it is something else.
   */
  public static httpProbe(spec: ContainerSpec): HttpProbe | undefined {
    const cmd = spec.healthCheck?.command;
    if (!cmd || !PROBE_TOOLS.has(cmd[0].split('/').pop()!)) return undefined;
    for (const word of cmd.slice(1)) {
      const m = HTTP_PROBE.exec(word);
      if (m) return { path: m[2] ?? '/', containerPort: m[1] ? Number(m[1]) : undefined };
    }
    return undefined;
  }

  /**
   * The target health check: the path of the container's own HTTP probe,
   * or the path given; the port is the routed published port. A non-HTTP
   * container health check with an HTTP path given is contradictory.
   */
  public static targetHealthCheck(
    path: string, spec: ContainerSpec, routedHostPort: number | undefined, explicitPath: string | undefined,
  ): HttpTargetHealthCheck {
    if (explicitPath !== undefined) FleetRules.validatePath(path, 'loadBalancer.healthCheckPath', explicitPath);
    const tcp = spec.ports.filter((p) => p.protocol === Protocol.TCP);
    if (tcp.length === 0) {
      throw new IsolationError(path, 'container.ports', 'must publish a TCP port for the load balancer', spec.ports.map((p) => `${p.protocol}/${p.hostPort}`),
        "Publish the app's HTTP port, e.g. ports: [{ containerPort: 8080, hostIp: '0.0.0.0' }].");
    }
    const port = routedHostPort === undefined ? tcp[0] : tcp.find((p) => p.hostPort === routedHostPort);
    if (!port) {
      throw new IsolationError(path, 'loadBalancer.containerPort', 'must be a TCP host port the container publishes', routedHostPort,
        `Use one of ${tcp.map((p) => p.hostPort).join(', ')}.`);
    }
    Check.known(path, 'container.ports.hostIp', port.hostIp, 'a load balancer can only route to a port published beyond loopback, which is checked at synth');
    if (port.hostIp.startsWith('127.') || port.hostIp === '::1') {
      throw new IsolationError(path, 'container.ports.hostIp', `must not be loopback when the load balancer routes to port ${port.hostPort}`, port.hostIp,
        "Publish the port on '0.0.0.0' (the security group admits only the load balancer).");
    }
    const probe = FleetRules.httpProbe(spec);
    if (spec.healthCheck && !probe && explicitPath !== undefined) {
      throw new IsolationError(path, 'loadBalancer.healthCheckPath', `is an HTTP check, but the container's own health check is not HTTP (${spec.healthCheck.command.join(' ')})`,
        explicitPath, 'Give the container an HTTP health check (wget or curl of http://127.0.0.1:<port>/<path>), or route the load balancer to an HTTP container.');
    }
    const h = spec.healthCheck;
    if (h) {
      for (const prop of ['intervalSeconds', 'timeoutSeconds', 'retries'] as const) {
        Check.known(path, `container.healthCheck.${prop}`, h[prop], "the load balancer's health check is derived from it at synth");
      }
    }
    const interval = Math.min(300, Math.max(5, h?.intervalSeconds ?? 30));
    return {
      path: explicitPath ?? probe?.path ?? '/',
      hostPort: port.hostPort,
      intervalSeconds: interval,
      timeoutSeconds: Math.min(interval - 1, 120, Math.max(2, h?.timeoutSeconds ?? 5)),
      unhealthyThreshold: Math.min(10, Math.max(2, h?.retries ?? 3)),
    };
  }

  private constructor() {}
}
