import { describe, expect, it } from '@jest/globals';
import { arrivedShareCode, codeOfScene } from './share-code';

describe('the share code a page opens with', () => {
  it('is the `c` of a scanned mini-program code’s scene, among other pairs', () => {
    expect(codeOfScene('c=Ab3dE9xZ')).toBe('Ab3dE9xZ');
    expect(codeOfScene('from=poster&c=Ab3dE9xZ')).toBe('Ab3dE9xZ');
    expect(codeOfScene('id=12&invite_code=99')).toBe('');
    expect(codeOfScene('c=<script>')).toBe('');
  });

  it('is the `c` of a shared link or chat path, when it is a code at all', () => {
    expect(arrivedShareCode({ id: '12', c: 'Ab3dE9xZ' })).toBe('Ab3dE9xZ');
    expect(arrivedShareCode({ id: '12' })).toBeNull();
    expect(arrivedShareCode({ c: 'not a code' })).toBeNull();
    expect(arrivedShareCode(undefined)).toBeNull();
  });
});
