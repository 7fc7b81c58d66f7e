/**
 * A tiny static server for the built site, on 127.0.0.1 only. Clean URLs: /foo serves foo.html,
 * /foo/ serves foo/index.html. Used by the browser tests; run it to look at the site:
 *
 *   npx tsx scripts/serve-dist.ts [dir=dist] [port=3000]
 */
import {createReadStream} from "node:fs";
import {stat} from "node:fs/promises";
import {createServer, type IncomingMessage, type ServerResponse} from "node:http";
import type {AddressInfo} from "node:net";
import {extname, join, resolve, sep} from "node:path";
import {fileURLToPath} from "node:url";

const MIME_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".parquet": "application/octet-stream",
  ".arrow": "application/vnd.apache.arrow.file",
  ".csv": "text/csv; charset=utf-8",
  ".tsv": "text/tab-separated-values; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".pdf": "application/pdf",
  ".zip": "application/zip",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf"
};

export function mimeType(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The file a URL path maps to inside root, or undefined; never a path outside root. */
async function resolveFile(root: string, pathname: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0")) return undefined;
  const path = resolve(root, "." + decoded);
  if (path !== root && !path.startsWith(root + sep)) return undefined;
  const candidates = decoded.endsWith("/") ? [join(path, "index.html")] : [path, `${path}.html`, join(path, "index.html")];
  for (const candidate of candidates) if (await isFile(candidate)) return candidate;
  return undefined;
}

async function handle(root: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, {allow: "GET, HEAD"}).end();
    return;
  }
  const {pathname} = new URL(request.url ?? "/", "http://127.0.0.1");
  const file = await resolveFile(root, pathname);
  if (!file) {
    const notFound = join(root, "404.html");
    const has404 = await isFile(notFound);
    response.writeHead(404, {"content-type": has404 ? MIME_TYPES[".html"]! : MIME_TYPES[".txt"]!});
    if (request.method === "HEAD") response.end();
    else if (has404) createReadStream(notFound).pipe(response);
    else response.end("not found\n");
    return;
  }
  const {size} = await stat(file);
  response.writeHead(200, {
    "content-type": mimeType(file),
    "content-length": size,
    "cache-control": "no-cache"
  });
  if (request.method === "HEAD") {
    response.end();
    return;
  }
  createReadStream(file)
    .on("error", () => response.destroy())
    .pipe(response);
}

/** Serves dir on 127.0.0.1; port 0 picks a free port. */
export async function serveDist(dir = "dist", port = 0): Promise<{url: string; close(): Promise<void>}> {
  const root = resolve(dir);
  const server = createServer((request, response) => {
    handle(root, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolvePromise());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () =>
      new Promise<void>((resolvePromise, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolvePromise()));
      })
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir = "dist", port = "3000"] = process.argv.slice(2);
  const {url} = await serveDist(dir, Number(port));
  process.stderr.write(`serving ${resolve(dir)} at ${url} (Ctrl-C to stop)\n`);
}
