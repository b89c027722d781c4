import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ReadTogetherOptions {
  /** Connections held unread at most: once that many are, all of them are read. */
  maxHeld?: number;
  /** How long the first held connection may wait, in milliseconds. */
  maxHoldMs?: number;
}

/**
 * Lets a rush of new connections all be accepted before any of them is read.
 *
 * Node's libuv accepts one connection per turn of the event loop (libuv#3696, in Node 20). When a crowd
 * connects at once to a busy server, each turn accepts one connection and also handles the request that
 * came on the connection accepted the turn before, so the hundredth connection is accepted only after
 * ninety-nine requests have each had a turn of their own. Measured on the checkout benchmark: 100
 * connections opened together took 170–250 ms to be accepted, and that wait set its p99.
 *
 * Here a new connection is held unread while connections keep coming (a turn that only accepts is
 * short), and all the held ones are read from the first turn that accepts none: their requests then
 * arrive together, their session checks go to Redis as one pipeline and their orders fall into full
 * batches. A lone connection waits one turn. No connection waits longer than `maxHoldMs`, and no more
 * than `maxHeld` wait at once, so a steady stream of connections cannot keep the others unread.
 */
export function readNewConnectionsTogether(
  server: Server,
  { maxHeld = 256, maxHoldMs = 10 }: ReadTogetherOptions = {},
): void {
  // net.Server's own switch, read at each accept: the socket starts paused, nothing read from it.
  (server as Server & { pauseOnConnect: boolean }).pauseOnConnect = true;
  let held: Socket[] = [];
  let firstHeldAt = 0;
  let acceptedThisTurn = false;

  const release = () => {
    if (acceptedThisTurn && held.length < maxHeld && performance.now() - firstHeldAt < maxHoldMs) {
      acceptedThisTurn = false;
      setImmediate(release);
      return;
    }
    const sockets = held;
    held = [];
    acceptedThisTurn = false;
    for (const socket of sockets) socket.resume();
  };

  // Runs after the HTTP server's own connection listener, which has set the socket's parser up.
  server.on('connection', (socket: Socket) => {
    if (held.length === 0) {
      firstHeldAt = performance.now();
      setImmediate(release);
    }
    held.push(socket);
    acceptedThisTurn = true;
  });
}
