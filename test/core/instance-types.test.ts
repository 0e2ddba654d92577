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

  test('covers the t3, t4g, m6i, m7g, c6i, c7g and r6i families', () => {
    const families = new Set(InstanceTypes.all().map((t) => t.name.split('.')[0]));
    expect([...families].sort()).toEqual(['c6i', 'c7g', 'm6i', 'm7g', 'r6i', 't3', 't4g']);
    expect(InstanceTypes.all()).toHaveLength(7 + 7 + 9 + 8 + 9 + 8 + 9);
  });

  test.each([
    ['c7gn.large', Architecture.ARM64],
    ['r8gd.xlarge', Architecture.ARM64],
    ['im4gn.large', Architecture.ARM64],
    ['a1.medium', Architecture.ARM64],
    ['g5g.xlarge', Architecture.ARM64],
    ['g5.xlarge', Architecture.X86_64],
    ['m5.large', Architecture.X86_64],
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
