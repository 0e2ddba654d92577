import { IsolationError, describeValue } from './errors';

/** Host index per app of one pool. */
export type PoolPlacement = { [app: string]: number };

/**
 * The text of a placement lock file (`HostPool` `placementFile`): the host
 * index of every app of every pool that uses the file, keyed by the pool's
 * construct path. A synthesis reads it as the previous placement, so apps
 * keep their host wherever new apps are declared, and writes the new
 * placement back. Like a package lock, it is meant to be committed.
 *
 * No placement that looks only at the apps declared now can promise that.
 * If no insertion ever moved an app, an app's host could not depend on the
 * other apps (declare it alone, then add the others one by one), so it would
 * be fixed by the app alone; with finitely many hosts, two apps that cannot
 * share one would then be given the same host. Keeping existing apps where
 * they are needs the earlier placement, and this file carries it from one
 * synthesis to the next (bench/RESULTS.md, section 4).
 *
 * Pure text in, text out: reading and writing the file is the construct's.
 *
 * ```json
 * {
 *   "version": 1,
 *   "pools": {
 *     "prod/pool": { "api": 0, "web": 0, "worker": 1 }
 *   }
 * }
 * ```
 */
export class PlacementLock {
  /** The format version this library writes and reads. */
  public static readonly VERSION = 1;

  /**
   * The placement of every pool in the file's text. `path` and `prop` name
   * the pool and its prop in errors, `file` the file.
   */
  public static parse(text: string, file: string, path: string, prop: string): { [pool: string]: PoolPlacement } {
    const fix = `Fix ${file} or delete it (the next synthesis writes it anew, placing every app afresh).`;
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new IsolationError(path, prop, `names a file that is not JSON (${(e as Error).message})`, file, fix);
    }
    if (!isObject(doc) || doc.version !== PlacementLock.VERSION || !isObject(doc.pools)) {
      throw new IsolationError(path, prop, `names a file that is not a version ${PlacementLock.VERSION} placement lock ` +
        `(expected {"version": ${PlacementLock.VERSION}, "pools": {...}}, found ${describeValue(doc)})`, file, fix);
    }
    const pools: { [pool: string]: PoolPlacement } = {};
    for (const [pool, apps] of Object.entries(doc.pools)) {
      if (!isObject(apps)) {
        throw new IsolationError(path, prop, `names a file whose pool "${pool}" is not an object of host indexes (found ${describeValue(apps)})`, file, fix);
      }
      const placement: PoolPlacement = {};
      for (const [app, index] of Object.entries(apps)) {
        if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
          throw new IsolationError(path, prop, `names a file where app "${app}" of pool "${pool}" has host index ${describeValue(index)}, ` +
            'not a whole number from 0', file, fix);
        }
        placement[app] = index;
      }
      pools[pool] = placement;
    }
    return pools;
  }

  /**
   * The file's text with the placement of `pool` replaced by `placement`
   * (apps no longer in the pool are gone from it) and every other pool kept.
   * Deterministic: pools and apps sorted, two-space indentation, a final
   * newline.
   */
  public static withPool(pools: { [pool: string]: PoolPlacement }, pool: string, placement: PoolPlacement): string {
    const all = { ...pools, [pool]: placement };
    const sorted: { [pool: string]: PoolPlacement } = {};
    for (const name of Object.keys(all).sort()) {
      sorted[name] = Object.fromEntries(Object.keys(all[name]).sort().map((app) => [app, all[name][app]]));
    }
    return `${JSON.stringify({ version: PlacementLock.VERSION, pools: sorted }, undefined, 2)}\n`;
  }

  private constructor() {}
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
