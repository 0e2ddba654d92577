import { Aspects, TerraformStack, Testing } from 'cdktf';
import { IsolationChecks } from '../../src';

/** One IsolationChecks finding on the tree. */
export interface Found {
  readonly path: string;
  readonly level: 'error' | 'warning';
  readonly ruleId: string;
  readonly message: string;
}

/** Adds IsolationChecks, synthesizes (which runs aspects), and returns its findings. */
export function runChecks(stack: TerraformStack): Found[] {
  Aspects.of(stack).add(new IsolationChecks());
  Testing.synth(stack);
  const found: Found[] = [];
  for (const node of stack.node.findAll()) {
    for (const m of node.node.metadata) {
      const data = String(m.data);
      const id = /: \[([A-Z0-9-]+)\] /.exec(data);
      if (!id) continue;
      if (m.type === '@cdktf/error' || m.type === '@cdktf/warn') {
        found.push({ path: node.node.path, level: m.type === '@cdktf/error' ? 'error' : 'warning', ruleId: id[1], message: data });
      }
    }
  }
  return found;
}
