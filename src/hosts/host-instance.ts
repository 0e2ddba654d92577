import { Instance, InstanceConfig } from '@cdktf/provider-aws/lib/instance';
import { Construct } from 'constructs';
import type { LazyText } from '../terraform/lazy';

/**
 * A VmHost's instance (`VmHost.resource`, typed `Instance`): an `Instance`
 * whose user data, computed when the stack is resolved and up to 16 KB,
 * goes into the Terraform JSON as a resolvable (see LazyText).
 */
export class HostInstance extends Instance {
  constructor(scope: Construct, id: string, private readonly lazyUserData: { plain: LazyText; base64: LazyText }, config: InstanceConfig) {
    super(scope, id, config);
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    const attributes = super.synthesizeAttributes();
    this.lazyUserData.plain.substitute(attributes, 'user_data');
    return this.lazyUserData.base64.substitute(attributes, 'user_data_base64');
  }
}
