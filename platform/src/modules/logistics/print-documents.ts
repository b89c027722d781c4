import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { MerchantOrder, PrintKind } from '@shopfleet/contracts';
import { yuan } from '../../kernel/money';

/** Who sends the parcels: the shop's name, and its default return address (its warehouse) when it has one. */
export interface Sender {
  shopName: string;
  name: string | null;
  phone: string | null;
  address: string | null;
}

/** The Chinese font to print with: the file's bytes and, for a collection (.ttc), the face's PostScript name. */
export interface PrintFont {
  bytes: Buffer;
  face?: string;
}

const MM = 72 / 25.4;
/** A 100 × 150 mm label, the size of a 快递面单 on a thermal printer. */
const LABEL_SIZE: [number, number] = [100 * MM, 150 * MM];

const money = (fen: number) => `¥${yuan(fen)}`;
const addressLine = (a: MerchantOrder['address']) => `${a.province}${a.city}${a.district}${a.detail}`;

/** "2026-12-06 14:03" in China time. */
function chinaTime(iso: string | null): string {
  if (!iso) return '—';
  const t = new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 16)}`;
}

/** The order number as a QR code (PNG), which a scanner at the packing desk reads back. */
const qrOf = (text: string) => QRCode.toBuffer(text, { errorCorrectionLevel: 'M', margin: 0, scale: 6 });

/**
 * Prints orders as one PDF, a page per order in the order given: a packing list (发货单, A4: the lines, quantities,
 * what was paid, the receiver and the remarks) or a shipping label (100 × 150 mm: receiver, sender, carrier and
 * tracking number when shipped, the order number as text and as a QR code). Every text is drawn with the Chinese font,
 * embedded as a subset, so a name or an address in rare characters prints as written.
 */
export async function renderOrders(
  kind: PrintKind,
  orders: MerchantOrder[],
  sender: Sender,
  font: PrintFont,
  printedAt: Date,
): Promise<Buffer> {
  const qrs = await Promise.all(orders.map((o) => qrOf(o.orderNo)));
  const doc = new PDFDocument({
    autoFirstPage: false,
    size: kind === 'packing_list' ? 'A4' : LABEL_SIZE,
    margin: kind === 'packing_list' ? 40 : 10,
    info: { Title: kind === 'packing_list' ? '发货单' : '快递面单', Creator: 'Shopfleet' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  if (font.face) doc.registerFont('cjk', font.bytes, font.face);
  else doc.registerFont('cjk', font.bytes);
  orders.forEach((o, i) => {
    doc.addPage();
    doc.font('cjk');
    if (kind === 'packing_list') packingList(doc, o, sender, qrs[i]!, printedAt);
    else label(doc, o, sender, qrs[i]!);
  });
  doc.end();
  return done;
}

function packingList(doc: PDFKit.PDFDocument, o: MerchantOrder, sender: Sender, qr: Buffer, printedAt: Date): void {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  doc.image(qr, left + width - 72, 36, { width: 72 });
  doc.fontSize(18).text(`${sender.shopName} 发货单`, left, 40, { width: width - 80 });
  doc.moveDown(0.3).fontSize(10);
  doc.text(`订单号：${o.orderNo}`);
  doc.text(`下单时间：${chinaTime(o.createdAt)}    付款时间：${chinaTime(o.paidAt)}`);
  doc.moveDown(0.6);
  doc.fontSize(11).text(`收货人：${o.address.name}  ${o.address.phone}`, left, Math.max(doc.y, 116), { width });
  doc.text(`收货地址：${addressLine(o.address)}`, { width });
  if (o.remark) doc.text(`买家留言：${o.remark}`, { width });
  if (o.merchantRemark) doc.text(`商家备注：${o.merchantRemark}`, { width });
  doc.moveDown(0.8);

  // The lines: 序号, 商品, 规格, 数量, 单价, 小计.
  const cols = [
    { title: '序号', w: 30 },
    { title: '商品', w: width - 30 - 110 - 40 - 60 - 70 },
    { title: '规格', w: 110 },
    { title: '数量', w: 40 },
    { title: '单价', w: 60 },
    { title: '小计', w: 70 },
  ];
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    let x = left;
    let bottom = y;
    doc.fontSize(bold ? 10 : 10);
    cells.forEach((text, i) => {
      doc.text(text, x + 2, y + 3, { width: cols[i]!.w - 4 });
      bottom = Math.max(bottom, doc.y);
      x += cols[i]!.w;
    });
    doc
      .moveTo(left, bottom + 3)
      .lineTo(left + width, bottom + 3)
      .lineWidth(0.5)
      .stroke();
    doc.x = left;
    doc.y = bottom + 4;
  };
  doc
    .moveTo(left, doc.y)
    .lineTo(left + width, doc.y)
    .lineWidth(0.5)
    .stroke();
  row(
    cols.map((c) => c.title),
    true,
  );
  o.lines.forEach((l, i) =>
    row([
      String(i + 1),
      l.title,
      l.specValues.join(' / ') || '—',
      String(l.quantity),
      money(l.unitPriceFen),
      money(l.subtotalFen),
    ]),
  );
  const units = o.lines.reduce((n, l) => n + l.quantity, 0);
  doc.moveDown(0.6).fontSize(10);
  doc.text(
    `共 ${units} 件    商品 ${money(o.itemsTotalFen)}    优惠 -${money(o.discountFen)}    运费 ${money(o.shippingFen)}    实付 ${money(o.totalFen)}`,
    left,
    doc.y,
    { width, align: 'right' },
  );
  if (o.shipment) doc.text(`快递：${o.shipment.carrierName}  ${o.shipment.trackingNo}`, { width, align: 'right' });
  doc
    .fontSize(8)
    .fillColor('#666666')
    .text(`打印时间：${chinaTime(printedAt.toISOString())}`, left, doc.page.height - 60, { width, lineBreak: false })
    .fillColor('#000000');
}

function label(doc: PDFKit.PDFDocument, o: MerchantOrder, sender: Sender, qr: Buffer): void {
  const m = doc.page.margins.left;
  const width = doc.page.width - 2 * m;
  const box = (y: number, h: number) => doc.rect(m, y, width, h).lineWidth(1).stroke();

  // The carrier and its number (when shipped), else the shop's name.
  box(m, 56);
  doc.fontSize(16).text(o.shipment ? o.shipment.carrierName : sender.shopName, m + 6, m + 8, { width: width - 12 });
  doc
    .fontSize(11)
    .text(o.shipment ? `运单号 ${o.shipment.trackingNo}` : '待发货', m + 6, m + 32, { width: width - 12 });

  // 收: the receiver, large.
  let y = m + 56;
  box(y, 120);
  doc.fontSize(18).text('收', m + 6, y + 8);
  doc.fontSize(13).text(`${o.address.name}  ${o.address.phone}`, m + 34, y + 8, { width: width - 40 });
  doc.fontSize(12).text(addressLine(o.address), m + 34, doc.y + 4, { width: width - 40, height: 80, ellipsis: true });

  // 寄: the shop.
  y += 120;
  box(y, 70);
  doc.fontSize(14).text('寄', m + 6, y + 8);
  const from = [sender.name ?? sender.shopName, sender.phone].filter(Boolean).join('  ');
  doc.fontSize(10).text(from, m + 34, y + 8, { width: width - 40 });
  if (sender.address) doc.text(sender.address, m + 34, doc.y + 2, { width: width - 40, height: 36, ellipsis: true });

  // The order: its number as text and QR code, and what is in the parcel.
  y += 70;
  const h = doc.page.height - m - y;
  box(y, h);
  doc.image(qr, m + width - 86, y + 8, { width: 78 });
  doc.fontSize(9).text('订单号', m + 6, y + 8);
  doc.fontSize(11).text(o.orderNo, m + 6, doc.y + 2, { width: width - 100 });
  const units = o.lines.reduce((n, l) => n + l.quantity, 0);
  const items = o.lines.map(
    (l) => `${l.title}${l.specValues.length ? `（${l.specValues.join('/')}）` : ''} ×${l.quantity}`,
  );
  doc.fontSize(8).text(`共 ${units} 件：${items.join('；')}`, m + 6, doc.y + 6, {
    width: width - 100,
    height: h - 60,
    ellipsis: true,
  });
}
