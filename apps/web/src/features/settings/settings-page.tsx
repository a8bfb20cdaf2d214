import { Monitor, Moon, Sun } from 'lucide-react';
import { useMe } from '@/auth/session';
import { PageHeader } from '@/components/shell/page';
import { Card, CardHeader } from '@/components/ui/card';
import { SignInSecurityCard } from '@/features/sign-in/sign-in-security-card';
import { cn } from '@/lib/cn';
import { setTheme, type ThemeChoice, useTheme } from '@/lib/theme';
import { AccountCard } from './account-card';

const themes: [ThemeChoice, typeof Sun, string, string][] = [
  ['system', Monitor, 'System', 'Follow the operating system'],
  ['light', Sun, 'Light', 'Always light'],
  ['dark', Moon, 'Dark', 'Always dark'],
];

export function SettingsPage() {
  const me = useMe();
  const theme = useTheme();
  return (
    <>
      <PageHeader title="Settings" description="Your account and how TOD looks in this browser." />
      <div className="grid gap-5">
        <Card>
          <CardHeader title="Appearance" description="Remembered in this browser." />
          <fieldset className="grid gap-3 border-0 p-4 sm:grid-cols-3">
            <legend className="sr-only">Theme</legend>
            {themes.map(([value, Icon, label, hint]) => (
              <label
                key={value}
                className={cn(
                  'flex cursor-pointer items-start gap-3 rounded-lg border p-3 transition-colors hover:bg-accent has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring',
                  theme === value && 'border-foreground ring-1 ring-foreground',
                )}
              >
                <input
                  type="radio"
                  name="theme"
                  value={value}
                  checked={theme === value}
                  onChange={() => setTheme(value)}
                  className="sr-only"
                />
                <Icon className="mt-0.5 size-4 text-muted-foreground" aria-hidden />
                <span className="grid gap-0.5">
                  <span className="text-[13px] font-medium">{label}</span>
                  <span className="text-xs text-muted-foreground">{hint}</span>
                </span>
              </label>
            ))}
          </fieldset>
        </Card>
        <AccountCard me={me} />
        {me.kind === 'user' && me.email ? <SignInSecurityCard email={me.email} /> : null}
      </div>
    </>
  );
}
