import { Tag } from 'lucide-react';
import { describe, expect, it } from 'vitest';
import { allowed, assemble, type DeviceTab, defineFeature } from '../src/features/feature';

const Tab: DeviceTab['component'] = () => null;

describe('assembling the web features', () => {
  it('keeps the list order, groups the sidebar by section and collects every device tab', () => {
    const f = assemble([
      defineFeature({ id: 'a', nav: [{ to: '/settings', label: 'Settings', icon: Tag, group: 'Account' }] }),
      defineFeature({
        id: 'b',
        nav: [{ to: '/devices', label: 'Devices', icon: Tag, group: 'Fleet', key: 'd' }],
        deviceTabs: [{ id: 'overview', label: 'Overview', component: Tab }],
      }),
      defineFeature({
        id: 'c',
        deviceTabs: [{ id: 'backups', label: 'Backups', permission: 'devices.delete', component: Tab }],
      }),
    ]);
    expect(f.nav.map((n) => n.label)).toEqual(['Devices', 'Settings']);
    expect(f.deviceTabs.map((t) => t.id)).toEqual(['overview', 'backups']);
    expect(allowed(f.deviceTabs, { 'devices.delete': false }).map((t) => t.id)).toEqual(['overview']);
    expect(allowed(f.deviceTabs, { 'devices.delete': true }).map((t) => t.id)).toEqual(['overview', 'backups']);
  });

  it('refuses two features claiming the same page, shortcut, action or device tab', () => {
    const page = { to: '/users' as const, label: 'Users', icon: Tag, group: 'Organisation' as const };
    expect(() =>
      assemble([
        { id: 'a', nav: [page] },
        { id: 'b', nav: [page] },
      ]),
    ).toThrow('page /users is defined by both the a and the b feature');
    expect(() =>
      assemble([
        { id: 'a', nav: [{ ...page, key: 'u' }] },
        { id: 'b', nav: [{ ...page, to: '/audit', key: 'u' }] },
      ]),
    ).toThrow('shortcut g u');
    const tab = { id: 'backups', label: 'Backups', component: Tab };
    expect(() =>
      assemble([
        { id: 'a', deviceTabs: [tab] },
        { id: 'b', deviceTabs: [tab] },
      ]),
    ).toThrow('device tab backups');
    expect(() => assemble([{ id: 'a' }, { id: 'a' }])).toThrow('feature a');
  });
});
