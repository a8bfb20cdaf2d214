import { useMemo } from 'react';
import { type PasswordStrength, passwordStrength } from '@/features/emergency-kit/strength';
import { cn } from '@/lib/cn';

const tones = ['bg-destructive', 'bg-destructive', 'bg-warning', 'bg-success', 'bg-success'];

export function usePasswordStrength(password: string, email: string): PasswordStrength {
  return useMemo(() => passwordStrength(password, { email }), [password, email]);
}

/** Four bars, a label and the first piece of advice; announced politely as the user types. */
export function StrengthMeter({ strength, id }: { strength: PasswordStrength; id: string }) {
  return (
    <div id={id} className="grid gap-1.5" aria-live="polite">
      <div className="flex gap-1" aria-hidden>
        {[1, 2, 3, 4].map((i) => (
          <span
            key={i}
            className={cn('h-1.5 flex-1 rounded-full bg-muted', strength.score >= i && tones[strength.score])}
          />
        ))}
      </div>
      <p className="text-xs text-muted-foreground">
        <span className="font-medium text-foreground">Strength: {strength.label}.</span>{' '}
        {strength.feedback[0] ?? (strength.acceptable ? 'Good choice.' : '')}
      </p>
    </div>
  );
}
