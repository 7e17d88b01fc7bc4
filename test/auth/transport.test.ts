/**
 * The transport: one POST of Cognito's JSON 1.1 protocol, with Cognito's failures turned into
 * AuthError codes. Against a small local HTTP server that answers as Cognito does (its error
 * shapes are in the AWS Cognito API reference, "Common Errors"), plus a port where nothing listens.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthError } from "../../components/auth/errors.ts";
import { createCall, userPoolEndpoint } from "../../components/auth/transport.ts";
import { freePort } from "../../dev/cognito-local.ts";

describe("transport", () => {
  let server: Server;
  let endpoint = "";
  const seen: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  /** What the server answers next: status, body, headers. */
  let next: { status: number; body: string; headers?: Record<string, string> } = { status: 200, body: "{}" };

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      seen.push({ headers: request.headers, body: Buffer.concat(chunks).toString() });
      response.writeHead(next.status, { "content-type": "application/x-amz-json-1.1", ...next.headers }).end(next.body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function failure(): Promise<AuthError> {
    const error = await createCall(endpoint)("GetUser", { AccessToken: "secret-token" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthError);
    expect(String((error as AuthError).message)).not.toContain("secret-token");
    return error as AuthError;
  }

  it("posts JSON 1.1 with the operation in X-Amz-Target and returns the answer", async () => {
    next = { status: 200, body: JSON.stringify({ Username: "alice" }) };
    expect(await createCall(endpoint)("GetUser", { AccessToken: "t" })).toEqual({ Username: "alice" });
    const request = seen.at(-1)!;
    expect(request.headers["content-type"]).toBe("application/x-amz-json-1.1");
    expect(request.headers["x-amz-target"]).toBe("AWSCognitoIdentityProviderService.GetUser");
    expect(JSON.parse(request.body)).toEqual({ AccessToken: "t" });
  });

  it("maps __type to the error table, with or without a namespace, and drops Cognito's message", async () => {
    next = { status: 400, body: JSON.stringify({ __type: "com.amazonaws.cognito.identity.idp.model#CodeMismatchException", message: "raw text" }) };
    const namespaced = await failure();
    expect([namespaced.code, namespaced.exception]).toEqual(["code_mismatch", "CodeMismatchException"]);
    expect(namespaced.message).not.toContain("raw text");
    next = { status: 400, body: JSON.stringify({ __type: "NotAuthorizedException", message: "Incorrect username or password." }) };
    expect((await failure()).code).toBe("not_authorized");
  });

  it("tells the developer in a console.warn what Cognito said of an invalid request, without quoted values", async () => {
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
      next = { status: 400, body: JSON.stringify({ __type: "InvalidParameterException", message: "Username should be an email. Value 'alice' at 'username' failed" }) };
      expect((await failure()).code).toBe("invalid_parameter");
    } finally {
      console.warn = original;
    }
    expect(warnings).toEqual(["cognito-elements: Cognito refused GetUser: Username should be an email. Value … at … failed"]);
  });

  it("reads the exception from X-Amzn-ErrorType when the body has none", async () => {
    next = { status: 400, body: "", headers: { "x-amzn-errortype": "LimitExceededException:http://internal.amazon.com/" } };
    expect((await failure()).code).toBe("limit_exceeded");
  });

  it("tells a 5xx (service_unavailable) from a network failure (network)", async () => {
    next = { status: 503, body: "<html>Service Unavailable</html>" };
    const outage = await failure();
    expect([outage.code, outage.exception]).toEqual(["service_unavailable", undefined]);
    const nowhere = `http://127.0.0.1:${await freePort()}/`;
    const error = await createCall(nowhere)("GetUser", {}).catch((caught: unknown) => caught);
    expect((error as AuthError).code).toBe("network");
  });

  it("uses the region's AWS endpoint unless an emulator's is configured", () => {
    expect(userPoolEndpoint({ endpoint: undefined, region: "eu-west-1" })).toBe("https://cognito-idp.eu-west-1.amazonaws.com/");
    expect(userPoolEndpoint({ endpoint: "http://127.0.0.1:9229/", region: "eu-west-1" })).toBe("http://127.0.0.1:9229/");
  });
});
