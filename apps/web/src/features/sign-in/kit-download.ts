import { formatSecretKey } from '@tod/srp';

/** Makes the Emergency Kit PDF here (lazily loaded: only enrolment and settings need it) and saves it. */
export async function downloadEmergencyKit(email: string, secretKey: Uint8Array) {
  const kit = await import('@/features/emergency-kit');
  const pdf = kit.emergencyKitPdf({
    signInAddress: window.location.origin,
    email,
    secretKey: formatSecretKey(secretKey),
    createdAt: new Date(),
  });
  const url = URL.createObjectURL(new Blob([pdf as BlobPart], { type: 'application/pdf' }));
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = kit.kitFileName(email);
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
