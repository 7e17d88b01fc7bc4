/**
 * The demo's origin API: it sits behind the gate and trusts only the identity headers the gate
 * sets. It listens on 127.0.0.1, and it answers 403 to any request without the gate's
 * `X-Gate-Secret` (ORIGIN_SECRET, generated per run by demo/stack.ts), compared in constant time:
 * what README "Make the origin trust only the gate" asks of a production origin.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Whether the request carries the gate's secret. Both sides are hashed first so the comparison
 * runs on equal lengths and takes the same time whatever the client sent.
 */
function fromGate(request: IncomingMessage, expected: Buffer): boolean {
  const sent = request.headers["x-gate-secret"];
  return typeof sent === "string" && timingSafeEqual(digest(sent), expected);
}

function identity(request: IncomingMessage) {
  const header = (name: string) => request.headers[name] as string | undefined;
  return {
    sub: header("x-auth-sub") ?? null,
    username: header("x-auth-username") ?? null,
    groups: header("x-auth-groups")?.split(",").filter(Boolean) ?? [],
    scope: header("x-auth-scope") ?? null,
    clientId: header("x-auth-client-id") ?? null,
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

function route(request: IncomingMessage, response: ServerResponse): void {
  const { pathname } = new URL(request.url ?? "/", "http://origin");
  const who = identity(request);
  switch (pathname) {
    case "/api/public/hello":
      return send(response, 200, { message: "Hello from the origin. This path is public." });
    case "/api/whoami":
      return send(response, 200, { message: "The origin saw a verified user.", ...who, at: new Date().toISOString() });
    case "/api/admin/report":
      if (!who.groups.includes("admin")) return send(response, 403, { error: "forbidden", message: "Admins only." });
      return send(response, 200, { message: "Admin report: all systems normal.", username: who.username });
    default:
      return send(response, 404, { error: "not_found", message: `No route ${pathname}` });
  }
}

/** `secret`: the gate's ORIGIN_SECRET; requests without it get 403 and reach no route. */
export function startOrigin(port: number, secret: string): Promise<Server> {
  const expected = digest(secret);
  const server = createServer((request, response) => {
    if (!fromGate(request, expected)) return send(response, 403, { error: "forbidden", message: "Only the gate may call the origin." });
    route(request, response);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}
