import { constants, createPublicKey, publicDecrypt, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** A development version as the code-upload service took it. */
export interface CiUpload {
  appid: string;
  version: string;
  desc: string;
  robot: string;
  /** The package's files by path, as unpacked from the upload ("/app.json", …). */
  files: Map<string, Buffer>;
}

/**
 * A local servicewechat.com for miniprogram-ci, speaking what its upload does (v2.1.42): a one-time
 * random string per appid (`/wxa/ci/getrandstr`), the project's attributes (`/wxa/ci/getattr`), the
 * file-extension allow-list (`/wxa/ci/getwhiteextlist`), and the upload itself (`/wxa/ci/upload`): a
 * gzipped code package in WeChat's pack format carrying `ci.signature`, which is `{appid, rand_str}`
 * encrypted with the mini-program's code-upload private key (RSA, PKCS#1 v1.5) and checked here with
 * its public key. Answers are `{errCode, errMsg, data|body}` as the real service gives them; an upload
 * from an address outside the mini-program's IP allow-list is refused with -10008 as WeChat does.
 */
export class FakeWechatCi {
  private server?: http.Server;
  private readonly keys = new Map<string, string>();
  private readonly randoms = new Map<string, string>();
  /** Every development version taken, in order. */
  readonly uploads: CiUpload[] = [];
  /** Addresses allowed to upload, per appid (no entry: the allow-list is off). */
  readonly allowedIps = new Map<string, string[]>();
  /** Every call, for assertions. */
  readonly calls: Array<{ path: string; query: Record<string, string> }> = [];
  private readonly failures: Array<{ path: string; errCode: number; errMsg: string }> = [];
  url = '';

  /** A mini-program whose code-upload key (its public half) the service knows. */
  registerApp(appid: string, publicKeyPem: string): void {
    this.keys.set(appid, createPublicKey(publicKeyPem).export({ type: 'spki', format: 'pem' }).toString());
  }

  /** The next call to `path` answers this error instead. */
  failNext(path: string, errCode: number, errMsg = 'injected failure'): void {
    this.failures.push({ path, errCode, errMsg });
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const query = Object.fromEntries(url.searchParams);
        this.calls.push({ path: url.pathname, query });
        let answer: Record<string, unknown>;
        try {
          answer = this.route(url.pathname, query, Buffer.concat(chunks), req.socket.remoteAddress ?? '');
        } catch (e) {
          answer = { errCode: -1, errMsg: `system error: ${(e as Error).message}` };
        }
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private route(path: string, query: Record<string, string>, body: Buffer, ip: string): Record<string, unknown> {
    const failure = this.failures.findIndex((f) => f.path === path);
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      return { errCode: f!.errCode, errMsg: f!.errMsg };
    }
    switch (path) {
      case '/wxa/ci/getrandstr': {
        const { appid } = JSON.parse(body.toString('utf8')) as { appid: string };
        const randomString = randomBytes(16).toString('hex');
        this.randoms.set(appid, randomString);
        return { errCode: 0, errMsg: 'ok', data: { randomString } };
      }
      case '/wxa/ci/getattr': {
        const { appid, signature } = JSON.parse(body.toString('utf8')) as { appid: string; signature: string };
        const refused = this.check(appid, signature, ip);
        if (refused) return refused;
        return {
          errCode: 0,
          errMsg: 'ok',
          data: {
            platform: false,
            appType: 0,
            isSandbox: false,
            released: true,
            setting: {
              MaxCodeSize: 2,
              MaxSubpackageSubCodeSize: 2,
              MaxSubpackageFullCodeSize: 20,
              NavigateMiniprogramLimit: 10,
              MaxSubPackageLimit: 100,
              MinTabbarCount: 2,
              MaxTabbarCount: 5,
              MaxCustomTabbarCount: 10,
              MaxTabbarIconSize: 40,
            },
          },
        };
      }
      case '/wxa/ci/getwhiteextlist':
        return {
          errCode: 0,
          errMsg: 'ok',
          data: {
            miniProgram: ['.wxml', '.wxss', '.wxs', '.png', '.jpg', '.jpeg', '.gif', '.svg', '.js', '.json', '.webp'],
          },
        };
      case '/wxa/ci/upload': {
        const files = unpack(gunzipSync(body));
        const signed = files.get('/ci.signature');
        if (!signed) return { errCode: -10003, errMsg: 'signature missing' };
        const refused = this.check(
          query.appid ?? '',
          (JSON.parse(signed.toString('utf8')) as { signature: string }).signature,
          ip,
        );
        if (refused) return refused;
        files.delete('/ci.signature');
        this.uploads.push({
          appid: query.appid!,
          version: query.version ?? '',
          desc: query.desc ?? '',
          robot: query.robot ?? '1',
          files,
        });
        return { errCode: 0, errMsg: 'ok', body: { str_uint64version: String(this.uploads.length) } };
      }
      default:
        return { errCode: -1, errMsg: `unknown cgi ${path}` };
    }
  }

  /** The signature must open with the appid's key to `{appid, rand_str}` of the random string issued last (once). */
  private check(appid: string, signature: string, ip: string): Record<string, unknown> | null {
    const allowed = this.allowedIps.get(appid);
    const address = ip.replace(/^::ffff:/, '');
    if (allowed && !allowed.includes(address)) {
      return {
        errCode: -10008,
        errMsg: `invalid ip: ${address}, reference: https://developers.weixin.qq.com/miniprogram/dev/devtools/ci.html`,
      };
    }
    const key = this.keys.get(appid);
    const expected = this.randoms.get(appid);
    this.randoms.delete(appid);
    if (!key || !expected) return { errCode: -10003, errMsg: 'invalid signature' };
    try {
      const opened = JSON.parse(
        publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(signature, 'base64')).toString('utf8'),
      ) as { appid?: string; rand_str?: string };
      if (opened.appid === appid && opened.rand_str === expected) return null;
    } catch {
      // falls through: a signature made with another key does not open
    }
    return { errCode: -10003, errMsg: 'invalid signature' };
  }
}

/** WeChat's code package: 0xBE, version, index length, data length, 0xED; then the file index and the data. */
function unpack(buf: Buffer): Map<string, Buffer> {
  if (buf[0] !== 0xbe || buf[13] !== 0xed) throw new Error('not a code package');
  const count = buf.readInt32BE(14);
  const files = new Map<string, Buffer>();
  let at = 18;
  for (let i = 0; i < count; i++) {
    const nameLength = buf.readInt32BE(at);
    const name = buf.subarray(at + 4, at + 4 + nameLength).toString('utf8');
    const offset = buf.readInt32BE(at + 4 + nameLength);
    const size = buf.readInt32BE(at + 8 + nameLength);
    files.set(name, buf.subarray(offset, offset + size));
    at += 12 + nameLength;
  }
  return files;
}
