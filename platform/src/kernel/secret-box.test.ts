import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

const key = () => randomBytes(32).toString('base64');

describe('SecretBox', () => {
  it('round-trips, with a fresh IV each time', () => {
    const box = new SecretBox(`k1:${key()}`);
    const a = box.encrypt('商户密钥 secret');
    const b = box.encrypt('商户密钥 secret');
    expect(a).not.toBe(b);
    expect(box.decrypt(a)).toBe('商户密钥 secret');
  });

  it('decrypts with an older key after rotation, and encrypts with the first', () => {
    const k1 = key();
    const old = new SecretBox(`k1:${k1}`).encrypt('x');
    const rotated = new SecretBox(`k2:${key()},k1:${k1}`);
    expect(rotated.decrypt(old)).toBe('x');
    expect(rotated.encrypt('y').startsWith('k2.')).toBe(true);
  });

  it('refuses tampered ciphertext and the wrong context', () => {
    const box = new SecretBox(`k1:${key()}`);
    const sealed = box.encrypt('pay-key', 'tenant:1');
    const parts = sealed.split('.');
    const data = Buffer.from(parts[3]!, 'base64url');
    data[0] = data[0]! ^ 1;
    parts[3] = data.toString('base64url');
    expect(() => box.decrypt(parts.join('.'), 'tenant:1')).toThrow();
    expect(() => box.decrypt(sealed, 'tenant:2')).toThrow();
  });
});
