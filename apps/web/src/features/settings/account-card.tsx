import { Download, Loader2, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { ApiError } from '@/api/errors';
import type { Me } from '@/api/types';
import { useTenants } from '@/auth/tenant';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { toast } from '@/components/ui/toast';
import { roleLabel } from '@/lib/format';
import { downloadMyData } from './account-flow';
import { DeleteAccountDialog } from './delete-account-dialog';

/** Settings → Your account: who you are here, everything TOD holds about you as a file, and leaving TOD. */
export function AccountCard({ me }: { me: Me }) {
  const { current } = useTenants();
  const [exporting, setExporting] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const person = me.kind === 'user' && me.email ? me.email : null;

  async function exportData() {
    setExporting(true);
    try {
      await downloadMyData();
      toast.success('Your data was saved as a JSON file.');
    } catch (err) {
      toast.error(err instanceof ApiError ? err.detail : 'The export failed; try again.');
    } finally {
      setExporting(false);
    }
  }

  return (
    <Card>
      <CardHeader title="Your account" />
      <dl className="grid gap-3 p-4 text-[13px] sm:grid-cols-[160px_1fr]">
        <dt className="text-muted-foreground">Name</dt>
        <dd>{me.name}</dd>
        <dt className="text-muted-foreground">Email</dt>
        <dd>{me.email}</dd>
        <dt className="text-muted-foreground">Role</dt>
        <dd>{roleLabel[me.role] ?? me.role}</dd>
        <dt className="text-muted-foreground">Organisation</dt>
        <dd>{me.role === 'super_admin' ? 'All organisations' : (current?.name ?? '—')}</dd>
      </dl>
      {person ? (
        <div className="grid gap-4 border-t p-4 text-[13px] sm:grid-cols-2">
          <div className="grid content-start gap-2">
            <p className="font-medium">Your data</p>
            <p className="text-muted-foreground">
              Everything TOD holds about you — account, sessions, API keys you created, preferences and what you did —
              as one JSON file.
            </p>
            <Button className="justify-self-start" disabled={exporting} onClick={() => void exportData()}>
              {exporting ? <Loader2 className="animate-spin" aria-hidden /> : <Download aria-hidden />}
              Download my data
            </Button>
          </div>
          <div className="grid content-start gap-2">
            <p className="font-medium">Delete your account</p>
            <p className="text-muted-foreground">
              Removes your account for good. The last admin of an organisation, or the last super admin, has to appoint
              another first.
            </p>
            <Button variant="destructive" className="justify-self-start" onClick={() => setDeleting(true)}>
              <Trash2 aria-hidden /> Delete my account…
            </Button>
            <DeleteAccountDialog email={person} open={deleting} onOpenChange={setDeleting} />
          </div>
        </div>
      ) : null}
    </Card>
  );
}
