import { z } from 'zod';

const hex = (chars: number, what: string) =>
  z
    .string()
    .regex(new RegExp(`^[0-9a-fA-F]{${chars}}$`), `${what}: ${chars} hex digits`)
    .describe(`${what}, ${chars / 2} bytes as hex`);

export const srpInitBody = z.strictObject({ email: z.string().min(1).max(320) });
export const srpInitOut = z.object({
  session_id: z.uuid(),
  salt: z.string().describe('the per-user salt s, hex'),
  B: z.string().describe('hex(PAD(B)), 384 bytes'),
  iterations: z.number().int().describe('PBKDF2 iterations of the 2SKD password half'),
});
export const srpVerifyBody = z.strictObject({
  session_id: z.uuid(),
  A: hex(768, 'hex(PAD(A))'),
  M1: hex(64, 'M1'),
});
export const srpVerifyOut = z.object({
  M2: z.string().describe('the server proof H(PAD(A) ‖ M1 ‖ K), hex'),
  access_token: z.string(),
  token_type: z.literal('bearer'),
  expires_in: z.number().int(),
});
export const registerSrpBody = z.strictObject({
  salt: hex(32, 'salt'),
  verifier: hex(768, 'hex(PAD(v))'),
  proof: srpVerifyBody
    .optional()
    .describe(
      'a fresh SRP proof of the CURRENT password and Secret Key (from /srp/init); required unless the session is enrol-only',
    ),
});
