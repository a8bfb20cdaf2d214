import { CloudDownload, Loader2 } from 'lucide-react';
import { useState } from 'react';
import { architectures, downloadPackages } from '@/api/firmware';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { useApiMutation } from '@/lib/mutation';
import { VERSION } from './words';

// Filling the cache from MikroTik's download server (the server's FIRMWARE_DOWNLOAD_URL) rather than by hand:
// RouterOS itself for a version and architecture, and the extras the routers need (wifi-qcom, container…). The
// server checks every file and keeps none unless all arrived.

const NAME = /^[a-z0-9][a-z0-9._-]{0,15}$/;

export function DownloadForm({ tenantId }: { tenantId: string }) {
  const [version, setVersion] = useState('');
  const [architecture, setArchitecture] = useState<string>('arm64');
  const [extras, setExtras] = useState('');
  const [checked, setChecked] = useState(false);
  const download = useApiMutation(downloadPackages, {
    silentErrors: true,
    success: (r) => `${r.items.map((p) => p.name).join(', ')} ${r.items[0]?.version ?? ''} downloaded into the cache`,
  });
  const extraNames = extras
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);
  const versionError = VERSION.test(version.trim()) ? undefined : 'A RouterOS version such as 7.16.2';
  const extrasError = extraNames.every((n) => NAME.test(n)) ? undefined : 'Package names such as wifi-qcom, container';

  const submit = () => {
    setChecked(true);
    if (versionError || extrasError) return;
    const main = Number.parseInt(version, 10) >= 7 ? 'routeros' : `routeros-${architecture}`;
    download.mutate(
      {
        tenantId,
        body: {
          version: version.trim(),
          architecture,
          ...(extraNames.length ? { packages: [main, ...extraNames] } : {}),
        },
      },
      { onSuccess: () => setChecked(false) },
    );
  };

  return (
    <form
      noValidate
      aria-label="Download from MikroTik"
      className="grid gap-3 border-b px-4 py-3 sm:grid-cols-[9rem_9rem_1fr_auto] sm:items-start"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Field id="download-version" label="Version" {...(checked && versionError ? { error: versionError } : {})}>
        <Input
          id="download-version"
          className="font-mono"
          value={version}
          placeholder="7.16.2"
          aria-invalid={checked && versionError ? true : undefined}
          onChange={(e) => setVersion(e.target.value)}
        />
      </Field>
      <Field id="download-architecture" label="Architecture">
        <Select
          id="download-architecture"
          value={architecture}
          onValueChange={setArchitecture}
          options={architectures.map((a) => ({ value: a, label: a }))}
        />
      </Field>
      <Field
        id="download-extras"
        label="Extra packages"
        hint="Optional, besides RouterOS: wifi-qcom, container…"
        {...(checked && extrasError ? { error: extrasError } : {})}
      >
        <Input id="download-extras" value={extras} onChange={(e) => setExtras(e.target.value)} />
      </Field>
      <Button type="submit" className="sm:mt-6" disabled={download.isPending}>
        {download.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <CloudDownload aria-hidden />}
        Download from MikroTik
      </Button>
      {download.error ? (
        <p role="alert" className="text-[13px] text-destructive sm:col-span-4" data-download-error>
          {download.error.detail}
        </p>
      ) : null}
    </form>
  );
}
