import { Check, cidrFamily, isIpv6 } from '../../src/private/validate';

describe('Check', () => {
  test.each([
    ['10.0.0.0/16', 'ipv4'], ['203.0.113.7/32', 'ipv4'], ['0.0.0.0/0', 'ipv4'],
    ['::/0', 'ipv6'], ['2001:db8::/32', 'ipv6'], ['2001:0db8:0000:0000:0000:0000:0000:0001/128', 'ipv6'], ['::ffff:10.0.0.1/128', 'ipv6'],
  ])('%s is an %s CIDR', (cidr, family) => {
    expect(cidrFamily(cidr)).toBe(family);
  });

  test.each(['10.0.0.0', '10.0.0.0/33', '256.0.0.0/8', '10.0.0/8', '1.2.3.4/-1', '2001:db8:::/32', '2001:db8::1::/64', 'fe80::/129', 'abc', '', '10.0.0.0/16 '])(
    '%j is not a CIDR', (cidr) => {
      expect(cidrFamily(cidr)).toBeUndefined();
      expect(() => Check.cidr('h', 'ingress.cidr', cidr)).toThrow(`h: 'ingress.cidr' must be an IPv4 or IPv6 CIDR block, got ${JSON.stringify(cidr)}.`);
    });

  test('IPv6 group counting', () => {
    expect(isIpv6('1:2:3:4:5:6:7:8')).toBe(true);
    expect(isIpv6('1:2:3:4:5:6:7')).toBe(false);
    expect(isIpv6('1:2:3:4:5:6:7:8:9')).toBe(false);
    expect(isIpv6('1::8')).toBe(true);
    expect(isIpv6('1:2:3:4:5:6:7::8')).toBe(false);
  });

  test.each([0, 65536, 1.5, -1, NaN, 'http'])('port %p is rejected with a fix', (port) => {
    expect(() => Check.port('h', 'ingress.port', port)).toThrow(
      `h: 'ingress.port' must be an integer from 1 to 65535, got ${typeof port === 'string' ? '"http"' : String(port)}. Ports are whole numbers from 1 to 65535.`);
  });

  test('a port written as a string says to give a number', () => {
    expect(() => Check.port('h', 'ingress.port', '80')).toThrow(
      'h: \'ingress.port\' must be an integer from 1 to 65535, not a string, got "80". Give a number, not a string: 80 instead of "80".');
  });

  test('ports 1 and 65535 are accepted', () => {
    expect(Check.port('h', 'p', 1)).toBe(1);
    expect(Check.port('h', 'p', 65535)).toBe(65535);
  });
});
