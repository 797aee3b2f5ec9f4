/**
 * The client's routes and the page for every other path (issue 19: an unknown URL answered the
 * app with HTTP 200). The app is one screen at `/`; what it shows is in the query string
 * (`?cell=`, `?incident=`, `?work=1`, filters), so `/` is the only path that serves index.html.
 * Any other path gets HTTP 404 and a small page of its own, in the reader's language, with a
 * link back to the map. Static: no script, no data, nothing of the session.
 */
import type { Request, RequestHandler } from 'express';

/** Paths that serve the client (index.html). Add one here when the client gets a real route. */
export const CLIENT_ROUTES: readonly string[] = ['/'];

const TEXT = {
  zh: { lang: 'zh-CN', title: '页面不存在', body: '您打开的地址不存在。请检查链接，或回到地图。', home: '返回地图' },
  en: { lang: 'en', title: 'Page not found', body: 'There is no page at this address. Check the link, or go back to the map.', home: 'Back to the map' },
} as const;

/** Chinese unless the browser prefers English (the product's users read Chinese first). */
function langOf(req: Request): keyof typeof TEXT {
  return req.acceptsLanguages('zh', 'zh-CN', 'en') === 'en' ? 'en' : 'zh';
}

export function notFoundPage(lang: keyof typeof TEXT): string {
  const t = TEXT[lang];
  return `<!doctype html>
<html lang="${t.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title}</title>
<style>
body { font-family: system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; min-height: 100vh; display: grid; place-items: center; color: #0f172a; background: #f8fafc; }
main { padding: 1.5rem; max-width: 28rem; text-align: center; }
h1 { font-size: 1.4rem; margin: 0 0 0.75rem; }
p { color: #475569; margin: 0 0 1.25rem; }
a { display: inline-flex; align-items: center; min-height: 44px; padding: 0 1.1rem; border-radius: 8px; background: #1d4ed8; color: #fff; text-decoration: none; }
</style>
</head>
<body>
<main data-testid="not-found">
<h1>${t.title}</h1>
<p>${t.body}</p>
<a href="/" data-testid="not-found-home">${t.home}</a>
</main>
</body>
</html>
`;
}

/** Answers any request that reaches it with 404 and the page (HTML for browsers, text otherwise). */
export function notFoundHandler(): RequestHandler {
  return (req, res) => {
    res.status(404).setHeader('Cache-Control', 'no-cache');
    const lang = langOf(req);
    if (req.accepts(['html', 'text']) === 'html') res.type('html').send(notFoundPage(lang));
    else res.type('text').send(`${TEXT[lang].title}\n`);
  };
}
