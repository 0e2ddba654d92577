import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { HostPool, PooledApp } from './host-pool';
import { IsolationReport } from './isolation-report';
import { ContainerIngress, ContainerOnVm } from '../containers/container-on-vm';
import { AppRequirements, Isolation, IsolationAdvisor, IsolationDecision, OperatingSystem } from '../core/advisor';
import { Capacity, Workload } from '../core/capacity';
import { ContainerOptions } from '../core/container-options';
import { IngressRule, Ingress } from '../core/ingress';
import { InstanceTypes, InstanceTypeSize } from '../core/instance-types';
import { NativeSetup, NativeSetups } from '../core/native';
import { OsFamilies, OsFamily } from '../core/os-family';
import { NativeRender } from '../core/render/native';
import { ReportApp, ReportHost } from '../core/report';
import { LibraryTags } from '../core/tags';
import { FleetScalingOptions } from '../hosts/fleet-auto-scaling';
import { FleetLoadBalancerOptions } from '../hosts/fleet-load-balancer';
import { HostFleet } from '../hosts/host-fleet';
import type { IHostNetwork } from '../hosts/host-network';
import { IMachineImage, MachineImage } from '../hosts/machine-image';
import { NetworkLookup } from '../hosts/network-lookup';
import { VmHost } from '../hosts/vm-host';
import { collectDeferred } from '../private/deferred';
import { describeValue, IsolationError } from '../private/errors';
import { Tokens } from '../private/tokens';
import { Check } from '../private/validate';

/** An override of the advisor's decision. */
export interface IsolationOverride {
  /** The isolation the app gets instead. */
  readonly isolation: Isolation;
  /** Why (mandatory, recorded in the report). */
  readonly reason: string;
}

/** Options for the app's own VM, when it gets one. */
export interface DedicatedVmOptions {
  /**
   * Instance type.
   * @default - the smallest t3 type that holds the app's memory and CPUs plus the OS
   */
  readonly instanceType?: string;
  /**
   * The size of an instance type the catalog does not list yet (see VmHostProps.instanceTypeSize).
   * @default - the type must be in the catalog
   */
  readonly instanceTypeSize?: InstanceTypeSize;
  /**
   * Machine image. An app whose requirements name Windows needs a Windows
   * Server image (MachineImage.windowsServer2022(), windowsServer2025(), or
   * fromAmiId(id, OsFamily.WINDOWS, ...)).
   * @default - Amazon Linux 2023; Windows Server 2022 for an app that needs Windows
   */
  readonly machineImage?: IMachineImage;
  /**
   * Subnet.
   * @default - the default VPC's first subnet
   */
  readonly subnetId?: string;
  /**
   * VPC.
   * @default - the subnet's VPC, or the default VPC
   */
  readonly vpcId?: string;
  /**
   * Inbound rules.
   * @default - none
   */
  readonly ingress?: IngressRule[];
}

/** Options for a fleet, when a container app runs replicated. */
export interface AppFleetOptions {
  /**
   * Instance type of the fleet.
   * @default 't3.small'
   */
  readonly instanceType?: string;
  /**
   * The size of an instance type the catalog does not list yet (see VmHostProps.instanceTypeSize).
   * @default - the type must be in the catalog
   */
  readonly instanceTypeSize?: InstanceTypeSize;
  /**
   * Machine image.
   * @default - Amazon Linux 2023
   */
  readonly machineImage?: IMachineImage;
  /**
   * Subnets (two zones at least).
   * @default - the default VPC's default subnets
   */
  readonly subnetIds?: string[];
  /**
   * VPC.
   * @default - the default VPC
   */
  readonly vpcId?: string;
  /**
   * A load balancer in front of the replicas.
   * @default - none
   */
  readonly loadBalancer?: FleetLoadBalancerOptions;
  /**
   * Scaling.
   * @default - CPU at 60 %
   */
  readonly scaling?: FleetScalingOptions;
}

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
    // What decides VM or container, the host's size and the report's plan must be known at synth.
    for (const [prop, value] of [['requirements.memoryMiB', props.requirements?.memoryMiB], ['requirements.cpus', props.requirements?.cpus],
      ['container.memoryMiB', props.container?.memoryMiB], ['container.cpus', props.container?.cpus], ['replicas', props.replicas],
      ['minReplicas', props.minReplicas], ['maxReplicas', props.maxReplicas]] as Array<[string, unknown]>) {
      Check.known(path, prop, value, 'the app is sized and isolated by it at synth, and the isolation report plans with it');
    }
    this.decision = IsolationAdvisor.decide(props.requirements ?? {}, path);
    this.name = props.container?.name ?? id;
    // A Windows app's native setup is validated as Windows below.
    if (props.native && props.requirements?.operatingSystem !== OperatingSystem.WINDOWS) NativeSetups.validate(props.native, path);

    this.isolation = this.decision.isolation;
    if (props.override !== undefined) {
      const o = props.override;
      if (!Object.values(Isolation).includes(o.isolation)) {
        throw new IsolationError(path, 'override.isolation', "must be 'vm' or 'container'", o.isolation, 'Use Isolation.VM or Isolation.CONTAINER.');
      }
      if (typeof o.reason !== 'string' || o.reason.trim().length < 10) {
        throw new IsolationError(path, 'override.reason', 'must say why the advice is overridden (at least 10 characters)', o.reason,
          'Write the reason a reviewer should read, e.g. "the vendor only supports this on a VM".');
      }
      // A container needs a Linux kernel: an app for another OS (Windows included) cannot be one.
      const linux = (props.requirements?.operatingSystem ?? OperatingSystem.LINUX) === OperatingSystem.LINUX;
      if (o.isolation === Isolation.CONTAINER && (!this.decision.supported || !linux)) {
        throw new IsolationError(path, 'override.isolation', `cannot be 'container': ${this.decision.reasons[0].text}`, o.isolation,
          'Remove the override; the app needs a VM with its own OS.');
      }
      this.isolation = o.isolation;
    }

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
      const replicated = props.replicas !== undefined || props.minReplicas !== undefined || props.maxReplicas !== undefined;
      // Checked here, under the names the user wrote (HostFleet's would say minCapacity and maxCapacity).
      const replicas = Check.integerInRange(path, 'replicas', props.replicas ?? 1, 1, 1000);
      const min = Check.integerInRange(path, 'minReplicas', props.minReplicas ?? props.replicas ?? 1, 0, 1000);
      const max = Check.integerInRange(path, 'maxReplicas', props.maxReplicas ?? Math.max(props.replicas ?? 1, min), 1, 1000);
      if (min > max) {
        throw new IsolationError(path, 'minReplicas', `must not exceed maxReplicas (${max})`, min, 'Lower minReplicas or raise maxReplicas.');
      }
      if (props.replicas !== undefined && (replicas < min || replicas > max)) {
        throw new IsolationError(path, 'replicas', `must lie between minReplicas (${min}) and maxReplicas (${max})`, replicas,
          'Choose a replica count inside the range, or leave replicas out (the fleet starts with minReplicas).');
      }
      if (replicated && (replicas > 1 || max > 1)) {
        const fleet = Check.props(path, props.fleet, "{ instanceType: 't3.small' }", true);
        // Checked here under the names the user wrote; the fleet checks them again and hands what is known only at apply to Terraform.
        collectDeferred(() => {
          if (fleet.instanceType !== undefined && !Tokens.isUnresolved(fleet.instanceType)) {
            InstanceTypes.resolve(path, 'fleet.instanceType', fleet.instanceType, fleet.instanceTypeSize, 'fleet.instanceTypeSize');
          }
          if (fleet.vpcId !== undefined) NetworkLookup.vpcId(path, 'fleet.vpcId', fleet.vpcId);
          if (!Tokens.isListToken(fleet.subnetIds)) (fleet.subnetIds ?? []).forEach((subnet, i) => NetworkLookup.subnetId(path, `fleet.subnetIds[${i}]`, subnet));
        });
        this.fleetHosts = new HostFleet(this, 'Fleet', {
          container: props.container,
          minCapacity: min,
          maxCapacity: max,
          desiredCapacity: props.replicas !== undefined ? replicas : undefined,
          instanceType: props.fleet?.instanceType,
          instanceTypeSize: props.fleet?.instanceTypeSize,
          machineImage: props.fleet?.machineImage,
          network: props.network,
          subnetIds: props.fleet?.subnetIds,
          vpcId: props.fleet?.vpcId,
          loadBalancer: props.fleet?.loadBalancer,
          scaling: props.fleet?.scaling,
          tags: { [LibraryTags.APP]: this.name },
        });
      } else {
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
      if (!this.decision.supported) {
        const os = props.requirements?.operatingSystem;
        throw new IsolationError(path, 'requirements.operatingSystem', `needs a VM running ${os}, which this library cannot build (VmHost boots Linux and Windows Server images only)`, os,
          `Run the app on an EC2 instance of its own OS outside this library. Decision: ${this.explain()}`);
      }
      const windows = props.requirements?.operatingSystem === OperatingSystem.WINDOWS;
      const dockerOk = this.decision.dockerAllowed || (props.override !== undefined && this.decision.isolation === Isolation.CONTAINER);
      const useContainer = props.container !== undefined && dockerOk && props.native === undefined;
      if (!useContainer && props.native === undefined) {
        throw new IsolationError(path, props.container ? 'container' : 'native',
          props.container ? 'cannot serve this app: its reasons need the VM itself, not Docker on it' : 'must be given: the app gets a VM of its own and runs natively',
          props.container ? props.container.name : undefined,
          windows
            ? `Give a native setup (Windows Server features as packages, files, a Windows service): the library's containers are Linux containers. Decision: ${this.explain()}`
            : `Give a native setup (packages, files, a systemd service). Decision: ${this.explain()}`);
      }
      const vmImage = props.dedicatedVm?.machineImage;
      if (vmImage !== undefined && vmImage !== null && typeof vmImage === 'object' && OsFamilies.isWindows(vmImage.osFamily) !== windows) {
        throw new IsolationError(path, 'dedicatedVm.machineImage', windows
          ? 'must be a Windows Server image: the app needs Windows'
          : 'must be a Linux image: the app\'s requirements name Linux (set requirements.operatingSystem to WINDOWS for a Windows app)',
        OsFamilies.traits(vmImage.osFamily).displayName, windows
          ? 'Use MachineImage.windowsServer2022() (the default), windowsServer2025() or fromAmiId(id, OsFamily.WINDOWS, Architecture.X86_64).'
          : 'Use a Linux image (MachineImage.amazonLinux2023(), the default), or set requirements.operatingSystem.');
      }
      this.osFamily = windows ? OsFamily.WINDOWS : undefined;
      if (props.native) NativeSetups.validate(props.native, path, windows);
      this.runsAs = useContainer ? 'container' : 'native';
      const vm = Check.props(path, props.dedicatedVm, "{ instanceType: 't3.small' }", true);
      // Checked under the names the user wrote, before the host sees them.
      // The host checks these again and hands what is known only at apply to Terraform.
      collectDeferred(() => {
        if (vm.instanceType !== undefined && !Tokens.isUnresolved(vm.instanceType)) {
          InstanceTypes.resolve(path, 'dedicatedVm.instanceType', vm.instanceType, vm.instanceTypeSize, 'dedicatedVm.instanceTypeSize');
        }
        if (vm.subnetId !== undefined) NetworkLookup.subnetId(path, 'dedicatedVm.subnetId', vm.subnetId);
        if (vm.vpcId !== undefined) NetworkLookup.vpcId(path, 'dedicatedVm.vpcId', vm.vpcId);
        Check.objectList(path, 'dedicatedVm.ingress', vm.ingress, "{ port: 443, cidr: '10.0.0.0/16' }").forEach((r, i) => Ingress.validate(path, r, `dedicatedVm.ingress[${i}]`));
      });
      this.dedicatedHost = new VmHost(this, 'Host', {
        instanceType: vm.instanceType ?? this.defaultInstanceType(useContainer),
        instanceTypeSize: vm.instanceTypeSize,
        machineImage: vm.machineImage ?? (windows ? MachineImage.windowsServer2022() : undefined),
        network: props.network,
        subnetId: vm.subnetId,
        vpcId: vm.vpcId,
        ingress: vm.ingress,
        installDocker: useContainer,
        tags: { [LibraryTags.APP]: this.name },
      });
      if (useContainer) {
        this.dedicatedContainer = new ContainerOnVm(this, 'Container', { ...props.container!, host: this.dedicatedHost, ingress: props.containerIngress });
      } else {
        this.applyNative(this.dedicatedHost, props.native!);
      }
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
    return `${this.decision.isolation} because ${this.decision.reasons.map((r) => `${r.ruleId} (${r.text})`).join('; ')}` +
      (this.decision.conflicts.length ? `; conflicts: ${this.decision.conflicts.map((c) => c.ruleId).join(', ')}` : '');
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

  /** The smallest t3 type that holds what the app's VM runs, by the library's capacity model. */
  private defaultInstanceType(runsContainer: boolean): string {
    const load: Workload = { memoryMiB: this.memoryMiB, cpus: this.cpus, container: runsContainer };
    // A Windows guest takes far more memory than a Linux one (Capacity.WINDOWS_HOST_MEMORY_MIB).
    const fit = Capacity.smallestFitting('t3', [load], this.osFamily);
    if (!fit) {
      throw new IsolationError(this.node.path, 'dedicatedVm.instanceType', `must be given: no t3 type holds ${this.memoryMiB} MiB and ${this.cpus} vCPU plus the OS`,
        describeValue({ memoryMiB: this.memoryMiB, cpus: this.cpus }), "Choose a larger type, e.g. 'm6i.4xlarge' or 'r6i.2xlarge'.");
    }
    return fit.name;
  }

  private applyNative(host: VmHost, native: NativeSetup): void {
    if (host.windowsUserData) {
      NativeRender.applyWindows(host.windowsUserData, native);
      const secrets = Object.values(native.service?.secretEnvironment ?? {});
      if (secrets.length > 0) {
        host.addToRolePolicy({
          actions: ['ssm:GetParameter'],
          resources: secrets.map((p) => (p.startsWith('arn:') ? p : `arn:aws:ssm:*:*:parameter/${p.replace(/^\//, '')}`)),
        });
      }
      return;
    }
    NativeRender.apply(host.cloudConfig, native);
  }
}
