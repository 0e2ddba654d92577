// The public surface: named exports only. What a user composes with: the
// constructs and their props, the value classes and their interfaces, the
// enums, the advisor and its decision, the checks and their findings, and
// the report's typed data. Renderers, builders and helpers stay internal.

// Hosts
export { VmHost } from './hosts/vm-host';
export type { VmHostProps } from './hosts/vm-host';
export { HostDataVolume, DataVolumeBackupRole } from './hosts/host-data-volume';
export type { HostDataVolumeProps } from './hosts/host-data-volume';
export { DataVolumeRemovalPolicy } from './core/data-volume';
export type { DataVolumeOptions, DataVolumeBackup, ResolvedDataVolume, ResolvedDataVolumeBackup } from './core/data-volume';
export type { ContainerUpdateOptions } from './hosts/container-rollout';
export { HostSecurityGroup } from './hosts/host-security-group';
export type { HostSecurityGroupProps } from './hosts/host-security-group';
export { HostRole } from './hosts/host-role';
export type { HostRoleProps } from './hosts/host-role';
export { HostFleet } from './hosts/host-fleet';
export type { HostFleetProps, FleetScalingOptions } from './hosts/host-fleet';
export { FleetLoadBalancer } from './hosts/fleet-load-balancer';
export type { FleetLoadBalancerOptions, FleetLoadBalancerProps } from './hosts/fleet-load-balancer';
export { MachineImage } from './hosts/machine-image';
export type { IMachineImage, MachineImageBindOptions, MachineImageConfig, MachineImageOptions } from './hosts/machine-image';
export type { IngressRule } from './core/ingress';
export type { RolePolicyStatement } from './core/iam';
export type { DockerDaemonOptions } from './core/render/daemon-json';
export { OsFamily, Architecture } from './core/os-family';
export type { InstanceTypeSize } from './core/instance-types';
export { Protocol } from './core/network';
export type { FleetSize } from './core/fleet';

// Networks
export { HostNetwork } from './hosts/host-network';
export type { HostNetworkProps, ExistingHostNetworkProps, IHostNetwork } from './hosts/host-network';
export { NetworkEgress, HostNeed, HostEgress } from './core/egress';
export type { HostEgressOptions, HostReach } from './core/egress';

// Containers
export { ContainerOnVm } from './containers/container-on-vm';
export type { ContainerOnVmProps, ContainerIngress } from './containers/container-on-vm';
export { LocalDockerHost } from './containers/local-docker-host';
export type { LocalDockerHostProps, LocalContainerConfig } from './containers/local-docker-host';
export { ContainerImage } from './containers/container-image';
export type { EcrRepositoryAttributes } from './containers/container-image';
export type { IContainerImage, EcrRepository } from './core/image';
export { RestartPolicy } from './core/container-options';
export type { ContainerOptions, ContainerLogOptions, HealthCheck, PortMapping, TmpfsMount, VolumeMount, ZeroDowntime } from './core/container-options';
export { ContainerSpec } from './core/container-spec';
export type { NameValue, ResolvedHealthCheck, ResolvedPort, ResolvedTmpfs, ResolvedVolume, ResolvedZeroDowntime } from './core/container-spec';
export { CloudConfig } from './core/render/cloud-config';
export { WindowsUserData, WindowsServiceAccount } from './core/render/windows-user-data';
export type { WindowsFile, WindowsService, WindowsServiceSecret, WindowsServiceVariable, WindowsUserDataRenderOptions } from './core/render/windows-user-data';
export type { CloudConfigFile, CloudConfigRenderOptions } from './core/render/cloud-config';

// Apps
export { IsolatedApp } from './apps/isolated-app';
export type { IsolatedAppProps, IsolationOverride, DedicatedVmOptions, AppFleetOptions } from './apps/isolated-app';
export { HostPool } from './apps/host-pool';
export type { HostPoolProps } from './apps/host-pool';
export { PlacementStrategy } from './core/placement';
export { IsolationReport } from './apps/isolation-report';
export type {
  IsolationReportData, PriceTable, ReportAcknowledgement, ReportApp, ReportChosenPlan, ReportCostSource, ReportHost, ReportOneVmPlan, ReportOverride,
  ReportPlanTotals, ReportDeferredCheck,
} from './core/report';
export { IsolationAdvisor, Isolation, AppScope, OperatingSystem, KernelNeed, Tenancy, Lifetime } from './core/advisor';
export type { AppRequirements, DecisionConflict, DecisionReason, IsolationDecision } from './core/advisor';
export type { NativeSetup, NativeService } from './core/native';

// Policy
export { IsolationChecks } from './policy/isolation-checks';
export { FindingLevel } from './policy/rules/rule';
export type { PolicyFinding, PolicyRuleInfo, RuleReferences } from './policy/rules/rule';
