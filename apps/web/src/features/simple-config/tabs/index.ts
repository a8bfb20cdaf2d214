import type { TabDef } from '../tab-def';
import { dnsTab } from './dns';
import { firewallTab } from './firewall';
import { internetTab } from './internet';
import { lanTab } from './lan';
import { portForwardingTab } from './port-forwarding';
import { systemTab } from './system';
import { wifiTab } from './wifi';

/** The seven forms, in the order of their sub-tabs. */
export const tabDefs: readonly TabDef<unknown>[] = [
  internetTab,
  lanTab,
  wifiTab,
  portForwardingTab,
  firewallTab,
  dnsTab,
  systemTab,
];
