import * as fc from 'fast-check';
import { AppScope, ContainerImage, IsolatedApp, Tenancy } from '../../src';
import { Capacity, Workload } from '../../src/core/capacity';
import { InstanceTypes } from '../../src/core/instance-types';
import { awsStack, onlyResource, synthJson } from '../helpers/synth';

const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2147483647;
const image = ContainerImage.fromRegistry('nginx:1.27');
const T3_SMALL = InstanceTypes.lookup('t3.small')!;

describe('the capacity model', () => {
  test('a host keeps 384 MiB and 0.1 vCPU; each container costs 16 MiB on top of its limit, a native app nothing', () => {
    expect(Capacity.reserveMiB(0)).toBe(384);
    expect(Capacity.reserveMiB(3)).toBe(432);
    expect(Capacity.memoryNeedMiB({ memoryMiB: 100, cpus: 0, container: true })).toBe(116);
    expect(Capacity.memoryNeedMiB({ memoryMiB: 100, cpus: 0, container: false })).toBe(100);
    expect(Capacity.usableMemoryMiB(T3_SMALL)).toBe(1664);
    expect(Capacity.usableVcpus(T3_SMALL)).toBeCloseTo(1.9);
  });

  test('problems name what does not fit and by how much', () => {
    expect(Capacity.problems(T3_SMALL, [{ memoryMiB: 1648, cpus: 1.9, container: true }])).toEqual([]);
    expect(Capacity.problems(T3_SMALL, [{ memoryMiB: 1649, cpus: 0, container: true }])).toEqual([{ kind: 'memory', needed: 2049, available: 2048 }]);
    expect(Capacity.problems(T3_SMALL, [{ memoryMiB: 64, cpus: 3, container: true }])).toEqual([
      { kind: 'cpu-limit', needed: 3, available: 2 }, { kind: 'cpu-total', needed: 3, available: 1.9 },
    ]);
    expect(Capacity.problems(T3_SMALL, [{ memoryMiB: 64, cpus: 1, container: true }, { memoryMiB: 64, cpus: 1, container: true }]))
      .toEqual([{ kind: 'cpu-total', needed: 2, available: 1.9 }]);
  });

  test('the smallest t3 for a 128 MiB container is a t3.micro (a t3.nano cannot hold it with the reserves), for 1664 MiB a t3.medium', () => {
    expect(Capacity.smallestFitting('t3', [{ memoryMiB: 128, cpus: 0, container: true }])!.name).toBe('t3.micro');
    expect(Capacity.smallestFitting('t3', [{ memoryMiB: 128, cpus: 0, container: false }])!.name).toBe('t3.nano');
    expect(Capacity.smallestFitting('t3', [{ memoryMiB: 1664, cpus: 0, container: true }])!.name).toBe('t3.medium');
    expect(Capacity.smallestFitting('t3', [{ memoryMiB: 1664, cpus: 0, container: false }])!.name).toBe('t3.small');
    expect(Capacity.smallestFitting('t3', [{ memoryMiB: 40000, cpus: 0, container: true }])).toBeUndefined();
  });

  test(`property: the type it picks holds the workload, and no smaller type of the family does (seed ${SEED})`, () => {
    const load: fc.Arbitrary<Workload> = fc.record({
      memoryMiB: fc.integer({ min: 6, max: 34000 }),
      cpus: fc.integer({ min: 0, max: 800 }).map((n) => n / 100),
      container: fc.boolean(),
    });
    fc.assert(fc.property(fc.constantFrom('t3', 't4g', 'm6i', 'c7g', 'r6i'), load, (family, l) => {
      const pick = Capacity.smallestFitting(family, [l]);
      const types = InstanceTypes.all().filter((t) => t.name.startsWith(`${family}.`));
      if (!pick) {
        expect(types.every((t) => !Capacity.holds(t, [l]))).toBe(true);
        return;
      }
      expect(Capacity.problems(pick, [l])).toEqual([]);
      const smaller = types.filter((t) => t.memoryMiB < pick.memoryMiB || (t.memoryMiB === pick.memoryMiB && t.vcpus < pick.vcpus));
      expect(smaller.filter((t) => Capacity.holds(t, [l])).map((t) => t.name)).toEqual([]);
    }), { numRuns: 2000, seed: SEED });
  });
});

describe('IsolatedApp picks a dedicated host that holds its container, by the same model as VmHost', () => {
  const typeOf = (build: (stack: ReturnType<typeof awsStack>['stack']) => void) => {
    const { stack } = awsStack();
    build(stack);
    return onlyResource(synthJson(stack), 'aws_instance').instance_type as string;
  };

  test.each([[128, 't3.micro'], [1664, 't3.medium'], [624, 't3.micro'], [625, 't3.small']])(
    'an untrusted %i MiB container gets a %s, and the stack synthesizes', (memoryMiB, type) => {
      expect(typeOf((s) => new IsolatedApp(s, 'a', { requirements: { tenancy: Tenancy.UNTRUSTED }, container: { name: 'a', image, memoryMiB } }))).toBe(type);
    });

  test('a native app gets the reserve without the per-container overhead', () => {
    expect(typeOf((s) => new IsolatedApp(s, 'erp', { requirements: { scope: AppScope.SYSTEM, memoryMiB: 1664 }, native: { packages: ['cron'] } }))).toBe('t3.small');
  });

  test('a container no t3 type holds needs a type, named with its size', () => {
    const { stack } = awsStack();
    expect(() => new IsolatedApp(stack, 'a', { requirements: { tenancy: Tenancy.UNTRUSTED }, container: { name: 'a', image, memoryMiB: 40000 } }))
      .toThrow("test/a: 'dedicatedVm.instanceType' must be given: no t3 type holds 40000 MiB and 0 vCPU plus the OS, got {\"memoryMiB\":40000,\"cpus\":0}. " +
        "Choose a larger type, e.g. 'm6i.4xlarge' or 'r6i.2xlarge'.");
  });

  test(`property: every default type holds its container, so synthesis with validations passes (seed ${SEED})`, () => {
    fc.assert(fc.property(fc.integer({ min: 6, max: 30000 }), fc.integer({ min: 0, max: 700 }).map((n) => n / 100), (memoryMiB, cpus) => {
      const type = typeOf((s) => new IsolatedApp(s, 'a', {
        requirements: { tenancy: Tenancy.UNTRUSTED },
        container: { name: 'a', image, memoryMiB, cpus: cpus > 0 ? cpus : undefined },
      }));
      expect(type).toBe(Capacity.smallestFitting('t3', [{ memoryMiB, cpus, container: true }])!.name);
    }), { numRuns: 60, seed: SEED });
  });
});

describe('IsolatedApp sizes a replicated app\'s fleet by the same model', () => {
  test(`property: the default fleet type is t3.small or the smallest t3 that holds the container, and the stack synthesizes (seed ${SEED})`, () => {
    const small = InstanceTypes.lookup('t3.small')!;
    fc.assert(fc.property(fc.integer({ min: 6, max: 30000 }), fc.integer({ min: 0, max: 700 }).map((n) => n / 100), (memoryMiB, cpus) => {
      const { stack } = awsStack();
      new IsolatedApp(stack, 'a', { container: { name: 'a', image, memoryMiB, cpus: cpus > 0 ? cpus : undefined }, replicas: 2 });
      const type = onlyResource(synthJson(stack), 'aws_launch_template').instance_type as string;
      const fit = Capacity.smallestFitting('t3', [{ memoryMiB, cpus, container: true }])!;
      expect(type).toBe(fit.memoryMiB < small.memoryMiB ? 't3.small' : fit.name);
      expect(Capacity.holds(InstanceTypes.lookup(type)!, [{ memoryMiB, cpus, container: true }])).toBe(true);
    }), { numRuns: 60, seed: SEED });
  });
});
