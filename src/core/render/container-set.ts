import { createHash } from 'node:crypto';
import { IsolationError } from '../../private/errors';
import { Tokens } from '../../private/tokens';
import { Check } from '../../private/validate';
import { ContainerSpec } from '../container-spec';
import { DockerRun } from './docker-run';
import { HostLayout } from './host-layout';
import { ReverseProxy } from './reverse-proxy';
import { ContainerUnit } from './systemd';

/*
 * The desired container set of a host (issue 14): what the SSM document
 * (reconcile-document.ts) writes on the host and the reconcile script
 * (reconcile.ts) brings the host to. Pure.
 *
 * One renderer: the start scripts and units in the set are those of first
 * boot (DockerRun.startScript, ContainerUnit.render), so first boot, reboot
 * and update run the same definitions.
 *
 * The spec digest: every start script labels its container with the SHA-256
 * of the script itself (`cdktf-isolation.spec-digest`, computed on the host
 * from the file, so the label needs no digest written into the script). The
 * set carries the same digest, computed where the script's text is known:
 * at synth when it holds no token, else by Terraform's `sha256` at apply (an
 * image tag from a variable changes it). Equal digests mean the container
 * runs exactly the desired definition and is left alone.
 */

/** The options of the reconcile that the host's props set. */
export interface ReconcileOptions {
  /**
   * Seconds a changed or new container without a health check must keep
   * running (no exit, no restart) before the update counts as done; a
   * one-shot container (restart policy no) may exit 0 within it.
   * @default 10
   */
  readonly settleSeconds?: number;
  /**
   * Seconds a changed or new container with a health check has to turn
   * healthy before the update counts as failed and is rolled back.
   * @default 300
   */
  readonly healthTimeoutSeconds?: number;
}

/** One container of a desired set. */
export interface DesiredContainer {
  /** The container's name (names its unit and files). */
  readonly name: string;
  /** Its image reference (may hold tokens). */
  readonly image: string;
  /** Its start script, as DockerRun renders it for first boot. */
  readonly startScript: string;
  /** Its systemd unit, as ContainerUnit renders it for first boot. */
  readonly unit: string;
  /** The hex SHA-256 of `startScript` (a Terraform `sha256` token when the script holds tokens). */
  readonly digest: string;
  /** Its server in the host's reverse proxy, with `zeroDowntime`. */
  readonly site?: string;
}

/** A file of a desired-set directory (what the document writes on the host and the reconcile reads). */
export interface DesiredSetFile {
  /** The path, relative to the directory. */
  readonly path: string;
  /** The content (may hold tokens). */
  readonly content: string;
  /** Octal permissions. */
  readonly mode: string;
}

/** The desired container set of a host, rendered. */
export interface ContainerSetConfig {
  /** The containers, by name. */
  readonly containers: DesiredContainer[];
  /** Settle time of a container without a health check, in seconds. */
  readonly settleSeconds: number;
  /** Health timeout, in seconds. */
  readonly healthTimeoutSeconds: number;
  /**
   * The set file the reconcile reads: a comment line, `settle-seconds N`,
   * `health-timeout-seconds N`, then `container NAME DIGEST IMAGE` per
   * container (names, digests and image references hold no blank), then
   * `cutover NAME PORT_A PORT_B DRAIN_SECONDS HEALTH_PATH` per container
   * with zeroDowntime.
   */
  readonly manifest: string;
  /**
   * The hex SHA-256 of `manifest`: it changes when any container's start
   * script, image, the set's members or its options change (a Terraform
   * `sha256` token when the manifest holds tokens). Not when only a unit
   * changes: for the association, use ReconcileDocumentConfig.digest.
   */
  readonly digest: string;
  /** The files of the set's directory: `set`, `containers/NAME.sh`, `units/cdktf-container-NAME.service`, `proxy/NAME.conf` (zeroDowntime). */
  readonly files: DesiredSetFile[];
}

const SETTLE = { fallback: 10, min: 1, max: 600 };
const HEALTH_TIMEOUT = { fallback: 300, min: 10, max: 3600 };
const MANIFEST_HEADER = '# cdktf-isolation desired container set v1';

/** Hex SHA-256 of `text`: at synth, or by Terraform when it holds tokens. */
export function sha256(text: string): string {
  return Tokens.isUnresolved(text) ? Tokens.sha256(text) : createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Renders a host's desired container set. */
export class ContainerSet {
  /** Default, least and greatest settle time (seconds). */
  public static readonly SETTLE_SECONDS = SETTLE;
  /** Default, least and greatest health timeout (seconds). */
  public static readonly HEALTH_TIMEOUT_SECONDS = HEALTH_TIMEOUT;

  /**
   * The desired set of `specs` (sorted by name, so the digest does not
   * depend on declaration order).
   * @param path construct path, for error messages
   */
  public static render(specs: readonly ContainerSpec[], options: ReconcileOptions = {}, path: string = 'VmHost'): ContainerSetConfig {
    const { settleSeconds, healthTimeoutSeconds } = ContainerSet.options(options, path);
    const seen = new Set<string>();
    for (const s of specs) {
      if (seen.has(s.name)) {
        throw new IsolationError(path, 'containers', `must not hold two containers named '${s.name}'`, s.name, 'Give each container on a host its own name.');
      }
      seen.add(s.name);
    }
    checkLoopbackPorts(specs, path);
    const containers = [...specs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((spec): DesiredContainer => {
      const startScript = DockerRun.startScript(spec);
      return {
        name: spec.name,
        image: spec.image,
        startScript,
        unit: ContainerUnit.render(spec),
        digest: sha256(startScript),
        ...(spec.zeroDowntime ? { site: ReverseProxy.site(spec) } : {}),
      };
    });
    const cutovers = [...specs].filter((spec) => spec.zeroDowntime).sort((a, b) => (a.name < b.name ? -1 : 1)).map((spec) => {
      const z = spec.zeroDowntime!;
      return `cutover ${spec.name} ${z.upstreamPorts[0]} ${z.upstreamPorts[1]} ${z.drainSeconds} ${z.healthPath}`;
    });
    const manifest = [
      MANIFEST_HEADER,
      `settle-seconds ${settleSeconds}`,
      `health-timeout-seconds ${healthTimeoutSeconds}`,
      ...containers.map((c) => `container ${c.name} ${c.digest} ${c.image}`),
      ...cutovers,
      '',
    ].join('\n');
    const files: DesiredSetFile[] = [
      { path: 'set', content: manifest, mode: '0600' },
      ...containers.flatMap((c) => [
        { path: `containers/${c.name}.sh`, content: c.startScript, mode: '0700' },
        { path: `units/${HostLayout.unitName(c.name)}`, content: c.unit, mode: '0644' },
        ...(c.site !== undefined ? [{ path: `proxy/${c.name}.conf`, content: c.site, mode: '0644' }] : []),
      ]),
    ];
    return { containers, settleSeconds, healthTimeoutSeconds, manifest, digest: sha256(manifest), files };
  }

  /**
   * The reconcile's options, validated, with their defaults (a host checks
   * its props with this where it is declared; the set is rendered later).
   * @param path construct path, for error messages
   */
  public static options(options: ReconcileOptions, path: string): { settleSeconds: number; healthTimeoutSeconds: number } {
    return {
      settleSeconds: range(path, 'settleSeconds', options.settleSeconds, SETTLE,
        'the settle time bounds the SSM command\'s timeout, which is computed at synth'),
      healthTimeoutSeconds: range(path, 'healthTimeoutSeconds', options.healthTimeoutSeconds, HEALTH_TIMEOUT,
        'the health timeout bounds the SSM command\'s timeout, which is computed at synth'),
    };
  }

  private constructor() {}
}

/** The loopback ports of zero-downtime versions must not be another container's (a version's, or a published port). */
function checkLoopbackPorts(specs: readonly ContainerSpec[], path: string): void {
  const owner = new Map<number, string>();
  for (const s of specs) {
    for (const p of s.ports) {
      if (typeof p.hostPort === 'number' && !Tokens.isUnresolved(p.hostPort)) owner.set(p.hostPort, `${s.name} (its published port)`);
    }
  }
  for (const s of specs) {
    for (const port of s.zeroDowntime?.upstreamPorts ?? []) {
      const other = owner.get(port);
      if (other !== undefined && !other.startsWith(`${s.name} (its published`)) {
        throw new IsolationError(path, 'containers',
          `must not give loopback port ${port} to two containers: zero-downtime container ${s.name} runs its versions on ${s.zeroDowntime!.upstreamPorts.join(' and ')}, and ${other} has it`,
          s.name, 'Rename one of the two containers (the pair of loopback ports comes from the name), or publish the other on another port.');
      }
      owner.set(port, `${s.name} (a version behind the proxy)`);
    }
  }
}

function range(path: string, prop: string, value: number | undefined, r: { fallback: number; min: number; max: number }, why: string): number {
  if (value === undefined) return r.fallback;
  Check.known(path, prop, value, why);
  return Check.integerInRange(path, prop, value, r.min, r.max, `Give whole seconds from ${r.min} to ${r.max} (default ${r.fallback}).`);
}
