import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Lazy, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { RolePolicyStatement } from '../core/iam';
import { collectDeferred } from '../private/deferred';
import { IsolationError } from '../private/errors';
import { escapeTerraformTemplate, escapeTerraformTemplates } from '../private/terraform-string';
import { serializeWithTokens } from '../private/tokens';
import { Check, checkTags } from '../private/validate';
import { Preconditions } from '../terraform/preconditions';

/** Props of `HostRole`. */
export interface HostRoleProps {
  /**
   * Tags.
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

interface OwnedStatement {
  readonly statement: RolePolicyStatement;
  readonly owner?: IConstruct;
}

/**
 * The IAM role of Docker hosts and its instance profile: EC2 may assume it,
 * `AmazonSSMManagedInstanceCore` gives Session Manager access (no SSH), and
 * an inline policy holds what the host's containers need (ECR pulls, SSM
 * parameters) plus what you add.
 */
export class HostRole extends Construct {
  /** The role (escape hatch); construct id `Default`, so its Terraform address is the one it had before it was a part of its own. */
  public readonly resource: IamRole;
  /** The role name. */
  public readonly roleName: string;
  /** The instance profile of the role. */
  public readonly instanceProfile: IamInstanceProfile;
  private readonly statements: OwnedStatement[] = [];
  private policy?: IamRolePolicy;

  constructor(scope: Construct, id: string, props?: HostRoleProps) {
    super(scope, id);
    props = Check.props(this.node.path, props, "{ tags: { team: 'web' } }", true);
    const { result: tags, checks } = collectDeferred(() => (props!.tags === undefined ? undefined : escapeTerraformTemplates(checkTags(this.node.path, 'tags', props!.tags))));
    this.resource = new IamRole(this, 'Default', {
      description: `cdktf-isolation host ${scope.node.path}`.slice(0, 1000),
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
      tags,
    });
    this.roleName = this.resource.name;
    new IamRolePolicyAttachment(this, 'SsmManagedInstanceCore', {
      role: this.roleName,
      policyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    });
    this.instanceProfile = new IamInstanceProfile(this, 'InstanceProfile', { role: this.roleName, tags });
    Preconditions.set(this.resource, Preconditions.of(checks));
    Preconditions.report(this, checks);
  }

  /** The role ARN. */
  public get roleArn(): string {
    return this.resource.arn;
  }

  /** Adds a statement to the role's inline policy (an identical one is ignored). */
  public addToPolicy(statement: RolePolicyStatement): void {
    this.addOwned(statement, undefined);
  }

  /**
   * Adds a statement that belongs to `owner` (a container); `_removeStatementsOf` takes it back.
   * @internal
   */
  public _addStatementOf(owner: IConstruct, statement: RolePolicyStatement): void {
    this.addOwned(statement, owner);
  }

  /**
   * Removes the statements of `owner`; the inline policy goes when it is left empty.
   * @internal
   */
  public _removeStatementsOf(owner: IConstruct): void {
    for (let i = this.statements.length - 1; i >= 0; i--) if (this.statements[i].owner === owner) this.statements.splice(i, 1);
    if (this.statements.length === 0 && this.policy) {
      this.node.tryRemoveChild(this.policy.node.id);
      this.policy = undefined;
    }
  }

  private addOwned(statement: RolePolicyStatement, owner: IConstruct | undefined): void {
    // Errors name the owner, or the host this role belongs to (the role itself when it stands alone in a stack).
    const scopeOfRole = this.node.scope && !TerraformStack.isStack(this.node.scope) ? this.node.scope : this;
    const path = (owner ?? scopeOfRole).node.path;
    if (statement === null || typeof statement !== 'object') {
      throw new IsolationError(path, 'statement', 'must be an object with actions and resources', statement,
        "Write e.g. { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::my-bucket/*'] }.");
    }
    if (!Array.isArray(statement.actions) || statement.actions.length === 0 ||
      statement.actions.some((a) => typeof a !== 'string' || !/^([a-z0-9-]+:[A-Za-z0-9*]+|\*)$/.test(a))) {
      throw new IsolationError(path, 'statement.actions', 'must be a non-empty list of IAM actions like \'service:Action\'', statement.actions,
        "Write actions such as 'ecr:BatchGetImage' or 's3:GetObject'.");
    }
    if (!Array.isArray(statement.resources) || statement.resources.length === 0 || statement.resources.some((r) => typeof r !== 'string' || r === '')) {
      throw new IsolationError(path, 'statement.resources', 'must be a non-empty list of ARNs (or \'*\')', statement.resources,
        'Name the resources the actions apply to, as ARNs.');
    }
    this.statements.push({ statement: { actions: [...statement.actions], resources: [...statement.resources], sid: statement.sid }, owner });
    this.policy ??= new IamRolePolicy(this, 'Policy', { role: this.resource.id, policy: Lazy.stringValue({ produce: () => this.render() }) });
  }

  private render(): string {
    const seen = new Set<string>();
    const unique = this.statements.map((s) => s.statement).filter((s) => {
      const key = JSON.stringify([s.sid, s.actions, s.resources]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    // IAM policy variables (`${aws:username}`) are text for IAM, not Terraform
    // templates; an ARN known at apply is quoted by Terraform's jsonencode.
    return escapeTerraformTemplate(serializeWithTokens({
      Version: '2012-10-17',
      Statement: unique.map((s) => ({
        ...(s.sid ? { Sid: s.sid } : {}),
        Effect: 'Allow',
        Action: s.actions.length === 1 ? s.actions[0] : s.actions,
        Resource: s.resources.length === 1 ? s.resources[0] : s.resources,
      })),
    }, (doc) => JSON.stringify(doc)));
  }
}
