import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Annotations } from 'cdktf';
import { Construct } from 'constructs';
import { IsolationReport } from './isolation-report';
import { ContainerIngress, ContainerOnVm } from '../containers/container-on-vm';
import { Capacity } from '../core/capacity';
import { ContainerOptions } from '../core/container-options';
import { Ingress, IngressRule } from '../core/ingress';
import { InstanceTypeInfo, InstanceTypes, InstanceTypeSize } from '../core/instance-types';
import { Placement, PlacementItem, PlacementResult, PlacementStrategy } from '../core/placement';
import { ReportHost } from '../core/report';
import type { IHostNetwork } from '../hosts/host-network';
import { IMachineImage } from '../hosts/machine-image';
import { NetworkLookup } from '../hosts/network-lookup';
import { NetworkUse } from '../hosts/network-use';
import { VmHost } from '../hosts/vm-host';
import { collectDeferred } from '../private/deferred';
import { IsolationError } from '../private/errors';
import { PlacementLock, PoolPlacement } from '../private/placement-lock';
import { Check } from '../private/validate';
import { onRealSynthesis } from '../terraform/custom-synthesis';

/** Why a pool's sizes must be known at synth. */
const PLACEMENT = 'the pool places its apps on hosts at synth by their sizes';

/** Props of `HostPool`. */
export interface HostPoolProps {
  /**
   * Instance type of every host of the pool (it must be in the instance catalog).
   * @default 't3.medium'
   */
  readonly instanceType?: string;
  /**
   * The size of an instance type the catalog does not list yet (see VmHostProps.instanceTypeSize).
   * @default - the type must be in the catalog
   */
  readonly instanceTypeSize?: InstanceTypeSize;
  /**
   * Image of every host.
   * @default - Amazon Linux 2023
   */
  readonly machineImage?: IMachineImage;
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
   * container would replace two hosts). The pool reads the file when it is
   * created, and a real `App` synthesis (what `cdktf synth` and `cdktf
   * deploy` run) writes the placement back; cdktf's `Testing` never writes
   * it. Commit it, like a package lock, so that syntheses in CI place as
   * your last one did. Several pools, in one stack or several, may share
   * the file: each keeps its own entry under its construct path. A relative
   * path is resolved against the working directory of the synthesis (for
   * `cdktf synth`, the directory of `cdktf.json`). Cannot be combined with
   * `previousPlacement`.
   * @default - none: the placement follows the declaration order alone, so
   * an app declared before existing ones can move them
   */
  readonly placementFile?: string;
  /**
   * The network of the hosts (see VmHostProps.network): host `i` goes into
   * the network's host subnet `i` (the zones in turn).
   * @default - `vpcId`/`subnetId`; without them the default VPC, with a warning on each host
   */
  readonly network?: IHostNetwork;
  /**
   * Subnet of the hosts, for a VPC of your own without a `network`.
   * @default - the network's host subnets in turn, or the default VPC's first subnet
   */
  readonly subnetId?: string;
  /**
   * VPC of the hosts, for a VPC of your own without a `network`.
   * @default - the network's VPC, the subnet's VPC, or the default VPC
   */
  readonly vpcId?: string;
  /**
   * Extra inbound rules on every host.
   * @default - none
   */
  readonly ingress?: IngressRule[];
}

/** A container app the pool places (IsolatedApp adds them). */
interface PoolApp {
  /** The app's scope: its container is created under it, with id `Container`. */
  readonly scope: Construct;
  readonly container: ContainerOptions;
  readonly ingress?: ContainerIngress[];
  /** CPUs to reserve for placement. */
  readonly cpus: number;
  /** Declaration order. */
  readonly order: number;
  containerOnVm?: ContainerOnVm;
  hostIndex?: number;
}

/** What `_addApp` hands back: the app's current container and host index. */
export interface PooledApp {
  /** The app's container. */
  readonly container: () => ContainerOnVm;
  /** The index of the app's host. */
  readonly hostIndex: () => number;
}

/**
 * Hosts shared by container apps. The pool creates the `VmHost`s its apps
 * need and places each app's container on one, deterministically and by
 * default stably. It places while the program builds the tree: each app
 * added re-places the pool's apps, creating, moving or removing only what
 * changed, so after every constructor the tree is complete and every
 * Aspect sees the pool's hosts and containers.
 */
export class HostPool extends Construct {
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

  /** The network of the pool's hosts, when it was given one. */
  public get network(): IHostNetwork | undefined {
    return this.props.network;
  }
  private readonly type: InstanceTypeInfo;
  private readonly apps: PoolApp[] = [];
  private readonly hostAt = new Map<number, VmHost>();
  private readonly previous?: PoolPlacement;
  private moved: string[] = [];

  constructor(scope: Construct, id: string, props?: HostPoolProps) {
    super(scope, id);
    const path = this.node.path;
    props = Check.props(path, props, "{ instanceType: 't3.medium' }", true);
    // What the pool hands its hosts is checked here, under the pool's name; each
    // host checks it again and hands what is known only at apply to Terraform.
    collectDeferred(() => {
      Check.objectList(path, 'ingress', props!.ingress, "{ port: 443, cidr: '10.0.0.0/16' }").forEach((r, i) => Ingress.validate(path, r, `ingress[${i}]`));
      if (props!.subnetId !== undefined) NetworkLookup.subnetId(path, 'subnetId', props!.subnetId);
      if (props!.vpcId !== undefined) NetworkLookup.vpcId(path, 'vpcId', props!.vpcId);
    });
    if (props.network !== undefined) {
      NetworkUse.check(path, props.network);
      const fix = 'Leave vpcId and subnetId out: the hosts go into the network\'s host subnets, the zones in turn.';
      NetworkUse.refuseBeside(path, 'vpcId', props.vpcId, fix);
      NetworkUse.refuseBeside(path, 'subnetId', props.subnetId, fix);
    }
    this.props = props;
    this.type = InstanceTypes.resolve(path, 'instanceType', Check.known(path, 'instanceType', props.instanceType ?? 't3.medium', PLACEMENT),
      Check.known(path, 'instanceTypeSize', props.instanceTypeSize, PLACEMENT), 'instanceTypeSize');
    this.instanceType = this.type.name;
    this.maxHosts = Check.integerInRange(path, 'maxHosts', Check.known(path, 'maxHosts', props.maxHosts ?? 10, PLACEMENT), 1, 1000);
    this.strategy = Check.oneOf(path, 'strategy', Check.known(path, 'strategy', props.strategy ?? PlacementStrategy.STABLE, PLACEMENT), Object.values(PlacementStrategy));
    for (const [app, index] of Object.entries(props.previousPlacement ?? {})) {
      Check.integerInRange(path, `previousPlacement.${app}`, Check.known(path, `previousPlacement.${app}`, index, PLACEMENT), 0, this.maxHosts - 1);
    }
    this.previous = props.previousPlacement;
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
      this.previous = this.readPlacementFile().pools[path];
      onRealSynthesis(this, () => this.writePlacementFile());
    }
    this.node.addValidation({
      validate: () => {
        // Reported once, for the final placement (an app added later may move another again).
        if (this.moved.length > 0) {
          Annotations.of(this).addWarning(`apps moved to another host because their earlier host no longer holds them: ${this.moved.join(', ')}. ` +
            'Each move changes the user data of both hosts, so Terraform replaces them.');
          this.moved = [];
        }
        return [];
      },
    });
    IsolationReport.of(this)._addSource(() => ({ apps: [], hosts: this.reportHosts() }));
  }

  /** The pool's hosts, in index order (what the apps added so far need). */
  public get hosts(): VmHost[] {
    return [...this.hostAt.entries()].sort(([a], [b]) => a - b).map(([, host]) => host);
  }

  /** Host index of each app (the value to pass back as `previousPlacement`). */
  public placement(): { [app: string]: number } {
    return Object.fromEntries(this.apps.map((a) => [a.container.name, a.hostIndex!]));
  }

  /**
   * Adds a container app and places it (IsolatedApp does this).
   * @internal
   */
  public _addApp(app: { scope: Construct; container: ContainerOptions; ingress?: ContainerIngress[]; cpus: number }): PooledApp {
    const entry: PoolApp = { ...app, order: this.apps.length };
    const name = app.container?.name;
    Check.known(app.scope.node.path, 'container.memoryMiB', app.container?.memoryMiB, PLACEMENT);
    Check.known(app.scope.node.path, app.container?.cpus !== undefined ? 'container.cpus' : 'requirements.cpus', app.cpus, PLACEMENT);
    if (this.apps.some((a) => a.container.name === name)) {
      throw new IsolationError(app.scope.node.path, 'container.name', `must be unique in pool ${this.node.path}`, name, 'Give each app of the pool its own container name.');
    }
    this.checkFits(entry);
    this.apps.push(entry);
    try {
      this.place();
    } catch (e) {
      this.apps.pop();
      throw e;
    }
    return { container: () => entry.containerOnVm!, hostIndex: () => entry.hostIndex! };
  }

  /** An app too large for any host of the pool is an error at the app, naming the pool's instance type and one that holds it. */
  private checkFits(app: PoolApp): void {
    const path = app.scope.node.path;
    const memoryMiB = app.container.memoryMiB;
    if (typeof memoryMiB !== 'number') return; // the container's own validation names it
    const load = { memoryMiB, cpus: app.cpus, container: true };
    const problems = Capacity.problems(this.type, [load]);
    if (problems.length === 0) return;
    const family = this.instanceType.split('.')[0];
    const bigger = Capacity.smallestFitting(family, [load]);
    const advice = `${bigger ? `Give the pool a larger instance type (${bigger.name} holds it)` : 'Give the pool a larger instance type'}, lower the app's limits, or give the app a VM of its own.`;
    const memory = problems.find((p) => p.kind === 'memory');
    if (memory) {
      throw new IsolationError(path, 'container.memoryMiB',
        `must fit a host of pool ${this.node.path} (${this.instanceType}: ${this.type.memoryMiB} MiB, ${Capacity.usableMemoryMiB(this.type)} MiB for containers ` +
        `after the ${Capacity.HOST_MEMORY_MIB} MiB OS reserve, and ${Capacity.PER_CONTAINER_MEMORY_MIB} MiB of overhead per container)`, memoryMiB, advice);
    }
    throw new IsolationError(path, app.container.cpus !== undefined ? 'container.cpus' : 'requirements.cpus',
      `must fit a host of pool ${this.node.path} (${this.instanceType}: ${this.type.vcpus} vCPUs, ${Capacity.usableVcpus(this.type).toFixed(1)} for containers after the OS reserve)`,
      app.cpus, advice);
  }

  /** Places every app and brings the tree in line: new hosts, moved containers, removed empty hosts. */
  private place(): void {
    const type = this.type;
    const items: PlacementItem[] = this.apps.map((a) => ({ id: a.container.name, memoryMiB: a.container.memoryMiB, cpus: a.cpus }));
    const result: PlacementResult = Placement.place(items, { memoryMiB: type.memoryMiB, vcpus: type.vcpus }, {
      strategy: this.strategy,
      maxHosts: this.maxHosts,
      previous: this.previous,
      path: this.node.path,
    });
    this.moved = result.moved;
    // Containers that change host leave the old one first.
    for (const app of this.apps) {
      const target = result.hostOf[app.container.name];
      if (app.containerOnVm && app.hostIndex !== target) {
        this.hostAt.get(app.hostIndex!)?._unregisterContainer(app.containerOnVm);
        app.scope.node.tryRemoveChild(app.containerOnVm.node.id);
        app.containerOnVm = undefined;
      }
    }
    // Hosts left empty are removed; a host whose apps all left an earlier
    // placement keeps its index (the hosts after it keep their names) but
    // is not created: it would idle.
    for (const [index, host] of this.hostAt) {
      if (!result.hosts[index] || result.hosts[index].length === 0) {
        this.node.tryRemoveChild(host.node.id);
        this.hostAt.delete(index);
      }
    }
    result.hosts.forEach((ids, index) => {
      if (ids.length === 0 || this.hostAt.has(index)) return;
      this.hostAt.set(index, new VmHost(this, `Host${index}`, {
        instanceType: this.instanceType,
        instanceTypeSize: this.props.instanceTypeSize,
        machineImage: this.props.machineImage,
        network: this.props.network,
        subnetId: this.props.network ? this.props.network.hostSubnetId(index) : this.props.subnetId,
        vpcId: this.props.vpcId,
        ingress: this.props.ingress,
      }));
    });
    for (const app of this.apps) {
      app.hostIndex = result.hostOf[app.container.name];
      if (app.containerOnVm) continue;
      app.containerOnVm = new ContainerOnVm(app.scope, 'Container', {
        ...app.container,
        host: this.hostAt.get(app.hostIndex)!,
        ingress: app.ingress,
      });
    }
    // Containers are listed on their host in declaration order, whatever the packing order.
    const order = new Map(this.apps.map((a) => [a.containerOnVm!, a.order]));
    for (const host of this.hostAt.values()) host._orderContainers((owner) => order.get(owner as ContainerOnVm) ?? 0);
  }

  private reportHosts(): ReportHost[] {
    return this.hosts.map((h) => ({
      path: h.node.path,
      instanceType: h.instanceType,
      kind: 'pool',
      apps: [],
      ...h.instanceTypeSize,
      reach: h.networkReach,
      updates: h.updatePath,
      ...(h.dataVolumes.length > 0 ? { dataVolumes: h.dataVolumeSummary } : {}),
    }));
  }

  /** The placement file's text and pools; no text and no pools when it does not exist yet. */
  private readPlacementFile(): { text?: string; pools: { [pool: string]: PoolPlacement } } {
    const file = this.placementFile!;
    if (!existsSync(file)) return { pools: {} };
    const text = readFileSync(file, 'utf8');
    return { text, pools: PlacementLock.parse(text, file, this.node.path, 'placementFile') };
  }

  /** Writes this pool's placement into the file (read again first: other pools may share it), when it changed. */
  private writePlacementFile(): void {
    const file = this.placementFile!;
    const { text: before, pools } = this.readPlacementFile();
    const text = PlacementLock.withPool(pools, this.node.path, this.placement());
    if (text === before) return;
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  }
}
