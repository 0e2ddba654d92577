// Values known at apply in a Windows host's PowerShell: Terraform resolves
// the quoting the library wrote (base64encode of the whole value), and the
// script must give each hostile value back byte for byte and still parse.
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { MachineImage, VmHost } from '../../src';
import { powershellBlock, powershellErrors } from '../helpers/powershell';
import { onlyResource } from '../helpers/synth';
import { requireTerraform, terraformApply } from '../helpers/terraform';
import { HOSTILE_VALUES } from '../invalid/corpus';

const enabled = requireTerraform('PowerShell token quoting');

(enabled ? describe : describe.skip)('Terraform references in Windows user data, resolved by Terraform', () => {
  test('every hostile value comes back byte for byte from the resolved script, which parses', async () => {
    const stack = new TerraformStack(Testing.app(), 'w');
    const host = new VmHost(stack, 'win', { machineImage: MachineImage.windowsServer2022(), instanceType: 't3.medium', vpcId: 'vpc-0abc1234', subnetId: 'subnet-0abc1234' });
    HOSTILE_VALUES.forEach((value, i) => {
      const token = new TerraformVariable(stack, `v${i}`, { type: 'string', default: value }).stringValue;
      host.windowsUserData!.addEnvironment(`V${i}`, `pre'\${x}${token}"post`);
    });
    const json = JSON.parse(Testing.synth(stack));
    const userData = onlyResource(json, 'aws_instance').user_data;
    const result = terraformApply({ variable: json.variable, output: { script: { value: userData } } });
    if (!result.ok) throw new Error(result.error);
    const script = result.outputs.script as string;
    HOSTILE_VALUES.forEach((value, i) => {
      const line = script.split('\n').find((l) => l.includes(`SetEnvironmentVariable('V${i}', `))!;
      const b64 = /FromBase64String\('([A-Za-z0-9+/=]*)'\)/.exec(line)![1];
      expect(Buffer.from(b64, 'base64').toString('utf8')).toBe(`pre'\${x}${value}"post`);
    });
    expect(await powershellErrors(powershellBlock(script))).toEqual([]);
  });
});
