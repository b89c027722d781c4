import type { NextFunction, Request, Response, Router } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { AppError, ForbiddenError, UnauthenticatedError } from '../kernel/errors';
import type { IdentityService } from '../modules/identity';
import { QUEUE_SESSION_COOKIE } from '../modules/identity';

export const QUEUES_PATH = '/platform-api/v1/queues';

/**
 * Bull Board for platform staff with platform:queue:manage. A browser tab carries no bearer header,
 * so the console first sets a short-lived HttpOnly cookie holding the access token (auth/queue-session).
 */
export function queuesDashboard(
  queues: Queue[],
  identity: IdentityService,
): { guard: (req: Request, res: Response, next: NextFunction) => void; router: Router } {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUES_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter });
  const guard = (req: Request, _res: Response, next: NextFunction) => {
    const header = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = header ?? (req.cookies as Record<string, string> | undefined)?.[QUEUE_SESSION_COOKIE];
    if (!token)
      return next(new UnauthenticatedError('UNAUTHENTICATED', 'Open the queues from the console as platform staff'));
    identity
      .authenticate('platform', token)
      .then((actor) => {
        if (actor.type !== 'platform' || !actor.permissions.includes('platform:queue:manage')) {
          throw new ForbiddenError({
            reason: 'PERMISSION_REQUIRED',
            params: { permission: 'platform:queue:manage' },
            message: 'Requires the permission platform:queue:manage',
          });
        }
        next();
      })
      .catch((err: unknown) =>
        next(err instanceof AppError ? err : new UnauthenticatedError('TOKEN_INVALID', 'Invalid token')),
      );
  };
  return { guard, router: adapter.getRouter() as Router };
}
