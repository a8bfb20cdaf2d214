import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { ArrowUpCircle, TriangleAlert } from 'lucide-react';
import { useState } from 'react';
import {
  type Channel,
  channels,
  type FirmwareDevice,
  type Latest,
  type Source,
  startUpgrade,
  type UpgradeRequest,
} from '@/api/firmware';
import { windowsQuery } from '@/api/maintenance-windows';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { cn } from '@/lib/cn';
import { dateTime } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';
import { Segmented } from '../changes/segmented';
import { RolloutOptionsFields } from '../rollouts/options-fields';
import { defaultOptions, type OptionsForm, rolloutOptions } from '../rollouts/options-form';
import { DialogSection, RefusedAlert, StartRolloutDialog } from '../rollouts/start-dialog';
import { channelLabel, channelTarget, majorJumps, sourceHelp, VERSION } from './words';

// Upgrading the picked devices: to the newest version of a channel or to a given version, RouterBOARD firmware too
// if asked, from the internet or TOD's package cache, now, at a time or in a maintenance window, in waves. A jump
// across a major version (6 → 7, through the newest 6.49.x) is confirmed explicitly: the dialog foresees it from the
// versions the routers reported, and the server's `major_upgrade_unconfirmed` shows it where the dialog could not.

const NO_WINDOW = 'none';
const sources: Source[] = ['auto', 'device', 'cache'];

export function UpgradeDialog(props: {
  tenantId: string;
  devices: FirmwareDevice[];
  latest: Latest[];
  onClose: () => void;
}) {
  const [by, setBy] = useState<'channel' | 'version'>('channel');
  const [channel, setChannel] = useState<Channel>('stable');
  const [version, setVersion] = useState('');
  const [routerboard, setRouterboard] = useState(false);
  const [source, setSource] = useState<Source>('auto');
  const [windowId, setWindowId] = useState(NO_WINDOW);
  const [confirmMajor, setConfirmMajor] = useState(false);
  const [form, setForm] = useState<OptionsForm>(defaultOptions);
  const [checked, setChecked] = useState(false);
  const windows = useQuery(windowsQuery(props.tenantId));
  const navigate = useNavigate();
  const upgrade = useApiMutation(startUpgrade, { silentErrors: true, success: () => 'Upgrade started' });

  const inWindow = windowId !== NO_WINDOW;
  // A maintenance window decides when: the server takes either the window or a time, never both.
  const opts = rolloutOptions(inWindow ? { ...form, later: false } : form);
  const target = by === 'version' ? version.trim() : channelTarget(props.latest, channel);
  const versionError =
    by === 'version' && !VERSION.test(version.trim()) ? 'A RouterOS version such as 7.16.2' : undefined;
  const jumps = majorJumps(props.devices, target);
  const serverSaysMajor = upgrade.error?.code === 'major_upgrade_unconfirmed';
  const major = jumps.length > 0 || serverSaysMajor;
  const names = props.devices.map((d) => d.name);

  const submit = () => {
    setChecked(true);
    if (opts.errors || versionError || (major && !confirmMajor)) return;
    const body: UpgradeRequest = {
      targets: { device_ids: props.devices.map((d) => d.device_id) },
      ...(by === 'version' ? { version: version.trim() } : { channel }),
      routerboard,
      source,
      ...(confirmMajor && major ? { confirm_major: true } : {}),
      ...(inWindow ? { maintenance_window_id: windowId } : {}),
      rollout: opts.options,
    };
    upgrade.mutate(
      { tenantId: props.tenantId, body },
      { onSuccess: (r) => navigate({ to: '/rollouts/$rolloutId', params: { rolloutId: r.rollout_id } }) },
    );
  };

  const windowOptions = [
    { value: NO_WINDOW, label: 'None: start now or at a time' },
    ...(windows.data?.items ?? []).map((w) => ({
      value: w.id,
      label: w.active ? `${w.name} (open now)` : w.next ? `${w.name} (next ${dateTime(w.next.starts_at)})` : w.name,
    })),
  ];
  // A new target is a new question: the server's last answer (a major jump, say) no longer applies.
  const retarget =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      upgrade.reset();
      set(v);
    };
  const otherError = upgrade.error && !serverSaysMajor ? upgrade.error : null;

  return (
    <StartRolloutDialog
      id="upgrade"
      title={`Upgrade ${names.length === 1 ? names[0] : `${names.length} devices`}`}
      description="Each device is backed up, downloads and installs the new RouterOS, reboots and is checked. A reboot into new firmware cannot revert itself: the pre-upgrade backup is the way back."
      onClose={props.onClose}
      onSubmit={submit}
      pending={upgrade.isPending}
      icon={ArrowUpCircle}
      submitLabel={inWindow || form.later ? 'Schedule upgrade' : 'Start upgrade'}
    >
      <DialogSection id="upgrade-devices" title="Devices">
        <ul className="flex flex-wrap gap-1.5 text-xs" data-upgrade-devices>
          {props.devices.map((d) => (
            <li key={d.device_id} className="rounded-md border px-2 py-0.5">
              {d.name} <span className="font-mono text-muted-foreground">{d.version ?? '?'}</span>
            </li>
          ))}
        </ul>
      </DialogSection>

      <DialogSection id="upgrade-target" title="Target" className="gap-3">
        <Segmented
          label="Upgrade to"
          value={by}
          options={[
            ['channel', 'Newest on a channel'],
            ['version', 'A version'],
          ]}
          onChange={retarget(setBy)}
        />
        {by === 'channel' ? (
          <Field
            id="upgrade-channel"
            label="Channel"
            hint={
              target
                ? `Newest reported: ${target}. The devices stay on this channel.`
                : 'No device reported this channel yet: check for updates first, or give a version.'
            }
          >
            <Select
              id="upgrade-channel"
              className="w-60"
              value={channel}
              onValueChange={retarget((v: string) => setChannel(v as Channel))}
              options={channels.map((c) => ({ value: c, label: channelLabel[c] ?? c }))}
            />
          </Field>
        ) : (
          <Field
            id="upgrade-version"
            label="Version"
            hint="The exact RouterOS version, such as 7.16.2."
            {...(checked && versionError ? { error: versionError } : {})}
          >
            <Input
              id="upgrade-version"
              className="w-60 font-mono"
              value={version}
              placeholder="7.16.2"
              aria-invalid={checked && versionError ? true : undefined}
              onChange={(e) => retarget(setVersion)(e.target.value)}
            />
          </Field>
        )}
        <label className="flex items-center gap-2 text-[13px]">
          <input type="checkbox" checked={routerboard} onChange={(e) => setRouterboard(e.target.checked)} />
          Also upgrade RouterBOARD firmware (a second reboot)
        </label>
      </DialogSection>

      {major ? (
        <section
          className="grid gap-2 rounded-md border border-warning/40 bg-warning/10 p-3"
          aria-labelledby="upgrade-major"
          data-major-warning
        >
          <h3 id="upgrade-major" className="flex items-center gap-1.5 text-[13px] font-medium text-warning">
            <TriangleAlert className="size-4" aria-hidden /> Major upgrade
          </h3>
          {serverSaysMajor ? (
            <p role="alert" className="text-[13px]">
              {upgrade.error?.detail}
            </p>
          ) : (
            <p className="text-[13px]">
              {target} is a new major version for {jumps.map((d) => `${d.name} (${d.version})`).join(', ')}.
            </p>
          )}
          <p className="text-xs text-muted-foreground">
            RouterOS 6 goes to 7 through the newest 6.49.x: two installs and reboots per device. Menus and the
            configuration format change with the major version; the pre-upgrade backup is the way back.
          </p>
          <label className="flex items-center gap-2 text-[13px] font-medium">
            <input type="checkbox" checked={confirmMajor} onChange={(e) => setConfirmMajor(e.target.checked)} />
            Confirm major upgrade
          </label>
          {checked && !confirmMajor ? (
            <p role="alert" className="text-xs text-destructive">
              Tick “Confirm major upgrade” to go on.
            </p>
          ) : null}
        </section>
      ) : null}

      <fieldset className="grid gap-2">
        <legend className="mb-1 text-[13px] font-medium">Packages from</legend>
        {sources.map((s) => (
          <label
            key={s}
            className={cn(
              'grid cursor-pointer grid-cols-[auto_1fr] gap-x-2 rounded-md border px-3 py-2',
              source === s && 'border-ring bg-accent/40',
            )}
          >
            <input
              type="radio"
              name="upgrade-source"
              value={s}
              checked={source === s}
              onChange={() => setSource(s)}
              aria-describedby={`upgrade-source-${s}-help`}
              className="mt-0.5"
            />
            <span className="text-[13px] font-medium">{sourceHelp[s].label}</span>
            <span id={`upgrade-source-${s}-help`} className="col-start-2 text-xs text-muted-foreground">
              {sourceHelp[s].help}
            </span>
          </label>
        ))}
      </fieldset>

      <Field
        id="upgrade-window"
        label="Maintenance window"
        hint={
          inWindow
            ? 'Starts when the window opens (at once if it is open now).'
            : 'Optional: start at the next occurrence of a window.'
        }
      >
        <Select
          id="upgrade-window"
          className="w-80"
          value={windowId}
          onValueChange={setWindowId}
          options={windowOptions}
        />
      </Field>

      <RolloutOptionsFields
        id="upgrade"
        value={form}
        onChange={setForm}
        errors={checked && opts.errors ? opts.errors : {}}
        show={{ mode: false, schedule: !inWindow }}
      />

      {otherError ? (
        <RefusedAlert
          data="data-upgrade-error"
          lead={otherError.detail}
          problems={otherError.fieldErrors.map((e) => ({
            key: `${e.path} ${e.message}`,
            text: `${e.path}: ${e.message}`,
          }))}
        />
      ) : null}
    </StartRolloutDialog>
  );
}
