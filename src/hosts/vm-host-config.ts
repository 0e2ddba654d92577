import { createHash } from 'node:crypto';
import { Token } from 'cdktf';
import type { HostedContainer } from './vm-host-checks';
import { OsFamily } from '../core/os-family';
import { CloudConfig } from '../core/render/cloud-config';
import { ContainerSetup } from '../core/render/container-setup';
import { holdsToken, serializeWithTokens, Tokens } from '../private/tokens';

/*
 * A Linux VmHost's cloud-config as its parts see it: the first-boot user
 * data (what the host is plus every container's definition), the
 * host-level part alone, and that part's digest, which replaces the
 * instance when it changes (HostInputs). vm-host.ts keeps the construct.
 */

/** What replaces a VmHost that runs containers (the host-level inputs of its HostInputs digest). */
export const HOST_LEVEL_INPUTS = 'the machine image, daemon.json, the library\'s host setup, OS packages, a native setup, the cloud-config escape hatch, ' +
  'and what its containers need from it (the pull script, the ECR credential helper and registries, the SSM client)';

/** How a deploy changes a VmHost, one line (VmHost.updatePath); `documentName` is its rollout's, none without Docker. */
export function hostUpdatePath(windows: boolean, documentName: string | undefined): string {
  if (windows) return 'replaced when its user data changes (a Windows host runs no containers: everything on it is host-level)';
  if (documentName === undefined) return 'replaced when its user data changes (a host without containers: everything on it is host-level)';
  return `containers updated in place through Systems Manager (document ${documentName}, health-gated, rolled back on failure); ` +
    `replaced when what the host is changes: ${HOST_LEVEL_INPUTS}`;
}

/** The cloud-config of a Linux host with containers, rendered for the user data and digested for HostInputs. */
export class HostCloudConfig {
  private digestCache?: { version: string; digest: string };
  private tokensCache?: { revision: number; holds: boolean };

  /**
   * @param hostPath the host's construct path (the user data's comment)
   * @param config the host's own cloud-config (VmHost.cloudConfig, the escape hatch)
   * @param osFamily the host's OS family
   * @param containers the host's live container list (in join order)
   * @param containersVersion changes whenever the list or its order does
   */
  constructor(private readonly hostPath: string, private readonly config: CloudConfig, private readonly osFamily: OsFamily,
    private readonly containers: readonly HostedContainer[], private readonly containersVersion: () => number) {}

  /** A version that changes whenever the rendered text can (the host's cloud-config or its containers). */
  public version(): string {
    return `${this.config.revision}/${this.containersVersion()}`;
  }

  /** The first-boot user data: the host-level cloud-config and every container's definition, as YAML. */
  public render(): string {
    const config = this.hostLevel();
    for (const { spec } of this.containers) ContainerSetup.applyDefinition(config, spec);
    return config.render({ comment: `cdktf-isolation host ${this.hostPath}` });
  }

  /**
   * What the host is, as cloud-config: its own (OS packages, daemon.json,
   * the library's host setup, a native setup, the escape hatch) and what
   * its containers need from it (the pull script, ECR's credential helper
   * and registries, the SSM client), without their definitions.
   */
  public hostLevel(): CloudConfig {
    const config = this.config.clone();
    for (const { spec } of this.containers) ContainerSetup.applySupport(config, spec, this.osFamily);
    return config;
  }

  /**
   * The hex SHA-256 of the host-level cloud-config, as JSON (by Terraform
   * when it holds values known at apply), computed once per version.
   */
  public digest(): string {
    const version = this.version();
    if (this.digestCache?.version !== version) {
      const text = serializeWithTokens(this.hostLevel().toObject(), (doc) => JSON.stringify(doc));
      const digest = Token.isUnresolved(text) ? Tokens.sha256(text) : createHash('sha256').update(text, 'utf8').digest('hex');
      this.digestCache = { version, digest };
    }
    return this.digestCache.digest;
  }

  /** True when the host's own cloud-config holds a token (walked once per revision). */
  public holdsToken(): boolean {
    const revision = this.config.revision;
    if (this.tokensCache?.revision !== revision) this.tokensCache = { revision, holds: holdsToken(this.config.toObject()) };
    return this.tokensCache.holds;
  }
}
