import * as fs from 'node:fs';
import * as path from 'node:path';
import { ISynthesisSession, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { ReportMarkdown } from '../core/render/report';
import { IsolationReportData, PriceTable, ReportAcknowledgement, ReportApp, ReportBuilder, ReportHost } from '../core/report';
import { IsolationError } from '../private/errors';
import { Check } from '../private/validate';
import { onSynthesis } from '../terraform/custom-synthesis';
import { Preconditions } from '../terraform/preconditions';

/** What a report source contributes: apps and hosts, after placement. */
interface ReportEntries {
  readonly apps: ReportApp[];
  readonly hosts: ReportHost[];
}

/**
 * The isolation report of one stack: every IsolatedApp, its decision and
 * reasons, the hosts, the plan's totals against one VM per app, and a
 * Mermaid diagram. Written on synthesis next to the stack's Terraform as
 * `isolation-report.json` (the `IsolationReportData` it holds) and
 * `isolation-report.md`.
 */
export class IsolationReport extends Construct {
  /** File name of the JSON report. */
  public static readonly JSON_FILE = 'isolation-report.json';
  /** File name of the Markdown report. */
  public static readonly MARKDOWN_FILE = 'isolation-report.md';

  /** The report of the stack that holds `scope` (created on first use). */
  public static of(scope: IConstruct): IsolationReport {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild('IsolationReport');
    return (existing as IsolationReport) ?? new IsolationReport(stack, 'IsolationReport');
  }

  /** A report's data (for example read back from `isolation-report.json`) as the whole Markdown report. */
  public static renderMarkdown(data: IsolationReportData): string {
    return ReportMarkdown.markdown(data);
  }

  /** The apps table of a report's data, as Markdown (fine in a terminal). */
  public static renderAppsTable(data: IsolationReportData): string {
    return ReportMarkdown.table(data);
  }

  /** The plan against one VM per app of a report's data, as Markdown. */
  public static renderPlanTable(data: IsolationReportData): string {
    return ReportMarkdown.totals(data);
  }

  private readonly sources: Array<() => ReportEntries> = [];
  private readonly acknowledgements: ReportAcknowledgement[] = [];
  private readonly names = new Map<string, string>();
  private prices?: PriceTable;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    onSynthesis(this, (session: ISynthesisSession) => {
      const stack = TerraformStack.of(this);
      const dir = path.join(session.outdir, session.manifest.forStack(stack).workingDirectory);
      const doc = this.toJson();
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, IsolationReport.JSON_FILE), `${JSON.stringify(doc, null, 2)}\n`);
      fs.writeFileSync(path.join(dir, IsolationReport.MARKDOWN_FILE), ReportMarkdown.markdown(doc));
    });
  }

  /** Uses on-demand prices (with their source, region and date) for the cost columns. */
  public usePrices(prices: PriceTable): void {
    const where = this.node.path;
    const p = Check.props(where, prices, "{ region: 'eu-west-1', source: '...', date: '2026-12-01', usdPerHour: { 't3.small': 0.0228 } }", false);
    for (const field of ['region', 'source', 'date'] as const) {
      if (typeof p[field] !== 'string' || p[field].trim() === '') {
        throw new IsolationError(where, `prices.${field}`, 'must be given: a cost without where it comes from is not shown', p[field], `Give the price table's ${field}.`);
      }
    }
    if (p.usdPerHour === null || typeof p.usdPerHour !== 'object') {
      throw new IsolationError(where, 'prices.usdPerHour', 'must be a map of instance types to USD per hour', p.usdPerHour, "Write e.g. { 't3.small': 0.0228 }.");
    }
    for (const [type, usd] of Object.entries(p.usdPerHour)) Check.numberInRange(where, `prices.usdPerHour.${type}`, usd, 0, 1000);
    this.prices = p;
  }

  /**
   * Registers a source of apps and hosts, read when the report is built.
   * @internal
   */
  public _addSource(source: () => ReportEntries): void {
    this.sources.push(source);
  }

  /**
   * Reserves an app name; app names are unique in a stack.
   * @internal
   */
  public _reserveName(appName: string, appPath: string): void {
    const other = this.names.get(appName);
    if (other !== undefined) {
      throw new IsolationError(appPath, 'name', `must be unique in the stack (app ${other} already has it)`, appName,
        "Give each app its own name (the container's name, else the construct id).");
    }
    this.names.set(appName, appPath);
  }

  /** Records an accepted policy finding. */
  public addAcknowledgement(acknowledgement: ReportAcknowledgement): void {
    this.acknowledgements.push(acknowledgement);
  }

  /** The report's data (the content of isolation-report.json). */
  public toJson(): IsolationReportData {
    const apps: ReportApp[] = [];
    const hosts: ReportHost[] = [];
    for (const source of this.sources) {
      const entries = source();
      apps.push(...entries.apps);
      for (const h of entries.hosts) if (!hosts.some((x) => x.path === h.path)) hosts.push(h);
    }
    const order = [...this.names.keys()];
    apps.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    // Each host lists the apps on it, in declaration order.
    const filled = hosts.map((h) => ({ ...h, apps: apps.filter((a) => a.host === h.path).map((a) => a.name) }));
    filled.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return ReportBuilder.create({
      stack: TerraformStack.of(this).node.id,
      apps,
      hosts: filled,
      prices: this.prices,
      acknowledgements: [...this.acknowledgements].sort((a, b) => (a.path + a.ruleId < b.path + b.ruleId ? -1 : 1)),
      deferredChecks: Preconditions.reportedUnder(TerraformStack.of(this)),
    });
  }

  /** The report as Markdown. */
  public markdown(): string {
    return ReportMarkdown.markdown(this.toJson());
  }
}
