import type { AfterSalesStatus, OrderStatus, SupportCard, SupportSendBody } from '@shopfleet/contracts';
import { ORDER_STATUSES } from '@shopfleet/contracts/constants';
import { t } from '../locales';
import { afterSalesStatusText } from './after-sales';
import { formatFen } from './money';
import { orderStatusText } from './orders';
import type { SupportOffer } from './routes';

/** A card as a bubble or the offer bar shows it. */
export interface CardView {
  type: SupportCard['type'];
  id: number;
  tag: string;
  title: string;
  imageUrl: string | null;
  priceText: string | null;
  noText: string | null;
  statusText: string | null;
}

const isOrderStatus = (status: string): status is OrderStatus => (ORDER_STATUSES as readonly string[]).includes(status);

/** A card in the shopper's words: its kind, number and status. */
export function cardView(card: SupportCard): CardView {
  let statusText: string | null = null;
  if (card.status && card.type === 'order' && isOrderStatus(card.status)) statusText = orderStatusText(card.status);
  if (card.status && card.type === 'after_sales' && !isOrderStatus(card.status))
    statusText = afterSalesStatusText(card.status as AfterSalesStatus);
  let noText: string | null = null;
  if (card.no && card.type === 'order') noText = t('support.card.orderNo', { no: card.no });
  if (card.no && card.type === 'after_sales') noText = t('support.card.caseNo', { no: card.no });
  return {
    type: card.type,
    id: card.id,
    tag: t(`support.card.${card.type}`),
    title: card.title,
    imageUrl: card.imageUrl,
    // A case's amount is what it refunds (nothing for an exchange): its number and status say more.
    priceText: card.priceFen !== null && card.type !== 'after_sales' ? formatFen(card.priceFen) : null,
    noText,
    statusText,
  };
}

/** What sends the card of an offer. */
export function sendBodyOf(offer: SupportOffer, clientMsgId: string): SupportSendBody {
  if (offer.kind === 'product') return { kind: 'product', clientMsgId, productId: offer.id };
  if (offer.kind === 'order') return { kind: 'order', clientMsgId, orderId: offer.id };
  return { kind: 'after_sales', clientMsgId, caseId: offer.id };
}
