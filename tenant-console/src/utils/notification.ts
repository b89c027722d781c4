import type { RouteLocationRaw } from 'vue-router';
import type { Notification } from '@shopfleet/contracts';
import { ONBOARDING_ROUTE } from '@/router/routes';

/**
 * Where a notification leads: notices about the shop's documents (their data names a document or a
 * document type) open the qualifications page; a complaint filed or decided opens the complaint; a live alert opens
 * its after-sales case, its order, or the reviews; others have no page of their own.
 */
export function notificationTarget(notification: Notification): RouteLocationRaw | null {
  const data = notification.data;
  if (typeof data !== 'object' || data === null) return null;
  if ('documentId' in data || 'typeCode' in data) return { name: ONBOARDING_ROUTE };
  if ('complaintId' in data && typeof data.complaintId === 'number')
    return { name: 'merchant-complaint-detail', params: { id: String(data.complaintId) } };
  if (notification.textCode === 'REVIEW_POSTED') return { name: 'merchant-product-reviews' };
  if ('caseId' in data && typeof data.caseId === 'number')
    return { name: 'merchant-after-sales-detail', params: { id: String(data.caseId) } };
  if ('orderId' in data && typeof data.orderId === 'number')
    return { name: 'merchant-order-detail', params: { id: String(data.orderId) } };
  return null;
}
