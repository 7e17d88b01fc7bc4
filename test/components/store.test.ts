/**
 * The store's signed-in snapshot carries every readable attribute: cognito-local's ID token has only
 * email, email_verified and custom ones, so the client completes them with one GetUser, and
 * <cognito-profile> changes reach the snapshot without a reload.
 */
import { AuthError, authStore, en } from "../../components/index.ts";
import {
  afterEach, configurePool, countRequests, describe, equal, fill, freshPool, it, mount, ok, server, submitButton, unmountAll,
  waitFor,
} from "./support.ts";

function attributes(): Readonly<Record<string, string>> {
  const snapshot = authStore.snapshot;
  return snapshot.status === "signed-in" ? snapshot.attributes : {};
}

describe("authStore snapshot attributes", () => {
  afterEach(unmountAll);

  it("shows the ID token's attributes at once and adds GetUser's (name) when it answers", async () => {
    const pool = await freshPool();
    const user = await server.createUser(pool, { attributes: { name: "Pat Example" } });
    const seen: Array<Record<string, string>> = [];
    const stop = authStore.subscribe(() => seen.push({ ...attributes() }));
    try {
      await authStore.client!.signIn(user.username, user.password);
      await waitFor(() => attributes()["name"] === "Pat Example", "the name in the snapshot");
    } finally {
      stop();
    }
    const first = seen.find((values) => Object.keys(values).length > 0)!;
    equal(first["email"], `${user.username}@example.com`, "ID token attributes first");
    equal(first["name"], undefined, "cognito-local's ID token has no name: it came from GetUser");
    equal(attributes()["email"], `${user.username}@example.com`);
  });

  it("completes the attributes after a restore (reload) too", async () => {
    const pool = await freshPool();
    const user = await server.createUser(pool, { attributes: { name: "Restored Name" } });
    await authStore.client!.signIn(user.username, user.password);
    await waitFor(() => attributes()["name"] === "Restored Name", "the name after sign-in");
    // A reload: a new client for the pool (after another pool's) reads the stored session again,
    // with nothing fetched before, so the name has to come from a new GetUser after restore().
    const other = await server.createPool();
    configurePool(other);
    await waitFor(() => authStore.snapshot.status === "signed-out", "the other pool, signed out");
    const seen: Array<{ status: string; name?: string }> = [];
    const stop = authStore.subscribe(() => seen.push({ status: authStore.snapshot.status, ...attributes() }));
    const requests = countRequests();
    try {
      configurePool(pool);
      await waitFor(() => attributes()["name"] === "Restored Name", "the name after restore");
    } finally {
      stop();
      requests.restore();
    }
    equal(requests.targets.filter((target) => target === "GetUser").length, 1, "one GetUser after the restore");
    const restored = seen.find((values) => values.status === "signed-in");
    equal(restored?.name, undefined, "the restored session shows the ID token's attributes first");
  });

  it("shares one attribute read between the sign-in and <cognito-profile>", async () => {
    const pool = await freshPool();
    const user = await server.createUser(pool, { attributes: { name: "Shared Read" } });
    const profile = mount("cognito-profile");
    const requests = countRequests();
    try {
      await authStore.client!.signIn(user.username, user.password);
      await waitFor(() => profile.querySelector<HTMLInputElement>('input[name="name"]')?.value === "Shared Read", "the profile's name");
      await waitFor(() => profile.querySelector(".mfa")?.textContent?.trim(), "the profile's MFA state");
      await waitFor(() => attributes()["name"] === "Shared Read", "the name in the snapshot");
    } finally {
      requests.restore();
    }
    // Both are GetUser on the wire: the attributes (once, for both) and the profile's fresh MFA settings.
    equal(requests.targets.filter((target) => target === "GetUser").length, 2);
  });

  it("keeps the ID token's attributes when GetUser fails", async () => {
    const pool = await freshPool();
    const user = await server.createUser(pool, { attributes: { name: "Never Fetched" } });
    const original = window.fetch;
    let refused = 0;
    window.fetch = (resource, init) => {
      if (new Headers(init?.headers).get("x-amz-target")?.endsWith(".GetUser")) {
        refused++;
        return Promise.resolve(new Response(JSON.stringify({ __type: "InternalErrorException" }), { status: 500 }));
      }
      return original(resource, init);
    };
    try {
      const client = authStore.client!;
      await client.signIn(user.username, user.password);
      await waitFor(() => refused > 0, "the GetUser attempt");
      // The sign-in's read, if still in flight (reads are shared), else a new one: either way refused.
      const read = await client.getAttributes().then(() => "resolved", (error: unknown) => (error instanceof AuthError ? "refused" : String(error)));
      equal(read, "refused");
      equal(authStore.snapshot.status, "signed-in");
      equal(attributes()["email"], `${user.username}@example.com`);
      equal(attributes()["name"], undefined);
    } finally {
      window.fetch = original;
    }
  });

  it("reflects a name saved in <cognito-profile> without a reload", async () => {
    const pool = await freshPool();
    const user = await server.createUser(pool, { attributes: { name: "Before Change" } });
    await authStore.client!.signIn(user.username, user.password);
    await waitFor(() => attributes()["name"] === "Before Change", "the first name");
    const profile = mount("cognito-profile");
    await waitFor(() => profile.querySelector<HTMLInputElement>('input[name="name"]')?.value === "Before Change", "the profile form");
    fill(profile, { name: "After Change" });
    submitButton(profile).click();
    await waitFor(() => profile.textContent?.includes(en.profile.saved), "saved");
    await waitFor(() => attributes()["name"] === "After Change", "the new name in the snapshot");
  });

  it("reflects a verified email after <cognito-profile> verifies it", async () => {
    const pool = await freshPool();
    await server.call("UpdateUserPool", { UserPoolId: pool.poolId, AutoVerifiedAttributes: ["email"] });
    const user = await server.createUser(pool, { attributes: { name: "Email Changer" } });
    await authStore.client!.signIn(user.username, user.password);
    const profile = mount("cognito-profile");
    await waitFor(() => profile.querySelector<HTMLInputElement>('input[name="email"]')?.value, "the profile form");
    fill(profile, { email: "new-address@example.com" });
    submitButton(profile).click();
    await waitFor(() => profile.querySelector('input[name="code"]'), "the verification step");
    await waitFor(() => attributes()["email"] === "new-address@example.com", "the new email in the snapshot");
    fill(profile, { code: "123456" });
    submitButton(profile).click();
    await waitFor(() => attributes()["email_verified"] === "true", "verified in the snapshot");
    ok(attributes()["name"] === "Email Changer");
  });
});
