import { useI18n } from 'vue-i18n';
import type { SupportConversation } from '@shopfleet/contracts';
import { previewTitle } from '../workspace/inbox';

/** How the customer-service pages name a shopper, word a message's preview and say when it came. */
export function useSupportText() {
  const { t, locale } = useI18n();

  /** The shopper's nickname, else their masked phone; a WeChat contact-button conversation's is "微信用户". */
  function shopperName(c: Pick<SupportConversation, 'channel' | 'shopper'>): string {
    return (
      c.shopper?.nickname ||
      c.shopper?.phoneMasked ||
      (c.channel === 'wechat' ? t('support.shopper.wechat') : t('support.shopper.unnamed'))
    );
  }

  /** The inbox line's last message: its text, or the kind ([图片], [商品] and the card's title). */
  function previewText(last: SupportConversation['lastMessage']): string {
    if (!last) return '';
    if (last.kind === 'text') return last.preview;
    const title = previewTitle(last.preview);
    return title ? `${t(`support.kind.${last.kind}`)} ${title}` : t(`support.kind.${last.kind}`);
  }

  /** Today's times as 14:05, earlier ones with the date. */
  function chatTime(iso: string, now: Date = new Date()): string {
    const at = new Date(iso);
    if (Number.isNaN(at.getTime())) return iso;
    const today = at.toDateString() === now.toDateString();
    return new Intl.DateTimeFormat(
      locale.value,
      today ? { timeStyle: 'short' } : { dateStyle: 'short', timeStyle: 'short' },
    ).format(at);
  }

  return { shopperName, previewText, chatTime };
}
