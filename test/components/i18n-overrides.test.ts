/**
 * Host overrides of single strings (setMessages). Overrides add up and cannot be taken back (setting
 * English values again would put English into every other locale), so they are set only here: each
 * test file runs in a page of its own.
 */
import { en, messages, setMessages } from "../../components/index.ts";
import { fr } from "../../components/i18n/locales/fr.ts";
import {
  afterEach, describe, equal, errorText, fill, freshPool, heading, it, mount, server, settled, submitButton, unmountAll, waitFor,
} from "./support.ts";

describe("message overrides", () => {
  afterEach(unmountAll);

  it("a general override reaches every locale; a locale's own override wins there only", async () => {
    const pool = await freshPool();
    const user = await server.createUser(pool);
    const login = mount("cognito-login");
    const french = mount("cognito-login");
    french.parentElement!.setAttribute("lang", "fr");
    await waitFor(() => login.querySelector("form") && french.querySelector("form"), "the forms");
    equal(heading(french), fr.login.title, "French before any override");

    setMessages({ login: { submit: "Log in" }, errors: { invalid_credentials: "Nope." } });
    await waitFor(() => submitButton(login).textContent?.trim() === "Log in", "the overridden label in English");
    await waitFor(() => submitButton(french).textContent?.trim() === "Log in", "the overridden label in French too");
    equal(heading(login), en.login.title, "the rest stays English");
    equal(heading(french), fr.login.title, "the rest stays French");
    fill(french, { username: user.username, password: "Wrong-passw0rd" });
    submitButton(french).click();
    equal(await settled(french), "error");
    equal(errorText(french), "Nope.", "the overridden Cognito error, in the French element");
    equal(messages("en").errors.invalid_credentials, "Nope.");

    setMessages({ login: { submit: "Entrer" } }, "fr");
    await waitFor(() => submitButton(french).textContent?.trim() === "Entrer", "the French override");
    equal(submitButton(login).textContent?.trim(), "Log in", "English keeps the general override");
    equal(messages("fr").errors.invalid_credentials, "Nope.", "the general override still applies where French has none");
    equal(messages("fr").login.title, fr.login.title);
  });
});
