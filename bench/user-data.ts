// User data size per host against the number of containers on it, and where
// EC2's 16 KB limit (16384 bytes, before base64) falls, plain and gzip
// compressed. Each container is the realistic spec of the synth benchmark
// (bench/portfolio.ts): an image reference, three environment variables, one
// published port and a health check; a second series pins each image by a
// digest (64 hex digits that gzip cannot shrink much), as production stacks
// often do. The baseline is a host with no
// containers (Docker setup only). Sizes only: the host is an r6i.32xlarge
// (1 TiB, 128 vCPUs), so that the capacity check (every container's memory
// limit plus the reserve must fit the instance type) never stops a count;
// the instance type does not reach the user data.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { ContainerImage, ContainerOnVm, VmHost } from '../src';
import { table } from './common';
import { benchContainer, REGION, STACK_ID } from './portfolio';
import { mulberry32 } from './random';
import { UserData } from '../src/core/render/user-data';
import { gzipDeterministic } from '../src/private/gzip';

/** Large enough for the 1,000 containers the search may try (see above). */
const SIZES_ONLY_TYPE = 'r6i.32xlarge';

interface Row { containers: number; textBytes: number; gzipBytes: number; encoded: string }

/** A digest for container `c`: 64 hex digits from a seeded PRNG. */
function digest(c: number): string {
  const rand = mulberry32(1000 + c);
  return Array.from({ length: 8 }, () => Math.floor(rand() * 2 ** 32).toString(16).padStart(8, '0')).join('');
}

function measure(containers: number, pinned = false): Row {
  const stack = new TerraformStack(Testing.app(), STACK_ID);
  new AwsProvider(stack, 'aws', { region: REGION });
  const host = new VmHost(stack, 'host', { instanceType: SIZES_ONLY_TYPE });
  for (let c = 0; c < containers; c++) {
    const spec = benchContainer(0, c);
    new ContainerOnVm(host, spec.name, {
      host,
      name: spec.name,
      image: ContainerImage.fromRegistry(pinned ? `${spec.image.replace(/:[^:/]+$/, '')}@sha256:${digest(c)}` : spec.image),
      memoryMiB: spec.memoryMiB,
      cpus: spec.cpus,
      environment: spec.environment,
      ports: [{ containerPort: spec.containerPort, hostPort: spec.hostPort }],
      healthCheck: { command: spec.healthCommand },
    });
  }
  const text = host.renderUserData();
  let encoded: string;
  try {
    const e = UserData.encode(text, host.node.path);
    encoded = e.compressed ? `user_data_base64 (gzip, ${e.payloadBytes} bytes)` : `user_data (plain, ${e.payloadBytes} bytes)`;
  } catch (e) {
    encoded = 'error: too large even compressed';
  }
  return { containers, textBytes: Buffer.byteLength(text, 'utf8'), gzipBytes: gzipDeterministic(text).length, encoded };
}

/** The largest count in [0, hi] for which `fits` holds (it holds for 0 and is monotonic). */
function largest(fits: (n: number) => boolean, hi: number): number {
  let lo = 0;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid; else hi = mid - 1;
  }
  return lo;
}

const LIMIT = UserData.MAX_BYTES;
const base = measure(0);
const COUNTS = [1, 5, 10, 20, 40, 80, 120, 160, 200];
const rows = COUNTS.map((n) => measure(n));
const pinnedRows = COUNTS.map((n) => measure(n, true));
const plainMax = largest((n) => measure(n).textBytes <= LIMIT, 200);
const gzipMax = largest((n) => measure(n).gzipBytes <= LIMIT, 1000);
const pinnedPlainMax = largest((n) => measure(n, true).textBytes <= LIMIT, 200);
const pinnedGzipMax = largest((n) => measure(n, true).gzipBytes <= LIMIT, 1000);
const kb = (b: number) => `${b} (${(b / 1024).toFixed(1)} KiB)`;

console.log(`## User data size per host (limit ${LIMIT} bytes before base64; containers as in bench/portfolio.ts)\n`);
console.log(table(
  ['containers', 'plain text bytes', 'gzip bytes', 'gzip / plain', 'plain bytes per container', 'gzip bytes per container', 'what VmHost sends',
    'digest-pinned: plain bytes', 'digest-pinned: gzip bytes'],
  [base, ...rows].map((r, i) => [
    r.containers === 0 ? '0 (baseline: Docker setup only)' : r.containers,
    kb(r.textBytes), kb(r.gzipBytes), `${(r.gzipBytes / r.textBytes).toFixed(3)}`,
    r.containers === 0 ? '-' : ((r.textBytes - base.textBytes) / r.containers).toFixed(0),
    r.containers === 0 ? '-' : ((r.gzipBytes - base.gzipBytes) / r.containers).toFixed(0),
    r.encoded,
    i === 0 ? kb(base.textBytes) : kb(pinnedRows[i - 1].textBytes),
    i === 0 ? kb(base.gzipBytes) : kb(pinnedRows[i - 1].gzipBytes),
  ]),
));
const atPlain = [measure(plainMax), measure(plainMax + 1)];
const atGzip = [measure(gzipMax), measure(gzipMax + 1)];
console.log();
console.log(`Largest container count that fits plain: ${plainMax} (${atPlain[0].textBytes} bytes; ${plainMax + 1} need ${atPlain[1].textBytes}).`);
console.log(`Largest container count that fits compressed: ${gzipMax} (${atGzip[0].gzipBytes} bytes gzip; ${gzipMax + 1} need ${atGzip[1].gzipBytes}; ` +
  `the user data at ${gzipMax + 1}: ${atGzip[1].encoded}).`);
console.log(`With digest-pinned images: ${pinnedPlainMax} fit plain, ${pinnedGzipMax} compressed ` +
  `(${measure(pinnedGzipMax, true).gzipBytes} bytes gzip; ${pinnedGzipMax + 1} need ${measure(pinnedGzipMax + 1, true).gzipBytes}).`);
