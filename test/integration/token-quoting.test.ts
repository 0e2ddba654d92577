// Property: whatever a Terraform variable holds, the quoting Terraform
// applies at apply keeps it one shell word and one YAML scalar. Random
// values (any Unicode but NUL, with the characters that end quotes and
// start templates mixed in) are variable defaults of one configuration;
// real Terraform resolves every quoted word and a cloud-config that holds
// them; sh and PyYAML (cloud-init's reader) must give each value back.
import { TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import * as fc from 'fast-check';
import '../../src';
import { CloudConfig } from '../../src/core/render/cloud-config';
import { systemdQuoted } from '../../src/core/render/systemd';
import { shellQuote } from '../../src/private/shell';
import { escapeTerraformTemplate } from '../../src/private/terraform-string';
import { requireTerraform, terraformApply } from '../helpers/terraform';
import { requireTools, run } from '../helpers/tools';

const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2147483647;
const RUNS = Number(process.env.FC_TOKEN_RUNS ?? 120);
const enabled = requireTerraform('token quoting property') && requireTools('token quoting property', ['python3']);

const pieces = fc.constantFrom("'", '"', '`', '$(', ')', '${', '}', '%{', '\\', '\n', '\r', '\t', ' ', '#', ':', '- ', '\u2028', '\u0085', '%', '$$', '✓', '\u00a0');
const valueArb = fc.array(fc.oneof(pieces, fc.string({ unit: 'grapheme', maxLength: 4 })), { maxLength: 12 })
  .map((parts) => parts.join('').replace(/\0/g, ''));

(enabled ? describe : describe.skip)('values known at apply stay one word and one scalar (random values, resolved by Terraform)', () => {
  test(`${RUNS} values as sh words, systemd words and YAML scalars (seed ${SEED})`, () => {
    const values = fc.sample(valueArb, { numRuns: RUNS, seed: SEED });
    const stack = new TerraformStack(Testing.app(), 'q');
    const config = new CloudConfig();
    values.forEach((value, i) => {
      const token = new TerraformVariable(stack, `v${i}`, { type: 'string', default: value }).stringValue;
      new TerraformOutput(stack, `sh${i}`, { value: escapeTerraformTemplate(shellQuote(`pre'\${x}${token}"post`)) });
      new TerraformOutput(stack, `unit${i}`, { value: escapeTerraformTemplate(systemdQuoted(`a%b$c${token}`)) });
      config.addFile({ path: `/f/${i}`, content: `<${token}>` });
      config.addRunCommand(['echo', token]);
    });
    new TerraformOutput(stack, 'yaml', { value: escapeTerraformTemplate(config.render()) });
    const json = JSON.parse(Testing.synth(stack));
    const result = terraformApply({ variable: json.variable, output: json.output });
    if (!result.ok) throw new Error(result.error);
    const out = result.outputs as Record<string, string>;
    // Terraform holds every string in Unicode normal form C (cty normalizes them), whatever the library does:
    // a value is compared as Terraform has it.
    const nfc = values.map((v) => v.normalize('NFC'));

    // sh: the quoted word, evaluated, is the value with its literal neighbours.
    const script = values.map((_v, i) => `printf '%s\\0' ${out[`sh${i}`]}`).join('\n');
    const printed = run('sh', ['-c', script]);
    expect(printed.status).toBe(0);
    expect(printed.stdout.split('\0').slice(0, -1)).toEqual(nfc.map((v) => `pre'\${x}${v}"post`));

    // systemd: a double-quoted word with %, $, \\, " and line breaks escaped (unescaped here by systemd's rules).
    nfc.forEach((v, i) => expect(unescapeSystemd(out[`unit${i}`])).toBe(`a%b$c${v}`));

    // YAML, read by PyYAML as cloud-init reads it: every file and every command word is the value.
    const read = run('python3', ['-c', 'import sys, json, yaml; d = yaml.safe_load(sys.stdin.read()); print(json.dumps({"files": [f["content"] for f in d["write_files"]], "words": [c[1] for c in d["runcmd"]]}))'],
      { input: out.yaml });
    expect(read.status).toBe(0);
    expect(JSON.parse(read.stdout)).toEqual({ files: nfc.map((v) => `<${v}>`), words: nfc });
  });
});

/** systemd's reading of a double-quoted word (the escapes systemdQuoted writes). */
function unescapeSystemd(word: string): string {
  expect(word.startsWith('"') && word.endsWith('"')).toBe(true);
  const body = word.slice(1, -1);
  expect(body).not.toMatch(/(^|[^\\])"/);
  return body.replace(/\\(.)|%%|\$\$/gs, (m, c) => (c === undefined ? m[0] : c === 'n' ? '\n' : c));
}
