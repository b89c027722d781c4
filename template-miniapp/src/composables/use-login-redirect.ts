import { openLogin } from '../utils/routes';

/**
 * For pages that need a signed-in shopper: the first time such a page finds nobody signed in it sends
 * the shopper to the sign-in page (which comes back here); after that (they backed out) the page shows
 * its `common.signInFirst` state with a button instead, so there is no loop.
 */
export function useLoginRedirect(): () => void {
  let sent = false;
  return () => {
    if (sent) return;
    sent = true;
    openLogin();
  };
}
