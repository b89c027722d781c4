import { randomBytes } from 'node:crypto';
import { WechatMessageCrypto } from './message-crypto';

const aesKey = randomBytes(32).toString('base64').slice(0, 43);
const crypto = new WechatMessageCrypto('push-token', aesKey, 'wxcomponent0000001');

describe('WeChat message encryption', () => {
  it('round-trips a message, Chinese included, whatever its length', () => {
    for (const message of ['', '<xml><InfoType>component_verify_ticket</InfoType></xml>', '中文'.repeat(100)]) {
      expect(crypto.decrypt(crypto.encrypt(message))).toBe(message);
    }
  });

  it('signs with SHA-1 over the sorted token, timestamp, nonce and ciphertext', () => {
    const encrypted = crypto.encrypt('x');
    const signature = crypto.signature('1700000000', 'n0nce', encrypted);
    expect(crypto.verify('1700000000', 'n0nce', encrypted, signature)).toBe(true);
    expect(crypto.verify('1700000001', 'n0nce', encrypted, signature)).toBe(false);
    expect(
      new WechatMessageCrypto('other-token', aesKey, 'wxcomponent0000001').verify(
        '1700000000',
        'n0nce',
        encrypted,
        signature,
      ),
    ).toBe(false);
  });

  it('refuses a message for another AppID, with another key or altered', () => {
    const encrypted = crypto.encrypt('<xml/>');
    expect(() => new WechatMessageCrypto('push-token', aesKey, 'wxsomeoneelse00001').decrypt(encrypted)).toThrow();
    expect(() =>
      new WechatMessageCrypto(
        'push-token',
        randomBytes(32).toString('base64').slice(0, 43),
        'wxcomponent0000001',
      ).decrypt(encrypted),
    ).toThrow();
    const bytes = Buffer.from(encrypted, 'base64');
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    expect(() => crypto.decrypt(bytes.toString('base64'))).toThrow();
  });
});
