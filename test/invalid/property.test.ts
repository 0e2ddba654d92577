import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import * as fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { ContainerImage, ContainerOnVm, ContainerOptions, ContainerSpec, HostPool, IsolatedApp, PlacementStrategy, RestartPolicy, VmHost } from '../../src';
import { DockerRun } from '../../src/core/render/docker-run';
import { IsolationError } from '../../src/private/errors';
import { resourcesOf, userDataOf } from '../helpers/synth';

const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2147483647;
const RUNS = Number(process.env.FC_RUNS ?? 400);

/** Runs a property; on failure, prints the seed to reproduce it (FC_SEED=<seed> npx jest test/invalid/property.test.ts). */
function check(name: string, property: fc.IPropertyWithHooks<any> | fc.IProperty<any>, numRuns = RUNS): void {
  try {
    fc.assert(property, { numRuns, seed: SEED });
  } catch (e) {
    // eslint-disable-next-line no-console
    console.error(`property '${name}' failed; reproduce with FC_SEED=${SEED} FC_RUNS=${numRuns}`);
    throw e;
  }
}

const nameArb = fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,20}$/);
const envNameArb = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,15}$/);
const anyText = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replace(/\0/g, ''));
const specArb: fc.Arbitrary<ContainerOptions> = fc.record({
  name: nameArb,
  memoryMiB: fc.integer({ min: 6, max: 4096 }),
  cpus: fc.option(fc.integer({ min: 1, max: 200 }).map((n) => n / 100), { nil: undefined }),
  pidsLimit: fc.option(fc.integer({ min: 8, max: 4096 }), { nil: undefined }),
  environment: fc.dictionary(envNameArb, anyText, { maxKeys: 5 }),
  labels: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9.]{0,12}$/).filter((k) => !k.startsWith('cdktf-isolation.')), anyText, { maxKeys: 3 }),
  command: fc.option(fc.array(anyText, { maxLength: 4 }), { nil: undefined }),
  ports: fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { maxLength: 3 }).map((ps) => ps.map((p) => ({ containerPort: p }))),
  healthCheck: fc.option(
    fc.record({ command: fc.array(anyText, { minLength: 1, maxLength: 3 }), intervalSeconds: fc.integer({ min: 1, max: 3600 }) }),
    { nil: undefined },
  ),
  restartPolicy: fc.constantFrom(RestartPolicy.ON_FAILURE, RestartPolicy.ALWAYS, RestartPolicy.NEVER),
}).map((o) => ({ ...o, image: ContainerImage.fromRegistry('nginx:1.27') }));

function stack(): TerraformStack {
  const s = new TerraformStack(Testing.app(), 'p');
  new AwsProvider(s, 'aws', { region: 'eu-west-1' });
  return s;
}

function roundTrips(userData: string): void {
  expect(userData.startsWith('#cloud-config\n')).toBe(true);
  const doc = parse(userData, { version: '1.1' });
  expect(parse(stringify(doc, { version: '1.1' }), { version: '1.1' })).toEqual(doc);
}

describe(`property tests (seed ${SEED})`, () => {
  test('valid container specs synthesize, and their cloud-config is YAML whose structure round-trips', () => {
    check('valid specs', fc.property(specArb, (spec) => {
      const s = stack();
      new ContainerOnVm(s, 'c', { host: new VmHost(s, 'host', { instanceType: 't3.2xlarge' }), ...spec });
      const json = JSON.parse(Testing.synth(s, true));
      const userData = userDataOf(Object.values<any>(resourcesOf(json, 'aws_instance'))[0]);
      roundTrips(userData);
      const doc = parse(userData, { version: '1.1' });
      // Whatever the values hold, the start script arrives byte for byte as rendered (YAML-escaped, then parsed back).
      const script = doc.write_files.find((f: any) => f.path.endsWith(`containers/${spec.name}.sh`)).content as string;
      expect(script).toBe(DockerRun.startScript(ContainerSpec.of(spec, 'p/c')));
    }));
  });

  /** One mutation that makes a valid spec invalid, and the prop the error must name. */
  const mutations: Array<[string, (o: ContainerOptions) => ContainerOptions]> = [
    ['memoryMiB', (o) => ({ ...o, memoryMiB: -1 })],
    ['memoryMiB', (o) => ({ ...o, memoryMiB: NaN })],
    ['memoryMiB', (o) => ({ ...o, memoryMiB: '128' as any })],
    ['cpus', (o) => ({ ...o, cpus: 0.001 })],
    ['cpus', (o) => ({ ...o, cpus: 16 })],
    ['pidsLimit', (o) => ({ ...o, pidsLimit: 0 })],
    ['name', (o) => ({ ...o, name: `-${o.name}` })],
    ['ports[0].containerPort', (o) => ({ ...o, ports: [{ containerPort: 70000 }] })],
    ['ports[0].hostIp', (o) => ({ ...o, ports: [{ containerPort: 80, hostIp: 'host' }] })],
    ['environment.', (o) => ({ ...o, environment: { ...o.environment, 'BAD-NAME': 'x' } })],
    ['privileged', (o) => ({ ...o, privileged: true })],
    ['hostNetwork', (o) => ({ ...o, hostNetwork: true, ports: [] })],
    ['volumes[0].source', (o) => ({ ...o, volumes: [{ source: '/etc', target: '/x' }] })],
    ['healthCheck.command', (o) => ({ ...o, healthCheck: { command: [] } })],
    ['image', (o) => ({ ...o, image: { reference: 'UPPER:1' } as any })],
    ['tmpfs[0].sizeMiB', (o) => ({ ...o, tmpfs: [{ target: '/cache', sizeMiB: o.memoryMiB + 1 }] })],
    ['memoryMiB', (o) => ({ ...o, memoryMiB: 40000 })],
    ['memoryMiB', (o) => ({ ...o, memoryMiB: String(o.memoryMiB) as any })],
    ['ports[0]', (o) => ({ ...o, ports: [8080 as any] })],
    ['capAdd', (o) => ({ ...o, capAdd: ['SYS_ADMIN'] })],
    ['capAdd', (o) => ({ ...o, capAdd: ['CAP_DAC_READ_SEARCH'] })],
    ['cpuShares', (o) => ({ ...o, cpuShares: 1024 })],
    ['user', (o) => ({ ...o, user: 'a b' })],
    ['environment.UNSET', (o) => ({ ...o, environment: { ...o.environment, UNSET: undefined as any } })],
    ['readOnlyRootFilesystem', (o) => ({ ...o, readOnlyRootFilesystem: 'false' as any })],
  ];

  test('invalid specs fail with the library error naming the prop, never a TypeError or RangeError', () => {
    check('invalid specs', fc.property(specArb, fc.integer({ min: 0, max: mutations.length - 1 }), (spec, i) => {
      const [prop, mutate] = mutations[i];
      const s = stack();
      let error: Error | undefined;
      try {
        new ContainerOnVm(s, 'c', { host: new VmHost(s, 'host', { instanceType: 't3.2xlarge' }), ...mutate(spec) });
        Testing.synth(s, true);
      } catch (e) {
        error = e as Error;
      }
      expect(error).toBeDefined();
      expect(error).not.toBeInstanceOf(TypeError);
      expect(error).not.toBeInstanceOf(RangeError);
      // The library's own error, in its one shape, whether at construction or at synthesis.
      expect(error).toBeInstanceOf(IsolationError);
      expect(error!.message).toContain(`'${prop}`);
    }));
  });

  test('pools of valid apps place and synthesize; every host\'s cloud-config round-trips', () => {
    const fitting = specArb.map((o) => ({
      ...o, memoryMiB: Math.min(o.memoryMiB, 3000), cpus: o.cpus === undefined ? undefined : Math.min(o.cpus, 1.5),
    }));
    const appsArb = fc.uniqueArray(fitting,
      { minLength: 1, maxLength: 12, selector: (o) => o.name });
    check('pools', fc.property(appsArb, fc.constantFrom(PlacementStrategy.STABLE, PlacementStrategy.BIN_PACK), (apps, strategy) => {
      const s = stack();
      const pool = new HostPool(s, 'pool', { instanceType: 't3.medium', strategy, maxHosts: 20 });
      apps.forEach((a, i) => new IsolatedApp(s, `app${i}`, { pool, container: { ...a, ports: [] } }));
      const json = JSON.parse(Testing.synth(s, true));
      const instances = Object.values<any>(resourcesOf(json, 'aws_instance'));
      expect(instances.length).toBe(pool.hosts.length);
      for (const instance of instances) roundTrips(userDataOf(instance));
      expect(Object.keys(pool.placement()).sort()).toEqual(apps.map((a) => a.name).sort());
    }), Math.max(50, Math.floor(RUNS / 2)));
  });
});
