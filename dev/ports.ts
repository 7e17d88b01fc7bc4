/**
 * What starting a local server here needs: a free port on 127.0.0.1, and waiting until it answers.
 */
import { createServer } from "node:net";

/** A port free on 127.0.0.1 now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether `port` can be bound on 127.0.0.1 now (else a health check would see whoever holds it). */
export async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.unref();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/** Polls `url` until it answers 2xx, `gone` settles (the server's process died) or the deadline passes. */
export async function waitFor(url: string, timeoutMs = 30_000, gone?: Promise<unknown>): Promise<void> {
  let exited = false;
  void gone?.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (exited) throw new Error(`the process exited before ${url} answered`);
    if (Date.now() > deadline) throw new Error(`${url} did not come up within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
