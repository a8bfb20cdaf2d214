import { Link } from '@tanstack/react-router';
import { Building2 } from 'lucide-react';
import { useCan } from '@/auth/session';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';

/** Tenant-scoped pages before any organisation exists. */
export function NoOrganisation() {
  const canCreate = useCan('tenants.create');
  return (
    <Card>
      <EmptyState
        icon={Building2}
        title="No organisation yet"
        action={
          canCreate ? (
            <Button variant="primary" asChild>
              <Link to="/organisations" search={{ new: true }}>
                Create an organisation
              </Link>
            </Button>
          ) : null
        }
      >
        Devices, users, API keys and the audit log belong to an organisation. Create one to start.
      </EmptyState>
    </Card>
  );
}
