import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('the API settings in the environment', () => {
  it('TRUST_PROXY takes what express trusts: off, on, hops, or addresses and subnets', () => {
    const trust = (value?: string) =>
      loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).TRUST_PROXY;
    expect(trust()).toBe(false);
    expect(trust('')).toBe(false);
    expect(trust('false')).toBe(false);
    expect(trust('TRUE')).toBe(true);
    expect(trust('2')).toBe(2);
    expect(trust('loopback, 10.0.0.0/8 fd00::/8,192.168.1.5')).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '192.168.1.5',
    ]);
  });

  it('a TRUST_PROXY express could not use stops start-up, naming it', () => {
    for (const value of ['yes', 'proxy.example.com', '10.0.0.0/33', '10.0.0.0/8/1', '1.2.3']) {
      expect(() => loadConfig({ TRUST_PROXY: value }), value).toThrow(ConfigError);
      expect(() => loadConfig({ TRUST_PROXY: value }), value).toThrow(/TRUST_PROXY: must be true, false/);
    }
  });

  it('SESSION_MAX_HOURS: 24 by default, whole hours up to 30 days', () => {
    expect(loadConfig({}).SESSION_MAX_HOURS).toBe(24);
    expect(loadConfig({ SESSION_MAX_HOURS: '8' }).SESSION_MAX_HOURS).toBe(8);
    expect(() => loadConfig({ SESSION_MAX_HOURS: '0' })).toThrow(/SESSION_MAX_HOURS/);
    expect(() => loadConfig({ SESSION_MAX_HOURS: '721' })).toThrow(/SESSION_MAX_HOURS/);
  });
});
