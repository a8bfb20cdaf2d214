// Pure modules for enrolment and sign-in screens: the Emergency Kit PDF, its QR code, and the strength meter.
export { emergencyKitPdf, KitError, type KitInput } from './kit.js';
export {
  canonicalSecretKey,
  type KitDetails,
  type KitQrContent,
  kitFileName,
  kitQrPayload,
  parseKitQrPayload,
} from './payload.js';
export { QrError, qrMatrix, readQrFromFile, readQrFromImageData } from './qr.js';
export { MIN_LENGTH, type PasswordStrength, passwordStrength } from './strength.js';
