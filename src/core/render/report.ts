import { IsolationReportData } from '../report';

/** Renders the isolation report's data as Markdown, tables and a Mermaid diagram. Pure. */
export class ReportMarkdown {
  /** The Mermaid diagram of hosts and what runs on each. */
  public static mermaid(doc: IsolationReportData): string {
    const id = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');
    const lines = ['flowchart TB'];
    for (const h of doc.hosts) {
      const count = h.count ?? 1;
      const size = count > 1 ? ` x ${count}` : '';
      lines.push(`  subgraph ${id(`host_${h.path}`)}["${h.path} (${h.instanceType}${size}, ${h.kind})"]`);
      for (const name of h.apps) {
        const app = doc.apps.find((a) => a.name === name)!;
        const replicas = app.replicas ?? 1;
        const shape = app.runsAs === 'container' ? `[["${name}: container${replicas > 1 ? ` x ${replicas}` : ''}"]]` : `["${name}: ${app.runsAs} on its own VM"]`;
        lines.push(`    ${id(`app_${name}`)}${shape}`);
      }
      lines.push('  end');
    }
    return lines.join('\n');
  }

  /** The apps table, as Markdown (also fine in a terminal). */
  public static table(doc: IsolationReportData): string {
    const rows = doc.apps.map((a) => {
      const replicas = a.replicas ?? 1;
      const why = a.reasons.map((r) => r.ruleId).join(', ') + (a.conflicts.length ? `; conflict: ${a.conflicts.map((c) => c.ruleId).join(', ')}` : '');
      return `| ${a.name} | ${a.isolation}${a.override ? ' (override)' : ''} | ${a.runsAs}${replicas > 1 ? ` x ${replicas}` : ''} | ${a.os ?? 'Linux'} | ${a.host} | ` +
        `${a.memoryMiB} | ${a.cpus} | ${a.guestOsMemoryMiB ?? 'shared'} | ${why} |`;
    });
    return ['| app | isolation | runs as | OS | host | memory MiB | vCPU | guest OS MiB | why |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
  }

  /** The plan against one VM per app, as Markdown. */
  public static totals(doc: IsolationReportData): string {
    const t = doc.totals;
    const o = doc.oneVmPerApp;
    const d = doc.difference;
    const f = (v: number | undefined, unit = '') => (v === undefined ? 'n/a' : `${v}${unit}`);
    const cost = doc.cost;
    const lines = [
      '| plan | hosts | vCPU | memory MiB | guest OS memory MiB |' + (cost ? ' USD / month |' : ''),
      '| --- | --- | --- | --- | --- |' + (cost ? ' --- |' : ''),
      `| this plan | ${t.hosts} | ${f(t.vcpus)} | ${f(t.memoryMiB)} | ${t.guestOsMemoryMiB} |` + (cost ? ` ${f(t.monthlyUsd)} |` : ''),
      `| one VM per app | ${o.hosts} | ${f(o.vcpus)} | ${f(o.memoryMiB)} | ${o.guestOsMemoryMiB} |` + (cost ? ` ${f(o.monthlyUsd)} |` : ''),
      `| difference | ${d.hosts} | ${f(d.vcpus)} | ${f(d.memoryMiB)} | ${d.guestOsMemoryMiB} |` + (cost ? ` ${f(d.monthlyUsd)} |` : ''),
      '',
      `Utilization of this plan: memory ${f(t.memoryUtilization === undefined ? undefined : Math.round(t.memoryUtilization * 100), '%')}, ` +
        `vCPU ${f(t.cpuUtilization === undefined ? undefined : Math.round(t.cpuUtilization * 100), '%')} (requested ${t.requestedMemoryMiB} MiB, ${t.requestedCpus} vCPU).`,
    ];
    if (cost) lines.push(`Prices: on-demand, ${cost.region}, ${cost.source}, ${cost.date}, ${cost.hoursPerMonth} h per month.`);
    else lines.push('No cost shown: no price table with source, region and date was given.');
    return lines.join('\n');
  }

  /** The whole report as Markdown. */
  public static markdown(doc: IsolationReportData): string {
    const out = [`# Isolation report: ${doc.stack}`, '', ReportMarkdown.table(doc), '', '## Plan', '', ReportMarkdown.totals(doc), '', '## Why', ''];
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
    const notChecked = doc.deferredChecks.filter((c) => c.checkedBy === 'not-checked');
    if (notChecked.length) {
      out.push('## Not checked', '', 'Values known only at apply that nothing could check:', '');
      for (const c of notChecked) out.push(`- ${c.path} \`${c.prop}\`: ${c.check}; not checked: ${c.why}`);
      out.push('');
    }
    const atPlan = doc.deferredChecks.filter((c) => c.checkedBy === 'terraform');
    if (atPlan.length) {
      out.push('## Checked by Terraform at plan', '', 'Values known only at apply, checked by preconditions before anything is created:', '');
      for (const c of atPlan) out.push(`- ${c.path} \`${c.prop}\`: ${c.check}`);
      out.push('');
    }
    const reached = doc.hosts.filter((h) => h.reach !== undefined);
    if (reached.length) {
      out.push('## Networks', '', 'How each host reaches its packages, its images and Systems Manager:', '');
      for (const h of reached) out.push(`- ${h.path}: ${h.reach}`);
      out.push('');
    }
    const updated = doc.hosts.filter((h) => h.updates !== undefined);
    if (updated.length) {
      out.push('## Updates', '', 'How a deploy changes each host:', '');
      for (const h of updated) out.push(`- ${h.path}: ${h.updates}`);
      out.push('');
    }
    const withData = doc.hosts.filter((h) => (h.dataVolumes ?? []).length > 0);
    if (withData.length) {
      out.push('## Data', '', 'The data volumes of each host (they outlive it) and whether they are backed up:', '');
      for (const h of withData) for (const v of h.dataVolumes!) out.push(`- ${h.path}: ${v}`);
      out.push('');
    }
    out.push('## Hosts', '', '```mermaid', ReportMarkdown.mermaid(doc), '```', '');
    return out.join('\n');
  }

  private constructor() {}
}
