import { useNavigate } from '@tanstack/react-router';
import { ShieldCheck } from 'lucide-react';
import { useState } from 'react';
import { bulkDeployCertificates, deployCertificate } from '@/api/certificates';
import type { WindowScope } from '@/api/maintenance-windows';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useApiMutation } from '@/lib/mutation';
import { Segmented } from '../changes/segmented';
import { useScopeNames } from '../maintenance/scope-picker';
import { RolloutOptionsFields } from '../rollouts/options-fields';
import { defaultOptions, type OptionsForm, rolloutOptions, targetsOf } from '../rollouts/options-form';
import { DialogSection, RefusedAlert, StartRolloutDialog, TargetsSection } from '../rollouts/start-dialog';

// Deploying certificates: one device is one safe change, followed on this page (its row opens to the operation);
// several devices, or groups, tags and sites, are a rollout, whose page the dialog opens.

export function DeployDialog(props: {
  tenantId: string;
  onClose: () => void;
  /** One device: the certificate signed for it (its row follows the operation). */
  onDeployed: (certificateId: string) => void;
}) {
  const [scopes, setScopes] = useState<WindowScope[]>([]);
  const [days, setDays] = useState('');
  const [custom, setCustom] = useState(false);
  const [form, setForm] = useState<OptionsForm>(defaultOptions);
  const [checked, setChecked] = useState(false);
  const { nameOf } = useScopeNames(props.tenantId);
  const navigate = useNavigate();
  const one = useApiMutation(deployCertificate, {
    silentErrors: true,
    success: (_r, v) => `Deploying a certificate to ${nameOf({ kind: 'device', id: v.deviceId }) ?? 'the device'}`,
  });
  const many = useApiMutation(bulkDeployCertificates, {
    silentErrors: true,
    success: () => 'Certificate rollout started',
  });

  const single = scopes.length === 1 && scopes[0]?.kind === 'device' ? scopes[0].id : undefined;
  const opts = rolloutOptions(form);
  const n = /^\d+$/.test(days.trim()) ? Number(days.trim()) : Number.NaN;
  const daysError =
    days.trim() === '' || (n >= 1 && n <= 3650) ? undefined : 'A whole number of days from 1 to 3650, or blank';
  const validity = days.trim() && !daysError ? n : undefined;
  const error = single ? one.error : many.error;

  const submit = () => {
    setChecked(true);
    if (scopes.length === 0 || daysError) return;
    if (single) {
      one.mutate(
        { tenantId: props.tenantId, deviceId: single, ...(validity ? { validityDays: validity } : {}) },
        {
          onSuccess: (r) => {
            props.onDeployed(r.certificate_id);
            props.onClose();
          },
        },
      );
      return;
    }
    if (custom && opts.errors) return;
    many.mutate(
      {
        tenantId: props.tenantId,
        body: {
          targets: targetsOf(scopes),
          ...(validity ? { validity_days: validity } : {}),
          ...(custom && !opts.errors ? { rollout: opts.options } : {}),
        },
      },
      { onSuccess: (r) => navigate({ to: '/rollouts/$rolloutId', params: { rolloutId: r.rollout_id } }) },
    );
  };

  return (
    <StartRolloutDialog
      id="deploy-certificate"
      title="Deploy certificates"
      description="TOD signs a certificate for each router with the organisation’s CA, installs it on api-ssl as a safe change (replacing the one it has) and then connects with full verification. A router that already has one gets a new one."
      onClose={props.onClose}
      onSubmit={submit}
      pending={one.isPending || many.isPending}
      icon={ShieldCheck}
      submitLabel={single || scopes.length === 0 ? 'Deploy' : 'Start rollout'}
    >
      <TargetsSection
        id="deploy-targets"
        title="Routers"
        tenantId={props.tenantId}
        value={scopes}
        onChange={(v) => {
          one.reset();
          many.reset();
          setScopes(v);
        }}
        checked={checked}
      />
      <p className="-mt-3 text-xs text-muted-foreground" data-deploy-how>
        {single
          ? 'One device: a single safe change, followed on the Certificates page.'
          : scopes.length
            ? 'Several devices, or groups, tags or sites: a rollout, in waves, that you can pause or cancel.'
            : 'One device is a single safe change; more, or groups, tags and sites, a rollout.'}
      </p>
      <Field
        id="deploy-days"
        label="Valid for (days)"
        hint="Blank: TOD’s default (730 days unless configured otherwise). TOD rotates certificates before they end."
        {...(checked && daysError ? { error: daysError } : {})}
      >
        <Input
          id="deploy-days"
          inputMode="numeric"
          className="w-40"
          value={days}
          placeholder="730"
          aria-invalid={checked && daysError ? true : undefined}
          onChange={(e) => setDays(e.target.value)}
        />
      </Field>
      {single || scopes.length === 0 ? null : (
        <DialogSection id="deploy-rollout-choice" title="How it runs">
          <Segmented
            label="Rollout options"
            value={custom ? 'custom' : 'defaults'}
            options={[
              ['defaults', 'Defaults'],
              ['custom', 'Choose options'],
            ]}
            onChange={(v) => setCustom(v === 'custom')}
          />
          {custom ? (
            <RolloutOptionsFields
              id="deploy"
              value={form}
              onChange={setForm}
              errors={checked && opts.errors ? opts.errors : {}}
              show={{ mode: false }}
            />
          ) : (
            <p className="text-xs text-muted-foreground">
              A canary device first, then batches of 10, paused at the first failure.
            </p>
          )}
        </DialogSection>
      )}
      {error ? (
        <RefusedAlert
          data="data-deploy-error"
          lead={error.detail}
          problems={error.fieldErrors.map((e) => ({ key: `${e.path} ${e.message}`, text: `${e.path}: ${e.message}` }))}
        />
      ) : null}
    </StartRolloutDialog>
  );
}
