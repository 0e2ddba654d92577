import type { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Construct } from 'constructs';
import { HostRole } from './host-role';
import { HostSecurityGroup } from './host-security-group';
import { InstanceSettings } from './instance-settings';
import { HostUserData } from './user-data';
import { OsFamilies, OsFamily } from '../core/os-family';
import { escapeTerraformTemplates } from '../private/terraform-string';
import { lazyString } from '../terraform/lazy';

/** What a fleet's launch template is made of. */
export interface FleetLaunchTemplateProps {
  readonly imageId: string;
  readonly instanceType: string;
  readonly osFamily: OsFamily;
  /** Root volume size in GiB (validated). */
  readonly rootSizeGiB: number;
  readonly role: HostRole;
  readonly securityGroup: HostSecurityGroup;
  /** The instances' user data (read at synth). */
  readonly userData: HostUserData;
  /** Tags, raw (escaped here). */
  readonly tags: { [key: string]: string };
}

/**
 * The launch template every instance of a HostFleet starts from (construct
 * `LaunchTemplate` under the fleet): the hardening of VmHost (IMDSv2 with
 * hop limit 1, an encrypted gp3 root volume, no public IP, the hosts' role
 * and security group) and the fleet's user data.
 */
export class FleetLaunchTemplate {
  public static create(scope: Construct, props: FleetLaunchTemplateProps): LaunchTemplate {
    // Loaded on first use, not with the library: most stacks never build a fleet (bench/RESULTS.md).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const LaunchTemplateClass = require('@cdktf/provider-aws/lib/launch-template').LaunchTemplate as typeof LaunchTemplate;
    const tags = escapeTerraformTemplates(props.tags);
    return new LaunchTemplateClass(scope, 'LaunchTemplate', {
      description: `cdktf-isolation fleet ${scope.node.path}`.slice(0, 255),
      imageId: props.imageId,
      instanceType: props.instanceType,
      updateDefaultVersion: true,
      ebsOptimized: 'true',
      iamInstanceProfile: { name: props.role.instanceProfile.name },
      metadataOptions: InstanceSettings.metadataOptions(1),
      blockDeviceMappings: [{
        deviceName: OsFamilies.traits(props.osFamily).rootDeviceName,
        ebs: { volumeType: 'gp3', volumeSize: props.rootSizeGiB, encrypted: 'true', deleteOnTermination: 'true' },
      }],
      networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: 'false', deleteOnTermination: 'true', securityGroups: [props.securityGroup.securityGroupId] }],
      monitoring: { enabled: false },
      userData: lazyString(() => props.userData.base64()),
      tagSpecifications: [{ resourceType: 'instance', tags }, { resourceType: 'volume', tags }],
      tags,
    });
  }

  private constructor() {}
}
