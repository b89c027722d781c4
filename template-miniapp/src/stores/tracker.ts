import { recordEvents } from '../api/analytics';
import { previewMode } from '../platform/preview';
import { createTracker, randomId } from '../utils/tracker';

const DEVICE_KEY = 'shopfleet.device';

/** The device's id: made up the first time and kept (the shop's events name no person). */
export function deviceId(): string {
  let id = '';
  try {
    id = String(uni.getStorageSync(DEVICE_KEY) || '');
  } catch {
    id = '';
  }
  if (!/^[0-9A-Za-z_-]{8,40}$/.test(id)) {
    id = randomId('d', 20);
    try {
      uni.setStorageSync(DEVICE_KEY, id);
    } catch {
      // A device that keeps nothing counts as a new visitor each launch.
    }
  }
  return id;
}

/** The shop's events (utils/tracker.ts): page views from every page shown, product views and cart adds. */
export const tracker = createTracker({
  device: deviceId,
  send: (device, events) => recordEvents(device, events),
  enabled: () => !previewMode,
});

/** The page now shown, as a page view. */
export function trackPageView(): void {
  const pages = getCurrentPages();
  const route = pages[pages.length - 1]?.route;
  if (route) tracker.track('page_view', { page: route.slice(0, 64) });
}
