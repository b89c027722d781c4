import { shareArrival } from '../api/distribution';
import { ApiError } from '../request';
import { createShareArrival } from '../utils/share-arrival';
import { isSignedIn } from './session';
import { arrivedWith, forgetShareCode } from './share-code';

/**
 * Attribution (distribution): the share code the shopper arrived with goes to distribution once they are signed in — after
 * signing in, and on each showing of the app or a shared page when already signed in (utils/share-arrival.ts).
 */
export const sendShareArrival = createShareArrival({
  signedIn: isSignedIn,
  kept: () => arrivedWith()?.code ?? null,
  send: shareArrival,
  forget: forgetShareCode,
  statusOf: (error) => (error instanceof ApiError ? error.status : 0),
});
