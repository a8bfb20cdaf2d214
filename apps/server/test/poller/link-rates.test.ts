import { describe, expect, it } from 'vitest';
import { applyLinkSpeeds, linkedEthernet, MAX_LINK_RATE_PORTS } from '../../src/features/poller/collect.js';
import { parseLinkRate, parseLinkRates } from '../../src/features/poller/parse.js';
import type { InterfaceSample } from '../../src/features/poller/types.js';

// Reading /interface/ethernet/monitor's `rate` and putting the rates on every poll's interface samples.

describe('negotiated link rates', () => {
  it('reads every rate RouterOS prints, in bits per second', () => {
    expect(parseLinkRate('10Mbps')).toBe(1e7);
    expect(parseLinkRate('100Mbps')).toBe(1e8);
    expect(parseLinkRate('1Gbps')).toBe(1e9);
    expect(parseLinkRate('2.5Gbps')).toBe(2.5e9);
    expect(parseLinkRate('5Gbps')).toBe(5e9);
    expect(parseLinkRate('10Gbps')).toBe(1e10);
    expect(parseLinkRate('25Gbps')).toBe(2.5e10);
    expect(parseLinkRate('100Gbps')).toBe(1e11);
    expect(parseLinkRate('400Gbps')).toBe(4e11);
  });

  it('gives no rate for `unknown`, nothing, or anything else', () => {
    for (const v of [undefined, '', 'unknown', '1G', '1 Gbps', '1gbps', '0Mbps', 'Gbps', '1e3Mbps', '-1Gbps', '1Tbps'])
      expect(parseLinkRate(v)).toBeNull();
  });

  it('a port without link has no rate, whatever else the row says', () => {
    const rates = parseLinkRates([
      { name: 'ether1', status: 'link-ok', rate: '1Gbps' },
      { name: 'ether2', status: 'no-link' },
      { name: 'ether3', status: 'no-link', rate: '1Gbps' },
      { name: 'ether4', status: 'link-ok', rate: 'unknown' },
      { status: 'link-ok', rate: '1Gbps' },
    ]);
    expect([...rates]).toEqual([
      ['ether1', 1e9],
      ['ether2', null],
      ['ether3', null],
      ['ether4', null],
    ]);
  });

  const sample = (name: string, type: string, running: boolean, disabled = false): InterfaceSample => ({
    name,
    type,
    macAddress: null,
    running,
    disabled,
    rxBytes: null,
    txBytes: null,
    rxPackets: null,
    txPackets: null,
    rxBps: null,
    txBps: null,
    rxPps: null,
    txPps: null,
  });

  it('asks only about running, enabled ethernet ports, and at most 256 of them', () => {
    const ifs = [
      sample('ether1', 'ether', true),
      sample('ether2', 'ether', false),
      sample('ether3', 'ether', true, true),
      sample('bridge', 'bridge', true),
      sample('wlan1', 'wlan', true),
      sample('sfp-sfpplus1', 'ether', true),
    ];
    expect(linkedEthernet(ifs)).toEqual(['ether1', 'sfp-sfpplus1']);
    expect(linkedEthernet(null)).toEqual([]);
    const many = Array.from({ length: 300 }, (_, i) => sample(`ether${i + 1}`, 'ether', true));
    expect(linkedEthernet(many)).toHaveLength(MAX_LINK_RATE_PORTS);
  });

  it('every sample gets a speed: the known rate of a running ethernet port, null otherwise', () => {
    const ifs = [
      sample('ether1', 'ether', true),
      sample('ether2', 'ether', false),
      sample('ether3', 'ether', true),
      sample('bridge', 'bridge', true),
    ];
    const rates = new Map<string, number | null>([
      ['ether1', 1e8],
      ['ether2', 1e9],
      ['bridge', 1e9],
    ]);
    applyLinkSpeeds(ifs, rates);
    expect(ifs.map((i) => i.linkSpeedBps)).toEqual([1e8, null, null, null]);
    applyLinkSpeeds(ifs, undefined);
    expect(ifs.map((i) => i.linkSpeedBps)).toEqual([null, null, null, null]);
  });
});
