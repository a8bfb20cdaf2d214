import { useSyncExternalStore } from 'react';

// The operation this browser last started on each device, so its panel follows the user across the device's tabs
// (started in Backups, still shown in Config) and stays after it ends until dismissed.

const started = new Map<string, string>();
const listeners = new Set<() => void>();
const emit = () => {
  for (const l of listeners) l();
};

export function markStarted(deviceId: string, operationId: string) {
  started.set(deviceId, operationId);
  emit();
}

export function forgetStarted(deviceId: string) {
  started.delete(deviceId);
  emit();
}

export function useStarted(deviceId: string): string | undefined {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => started.get(deviceId),
  );
}
