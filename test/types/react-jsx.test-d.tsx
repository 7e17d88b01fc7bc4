/**
 * Type test (checked by `npm run typecheck`, never executed): components/react.ts types every
 * `<cognito-*>` tag for React 19's JSX from the element classes and the event map (issue 14,
 * finding 12). test/e2e/react-types.test.ts repeats the core of this against the packed `.d.ts`.
 */
import { useRef } from "react";
import { expectTypeOf } from "vitest";
import type {
  CognitoErrorEvent,
  CognitoLogin,
  CognitoNavigateEvent,
  CognitoProfileUpdatedEvent,
  CognitoSignedInEvent,
  CognitoSignedOutEvent,
} from "../../components/index.ts";
import type { CognitoElementProps, CognitoIntrinsicElements } from "../../components/react.ts";

// Every tag in the tag map, and only those.
expectTypeOf<keyof CognitoIntrinsicElements>().toEqualTypeOf<
  | "cognito-auth-gate"
  | "cognito-config"
  | "cognito-login"
  | "cognito-profile"
  | "cognito-reset-password"
  | "cognito-sign-out"
  | "cognito-signup"
>();

// Dashed attributes and camelCase properties, typed from the class's fields.
type LoginProps = CognitoElementProps<CognitoLogin>;
expectTypeOf<LoginProps["username-attribute"]>().toEqualTypeOf<"email" | "phone_number" | undefined>();
expectTypeOf<LoginProps["usernameAttribute"]>().toEqualTypeOf<"email" | "phone_number" | undefined>();
expectTypeOf<LoginProps["hosted-ui"]>().toEqualTypeOf<boolean | undefined>();
expectTypeOf<LoginProps["providers"]>().toEqualTypeOf<string | undefined>();
expectTypeOf<CognitoElementProps<HTMLElementTagNameMap["cognito-signup"]>["password-min-length"]>().toEqualTypeOf<number | undefined>();
// Private state and LitElement's members are not props.
expectTypeOf<LoginProps>().not.toHaveProperty("step");
expectTypeOf<LoginProps>().not.toHaveProperty("renderRoot");
expectTypeOf<LoginProps>().not.toHaveProperty("requestUpdate");

function Page() {
  const login = useRef<CognitoLogin>(null);
  return (
    <>
      <cognito-config
        pool-id="eu-west-1_Example1"
        client-id="client"
        auth-flow="USER_PASSWORD_AUTH"
        storage="memory"
      />
      <cognito-login
        ref={login}
        slot="signed-out"
        className="login"
        username-attribute="email"
        signupHref="/sign-up"
        hosted-ui
        oncognito-signed-in={(event) => {
          expectTypeOf(event).toEqualTypeOf<CognitoSignedInEvent>();
          expectTypeOf(event.detail.username).toEqualTypeOf<string>();
        }}
        oncognito-navigate={(event) => {
          expectTypeOf(event).toEqualTypeOf<CognitoNavigateEvent>();
          event.preventDefault();
        }}
        oncognito-error={(event) => expectTypeOf(event).toEqualTypeOf<CognitoErrorEvent>()}
      />
      <cognito-signup password-min-length={12} sign-in-after-confirm required-fields="name" />
      <cognito-profile oncognito-profile-updated={(event) => expectTypeOf(event).toEqualTypeOf<CognitoProfileUpdatedEvent>()} />
      {/* Events bubble: an ancestor element hears its children's. */}
      <cognito-auth-gate group="admins" oncognito-signed-out={(event) => expectTypeOf(event).toEqualTypeOf<CognitoSignedOutEvent>()}>
        <p>Members area</p>
      </cognito-auth-gate>
      <cognito-sign-out />
      <cognito-reset-password prefill="someone@example.com" signin-href="/sign-in" />

      {/* @ts-expect-error the value is "email" or "phone_number" */}
      <cognito-login username-attribute="mail" />
      {/* @ts-expect-error a number, not a string */}
      <cognito-signup passwordMinLength="twelve" />
      {/* @ts-expect-error `signUpHref` is not a property: `signupHref` is */}
      <cognito-login signUpHref="/sign-up" />
      {/* @ts-expect-error private state is not a prop */}
      <cognito-login step="credentials" />
      <cognito-login
        // @ts-expect-error the detail names the user and carries nothing else (never a password)
        oncognito-signed-in={(event: CognitoSignedInEvent) => event.detail.password}
      />
      {/* @ts-expect-error the handler gets the event, not its detail */}
      <cognito-login oncognito-signed-in={(detail: { username: number }) => detail.username} />
      {/* @ts-expect-error an unknown tag is still an error */}
      <cognito-logn />
    </>
  );
}
export { Page };
