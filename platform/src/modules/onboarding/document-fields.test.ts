import { checkFields, isValidCreditCode, isValidIdNumber, maskValue } from './document-fields';

describe('unified social credit code', () => {
  it('accepts real-shaped codes with a correct checksum', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(isValidCreditCode('91110000802100433B')).toBe(true);
  });
  it('refuses a wrong checksum, bad letters and bad length', () => {
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M000100YI3')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
  });
});

describe('resident ID number', () => {
  it('accepts a valid number, X check character included', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
  });
  it('refuses an impossible birth date', () => {
    expect(isValidIdNumber('110105194902300027')).toBe(false);
  });
});

describe('checkFields', () => {
  const specs = [
    { key: 'name', labelZh: '姓名', labelEn: 'Name', kind: 'text' as const, required: true, sensitive: false },
    { key: 'idNumber', labelZh: '身份证号', labelEn: 'ID', kind: 'idNumber' as const, required: true, sensitive: true },
  ];
  it('normalizes good values', () => {
    expect(checkFields(specs, { name: ' 张三 ', idNumber: '11010519491231002x' })).toEqual({
      values: { name: '张三', idNumber: '11010519491231002X' },
      problems: [],
    });
  });
  it('names missing, malformed and unknown fields', () => {
    const { problems } = checkFields(specs, { idNumber: '123', extra: 'x' });
    expect(problems.map((p) => p.field).sort()).toEqual(['extra', 'idNumber', 'name']);
  });
});

describe('maskValue', () => {
  it('keeps three in front and four behind', () => {
    expect(maskValue('11010519491231002X')).toBe('110***********002X');
  });
});
