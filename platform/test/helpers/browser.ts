import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { readNewConnectionsTogether, seedDemo } from '@shopfleet/platform';
import { startTestPlatform, type TestPlatform } from './test-platform';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Debian Chromium with the flags this machine needs (no sandbox as root, no background network). */
export function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface LiveSite extends TestPlatform {
  baseUrl: string;
}

/**
 * The whole platform listening on a real port (the chat's WebSocket too), with the demo seeded, for a browser to use;
 * `env` adds configuration (a provider's fake, say).
 */
export async function startLiveSite(env: Record<string, string> = {}): Promise<LiveSite> {
  const t = await startTestPlatform(env);
  await seedDemo(t.platform);
  const server: Server = await new Promise((resolve) => {
    const s = t.app.listen(0, '127.0.0.1', () => resolve(s));
    // As main.ts serves, so that every browser test goes through it.
    readNewConnectionsTogether(s);
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The customer-service chat's WebSocket, as main.ts serves it.
  await t.platform.services.chat.attach(server);
  // The console's live alerts' WebSocket, beside it.
  await t.platform.services.alerts.attach(server);
  return {
    ...t,
    baseUrl,
    async close() {
      // Upgraded sockets are not the server's connections any more: the chat gateway closes them.
      await t.platform.services.chat.close();
      await t.platform.services.alerts.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}

/** Fen as the console and the shop show money: ¥12.34 (and -¥10.00). */
export const yuan = (fen: number) =>
  `${fen < 0 ? '-' : ''}¥${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;

/** "¥36.65" (or "-¥10.00") as fen, its sign dropped. */
export const fenOf = (text: string) => Math.round(Number(text.replace(/[^0-9.]/g, '')) * 100);
