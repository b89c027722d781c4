import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, envTable, loadConfig } from './config';

describe('loadConfig', () => {
  it('works with no environment at all, with defaults for this machine', () => {
    const cfg = loadConfig({});
    expect(cfg.DATABASE_URL).toBe('mysql://root@127.0.0.1:3306/shopfleet');
    expect(cfg.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(cfg.PORT).toBe(3000);
    expect(cfg.publicUrl).toBe('http://localhost:3000');
    expect(cfg.S3_ENDPOINT).toBeUndefined();
  });

  it('names every bad variable', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'postgres://x', LOG_LEVEL: 'loud' });
      throw new Error('should have failed');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('DATABASE_URL');
      expect(message).toContain('LOG_LEVEL');
    }
  });

  it('refuses the development secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_SECRET.*\n.*DATA_ENCRYPTION_KEYS/s);
  });

  it('validates the key ring format', () => {
    expect(() => loadConfig({ DATA_ENCRYPTION_KEYS: 'k1:short' })).toThrow(/DATA_ENCRYPTION_KEYS/);
  });
});

describe('the README configuration table', () => {
  it('lists every variable with its default, as the schema says', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
    expect(readme).toContain(envTable());
  });
});
