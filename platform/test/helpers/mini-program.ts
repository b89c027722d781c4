import path from 'node:path';
import vm from 'node:vm';

/** A call the mini-program made to `wx`. */
export interface WxCall {
  api: string;
  args: Record<string, unknown> | undefined;
}

interface ComponentOptions {
  lifetimes: Record<string, (this: PageInstance) => void>;
  pageLifetimes: Record<string, (this: PageInstance) => void>;
  methods: Record<string, (this: PageInstance, ...args: unknown[]) => unknown>;
}

/** A page as the mini-program framework would hold it: its data is what the page rendered. */
export interface PageInstance {
  data: Record<string, unknown>;
  route: string;
  [key: string]: unknown;
}

/** APIs answered with success and recorded; the rest of `wx` a page might call. */
const RECORDED = [
  'setNavigationBarTitle',
  'setNavigationBarColor',
  'setTabBarItem',
  'setTabBarStyle',
  'showToast',
  'hideToast',
  'showLoading',
  'hideLoading',
  'stopPullDownRefresh',
  'navigateTo',
  'redirectTo',
  'switchTab',
  'reLaunch',
  'getStorage',
  'setStorage',
  'removeStorage',
  'showModal',
  'previewImage',
  'makePhoneCall',
  'showShareMenu',
  'onAppShow',
  'onAppHide',
  'preloadAssets',
  'getNetworkType',
  'onNetworkStatusChange',
  'getSetting',
];

/**
 * Runs a built mp-weixin package the way WeChat would, as far as a page's logic goes: its CommonJS
 * modules in a VM context with a minimal `wx` (ext.json's `ext` for getExtConfigSync — or nothing, as
 * WeChat gives a mini-program uploaded with its own key (`extJson: false`) — real HTTP for
 * request, everything else recorded), `App`, `Page` and `Component` registering what the code
 * defines. `page(route)` creates the page and runs its lifecycle (attached, onLoad, show, ready).
 * `language` is WeChat's (`zh_CN` unless told, `en` for a WeChat in English).
 */
export function runMiniProgram(
  files: Map<string, Buffer>,
  opts: { apiOrigin: string; extJson?: boolean; language?: string },
) {
  const language = opts.language ?? 'zh_CN';
  const calls: WxCall[] = [];
  const pending = new Set<Promise<unknown>>();
  const errors: string[] = [];
  const storage = new Map<string, unknown>();
  const ext =
    opts.extJson === false
      ? {}
      : (JSON.parse(files.get('ext.json')!.toString('utf8')) as { ext: Record<string, unknown> }).ext;
  const appid = String(
    (JSON.parse(files.get('project.config.json')?.toString('utf8') ?? '{}') as { appid?: string }).appid ?? 'wx',
  );
  const record = (api: string) => (args?: Record<string, unknown>) => {
    calls.push({ api, args });
    const success = args?.success as ((r: unknown) => void) | undefined;
    if (success) setTimeout(() => success({ errMsg: `${api}:ok` }));
  };
  const wx: Record<string, unknown> = {
    getExtConfigSync: () => ext,
    getSystemInfoSync: () => ({
      platform: 'ios',
      windowWidth: 375,
      windowHeight: 667,
      pixelRatio: 2,
      language,
      SDKVersion: '3.7.0',
      statusBarHeight: 20,
      screenWidth: 375,
      screenHeight: 667,
    }),
    getWindowInfo: () => ({
      windowWidth: 375,
      windowHeight: 667,
      pixelRatio: 2,
      statusBarHeight: 20,
      screenWidth: 375,
      screenHeight: 667,
    }),
    getDeviceInfo: () => ({ platform: 'ios', brand: 'iPhone', model: 'iPhone 15', system: 'iOS 17' }),
    getAppBaseInfo: () => ({ SDKVersion: '3.7.0', language, version: '8.0.50', theme: 'light' }),
    getLaunchOptionsSync: () => ({ path: 'pages/index/index', scene: 1001, query: {} }),
    getAccountInfoSync: () => ({ miniProgram: { appId: appid, envVersion: 'release' } }),
    getStorageSync: (k: string) => storage.get(k) ?? '',
    setStorageSync: (k: string, v: unknown) => void storage.set(k, v),
    removeStorageSync: (k: string) => void storage.delete(k),
    canIUse: () => true,
    request(args: {
      url: string;
      method?: string;
      data?: unknown;
      header?: Record<string, string>;
      success?: (r: unknown) => void;
      fail?: (e: unknown) => void;
      complete?: () => void;
    }) {
      calls.push({ api: 'request', args: { url: args.url, method: args.method ?? 'GET' } });
      // The device resolves the shop's API host; here it is the test server.
      const url = new URL(args.url);
      const target = `${opts.apiOrigin}${url.pathname}${url.search}`;
      const method = (args.method ?? 'GET').toUpperCase();
      const body =
        method === 'GET' || args.data === undefined
          ? undefined
          : typeof args.data === 'string'
            ? args.data
            : JSON.stringify(args.data);
      const done = fetch(target, {
        method,
        headers: { 'content-type': 'application/json', ...(args.header ?? {}) },
        body,
      })
        .then(async (res) => {
          const text = await res.text();
          let data: unknown = text;
          try {
            data = JSON.parse(text);
          } catch {
            data = text;
          }
          args.success?.({
            statusCode: res.status,
            data,
            header: Object.fromEntries(res.headers),
            errMsg: 'request:ok',
          });
        })
        .catch((err: Error) => args.fail?.({ errMsg: `request:fail ${err.message}` }))
        .finally(() => {
          args.complete?.();
          pending.delete(done);
        });
      pending.add(done);
      return { abort() {} };
    },
  };
  for (const api of RECORDED) wx[api] = record(api);

  let app: { onLaunch?: (o: unknown) => void } | null = null;
  let lastComponent: ComponentOptions | null = null;
  const sandbox: Record<string, unknown> = {
    wx,
    console: {
      log() {},
      info() {},
      debug() {},
      warn: (...a: unknown[]) => errors.push(`warn: ${a.map(String).join(' ')}`),
      error: (...a: unknown[]) => errors.push(`error: ${a.map(String).join(' ')}`),
    },
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    App: (o: typeof app) => void (app = o),
    Page: (o: ComponentOptions) => void (lastComponent = o),
    Component: (o: ComponentOptions) => void (lastComponent = o),
    getApp: () => app,
    getCurrentPages: () => [],
    Behavior: (o: unknown) => o,
    requirePlugin: () => ({}),
  };
  sandbox.global = sandbox;
  vm.createContext(sandbox);

  const modules = new Map<string, { exports: unknown }>();
  function load(file: string): unknown {
    const name = file.endsWith('.js') ? file : `${file}.js`;
    const cached = modules.get(name);
    if (cached) return cached.exports;
    const source = files.get(name);
    if (!source) throw new Error(`the package has no ${name}`);
    const mod = { exports: {} as unknown };
    modules.set(name, mod);
    const fn = vm.runInContext(`(function (exports, require, module) {${source.toString('utf8')}\n})`, sandbox, {
      filename: name,
    }) as (e: unknown, r: (p: string) => unknown, m: typeof mod) => void;
    fn(mod.exports, (p) => load(path.posix.normalize(path.posix.join(path.posix.dirname(name), p))), mod);
    return mod.exports;
  }

  load('app.js');
  if (!app) throw new Error('app.js registered no App()');
  (app as { onLaunch?: (o: unknown) => void }).onLaunch?.({ path: 'pages/index/index', scene: 1001, query: {} });

  return {
    calls,
    errors,
    ext,
    /** Creates the page of `route` and runs its lifecycle; its data fills in as its requests answer. */
    page(route: string): PageInstance {
      lastComponent = null;
      load(`${route}.js`);
      const def = lastComponent as ComponentOptions | null;
      if (!def) throw new Error(`${route} registered no page`);
      const inst: PageInstance = {
        data: {},
        properties: {},
        route,
        is: route,
        options: {},
        setData(this: PageInstance, patch: Record<string, unknown>, cb?: () => void) {
          for (const [key, value] of Object.entries(patch)) setPath(this.data, key, value);
          if (cb) setTimeout(cb);
        },
        selectAllComponents: () => [],
        selectComponent: () => null,
        triggerEvent() {},
        createSelectorQuery: () => ({
          in() {
            return this;
          },
          select() {
            return this;
          },
          selectAll() {
            return this;
          },
          boundingClientRect() {
            return this;
          },
          exec() {},
        }),
        getOpenerEventChannel: () => ({ on() {}, emit() {} }),
      };
      Object.assign(inst, def.methods);
      def.lifetimes.attached?.call(inst);
      (inst.onLoad as (o: unknown) => void).call(inst, {});
      def.pageLifetimes.show?.call(inst);
      (inst.onShow as (() => void) | undefined)?.call(inst);
      def.lifetimes.ready?.call(inst);
      return inst;
    },
    /** Waits until no request is in flight (and the page has had a tick to render what came back). */
    async settle(): Promise<void> {
      for (let i = 0; i < 50; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (pending.size === 0) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          if (pending.size === 0) return;
        }
        await Promise.allSettled([...pending]);
      }
    },
  };
}

/** setData's keys are paths (`list[0].title`, `a.b`). */
function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.replace(/\[(\d+)\]/g, '.$1').split('.');
  let node: Record<string, unknown> = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = /^\d+$/.test(part) ? [] : {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}
