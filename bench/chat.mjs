// Benchmark: customer-service chat across two API processes, live and exact.
//  1,000 shoppers of one shop, each in its own conversation (opened before the run and handed out to 20 agents, 50
//  each), connect over WebSocket to one of two API processes (alternately); the 20 agents too. For 30 s every shopper
//  writes every 10 s (jittered) and its agent answers each message. Between 10 s and 20 s, 10% of the clients (100
//  shoppers, 2 agents) drop their socket and reconnect a second later, resuming after the last seq they have.
//  Measured: the time from a send to its delivery to the other side (send time written in the message, same clock),
//  messages lost (acknowledged but never delivered to the other side) and duplicated (a seq delivered twice to one
//  client).
// Usage: npm run bench -- chat
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import WebSocket from 'ws';
import { jsonApi, makeShoppers, openPlatform, startServer } from './lib.mjs';

const require = createRequire(import.meta.url);
const lib = require('../platform/dist/index.js');
const NAME = 'chat';
const SHOPPERS = 1_000;
const AGENTS = 20;
const RUN_MS = 30_000;
const EVERY_MS = 10_000;
const DROP_SHARE = 0.1;

const platform = await openPlatform(NAME, { fresh: true });
const system = lib.systemContext(platform.log, 'bench');
const [a, b] = [await startServer('platform', NAME), await startServer('platform', NAME)];
const api = jsonApi(a);

// ---- the shop, its agents and its shoppers, each with a conversation ---------------------------------------------
const slug = `bench-chat-${Date.now().toString(36)}`;
const tenantId = await platform.services.tenants.create(system, { slug, name: 'Chat bench', status: 'active' });
const ctx = { ...system, tenantId };
const agents = [];
for (let n = 0; n < AGENTS; n++) {
  const userId = await platform.services.identity.addMerchantUser(system, tenantId, {
    email: `${slug}-agent${n}@bench.local`,
    name: `客服${n}`,
    password: 'bench-password-1',
    role: n === 0 ? 'owner' : 'staff',
  });
  const { accessToken } = await platform.services.sessions.start(ctx, {
    audience: 'merchant',
    subjectId: userId,
    tenantId,
    role: n === 0 ? 'owner' : 'staff',
  });
  agents.push({ userId, token: accessToken });
  await api('PUT', '/merchant-api/v1/support/me/status', accessToken, { status: 'online' });
}
const shoppers = (await makeShoppers(platform, ctx, tenantId, SHOPPERS, '66')).map((s) => ({ token: s.token }));
for (let at = 0; at < shoppers.length; at += 50)
  await Promise.all(
    shoppers.slice(at, at + 50).map(async (s) => {
      const m = await api('POST', `/shop-api/v1/shops/${slug}/support/messages`, s.token, {
        kind: 'text',
        clientMsgId: `open${randomUUID().replaceAll('-', '')}`.slice(0, 40),
        text: '你好',
      });
      s.conversationId = m.conversationId;
    }),
  );
const owner = new Map();
for (const c of await platform.knex('support_conversations').where({ tenant_id: tenantId }).select('id', 'agent_id'))
  owner.set(Number(c.id), Number(c.agent_id));
await platform.close();

// ---- the clients ---------------------------------------------------------------------------------------------------
const stats = { sent: 0, acked: 0, latencies: [], duplicated: 0, reconnects: 0, errors: 0 };
/** Every acknowledged message: who must receive it, and whether they did. */
const expected = new Map();

class Client {
  constructor(kind, token, origin, conversations) {
    this.kind = kind;
    this.token = token;
    this.origin = origin;
    this.last = new Map(conversations.map((id) => [id, 1]));
    this.seen = new Set();
  }

  url() {
    const q =
      this.kind === 'shopper'
        ? new URLSearchParams({ audience: 'shopper', shop: slug, token: this.token })
        : new URLSearchParams({ audience: 'merchant', token: this.token });
    return `${this.origin.replace(/^http/, 'ws')}/ws/support?${q}`;
  }

  connect() {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url());
      this.ws = ws;
      ws.on('message', (data) => this.onFrame(JSON.parse(String(data)), resolve));
      ws.once('error', reject);
    });
  }

  onFrame(f, ready) {
    if (f.type === 'ready') {
      this.ws.send(
        JSON.stringify({
          type: 'resume',
          conversations: [...this.last].map(([id, afterSeq]) => ({ id, afterSeq })),
        }),
      );
      ready();
      return;
    }
    if (f.type === 'ack') {
      stats.acked++;
      const m = f.message;
      const key = `${m.conversationId}:${m.seq}`;
      // The other side may have it already (the ack and the delivery race).
      if (!expected.has(key)) expected.set(key, false);
      return;
    }
    if (f.type === 'error') {
      stats.errors++;
      return;
    }
    if (f.type !== 'message') return;
    const m = f.message;
    const key = `${m.conversationId}:${m.seq}`;
    if (this.seen.has(key)) stats.duplicated++;
    this.seen.add(key);
    this.last.set(m.conversationId, Math.max(this.last.get(m.conversationId) ?? 0, m.seq));
    const mine = (this.kind === 'shopper') === (m.sender === 'shopper');
    if (mine) return;
    const sentAt = Number(/@(\d+)$/.exec(m.text ?? '')?.[1]);
    if (sentAt) {
      stats.latencies.push(Date.now() - sentAt);
      expected.set(key, true);
    }
    // The agent answers each shopper message it receives while the run lasts.
    if (this.kind === 'agent' && running) this.say(m.conversationId);
  }

  say(conversationId) {
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    stats.sent++;
    this.ws.send(
      JSON.stringify({
        type: 'send',
        ...(this.kind === 'agent' ? { conversationId } : {}),
        message: {
          kind: 'text',
          clientMsgId: `b${randomUUID().replaceAll('-', '')}`.slice(0, 40),
          text: `${this.kind === 'agent' ? '好的，马上为您处理' : '请问什么时候发货'} @${Date.now()}`,
        },
      }),
    );
  }

  async drop() {
    this.ws.terminate();
    stats.reconnects++;
    await new Promise((r) => setTimeout(r, 1_000));
    await this.connect();
  }
}

const origins = [a.url, b.url];
const shopperClients = shoppers.map((s, i) => new Client('shopper', s.token, origins[i % 2], [s.conversationId]));
const agentClients = agents.map(
  (g, i) =>
    new Client(
      'agent',
      g.token,
      origins[(i + 1) % 2],
      [...owner].filter(([, agentId]) => agentId === g.userId).map(([id]) => id),
    ),
);
for (let at = 0; at < shopperClients.length; at += 100)
  await Promise.all(shopperClients.slice(at, at + 100).map((c) => c.connect()));
await Promise.all(agentClients.map((c) => c.connect()));

let running = true;
const started = Date.now();
const timers = shopperClients.map((c) => {
  const first = setTimeout(() => {
    c.say(c.last.keys().next().value);
    c.timer = setInterval(() => c.say(c.last.keys().next().value), EVERY_MS);
  }, Math.random() * EVERY_MS);
  return () => {
    clearTimeout(first);
    clearInterval(c.timer);
  };
});
// A tenth of the clients drop and come back, spread over the middle of the run.
const droppers = [
  ...shopperClients.slice(0, SHOPPERS * DROP_SHARE),
  ...agentClients.slice(0, Math.round(AGENTS * DROP_SHARE)),
];
const drops = droppers.map((c) => setTimeout(() => void c.drop(), 10_000 + Math.random() * 10_000));
await new Promise((r) => setTimeout(r, RUN_MS));
running = false;
for (const stop of timers) stop();
for (const t of drops) clearTimeout(t);
// The last answers and deliveries.
await new Promise((r) => setTimeout(r, 3_000));
const elapsed = (Date.now() - started) / 1000;

for (const c of [...shopperClients, ...agentClients]) c.ws.terminate();
await Promise.all([a.close(), b.close()]);

const sorted = stats.latencies.sort((x, y) => x - y);
const pct = (p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((sorted.length * p) / 100) - 1)] : null;
// A message is lost when it was acknowledged (stored) but the other side never got it; the opening messages of the
// setup are not counted (no client was listening then).
const lost = [...expected.values()].filter((got) => !got).length;
process.stdout.write(
  `${stats.acked} messages stored in ${elapsed.toFixed(1)} s (${stats.sent} sent, ${stats.errors} refused), ` +
    `${stats.reconnects} reconnects across 2 API processes\n`,
);
process.stdout.write(
  `${JSON.stringify({
    bench: 'chat',
    clients: SHOPPERS + AGENTS,
    messages: stats.acked,
    delivered_p50_ms: pct(50),
    delivered_p95_ms: pct(95),
    lost,
    duplicated: stats.duplicated,
    reconnects: stats.reconnects,
  })}\n`,
);
process.exit(0);
