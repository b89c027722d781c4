import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest (payment keys, app secrets, ID numbers). The key id travels with
 * the ciphertext (`kid.iv.tag.data`, base64url), so keys can rotate: the first key encrypts, all decrypt.
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  private readonly activeKid: string;

  constructor(spec: string) {
    for (const part of spec.split(',')) {
      const [kid, b64] = part.split(':');
      const key = Buffer.from(b64 ?? '', 'base64');
      if (!kid || key.length !== 32) throw new Error('DATA_ENCRYPTION_KEYS: each key must be kid:base64 of 32 bytes');
      this.keys.set(kid, key);
    }
    this.activeKid = spec.split(':')[0]!;
  }

  encrypt(plaintext: string, aad = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.activeKid)!, iv);
    cipher.setAAD(Buffer.from(aad));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [this.activeKid, iv.toString('base64url'), tag.toString('base64url'), data.toString('base64url')].join('.');
  }

  decrypt(sealed: string, aad = ''): string {
    const [kid, iv, tag, data] = sealed.split('.');
    const key = kid ? this.keys.get(kid) : undefined;
    if (!key || !iv || !tag || data === undefined)
      throw new Error('secret box: unknown key id or malformed ciphertext');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
