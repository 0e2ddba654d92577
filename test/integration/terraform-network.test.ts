// HostNetwork's subnet plan is computed in pure code (VpcLayouts); real
// Terraform checks it against its own cidrsubnet(), and runs the zone check
// HostNetwork writes on its availability zones lookup.
import { HostNetwork, NetworkEgress } from '../../src';
import { VpcLayouts } from '../../src/core/vpc-layout';
import { awsStack, onlyResource, synthJson } from '../helpers/synth';
import { requireTerraform, terraformApply } from '../helpers/terraform';

const enabled = requireTerraform('Terraform cidrsubnet() and zone checks');

(enabled ? describe : describe.skip)('HostNetwork against real Terraform', () => {
  test('the subnet plan is what Terraform\'s cidrsubnet() computes', () => {
    const cases = ['10.0.0.0/16', '172.20.0.0/18', '192.168.4.0/22', '100.64.0.0/17'];
    const zones = VpcLayouts.MAX_ZONES;
    const output: Record<string, { value: unknown }> = {};
    cases.forEach((cidr, c) => {
      output[`private${c}`] = { value: `\${[for i in range(${zones}) : cidrsubnet("${cidr}", 3, i)]}` };
      output[`public${c}`] = { value: `\${[for i in range(${zones}) : cidrsubnet("${cidr}", 6, 56 + i)]}` };
    });
    const result = terraformApply({ output });
    expect(result.error).toBe('');
    cases.forEach((cidr, c) => {
      const layout = VpcLayouts.plan('net', { cidr, zones, publicSubnets: true });
      expect([cidr, layout.privateSubnetCidrs, layout.publicSubnetCidrs]).toEqual([cidr, result.outputs[`private${c}`], result.outputs[`public${c}`]]);
    });
  });

  test('the zone check passes with enough zones and stops the apply with the library\'s message otherwise', () => {
    const { stack } = awsStack();
    new HostNetwork(stack, 'net', { egress: NetworkEgress.NAT_GATEWAY, availabilityZoneCount: 3 });
    const [check] = onlyResource(synthJson(stack), 'aws_availability_zones', 'data').lifecycle.postcondition;
    // The same condition on a provider-free resource whose output stands for the lookup's zone names.
    const apply = (names: string[]) => terraformApply({
      variable: { names: { type: 'list(string)' } },
      resource: {
        terraform_data: {
          zones: { input: '${var.names}', lifecycle: { postcondition: [{ condition: check.condition.replace('self.names', 'self.output'), error_message: check.error_message }] } },
        },
      },
      output: { zones: { value: '${terraform_data.zones.output}' } },
    }, { names: JSON.stringify(names) });
    expect(apply(['eu-west-1a', 'eu-west-1b', 'eu-west-1c'])).toEqual({ ok: true, outputs: { zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] }, error: '' });
    const short = apply(['eu-west-1a', 'eu-west-1b']);
    expect(short.ok).toBe(false);
    expect(short.error.replace(/\s+/g, ' ')).toContain(
      "test/net: 'availabilityZoneCount' must not exceed the region's available availability zones, got 3. Lower availabilityZoneCount to the number of zones the region has.");
  });
});
