// The benchmark stack built with the library: one VmHost per host and one
// ContainerOnVm per container, every other prop left at its default.
import type { Construct } from 'constructs';
import type * as Isolation from '../../src';
import { BenchHost, INSTANCE_TYPE } from '../portfolio';

/** The library's exports this program reads (bench/load.ts and the synth child load them, as this program does). */
export const PROGRAM_EXPORTS = ['VmHost', 'ContainerOnVm', 'ContainerImage'] as const;

/**
 * The part of the library this program uses. The synth benchmark passes the
 * compiled `lib/` (what users run); the equivalence test passes `src/`.
 */
export type IsolationModule = Pick<typeof Isolation, typeof PROGRAM_EXPORTS[number]>;

/** Adds the hosts and their containers to `stack` with VmHost and ContainerOnVm. */
export function buildWithLibrary(lib: IsolationModule, stack: Construct, hosts: BenchHost[]): void {
  for (const h of hosts) {
    const host = new lib.VmHost(stack, h.id, { instanceType: INSTANCE_TYPE });
    for (const c of h.containers) {
      new lib.ContainerOnVm(host, c.name, {
        host,
        name: c.name,
        image: lib.ContainerImage.fromRegistry(c.image),
        memoryMiB: c.memoryMiB,
        cpus: c.cpus,
        environment: c.environment,
        ports: [{ containerPort: c.containerPort, hostPort: c.hostPort }],
        healthCheck: { command: c.healthCommand },
      });
    }
  }
}
