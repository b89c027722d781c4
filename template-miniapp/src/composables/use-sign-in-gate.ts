import { ref } from 'vue';
import { ApiError } from '../request';
import { isSignedIn } from '../stores/session';
import { useLoginRedirect } from './use-login-redirect';

/**
 * For pages of a signed-in shopper's own things: `admit()` before loading says whether someone is signed in (the
 * first time nobody is, it sends the shopper to sign in); `lapsed(error)` takes an answer saying the sign-in ran out,
 * so the page shows its sign-in state rather than an error.
 */
export function useSignInGate() {
  const signedIn = ref(false);
  const sendToLogin = useLoginRedirect();

  function admit(): boolean {
    signedIn.value = isSignedIn();
    if (!signedIn.value) sendToLogin();
    return signedIn.value;
  }

  function lapsed(error: unknown): boolean {
    if (!(error instanceof ApiError && error.status === 401)) return false;
    signedIn.value = isSignedIn();
    return true;
  }

  return { signedIn, admit, lapsed };
}
