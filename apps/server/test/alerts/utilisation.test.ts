import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSimDevice } from '../config-backups/helpers.js';
import { type AlertJson, type AlertsEnv, alertsOf, createRule, startAlertsEnv, waitUntil } from './helpers.js';

// Interface utilisation without the operator typing a link speed: the poller reads each ethernet port's negotiated
// rate from the router, so `interface_util_pct > 50` fires on a 100 Mbit/s link carrying 80 Mbit/s; the same traffic
// on a gigabit link is 8 %.

let e: AlertsEnv;
const ids: string[] = [];
const users = [{ name: 'admin', password: 'sim-pass' }];
const busy = { interfaceBps: { ether1: 80_000_000 } };

beforeAll(async () => {
  e = await startAlertsEnv([
    { identity: 'fast-ethernet', version: '7.16', users, traffic: { ...busy, linkRates: { ether1: '100Mbps' } } },
    { identity: 'gigabit', version: '6.49.10', users, traffic: busy },
  ]);
  for (let i = 0; i < 2; i++) ids.push(await addSimDevice(e as never, i));
}, 60_000);
afterAll(async () => {
  await e?.stop();
});

type TargetedAlert = AlertJson & { target: string; metric: string };

describe('interface utilisation of the negotiated link', () => {
  it('fires on the port that carries more than half its link, with no link_speed_bps on the rule', async () => {
    const rule = {
      name: 'Link busy',
      metric: 'interface_util_pct',
      operator: '>',
      threshold: 50,
      duration_polls: 2,
      severity: 'warning',
    };
    const busyRule = await createRule(e, { ...rule, scope: { kind: 'organisation' } });
    // The gigabit router gets its own, lower bar (a narrower rule replaces the organisation's there): it shows the
    // figure TOD computes for it.
    const lowRule = await createRule(e, { ...rule, threshold: 5, scope: { kind: 'device', id: ids[1] } });
    const firing = async (i: number) =>
      ((await alertsOf(e, `device_id=${ids[i]}&state=firing`)) as TargetedAlert[]).find(
        (a) => a.metric === 'interface_util_pct',
      );

    const fast = await waitUntil('utilisation alert on the 100 Mbit/s link', () => firing(0));
    expect(fast.target).toBe('ether1');
    // 80 Mbit/s of 100: about 80 % (the rate is measured between two polls' counter reads).
    expect(fast.value).toBeGreaterThan(75);
    expect(fast.value).toBeLessThan(85);

    // The same 80 Mbit/s on a gigabit link (RouterOS 6): about 8 %.
    const gigabit = await waitUntil('utilisation alert on the gigabit link', () => firing(1));
    expect(gigabit.target).toBe('ether1');
    expect(gigabit.value).toBeGreaterThan(7);
    expect(gigabit.value).toBeLessThan(9);

    // One alert each: only ether1 carries traffic on a link whose rate is known.
    const count = async (ruleId: string) =>
      Number(
        (
          await e.ctx.pools.system.query<{ n: string }>('select count(*) as n from alert_events where rule_id = $1', [
            ruleId,
          ])
        ).rows[0]!.n,
      );
    expect(await count(busyRule.id)).toBe(1);
    expect(await count(lowRule.id)).toBe(1);

    // The editor's preview reads the latest stored figures, link rates included: the same verdict.
    const preview = await e.operator.post(`${e.base}/alert-rules/preview`, { ...rule, threshold: 50 });
    expect(preview.json()).toMatchObject({ would_fire: 1 });
    expect(preview.json().sample[0]).toMatchObject({ device_id: ids[0], target: 'ether1', breaching: true });
  });
});
