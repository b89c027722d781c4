import { SHARE_LIMITS } from '@shopfleet/contracts';
import {
  codeImageKey,
  codeOfScene,
  isShareCode,
  newShareCode,
  posterKey,
  sceneOf,
  shareLink,
  sharePath,
  type PosterFacts,
} from './share-codes';

/** The characters WeChat takes in a wxacode scene (its documentation of wxacode.getUnlimited). */
const WECHAT_SCENE = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$/;

describe('share codes', () => {
  it('are base62 of the set length, random, and make scenes WeChat accepts (≤ 32 characters)', () => {
    const codes = Array.from({ length: 2000 }, () => newShareCode());
    for (const code of codes) {
      expect(code).toMatch(/^[0-9A-Za-z]{8}$/);
      expect(isShareCode(code)).toBe(true);
      const scene = sceneOf(code);
      expect(scene).toBe(`c=${code}`);
      expect(scene.length).toBeLessThanOrEqual(SHARE_LIMITS.sceneMax);
      expect(scene).toMatch(WECHAT_SCENE);
      expect(codeOfScene(scene)).toBe(code);
    }
    // Random, not a sequence: 2,000 draws of 62^8 do not repeat, and use the whole alphabet.
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(codes.join('')).size).toBe(62);
  });

  it('the longest code still fits a scene, with room to spare', () => {
    expect(sceneOf('Z'.repeat(10)).length).toBe(12);
    expect(() => sceneOf('Z'.repeat(11))).toThrow();
    expect(() => sceneOf('ab-c')).toThrow();
  });

  it('draws each character from the whole alphabet (the picker decides)', () => {
    expect(newShareCode(4, () => 0)).toBe('0000');
    expect(newShareCode(3, (max) => max - 1)).toBe('zzz');
  });

  it('finds the code in a scene among other pairs, and nothing in a foreign scene', () => {
    expect(codeOfScene('x=1&c=Ab3dE9xZ')).toBe('Ab3dE9xZ');
    expect(codeOfScene('id=12&invite_code=99')).toBeNull();
    expect(codeOfScene('c=ab%3D')).toBeNull();
    expect(codeOfScene('')).toBeNull();
  });

  it('a share opens the product page with its id and code, in the mini-program and on h5', () => {
    expect(sharePath('product', 42, 'Ab3dE9xZ')).toBe('/pages/product/detail?id=42&c=Ab3dE9xZ');
    expect(shareLink('https://mall.example.com/', 'green-shop', 'product', 42, 'Ab3dE9xZ')).toBe(
      'https://mall.example.com/s/green-shop/#/pages/product/detail?id=42&c=Ab3dE9xZ',
    );
  });
});

describe('cache keys', () => {
  const facts: PosterFacts = {
    channel: 'mp-weixin',
    code: 'Ab3dE9xZ',
    codeImageKey: 'k'.repeat(64),
    productId: 42,
    imageId: 7,
    imageUrl: 'https://cdn.example.com/tenants/1/images/abc/medium.jpg',
    title: '无线蓝牙耳机',
    priceFen: 19900,
    shopName: '青禾食品旗舰店',
    sharerNickname: '小明',
    sharerAvatarUrl: null,
  };

  it('a poster key changes with everything drawn on it, and only with that', () => {
    const key = posterKey(facts);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(posterKey({ ...facts })).toBe(key);
    const changes: Array<Partial<PosterFacts>> = [
      { channel: 'h5' },
      { code: 'Ab3dE9xY' },
      { codeImageKey: 'j'.repeat(64) },
      { productId: 43 },
      { imageId: 8 },
      { imageUrl: null },
      { title: '无线蓝牙耳机 Pro' },
      { priceFen: 19800 },
      { shopName: '青禾食品' },
      { sharerNickname: null },
      { sharerAvatarUrl: 'https://thirdwx.qlogo.cn/mmopen/a/132' },
    ];
    const keys = changes.map((c) => posterKey({ ...facts, ...c }));
    expect(new Set([key, ...keys]).size).toBe(changes.length + 1);
  });

  it('a code image key depends on the code, the channel and what the image holds', () => {
    const base = { channel: 'mp-weixin' as const, code: 'Ab3dE9xZ', content: 'pages/product/detail|release' };
    const key = codeImageKey(base);
    expect(codeImageKey({ ...base })).toBe(key);
    expect(codeImageKey({ ...base, code: 'Ab3dE9x0' })).not.toBe(key);
    expect(codeImageKey({ ...base, content: 'pages/product/detail|trial' })).not.toBe(key);
    expect(codeImageKey({ ...base, channel: 'h5' })).not.toBe(key);
  });
});
