-- A rollout may stop starting devices at a time (`options.stop_at`: a maintenance window's end). When it passes, the
-- rollout pauses with reason 'window_closed': devices already running finish, the rest stay pending until resumed.
alter table rollouts drop constraint rollouts_pause_reason_check;
alter table rollouts add constraint rollouts_pause_reason_check
  check (pause_reason in ('manual', 'failure_threshold', 'window_closed'));
