/**
 * The demo's origin API: it sits behind the gate and trusts only the identity headers the gate
 * sets (it listens on 127.0.0.1, so nothing else can reach it). In production the origin would
 * also check that requests come from the gate (see README "Trusting only the gate").
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

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

export function startOrigin(port: number): Promise<Server> {
  const server = createServer(route);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}
