import { startDownloadServer } from '@tod/simulator';
import type { TestProject } from 'vitest/node';
import { type Account, enrolAccount, passwordSession } from '../support/api';
import { buildTod, FIRST_ADMIN, startTod } from '../support/tod';

// One real `tod start` for the whole web project (test/support/tod.ts). Its first admin is enrolled here, over the
// API, so every test file can sign in as the super admin and make its own organisation. The first-run journey,
// which needs a TOD with no organisation at all, starts a TOD of its own (test/e2e/first-run.test.ts). MikroTik's
// download server is the simulator's, on loopback (the firmware page's "Download from MikroTik").

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    superAdmin: Account;
  }
}

export default async function setup(project: TestProject) {
  buildTod();
  const downloads = await startDownloadServer({ versions: ['6.49.17', '7.16.2', '7.20.4'], packageBytes: 8192 });
  const tod = await startTod({ FIRMWARE_DOWNLOAD_URL: downloads.url }).catch(async (err) => {
    await downloads.close();
    throw err;
  });
  const stop = async () => {
    await tod.stop();
    await downloads.close();
  };
  try {
    const session = await passwordSession(tod.baseUrl, FIRST_ADMIN.email, FIRST_ADMIN.password);
    const superAdmin = await enrolAccount(session, FIRST_ADMIN.email, 'mauve otter climbs 41 ladders');
    project.provide('baseUrl', tod.baseUrl);
    project.provide('superAdmin', superAdmin);
  } catch (err) {
    await stop();
    throw err;
  }
  return stop;
}
