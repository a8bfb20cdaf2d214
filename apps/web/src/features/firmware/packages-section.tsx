import { useQuery } from '@tanstack/react-query';
import { Loader2, Package, Upload } from 'lucide-react';
import { useRef, useState } from 'react';
import { packagesQuery, uploadPackage } from '@/api/firmware';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { TableSkeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { ago, dateTime } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';
import { bytes } from '../fleet/format';
import { DownloadForm } from './download-form';

// The organisation's package cache (admins): RouterOS .npk files TOD uploads to routers that cannot reach MikroTik
// (an upgrade with "TOD's package cache", or "automatic" on such a router), uploaded here or downloaded from MikroTik
// (download-form.tsx). The server reads each file's header and names what is wrong with one it refuses.

export function PackagesSection({ tenantId }: { tenantId: string }) {
  const q = useQuery(packagesQuery(tenantId));
  const [file, setFile] = useState<File | null>(null);
  const [architecture, setArchitecture] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const upload = useApiMutation(uploadPackage, {
    silentErrors: true,
    success: (r) => `${r.name} ${r.version} (${r.architecture}) is in the cache`,
  });
  const items = q.data ?? [];

  const submit = () => {
    if (!file) return;
    upload.mutate(
      { tenantId, file, ...(architecture.trim() ? { architecture: architecture.trim() } : {}) },
      {
        onSuccess: () => {
          setFile(null);
          if (input.current) input.current.value = '';
        },
      },
    );
  };

  return (
    <Card aria-labelledby="firmware-packages">
      <header className="grid gap-0.5 border-b px-4 py-3">
        <h2 id="firmware-packages" className="text-[13px] font-semibold">
          Packages
        </h2>
        <p className="text-xs text-muted-foreground">
          RouterOS packages for routers without internet: TOD uploads them over SFTP during an upgrade.
        </p>
      </header>
      <form
        className="grid gap-3 border-b px-4 py-3 sm:grid-cols-[1fr_14rem_auto] sm:items-start"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Field id="package-file" label="Package file (.npk)">
          <input
            ref={input}
            id="package-file"
            type="file"
            accept=".npk"
            className="text-[13px] file:mr-3 file:rounded-md file:border file:bg-card file:px-2.5 file:py-1 file:text-[13px]"
            onChange={(e) => {
              upload.reset();
              setFile(e.target.files?.[0] ?? null);
            }}
          />
        </Field>
        <Field id="package-architecture" label="Architecture" hint="Only for a package that names none.">
          <Input
            id="package-architecture"
            value={architecture}
            placeholder="arm64"
            onChange={(e) => setArchitecture(e.target.value)}
          />
        </Field>
        <Button type="submit" variant="primary" className="sm:mt-6" disabled={!file || upload.isPending}>
          {upload.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <Upload aria-hidden />}
          Upload
        </Button>
        {upload.error ? (
          <div role="alert" className="grid gap-0.5 text-[13px] text-destructive sm:col-span-3" data-upload-error>
            <p>{upload.error.detail}</p>
            {upload.error.fieldErrors.map((e) => (
              <p key={`${e.path} ${e.message}`} className="text-xs">
                {e.path}: {e.message}
              </p>
            ))}
          </div>
        ) : null}
      </form>
      <DownloadForm tenantId={tenantId} />
      {q.isPending ? (
        <TableSkeleton cols={5} rows={2} />
      ) : q.error ? (
        <p role="alert" className="p-4 text-[13px] text-destructive">
          Could not load the packages: {q.error.message}
        </p>
      ) : items.length === 0 ? (
        <EmptyState icon={Package} title="No packages in the cache">
          Download the packages your offline routers need from MikroTik, or upload .npk files you have.
        </EmptyState>
      ) : (
        <Table aria-label="Cached packages">
          <THead>
            <tr>
              <Th>Name</Th>
              <Th>Version</Th>
              <Th>Architecture</Th>
              <Th className="text-right">Size</Th>
              <Th>File</Th>
              <Th>Added</Th>
            </tr>
          </THead>
          <TBody>
            {items.map((p) => (
              <tr key={p.file} data-package={p.file}>
                <Td className="font-medium">{p.name}</Td>
                <Td className="font-mono">{p.version}</Td>
                <Td>{p.architecture}</Td>
                <Td className="text-right tabular-nums">{bytes(p.size)}</Td>
                <Td className="font-mono text-xs text-muted-foreground">{p.file}</Td>
                <Td className="whitespace-nowrap text-muted-foreground">
                  <time dateTime={p.added_at} title={dateTime(p.added_at)}>
                    {ago(p.added_at)}
                  </time>
                </Td>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
