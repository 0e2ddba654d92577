// Types only: the volume, attachment and snapshot policy modules are loaded when a host has a data volume
// (the snapshot policy's alone is 0.5 MB of source, which every `require` of the library held in its heap).
import type { DlmLifecyclePolicy } from '@cdktf/provider-aws/lib/dlm-lifecycle-policy';
import type { EbsVolume } from '@cdktf/provider-aws/lib/ebs-volume';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { VolumeAttachment } from '@cdktf/provider-aws/lib/volume-attachment';
import { Construct } from 'constructs';
import { DataVolumeRemovalPolicy, ResolvedDataVolume } from '../core/data-volume';
import { escapeTerraformTemplates } from '../private/terraform-string';

/** Props of `HostDataVolume`. */
export interface HostDataVolumeProps {
  /** The validated volume. */
  readonly volume: ResolvedDataVolume;
  /** The availability zone of the host's subnet (never the instance's, which is unknown while the instance is replaced). */
  readonly availabilityZone: string;
  /** The instance it is attached to. */
  readonly instanceId: string;
  /** The device name EC2 is given (`/dev/sdf`...); the host finds the volume by its id, not by this name. */
  readonly deviceName: string;
  /** Tags of the volume (the host's, the volume's own, the library's). */
  readonly tags: { [key: string]: string };
  /** The role Data Lifecycle Manager uses, for a backed-up volume. */
  readonly backupRoleArn?: string;
}

/** The tag by which Data Lifecycle Manager finds a data volume (its value: the volume's construct path). */
export const DATA_VOLUME_TAG = 'cdktf-isolation:data-volume';

/**
 * One data volume of a host: the encrypted gp3 `aws_ebs_volume` (in the
 * subnet's zone, `prevent_destroy` unless its removal policy is DESTROY),
 * its `aws_volume_attachment` (the instance is stopped before the volume
 * is detached, so its filesystem is unmounted cleanly when the host is
 * replaced), and, when backed up, an `aws_dlm_lifecycle_policy` that
 * targets the volume's tag.
 */
export class HostDataVolume extends Construct {
  /** The EBS volume (escape hatch). */
  public readonly resource: EbsVolume;
  /** The attachment to the host's instance. */
  public readonly attachment: VolumeAttachment;
  /** The snapshot policy, when backed up. */
  public readonly backupPolicy?: DlmLifecyclePolicy;

  constructor(scope: Construct, id: string, props: HostDataVolumeProps) {
    super(scope, id);
    const v = props.volume;
    const tags = escapeTerraformTemplates({ ...props.tags, [DATA_VOLUME_TAG]: this.node.path });
    /* eslint-disable @typescript-eslint/no-require-imports */
    const EbsVolumeClass = require('@cdktf/provider-aws/lib/ebs-volume').EbsVolume as typeof EbsVolume;
    const VolumeAttachmentClass = require('@cdktf/provider-aws/lib/volume-attachment').VolumeAttachment as typeof VolumeAttachment;
    /* eslint-enable @typescript-eslint/no-require-imports */
    this.resource = new EbsVolumeClass(this, 'Resource', {
      availabilityZone: props.availabilityZone,
      size: v.sizeGiB,
      type: 'gp3',
      iops: v.iops,
      throughput: v.throughputMiBps,
      encrypted: true,
      kmsKeyId: v.kmsKeyId,
      // A snapshot at destroy would be billed and forgotten: DESTROY means what it says.
      finalSnapshot: false,
      tags,
      lifecycle: v.removalPolicy === DataVolumeRemovalPolicy.RETAIN ? { preventDestroy: true } : undefined,
    });
    this.attachment = new VolumeAttachmentClass(this, 'Attachment', {
      deviceName: props.deviceName,
      instanceId: props.instanceId,
      volumeId: this.resource.id,
      stopInstanceBeforeDetaching: true,
    });
    if (v.backup && props.backupRoleArn) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const DlmLifecyclePolicyClass = require('@cdktf/provider-aws/lib/dlm-lifecycle-policy').DlmLifecyclePolicy as typeof DlmLifecyclePolicy;
      this.backupPolicy = new DlmLifecyclePolicyClass(this, 'Backup', {
        description: `cdktf-isolation data volume ${v.name}: every ${v.backup.everyHours} h, keep ${v.backup.keep}`,
        executionRoleArn: props.backupRoleArn,
        state: 'ENABLED',
        policyDetails: {
          resourceTypes: ['VOLUME'],
          targetTags: { [DATA_VOLUME_TAG]: this.node.path },
          schedule: [{
            name: `every ${v.backup.everyHours} h, keep ${v.backup.keep}`,
            copyTags: true,
            createRule: { interval: v.backup.everyHours, intervalUnit: 'HOURS' },
            retainRule: { count: v.backup.keep },
          }],
        },
        tags: escapeTerraformTemplates(props.tags),
      });
    }
  }

  /** The EBS volume id. */
  public get volumeId(): string {
    return this.resource.id;
  }
}

/** The IAM role Data Lifecycle Manager assumes to snapshot a host's backed-up volumes. */
export class DataVolumeBackupRole extends Construct {
  /** The role (escape hatch). */
  public readonly resource: IamRole;

  constructor(scope: Construct, id: string, tags: { [key: string]: string }) {
    super(scope, id);
    this.resource = new IamRole(this, 'Resource', {
      description: `cdktf-isolation data volume snapshots of ${scope.node.path}`.slice(0, 1000),
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'dlm.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
      tags: escapeTerraformTemplates(tags),
    });
    new IamRolePolicyAttachment(this, 'DataLifecycleManager', {
      role: this.resource.name,
      policyArn: 'arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole',
    });
  }
}
