import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * WeChat's message encryption for pushes to a third-party platform (消息加解密): the signature is the
 * SHA-1 of the token, timestamp, nonce and ciphertext sorted and joined; the ciphertext is AES-256-CBC
 * with the EncodingAESKey (IV = its first 16 bytes) over 16 random bytes, the message length (4 bytes,
 * big-endian), the message and the receiving AppID, padded PKCS#7 to 32-byte blocks.
 */
export class WechatMessageCrypto {
  private readonly key: Buffer;

  constructor(
    private readonly token: string,
    encodingAesKey: string,
    private readonly appid: string,
  ) {
    this.key = Buffer.from(`${encodingAesKey}=`, 'base64');
    if (encodingAesKey.length !== 43 || this.key.length !== 32)
      throw new Error('EncodingAESKey must be 43 characters of base64');
  }

  signature(timestamp: string, nonce: string, encrypted: string): string {
    return createHash('sha1').update([this.token, timestamp, nonce, encrypted].sort().join('')).digest('hex');
  }

  verify(timestamp: string, nonce: string, encrypted: string, signature: string): boolean {
    const expected = Buffer.from(this.signature(timestamp, nonce, encrypted));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** The message inside; throws when the padding, the length or the receiving AppID is wrong. */
  decrypt(encrypted: string): string {
    const decipher = createDecipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16));
    decipher.setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
    const pad = plain[plain.length - 1]!;
    if (pad < 1 || pad > 32 || plain.length < 20 + pad) throw new Error('bad padding');
    const body = plain.subarray(16, plain.length - pad);
    const length = body.readUInt32BE(0);
    if (4 + length > body.length) throw new Error('bad length');
    const receiver = body.subarray(4 + length).toString('utf8');
    if (receiver !== this.appid) throw new Error('the message is for another AppID');
    return body.subarray(4, 4 + length).toString('utf8');
  }

  encrypt(message: string): string {
    const text = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(text.length, 0);
    const body = Buffer.concat([randomBytes(16), length, text, Buffer.from(this.appid, 'utf8')]);
    const pad = 32 - (body.length % 32);
    const cipher = createCipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16));
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(Buffer.concat([body, Buffer.alloc(pad, pad)])), cipher.final()]).toString(
      'base64',
    );
  }
}
