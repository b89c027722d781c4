import type { ShopEvent, ShopEventsResult } from '@shopfleet/contracts';
import { shopRequest } from '../request';

/** POST /shops/:shopKey/events — a batch of the device's events (anonymous; a batch sent again counts once). */
export async function recordEvents(device: string, events: ShopEvent[]): Promise<void> {
  await shopRequest<ShopEventsResult>({ method: 'POST', path: '/events', body: { device, events } });
}
