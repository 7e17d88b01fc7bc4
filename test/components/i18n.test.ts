/**
 * Languages: opt-in locale modules, chosen by `lang` on the element or an ancestor or by
 * setLocale; Cognito errors and client-side checks rendered in the element's language; elements
 * re-render when any of that changes. Host overrides (setMessages) are in i18n-overrides.test.ts.
 */
import { en, localeOf, setLocale, type Messages } from "../../components/index.ts";
import { de } from "../../components/i18n/locales/de.ts";
import { es } from "../../components/i18n/locales/es.ts";
import { fr } from "../../components/i18n/locales/fr.ts";
import { ja } from "../../components/i18n/locales/ja.ts";
import {
  afterEach, beforeEach, configurePool, describe, equal, errorText, fieldError, fill, freshPool, heading, input, it, mount, ok, server,
  settled, submitButton, unmountAll, waitFor, type Pool,
} from "./support.ts";

function label(root: Element, name: string): string {
  return root.querySelector(`label[for="${input(root, name).id}"]`)?.textContent?.trim() ?? "";
}

/** Mounts `tag` inside a wrapper carrying `lang`, as a page section would. */
function mountIn<K extends keyof HTMLElementTagNameMap>(lang: string, tag: K): HTMLElementTagNameMap[K] {
  const element = mount(tag);
  element.parentElement!.setAttribute("lang", lang);
  return element;
}

/** Every key path of a table, with the kind of value (string or function). */
function shape(table: object, prefix = ""): string[] {
  return Object.entries(table).flatMap(([key, value]) =>
    value && typeof value === "object" ? shape(value, `${prefix}${key}.`) : [`${prefix}${key}:${typeof value}`],
  );
}

describe("languages", () => {
  let pool: Pool;
  beforeEach(async () => {
    pool = await freshPool();
  });
  afterEach(() => {
    unmountAll();
    setLocale(undefined);
    document.documentElement.removeAttribute("lang");
  });

  it("es, fr, de and ja have every key English has, each a non-empty string or a function", () => {
    const english = shape(en).sort();
    for (const [name, table] of Object.entries({ es, fr, de, ja }) as Array<[string, Messages]>) {
      equal(shape(table).sort().join("\n"), english.join("\n"), `${name} keys`);
      for (const [key, value] of Object.entries(table.errors)) ok(typeof value === "string" && value.length > 0, `${name}.errors.${key}`);
      ok(table.login.signedInAs("kim").includes("kim"), `${name} keeps the username`);
    }
  });

  it('shows a wrong password\'s error and the labels in French inside lang="fr"', async () => {
    const user = await server.createUser(pool);
    const login = mountIn("fr", "cognito-login");
    await waitFor(() => login.querySelector("form"), "the sign-in form");
    equal(heading(login), fr.login.title);
    equal(label(login, "password"), fr.fields.password);
    equal(submitButton(login).textContent?.trim(), fr.login.submit);
    fill(login, { username: user.username, password: "Wrong-passw0rd!" });
    submitButton(login).click();
    equal(await settled(login), "error");
    equal(errorText(login), fr.errors.invalid_credentials);
    equal(input(login, "password").getAttribute("aria-invalid"), "true");
  });

  it("follows lang on the element itself, region subtags (fr-CA → fr), and English for an unknown language", async () => {
    const login = mount("cognito-login", { lang: "fr-CA" });
    const other = mountIn("sw", "cognito-login");
    await waitFor(() => login.querySelector("form") && other.querySelector("form"), "both forms");
    equal(localeOf(login), "fr");
    equal(heading(login), fr.login.title);
    equal(heading(other), en.login.title);
  });

  it("re-renders every element when setLocale switches the page's language, and lang still wins", async () => {
    const login = mount("cognito-login");
    const signup = mount("cognito-signup");
    const japanese = mountIn("ja", "cognito-login");
    await waitFor(() => login.querySelector("form") && signup.querySelector("form") && japanese.querySelector("form"), "the forms");
    equal(heading(login), en.login.title);
    setLocale("de");
    await waitFor(() => heading(login) === de.login.title, "German sign-in");
    await waitFor(() => heading(signup) === de.signup.title, "German sign-up");
    equal(label(signup, "password"), de.fields.password);
    equal(heading(japanese), ja.login.title);
    setLocale(undefined);
    await waitFor(() => heading(login) === en.login.title, "English again");
  });

  it("re-renders when lang changes on an ancestor, translating an error already shown", async () => {
    const signup = mountIn("es", "cognito-signup");
    await waitFor(() => signup.querySelector("form"), "the sign-up form");
    submitButton(signup).click();
    equal(await settled(signup), "error");
    equal(fieldError(signup, "username"), es.validation.required(es.fields.username));
    signup.parentElement!.setAttribute("lang", "ja");
    await waitFor(() => fieldError(signup, "username") === ja.validation.required(ja.fields.username), "the error in Japanese");
    equal(heading(signup), ja.signup.title);
  });

  it("translates the login's required-field message already shown when lang changes", async () => {
    const login = mountIn("fr", "cognito-login");
    await waitFor(() => login.querySelector("form"), "the sign-in form");
    submitButton(login).click();
    equal(await settled(login), "error");
    equal(fieldError(login, "username"), fr.validation.required(fr.fields.username));
    login.parentElement!.setAttribute("lang", "de");
    await waitFor(() => fieldError(login, "username") === de.validation.required(de.fields.username), "the error in German");
  });

  it("uses <html lang> when nothing nearer says, below setLocale", async () => {
    document.documentElement.setAttribute("lang", "es");
    const reset = mount("cognito-reset-password");
    await waitFor(() => heading(reset) === es.reset.title, "Spanish from <html lang>");
    setLocale("fr");
    await waitFor(() => heading(reset) === fr.reset.title, "setLocale over <html lang>");
  });

  it("translates the gate's default login and its forbidden message", async () => {
    const gate = mountIn("de", "cognito-auth-gate");
    const login = await waitFor(() => gate.querySelector("cognito-login form") && gate.querySelector("cognito-login"), "the default login");
    equal(heading(login), de.login.title);
    // A signed-in user outside the gate's group sees the default forbidden message, in German too.
    ok(de.gate.forbidden !== en.gate.forbidden, "German has its own forbidden message");
    const user = await server.createUser(pool);
    gate.setAttribute("group", "admin");
    const client = configurePool(pool);
    await client.signIn(user.username, user.password);
    const forbidden = await waitFor(() => (gate.getAttribute("auth-state") === "signed-in" && gate.shadowRoot?.querySelector('[part="forbidden"]')) || null, "the forbidden message");
    equal(forbidden.textContent?.trim(), de.gate.forbidden);
  });
});
