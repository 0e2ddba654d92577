import { anyToHclTerraform, anyToTerraform, hashMapper, hashMapperHcl, TerraformResource, TerraformStack } from 'cdktf';
// Not re-exported from the package root (as for custom-synthesis.ts); cdktn has it at the same path.
import { ValidateTerraformVersion } from 'cdktf/lib/validations/validate-terraform-version';
import { Construct } from 'constructs';

/** The stacks that already check the Terraform version for their terraform_data resources. */
const checkedStacks = new WeakSet<TerraformStack>();

/**
 * A `terraform_data` resource holding `input` (a digest, for
 * `replace_triggered_by`): the same Terraform JSON as cdktf's
 * `DataResource` with only `input` set.
 *
 * Why not `DataResource`: each one adds a validation that runs
 * `terraform version` in a child process (`execSync`) when the stack is
 * validated, so a VmHost's two digests cost two processes, 50-100 ms each:
 * about 10 s of `app.synth()` at 100 hosts (bench/RESULTS.md, run of
 * 2026-12-02 04:xx). Here the stack gets that same validation (Terraform
 * 1.4 or later, cdktf's message) once, however many there are.
 */
export class TerraformData extends TerraformResource {
  private readonly inputs: { [key: string]: string };

  constructor(scope: Construct, id: string, input: { [key: string]: string }) {
    super(scope, id, { terraformResourceType: 'terraform_data', terraformGeneratorMetadata: { providerName: 'terraform' } });
    this.inputs = input;
    const stack = TerraformStack.of(this);
    if (!checkedStacks.has(stack)) {
      checkedStacks.add(stack);
      stack.node.addValidation(new ValidateTerraformVersion('>=1.4',
        'The built-in Terraform data resource is only supported for Terraform >=1.4. Please upgrade your Terraform version.'));
    }
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return { input: hashMapper(anyToTerraform)(this.inputs) };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    return { input: hashMapperHcl(anyToHclTerraform)(this.inputs) };
  }
}
