import type { TemplateDevice } from '../../src/features/templates/render.js';

/** A device as the templates feature passes it to a render. */
export function templateDevice(over: Partial<TemplateDevice> = {}): TemplateDevice {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    name: 'branch-1',
    identity: 'Branch1',
    host: '192.0.2.10',
    model: 'RB5009UG+S+',
    version: '7.18.2',
    major: 7,
    site: 'Leeds',
    tags: ['edge'],
    groups: ['branches'],
    interfaces: [
      { name: 'ether1', type: 'ether', mac_address: '48:A9:8A:00:00:01', running: true },
      { name: 'ether2', type: 'ether', mac_address: '48:A9:8A:00:00:02', running: false },
      { name: 'wlan1', type: 'wlan', mac_address: null, running: true },
    ],
    ...over,
  };
}

export const v6Device = (): TemplateDevice =>
  templateDevice({ id: '00000000-0000-4000-8000-000000000006', name: 'old-1', version: '6.49.17', major: 6 });
