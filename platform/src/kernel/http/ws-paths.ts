import type { Server } from 'node:http';

/** The WebSocket paths each HTTP server answers, claimed by the gateways attached to it (the chat's, the alerts'). */
const claimed = new WeakMap<Server, Set<string>>();

/** Records that a gateway answers upgrades to `path` on `server`. */
export function claimWsPath(server: Server, path: string): void {
  const paths = claimed.get(server) ?? new Set<string>();
  paths.add(path);
  claimed.set(server, paths);
}

/**
 * Whether some gateway answers upgrades to `path` on `server`. A gateway that gets an upgrade to a path no gateway
 * claims answers it with a 404, so it is never left hanging.
 */
export function isWsPathClaimed(server: Server, path: string): boolean {
  return claimed.get(server)?.has(path) ?? false;
}
