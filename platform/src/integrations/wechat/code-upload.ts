import { createRequire } from 'node:module';

/** What WeChat's code-upload service answered when it refused an upload (`errCode`, `errMsg`). */
export class CodeUploadError extends Error {
  constructor(
    readonly errCode: number,
    readonly errMsg: string,
  ) {
    super(`WeChat code upload error ${errCode}: ${errMsg}`);
    this.name = 'CodeUploadError';
  }
}

export interface CodeUpload {
  appid: string;
  /** The mini-program's code-upload key (PEM), from mp.weixin.qq.com → 开发管理 → 小程序代码上传. */
  privateKey: string;
  /** A folder holding the mini-program: app.json, project.config.json and the built pages. */
  projectPath: string;
  version: string;
  desc: string;
  /** Which of WeChat's 30 CI robots uploads (1–30): each keeps its own development version. */
  robot: number;
}

const SERVICE = 'https://servicewechat.com';
/** miniprogram-ci's own URLs, kept on its module the first time they are rewritten. */
const ORIGINAL_URLS = Symbol.for('shopfleet.miniprogram-ci.urls');

/**
 * Uploads a mini-program as a development version with WeChat's miniprogram-ci, signed with the
 * merchant's own code-upload key (the path for a shop that keeps its mini-program to itself instead of
 * authorizing the platform). miniprogram-ci is large and only the worker needs it, so it is loaded on
 * first use. It has no setting for where its calls go: its URLs are exports of one module, built from
 * servicewechat.com, so they are pointed at `baseUrl` before each upload (the tests' local fake).
 */
export async function uploadCode(upload: CodeUpload, baseUrl = SERVICE): Promise<{ wechatVersion: string | null }> {
  const load = createRequire(__filename);
  pointAt(load, baseUrl.replace(/\/+$/, ''));
  const ci = load('miniprogram-ci') as typeof import('miniprogram-ci');
  const project = new ci.Project({
    appid: upload.appid,
    type: 'miniProgram',
    projectPath: upload.projectPath,
    privateKey: upload.privateKey,
    ignores: ['node_modules/**/*'],
  });
  try {
    // The package is uni-app's built output: already compiled, so miniprogram-ci only packs and signs it.
    const result = await ci.upload({
      project,
      version: upload.version,
      desc: upload.desc,
      robot: upload.robot,
      setting: {
        es6: false,
        es7: false,
        minify: false,
        minifyJS: false,
        minifyWXML: false,
        minifyWXSS: false,
        autoPrefixWXSS: false,
      },
      onProgressUpdate: () => undefined,
    });
    return { wechatVersion: (result as { strUint64Version?: string }).strUint64Version ?? null };
  } catch (err) {
    throw refusal(err) ?? err;
  }
}

function pointAt(load: NodeJS.Require, base: string): void {
  const urls = load('miniprogram-ci/dist/config/url.config.js') as Record<string | symbol, unknown>;
  const originals = (urls[ORIGINAL_URLS] ??= Object.fromEntries(
    Object.entries(urls).filter(([, v]) => typeof v === 'string' && v.startsWith(SERVICE)),
  )) as Record<string, string>;
  for (const [name, url] of Object.entries(originals)) urls[name] = base + url.slice(SERVICE.length);
}

/** WeChat's refusal inside miniprogram-ci's error (it wraps the answer's JSON in its message), if it was one. */
function refusal(err: unknown): CodeUploadError | null {
  const text = String((err as { message?: string })?.message ?? err);
  const json = /\{"errCode":-?\d+[^]*\}/.exec(text)?.[0];
  if (!json) return null;
  try {
    const answer = JSON.parse(json) as { errCode: number; errMsg?: string };
    return new CodeUploadError(answer.errCode, answer.errMsg ?? '');
  } catch {
    return null;
  }
}
