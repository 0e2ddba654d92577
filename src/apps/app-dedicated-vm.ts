import { Construct } from 'constructs';
import { AppDecision } from './app-decision';
import { defaultT3Type } from './app-instance-type';
import type { IsolatedAppProps } from './isolated-app';
import { ContainerOnVm } from '../containers/container-on-vm';
import { Isolation, IsolationDecision, OperatingSystem } from '../core/advisor';
import { IngressRule, Ingress } from '../core/ingress';
import { InstanceTypes, InstanceTypeSize } from '../core/instance-types';
import { NativeSetup, NativeSetups } from '../core/native';
import { OsFamilies, OsFamily } from '../core/os-family';
import { NativeRender } from '../core/render/native';
import { LibraryTags } from '../core/tags';
import { IMachineImage, MachineImage } from '../hosts/machine-image';
import { NetworkLookup } from '../hosts/network-lookup';
import { VmHost } from '../hosts/vm-host';
import { collectDeferred } from '../private/deferred';
import { IsolationError } from '../private/errors';
import { Tokens } from '../private/tokens';
import { Check } from '../private/validate';

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

/** What an app's own VM runs, as its decision and props say. */
export interface DedicatedVmPlan {
  /** True for an app that needs Windows (a Windows Server VM). */
  readonly windows: boolean;
  /** True when the app runs as a container on its VM, false when natively. */
  readonly useContainer: boolean;
  /**
   * The VM's OS family, where the requirements decide it.
   * @default - a Linux host (the image's family)
   */
  readonly osFamily?: OsFamily;
}

/** What the app's own VM is sized by: the app's memory and CPUs. */
export interface DedicatedVmSize {
  readonly memoryMiB: number;
  readonly cpus: number;
}

/** An app's own VM and the app's container on it. */
export interface DedicatedVmParts {
  readonly host: VmHost;
  /** @default - none: the app runs natively */
  readonly container?: ContainerOnVm;
}

/**
 * The VM of an app that gets one of its own: what it runs (checked before
 * anything is built), and the VmHost (construct `Host` under the app) with
 * the app on it, as a container (`Container`) or natively.
 */
export class DedicatedVm {
  /** What the VM runs: a container where the decision allows Docker and no native setup is given, else the native setup (checked). */
  public static plan(path: string, decision: IsolationDecision, props: IsolatedAppProps): DedicatedVmPlan {
    if (!decision.supported) {
      const os = props.requirements?.operatingSystem;
      throw new IsolationError(path, 'requirements.operatingSystem', `needs a VM running ${os}, which this library cannot build (VmHost boots Linux and Windows Server images only)`, os,
        `Run the app on an EC2 instance of its own OS outside this library. Decision: ${AppDecision.explain(decision)}`);
    }
    const windows = props.requirements?.operatingSystem === OperatingSystem.WINDOWS;
    const dockerOk = decision.dockerAllowed || (props.override !== undefined && decision.isolation === Isolation.CONTAINER);
    const useContainer = props.container !== undefined && dockerOk && props.native === undefined;
    if (!useContainer && props.native === undefined) {
      throw new IsolationError(path, props.container ? 'container' : 'native',
        props.container ? 'cannot serve this app: its reasons need the VM itself, not Docker on it' : 'must be given: the app gets a VM of its own and runs natively',
        props.container ? props.container.name : undefined,
        windows
          ? `Give a native setup (Windows Server features as packages, files, a Windows service): the library's containers are Linux containers. Decision: ${AppDecision.explain(decision)}`
          : `Give a native setup (packages, files, a systemd service). Decision: ${AppDecision.explain(decision)}`);
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
    if (props.native) NativeSetups.validate(props.native, path, windows);
    return { windows, useContainer, osFamily: windows ? OsFamily.WINDOWS : undefined };
  }

  /**
   * The VmHost and the app on it.
   * @param name the app's name (its tag on the host)
   */
  public static build(scope: Construct, props: IsolatedAppProps, plan: DedicatedVmPlan, name: string, size: DedicatedVmSize): DedicatedVmParts {
    const path = scope.node.path;
    const { windows, useContainer } = plan;
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
    const host = new VmHost(scope, 'Host', {
      instanceType: vm.instanceType ?? defaultT3Type(path, 'dedicatedVm.instanceType', { ...size, container: useContainer }, { osFamily: plan.osFamily }),
      instanceTypeSize: vm.instanceTypeSize,
      machineImage: vm.machineImage ?? (windows ? MachineImage.windowsServer2022() : undefined),
      network: props.network,
      subnetId: vm.subnetId,
      vpcId: vm.vpcId,
      ingress: vm.ingress,
      installDocker: useContainer,
      tags: { [LibraryTags.APP]: name },
    });
    if (useContainer) {
      return { host, container: new ContainerOnVm(scope, 'Container', { ...props.container!, host, ingress: props.containerIngress }) };
    }
    DedicatedVm.applyNative(host, props.native!);
    return { host };
  }

  private static applyNative(host: VmHost, native: NativeSetup): void {
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

  private constructor() {}
}
