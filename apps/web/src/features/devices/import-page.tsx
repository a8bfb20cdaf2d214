import { useQueryClient } from '@tanstack/react-query';
import { CheckCircle2, Loader2, Upload, XCircle } from 'lucide-react';
import { useState } from 'react';
import { type ImportOutcome, importDevices } from '@/api/devices';
import { ApiError } from '@/api/errors';
import { runMutation } from '@/api/mutation';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { Label } from '@/components/ui/label';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { toast } from '@/components/ui/toast';
import { BackToDevices } from './add-device-page';

const example = `name,host,port,username,password,site,tags
core-1,192.0.2.1,8728,admin,secret,HQ,core;edge
ap-lobby,192.0.2.20,,admin,secret,HQ,wifi`;

/** CSV import: good rows land, bad rows are listed with their line and the reason. */
export function ImportPage() {
  const { current } = useTenants();
  const queryClient = useQueryClient();
  const [csv, setCsv] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!current) return <NoOrganisation />;
  const tenantId = current.id;

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      const r = await runMutation(queryClient, importDevices, { tenantId, csv });
      setResult(r);
      toast.success(
        `Imported ${r.added} device${r.added === 1 ? '' : 's'}`,
        r.failed ? `${r.failed} row(s) need attention` : undefined,
      );
    } catch (e) {
      setError(e instanceof ApiError ? e.detail : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <RequirePermission permission="devices.write">
      <BackToDevices />
      <PageHeader
        title="Import devices"
        description="One router per line. Columns: name, host, port, tls_port, tls_mode, username, password, credential_profile, site, tags, groups, notes. Sites, tags and groups are created when missing."
      />
      <Card className="grid gap-3 p-4">
        <div className="flex items-center justify-between gap-2">
          <Label htmlFor="csv">CSV</Label>
          <label className="inline-flex cursor-pointer items-center gap-1.5 text-xs text-muted-foreground hover:text-foreground">
            <Upload className="size-3.5" aria-hidden /> Choose a file
            <input
              type="file"
              accept=".csv,text/csv"
              className="sr-only"
              onChange={async (e) => {
                const file = e.target.files?.[0];
                if (file) setCsv(await file.text());
              }}
            />
          </label>
        </div>
        <textarea
          id="csv"
          value={csv}
          onChange={(e) => setCsv(e.target.value)}
          placeholder={example}
          rows={8}
          spellCheck={false}
          className="w-full rounded-md border border-input bg-background p-2.5 font-mono text-xs shadow-xs focus-visible:border-ring focus-visible:outline-none focus-visible:ring-3 focus-visible:ring-ring/25"
        />
        {error ? (
          <p role="alert" className="text-xs text-destructive">
            {error}
          </p>
        ) : null}
        <div className="flex justify-end">
          <Button variant="primary" disabled={!csv.trim() || busy} onClick={() => void submit()}>
            {busy ? <Loader2 className="animate-spin" aria-hidden /> : null}
            Import
          </Button>
        </div>
      </Card>
      {result ? (
        <Card className="mt-4">
          <CardHeader title={`${result.added} added, ${result.failed} failed`} />
          <Table aria-label="Import results">
            <THead>
              <tr>
                <Th className="w-16">Line</Th>
                <Th>Device</Th>
                <Th>Result</Th>
              </tr>
            </THead>
            <TBody>
              {result.rows.map((r) => (
                <tr key={r.row} data-import-row={r.row}>
                  <Td className="tabular-nums">{r.row}</Td>
                  <Td>{r.name ?? '—'}</Td>
                  <Td>
                    {r.ok ? (
                      <span className="inline-flex items-center gap-1.5 text-success">
                        <CheckCircle2 className="size-4" aria-hidden /> added
                      </span>
                    ) : (
                      <span className="inline-flex items-center gap-1.5 text-destructive">
                        <XCircle className="size-4" aria-hidden /> {r.error}
                      </span>
                    )}
                  </Td>
                </tr>
              ))}
            </TBody>
          </Table>
        </Card>
      ) : null}
    </RequirePermission>
  );
}
