import { LitElement, nothing } from "lit";
import { ConfigError } from "../auth/config.ts";
import { authStore } from "../auth/store.ts";

/**
 * Sets the user pool for every element on the page, like `configure()`. A missing or invalid
 * setting is shown by every element in place of its form, naming the attribute.
 *
 * @tag cognito-config
 * @summary Configure the Cognito user pool for the page.
 *
 * @attr pool-id - User pool id (`eu-west-1_AbC123`). Required.
 * @attr client-id - App client id (public client, no secret). Required.
 * @attr region - AWS region; default: from the pool id.
 * @attr endpoint - Cognito API URL, for a local emulator (`https:` except on loopback).
 * @attr auth-flow - `USER_SRP_AUTH` (default) or `USER_PASSWORD_AUTH`.
 * @attr storage - `local` (default), `session` or `memory`.
 * @attr username-attribute - `email` or `phone_number` when the pool signs in with that; every element asks for it (an element's own attribute wins).
 * @attr api-origins - Origins `authFetch` may send the access token to, space-separated; default: the page's own origin.
 * @attr domain - Hosted UI domain, for `<cognito-login providers>` (`auth.example.com`, `<prefix>.auth.<region>.amazoncognito.com`).
 * @attr redirect-uri - Where the hosted UI returns (one of the app client's callback URLs). Required with `domain`.
 * @attr scopes - OAuth scopes for the hosted UI, space-separated; default `openid email profile`.
 * @attr identity-pool-id - Identity pool id (`eu-west-1:<uuid>`), for `getAwsCredentials()` from `cognito-elements/credentials`.
 * @attr identity-endpoint - cognito-identity URL, for a local emulator (`https:` except on loopback).
 */
export class CognitoConfig extends LitElement {
  static override properties = {
    poolId: { attribute: "pool-id" },
    clientId: { attribute: "client-id" },
    region: {},
    endpoint: {},
    authFlow: { attribute: "auth-flow" },
    storage: {},
    usernameAttribute: { attribute: "username-attribute" },
    apiOrigins: { attribute: "api-origins" },
    domain: {},
    redirectUri: { attribute: "redirect-uri" },
    scopes: {},
    identityPoolId: { attribute: "identity-pool-id" },
    identityEndpoint: { attribute: "identity-endpoint" },
  };

  poolId: string | undefined;
  clientId: string | undefined;
  region: string | undefined;
  endpoint: string | undefined;
  authFlow: string | undefined;
  storage: string | undefined;
  usernameAttribute: string | undefined;
  apiOrigins: string | undefined;
  domain: string | undefined;
  redirectUri: string | undefined;
  scopes: string | undefined;
  identityPoolId: string | undefined;
  identityEndpoint: string | undefined;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected override render(): typeof nothing {
    return nothing;
  }

  // Applied before the first render so elements after this one see the pool at once.
  protected override willUpdate(): void {
    try {
      authStore.configure(
        {
          poolId: this.poolId,
          clientId: this.clientId,
          region: this.region,
          endpoint: this.endpoint,
          authFlow: this.authFlow,
          storage: this.storage,
          usernameAttribute: this.usernameAttribute,
          apiOrigins: this.apiOrigins,
          domain: this.domain,
          redirectUri: this.redirectUri,
          scopes: this.scopes,
          identityPoolId: this.identityPoolId,
          identityEndpoint: this.identityEndpoint,
        },
        "attributes",
      );
    } catch (error) {
      // The store keeps the ConfigError and every element shows it.
      if (!(error instanceof ConfigError)) throw error;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cognito-config": CognitoConfig;
  }
}
