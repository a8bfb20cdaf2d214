import type { Db } from '../../platform/db/tx.js';

/** One alert transition to notify: which channels get it is decided in SQL from the channels' settings. */
export type Transition = {
  alert_id: string;
  tenant_id: string;
  severity: string;
  /** The rule's channels; empty = every enabled channel of the organisation that takes the severity. */
  channel_ids: string[];
  transition: 'firing' | 'resolved' | 'acknowledged';
  /** maintenance: kept until the window ends; silenced: recorded, never sent. */
  hold: 'maintenance' | 'silenced' | null;
};

export type DeliveryRow = {
  id: string;
  tenant_id: string;
  alert_id: string | null;
  channel_id: string;
  transition: 'firing' | 'resolved' | 'acknowledged' | 'test';
  state: string;
  attempts: number;
  give_up_at: Date;
  claim_id: string | null;
  /** 'maintenance' on a row released when a window ended: the notice says it comes late. */
  hold_reason: string | null;
};

export const deliveriesRepo = {
  /**
   * Queues one row per (transition, channel). A resolve or an acknowledgement goes only where the fire went (a
   * channel never told of the fire is not told it ended), and inherits a hold on the fire. Duplicates are ignored:
   * a transition is queued once per channel.
   */
  async queue(db: Db, transitions: readonly Transition[], giveUpSeconds: number): Promise<number> {
    if (transitions.length === 0) return 0;
    const r = await db.query(
      `with t as (
         select * from json_to_recordset($1::json) as x(alert_id uuid, tenant_id uuid, severity text,
                channel_ids uuid[], transition text, hold text)
       )
       insert into notification_deliveries (id, tenant_id, alert_id, channel_id, transition, state, hold_reason,
                                            give_up_at)
       select gen_random_uuid(), t.tenant_id, t.alert_id, c.id, t.transition,
              case when t.hold = 'silenced' then 'suppressed'
                   when t.hold = 'maintenance' or f.state = 'held' then 'held'
                   else 'pending' end,
              case when t.hold = 'silenced' then 'silenced'
                   when t.hold = 'maintenance' or f.state = 'held' then 'maintenance' end,
              now() + make_interval(secs => $2)
         from t
         join notification_channels c on c.tenant_id = t.tenant_id and c.enabled and t.severity = any(c.severities)
              and (cardinality(t.channel_ids) = 0 or c.id = any(t.channel_ids))
         left join notification_deliveries f on t.transition <> 'firing' and f.alert_id = t.alert_id
              and f.channel_id = c.id and f.transition = 'firing'
        where t.transition = 'firing' or f.state in ('pending', 'sending', 'sent', 'held', 'failed')
       on conflict (alert_id, transition, channel_id) do nothing`,
      [JSON.stringify(transitions), giveUpSeconds],
    );
    return r.rowCount ?? 0;
  },

  /** Claims due rows (and rows whose claimant died mid-send) for this process. */
  async claim(db: Db, claimId: string, limit: number, leaseSeconds: number): Promise<DeliveryRow[]> {
    const r = await db.query<DeliveryRow>(
      `update notification_deliveries d
          set state = 'sending', claim_id = $1, claimed_until = now() + make_interval(secs => $3),
              attempts = d.attempts + 1
        where d.id in (select id from notification_deliveries
                        where (state = 'pending' and next_attempt_at <= now())
                           or (state = 'sending' and claimed_until < now())
                        order by next_attempt_at limit $2 for update skip locked)
       returning d.id, d.tenant_id, d.alert_id, d.channel_id, d.transition, d.state, d.attempts, d.give_up_at, d.claim_id,
                 d.hold_reason`,
      [claimId, limit, leaseSeconds],
    );
    return r.rows;
  },

  /** Records the outcome, if this claim still owns the row. */
  async finish(
    db: Db,
    id: string,
    claimId: string,
    outcome: {
      state: 'sent' | 'pending' | 'failed';
      error: string | null;
      status: number | null;
      retryInSeconds?: number;
    },
  ): Promise<boolean> {
    const r = await db.query(
      `update notification_deliveries
          set state = $3, last_error = $4, last_status = $5, claim_id = null, claimed_until = null,
              sent_at = case when $3 = 'sent' then now() else sent_at end,
              next_attempt_at = now() + make_interval(secs => $6)
        where id = $1 and claim_id = $2`,
      [id, claimId, outcome.state, outcome.error, outcome.status, outcome.retryInSeconds ?? 0],
    );
    return r.rowCount === 1;
  },

  /** Tenants and alert owners (a device, a site or a sector) with notifications held for maintenance. */
  async held(
    db: Db,
  ): Promise<Array<{ tenant_id: string; device_id: string | null; site_id: string | null; sector_id: string | null }>> {
    const r = await db.query(
      `select distinct d.tenant_id, a.device_id, a.site_id, a.sector_id
         from notification_deliveries d join alert_events a on a.id = d.alert_id
        where d.state = 'held'`,
    );
    return r.rows;
  },

  /**
   * A window ended for these devices, sites and sectors: a fire still active is sent now (marked in maintenance);
   * one that resolved meanwhile is dropped with its resolve; a resolve or acknowledgement is sent when its fire was.
   */
  async release(
    db: Db,
    deviceIds: readonly string[],
    siteIds: readonly string[] = [],
    sectorIds: readonly string[] = [],
  ): Promise<number> {
    if (deviceIds.length + siteIds.length + sectorIds.length === 0) return 0;
    const r = await db.query(
      `update notification_deliveries d
          set state = case
                when d.transition = 'firing' and a.state = 'resolved' then 'cancelled'
                when d.transition = 'firing' then 'pending'
                when f.state in ('sent', 'sending', 'failed') or (f.state = 'pending' and f.hold_reason is null) then 'pending'
                when f.state = 'held' and a.state <> 'resolved' then 'pending'
                else 'cancelled' end,
              next_attempt_at = now()
         from alert_events a, notification_deliveries d2
         left join notification_deliveries f on f.alert_id = d2.alert_id and f.channel_id = d2.channel_id
              and f.transition = 'firing'
        where d2.id = d.id and a.id = d.alert_id and d.state = 'held'
          and (a.device_id = any($1::uuid[]) or a.site_id = any($2::uuid[]) or a.sector_id = any($3::uuid[]))`,
      [deviceIds, siteIds, sectorIds],
    );
    return r.rowCount ?? 0;
  },

  async forAlert(db: Db, alertId: string) {
    const r = await db.query(
      `select d.channel_id, coalesce(c.name, '') as channel_name, d.transition, d.state, d.hold_reason, d.attempts,
              d.last_error, d.sent_at
         from notification_deliveries d left join notification_channels c on c.id = d.channel_id
        where d.alert_id = $1 order by d.created_at, d.transition`,
      [alertId],
    );
    return r.rows;
  },

  async insertTest(
    db: Db,
    tenantId: string,
    channelId: string,
    state: 'sent' | 'failed',
    error: string | null,
    status: number | null,
  ) {
    await db.query(
      `insert into notification_deliveries (id, tenant_id, alert_id, channel_id, transition, state, attempts, give_up_at,
                                            last_error, last_status, sent_at)
       values (gen_random_uuid(), $1, null, $2, 'test', $3, 1, now(), $4, $5, case when $3 = 'sent' then now() end)`,
      [tenantId, channelId, state, error, status],
    );
  },
};
