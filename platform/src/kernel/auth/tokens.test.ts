import { AccessTokens, hashRefreshToken, newRefreshToken } from './tokens';

const tokens = new AccessTokens('unit-test-secret-unit-test-secret-0123', 900);

describe('AccessTokens', () => {
  it('verifies its own token for its audience', async () => {
    const { token, expiresAt } = await tokens.sign({ aud: 'shopper', sub: 7, tid: 3, sid: 's1' });
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now());
    await expect(tokens.verify(token, 'shopper')).resolves.toMatchObject({ sub: 7, tid: 3, sid: 's1' });
  });

  it('refuses it for another audience', async () => {
    const { token } = await tokens.sign({ aud: 'merchant', sub: 7, tid: 3, sid: 's1', role: 'owner' });
    // Verified (and remembered) for its own audience first: what is remembered is never taken for another.
    await expect(tokens.verify(token, 'merchant')).resolves.toMatchObject({ sub: 7, role: 'owner' });
    await expect(tokens.verify(token, 'platform')).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    await expect(tokens.verify(token, 'shopper')).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('refuses a token changed by one character, even after the true one was verified', async () => {
    const { token } = await tokens.sign({ aud: 'shopper', sub: 8, tid: 3, sid: 's2' });
    await tokens.verify(token, 'shopper');
    // A character inside the signature (the last one may differ only in base64's unused bits).
    const at = token.length - 5;
    const forged = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
    await expect(tokens.verify(forged, 'shopper')).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('says expired once the TTL has passed', async () => {
    const issued = new Date('2026-01-01T00:00:00Z');
    const { token } = await tokens.sign({ aud: 'platform', sub: 1, tid: null, sid: 's', role: 'admin' }, issued);
    await expect(tokens.verify(token, 'platform', new Date(issued.getTime() + 899_000))).resolves.toBeTruthy();
    await expect(tokens.verify(token, 'platform', new Date(issued.getTime() + 901_000))).rejects.toMatchObject({
      code: 'TOKEN_EXPIRED',
    });
  });
});

describe('refresh tokens', () => {
  it('are random and stored only as their hash', () => {
    const a = newRefreshToken();
    const b = newRefreshToken();
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toBe(hashRefreshToken(a.token));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
