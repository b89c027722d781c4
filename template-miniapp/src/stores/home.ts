import { reactive } from 'vue';
import { getHome, type ShopHome } from '../api/catalog';
import { ApiError } from '../request';

interface HomeState {
  home: ShopHome | null;
  loading: boolean;
  error: ApiError | null;
}

/** The home layout (banners, shortcuts, product lists); the search page takes its hot words from it too. */
export const homeState = reactive<HomeState>({ home: null, loading: false, error: null });

let inflight: Promise<ShopHome | null> | null = null;

/** Loads the home layout once (again when forced); concurrent callers share one request. */
export function loadHome(force = false): Promise<ShopHome | null> {
  if (homeState.home && !force) return Promise.resolve(homeState.home);
  if (inflight) return inflight;
  homeState.loading = true;
  inflight = getHome()
    .then((home) => {
      homeState.home = home;
      homeState.error = null;
      return home;
    })
    .catch((error: unknown) => {
      homeState.error = error instanceof ApiError ? error : new ApiError('BAD_RESPONSE', String(error));
      return null;
    })
    .finally(() => {
      homeState.loading = false;
      inflight = null;
    });
  return inflight;
}
