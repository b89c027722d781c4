import { carrierOf } from './bulk-ship';

describe('carrierOf: a carrier as a merchant writes it in a shipment file', () => {
  it('takes a code in any case, a name as the export writes it, or the unique start of one', () => {
    expect(carrierOf('SF')).toBe('SF');
    expect(carrierOf(' zto ')).toBe('ZTO');
    expect(carrierOf('顺丰速运')).toBe('SF');
    expect(carrierOf('顺丰')).toBe('SF');
    expect(carrierOf('中国邮政 EMS')).toBe('EMS');
    expect(carrierOf('中国邮政ＥＭＳ')).toBe('EMS');
    expect(carrierOf('京东')).toBe('JD');
  });

  it('refuses what is empty, unknown, or the start of more than one name', () => {
    expect(carrierOf('')).toBeNull();
    expect(carrierOf('飞鸽快递')).toBeNull();
    expect(carrierOf('顺')).toBeNull();
    expect(carrierOf('中')).toBeNull();
  });
});
