import { Loader2 } from 'lucide-react';
import { useState } from 'react';
import type { TenantRole } from '@/api/types';
import { createUser } from '@/api/users';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { useApiMutation } from '@/lib/mutation';
import { roleOptions } from './roles';

export function CreateUserDialog(props: { tenantId: string; open: boolean; onOpenChange: (o: boolean) => void }) {
  const [form, setForm] = useState({ email: '', name: '', role: 'viewer' as TenantRole, password: '' });
  const create = useApiMutation(createUser, {
    success: (u) => `${u.name} can now sign in`,
    silentErrors: true,
  });
  const err = create.error;
  const close = (o: boolean) => {
    props.onOpenChange(o);
    if (!o) {
      setForm({ email: '', name: '', role: 'viewer', password: '' });
      create.reset();
    }
  };
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setForm({ ...form, [k]: e.target.value });

  return (
    <Dialog open={props.open} onOpenChange={close}>
      <DialogContent
        title="New user"
        description="A temporary password: share it safely. At first sign-in they choose their own password and get a Secret Key."
      >
        <form
          noValidate
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ tenantId: props.tenantId, body: form }, { onSuccess: () => close(false) });
          }}
        >
          <Field id="user-name" label="Name" error={err?.field('name')}>
            <Input id="user-name" autoFocus value={form.name} onChange={set('name')} />
          </Field>
          <Field
            id="user-email"
            label="Email"
            error={err?.field('email') ?? (err?.code === 'email_taken' ? err.detail : undefined)}
          >
            <Input id="user-email" type="email" value={form.email} onChange={set('email')} />
          </Field>
          <Field id="user-role" label="Role" hint={roleOptions.find((r) => r.value === form.role)?.hint}>
            <Select
              id="user-role"
              value={form.role}
              onValueChange={(role) => setForm({ ...form, role: role as TenantRole })}
              options={roleOptions}
            />
          </Field>
          <Field id="user-password" label="Password" hint="At least 12 characters" error={err?.field('password')}>
            <Input
              id="user-password"
              type="password"
              autoComplete="new-password"
              value={form.password}
              onChange={set('password')}
            />
          </Field>
          {err && !err.fieldErrors.length && err.code !== 'email_taken' ? (
            <p role="alert" className="text-[13px] text-destructive">
              {err.detail}
            </p>
          ) : null}
          <DialogFooter>
            <Button onClick={() => close(false)}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={create.isPending}>
              {create.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
              Create user
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
