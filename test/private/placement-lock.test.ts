import { IsolationError } from '../../src/private/errors';
import { PlacementLock } from '../../src/private/placement-lock';

const parse = (text: string) => PlacementLock.parse(text, '/repo/placement.lock.json', 'prod/pool', 'placementFile');
const FIX = 'Fix /repo/placement.lock.json or delete it (the next synthesis writes it anew, placing every app afresh).';

describe('PlacementLock', () => {
  test('writes pools and apps sorted, two-space JSON with a final newline, and keeps the other pools', () => {
    const text = PlacementLock.withPool({ 'b/pool': { z: 1, a: 0 } }, 'a/pool', { web: 1, api: 0 });
    expect(text).toBe([
      '{',
      '  "version": 1,',
      '  "pools": {',
      '    "a/pool": {',
      '      "api": 0,',
      '      "web": 1',
      '    },',
      '    "b/pool": {',
      '      "a": 0,',
      '      "z": 1',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n'));
    expect(parse(text)).toEqual({ 'a/pool': { api: 0, web: 1 }, 'b/pool': { a: 0, z: 1 } });
  });

  test('replaces the whole entry of the pool: apps no longer in it are gone', () => {
    const text = PlacementLock.withPool({ 'a/pool': { gone: 2, web: 0 } }, 'a/pool', { web: 0 });
    expect(parse(text)).toEqual({ 'a/pool': { web: 0 } });
  });

  test('the same placement gives the same bytes, whatever the order it was built in', () => {
    const one = PlacementLock.withPool({ y: { b: 1, a: 0 }, x: {} }, 'p', { c: 0, b: 1 });
    const two = PlacementLock.withPool({ x: {}, y: { a: 0, b: 1 } }, 'p', { b: 1, c: 0 });
    expect(one).toBe(two);
  });

  test.each<[string, string, string]>([
    ['not JSON', '{"version": 1,', "prod/pool: 'placementFile' names a file that is not JSON ("],
    ['another version', '{"version": 2, "pools": {}}',
      'prod/pool: \'placementFile\' names a file that is not a version 1 placement lock (expected {"version": 1, "pools": {...}}, found {"version":2,"pools":{}}), got "/repo/placement.lock.json". ' + FIX],
    ['an array', '[]', 'prod/pool: \'placementFile\' names a file that is not a version 1 placement lock (expected {"version": 1, "pools": {...}}, found []), got "/repo/placement.lock.json". ' + FIX],
    ['a pool that is a list', '{"version": 1, "pools": {"prod/pool": [0]}}',
      'prod/pool: \'placementFile\' names a file whose pool "prod/pool" is not an object of host indexes (found [0]), got "/repo/placement.lock.json". ' + FIX],
    ['a negative index', '{"version": 1, "pools": {"prod/pool": {"web": -1}}}',
      'prod/pool: \'placementFile\' names a file where app "web" of pool "prod/pool" has host index -1, not a whole number from 0, got "/repo/placement.lock.json". ' + FIX],
    ['a fractional index', '{"version": 1, "pools": {"prod/pool": {"web": 0.5}}}',
      'prod/pool: \'placementFile\' names a file where app "web" of pool "prod/pool" has host index 0.5, not a whole number from 0, got "/repo/placement.lock.json". ' + FIX],
    ['a string index', '{"version": 1, "pools": {"prod/pool": {"web": "0"}}}',
      'prod/pool: \'placementFile\' names a file where app "web" of pool "prod/pool" has host index "0", not a whole number from 0, got "/repo/placement.lock.json". ' + FIX],
  ])('rejects %s, naming the pool, the file and the fix', (_what, text, message) => {
    let error: unknown;
    try {
      parse(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IsolationError);
    const m = (error as Error).message;
    if (message.endsWith('(')) {
      expect(m.startsWith(message)).toBe(true);
      expect(m.endsWith(`), got "/repo/placement.lock.json". ${FIX}`)).toBe(true);
    } else {
      expect(m).toBe(message);
    }
  });
});
