import { Loader2, ShieldPlus } from 'lucide-react';
import { useState } from 'react';
import { createCa, type KeyType } from '@/api/certificates';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { cn } from '@/lib/cn';
import { useApiMutation } from '@/lib/mutation';
import { keyTypes } from './words';

// Creating the organisation's certificate authority (admins, once): why it exists, its name, key type and how long
// it lasts. The server makes the key and seals it; nothing secret passes through the browser.

const DEFAULT_DAYS = '3650';

export function CreateCaForm({ tenantId, organisation }: { tenantId: string; organisation: string }) {
  const [name, setName] = useState('');
  const [keyType, setKeyType] = useState<KeyType>('ecdsa-p256');
  const [days, setDays] = useState(DEFAULT_DAYS);
  const [checked, setChecked] = useState(false);
  const create = useApiMutation(createCa, { success: (ca) => `${ca.common_name} created`, silentErrors: true });
  const err = create.error;
  const n = /^\d+$/.test(days.trim()) ? Number(days.trim()) : Number.NaN;
  const daysError = n >= 30 && n <= 36_500 ? undefined : 'A whole number of days from 30 to 36500';
  const general = err && !err.field('common_name') && !err.field('validity_days') ? err.detail : undefined;

  const submit = () => {
    setChecked(true);
    if (daysError) return;
    create.mutate({
      tenantId,
      body: { key_type: keyType, validity_days: n, ...(name.trim() ? { common_name: name.trim() } : {}) },
    });
  };

  return (
    <Card aria-labelledby="create-ca-title" data-create-ca>
      <header className="grid gap-1 border-b px-4 py-3">
        <h2 id="create-ca-title" className="text-[13px] font-semibold">
          Create the organisation’s certificate authority
        </h2>
        <p className="max-w-3xl text-xs text-muted-foreground">
          Without one, TOD’s TLS connections cannot prove which router answers (routers have no certificate of their
          own, or a self-signed one). With one, TOD signs a certificate for each router’s API (api-ssl), deploys it as a
          safe change and from then on verifies every connection against this authority: a replaced or impersonated
          router is refused, not trusted. The private key is made and sealed on the server and never leaves it; only the
          authority’s certificate can be downloaded. An organisation has one.
        </p>
      </header>
      <form
        noValidate
        aria-label="Create certificate authority"
        className="grid gap-4 p-4"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="ca-name"
            label="Common name"
            hint="Optional: shown on every router certificate it signs."
            error={err?.field('common_name')}
          >
            <Input
              id="ca-name"
              value={name}
              placeholder={`${organisation} routers CA`}
              onChange={(e) => setName(e.target.value)}
            />
          </Field>
          <Field
            id="ca-days"
            label="Valid for (days)"
            hint="3650 days is ten years; routers’ certificates are renewed within it."
            error={(checked ? daysError : undefined) ?? err?.field('validity_days')}
          >
            <Input
              id="ca-days"
              inputMode="numeric"
              className="w-40"
              value={days}
              aria-invalid={checked && daysError ? true : undefined}
              onChange={(e) => setDays(e.target.value)}
            />
          </Field>
        </div>
        <fieldset className="grid gap-2">
          <legend className="mb-1 text-[13px] font-medium">Key type</legend>
          {keyTypes.map((k) => (
            <label
              key={k.value}
              className={cn(
                'grid cursor-pointer grid-cols-[auto_1fr] gap-x-2 rounded-md border px-3 py-2',
                keyType === k.value && 'border-ring bg-accent/40',
              )}
            >
              <input
                type="radio"
                name="ca-key-type"
                value={k.value}
                checked={keyType === k.value}
                onChange={() => setKeyType(k.value)}
                aria-describedby={`ca-key-${k.value}-help`}
                className="mt-0.5"
              />
              <span className="text-[13px] font-medium">{k.label}</span>
              <span id={`ca-key-${k.value}-help`} className="col-start-2 text-xs text-muted-foreground">
                {k.help} The routers’ certificates get the same key type.
              </span>
            </label>
          ))}
        </fieldset>
        {general ? (
          <p role="alert" className="text-[13px] text-destructive">
            {general}
          </p>
        ) : null}
        <div className="flex justify-end">
          <Button type="submit" variant="primary" disabled={create.isPending}>
            {create.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <ShieldPlus aria-hidden />}
            Create certificate authority
          </Button>
        </div>
      </form>
    </Card>
  );
}
