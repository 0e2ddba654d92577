import { IsolationError } from '../../private/errors';
import { gzipDeterministic } from '../../private/gzip';

/** How user data goes into an instance. */
export interface EncodedUserData {
  /** Plain text user data (`user_data`), when it fits uncompressed. */
  readonly text?: string;
  /** Base64 of gzip-compressed user data (`user_data_base64`), when the text is too large. */
  readonly base64?: string;
  /** True when compressed. */
  readonly compressed: boolean;
  /** Size in bytes of the uncompressed text. */
  readonly textBytes: number;
  /** Size in bytes of what EC2 receives before base64 (the text, or the gzip stream). */
  readonly payloadBytes: number;
}

/** EC2 user data limits and encoding. */
export class UserData {
  /** EC2 accepts at most 16 KB of user data (before base64 encoding). */
  public static readonly MAX_BYTES = 16384;

  /**
   * Plain text when it fits in 16 KB; gzip + base64 when only the compressed
   * form fits; an error naming both sizes otherwise.
   */
  public static encode(text: string, path = 'VmHost'): EncodedUserData {
    const textBytes = Buffer.byteLength(text, 'utf8');
    if (textBytes <= UserData.MAX_BYTES) {
      return { text, compressed: false, textBytes, payloadBytes: textBytes };
    }
    const gz = gzipDeterministic(text);
    if (gz.length > UserData.MAX_BYTES) {
      throw new IsolationError(path, 'userData', `must fit EC2's ${UserData.MAX_BYTES}-byte limit even gzip-compressed (${gz.length} bytes compressed)`,
        `${textBytes} bytes of cloud-config`,
        'Move containers to more hosts (fewer per host), or shorten large files and environment values (fetch them at boot, e.g. from SSM Parameter Store).');
    }
    return { base64: gz.toString('base64'), compressed: true, textBytes, payloadBytes: gz.length };
  }

  /**
   * Plain text only, for a launch agent that reads no compressed user data
   * (EC2Launch v2 on Windows): an error above 16 KB.
   */
  public static encodeUncompressed(text: string, path: string, what: string): EncodedUserData {
    const textBytes = Buffer.byteLength(text, 'utf8');
    if (textBytes > UserData.MAX_BYTES) {
      throw new IsolationError(path, 'userData', `must fit EC2's ${UserData.MAX_BYTES}-byte limit uncompressed (EC2Launch v2 reads no gzip-compressed user data)`,
        `${textBytes} bytes of ${what}`,
        'Shorten large files (fetch them at boot, e.g. from S3 or SSM Parameter Store) or install them from a package.');
    }
    return { text, compressed: false, textBytes, payloadBytes: textBytes };
  }

  private constructor() {}
}
