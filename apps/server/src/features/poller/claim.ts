import type pg from 'pg';

// Which devices this poller polls now. One statement both decides ownership and claims:
//  - ownership by rendezvous hashing over live pollers (heartbeat fresher than `staleSeconds`): each device goes
//    to the poller with the highest hash(device, poller). Every poller computes the same answer from the same
//    table, shares are even, and when a poller joins or dies only its share moves (sessions elsewhere stay put).
//  - the claim: FOR UPDATE SKIP LOCKED, then next_poll_at moves to the device's next slot. Whoever claims a device
//    (even two pollers briefly disagreeing about liveness) moves it past this cycle, so it is never polled twice
//    in one cycle.
// Slots: each device has a fixed phase in the interval (a hash of its id), so devices are spread evenly over the
// interval and keep their place from cycle to cycle. The next slot is the first one at least half an interval
// away, so a late or early claim never makes two polls closer than half an interval.

export type ClaimedDevice = {
  device_id: string;
  due_at: Date;
  tenant_id: string;
  config_version: number;
  disabled: boolean;
  status: string;
  uptime_seconds: string | null;
  booted_at: Date | null;
  version: string | null;
  identity: string | null;
};

const CLAIM_SQL = `
with live as (
  select id from pollers where heartbeat_at > now() - make_interval(secs => $3)
  union select $1::uuid
), due as (
  select s.device_id, s.next_poll_at
    from device_poll_schedule s
   where s.next_poll_at <= now() + make_interval(secs => $4)
     and $1::uuid = (select l.id from live l order by hashtext(s.device_id::text || l.id::text) desc, l.id limit 1)
   order by s.next_poll_at
   limit $5
   for update of s skip locked
), phase as (
  select due.device_id, due.next_poll_at,
         ((hashtext(due.device_id::text)::bigint & 2147483647) % ($2::bigint * 1000)) / 1000.0 as ph
    from due
)
update device_poll_schedule s
   set next_poll_at = to_timestamp(
         (floor((extract(epoch from now()) + $2::float8 / 2 - phase.ph) / $2::float8) + 1) * $2::float8 + phase.ph),
       claimed_by = $1, claimed_at = now()
  from phase join devices d on d.id = phase.device_id
 where s.device_id = phase.device_id
returning s.device_id, phase.next_poll_at as due_at, d.tenant_id, d.config_version, d.disabled, d.status,
          d.uptime_seconds, d.booted_at, d.version, d.identity`;

export async function claimDue(
  system: pg.Pool,
  o: { pollerId: string; intervalSec: number; staleSec: number; lookaheadSec: number; limit: number },
): Promise<ClaimedDevice[]> {
  const r = await system.query<ClaimedDevice>(CLAIM_SQL, [
    o.pollerId,
    o.intervalSec,
    o.staleSec,
    o.lookaheadSec,
    o.limit,
  ]);
  return r.rows;
}
