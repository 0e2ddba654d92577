import { createHash } from 'node:crypto';
import { SsmAssociation } from '@cdktf/provider-aws/lib/ssm-association';
import { SsmDocument, SsmDocumentConfig } from '@cdktf/provider-aws/lib/ssm-document';
import { Fn, Op, TerraformResource, Token } from 'cdktf';
import { Construct } from 'constructs';
import { ContainerSpec } from '../core/container-spec';
import { ContainerSet } from '../core/render/container-set';
import { ReconcileDocument } from '../core/render/reconcile-document';
import { escapeTerraformTemplate } from '../private/terraform-string';
import { replaceTrigger } from '../terraform/expressions';
import { lazyNumber, lazyString, LazyText, producedValue } from '../terraform/lazy';
import { Preconditions } from '../terraform/preconditions';
import { TerraformData } from '../terraform/terraform-data';
import { expressionOf } from '../terraform/tokens';

/** How a VmHost's container changes reach the running host (see VmHostProps.containerUpdates). */
export interface ContainerUpdateOptions {
  /**
   * Seconds a changed container without a health check must keep running
   * before the update counts as done (1 to 600).
   * @default 10
   */
  readonly settleSeconds?: number;
  /**
   * Seconds a changed container with a health check has to turn healthy
   * before the update is rolled back (10 to 3600).
   * @default 300
   */
  readonly healthTimeoutSeconds?: number;
}

/** Props of `ContainerRollout`. */
export interface ContainerRolloutProps {
  /** The instance the association targets. */
  readonly instanceId: string;
  /** The host's containers, as they are when synthesis asks. */
  readonly specs: () => ContainerSpec[];
  /** A cheap version that changes whenever the containers do. */
  readonly version: () => string;
  /** The reconcile's options. */
  readonly options?: ContainerUpdateOptions;
}

/**
 * Day-2 deploys of a VmHost's containers (in place, never a new instance):
 * an SSM Command document that writes the desired container set and runs
 * the reconcile (src/core/render/reconcile.ts, its document reconcile-document.ts), an association that runs
 * it on the instance, and a `terraform_data` (`Digest`) holding the
 * document's digest that replaces the association whenever anything that
 * reaches the host changes. Terraform waits for an association only when it
 * creates one (`wait_for_success_timeout_seconds`; an update has no
 * waiter), so each rollout is a create: `cdktf deploy` waits for it and
 * fails when it fails.
 */
export class ContainerRollout extends Construct {
  /** The document (escape hatch). */
  public readonly document: SsmDocument;
  /** The association (escape hatch). */
  public readonly association: SsmAssociation;
  /** The document's name. */
  public readonly documentName: string;
  /** The digest of what the document delivers (a `terraform_data` with `input.digest`); the association is replaced when it changes. */
  public readonly digest: TerraformResource;

  private cached?: { version: string; doc: RenderedDocument };
  /** True when the document has the library's precondition (see refreshPreconditions). */
  private hasPrecondition = false;

  constructor(scope: Construct, id: string, private readonly props: ContainerRolloutProps) {
    super(scope, id);
    const path = scope.node.path;
    // Validated now, where the host is declared (the set is rendered when synthesis asks).
    ContainerSet.options(props.options ?? {}, path);
    const content = new LazyText(() => this.current().contentExpression);
    this.documentName = documentName(path);
    this.document = new RolloutDocument(this, 'Document', content, {
      // A name of this stack's host: unique in the account and region as long as stack and path are.
      name: this.documentName,
      // Run Command and State Manager document; JSON content (schemaVersion 2.2).
      documentType: 'Command',
      documentFormat: 'JSON',
      content: content.token,
      // Only instances may run it (not the automation of other resource types).
      targetType: '/AWS::EC2::Instance',
    });
    // The document's size is checked when the tree is complete: an oversized set fails synthesis with the library's error.
    this.node.addValidation({
      validate: () => {
        this.current();
        return [];
      },
    });
    this.digest = new TerraformData(this, 'Digest', { digest: lazyString(() => this.current().digest) });
    const timeout = lazyNumber(() => this.current().timeoutSeconds + 300);
    this.association = new SsmAssociation(this, 'Association', {
      // The document by name, at the version this apply wrote (its latest).
      name: this.document.name,
      documentVersion: this.document.latestVersion,
      // This host only.
      targets: [{ key: 'InstanceIds', values: [props.instanceId] }],
      // Created, it runs at once (no schedule: once, and again when the instance is new to it);
      // Terraform waits for Success and fails the apply on Failed or at the timeout.
      waitForSuccessTimeoutSeconds: timeout,
      // Each change of what the document delivers makes a new association, which Terraform waits for.
      lifecycle: { replaceTriggeredBy: [replaceTrigger(this.digest)] },
    });
  }

  /**
   * Sets the document's precondition: with values known at apply in the
   * containers, Terraform checks the content's size (known at synth, it is
   * checked there, by ReconcileDocument).
   */
  public refreshPreconditions(holdsTokens: boolean): void {
    // Without tokens now and at the last refresh the list stays empty: nothing to set.
    if (!holdsTokens && !this.hasPrecondition) return;
    this.hasPrecondition = holdsTokens;
    const path = this.node.scope!.node.path;
    Preconditions.set(this.document, holdsTokens ? [{
      // The content is ASCII: characters are bytes.
      condition: producedValue(() => Op.lte(Fn.lengthOf(this.current().contentExpression), ReconcileDocument.MAX_CONTENT_BYTES)),
      errorMessage: `${escapeTerraformTemplate(`${path}: 'containers' must fit in an SSM document of at most ${ReconcileDocument.MAX_CONTENT_BYTES} bytes`)} ` +
        '(Systems Manager\'s limit for a document\'s content), got more with the values of its Terraform references. ' +
        'Place some containers on another host, or shorten what their start scripts carry (environment, commands, labels).',
    }] : []);
  }

  /**
   * The document as it is now: rendered once per version of the containers,
   * and kept as what synthesis reads (the rest of the rendering, such as the
   * commands and the document object, is left to the collector).
   */
  public current(): RenderedDocument {
    const version = this.props.version();
    if (this.cached?.version === version) return this.cached.doc;
    const path = this.node.scope!.node.path;
    const set = ContainerSet.render(this.props.specs(), this.props.options ?? {}, path);
    const { content, digest, timeoutSeconds } = ReconcileDocument.render(set, path);
    // The content for Terraform: escaped text, or an expression when it holds tokens.
    const contentExpression = Token.isUnresolved(content) ? expressionOf(content) : escapeTerraformTemplate(content);
    const doc: RenderedDocument = { contentExpression, digest, timeoutSeconds };
    this.cached = { version, doc };
    return doc;
  }
}

/** What synthesis reads of a rendered document (see ReconcileDocumentConfig). */
export interface RenderedDocument {
  /** The document's content as the resource takes it: the JSON text escaped for Terraform, or an expression with tokens. */
  readonly contentExpression: string;
  /** The digest of the content (ReconcileDocumentConfig.digest). */
  readonly digest: string;
  /** The step's timeout, in seconds. */
  readonly timeoutSeconds: number;
}

/** `cdktf-isolation-<path>`, in SSM's name characters (letters, digits, _ - .), at most 128, with a hash of the path when shortened. */
export function documentName(path: string): string {
  const name = `cdktf-isolation-${path.replace(/[^A-Za-z0-9_.-]+/g, '-')}`;
  if (name.length <= 128) return name;
  const hash = createHash('sha256').update(path).digest('hex').slice(0, 12);
  return `${name.slice(0, 128 - 13)}-${hash}`;
}

/** The rollout's SSM document: its (large) content goes into the JSON as a resolvable (see LazyText). */
class RolloutDocument extends SsmDocument {
  constructor(scope: Construct, id: string, private readonly lazyContent: LazyText, config: SsmDocumentConfig) {
    super(scope, id, config);
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return this.lazyContent.substitute(super.synthesizeAttributes(), 'content');
  }
}
