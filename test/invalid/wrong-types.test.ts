// A plain-JavaScript caller (or one past `as any`) can put a value of any
// type in any prop. Whatever it is, the answer is the library's own error,
// naming the construct and the prop, or a stack that synthesizes: never a
// TypeError from deep inside cdktf or the library. Every prop of every
// construct's props (read from the sources with the TypeScript compiler, so
// a new prop is covered the day it is added) gets each value below.
// It found the class of bug this guards: a list of one non-string where a
// string list or a value was expected (`capAdd: [5]`, `tags: [1]`,
// `name: [null]`) reached cdktf's list-token lookup, which threw
// "this.str.substring is not a function".
// The CommonJS module object, which cdktf's validation calls through (a namespace import cannot be spied on).
// eslint-disable-next-line @typescript-eslint/no-require-imports
import childProcess = require('child_process');
import { join } from 'node:path';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import * as ts from 'typescript';
import {
  ContainerImage, ContainerOnVm, HostFleet, HostNetwork, HostPool, IsolatedApp, LocalDockerHost, NetworkEgress, VmHost,
} from '../../src';
import { IsolationError } from '../../src/private/errors';
import { awsStack } from '../helpers/synth';

/** Values of the wrong type, and lists of one of them (the shape that reached cdktf's list-token lookup). */
const WRONG: unknown[] = [null, 0, -1, 2.5, NaN, true, 'x', '', {}, { a: 1 }, [], [1], [null], [true], [{}], [[]], ['a', 1]];

/** What a prop's declared type says of a plain value: a boolean, a number, a string (enums of strings included), or anything else. */
type Kind = 'boolean' | 'number' | 'string' | 'other';

/** The properties of an exported props interface (inherited ones included), each with the kind of its declared type. */
function propsOf(names: string[]): Map<string, Array<{ name: string; kind: Kind }>> {
  const program = ts.createProgram([join(__dirname, '..', '..', 'src', 'index.ts')], { strict: true, target: ts.ScriptTarget.ES2022 });
  const checker = program.getTypeChecker();
  const index = checker.getSymbolAtLocation(program.getSourceFile(join(__dirname, '..', '..', 'src', 'index.ts'))!)!;
  const exported = new Map(checker.getExportsOfModule(index).map((s) => [s.name, s]));
  const kindOf = (type: ts.Type): Kind => {
    const t = checker.getNonNullableType(type);
    const all = t.isUnion() ? t.types : [t];
    for (const [kind, flags] of [['boolean', ts.TypeFlags.BooleanLike], ['number', ts.TypeFlags.NumberLike], ['string', ts.TypeFlags.StringLike]] as const) {
      if (all.every((x) => (x.flags & flags) !== 0)) return kind; // eslint-disable-line no-bitwise
    }
    return 'other';
  };
  return new Map(names.map((name) => {
    const symbol = exported.get(name);
    if (!symbol) throw new Error(`${name} is not exported from src/index.ts`);
    // index.ts re-exports (`export { X } from`): the names are aliases of the declarations.
    const type = checker.getDeclaredTypeOfSymbol(symbol.declarations?.some(ts.isExportSpecifier) ? checker.getAliasedSymbol(symbol) : symbol);
    const props = checker.getPropertiesOfType(type).map((p) => ({ name: p.name, kind: kindOf(checker.getTypeOfSymbol(p)) }));
    return [name, props.sort((a, b) => a.name.localeCompare(b.name))];
  }));
}

/**
 * True when a value given for a prop of this kind is of another JavaScript
 * type, and so must be refused. null is not: the library reads it as a
 * prop left out (`??`), as JavaScript callers expect.
 */
function mistyped(kind: Kind, value: unknown): boolean {
  return kind !== 'other' && value !== null && (typeof value !== kind || (kind === 'number' && Number.isNaN(value)));
}

const image = ContainerImage.fromRegistry('nginx:1.27');
const web = { name: 'web', image, memoryMiB: 256, ports: [{ containerPort: 8080, hostIp: '0.0.0.0' }] };

/** How to build each construct with valid props, one of them replaced. */
const BUILDERS: Record<string, (stack: TerraformStack, props: Record<string, unknown>) => void> = {
  VmHostProps: (stack, props) => {
    new VmHost(stack, 'host', { subnetId: 'subnet-0123456789abcdef0', ...props });
  },
  ContainerOnVmProps: (stack, props) => {
    const host = new VmHost(stack, 'host', { subnetId: 'subnet-0123456789abcdef0' });
    new ContainerOnVm(host, 'web', { host, ...web, ...props } as never);
  },
  HostFleetProps: (stack, props) => {
    new HostFleet(stack, 'fleet', { container: web, ...props } as never);
  },
  HostNetworkProps: (stack, props) => {
    new HostNetwork(stack, 'net', { egress: NetworkEgress.NAT_GATEWAY, ...props });
  },
  IsolatedAppProps: (stack, props) => {
    new IsolatedApp(stack, 'app', { pool: new HostPool(stack, 'pool'), container: web, ...props } as never);
  },
  HostPoolProps: (stack, props) => {
    new HostPool(stack, 'pool', props);
  },
  LocalDockerHostProps: (stack, props) => {
    new DockerProvider(stack, 'docker', {});
    new LocalDockerHost(stack, 'local', { containers: [web], ...props });
  },
};

const PROPS = propsOf(Object.keys(BUILDERS));

/** What building (and synthesizing, validations included) gives: 'ok', or the error's class and first words. */
function outcome(build: (stack: TerraformStack) => void): string {
  const { stack } = awsStack();
  try {
    build(stack);
    Testing.synth(stack, true);
    return 'ok';
  } catch (e) {
    return e instanceof IsolationError ? 'IsolationError' : `${(e as Error).constructor.name}: ${String((e as Error).message).slice(0, 100)}`;
  }
}

describe('a value of the wrong type in any prop is the library\'s error, never a TypeError', () => {
  // DataResource's validation runs `terraform version` per stack; these stacks only need it to answer.
  beforeAll(() => jest.spyOn(childProcess, 'execSync').mockImplementation(() => 'Terraform v1.11.4\n'));
  afterAll(() => jest.restoreAllMocks());

  test('the props are found (each builder\'s interface, with its inherited props), with the kind of their types', () => {
    const names = (builder: string) => PROPS.get(builder)!.map((p) => p.name);
    expect(names('ContainerOnVmProps')).toEqual(expect.arrayContaining(['host', 'name', 'image', 'memoryMiB', 'capAdd', 'command', 'healthCheck', 'ingress']));
    expect(names('VmHostProps')).toEqual(expect.arrayContaining(['instanceType', 'machineImage', 'tags', 'metadataHopLimit']));
    const kinds = new Map(PROPS.get('ContainerOnVmProps')!.map((p) => [p.name, p.kind]));
    expect(['name', 'memoryMiB', 'privileged', 'restartPolicy', 'command'].map((p) => kinds.get(p))).toEqual(['string', 'number', 'boolean', 'string', 'other']);
  });

  test.each(Object.keys(BUILDERS))('%s', (name) => {
    // The valid build synthesizes: a failure below is the wrong value's.
    expect(outcome((stack) => BUILDERS[name](stack, {}))).toBe('ok');
    const failures: string[] = [];
    for (const { name: prop, kind } of PROPS.get(name)!) {
      for (const value of WRONG) {
        const result = outcome((stack) => BUILDERS[name](stack, { [prop]: value }));
        // A boolean, number or string prop refuses a value of another type; any prop answers with the library's error.
        const expected = mistyped(kind, value) ? ['IsolationError'] : ['ok', 'IsolationError'];
        if (!expected.includes(result)) failures.push(`${prop} (${kind}) = ${JSON.stringify(value)}: ${result}`);
      }
    }
    expect(failures).toEqual([]);
  });

  // One level down: a wrong value beside valid siblings, so that it is the value under test that is checked.
  const NESTED: Array<[string, Kind, (value: unknown) => Record<string, unknown>]> = [
    ['ports[0].containerPort', 'number', (v) => ({ ports: [{ containerPort: v }] })],
    ['ports[0].hostPort', 'number', (v) => ({ ports: [{ containerPort: 8080, hostPort: v }] })],
    ['ports[0].protocol', 'string', (v) => ({ ports: [{ containerPort: 8080, protocol: v }] })],
    ['ports[0].hostIp', 'string', (v) => ({ ports: [{ containerPort: 8080, hostIp: v }] })],
    ['environment.X', 'string', (v) => ({ environment: { X: v } })],
    ['secretEnvironment.X', 'string', (v) => ({ secretEnvironment: { X: v } })],
    ['labels.x', 'string', (v) => ({ labels: { x: v } })],
    ['volumes[0].source', 'string', (v) => ({ volumes: [{ source: v, target: '/data' }] })],
    ['volumes[0].target', 'string', (v) => ({ volumes: [{ source: 'data', target: v }] })],
    ['volumes[0].readOnly', 'boolean', (v) => ({ volumes: [{ source: 'data', target: '/data', readOnly: v }] })],
    ['tmpfs[0].target', 'string', (v) => ({ tmpfs: [{ target: v }] })],
    ['tmpfs[0].sizeMiB', 'number', (v) => ({ tmpfs: [{ target: '/cache', sizeMiB: v }] })],
    ['healthCheck.command', 'other', (v) => ({ healthCheck: { command: v } })],
    ['healthCheck.retries', 'number', (v) => ({ healthCheck: { command: ['true'], retries: v } })],
    ['logOptions.maxSize', 'string', (v) => ({ logOptions: { maxSize: v } })],
    ['logOptions.maxFiles', 'number', (v) => ({ logOptions: { maxFiles: v } })],
    ['zeroDowntime.containerPort', 'number', (v) => ({ zeroDowntime: { containerPort: v } })],
    ['ingress[0].hostPort', 'number', (v) => ({ ports: [{ containerPort: 8080, hostIp: '0.0.0.0' }], ingress: [{ hostPort: v, cidr: '10.0.0.0/16' }] })],
    ['ingress[0].cidr', 'string', (v) => ({ ports: [{ containerPort: 8080, hostIp: '0.0.0.0' }], ingress: [{ hostPort: 8080, cidr: v }] })],
  ];

  /** The failures of `build` over every wrong value: an error other than the library's, or a mistyped value accepted. */
  const failuresOf = (where: string, kind: Kind, build: (stack: TerraformStack, value: unknown) => void): string[] => WRONG.flatMap((value) => {
    const result = outcome((stack) => build(stack, value));
    const expected = mistyped(kind, value) ? ['IsolationError'] : ['ok', 'IsolationError'];
    return expected.includes(result) ? [] : [`${where} (${kind}) = ${JSON.stringify(value)}: ${result}`];
  });

  test('ContainerOnVmProps, one level down', () => {
    expect(NESTED.flatMap(([where, kind, props]) => failuresOf(where, kind, (stack, v) => BUILDERS.ContainerOnVmProps(stack, props(v))))).toEqual([]);
  });

  test.each([['logMaxSize', 'string'], ['logMaxFiles', 'number'], ['liveRestore', 'boolean'], ['noNewPrivileges', 'boolean']] as Array<[string, Kind]>)(
    'VmHostProps dockerDaemon.%s', (prop, kind) => {
      expect(failuresOf(`dockerDaemon.${prop}`, kind, (stack, v) => BUILDERS.VmHostProps(stack, { dockerDaemon: { [prop]: v } }))).toEqual([]);
    });
});
