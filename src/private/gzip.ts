import { gzipSync } from 'node:zlib';

/**
 * Deterministic gzip: level 9, mtime 0, OS byte fixed to Unix, so the same
 * text gives the same bytes on every machine of one Node.js version.
 */
export function gzipDeterministic(text: string): Buffer {
  const out = gzipSync(Buffer.from(text, 'utf8'), { level: 9 });
  out.writeUInt32LE(0, 4); // MTIME
  out[9] = 3; // OS = Unix
  return out;
}
