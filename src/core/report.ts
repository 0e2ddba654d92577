import { DecisionConflict, DecisionReason, Isolation } from './advisor';
import { Capacity } from './capacity';
import { InstanceTypes } from './instance-types';

/** An override of the advisor's decision, as recorded. */
export interface ReportOverride {
  /** What the advisor decided. */
  readonly from: Isolation;
  /** What the app got. */
  readonly to: Isolation;
  /** Why (mandatory). */
  readonly reason: string;
}

/** An accepted policy finding, as recorded. */
export interface ReportAcknowledgement {
  /** The rule id. */
  readonly ruleId: string;
  /** The construct path the acknowledgement covers. */
  readonly path: string;
  /** Why it is accepted. */
  readonly reason: string;
}

/** A check that could not run at synth because a value is known only at apply. */
export interface ReportDeferredCheck {
  /** Construct path of the value. */
  readonly path: string;
  /** The prop (or, for a policy rule, the rule id). */
  readonly prop: string;
  /** What is checked. */
  readonly check: string;
  /** `terraform`: a precondition stops `terraform plan` when it fails; `not-checked`: nothing can check it. */
  readonly checkedBy: string;
  /**
   * Why nothing can check it.
   * @default - checked by Terraform
   */
  readonly why?: string;
}

/** One app in the report. */
export interface ReportApp {
  /** App name. */
  readonly name: string;
  /** Construct path. */
  readonly path: string;
  /** The isolation it got. */
  readonly isolation: Isolation;
  /** The advisor's reasons. */
  readonly reasons: DecisionReason[];
  /** Requirements that cannot be met. */
  readonly conflicts: DecisionConflict[];
  /**
   * Override of the decision.
   * @default - none
   */
  readonly override?: ReportOverride;
  /** Path of the host (or fleet) it runs on. */
  readonly host: string;
  /** How it runs: `container` or `native`. */
  readonly runsAs: string;
  /** Memory in MiB. */
  readonly memoryMiB: number;
  /** CPUs. */
  readonly cpus: number;
  /**
   * Instances running the app (a fleet's desired capacity).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * The OS the app runs on (its host's), e.g. `Linux` or `Windows Server`.
   * @default 'Linux'
   */
  readonly os?: string;
  /**
   * The memory the guest OS of the app's own VM costs, in MiB (per
   * instance); absent for an app on a pool, whose hosts' guest OS its
   * neighbours share.
   * @default - the app shares its host
   */
  readonly guestOsMemoryMiB?: number;
}

/** One host (or fleet of identical hosts) in the report. */
export interface ReportHost {
  /** Construct path. */
  readonly path: string;
  /** Instance type. */
  readonly instanceType: string;
  /** `pool`, `dedicated` or `fleet`. */
  readonly kind: string;
  /** Names of the apps on it, in declaration order. */
  readonly apps: string[];
  /**
   * Instances (a fleet's desired capacity).
   * @default 1
   */
  readonly count?: number;
  /**
   * vCPUs of one instance.
   * @default - the instance catalog does not know the type
   */
  readonly vcpus?: number;
  /**
   * Memory of one instance in MiB.
   * @default - the instance catalog does not know the type
   */
  readonly memoryMiB?: number;
  /**
   * How the host reaches its packages, its images and Systems Manager (HostEgress.describe).
   * @default - not given
   */
  readonly reach?: string;
  /**
   * How changes reach the host: in place through Systems Manager (and what replaces it), or replacement.
   * @default - not given
   */
  readonly updates?: string;
  /**
   * The host's OS, e.g. `Linux` or `Windows Server`.
   * @default 'Linux'
   */
  readonly os?: string;
  /**
   * Memory the guest OS of one instance takes, in MiB (Capacity.guestOsMemoryMiB).
   * @default - a Linux host's (Capacity.HOST_MEMORY_MIB)
   */
  readonly guestOsMemoryMiB?: number;
  /**
   * Its data volumes, one line each: size, whether snapshots back it up, whether Terraform may destroy it, who mounts it.
   * @default - none
   */
  readonly dataVolumes?: string[];
}

/** On-demand prices, with where they come from. */
export interface PriceTable {
  /** Region the prices are for. */
  readonly region: string;
  /** Where the prices were read. */
  readonly source: string;
  /** When they were read (ISO date). */
  readonly date: string;
  /** USD per hour, by instance type. */
  readonly usdPerHour: { [instanceType: string]: number };
}

/** The totals of one plan. */
export interface ReportPlanTotals {
  /** Instances. */
  readonly hosts: number;
  /**
   * vCPUs provisioned.
   * @default - unknown (a type outside the catalog)
   */
  readonly vcpus?: number;
  /**
   * Memory provisioned, in MiB.
   * @default - unknown (a type outside the catalog)
   */
  readonly memoryMiB?: number;
  /** Memory the guest operating systems take, in MiB. */
  readonly guestOsMemoryMiB: number;
  /**
   * Cost per month in USD.
   * @default - no price table, or a type without a price
   */
  readonly monthlyUsd?: number;
}

/** The totals of the plan built, with what the apps asked for. */
export interface ReportChosenPlan extends ReportPlanTotals {
  /** Memory the apps asked for, in MiB. */
  readonly requestedMemoryMiB: number;
  /** CPUs the apps asked for. */
  readonly requestedCpus: number;
  /**
   * Requested memory over provisioned memory.
   * @default - unknown
   */
  readonly memoryUtilization?: number;
  /**
   * Requested CPUs over provisioned vCPUs.
   * @default - unknown
   */
  readonly cpuUtilization?: number;
}

/** The plan the guidance argues against: every app on a VM of its own. */
export interface ReportOneVmPlan extends ReportPlanTotals {
  /** The instance type each app would get. */
  readonly instanceTypes: { [app: string]: string };
}

/** Where the prices of the cost columns come from. */
export interface ReportCostSource {
  /** Region. */
  readonly region: string;
  /** Source. */
  readonly source: string;
  /** Date. */
  readonly date: string;
  /** Hours per month the monthly figures assume. */
  readonly hoursPerMonth: number;
}

/**
 * The isolation report of one stack: the content of `isolation-report.json`.
 * Fields documented as optional are absent from the file when unknown.
 */
export interface IsolationReportData {
  /** Stack name. */
  readonly stack: string;
  /** Apps, in declaration order. */
  readonly apps: ReportApp[];
  /** Hosts, by path. */
  readonly hosts: ReportHost[];
  /** This plan. */
  readonly totals: ReportChosenPlan;
  /** One VM per app. */
  readonly oneVmPerApp: ReportOneVmPlan;
  /** One VM per app minus this plan. */
  readonly difference: ReportPlanTotals;
  /**
   * Where the prices come from.
   * @default - no cost shown
   */
  readonly cost?: ReportCostSource;
  /** Accepted findings. */
  readonly acknowledgements: ReportAcknowledgement[];
  /** Checks of values known only at apply: handed to Terraform (preconditions), or not checked (with why). */
  readonly deferredChecks: ReportDeferredCheck[];
}

/** What the report is built from. */
export interface ReportInput {
  readonly stack: string;
  readonly apps: ReportApp[];
  readonly hosts: ReportHost[];
  readonly prices?: PriceTable;
  readonly acknowledgements?: ReportAcknowledgement[];
  readonly deferredChecks?: ReportDeferredCheck[];
}

const HOURS_PER_MONTH = 730;

/** Builds the report's data. Pure. */
export class ReportBuilder {
  /** The report of `input`. */
  public static create(input: ReportInput): IsolationReportData {
    const hosts: ReportHost[] = input.hosts.map((h) => {
      const type = InstanceTypes.lookup(h.instanceType);
      return {
        path: h.path,
        instanceType: h.instanceType,
        kind: h.kind,
        count: h.count ?? 1,
        // The size the host reports (a type outside the catalog), else the catalog's.
        vcpus: h.vcpus ?? type?.vcpus,
        memoryMiB: h.memoryMiB ?? type?.memoryMiB,
        apps: h.apps,
        os: h.os ?? 'Linux',
        guestOsMemoryMiB: h.guestOsMemoryMiB ?? Capacity.HOST_MEMORY_MIB,
        ...(h.reach !== undefined ? { reach: h.reach } : {}),
        ...(h.updates !== undefined ? { updates: h.updates } : {}),
        ...(h.dataVolumes !== undefined && h.dataVolumes.length > 0 ? { dataVolumes: h.dataVolumes } : {}),
      };
    });
    const count = (h: ReportHost) => h.count ?? 1;
    const known = hosts.every((h) => h.vcpus !== undefined);
    const instances = sum(hosts.map(count));
    const provisionedVcpus = known ? sum(hosts.map((h) => h.vcpus! * count(h))) : undefined;
    const provisionedMemory = known ? sum(hosts.map((h) => h.memoryMiB! * count(h))) : undefined;
    const requestedMemory = sum(input.apps.map((a) => a.memoryMiB * (a.replicas ?? 1)));
    const requestedCpus = round(sum(input.apps.map((a) => a.cpus * (a.replicas ?? 1))));
    const price = (types: string[]) => {
      const p = input.prices;
      if (!p || types.some((t) => p.usdPerHour[t] === undefined)) return undefined;
      return round(sum(types.map((t) => p.usdPerHour[t])) * HOURS_PER_MONTH);
    };

    // Every app on a VM of its own: the smallest type of its host's family
    // that holds the app and a guest OS, by the capacity model.
    const ownHost = (a: ReportApp) => hosts.find((h) => h.path === a.host && (h.kind === 'dedicated' || h.kind === 'fleet'));
    const oneVm = input.apps.map((a) => {
      const own = ownHost(a);
      if (own) return { app: a.name, instanceType: own.instanceType, guestOsMemoryMiB: own.guestOsMemoryMiB! };
      const host = hosts.find((h) => h.path === a.host);
      const family = (host?.instanceType ?? 't3.small').split('.')[0];
      const fit = Capacity.smallestFitting(family, [{ memoryMiB: a.memoryMiB, cpus: a.cpus, container: a.runsAs === 'container' }]);
      return { app: a.name, instanceType: fit?.name ?? host?.instanceType ?? 'unknown', guestOsMemoryMiB: Capacity.HOST_MEMORY_MIB };
    });
    // Each replica is a VM of its own in that plan.
    const oneVmEach = input.apps.flatMap((a, i) => Array.from({ length: a.replicas ?? 1 }, () => oneVm[i].instanceType));
    const oneVmGuestOs = sum(input.apps.map((a, i) => (a.replicas ?? 1) * oneVm[i].guestOsMemoryMiB));
    const oneVmTypes = oneVmEach.map((t) => InstanceTypes.lookup(t));
    const oneVmKnown = oneVmTypes.every((t) => t !== undefined);
    const chosenMonthly = price(hosts.flatMap((h) => Array.from({ length: count(h) }, () => h.instanceType)));
    const oneVmMonthly = price(oneVmEach);
    const oneVmPerApp: ReportOneVmPlan = {
      hosts: oneVmEach.length,
      vcpus: oneVmKnown ? sum(oneVmTypes.map((t) => t!.vcpus)) : undefined,
      memoryMiB: oneVmKnown ? sum(oneVmTypes.map((t) => t!.memoryMiB)) : undefined,
      guestOsMemoryMiB: oneVmGuestOs,
      instanceTypes: Object.fromEntries(oneVm.map((o) => [o.app, o.instanceType])),
      monthlyUsd: oneVmMonthly,
    };
    const totals: ReportChosenPlan = {
      hosts: instances,
      vcpus: provisionedVcpus,
      memoryMiB: provisionedMemory,
      guestOsMemoryMiB: sum(hosts.map((h) => h.guestOsMemoryMiB! * count(h))),
      requestedMemoryMiB: requestedMemory,
      requestedCpus,
      memoryUtilization: provisionedMemory ? round(requestedMemory / provisionedMemory) : undefined,
      cpuUtilization: provisionedVcpus ? round(requestedCpus / provisionedVcpus) : undefined,
      monthlyUsd: chosenMonthly,
    };
    const diff = (a?: number, b?: number) => (a === undefined || b === undefined ? undefined : round(a - b));
    const doc: IsolationReportData = {
      stack: input.stack,
      apps: input.apps.map((a) => ({
        name: a.name,
        path: a.path,
        isolation: a.isolation,
        runsAs: a.runsAs,
        host: a.host,
        memoryMiB: a.memoryMiB,
        cpus: a.cpus,
        replicas: a.replicas ?? 1,
        os: a.os ?? 'Linux',
        guestOsMemoryMiB: ownHost(a)?.guestOsMemoryMiB,
        reasons: a.reasons,
        conflicts: a.conflicts,
        override: a.override,
      })),
      hosts,
      totals,
      oneVmPerApp,
      difference: {
        hosts: oneVmPerApp.hosts - totals.hosts,
        vcpus: diff(oneVmPerApp.vcpus, totals.vcpus),
        memoryMiB: diff(oneVmPerApp.memoryMiB, totals.memoryMiB),
        guestOsMemoryMiB: oneVmPerApp.guestOsMemoryMiB - totals.guestOsMemoryMiB,
        monthlyUsd: diff(oneVmMonthly, chosenMonthly),
      },
      cost: chosenMonthly !== undefined && oneVmMonthly !== undefined
        ? { region: input.prices!.region, source: input.prices!.source, date: input.prices!.date, hoursPerMonth: HOURS_PER_MONTH }
        : undefined,
      acknowledgements: input.acknowledgements ?? [],
      deferredChecks: input.deferredChecks ?? [],
    };
    // The same object the JSON file holds: unknown fields are absent, not null.
    return JSON.parse(JSON.stringify(doc));
  }

  private constructor() {}
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
