import { DecisionConflict, DecisionReason, Isolation } from './advisor';
import { HostReserve } from './capacity';
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
  /** Path of the host it runs on. */
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
}

/** One host in the report. */
export interface ReportHost {
  /** Construct path. */
  readonly path: string;
  /** Instance type. */
  readonly instanceType: string;
  /** `pool` or `dedicated`. */
  readonly kind: string;
  /** Names of the apps on it. */
  readonly apps: string[];
  /**
   * Instances (a fleet's desired capacity).
   * @default 1
   */
  readonly count?: number;
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

/** What the report is built from. */
export interface ReportInput {
  /** Stack name. */
  readonly stack: string;
  /** Apps, in declaration order. */
  readonly apps: ReportApp[];
  /** Hosts. */
  readonly hosts: ReportHost[];
  /**
   * Prices; without them (or without a price for every type) no cost is shown.
   * @default - no cost
   */
  readonly prices?: PriceTable;
  /**
   * Accepted findings.
   * @default - none
   */
  readonly acknowledgements?: ReportAcknowledgement[];
}

const HOURS_PER_MONTH = 730;

/** Builds the isolation report (JSON object, Markdown, terminal table). Pure. */
export class IsolationReportBuilder {
  /** The report as a JSON-ready object. */
  public static create(input: ReportInput): { [key: string]: any } {
    const typeOf = (t: string) => InstanceTypes.lookup(t);
    const hostTotals = input.hosts.map((h) => ({
      ...h, count: h.count ?? 1, vcpus: typeOf(h.instanceType)?.vcpus, memoryMiB: typeOf(h.instanceType)?.memoryMiB,
    }));
    const known = hostTotals.every((h) => h.vcpus !== undefined);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const instances = sum(hostTotals.map((h) => h.count));
    const provisionedVcpus = known ? sum(hostTotals.map((h) => h.vcpus! * h.count)) : undefined;
    const provisionedMemory = known ? sum(hostTotals.map((h) => h.memoryMiB! * h.count)) : undefined;
    const requestedMemory = sum(input.apps.map((a) => a.memoryMiB * (a.replicas ?? 1)));
    const requestedCpus = round(sum(input.apps.map((a) => a.cpus * (a.replicas ?? 1))));
    const price = (types: string[]) => {
      const p = input.prices;
      if (!p || types.some((t) => p.usdPerHour[t] === undefined)) return undefined;
      return round(sum(types.map((t) => p.usdPerHour[t])) * HOURS_PER_MONTH);
    };

    // The plan the guidance argues against: every app on a VM of its own,
    // the smallest type of its host's family that holds the app plus a guest OS.
    const oneVm = input.apps.map((a) => {
      const host = input.hosts.find((h) => h.path === a.host);
      if (host && (host.kind === 'dedicated' || host.kind === 'fleet')) return { app: a.name, instanceType: host.instanceType };
      const family = (host?.instanceType ?? 't3.small').split('.')[0];
      const fit = InstanceTypes.smallestFitting(family, a.memoryMiB + HostReserve.HOST_MEMORY_MIB, a.cpus + HostReserve.HOST_VCPUS);
      return { app: a.name, instanceType: fit?.name ?? host?.instanceType ?? 'unknown' };
    });
    // Each replica is a VM of its own in that plan.
    const oneVmEach = input.apps.flatMap((a, i) => Array.from({ length: a.replicas ?? 1 }, () => oneVm[i].instanceType));
    const oneVmTypes = oneVmEach.map((t) => typeOf(t));
    const oneVmKnown = oneVmTypes.every((t) => t !== undefined);
    const chosenMonthly = price(hostTotals.flatMap((h) => Array.from({ length: h.count }, () => h.instanceType)));
    const oneVmMonthly = price(oneVmEach);
    const oneVmPlan = {
      hosts: oneVmEach.length,
      vcpus: oneVmKnown ? sum(oneVmTypes.map((t) => t!.vcpus)) : undefined,
      memoryMiB: oneVmKnown ? sum(oneVmTypes.map((t) => t!.memoryMiB)) : undefined,
      guestOsMemoryMiB: oneVmEach.length * HostReserve.HOST_MEMORY_MIB,
      instanceTypes: Object.fromEntries(oneVm.map((o) => [o.app, o.instanceType])),
      monthlyUsd: oneVmMonthly,
    };
    const chosen = {
      hosts: instances,
      vcpus: provisionedVcpus,
      memoryMiB: provisionedMemory,
      guestOsMemoryMiB: instances * HostReserve.HOST_MEMORY_MIB,
      requestedMemoryMiB: requestedMemory,
      requestedCpus,
      memoryUtilization: provisionedMemory ? round(requestedMemory / provisionedMemory) : undefined,
      cpuUtilization: provisionedVcpus ? round(requestedCpus / provisionedVcpus) : undefined,
      monthlyUsd: chosenMonthly,
    };
    const diff = (a?: number, b?: number) => (a === undefined || b === undefined ? undefined : round(a - b));
    const doc: { [key: string]: any } = {
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
        reasons: a.reasons,
        conflicts: a.conflicts,
        override: a.override ?? null,
      })),
      hosts: hostTotals.map((h) => ({
        path: h.path,
        instanceType: h.instanceType,
        kind: h.kind,
        count: h.count,
        vcpus: h.vcpus ?? null,
        memoryMiB: h.memoryMiB ?? null,
        apps: h.apps,
      })),
      totals: chosen,
      oneVmPerApp: oneVmPlan,
      difference: {
        hosts: oneVmPlan.hosts - chosen.hosts,
        vcpus: diff(oneVmPlan.vcpus, chosen.vcpus),
        memoryMiB: diff(oneVmPlan.memoryMiB, chosen.memoryMiB),
        guestOsMemoryMiB: oneVmPlan.guestOsMemoryMiB - chosen.guestOsMemoryMiB,
        monthlyUsd: diff(oneVmMonthly, chosenMonthly),
      },
      cost: chosenMonthly !== undefined && oneVmMonthly !== undefined
        ? { region: input.prices!.region, source: input.prices!.source, date: input.prices!.date, hoursPerMonth: HOURS_PER_MONTH }
        : null,
      acknowledgements: input.acknowledgements ?? [],
    };
    return JSON.parse(JSON.stringify(doc, (_k, v) => (v === undefined ? null : v)));
  }

  /** The Mermaid diagram of hosts and what runs on each. */
  public static mermaid(doc: { [key: string]: any }): string {
    const id = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');
    const lines = ['flowchart TB'];
    for (const h of doc.hosts) {
      const size = h.count > 1 ? ` x ${h.count}` : '';
      lines.push(`  subgraph ${id(`host_${h.path}`)}["${h.path} (${h.instanceType}${size}, ${h.kind})"]`);
      for (const name of h.apps) {
        const app = doc.apps.find((a: any) => a.name === name);
        const shape = app.runsAs === 'container' ? `[["${name}: container${app.replicas > 1 ? ` x ${app.replicas}` : ''}"]]` : `["${name}: ${app.runsAs} on its own VM"]`;
        lines.push(`    ${id(`app_${name}`)}${shape}`);
      }
      lines.push('  end');
    }
    return lines.join('\n');
  }

  /** The apps table, as Markdown (also fine in a terminal). */
  public static table(doc: { [key: string]: any }): string {
    const rows = doc.apps.map((a: any) =>
      `| ${a.name} | ${a.isolation}${a.override ? ' (override)' : ''} | ${a.runsAs}${a.replicas > 1 ? ` x ${a.replicas}` : ''} | ${a.host} | ${a.memoryMiB} | ${a.cpus} | ${a.reasons.map((r: any) => r.ruleId).join(', ')}${a.conflicts.length ? `; conflict: ${a.conflicts.map((c: any) => c.ruleId).join(', ')}` : ''} |`);
    return ['| app | isolation | runs as | host | memory MiB | vCPU | why |', '| --- | --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
  }

  /** The plan against one VM per app, as Markdown. */
  public static totals(doc: { [key: string]: any }): string {
    const t = doc.totals;
    const o = doc.oneVmPerApp;
    const d = doc.difference;
    const f = (v: any, unit = '') => (v === null || v === undefined ? 'n/a' : `${v}${unit}`);
    const lines = [
      '| plan | hosts | vCPU | memory MiB | guest OS memory MiB |' + (doc.cost ? ' USD / month |' : ''),
      '| --- | --- | --- | --- | --- |' + (doc.cost ? ' --- |' : ''),
      `| this plan | ${t.hosts} | ${f(t.vcpus)} | ${f(t.memoryMiB)} | ${t.guestOsMemoryMiB} |` + (doc.cost ? ` ${f(t.monthlyUsd)} |` : ''),
      `| one VM per app | ${o.hosts} | ${f(o.vcpus)} | ${f(o.memoryMiB)} | ${o.guestOsMemoryMiB} |` + (doc.cost ? ` ${f(o.monthlyUsd)} |` : ''),
      `| difference | ${d.hosts} | ${f(d.vcpus)} | ${f(d.memoryMiB)} | ${d.guestOsMemoryMiB} |` + (doc.cost ? ` ${f(d.monthlyUsd)} |` : ''),
      '',
      `Utilization of this plan: memory ${f(t.memoryUtilization === null ? null : Math.round(t.memoryUtilization * 100), '%')}, ` +
        `vCPU ${f(t.cpuUtilization === null ? null : Math.round(t.cpuUtilization * 100), '%')} (requested ${t.requestedMemoryMiB} MiB, ${t.requestedCpus} vCPU).`,
    ];
    if (doc.cost) lines.push(`Prices: on-demand, ${doc.cost.region}, ${doc.cost.source}, ${doc.cost.date}, ${doc.cost.hoursPerMonth} h per month.`);
    else lines.push('No cost shown: no price table with source, region and date was given.');
    return lines.join('\n');
  }

  /** The whole report as Markdown. */
  public static markdown(doc: { [key: string]: any }): string {
    const out = [`# Isolation report: ${doc.stack}`, '', IsolationReportBuilder.table(doc), '', '## Plan', '', IsolationReportBuilder.totals(doc), '', '## Why', ''];
    for (const a of doc.apps) {
      out.push(`### ${a.name} (${a.isolation})`, '');
      for (const r of a.reasons) out.push(`- \`${r.ruleId}\`: ${r.text}`);
      for (const c of a.conflicts) out.push(`- conflict \`${c.ruleId}\`: ${c.text}`);
      if (a.override) out.push(`- override: ${a.override.from} to ${a.override.to}, because ${a.override.reason}`);
      out.push('');
    }
    if (doc.acknowledgements.length) {
      out.push('## Accepted findings', '');
      for (const k of doc.acknowledgements) out.push(`- \`${k.ruleId}\` on ${k.path}: ${k.reason}`);
      out.push('');
    }
    out.push('## Hosts', '', '```mermaid', IsolationReportBuilder.mermaid(doc), '```', '');
    return out.join('\n');
  }

  private constructor() {}
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
