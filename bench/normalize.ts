// Compares two synthesized stacks as sets of resources: logical ids are
// replaced by a name derived from the resource's own (normalized) body, so
// that a reference points at "the aws_iam_role with these attributes"
// whatever the program called it. Used by test/bench-equivalence.test.ts and
// by bench/synth.ts, which checks the compiled library against the
// hand-written program before it times them.
import { createHash } from 'node:crypto';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One resource or data source with its references normalized. */
export interface NormalizedElement {
  readonly kind: 'resource' | 'data';
  readonly type: string;
  /** The body with `//` metadata removed, keys sorted, references replaced. */
  readonly body: string;
}

/** A synthesized stack as a sorted multiset of normalized resource bodies, plus the other top-level blocks. */
export interface NormalizedStack {
  /** Sorted `kind type body` strings, one per element. */
  readonly elements: string[];
  /** How many elements of each `kind type`. */
  readonly counts: { [kindAndType: string]: number };
  /** Everything but `resource` and `data` (provider, terraform, output...), metadata removed. */
  readonly rest: string;
}

// A Terraform address inside an expression: `aws_iam_role.x` or `data.aws_vpc.y`.
const ADDRESS = /\b(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)/g;

function strip(value: Json): Json {
  if (Array.isArray(value)) return value.map(strip);
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
      if (key !== '//') out[key] = strip(value[key]);
    }
    return out;
  }
  return value;
}

/** Normalizes a synthesized stack (the parsed cdk.tf.json). */
export function normalizeStack(json: { [block: string]: Json }): NormalizedStack {
  const bodies = new Map<string, { kind: 'resource' | 'data'; type: string; body: Json }>();
  for (const kind of ['resource', 'data'] as const) {
    const block = (json[kind] ?? {}) as { [type: string]: { [id: string]: Json } };
    for (const type of Object.keys(block)) {
      for (const id of Object.keys(block[type])) {
        bodies.set(`${kind === 'data' ? 'data.' : ''}${type}.${id}`, { kind, type, body: strip(block[type][id]) });
      }
    }
  }
  const names = new Map<string, string>();
  const inProgress = new Set<string>();
  const rewrite = (value: Json): Json => {
    if (typeof value === 'string') {
      // An expression, or a bare address (a replace_triggered_by entry).
      if (!value.includes('${') && !bodies.has(value)) return value;
      return value.replace(ADDRESS, (match, data: string | undefined, type: string, id: string) => {
        const address = `${data ?? ''}${type}.${id}`;
        return bodies.has(address) ? `${data ?? ''}${type}.${nameOf(address)}` : match;
      });
    }
    if (Array.isArray(value)) return value.map(rewrite);
    if (value !== null && typeof value === 'object') {
      const out: { [key: string]: Json } = {};
      for (const key of Object.keys(value)) out[key] = rewrite(value[key]);
      return out;
    }
    return value;
  };
  const normalized = new Map<string, string>();
  function bodyOf(address: string): string {
    let text = normalized.get(address);
    if (text === undefined) {
      if (inProgress.has(address)) throw new Error(`reference cycle through ${address}`);
      inProgress.add(address);
      text = JSON.stringify(rewrite(bodies.get(address)!.body));
      inProgress.delete(address);
      normalized.set(address, text);
    }
    return text;
  }
  function nameOf(address: string): string {
    let name = names.get(address);
    if (name === undefined) {
      const e = bodies.get(address)!;
      name = `#${createHash('sha256').update(`${e.kind} ${e.type} ${bodyOf(address)}`).digest('hex').slice(0, 16)}`;
      names.set(address, name);
    }
    return name;
  }
  const elements: string[] = [];
  const counts: { [kindAndType: string]: number } = {};
  for (const [address, e] of bodies) {
    elements.push(`${e.kind} ${e.type} ${bodyOf(address)}`);
    const key = `${e.kind} ${e.type}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  elements.sort();
  const rest: { [key: string]: Json } = {};
  for (const key of Object.keys(json).sort()) {
    if (key !== 'resource' && key !== 'data') rest[key] = json[key];
  }
  return { elements, counts: strip(counts) as { [k: string]: number }, rest: JSON.stringify(strip(rest)) };
}

/** A short digest of a normalized stack: equal digests, equal resource sets. */
export function digestOf(stack: NormalizedStack): string {
  return createHash('sha256').update(JSON.stringify(stack)).digest('hex').slice(0, 16);
}
