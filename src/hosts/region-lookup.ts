import type { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import type { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { Construct } from 'constructs';

/**
 * The region and partition of a network (data sources `Region` and
 * `Partition` under it), looked up once and only when a part needs them:
 * the VPC endpoints' service names, the flow log role's condition.
 */
export class RegionLookup {
  private regionLookup?: DataAwsRegion;
  private partitionLookup?: DataAwsPartition;

  constructor(private readonly scope: Construct) {}

  /** The region lookup. */
  public region(): DataAwsRegion {
    // Loaded on first use, like the network's other modules (bench/RESULTS.md).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.regionLookup ??= new (require('@cdktf/provider-aws/lib/data-aws-region').DataAwsRegion as typeof DataAwsRegion)(this.scope, 'Region', {});
    return this.regionLookup;
  }

  /** The partition lookup. */
  public partition(): DataAwsPartition {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.partitionLookup ??= new (require('@cdktf/provider-aws/lib/data-aws-partition').DataAwsPartition as typeof DataAwsPartition)(this.scope, 'Partition', {});
    return this.partitionLookup;
  }
}
