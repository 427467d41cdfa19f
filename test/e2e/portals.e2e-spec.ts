import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { PROVIDER_DEVICE_FIELDS } from '../../libs/access/src/provider-device.view';
import { aProvider, aUser, PASSWORD } from '../support/builders';
import { aLinkedDevice, connectLink, DeviceLink, publish, telemetry } from '../support/device-link';
import { ADMIN, TestApp, useTestApp } from '../support/test-app';

// Debian's chromium (scripts/install.sh installs it): Playwright's own browser download cannot work here.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', 'screenshots');
const HEADINGS = ['Serial number', 'Model', 'Last connected', 'Error code', 'Last location'];

describe('the portals in a browser', () => {
  let app: TestApp;
  let admin: string;
  let browser: Browser;
  let mine: DeviceLink[];
  let withdrawn: DeviceLink;
  let theirs: DeviceLink;
  let staff: { username: string };
  let field: { username: string };
  let officer: { username: string };

  useTestApp((started) => ({ app, admin } = started));

  beforeAll(async () => {
    if (!existsSync(join('dist', 'portal', 'index.html'))) {
      execFileSync('npx', ['vite', 'build', '--config', 'apps/portal/vite.config.ts', '--logLevel', 'warn']);
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    const provider = await aProvider(app.api, admin);
    const other = await aProvider(app.api, admin);
    staff = await aUser(app.api, admin, 'provider', provider.id);
    field = await aUser(app.api, admin, 'field_service');
    officer = await aUser(app.api, admin, 'privacy_officer');
    mine = [];
    for (let i = 0; i < 3; i++) mine.push(await aLinkedDevice(app.api, admin, { suppliedBy: provider.id }));
    withdrawn = await aLinkedDevice(app.api, admin, { suppliedBy: provider.id, consent: { shareWithProvider: false } });
    theirs = await aLinkedDevice(app.api, admin, { suppliedBy: other.id });
    for (const link of [...mine, withdrawn, theirs]) {
      const client = await connectLink(app.mqttUrl, link);
      await publish(client, link.serialNumber, telemetry(link, { errorCodes: ['E07'] }));
      await client.endAsync();
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(() => browser?.close());

  // A context of its own per screen: no state shared between users (and axe needs one).
  const newPage = async () => (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();

  async function signedIn(username: string, password = PASSWORD): Promise<{ page: Page; apiCalls: string[] }> {
    const page = await newPage();
    const apiCalls: string[] = [];
    page.on('request', (request) => {
      if (['fetch', 'xhr'].includes(request.resourceType())) apiCalls.push(new URL(request.url()).pathname);
    });
    await page.goto(app.running.httpUrl);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return { page, apiCalls };
  }

  async function expectAccessible(page: Page, screen: string): Promise<void> {
    const { violations } = await new AxeBuilder({ page }).analyze();
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect({ screen, serious: serious.map((v) => `${v.id}: ${v.help}`) }).toEqual({ screen, serious: [] });
  }

  it('a provider sees exactly its devices, in a table of exactly the five fields, and a note where sharing is withdrawn', async () => {
    const { page, apiCalls } = await signedIn(staff.username);
    await page.getByRole('table').waitFor();
    expect(await page.getByRole('columnheader').allInnerTexts()).toEqual(HEADINGS);
    expect(HEADINGS).toHaveLength(PROVIDER_DEVICE_FIELDS.length);
    const serials = await page.locator('tbody tr td:first-child').allInnerTexts();
    expect(serials.sort()).toEqual([...mine, withdrawn].map((l) => l.serialNumber).sort());
    const row = page.locator('tbody tr', { hasText: withdrawn.serialNumber });
    expect(await row.locator('td').allInnerTexts()).toEqual([withdrawn.serialNumber, withdrawn.model, '—', '—', '—']);
    await expect(
      page
        .getByText(/does not share it with providers/)
        .first()
        .isVisible(),
    ).resolves.toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'provider-list.png'), fullPage: true });
    await expectAccessible(page, 'provider list');

    // Another provider's serial, typed into the search, finds nothing.
    await page.getByLabel('Find by serial number').fill(theirs.serialNumber);
    await page.getByRole('button', { name: 'Find' }).click();
    await page
      .getByText(`No device with serial number ${theirs.serialNumber} among the devices you supplied.`)
      .waitFor();

    // A device page, reached by keyboard from the list.
    await page.getByLabel('Find by serial number').fill(mine[0].serialNumber);
    await page.getByLabel('Find by serial number').press('Enter');
    await page.getByRole('heading', { name: `Device ${mine[0].serialNumber}` }).waitFor();
    expect(await page.locator('dl.record dt').allInnerTexts()).toEqual(HEADINGS);
    await page.screenshot({ path: join(SCREENSHOTS, 'provider-device.png'), fullPage: true });
    await expectAccessible(page, 'provider device page');

    // Everything the provider portal asked the API went to the provider's and the sign-in endpoints.
    expect(apiCalls.length).toBeGreaterThan(2);
    expect(apiCalls.filter((path) => !/^\/v1\/(provider|auth)\//.test(path))).toEqual([]);

    // On a tablet the page still fits its width: nothing to scroll sideways.
    await page.getByRole('button', { name: 'Back to the device list' }).click();
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.getByRole('table').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'provider-list-tablet.png'), fullPage: true });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.close();
  }, 60_000);

  it('the sign-in screen is accessible, and a patient is refused the portals', async () => {
    const page = await newPage();
    await page.goto(app.running.httpUrl);
    await page.screenshot({ path: join(SCREENSHOTS, 'sign-in.png') });
    await expectAccessible(page, 'sign-in');
    await page.close();
    const { page: refused } = await signedIn(withdrawn.patient.username);
    await refused.getByText('These portals are for home-care providers and service staff').waitFor();
    expect(await refused.getByRole('table').count()).toBe(0);
    await refused.close();
  }, 60_000);

  it('field service finds a stolen device on the map, its nearest office, and the lost devices near a clicked point', async () => {
    const stolen = mine[2];
    const support = await aUser(app.api, admin, 'support');
    expect(
      (
        await app.api.post(
          `/v1/internal/devices/${stolen.serialNumber}/loss-reports`,
          { kind: 'stolen', reason: 'the patient called: stolen from the car' },
          support.token,
        )
      ).status,
    ).toBe(201);
    const office = await app.api.post(
      '/v1/admin/service-offices',
      { name: 'Goleta service center', kind: 'branch', location: { lat: 34.44, lon: -119.83 } },
      admin,
    );
    expect(office.status).toBe(201);
    const { page } = await signedIn(field.username);
    const marker = page.getByRole('link', { name: `Stolen device ${stolen.serialNumber}` });
    await marker.click();
    await page.getByRole('heading', { name: `Device ${stolen.serialNumber}` }).waitFor();
    await page.getByText(/Goleta service center \(branch\)/).waitFor();

    // Click the map beside the device, with a 500 km radius: it is among the lost devices found there.
    await page.getByLabel('Radius').selectOption('500');
    const dot = await marker.boundingBox();
    const surface = page.getByTestId('map-surface');
    const box = await surface.boundingBox();
    if (!dot || !box) throw new Error('map not laid out');
    await surface.click({ position: { x: dot.x + dot.width / 2 - box.x + 12, y: dot.y + dot.height / 2 - box.y } });
    const found = page.getByRole('table').filter({ hasText: 'nearest first' });
    await found.waitFor();
    expect(await found.locator('tbody tr td:first-child').allInnerTexts()).toContain(stolen.serialNumber);
    await page.screenshot({ path: join(SCREENSHOTS, 'field-service-map.png'), fullPage: true });
    await expectAccessible(page, 'field service map');
    await page.close();
  }, 60_000);

  it('a privacy officer completes a request, reads the audit log of a device and verifies the chain', async () => {
    const patient = mine[0].patient;
    const rectification = { type: 'rectification', changes: { email: 'portal-corrected@example.org' } };
    expect((await app.api.post('/v1/me/privacy-requests', rectification, patient.token)).status).toBe(201);
    expect((await app.api.post('/v1/me/privacy-requests', { type: 'access' }, patient.token)).status).toBe(201);
    const { page } = await signedIn(officer.username);
    const row = page.locator('tbody tr', { hasText: patient.id }).filter({ hasText: 'rectification' });
    await row.getByRole('button', { name: 'Complete rectification' }).click();
    await page.getByText('The rectification request is now completed.').waitFor();
    // An access request is answered by the patient's export; the officer can refuse it, with a reason.
    const access = page
      .locator('tbody tr', { hasText: patient.id })
      .filter({ hasText: "Answered by the patient's export" });
    await access.getByLabel('Reason to refuse').fill('identity not confirmed');
    await access.getByRole('button', { name: 'Refuse' }).click();
    await page.getByText('The access request is now refused.').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'privacy-requests.png'), fullPage: true });

    await page.getByLabel('Device serial number or patient id').fill(mine[0].serialNumber);
    await page.getByRole('button', { name: 'Show disclosures' }).click();
    const log = page.getByRole('table').filter({ hasText: 'Disclosures, newest first' });
    await log.waitFor();
    expect(await log.locator('tbody tr').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Verify the audit chain' }).click();
    await page.getByText(/The audit chain is intact: \d+ entries verified\./).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'audit-log.png'), fullPage: true });
    await expectAccessible(page, 'privacy office');
    await page.close();
  }, 60_000);

  it("a provider reads in its portal the notices of its patients' requests: the device and what happened, never who", async () => {
    const provider = await aProvider(app.api, admin);
    const providerStaff = await aUser(app.api, admin, 'provider', provider.id);
    const link = await aLinkedDevice(app.api, admin, { suppliedBy: provider.id });
    expect((await app.api.post('/v1/me/privacy-requests', { type: 'restriction' }, link.patient.token)).status).toBe(
      201,
    );
    const { page, apiCalls } = await signedIn(providerStaff.username);
    await page.getByRole('button', { name: 'Notices' }).click();
    const notices = page.getByRole('list', { name: 'Notices, oldest first' });
    await notices.waitFor();
    const items = await notices.getByRole('listitem').allInnerTexts();
    expect(items).toEqual([expect.stringContaining(`device ${link.serialNumber}: The patient restricted processing`)]);
    expect(items.join()).not.toContain(link.patient.id);
    expect(items.join()).not.toContain(link.patient.username);
    await page.screenshot({ path: join(SCREENSHOTS, 'provider-notices.png'), fullPage: true });
    await expectAccessible(page, 'provider notices');
    expect(apiCalls).toContain('/v1/provider/notices');
    await page.close();
  }, 60_000);

  it("a provider's alarm inbox: its devices' alarms only, none where sharing is withdrawn; acknowledged with a comment", async () => {
    const { page, apiCalls } = await signedIn(staff.username);
    await page.getByRole('button', { name: 'Alarms' }).click();
    const table = page.getByRole('table', { name: 'Alarms, newest first' });
    await table.waitFor();
    const text = await table.innerText();
    for (const link of mine) expect(text).toContain(link.serialNumber);
    expect(text).not.toContain(withdrawn.serialNumber);
    expect(text).not.toContain(theirs.serialNumber);
    expect(text).toContain('Service required: the concentrator has stopped producing oxygen');
    await table.getByRole('button').first().click();
    await page.getByLabel('Comment').fill('exchange booked for tomorrow');
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByText('acknowledged', { exact: false }).first().waitFor();
    await page
      .getByRole('list', { name: 'Comments' })
      .getByText(/exchange booked for tomorrow/)
      .waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'provider-alarms.png'), fullPage: true });
    await expectAccessible(page, 'provider alarms');
    expect(apiCalls.filter((path) => path.startsWith('/v1/internal'))).toEqual([]);
    await page.close();
  }, 60_000);

  it('support finds a device: its record, telemetry charts, error codes and rejected messages', async () => {
    const device = mine[1];
    const client = await connectLink(app.mqttUrl, device);
    await publish(client, device.serialNumber, telemetry(device, { batteryPct: 300 }));
    await client.endAsync();
    const support = await aUser(app.api, admin, 'support');
    const { page } = await signedIn(support.username);
    await page.getByLabel('Serial number').fill(device.serialNumber);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByRole('heading', { name: 'Telemetry history' }).waitFor();
    expect(await page.locator('dl.record').innerText()).toContain(device.serialNumber);
    await page.getByRole('img', { name: /Battery: 1 values .* latest 81%/ }).waitFor();
    await page.getByRole('img', { name: /Flow setting: 1 values .* latest 3/ }).waitFor();
    expect(await page.getByRole('table', { name: 'Error codes over time' }).innerText()).toContain('E07');
    expect(await page.getByRole('table', { name: /Rejected messages/ }).innerText()).toContain('batteryPct');
    // No loss report: the location is shown only for a stated reason, which the read is audited with.
    expect(await page.locator('dl.record').innerText()).not.toContain('Last location');
    await page.getByLabel(/for a reason you state/).fill('the patient called: ticket 4242');
    await page.getByRole('button', { name: 'Show the location' }).click();
    await page.getByText('Shown for the reason given').waitFor();
    expect(await page.locator('dl.record').innerText()).toContain('Last location');
    await page.screenshot({ path: join(SCREENSHOTS, 'support-device.png'), fullPage: true });
    await expectAccessible(page, 'support device');
    await page.close();
  }, 60_000);

  it('keeps the token in memory only, and an ended session returns to the sign-in with a note', async () => {
    const provider = await aProvider(app.api, admin);
    const user = await aUser(app.api, admin, 'provider', provider.id);
    const { page } = await signedIn(user.username);
    await page.getByText('No devices yet').waitFor();
    const stored = await page.evaluate('[localStorage.length, sessionStorage.length, document.cookie]');
    expect(stored).toEqual([0, 0, '']);
    // The account's password changes elsewhere: every session ends, this browser's too.
    const pair = (await app.api.post('/v1/auth/token', { username: user.username, password: PASSWORD })).body;
    const changed = await app.api.post(
      '/v1/auth/password',
      { currentPassword: PASSWORD, newPassword: 'another-long-password' },
      pair.accessToken,
    );
    expect(changed.status).toBe(204);
    await page.getByLabel('Find by serial number').fill('G5-0000000');
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByText('Your session has ended. Please sign in again.').waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.close();
  }, 60_000);

  it('an admin imports service offices: a bad file names its first bad record and imports nothing', async () => {
    const { page } = await signedIn(ADMIN.username, ADMIN.password);
    await page.getByRole('heading', { name: 'Administration', exact: true }).waitFor();
    const upload = async (name: string, text: string) => {
      await page.getByLabel('Import a GeoJSON or CSV file').setInputFiles({
        name,
        mimeType: 'text/plain',
        buffer: Buffer.from(text),
      });
      await page.getByRole('button', { name: 'Import', exact: true }).click();
    };
    await upload('offices.csv', 'name,kind,lat,lon\nOne,branch,34.1,-119.1\nTwo,branch,95,-119.2\n');
    await page.getByText(/Nothing was imported from offices\.csv\. .*line 3/).waitFor();
    await upload('offices.csv', 'name,kind,lat,lon\nPortal office,branch,34.1,-119.1\n');
    await page.getByText('Imported 1 service offices from offices.csv.').waitFor();
    await page
      .getByRole('table', { name: /service offices/ })
      .getByText('Portal office')
      .waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'admin.png'), fullPage: true });
    await expectAccessible(page, 'administration');
    await page.close();
  }, 60_000);
});

describe('the portals with a tile server configured', () => {
  let app: TestApp;
  let admin: string;
  useTestApp((started) => ({ app, admin } = started), {
    PORTAL_TILE_URL: 'https://tiles.example.test/{z}/{x}/{y}.png',
  });

  it('draws the map from the configured tile server, allowed by the page security policy', async () => {
    const provider = await aProvider(app.api, admin);
    const staff = await aUser(app.api, admin, 'provider', provider.id);
    const link = await aLinkedDevice(app.api, admin, { suppliedBy: provider.id });
    const client = await connectLink(app.mqttUrl, link);
    await publish(client, link.serialNumber, telemetry(link));
    await client.endAsync();

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await (await browser.newContext()).newPage();
      const tiles: string[] = [];
      // The tile server, stood in for here: any image will do.
      await page.route('https://tiles.example.test/**', (route) => {
        tiles.push(new URL(route.request().url()).pathname);
        return route.fulfill({ contentType: 'image/svg+xml', body: '<svg xmlns="http://www.w3.org/2000/svg"/>' });
      });
      await page.goto(app.running.httpUrl);
      await page.getByLabel('Username').fill(staff.username);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('link', { name: `Device ${link.serialNumber}` }).waitFor();
      await page.locator('figure.map image').nth(15).waitFor({ state: 'attached' });
      await page.waitForLoadState('networkidle');
      expect(tiles.sort()).toEqual(Array.from({ length: 16 }, (_, i) => `/2/${i % 4}/${Math.floor(i / 4)}.png`).sort());
    } finally {
      await browser.close();
    }
  }, 60_000);
});
