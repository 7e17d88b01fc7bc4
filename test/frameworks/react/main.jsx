// React 19 host: custom elements take attributes (dashed names), properties (camelCase names
// the element defines) and `on<event-name>` listeners natively, with no wrapper.
// In an app: `import "cognito-elements";` (registers every element).
import { useState } from "react";
import { createRoot } from "react-dom/client";
import "../../../components/index.ts";
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
        <cognito-login slot="signed-out" signupHref="/sign-up" oncognito-signed-in={(event) => setUsername(event.detail.username)}></cognito-login>
        <section>
          <h1>Members area</h1>
          <p data-testid="framework-saw">{username ? `react saw ${username} sign in` : ""}</p>
        </section>
      </cognito-auth-gate>
    </main>
  );
}

createRoot(document.getElementById("app")).render(<App />);
