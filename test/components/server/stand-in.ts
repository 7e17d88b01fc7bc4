/**
 * A small recorded stand-in for the two Cognito operations cognito-local lacks
 * (ResendConfirmationCode, GlobalSignOut). It answers them with responses recorded from the AWS
 * API reference shapes, records each call, and forwards every other operation to cognito-local,
 * so a flow can run end to end against one endpoint.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CORS, readBody } from "../../../dev/json-api.ts";

export interface StandInCall {
  readonly target: string;
  readonly body: Record<string, unknown>;
}

// Recorded response shapes (AWS Cognito API reference: ResendConfirmationCode, GlobalSignOut).
const RECORDED: Readonly<Record<string, unknown>> = {
  ResendConfirmationCode: { CodeDeliveryDetails: { AttributeName: "email", DeliveryMedium: "EMAIL", Destination: "s***@e***" } },
  GlobalSignOut: {},
};



export interface StandIn {
  readonly endpoint: string;
  readonly calls: StandInCall[];
  stop(): Promise<void>;
}

export async function startStandIn(upstream: string): Promise<StandIn> {
  const calls: StandInCall[] = [];
  const server: Server = createServer(async (request, response) => {
    if (request.method === "OPTIONS") {
      response.writeHead(204, CORS).end();
      return;
    }
    const body = await readBody(request);
    const target = String(request.headers["x-amz-target"] ?? "").split(".").pop() ?? "";
    if (target in RECORDED) {
      calls.push({ target, body: body ? JSON.parse(body) : {} });
      response.writeHead(200, { ...CORS, "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(RECORDED[target]));
      return;
    }
    const forwarded = await fetch(upstream, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": String(request.headers["x-amz-target"] ?? "") },
      body,
    });
    response.writeHead(forwarded.status, { ...CORS, "content-type": "application/x-amz-json-1.1" }).end(await forwarded.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/`,
    calls,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
