import { InstanceTypes } from '../../src/core/instance-types';
import { Architecture } from '../../src/core/os-family';

describe('InstanceTypes', () => {
  test.each([
    ['t3.small', 2, 2048, Architecture.X86_64],
    ['t3.nano', 2, 512, Architecture.X86_64],
    ['t4g.medium', 2, 4096, Architecture.ARM64],
    ['t3.2xlarge', 8, 32768, Architecture.X86_64],
    ['m6i.large', 2, 8192, Architecture.X86_64],
    ['m6i.32xlarge', 128, 524288, Architecture.X86_64],
    ['m7g.medium', 1, 4096, Architecture.ARM64],
    ['m7g.16xlarge', 64, 262144, Architecture.ARM64],
    ['c6i.xlarge', 4, 8192, Architecture.X86_64],
    ['c7g.large', 2, 4096, Architecture.ARM64],
    ['r6i.large', 2, 16384, Architecture.X86_64],
    ['r6i.32xlarge', 128, 1048576, Architecture.X86_64],
  ])('%s has %d vCPUs, %d MiB, %s', (name, vcpus, mem, arch) => {
    expect(InstanceTypes.lookup(name)).toEqual({ name, vcpus, memoryMiB: mem, architecture: arch, burstable: name.startsWith('t') });
  });

  test('covers the common general purpose, compute and memory families of both architectures', () => {
    const families = new Set(InstanceTypes.all().map((t) => t.name.split('.')[0]));
    expect([...families].sort()).toEqual([
      'c5', 'c6a', 'c6g', 'c6i', 'c7g', 'c7i', 'm5', 'm5a', 'm6a', 'm6g', 'm6i', 'm7a', 'm7g', 'm7i', 'm8g', 'r5', 'r6a', 'r6g', 'r6i', 'r7g', 'r7i', 't2', 't3', 't3a', 't4g',
    ]);
    // Every size is 2 vCPUs per `large` step, 4, 2 or 8 GiB per vCPU outside the burstable families.
    for (const t of InstanceTypes.all().filter((x) => !x.burstable)) expect([2048, 4096, 8192]).toContain(t.memoryMiB / t.vcpus);
    expect(InstanceTypes.lookup('c5.9xlarge')).toEqual({ name: 'c5.9xlarge', vcpus: 36, memoryMiB: 73728, architecture: Architecture.X86_64, burstable: false });
    expect(InstanceTypes.lookup('t2.micro')).toEqual({ name: 't2.micro', vcpus: 1, memoryMiB: 1024, architecture: Architecture.X86_64, burstable: true });
    expect(InstanceTypes.lookup('m7a.medium')).toEqual({ name: 'm7a.medium', vcpus: 1, memoryMiB: 4096, architecture: Architecture.X86_64, burstable: false });
  });

  test.each([
    ['t3.medum', "Did you mean 't3.medium', 't2.medium', 't3a.medium'?"],
    ['c7g.larg', "Did you mean 'c7g.large', 'c6g.large', 'c7g.xlarge'?"],
    ['m5.xlage', "Did you mean 'm5.xlarge', 'c5.xlarge', 'm5.2xlarge'?"],
    ['x2iedn.xlarge', ''],
  ])('an unknown type %j is an error naming the nearest listed ones and the escape', (name, nearest) => {
    expect(() => InstanceTypes.resolve('app/host', 'instanceType', name, undefined, 'instanceTypeSize')).toThrow(
      `app/host: 'instanceType' must be an instance type this library knows (its vCPUs and memory decide what the host can hold), got ${JSON.stringify(name)}. ` +
      `${nearest ? `${nearest} ` : ''}For a type the catalog does not list yet, give its size in instanceTypeSize, e.g. { vcpus: 2, memoryMiB: 8192 }.`);
  });

  test('an unlisted type with its size is taken as given; a listed one with a size is an error', () => {
    expect(InstanceTypes.resolve('h', 'instanceType', 'x2iedn.xlarge', { vcpus: 4, memoryMiB: 131072 }, 'instanceTypeSize'))
      .toEqual({ name: 'x2iedn.xlarge', vcpus: 4, memoryMiB: 131072, architecture: Architecture.X86_64, burstable: false });
    expect(InstanceTypes.resolve('h', 'instanceType', 'c8g.large', { vcpus: 2, memoryMiB: 4096 }, 'instanceTypeSize').architecture).toBe(Architecture.ARM64);
    expect(() => InstanceTypes.resolve('h', 'instanceType', 't3.small', { vcpus: 2, memoryMiB: 2048 }, 'instanceTypeSize')).toThrow(
      "h: 'instanceTypeSize' is only for types the catalog does not list, but 't3.small' is listed (2 vCPUs, 2048 MiB), got {\"vcpus\":2,\"memoryMiB\":2048}. Remove instanceTypeSize.");
    expect(() => InstanceTypes.resolve('h', 'instanceType', 'x9.large', { vcpus: 0, memoryMiB: 1024 }, 'instanceTypeSize')).toThrow(
      "h: 'instanceTypeSize.vcpus' must be an integer from 1 to 896, got 0.");
  });

  test.each([
    ['c7gn.large', Architecture.ARM64],
    ['r8gd.xlarge', Architecture.ARM64],
    ['im4gn.large', Architecture.ARM64],
    ['a1.medium', Architecture.ARM64],
    ['g5g.xlarge', Architecture.ARM64],
    ['g5.xlarge', Architecture.X86_64],
    ['m4.large', Architecture.X86_64],
    ['c5n.large', Architecture.X86_64],
    ['u-6tb1.metal', Architecture.X86_64],
  ])('architecture of %s outside the catalog follows AWS naming: %s', (name, arch) => {
    expect(InstanceTypes.lookup(name)).toBeUndefined();
    expect(InstanceTypes.architectureOf(name)).toBe(arch);
  });

  test.each(['', 't3', 'T3.small', 't3.', '.small', 't3 small', 'small.t3x', 'large'])('rejects malformed name %j', (name) => {
    expect(() => InstanceTypes.validate('app/host', 'instanceType', name)).toThrow(
      `app/host: 'instanceType' must be an EC2 instance type of the form '<family>.<size>', got ${JSON.stringify(name)}. Use a name such as 't3.small', 'm7g.large' or 'c6i.xlarge'.`);
  });

  test('rejects a non-string with the library error, not a TypeError', () => {
    expect(() => InstanceTypes.validate('h', 'instanceType', 3)).toThrow("h: 'instanceType' must be an EC2 instance type of the form '<family>.<size>', got 3.");
  });
});
