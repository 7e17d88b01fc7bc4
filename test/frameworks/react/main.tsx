// React 19 + TypeScript host: main.jsx again, type-checked by `npm run typecheck` (tsconfig.json
// has `"jsx": "react-jsx"`). The JSX types come from one import; every attribute, property and
// `oncognito-*` handler below is checked against the element classes and the event map.
// In an app: `import "cognito-elements";` and `import "cognito-elements/react";`.
import { useState } from "react";
import { createRoot } from "react-dom/client";
import "../../../components/index.ts";
import "../../../components/react.ts";
import { readSettings } from "../settings.ts";

const settings = readSettings();

function App() {
  const [username, setUsername] = useState("");
  return (
    <main>
      {/* cognito-local has no SRP: the tests sign in with USER_PASSWORD_AUTH. */}
      <cognito-config
        pool-id={settings.poolId}
        client-id={settings.clientId}
        endpoint={settings.endpoint}
        auth-flow="USER_PASSWORD_AUTH"
        storage="memory"
      ></cognito-config>
      <cognito-auth-gate>
        <cognito-login
          slot="signed-out"
          signupHref="/sign-up"
          oncognito-signed-in={(event) => setUsername(event.detail.username)}
        ></cognito-login>
        <section>
          <h1>Members area</h1>
          <p data-testid="framework-saw">{username ? `react-tsx saw ${username} sign in` : ""}</p>
        </section>
      </cognito-auth-gate>
    </main>
  );
}

const app = document.getElementById("app");
if (!app) throw new Error("the page has no #app");
createRoot(app).render(<App />);
