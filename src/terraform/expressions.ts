import { Fn, TerraformResource, TerraformStack, Token } from 'cdktf';
import { producedString } from './lazy';
import { expressionOf } from './tokens';
import { Ingress } from '../core/ingress';
import { CidrSource } from '../core/network';

/**
 * A CIDR block as the VPC security group rule resources take it
 * (`cidr_ipv4` or `cidr_ipv6`): for a block known at apply, Terraform picks
 * the attribute (an IPv6 block holds a `:`).
 */
export function cidrSource(cidr: string): CidrSource {
  if (!Token.isUnresolved(cidr)) return Ingress.cidrSource(cidr);
  const value = expressionOf(cidr);
  const ipv6 = Fn.strcontains(value, ':');
  return {
    cidrIpv4: Token.asString(Fn.conditional(ipv6, Token.nullValue(), value)),
    cidrIpv6: Token.asString(Fn.conditional(ipv6, value, Token.nullValue())),
  };
}

/**
 * A `replace_triggered_by` entry for `resource`: its address as a plain
 * string (`terraform_data.<logical id>`), known at synth. cdktf renders a
 * resource given as an object as `${terraform_data.x}`, which Terraform's
 * JSON syntax refuses there ("Invalid character").
 */
export function replaceTrigger(resource: TerraformResource): string {
  return producedString(() => `${resource.terraformResourceType}.${TerraformStack.of(resource).getLogicalId(resource)}`);
}
