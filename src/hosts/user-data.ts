import { Fn, Token } from 'cdktf';
import { EncodedUserData, UserData } from '../core/render/user-data';
import { IsolationError } from '../private/errors';
import { escapeTerraformTemplate } from '../private/terraform-string';

/**
 * The user data of a host or a launch template, rendered from a text
 * producer and encoded once per version of the text (synthesis asks more
 * than once: two lazy attributes and the validation). Shared by VmHost and
 * HostFleet.
 */
export class HostUserData {
  private cached?: { version: string; value: EncodedUserData };

  /**
   * @param path construct path for errors
   * @param version a cheap version of the text, that changes whenever the text does
   * @param render the user data text
   */
  constructor(private readonly path: string, private readonly version: () => string, private readonly render: () => string) {}

  /** The text and its encoding (plain, or gzip above 16 KB); throws when it does not fit. */
  public encode(): EncodedUserData {
    const version = this.version();
    if (this.cached?.version === version) return this.cached.value;
    const text = this.render();
    const value = UserData.encode(text, this.path);
    if (value.compressed && Token.isUnresolved(text)) {
      throw new IsolationError(this.path, 'userData', 'must not hold Terraform references when it needs compression', `${value.textBytes} bytes`,
        'Terraform values cannot be resolved inside compressed user data: pass such values through SSM parameters, or put fewer containers on this host.');
    }
    this.cached = { version, value };
    return value;
  }

  /** `user_data` of an instance: the escaped text, or undefined when compressed. */
  public plainText(): string | undefined {
    const e = this.encode();
    return e.text === undefined ? undefined : escapeTerraformTemplate(e.text);
  }

  /** `user_data_base64` of an instance: the gzip stream, or undefined when plain. */
  public compressedBase64(): string | undefined {
    return this.encode().base64;
  }

  /** A launch template's `user_data`: always base64 (of the text, or of the gzip stream). */
  public base64(): string {
    const e = this.encode();
    if (e.compressed) return e.base64!;
    const text = e.text!;
    return Token.isUnresolved(text) ? Fn.base64encode(escapeTerraformTemplate(text)) : Buffer.from(text, 'utf8').toString('base64');
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
}
