/**
 * Sign-in inside the Feishu (Lark) client, framework-free (../../../../shared/reference/feishu-api.md §1):
 * detect the client by user agent, load the JS SDK only then, get a one-time code with
 * `tt.requestAccess` (falling back to `tt.requestAuthCode` on errno 103 or an old client), and
 * hand it to the server (`auth.feishuLogin`), which exchanges it and sets the session cookie.
 * Outside the client the app uses the browser OAuth redirect (`/auth/feishu/start?next=...`).
 *
 * Wiring for the sign-in screen: `auth.config` gives `{mode, feishu: {appId, jsSdkUrl, oauthStartPath}}`;
 * when mode is `feishu` call `signInWithFeishu(config.feishu, (code) => feishuLogin.mutateAsync({code}))`;
 * on `{kind: 'browser'}` redirect to `browserSignInUrl(...)`; on an error show its message
 * (the server's "ask your admin" text reaches the user as is).
 */

interface TtApi {
  requestAccess?: (opts: {
    appID: string;
    scopeList: string[];
    success: (res: { code: string }) => void;
    fail: (err: { errno?: number; errString?: string }) => void;
  }) => void;
  requestAuthCode?: (opts: { appId: string; success: (res: { code: string }) => void; fail: (err: { errno?: number; errString?: string }) => void }) => void;
}

interface H5Sdk {
  ready?: (fn: () => void) => void;
  error?: (fn: (err: unknown) => void) => void;
}

declare global {
  interface Window {
    tt?: TtApi;
    h5sdk?: H5Sdk;
  }
}

/** Windows desktop Feishu says `Lark/x` without "Feishu"; mobile and macOS say `Feishu`. */
export function isFeishuUserAgent(userAgent: string): boolean {
  return /\bLark\/|Feishu/i.test(userAgent);
}

const SDK_TIMEOUT_MS = 15_000;
let sdkLoading: Promise<void> | null = null;

/** Loads the JS SDK once; resolves when `window.tt` is there. */
export function loadFeishuSdk(url: string): Promise<void> {
  if (window.tt) return Promise.resolve();
  sdkLoading ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.async = true;
    const timer = window.setTimeout(() => reject(new Error('The Feishu SDK did not load in time.')), SDK_TIMEOUT_MS);
    script.onload = () => {
      window.clearTimeout(timer);
      if (window.tt) resolve();
      else reject(new Error('The Feishu SDK loaded but offers no tt API (not inside Feishu?).'));
    };
    script.onerror = () => {
      window.clearTimeout(timer);
      reject(new Error('The Feishu SDK could not be loaded.'));
    };
    document.head.appendChild(script);
  }).catch((error: unknown) => {
    sdkLoading = null; // let a retry load it again
    throw error;
  });
  return sdkLoading;
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = window.setTimeout(() => reject(new Error(`${what} timed out.`)), SDK_TIMEOUT_MS);
    promise.then(
      (v) => {
        window.clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        window.clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** The deprecated API (client >= 5.1), called after `h5sdk.ready`. */
function requestAuthCode(appId: string): Promise<string> {
  const tt = window.tt;
  if (!tt?.requestAuthCode) return Promise.reject(new Error('This Feishu client cannot sign in to web apps: please update it.'));
  return new Promise<string>((resolve, reject) => {
    const ask = () =>
      tt.requestAuthCode!({
        appId,
        success: ({ code }) => resolve(code),
        fail: (err) => reject(new Error(`Feishu refused the sign-in (${err.errno ?? '?'}: ${err.errString ?? 'no reason given'}).`)),
      });
    if (window.h5sdk?.ready) window.h5sdk.ready(ask);
    else ask();
  });
}

/** A one-time code (valid 3 minutes, single use) for the server to exchange. */
export function requestFeishuCode(appId: string): Promise<string> {
  const tt = window.tt;
  if (!tt?.requestAccess) return withTimeout(requestAuthCode(appId), 'Feishu sign-in');
  const access = new Promise<string>((resolve, reject) => {
    tt.requestAccess!({
      appID: appId,
      scopeList: [],
      success: ({ code }) => resolve(code),
      fail: (err) => {
        // 103: requestAccess unsupported for this app or client version; the older API still works
        if (err.errno === 103) requestAuthCode(appId).then(resolve, reject);
        else reject(new Error(`Feishu refused the sign-in (${err.errno ?? '?'}: ${err.errString ?? 'no reason given'}).`));
      },
    });
  });
  return withTimeout(access, 'Feishu sign-in');
}

export type FeishuSignIn<T> = { kind: 'signed-in'; user: T } | { kind: 'browser' };

/**
 * Inside Feishu: SDK, code, exchange. Outside: `{kind: 'browser'}` (use the OAuth redirect).
 * @throws Error with a message to show (SDK failures; the exchange's own errors pass through)
 */
export async function signInWithFeishu<T>(
  config: { appId: string; jsSdkUrl: string },
  exchange: (code: string) => Promise<T>,
  userAgent: string = navigator.userAgent,
): Promise<FeishuSignIn<T>> {
  if (!isFeishuUserAgent(userAgent)) return { kind: 'browser' };
  await loadFeishuSdk(config.jsSdkUrl);
  if (!window.tt?.requestAccess && !window.tt?.requestAuthCode) return { kind: 'browser' };
  const code = await requestFeishuCode(config.appId);
  return { kind: 'signed-in', user: await exchange(code) };
}

/** Where a plain browser starts the OAuth redirect; `next` is where it comes back to. */
export function browserSignInUrl(oauthStartPath: string, next: string = location.pathname + location.search): string {
  return `${oauthStartPath}?next=${encodeURIComponent(next)}`;
}
