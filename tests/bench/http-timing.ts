/**
 * A tRPC query over real HTTP as a browser makes it: request with `Accept-Encoding: br, gzip`,
 * read the compressed bytes (their size is reported), decompress and parse the JSON.
 */
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

export interface HttpResult<T> {
  data: T;
  compressedBytes: number;
}

export function trpcGet<T>(baseUrl: string, path: string, input: unknown, cookie: string): Promise<HttpResult<T>> {
  const url = new URL(`/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { cookie, 'accept-encoding': 'br, gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const encoding = res.headers['content-encoding'];
        const body = encoding === 'br' ? brotliDecompressSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw;
        const json = JSON.parse(body.toString('utf8'));
        if (res.statusCode !== 200) return reject(new Error(`${path} -> ${res.statusCode}: ${body.toString('utf8').slice(0, 300)}`));
        resolve({ data: json.result.data as T, compressedBytes: raw.length });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export async function devLogin(baseUrl: string, userId: string): Promise<string> {
  const res = await fetch(new URL('/trpc/auth.devLogin', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  if (!res.ok) throw new Error(`devLogin ${userId} -> ${res.status}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}
