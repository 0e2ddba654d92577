import { Fn, Op, TerraformLocal, Token } from 'cdktf';
import { Construct } from 'constructs';
import { EncodedUserData, UserData } from '../core/render/user-data';
import { escapeTerraformTemplate } from '../private/terraform-string';
import { Tokens } from '../private/tokens';
import { lazyString } from '../terraform/lazy';
import { TerraformPrecondition } from '../terraform/preconditions';
import { expressionOf } from '../terraform/tokens';

/** The base64 length of EC2's 16384-byte user data limit (base64 takes 4 characters per 3 bytes). */
const MAX_BASE64_CHARS = 4 * Math.ceil(UserData.MAX_BYTES / 3);

/**
 * The user data of a host or a launch template, rendered from a text
 * producer and encoded once per version of the text (synthesis asks more
 * than once: two lazy attributes and the validation). Shared by VmHost and
 * HostFleet.
 *
 * A text with tokens (values known at apply) is always gzip-compressed,
 * by Terraform (`base64gzip`), since its size is known only then; a
 * precondition checks that it fits EC2's limit before the host is created.
 */
export class HostUserData {
  private cached?: { version: string; value: EncodedUserData | undefined; text?: string };
  private local?: TerraformLocal;

  /**
   * @param path construct path for errors
   * @param version a cheap version of the text, that changes whenever the text does
   * @param render the user data text
   * @param compress whether the text may be gzip-compressed (cloud-init reads it; EC2Launch v2, on Windows, does not)
   */
  constructor(private readonly path: string, private readonly version: () => string, private readonly render: () => string,
    private readonly compress: boolean = true) {}

  /** The text and its encoding (plain, or gzip above 16 KB), or undefined for a text with tokens; throws when it does not fit. */
  public encode(): EncodedUserData | undefined {
    return this.current().value;
  }

  /** `user_data` of an instance: the escaped text, or undefined when compressed. */
  public plainText(): string | undefined {
    // Uncompressed, a text with tokens is the instance's user_data as it is: cdktf makes its tokens references.
    if (!this.compress) return escapeTerraformTemplate(this.current().text ?? '');
    const e = this.encode();
    return e?.text === undefined ? undefined : escapeTerraformTemplate(e.text);
  }

  /** `user_data_base64` of an instance: the gzip stream, or undefined when plain. */
  public compressedBase64(): string | undefined {
    if (!this.compress) return undefined;
    const { value } = this.current();
    return value === undefined ? Fn.base64gzip(this.expression()) : value.base64;
  }

  /** A launch template's `user_data`: always base64 (of the text, or of the gzip stream). */
  public base64(): string {
    const { value } = this.current();
    if (value === undefined) return Fn.base64gzip(this.expression());
    return value.compressed ? value.base64! : Buffer.from(value.text!, 'utf8').toString('base64');
  }

  /**
   * Keeps the text as a Terraform local (construct `UserDataText` under
   * `scope`), once, so that the instance and its size precondition refer to
   * it instead of each holding the whole text. Called when tokens reach
   * the text (while the tree is built).
   */
  public useLocal(scope: Construct): void {
    if (!this.compress) return;
    this.local ??= new TerraformLocal(scope, 'UserDataText', lazyString(() => {
      const { text } = this.current();
      return text === undefined ? '' : expressionOf(text);
    }));
  }

  /** The text as a Terraform expression: the local when there is one. */
  private expression(): string {
    return this.local ? this.local.asString : expressionOf(this.current().text ?? '');
  }

  /**
   * The precondition of a text with tokens: its gzip stream fits EC2's
   * limit (with the message of the synth-time error). The text is read
   * when the condition is synthesized; a text without tokens makes the
   * condition true (its size is checked at synth).
   */
  public sizePrecondition(): TerraformPrecondition {
    if (!this.compress) {
      const plain = lazyString(() => expressionOf(this.current().value === undefined ? (this.current().text ?? '') : ''));
      const length = Fn.lengthOf(Fn.base64encode(plain));
      return {
        condition: Op.lte(length, MAX_BASE64_CHARS),
        errorMessage: `${escapeTerraformTemplate(`${this.path}: 'userData' must fit EC2's ${UserData.MAX_BYTES}-byte limit uncompressed (EC2Launch v2 reads no gzip-compressed user data)`)}` +
          `, got ${Token.asString(Fn.ceil(Op.div(Op.mul(length, 3), 4)))} bytes of PowerShell with the values of its Terraform references. ` +
          'Shorten large files (fetch them at boot, e.g. from S3 or SSM Parameter Store) or install them from a package.',
      };
    }
    const text = lazyString(() => (this.current().value === undefined ? this.expression() : ''));
    const length = Fn.lengthOf(Fn.base64gzip(text));
    return {
      condition: Op.lte(length, MAX_BASE64_CHARS),
      errorMessage: `${escapeTerraformTemplate(`${this.path}: 'userData' must fit EC2's ${UserData.MAX_BYTES}-byte limit even gzip-compressed`)}` +
        ` (${Token.asString(Fn.ceil(Op.div(Op.mul(length, 3), 4)))} bytes compressed), got the cloud-config with the values of its Terraform references. ` +
        'Move containers to more hosts (fewer per host), or shorten large files and environment values (fetch them at boot, e.g. from SSM Parameter Store).',
    };
  }

  /**
   * For a validation: encodes, so that an oversized user data fails
   * synthesis with the IsolationError itself (the shape of every error of
   * the library), not cdktf's list of validation messages.
   */
  public check(): string[] {
    this.encode();
    return [];
  }

  private encodeText(text: string): EncodedUserData {
    return this.compress ? UserData.encode(text, this.path) : UserData.encodeUncompressed(text, this.path, 'PowerShell');
  }

  /** The encoding (undefined with tokens), and the text when it holds tokens or is never compressed (PowerShell is the instance's user_data as it is). */
  private current(): { value: EncodedUserData | undefined; text?: string } {
    const version = this.version();
    if (this.cached?.version === version) return this.cached;
    const text = this.render();
    if (Token.isUnresolved(text)) {
      // What is known already must fit: the literal parts alone.
      this.encodeText(Tokens.fragments(text).map((f) => f.literal ?? '').join(''));
      this.cached = { version, value: undefined, text };
    } else {
      // The text is kept only where it is needed (for the expression, or as PowerShell's user_data); the encoding holds what synthesis needs.
      this.cached = this.compress ? { version, value: this.encodeText(text) } : { version, value: this.encodeText(text), text };
    }
    return this.cached;
  }
}
