/** `npm start` as a user runs it: Ctrl-C stops everything, a second start works, a taken port is named. */
import { createServer } from "node:net";
import { describe, expect, test } from "vitest";
import { assertPortFree } from "../../demo/stack.ts";
import { npmStart } from "./npm-start.ts";

describe("npm start", () => {
  test("Ctrl-C stops every process it started, and a second start on the same ports works", async () => {
    const first = await npmStart();
    const ports = { ...first.ports };
    const before = await fetch(new URL("/api/whoami", first.gateUrl));
    expect(before.status).toBe(401);
    await first.stop();
    // Throws a PortInUseError naming the port and its setting if anything still listens.
    for (const [setting, port] of Object.entries(ports)) await assertPortFree(port, setting);

    const second = await npmStart(Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])));
    try {
      expect(second.pageUrl).toBe(first.pageUrl);
      expect((await fetch(second.pageUrl)).status).toBe(200);
      expect((await fetch(new URL("/api/public/hello", second.gateUrl))).status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  test("a port already in use is named, with the setting that moves it", async () => {
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(0, "127.0.0.1", () => r()));
    const { port } = squatter.address() as { port: number };
    try {
      await expect(npmStart({ GATE_PORT: String(port) })).rejects.toThrow(
        new RegExp(`Port ${port} is already in use\\. .*set GATE_PORT to another port`),
      );
    } finally {
      squatter.close();
    }
  });
});
