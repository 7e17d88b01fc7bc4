/**
 * Vue 3 host: tags starting with `cognito-` are custom elements (`isCustomElement`), so Vue
 * passes attributes and properties through and `@cognito-signed-in` listens to the DOM event.
 * The pool is set from JavaScript with `configure()` instead of `<cognito-config>`.
 * In an app: `import { configure } from "cognito-elements";`.
 */
import { createApp, ref } from "vue";
import { configure, type CognitoSignedInEvent } from "../../../components/index.ts";
import { readSettings } from "../settings.ts";

const settings = readSettings();
// cognito-local has no SRP: the tests sign in with USER_PASSWORD_AUTH.
configure({ ...settings, authFlow: "USER_PASSWORD_AUTH", storage: "memory" });

const app = createApp({
  setup() {
    const username = ref("");
    const signedIn = (event: CognitoSignedInEvent) => {
      username.value = event.detail.username;
    };
    return { username, signedIn };
  },
  template: `
    <main>
      <cognito-auth-gate>
        <cognito-login slot="signed-out" :signupHref="'/sign-up'" @cognito-signed-in="signedIn"></cognito-login>
        <section>
          <h1>Members area</h1>
          <p data-testid="framework-saw">{{ username ? "vue saw " + username + " sign in" : "" }}</p>
        </section>
      </cognito-auth-gate>
    </main>`,
});
app.config.compilerOptions.isCustomElement = (tag) => tag.startsWith("cognito-");
app.mount("#app");
