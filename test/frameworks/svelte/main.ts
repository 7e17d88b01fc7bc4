// In an app: `import "cognito-elements";` (registers every element).
import { mount } from "svelte";
import "../../../components/index.ts";
import { readSettings } from "../settings.ts";
import App from "./App.svelte";

mount(App, { target: document.getElementById("app")!, props: { settings: readSettings() } });
