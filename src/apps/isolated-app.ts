import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { AppDecision, IsolationOverride } from './app-decision';
import { DedicatedVm, DedicatedVmOptions } from './app-dedicated-vm';
import { AppFleet, AppFleetOptions } from './app-fleet';
import { HostPool, PooledApp } from './host-pool';
import { IsolationReport } from './isolation-report';
import { ContainerIngress, ContainerOnVm } from '../containers/container-on-vm';
import { AppRequirements, Isolation, IsolationAdvisor, IsolationDecision, OperatingSystem } from '../core/advisor';
import { Capacity } from '../core/capacity';
import { ContainerOptions } from '../core/container-options';
import { NativeSetup, NativeSetups } from '../core/native';
import { OsFamilies, OsFamily } from '../core/os-family';
import { ReportApp, ReportHost } from '../core/report';
import { HostFleet } from '../hosts/host-fleet';
import type { IHostNetwork } from '../hosts/host-network';
import { VmHost } from '../hosts/vm-host';
import { IsolationError } from '../private/errors';
import { Check } from '../private/validate';

// Declared with the part each configures; exported with the construct (src/index.ts takes them from here).
export type { AppFleetOptions, DedicatedVmOptions, IsolationOverride };

/** Props of `IsolatedApp`. */
export interface IsolatedAppProps {
  /**
   * What the app needs; decides VM or container.
   * @default - a trusted, long-lived, single Linux process: a container
   */
  readonly requirements?: AppRequirements;
  /**
   * The app as a container (required for a container decision; on a VM
   * decision it runs alone on the app's VM when the reasons allow Docker).
   * @default - none
   */
  readonly container?: ContainerOptions;
  /**
   * Setup for an app that runs natively on its own VM (packages, files, a
   * systemd service). For an app that needs Windows, the VM runs Windows
   * Server: `packages` are Windows Server features, files have Windows
   * paths, and the service is a Windows service.
   * @default - none
   */
  readonly native?: NativeSetup;
  /**
   * The pool whose hosts container apps share (required for a container decision).
   * @default - none
   */
  readonly pool?: HostPool;
  /**
   * The network of the app's own VM or fleet (see VmHostProps.network). A
   * pooled app runs in its pool's network: give the network to the pool.
   * @default - `dedicatedVm`'s or `fleet`'s vpcId and subnets; without them the default VPC, with a warning
   */
  readonly network?: IHostNetwork;
  /**
   * Options for the app's own VM.
   * @default - see DedicatedVmOptions
   */
  readonly dedicatedVm?: DedicatedVmOptions;
  /**
   * Security group openings for the container's published ports.
   * @default - none
   */
  readonly containerIngress?: ContainerIngress[];
  /**
   * Overrides the advisor, with a mandatory reason.
   * @default - the advisor decides
   */
  readonly override?: IsolationOverride;
  /**
   * Replicas of a container app. Above one, the app runs on a HostFleet
   * (EC2 Auto Scaling) instead of the pool.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Fewest replicas (with maxReplicas: a scaling fleet).
   * @default - replicas
   */
  readonly minReplicas?: number;
  /**
   * Most replicas.
   * @default - replicas
   */
  readonly maxReplicas?: number;
  /**
   * Options of the fleet of a replicated container app.
   * @default - see AppFleetOptions
   */
  readonly fleet?: AppFleetOptions;
}
/**
 * An app described by its requirements. `IsolationAdvisor` decides VM or
 * container and says why; the app then becomes a `ContainerOnVm` on a host
 * of its pool, or gets a `VmHost` of its own. The decision goes into the
 * stack's isolation report and a Terraform output.
 */
export class IsolatedApp extends Construct {
  /** The app's name (the container's name, else the construct id). */
  public readonly name: string;
  /** What the advisor decided. */
  public readonly decision: IsolationDecision;
  /** The isolation the app gets (the decision, or the override). */
  public readonly isolation: Isolation;
  /** How it runs: `container` or `native`. */
  public readonly runsAs: string;
  /**
   * The OS family of the app's own VM, when the requirements decide it.
   * @default - a Linux host (the image's family)
   */
  public readonly osFamily?: OsFamily;

  private readonly props: IsolatedAppProps;
  private readonly dedicatedHost?: VmHost;
  private readonly dedicatedContainer?: ContainerOnVm;
  private readonly pooled?: PooledApp;
  /** The fleet, when the app runs replicated. */
  public readonly fleetHosts?: HostFleet;
  private readonly memoryMiB: number;
  private readonly cpus: number;

  constructor(scope: Construct, id: string, props: IsolatedAppProps) {
    super(scope, id);
    const path = this.node.path;
    this.props = Check.props(path, props, "{ pool, container: { name: 'web', image, memoryMiB: 256 } }", false);
    props = this.props;
    AppDecision.requireKnown(path, props);
    this.decision = IsolationAdvisor.decide(props.requirements ?? {}, path);
    this.name = props.container?.name ?? id;
    // A Windows app's native setup is validated as Windows below.
    if (props.native && props.requirements?.operatingSystem !== OperatingSystem.WINDOWS) NativeSetups.validate(props.native, path);
    this.isolation = AppDecision.isolation(path, this.decision, props);

    const requested = props.requirements?.memoryMiB;
    if (props.container && requested !== undefined && typeof props.container.memoryMiB === 'number' && requested > props.container.memoryMiB) {
      throw new IsolationError(path, 'requirements.memoryMiB', `must not exceed the container's memory limit (${props.container.memoryMiB} MiB)`, requested,
        'Raise container.memoryMiB to what the app needs, or lower requirements.memoryMiB.');
    }
    this.memoryMiB = props.container?.memoryMiB ?? requested ?? 0;
    this.cpus = props.container?.cpus ?? props.requirements?.cpus ?? 0;

    const report = IsolationReport.of(this);
    report._reserveName(this.name, path);
    if (this.isolation === Isolation.CONTAINER) {
      this.runsAs = 'container';
      if (!props.container) {
        throw new IsolationError(path, 'container', 'must be given: the app is placed as a container', undefined,
          `Describe the container (name, image, memoryMiB). Decision: ${this.explain()}`);
      }
      this.fleetHosts = AppFleet.create(this, props, this.name, { memoryMiB: this.memoryMiB, cpus: this.cpus });
      if (!this.fleetHosts) {
        if (!(props.pool instanceof HostPool)) {
          throw new IsolationError(path, 'pool', 'must be a HostPool: container apps share the hosts of a pool', props.pool === undefined ? undefined : String(props.pool),
            'Create a HostPool and pass it to every container app as pool.');
        }
        if (props.network !== undefined && props.network !== props.pool.network) {
          throw new IsolationError(path, 'network', `must be left out for an app on a pool: it runs in the network of pool ${props.pool.node.path}`,
            Construct.isConstruct(props.network) ? props.network.node.path : props.network, 'Give the network to the HostPool (its network prop) instead.');
        }
        this.pooled = props.pool._addApp({ scope: this, container: props.container, ingress: props.containerIngress, cpus: this.cpus });
      }
    } else {
      const plan = DedicatedVm.plan(path, this.decision, props);
      this.osFamily = plan.osFamily;
      this.runsAs = plan.useContainer ? 'container' : 'native';
      const vm = DedicatedVm.build(this, props, plan, this.name, { memoryMiB: this.memoryMiB, cpus: this.cpus });
      this.dedicatedHost = vm.host;
      this.dedicatedContainer = vm.container;
    }
    report._addSource(() => this.reportEntries());

    const output = new TerraformOutput(this, 'Isolation', {
      value: this.isolation,
      description: `Isolation of app ${this.name}: ${this.decision.reasons.map((r) => r.ruleId).join(', ')}`,
    });
    output.overrideLogicalId(`isolation_${this.name.replace(/[^A-Za-z0-9_]/g, '_')}`);
  }

  /** The host the app runs on (for a pooled app, this places the pool's apps; a fleet app has none, see fleetHosts). */
  public get host(): VmHost | undefined {
    if (this.dedicatedHost) return this.dedicatedHost;
    return this.pooled?.container().host;
  }

  /** The app's container, when it runs as one. */
  public get containerOnVm(): ContainerOnVm | undefined {
    if (this.pooled) return this.pooled.container();
    return this.dedicatedContainer;
  }

  /** The decision in one line, for messages. */
  public explain(): string {
    return AppDecision.explain(this.decision);
  }

  /** This app's entries in the report. */
  private reportEntries(): { apps: ReportApp[]; hosts: ReportHost[] } {
    const fleet = this.fleetHosts;
    type HostEntry = {
      path: string; instanceType: string; vcpus?: number; memoryMiB?: number; reach: string; updates: string; dataVolumes?: string[];
    };
    const host: HostEntry = fleet
      ? { path: fleet.node.path, instanceType: fleet.instanceType, reach: fleet.networkReach, updates: fleet.updatePath }
      : {
        path: this.host!.node.path,
        instanceType: this.host!.instanceType,
        ...this.host!.instanceTypeSize,
        reach: this.host!.networkReach,
        updates: this.host!.updatePath,
        ...(this.host!.dataVolumes.length > 0 ? { dataVolumes: this.host!.dataVolumeSummary } : {}),
      };
    // A fleet's hosts are Linux (they run a container); a pooled app's host is its pool's.
    const hostFamily = fleet ? OsFamily.AMAZON_LINUX_2023 : this.host!.osFamily;
    const osName = OsFamilies.isWindows(hostFamily) ? OsFamilies.traits(hostFamily).displayName : 'Linux';
    const app: ReportApp = {
      name: this.name,
      path: this.node.path,
      isolation: this.isolation,
      reasons: this.decision.reasons,
      conflicts: this.decision.conflicts,
      override: this.props.override ? { from: this.decision.isolation, to: this.isolation, reason: this.props.override.reason } : undefined,
      host: host.path,
      runsAs: this.runsAs,
      memoryMiB: this.memoryMiB,
      cpus: this.cpus,
      replicas: fleet?.size.desired ?? 1,
      os: osName,
    };
    const hostEntry: ReportHost = {
      ...host,
      os: osName,
      guestOsMemoryMiB: Capacity.guestOsMemoryMiB(hostFamily),
      kind: fleet ? 'fleet' : this.dedicatedHost ? 'dedicated' : 'pool',
      apps: [],
      count: fleet?.size.desired ?? 1,
    };
    return { apps: [app], hosts: [hostEntry] };
  }
}
