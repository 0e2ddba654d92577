import { ContainerSetConfig, sha256 } from './container-set';
import { HostLayout } from './host-layout';
import { LOCK_WAIT_SECONDS, PULL_SECONDS, ReconcileScript } from './reconcile';
import { IsolationError } from '../../private/errors';
import { gzipDeterministic } from '../../private/gzip';
import { holdsToken, serializeWithTokens, Tokens } from '../../private/tokens';

/** The SSM document of a host, rendered. */
export interface ReconcileDocumentConfig {
  /** The document (schemaVersion 2.2), as an object. */
  readonly document: { [key: string]: unknown };
  /** The document as JSON text: the `content` of an `aws_ssm_document` (`document_format` JSON, `document_type` Command). Holds tokens when the set does. */
  readonly content: string;
  /** The commands of its one step, in order: what the agent runs (with `sh`). */
  readonly commands: string[];
  /** The step's `timeoutSeconds`. */
  readonly timeoutSeconds: number;
  /**
   * The hex SHA-256 of `content` (a Terraform `sha256` token when it holds
   * tokens): it changes with anything that reaches the host (a container's
   * definition or unit, the set, its options, the reconcile script itself).
   * Replace the association when it changes, so every rollout is a create
   * that Terraform waits for.
   */
  readonly digest: string;
  /**
   * Size of `content` in bytes (it is ASCII). Exact when `sizeExact`; else
   * the size with every token-holding file estimated from its literal parts,
   * and Terraform must check `length(content) <= 65536` at plan.
   */
  readonly sizeBytes: number;
  /** True when `content` holds no token, so `sizeBytes` is its size. */
  readonly sizeExact: boolean;
}

/**
 * Renders the SSM Command document of a host: one `aws:runShellScript` step
 * that writes the desired set into a fresh directory and runs the reconcile
 * on it. Every file travels as base64 of its gzip: the commands hold no
 * quote and no `{{` (the document's parameter syntax) from a user's value,
 * and arrive byte for byte.
 */
export class ReconcileDocument {
  /** The most bytes SSM takes for a document's content ("must not exceed 64KB", CreateDocument/UpdateDocument; MaxDocumentSizeExceeded). */
  public static readonly MAX_CONTENT_BYTES = 64 * 1024;
  /** Greatest `timeoutSeconds` of an `aws:runShellScript` step (48 hours). */
  public static readonly MAX_TIMEOUT_SECONDS = 172800;

  /**
   * @param set the host's desired set
   * @param path construct path, for error messages
   */
  public static render(set: ContainerSetConfig, path: string = 'VmHost'): ReconcileDocumentConfig {
    const commands = ReconcileDocument.commands(set, payload);
    const timeoutSeconds = ReconcileDocument.timeout(set);
    const document = ReconcileDocument.document(set, commands, timeoutSeconds);
    const content = serializeWithTokens(document, (doc) => JSON.stringify(doc, null, 2));
    const sizeExact = !holdsToken(document);
    // With tokens, the size is estimated from the literal parts (the document's commands rendered once more).
    const sizeBytes = Buffer.byteLength(sizeExact ? content
      : JSON.stringify(ReconcileDocument.document(set, ReconcileDocument.commands(set, estimatedPayload), timeoutSeconds), null, 2), 'utf8');
    if (sizeBytes > ReconcileDocument.MAX_CONTENT_BYTES) {
      throw new IsolationError(path, 'containers',
        `must fit in an SSM document of at most ${ReconcileDocument.MAX_CONTENT_BYTES} bytes (Systems Manager's limit for a document's content), ` +
        `but the desired set of ${set.containers.length} container(s) and the reconcile script take ${sizeExact ? '' : 'about '}${sizeBytes} bytes`,
        `${set.containers.length} containers`,
        'Place some containers on another host (HostPool packs them), or shorten what their start scripts carry (environment, commands, labels).');
    }
    return { document, content, commands, timeoutSeconds, digest: sha256(content), sizeBytes, sizeExact };
  }

  /** The step's commands: write the set into a fresh directory (removed at exit), run the reconcile on it. */
  private static commands(set: ContainerSetConfig, payloadOf: (content: string) => string): string[] {
    const write = (content: string, target: string) => `printf %s ${payloadOf(content)} | base64 -d | gzip -dc > ${target}`;
    return [
      'set -eu',
      'umask 077',
      // CDKTF_ISOLATION_LIB moves the library's directory (tests); the agent does not set it.
      `lib="\${CDKTF_ISOLATION_LIB:-${HostLayout.LIB_DIR}}"`,
      'mkdir -p "$lib"',
      'd=$(mktemp -d "$lib/desired.XXXXXX")',
      'trap \'rm -rf "$d"\' EXIT',
      set.containers.some((c) => c.site !== undefined) ? 'mkdir "$d/containers" "$d/units" "$d/proxy"' : 'mkdir "$d/containers" "$d/units"',
      ...set.files.map((f) => `${write(f.content, `"$d/${f.path}"`)} && chmod ${f.mode} "$d/${f.path}"`),
      `printf %s ${reconcileScriptPayload()} | base64 -d | gzip -dc > "$d/${ReconcileScript.FILE}"`,
      `sh "$d/${ReconcileScript.FILE}" "$d"`,
    ];
  }

  private static document(set: ContainerSetConfig, commands: string[], timeoutSeconds: number): { [key: string]: unknown } {
    return {
      // The schema of Command documents with mainSteps, preconditions and cross-platform support.
      schemaVersion: '2.2',
      // Shown in the console and by describe-document.
      description: `cdktf-isolation: brings the host's ${set.containers.length} container(s) to the desired set (set digest in the reconcile log)`,
      mainSteps: [{
        // The plugin that runs shell commands on Linux (with sh, in a script file the agent writes).
        action: 'aws:runShellScript',
        // The step's name, unique in the document; the agent reports its output and status under it.
        name: 'reconcile',
        // The step runs only on Linux instances (schema 2.2 evaluates platformType on the instance).
        precondition: { StringEquals: ['platformType', 'Linux'] },
        inputs: {
          // The commands, one string each, run in order as one script; a non-zero exit fails the step.
          runCommand: commands,
          // Seconds before the agent stops the step and reports it as timed out (default 3600, at most 172800).
          timeoutSeconds: String(timeoutSeconds),
        },
      }],
    };
  }

  /**
   * The step's timeout: the lock wait, then per container a pull, a stop, a
   * start with its health wait, and a rollback with another (the worst case
   * of a run), within the plugin's bound.
   */
  private static timeout(set: ContainerSetConfig): number {
    const wait = Math.max(set.healthTimeoutSeconds, set.settleSeconds);
    // A zero-downtime update also checks the new version over HTTP (up to the health timeout) and drains the old one.
    const cutover = Math.max(0, ...set.containers.map((c) => (c.site !== undefined ? set.healthTimeoutSeconds + 300 : 0)));
    const perContainer = PULL_SECONDS + 2 * (wait + 60) + cutover;
    return Math.min(ReconcileDocument.MAX_TIMEOUT_SECONDS, LOCK_WAIT_SECONDS + Math.max(1, set.containers.length) * perContainer);
  }

  private constructor() {}
}

let reconcilePayload: string | undefined;

/** base64 of the gzip of the reconcile script, the same on every host (compressed once per process). */
function reconcileScriptPayload(): string {
  reconcilePayload ??= gzipDeterministic(ReconcileScript.render()).toString('base64');
  return reconcilePayload;
}

/** base64 of the gzip of `content`: at synth, or by Terraform when it holds tokens. */
function payload(content: string): string {
  return Tokens.isUnresolved(content) ? Tokens.base64gzip(content) : gzipDeterministic(content).toString('base64');
}

/** The payload's size estimated from the literal parts of `content` (its tokens taken as empty). */
function estimatedPayload(content: string): string {
  return gzipDeterministic(Tokens.fragments(content).map((f) => f.literal ?? '').join('')).toString('base64');
}
