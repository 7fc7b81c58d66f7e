import http from "node:http";
import type {AddressInfo} from "node:net";

/** A route that never answers: the request stays open until the server closes. */
export const STALL = Symbol("stall");

export type Route = typeof STALL | string | {status?: number; headers?: Record<string, string>; body?: string | Uint8Array} | ((req: http.IncomingMessage) => Route);

/** A web server on 127.0.0.1 that behaves like a council's site: pages, files, redirects, robots.txt. */
export interface CouncilSite {
  base: string;
  routes: Map<string, Route>;
  /** Every request, in order: path with query, its User-Agent, when it started and ended (ms). */
  requests: {path: string; agent: string; start: number; end: number}[];
  /** The most requests the server answered at once. */
  maxActive: () => number;
  hits: (path: string) => number;
  close: () => Promise<void>;
}

/** Starts a site on a free port; a path not in routes is a 404. Pages are HTML unless a route says otherwise. */
export async function councilSite(): Promise<CouncilSite> {
  const routes = new Map<string, Route>();
  const requests: CouncilSite["requests"] = [];
  let active = 0;
  let most = 0;
  const server = http.createServer((req, res) => {
    active++;
    most = Math.max(most, active);
    const entry = {path: req.url ?? "/", agent: String(req.headers["user-agent"] ?? ""), start: performance.now(), end: 0};
    requests.push(entry);
    res.on("close", () => {
      active--;
      entry.end = performance.now();
    });
    let route = routes.get(entry.path) ?? routes.get(new URL(entry.path, "http://x").pathname);
    while (typeof route === "function") route = route(req);
    if (route === STALL) return;
    if (route === undefined) {
      res.writeHead(404, {"content-type": "text/plain"}).end("not found");
      return;
    }
    const r = typeof route === "string" ? {body: route} : route;
    res.writeHead(r.status ?? 200, {"content-type": "text/html; charset=utf-8", ...r.headers}).end(r.body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    routes,
    requests,
    maxActive: () => most,
    hits: (path) => requests.filter((r) => r.path === path).length,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })
  };
}

export const page = (title: string, body: string) =>
  `<!DOCTYPE html><html><head><title>${title}</title></head><body><header><nav><a href="/">Home</a> <a href="/contact.csv">Contact</a></nav></header><main><h1>${title}</h1>${body}</main><footer><a href="/privacy">Privacy</a></footer></body></html>`;
