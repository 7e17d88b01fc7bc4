/**
 * A stand-in for Cognito's `GetUser`, for what moto_server cannot do: a token revoked with
 * `RevokeToken` (moto answers RevokeToken with a 500), Cognito failing in each way the gate must
 * answer 503 to, and answers held back so a test can count requests in flight. Test names using it
 * say "stand-in". It answers as AWS documents GetUser: 200 with the user, or 400 with
 * `__type`/`X-Amzn-ErrorType` `NotAuthorizedException` "Access Token has been revoked".
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type StandInMode = "ok" | "500" | "hang" | "throttle" | "html";

export interface CognitoStandIn {
  /** `http://127.0.0.1:<port>/`, as `COGNITO_ENDPOINT`. */
  readonly endpoint: string;
  /** Access tokens Cognito refuses from now on. */
  readonly revoked: Set<string>;
  mode: StandInMode;
  /** GetUser requests received, and the tokens they carried. */
  readonly calls: string[];
  /** While set, answers wait until `release()`. */
  hold: boolean;
  release(): void;
  /** Requests received and not answered yet. */
  readonly pending: number;
  close(): Promise<void>;
}

export async function startCognitoStandIn(): Promise<CognitoStandIn> {
  let waiting: Array<() => void> = [];
  const state = {
    endpoint: "",
    revoked: new Set<string>(),
    mode: "ok" as StandInMode,
    calls: [] as string[],
    hold: false,
    release() {
      const now = waiting;
      waiting = [];
      for (const answer of now) answer();
    },
    get pending() {
      return waiting.length;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const target = req.headers["x-amz-target"];
      const token = (JSON.parse(Buffer.concat(chunks).toString() || "{}") as { AccessToken?: string }).AccessToken ?? "";
      state.calls.push(token);
      const answer = () => {
        if (target !== "AWSCognitoIdentityProviderService.GetUser") return void res.writeHead(400).end();
        const json = (status: number, body: unknown, type?: string) =>
          res.writeHead(status, { "content-type": "application/x-amz-json-1.1", ...(type ? { "x-amzn-errortype": type } : {}) }).end(JSON.stringify(body));
        switch (state.mode) {
          case "hang":
            return;
          case "500":
            return json(500, { __type: "InternalErrorException", message: "boom" }, "InternalErrorException");
          case "throttle":
            return json(400, { __type: "TooManyRequestsException", message: "Rate exceeded" }, "TooManyRequestsException");
          case "html":
            return void res.writeHead(200, { "content-type": "text/html" }).end("<html>maintenance</html>");
          case "ok":
            if (state.revoked.has(token)) return json(400, { __type: "NotAuthorizedException", message: "Access Token has been revoked" }, "NotAuthorizedException");
            return json(200, { Username: "someone", UserAttributes: [] });
        }
      };
      if (state.hold) waiting.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return state;
}
