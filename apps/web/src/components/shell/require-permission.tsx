import { Link } from '@tanstack/react-router';
import { Lock } from 'lucide-react';
import type * as React from 'react';
import type { Permission } from '@/api/types';
import { useCan } from '@/auth/session';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';

/**
 * Renders a page only when /api/auth/me grants its permission (the server enforces it regardless; this keeps a
 * typed URL from showing a page of errors).
 */
export function RequirePermission({ permission, children }: { permission: Permission; children: React.ReactNode }) {
  const can = useCan(permission);
  if (can) return children;
  return (
    <Card className="mt-2">
      <EmptyState
        icon={Lock}
        title="Not available for your role"
        action={
          <Button asChild>
            <Link to="/">Back to the dashboard</Link>
          </Button>
        }
      >
        An admin of your organisation can change your role if you need this page.
      </EmptyState>
    </Card>
  );
}
