import { IsolationError } from '../private/errors';
import { Tokens } from '../private/tokens';
import { Check, checkTags } from '../private/validate';

/** What `cdktf destroy` (or removing a data volume from the code) does to its EBS volume. */
export enum DataVolumeRemovalPolicy {
  /**
   * Terraform refuses to destroy the volume (`prevent_destroy`): a plan
   * that would delete it fails. To delete it on purpose, set DESTROY and
   * deploy, then remove the volume (see the README, "Data").
   */
  RETAIN = 'retain',
  /** The volume is destroyed with the stack, or when it leaves the code, with the data on it. */
  DESTROY = 'destroy',
}

/** Snapshots of a data volume through Amazon Data Lifecycle Manager. */
export interface DataVolumeBackup {
  /**
   * Hours between snapshots: 1, 2, 3, 4, 6, 8, 12 or 24 (the intervals DLM accepts).
   * @default 24
   */
  readonly everyHours?: number;
  /**
   * How many snapshots to keep (1 to 1000); the oldest is deleted when a new one is taken.
   * @default 7
   */
  readonly keep?: number;
}

/**
 * A data volume of a host: an encrypted EBS volume attached to it, found
 * on the host by its volume id, formatted (ext4) only when it holds no
 * filesystem, mounted before the containers that use it start. It
 * outlives the host: a replaced host gets the same volume, with its data.
 */
export interface DataVolumeOptions {
  /**
   * The name containers mount it by (`volumes: [{ source: 'pgdata', target: ... }]`):
   * letters, digits, `_`, `.`, `-`, at most 63 characters.
   */
  readonly name: string;
  /** Size in GiB, 1 to 16384. */
  readonly sizeGiB: number;
  /**
   * Provisioned IOPS (gp3: 3000 to 16000, at most 500 per GiB).
   * @default 3000 (gp3's baseline)
   */
  readonly iops?: number;
  /**
   * Provisioned throughput in MiB/s (gp3: 125 to 1000, at most a quarter of the IOPS).
   * @default 125 (gp3's baseline)
   */
  readonly throughputMiBps?: number;
  /**
   * KMS key (ARN or id) that encrypts the volume. The volume is always encrypted.
   * @default - the account's default EBS key (aws/ebs)
   */
  readonly kmsKeyId?: string;
  /**
   * What happens to the volume when the stack is destroyed or the volume leaves the code.
   * @default DataVolumeRemovalPolicy.RETAIN
   */
  readonly removalPolicy?: DataVolumeRemovalPolicy;
  /**
   * Snapshots through Amazon Data Lifecycle Manager.
   * @default - no snapshots (the report says so)
   */
  readonly backup?: DataVolumeBackup;
  /**
   * More tags for the volume.
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/** A validated snapshot schedule. */
export interface ResolvedDataVolumeBackup {
  /** Hours between snapshots. */
  readonly everyHours: number;
  /** Snapshots kept. */
  readonly keep: number;
}

/** A validated data volume with every default applied. */
export interface ResolvedDataVolume {
  /** The name containers mount it by. */
  readonly name: string;
  /** Size in GiB. */
  readonly sizeGiB: number;
  /** Provisioned IOPS. */
  readonly iops: number;
  /** Provisioned throughput in MiB/s. */
  readonly throughputMiBps: number;
  /**
   * The KMS key.
   * @default - aws/ebs
   */
  readonly kmsKeyId?: string;
  /** Whether Terraform may destroy it. */
  readonly removalPolicy: DataVolumeRemovalPolicy;
  /**
   * The snapshot schedule.
   * @default - not backed up
   */
  readonly backup?: ResolvedDataVolumeBackup;
  /** The volume's own tags. */
  readonly tags: { [key: string]: string };
  /** Where the host mounts the volume's filesystem. */
  readonly mountDirectory: string;
  /** The directory of the filesystem that containers get (not its root, which holds lost+found). */
  readonly dataDirectory: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const DLM_INTERVALS = [1, 2, 3, 4, 6, 8, 12, 24];

/** The data volumes of a host: validation, defaults and where they live on it. */
export class DataVolumes {
  /** The directory under which the host mounts its data volumes (one directory per volume). */
  public static readonly MOUNT_ROOT = '/var/lib/cdktf-isolation/volumes';
  /** gp3's limits. */
  public static readonly MIN_SIZE_GIB = 1;
  public static readonly MAX_SIZE_GIB = 16384;
  public static readonly MIN_IOPS = 3000;
  public static readonly MAX_IOPS = 16000;
  public static readonly MIN_THROUGHPUT = 125;
  public static readonly MAX_THROUGHPUT = 1000;

  /** Where a volume's filesystem is mounted. */
  public static mountDirectory(name: string): string {
    return `${DataVolumes.MOUNT_ROOT}/${name}`;
  }

  /** The systemd unit that mounts a volume at every boot. */
  public static unitName(name: string): string {
    return `cdktf-isolation-volume-${name}.service`;
  }

  /**
   * Validates a host's data volumes (`prop` is the list's prop, e.g. `dataVolumes`).
   * @param path construct path, for error messages
   */
  public static resolve(path: string, prop: string, volumes: DataVolumeOptions[] | undefined): ResolvedDataVolume[] {
    const list = Check.objectList(path, prop, volumes, "{ name: 'pgdata', sizeGiB: 20 }");
    const resolved = list.map((v, i) => DataVolumes.one(path, `${prop}[${i}]`, v));
    resolved.forEach((v, i) => {
      const first = resolved.findIndex((o) => o.name === v.name);
      if (first !== i) {
        throw new IsolationError(path, `${prop}[${i}].name`, `must be unique on the host (${prop}[${first}] has it too)`, v.name,
          'Give each data volume of a host its own name.');
      }
    });
    return resolved;
  }

  private static one(path: string, p: string, v: DataVolumeOptions): ResolvedDataVolume {
    const name = Check.known(path, `${p}.name`, v.name, 'it names the volume\'s directory and unit on the host, and containers mount it by name');
    Check.matches(path, `${p}.name`, name, NAME, "a name of letters, digits, '_', '.', '-' (at most 63 characters, starting with a letter or digit)",
      "Use a short name such as 'pgdata'.");
    const sizeGiB = Check.integerInRange(path, `${p}.sizeGiB`, v.sizeGiB, DataVolumes.MIN_SIZE_GIB, DataVolumes.MAX_SIZE_GIB,
      'A gp3 volume holds 1 to 16384 GiB.');
    const iops = Check.integerInRange(path, `${p}.iops`, v.iops ?? DataVolumes.MIN_IOPS, DataVolumes.MIN_IOPS, DataVolumes.MAX_IOPS,
      'A gp3 volume provisions 3000 (the baseline, included) to 16000 IOPS; leave iops out for 3000.');
    const throughputMiBps = Check.integerInRange(path, `${p}.throughputMiBps`, v.throughputMiBps ?? DataVolumes.MIN_THROUGHPUT,
      DataVolumes.MIN_THROUGHPUT, DataVolumes.MAX_THROUGHPUT, 'A gp3 volume provisions 125 (the baseline, included) to 1000 MiB/s; leave throughputMiBps out for 125.');
    const known = (...values: number[]) => !values.some((x) => Tokens.isUnresolved(x));
    if (v.iops !== undefined && known(iops, sizeGiB) && iops > 500 * sizeGiB) {
      throw new IsolationError(path, `${p}.iops`, `must be at most 500 per GiB (${500 * sizeGiB} for ${sizeGiB} GiB)`, iops,
        `Lower iops to ${500 * sizeGiB} or less, or make the volume at least ${Math.ceil(iops / 500)} GiB.`);
    }
    if (v.throughputMiBps !== undefined && known(iops, throughputMiBps) && throughputMiBps * 4 > iops) {
      throw new IsolationError(path, `${p}.throughputMiBps`, `must be at most a quarter of the IOPS (${Math.floor(iops / 4)} MiB/s for ${iops} IOPS)`,
        throughputMiBps, `Lower throughputMiBps to ${Math.floor(iops / 4)} or less, or raise iops to at least ${throughputMiBps * 4}.`);
    }
    Check.kmsKey(path, `${p}.kmsKeyId`, v.kmsKeyId);
    const removalPolicy = v.removalPolicy === undefined ? DataVolumeRemovalPolicy.RETAIN
      : Check.oneOf(path, `${p}.removalPolicy`, Check.known(path, `${p}.removalPolicy`, v.removalPolicy, 'it decides whether Terraform may destroy the data'),
        Object.values(DataVolumeRemovalPolicy));
    let backup: ResolvedDataVolume['backup'];
    if (v.backup !== undefined) {
      const b = Check.props(path, v.backup, '{ everyHours: 24, keep: 7 }', false);
      const everyHours = Check.known(path, `${p}.backup.everyHours`, b.everyHours ?? 24, 'it is the snapshot schedule, checked at synth');
      if (!DLM_INTERVALS.includes(everyHours)) {
        throw new IsolationError(path, `${p}.backup.everyHours`, `must be one of ${DLM_INTERVALS.join(', ')}`, everyHours,
          'Data Lifecycle Manager takes snapshots at these intervals; 24 is once a day.');
      }
      const keep = Check.integerInRange(path, `${p}.backup.keep`, b.keep ?? 7, 1, 1000, 'Data Lifecycle Manager keeps 1 to 1000 snapshots of a schedule.');
      backup = { everyHours, keep };
    }
    const mountDirectory = DataVolumes.mountDirectory(name);
    return {
      name,
      sizeGiB,
      iops,
      throughputMiBps,
      kmsKeyId: v.kmsKeyId,
      removalPolicy,
      backup,
      tags: checkTags(path, `${p}.tags`, v.tags),
      mountDirectory,
      dataDirectory: `${mountDirectory}/data`,
    };
  }

  private constructor() {}
}
