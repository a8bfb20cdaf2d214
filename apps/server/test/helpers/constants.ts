export const TEST_DB_PASSWORDS = { app: 'test-app-password-0123456789', system: 'test-system-password-0123456789' };
export const TEST_PASSWORD = 'a-long-test-password-1';
