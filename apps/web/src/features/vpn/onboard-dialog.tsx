import { Loader2, TriangleAlert } from 'lucide-react';
import { useState } from 'react';
import { type Onboarded, onboardDevice } from '@/api/vpn';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useApiMutation } from '@/lib/mutation';
import { CopyButton } from './copy-button';

const EMPTY = { name: '', username: 'admin', password: '', psk: true };

/**
 * Adds a router and its peer, then shows the RouterOS commands exactly once: they hold the router's private key,
 * which TOD never shows again.
 */
export function OnboardDialog(props: { tenantId: string; open: boolean; onOpenChange: (o: boolean) => void }) {
  const [form, setForm] = useState(EMPTY);
  const [made, setMade] = useState<Onboarded | null>(null);
  const onboard = useApiMutation(onboardDevice, {
    success: (r, v) => `${v.body.name} added at ${r.address}`,
    silentErrors: true,
  });
  const close = (o: boolean) => {
    props.onOpenChange(o);
    if (!o) {
      setForm(EMPTY);
      setMade(null);
      onboard.reset();
    }
  };
  const set = (k: keyof typeof EMPTY) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setForm({ ...form, [k]: k === 'psk' ? e.target.checked : e.target.value });

  return (
    <Dialog open={props.open} onOpenChange={close}>
      {made ? (
        <DialogContent
          title="Paste these commands into the router"
          description={`RouterOS 7 terminal. The router gets ${made.address} and dials the hub; TOD reaches it there.`}
          className="max-w-3xl"
        >
          <textarea
            id="vpn-commands"
            readOnly
            wrap="off"
            aria-label="RouterOS commands"
            value={`${made.routeros_commands.join('\n')}\n`}
            rows={made.routeros_commands.length + 1}
            className="w-full resize-y overflow-x-auto whitespace-pre rounded-md border bg-surface p-2 font-mono text-xs"
            onFocus={(e) => e.target.select()}
          />
          <p className="flex items-start gap-2 rounded-md border border-warning/30 bg-warning/10 px-3 py-2 text-xs text-warning">
            <TriangleAlert className="mt-px size-3.5 shrink-0" aria-hidden />
            They contain the router's private key and are shown this once. Paste them, then close this window.
          </p>
          <DialogFooter>
            <CopyButton text={`${made.routeros_commands.join('\n')}\n`} label="Copy commands" selectId="vpn-commands" />
            <Button variant="primary" onClick={() => close(false)}>
              Done
            </Button>
          </DialogFooter>
        </DialogContent>
      ) : (
        <DialogContent
          title="Onboard a router"
          description="TOD adds the router and answers the commands that connect it to this organisation's hub."
        >
          <form
            noValidate
            className="grid gap-4"
            onSubmit={(e) => {
              e.preventDefault();
              onboard.mutate(
                {
                  tenantId: props.tenantId,
                  body: {
                    name: form.name.trim(),
                    username: form.username,
                    password: form.password,
                    preshared_key: form.psk,
                  },
                },
                { onSuccess: (r) => setMade(r) },
              );
            }}
          >
            <Field id="vpn-name" label="Name" error={onboard.error?.field('name')}>
              <Input id="vpn-name" autoFocus value={form.name} onChange={set('name')} />
            </Field>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field
                id="vpn-username"
                label="RouterOS user"
                hint="The user TOD logs in as"
                error={onboard.error?.field('username')}
              >
                <Input id="vpn-username" autoComplete="off" value={form.username} onChange={set('username')} />
              </Field>
              <Field id="vpn-password" label="Password" error={onboard.error?.field('password')}>
                <Input
                  id="vpn-password"
                  type="password"
                  autoComplete="new-password"
                  value={form.password}
                  onChange={set('password')}
                />
              </Field>
            </div>
            <label className="flex items-center gap-2 text-[13px]">
              <input type="checkbox" checked={form.psk} onChange={set('psk')} />
              Also use a preshared key
            </label>
            {onboard.error && onboard.error.fieldErrors.length === 0 ? (
              <p role="alert" className="text-xs text-destructive">
                {onboard.error.detail}
              </p>
            ) : null}
            <DialogFooter>
              <Button onClick={() => close(false)}>Cancel</Button>
              <Button type="submit" variant="primary" disabled={onboard.isPending || !form.name.trim()}>
                {onboard.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
                Onboard
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      )}
    </Dialog>
  );
}
