/** Raw HTTP/1.1 over a socket, for what fetch() cannot send: odd targets, TRACE, a bad Host. */
import { connect } from "node:net";

/**
 * Sends `request` as bytes and resolves with the whole raw answer once the server closes the
 * connection (send `Connection: close`). The socket is not half-closed: Deno treats that as the
 * client going away.
 */
export function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("end", () => resolve(Buffer.concat(chunks).toString()));
    socket.on("error", reject);
  });
}
