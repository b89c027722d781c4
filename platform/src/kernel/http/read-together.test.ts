import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { readNewConnectionsTogether, type ReadTogetherOptions } from './read-together';

/** A server that answers each request with its own path, its new connections read together. */
async function echoServer(options?: ReadTogetherOptions) {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end(req.url);
  });
  readNewConnectionsTogether(server, options);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, port };
}

/** One raw connection sending one request; resolves with what came back. */
function ask(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n`);
  });
}

const bodyOf = (response: string) => response.slice(response.indexOf('\r\n\r\n') + 4);

/** Keeps 32 connections opening at a time, each closed once open, until stopped or `total` were opened. */
function connectionStream(port: number, total: number) {
  let opened = 0;
  let stopped = false;
  let open = 0;
  let drained: () => void = () => {};
  const next = () => {
    if (stopped || opened >= total) {
      if (open === 0) drained();
      return;
    }
    opened++;
    open++;
    const socket = net.connect(port, '127.0.0.1');
    const done = () => {
      open--;
      socket.destroy();
      next();
    };
    socket.once('connect', done);
    socket.once('error', done);
  };
  for (let i = 0; i < 32; i++) next();
  return {
    ended: () => opened >= total,
    stop: () =>
      new Promise<void>((resolve) => {
        stopped = true;
        drained = resolve;
        if (open === 0) resolve();
      }),
  };
}

describe('readNewConnectionsTogether', () => {
  it('answers every request of a crowd that connects at once, each with its own answer', async () => {
    const { server, port } = await echoServer();
    try {
      const paths = Array.from({ length: 120 }, (_, i) => `/crowd/${i}`);
      const answers = await Promise.all(paths.map((p) => ask(port, p)));
      answers.forEach((answer, i) => {
        expect(answer.startsWith('HTTP/1.1 200 OK')).toBe(true);
        expect(bodyOf(answer)).toBe(paths[i]);
      });
    } finally {
      server.close();
    }
  });

  // A stream of connections denser than one per turn of the event loop: each turn then accepts one.
  // Without a bound, the first request would stay unread until the stream stopped on its own.
  it.each([
    ['maxHoldMs', { maxHeld: 1_000_000, maxHoldMs: 10 }],
    ['maxHeld', { maxHeld: 5, maxHoldMs: 3_600_000 }],
  ] as const)(
    'a steady stream of new connections does not keep the first one unread (bounded by %s)',
    async (_bound, options) => {
      const { server, port } = await echoServer(options);
      const stream = connectionStream(port, 10_000);
      try {
        const answer = await ask(port, '/first');
        expect(bodyOf(answer)).toBe('/first');
        expect(stream.ended()).toBe(false);
      } finally {
        await stream.stop();
        server.close();
      }
    },
  );

  it('a connection that leaves while held takes nothing down with it', async () => {
    const { server, port } = await echoServer();
    try {
      const leaver = net.connect(port, '127.0.0.1');
      await new Promise<void>((resolve) => leaver.once('connect', () => resolve()));
      leaver.destroy();
      const [answer] = await Promise.all([ask(port, '/after'), ask(port, '/also')]);
      expect(bodyOf(answer!)).toBe('/after');
      expect(bodyOf(await ask(port, '/later'))).toBe('/later');
    } finally {
      server.close();
    }
  });
});
