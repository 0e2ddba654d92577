import type { DataAwsEc2InstanceType } from '@cdktf/provider-aws/lib/data-aws-ec2-instance-type';
import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import { InstanceTypeInfo, InstanceTypes, InstanceTypeSize } from '../core/instance-types';
import { Architecture } from '../core/os-family';
import { IsolationError } from '../private/errors';
import { escapeTerraformTemplate } from '../private/terraform-string';
import { TerraformPrecondition } from '../terraform/preconditions';
import { literalArg } from '../terraform/tokens';

/** An instance type as a host uses it: its size and architecture, and what Terraform must check when the type is known only at apply. */
export interface ResolvedInstanceType {
  /** The type (its numbers are tokens when the name is one). */
  readonly info: InstanceTypeInfo;
  /** True when the name is a token. */
  readonly lookedUp: boolean;
  /** The preconditions of a looked-up type for a host whose image has `architecture`. */
  readonly preconditions: (osName: string) => TerraformPrecondition[];
}

/**
 * The instance type of a host: from the library's catalog when the name is
 * known at synth, else from the `aws_ec2_instance_type` data source (a
 * construct `InstanceType` under the host), whose vCPUs, memory and
 * architectures Terraform checks before the host is created.
 */
export class InstanceTypeLookup {
  /**
   * @param scope the host
   * @param name the instance type (a token or a catalog name)
   * @param size the size of a type the catalog does not list
   * @param architecture the architecture of a looked-up type's image (the machine image's, else x86_64)
   */
  public static resolve(
    scope: Construct, name: string, size: InstanceTypeSize | undefined, architecture: Architecture | undefined,
  ): ResolvedInstanceType {
    const path = scope.node.path;
    if (!Token.isUnresolved(name)) {
      return { info: InstanceTypes.resolve(path, 'instanceType', name, size, 'instanceTypeSize'), lookedUp: false, preconditions: () => [] };
    }
    if (size !== undefined) {
      throw new IsolationError(path, 'instanceTypeSize', 'must be left out when instanceType is a Terraform reference (its size is looked up)', size,
        'Remove instanceTypeSize: the host reads the vCPUs and memory of the type from EC2 (data.aws_ec2_instance_type) at plan.');
    }
    // Loaded on first use: only a type known at apply needs the lookup.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const DataClass = require('@cdktf/provider-aws/lib/data-aws-ec2-instance-type').DataAwsEc2InstanceType as typeof DataAwsEc2InstanceType;
    const data = new DataClass(scope, 'InstanceType', { instanceType: name });
    const arch = architecture ?? Architecture.X86_64;
    const info: InstanceTypeInfo = {
      name,
      vcpus: Token.asNumber(data.defaultVcpus),
      memoryMiB: Token.asNumber(data.memorySize),
      architecture: arch,
      burstable: false,
    };
    return {
      info,
      lookedUp: true,
      preconditions: (osName) => [{
        condition: Fn.contains(data.supportedArchitectures, literalArg(arch)),
        errorMessage: `${escapeTerraformTemplate(`${path}: 'instanceType' must boot the host's ${arch} image (${osName})`)}, got ${Fn.jsonencode(name)}` +
          ` (${Fn.join(', ', data.supportedArchitectures)}). Use an ${arch} instance type, or a machineImage of the type's architecture.`,
      }],
    };
  }

  private constructor() {}
}
