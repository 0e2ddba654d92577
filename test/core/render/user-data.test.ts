import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { UserData } from '../../../src/core/render/user-data';
import { gzipDeterministic } from '../../../src/private/gzip';

/** Text that does not compress well: a deterministic pseudo-random stream. */
function noise(bytes: number): string {
  let s = '';
  for (let i = 0; s.length < bytes; i++) s += createHash('sha256').update(String(i)).digest('base64');
  return s.slice(0, bytes);
}

describe('UserData', () => {
  test('up to 16384 bytes stays plain text', () => {
    const text = 'a'.repeat(16384);
    expect(UserData.encode(text)).toEqual({ text, compressed: false, textBytes: 16384, payloadBytes: 16384 });
  });

  test('counts bytes, not characters', () => {
    const text = 'é'.repeat(8193); // 16386 bytes
    expect(UserData.encode(text).compressed).toBe(true);
  });

  test('above 16384 bytes it is gzip + base64 and decompresses to the same text', () => {
    const text = '#cloud-config\n' + 'write_files: []\n'.repeat(2000);
    const e = UserData.encode(text);
    expect(e.compressed).toBe(true);
    expect(e.text).toBeUndefined();
    expect(e.textBytes).toBe(Buffer.byteLength(text));
    const gz = Buffer.from(e.base64!, 'base64');
    expect(gz.length).toBe(e.payloadBytes);
    expect(gunzipSync(gz).toString('utf8')).toBe(text);
  });

  test('gzip is deterministic: mtime 0 and OS byte 3, same bytes every time', () => {
    const a = gzipDeterministic('hello world\n'.repeat(100));
    const b = gzipDeterministic('hello world\n'.repeat(100));
    expect(a.equals(b)).toBe(true);
    expect([...a.subarray(0, 4)]).toEqual([0x1f, 0x8b, 8, 0]);
    expect(a.readUInt32LE(4)).toBe(0);
    expect(a[9]).toBe(3);
  });

  test('text that does not fit even compressed is an error naming both sizes', () => {
    const text = noise(40000);
    const gz = gzipDeterministic(text).length;
    expect(gz).toBeGreaterThan(16384);
    expect(() => UserData.encode(text, 'stack/host')).toThrow(
      `stack/host: 'userData' must fit EC2's 16384-byte limit even gzip-compressed (${gz} bytes compressed), got "40000 bytes of cloud-config". Move containers to more hosts`);
  });
});
