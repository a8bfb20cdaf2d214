import { Loader2, ShieldOff } from 'lucide-react';
import { useState } from 'react';
import { type Certificate, revokeCertificate } from '@/api/certificates';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useApiMutation } from '@/lib/mutation';

// Revoking a certificate (admins): asked first, with an optional reason for the audit trail. What it means for the
// router is said before, since the router keeps presenting it until a new one is deployed.

export function RevokeDialog(props: { tenantId: string; certificate: Certificate; onClose: () => void }) {
  const c = props.certificate;
  const device = c.device_name ?? 'the device';
  const [reason, setReason] = useState('');
  const revoke = useApiMutation(revokeCertificate, {
    silentErrors: true,
    success: () => `The certificate of ${device} is revoked`,
  });
  const onRouter = c.state === 'deployed' || c.state === 'expiring' || c.state === 'expired';
  return (
    <Dialog open onOpenChange={(o) => (o ? null : props.onClose())}>
      <DialogContent
        title={`Revoke the certificate of ${device}?`}
        description={
          onRouter
            ? 'TOD stops accepting it as verified and trusts the router by this exact certificate (pinned) until a new one is deployed. This cannot be undone.'
            : 'It goes on the CA’s revocation list and is never accepted as verified again. This cannot be undone.'
        }
      >
        <form
          noValidate
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            revoke.mutate(
              { tenantId: props.tenantId, certificate: c, ...(reason.trim() ? { reason: reason.trim() } : {}) },
              { onSuccess: props.onClose },
            );
          }}
        >
          <Field
            id="revoke-reason"
            label="Reason"
            hint="Optional: kept with the certificate and in the audit log."
            error={revoke.error?.field('reason')}
          >
            <Input
              id="revoke-reason"
              autoFocus
              maxLength={500}
              value={reason}
              placeholder="Router replaced, key exposed, …"
              onChange={(e) => setReason(e.target.value)}
            />
          </Field>
          {revoke.error && !revoke.error.field('reason') ? (
            <p role="alert" className="text-[13px] text-destructive">
              {revoke.error.detail}
            </p>
          ) : null}
          <DialogFooter>
            <Button onClick={props.onClose}>Cancel</Button>
            <Button type="submit" variant="destructive" disabled={revoke.isPending}>
              {revoke.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <ShieldOff aria-hidden />}
              Revoke certificate
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
