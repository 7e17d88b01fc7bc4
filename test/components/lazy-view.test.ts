/**
 * Forms that load on first use (components/elements/lazy-view.ts): the elements are registered up
 * front, their views arrive before `updateComplete` settles, what was set before the load is used,
 * and a view that cannot load says so in the element's language instead of leaving a blank.
 */
import { LitElement } from "lit";
import { CognitoProfile, CognitoResetPassword, CognitoSignup, en } from "../../components/index.ts";
import { AuthController } from "../../components/elements/auth-controller.ts";
import { LazyView, reactive } from "../../components/elements/lazy-view.ts";
// Importing a locale registers it.
import { de } from "../../components/i18n/locales/de.ts";
import { afterEach, configurePool, equal, freshPool, input, it, describe, mount, ok, unmountAll } from "./support.ts";

/**
 * A stand-in element (a real one's view cannot be made to fail in a bundle): one whose view never loads, as on a page whose chunk went missing (a stale deploy,
 * offline); built as the elements' shells are, with the controller that gives it its language.
 */
class UnloadableForm extends LitElement {
  constructor() {
    super();
    new AuthController(this);
  }

  readonly #view = new LazyView<{ render(): unknown }>(() => Promise.reject(new TypeError("Failed to fetch dynamically imported module")));

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected override scheduleUpdate(): void | Promise<unknown> {
    return this.#view.loading()?.then(() => super.scheduleUpdate()) ?? super.scheduleUpdate();
  }

  protected override render(): unknown {
    return this.#view.render();
  }
}
customElements.define("test-unloadable-form", UnloadableForm);

describe("forms loaded on first use", () => {
  afterEach(unmountAll);

  it("registers sign-up, password reset and the profile up front", () => {
    equal(customElements.get("cognito-signup"), CognitoSignup);
    equal(customElements.get("cognito-reset-password"), CognitoResetPassword);
    equal(customElements.get("cognito-profile"), CognitoProfile);
  });

  it("renders the view before updateComplete settles, with the properties set before it loaded", async () => {
    configurePool(await freshPool());
    const reset = document.createElement("cognito-reset-password");
    reset.prefill = "set-before-load";
    const container = mount("div");
    container.append(reset);
    await reset.updateComplete;
    equal(input(reset, "username").value, "set-before-load");
  });

  it("stand-in element: says the form could not load, in the element's language, when its view fails to load", async () => {
    const form = mount("test-unloadable-form", { lang: "de" });
    await form.updateComplete;
    const alert = form.querySelector('[role="alert"]');
    ok(alert, "an alert instead of a blank");
    equal(alert.textContent?.trim(), de.loadFailed);
    ok(de.loadFailed !== en.loadFailed, "translated");
  });

  it("re-renders the host when a reactive field of a view changes, and not when it is set to the same value", async () => {
    const host = mount("test-unloadable-form");
    await host.updateComplete;
    const view = { step: "first" };
    reactive(view, host, ["step"]);
    view.step = "first";
    equal(host.isUpdatePending, false, "the same value asks for nothing");
    view.step = "second";
    equal(host.isUpdatePending, true, "a new value asks the host to render");
    equal(view.step, "second");
    await host.updateComplete;
  });
});

declare global {
  interface HTMLElementTagNameMap {
    "test-unloadable-form": UnloadableForm;
  }
}

