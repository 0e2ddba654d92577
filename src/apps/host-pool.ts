import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Annotations, Aspects, IAspect, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { ContainerIngress, ContainerOnVm } from '../containers/container-on-vm';
import { ContainerOptions } from '../core/container-spec';
import { IsolationError } from '../private/errors';
import { InstanceTypes } from '../core/instance-types';
import { Placement, PlacementItem, PlacementStrategy } from '../core/placement';
import { PlacementLock, PoolPlacement } from '../private/placement-lock';
import { Check } from '../private/validate';
import { IngressRule } from '../hosts/host-parts';
import { IReportSource, IsolationReport, ReportEntriesConfig } from './isolation-report';
import { MachineImage } from '../hosts/machine-image';
import { VmHost } from '../hosts/vm-host';

/** Props of `HostPool`. */
export interface HostPoolProps {
  /**
   * Instance type of every host of the pool (it must be in the instance catalog).
   * @default 't3.medium'
   */
  readonly instanceType?: string;
  /**
   * Image of every host.
   * @default - Amazon Linux 2023
   */
  readonly machineImage?: MachineImage;
  /**
   * Most hosts the pool may create.
   * @default 10
   */
  readonly maxHosts?: number;
  /**
   * Placement strategy.
   * @default PlacementStrategy.STABLE
   */
  readonly strategy?: PlacementStrategy;
  /**
   * Host index per app from an earlier synthesis (what `placement()`
   * returned then); `placementFile` keeps this map for you.
   * Apps listed keep their host while they fit, wherever new apps are declared.
   * @default - none
   */
  readonly previousPlacement?: { [app: string]: number };
  /**
   * A JSON file that carries the placement from one synthesis to the next,
   * so apps keep their host wherever new apps are declared (a moved
   * container would replace two hosts). The pool reads the file when it
   * exists and writes its placement back at synthesis; commit it, like a
   * package lock, so that syntheses in CI place as your last one did.
   * Several pools, in one stack or several, may share the file: each keeps
   * its own entry under its construct path. A relative path is resolved
   * against the working directory of the synthesis (for `cdktf synth`, the
   * directory of `cdktf.json`). Cannot be combined with `previousPlacement`.
   * Every synthesis writes the file, unit tests too: give tests that build
   * the stack under another id (or with other apps) no file, or a temporary one.
   * @default - none: the placement follows the declaration order alone, so
   * an app declared before existing ones can move them
   */
  readonly placementFile?: string;
  /**
   * Subnet of the hosts.
   * @default - the default VPC's first subnet
   */
  readonly subnetId?: string;
  /**
   * VPC of the hosts.
   * @default - the subnet's VPC, or the default VPC
   */
  readonly vpcId?: string;
  /**
   * Extra inbound rules on every host.
   * @default - none
   */
  readonly ingress?: IngressRule[];
}

/** A container app the pool will place. */
export interface PoolAppOptions {
  /** The app's scope: its container is created under it. */
  readonly scope: Construct;
  /** The container. */
  readonly container: ContainerOptions;
  /**
   * Security group openings for published ports.
   * @default - none
   */
  readonly ingress?: ContainerIngress[];
  /** CPUs to reserve for placement. */
  readonly cpus: number;
}

interface PoolApp extends PoolAppOptions {
  containerOnVm?: ContainerOnVm;
  hostIndex?: number;
}

/**
 * Hosts shared by container apps. The pool creates the `VmHost`s its apps
 * need and places each app's container on one, at synthesis (or when
 * `materialize()` is called): deterministic, and by default stable.
 */
export class HostPool extends Construct implements IReportSource {
  /** The instance type of the hosts. */
  public readonly instanceType: string;
  /** The placement strategy. */
  public readonly strategy: PlacementStrategy;
  /** Most hosts allowed. */
  public readonly maxHosts: number;
  /**
   * Absolute path of the placement lock file, when the pool has one.
   * @default - none
   */
  public readonly placementFile?: string;

  private readonly props: HostPoolProps;
  private readonly apps: PoolApp[] = [];
  private readonly createdHosts: VmHost[] = [];
  private materialized = false;

  constructor(scope: Construct, id: string, props: HostPoolProps = {}) {
    super(scope, id);
    const path = this.node.path;
    this.props = props;
    this.instanceType = InstanceTypes.validate(path, 'instanceType', props.instanceType ?? 't3.medium');
    if (!InstanceTypes.lookup(this.instanceType)) {
      throw new IsolationError(path, 'instanceType', 'must be in the instance catalog (its memory and vCPUs decide placement)', this.instanceType,
        'Use a type of the t3, t4g, m6i, m7g, c6i, c7g or r6i families, e.g. \'t3.medium\' or \'m7g.large\'.');
    }
    this.maxHosts = Check.integerInRange(path, 'maxHosts', props.maxHosts ?? 10, 1, 1000);
    this.strategy = Check.oneOf(path, 'strategy', props.strategy ?? PlacementStrategy.STABLE, Object.values(PlacementStrategy));
    for (const [app, index] of Object.entries(props.previousPlacement ?? {})) {
      Check.integerInRange(path, `previousPlacement.${app}`, index, 0, this.maxHosts - 1);
    }
    if (props.placementFile !== undefined) {
      if (typeof props.placementFile !== 'string' || props.placementFile.trim() === '') {
        throw new IsolationError(path, 'placementFile', 'must be the path of a JSON file', props.placementFile,
          'Give a path such as \'placement.lock.json\', or leave placementFile out.');
      }
      if (props.previousPlacement !== undefined) {
        throw new IsolationError(path, 'placementFile', 'cannot be combined with previousPlacement: both give the earlier placement', props.placementFile,
          'Keep one: placementFile reads and writes the placement by itself.');
      }
      this.placementFile = resolve(props.placementFile);
    }
    const pool = this;
    const materializer: IAspect = {
      visit(node: IConstruct) {
        if (node === TerraformStack.of(pool)) pool.materialize();
      },
    };
    Aspects.of(TerraformStack.of(this)).add(materializer);
    IsolationReport.of(this)._addSource(this);
  }

  /** The pool's hosts in the report (apps report themselves). */
  public reportEntries(): ReportEntriesConfig {
    return { apps: [], hosts: this.hosts.map((h) => ({ path: h.node.path, instanceType: h.instanceType, kind: 'pool', apps: [] })) };
  }

  /** The hosts (places the apps first, if not done yet). */
  public get hosts(): VmHost[] {
    this.materialize();
    return [...this.createdHosts];
  }

  /**
   * Adds a container app; it is placed when the pool materializes.
   * @internal
   */
  public _addApp(app: PoolAppOptions): { container: () => ContainerOnVm; hostIndex: () => number } {
    if (this.materialized) {
      throw new IsolationError(app.scope.node.path, 'pool', `cannot take more apps: pool ${this.node.path} has already placed its apps`, this.node.path,
        'Create every app before reading the pool\'s hosts (or an app\'s host).');
    }
    const entry: PoolApp = { ...app };
    this.apps.push(entry);
    return {
      container: () => {
        this.materialize();
        return entry.containerOnVm!;
      },
      hostIndex: () => {
        this.materialize();
        return entry.hostIndex!;
      },
    };
  }

  /** Host index of each app (the value to pass back as `previousPlacement`). */
  public placement(): { [app: string]: number } {
    this.materialize();
    return Object.fromEntries(this.apps.map((a) => [a.container.name, a.hostIndex!]));
  }

  /**
   * Places the apps and creates the hosts and containers. Runs once, at
   * synthesis at the latest; adding apps afterwards is an error.
   */
  public materialize(): void {
    if (this.materialized) return;
    this.materialized = true;
    const type = InstanceTypes.lookup(this.instanceType)!;
    const items: PlacementItem[] = this.apps.map((a) => ({ id: a.container.name, memoryMiB: a.container.memoryMiB, cpus: a.cpus }));
    const previous = this.placementFile !== undefined ? this.readPlacementFile().pools[this.node.path] : this.props.previousPlacement;
    const result = Placement.place(items, { memoryMiB: type.memoryMiB, vcpus: type.vcpus }, {
      strategy: this.strategy,
      maxHosts: this.maxHosts,
      previous,
      path: this.node.path,
    });
    if (result.moved.length > 0) {
      Annotations.of(this).addWarning(`apps moved to another host because their earlier host no longer holds them: ${result.moved.join(', ')}. ` +
        'Each move changes the user data of both hosts, so Terraform replaces them.');
    }
    const hostAt: VmHost[] = [];
    result.hosts.forEach((ids, i) => {
      // A host whose apps all left an earlier placement keeps its index (the
      // hosts after it keep their names) but is not created: it would idle.
      if (ids.length === 0) return;
      hostAt[i] = new VmHost(this, `Host${i}`, {
        instanceType: this.instanceType,
        machineImage: this.props.machineImage,
        subnetId: this.props.subnetId,
        vpcId: this.props.vpcId,
        ingress: this.props.ingress,
      });
      this.createdHosts.push(hostAt[i]);
    });
    // Containers join their hosts in declaration order, whatever the packing order.
    for (const app of this.apps) {
      app.hostIndex = result.hostOf[app.container.name];
      app.containerOnVm = new ContainerOnVm(app.scope, 'Container', {
        ...app.container,
        host: hostAt[app.hostIndex],
        ingress: app.ingress,
      });
    }
    if (this.placementFile !== undefined) this.writePlacementFile(result.hostOf);
  }

  /** The placement file's text and pools; no text and no pools when it does not exist yet. */
  private readPlacementFile(): { text?: string; pools: { [pool: string]: PoolPlacement } } {
    const file = this.placementFile!;
    if (!existsSync(file)) return { pools: {} };
    const text = readFileSync(file, 'utf8');
    return { text, pools: PlacementLock.parse(text, file, this.node.path, 'placementFile') };
  }

  /** Writes this pool's placement into the file (read again first: other pools may share it), when it changed. */
  private writePlacementFile(placement: PoolPlacement): void {
    const file = this.placementFile!;
    const { text: before, pools } = this.readPlacementFile();
    const text = PlacementLock.withPool(pools, this.node.path, placement);
    if (text === before) return;
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  }
}
