/**
 * Theming: every visual value is a `--cognito-*` property (each one, set on a page, changes what
 * it names), defaults differ in the dark scheme, and the elements' rules sit in
 * `@layer cognito-elements`, so any plain host rule (outside a layer, no !important, even a less
 * specific one) wins.
 */
import { emulateMedia, sendKeys } from "@web/test-runner-commands";
import { configure } from "../../components/index.ts";
import { afterEach, beforeEach, describe, equal, fill, it, mount, ok, settled, submitButton, unmountAll, waitFor } from "./support.ts";

type Signup = HTMLElementTagNameMap["cognito-signup"];

const hostStyles: HTMLStyleElement[] = [];
function hostCss(css: string): void {
  const style = document.createElement("style");
  style.textContent = css;
  document.head.append(style);
  hostStyles.push(style);
}

function computed(root: Element, selector: string, property: string): string {
  const element = root.querySelector(selector);
  if (!element) throw new Error(`no ${selector}`);
  return getComputedStyle(element).getPropertyValue(property);
}

/** A sign-up form showing an error (password field invalid) and one met password rule. */
async function signupWithError(): Promise<Signup> {
  const signup = mount("cognito-signup", { fields: "email", "required-fields": "" });
  await waitFor(() => signup.querySelector("form"), "the sign-up form");
  fill(signup, { username: "someone", password: "a" });
  submitButton(signup).click();
  equal(await settled(signup), "error");
  const secret = document.createElement("span");
  secret.className = "secret";
  secret.textContent = "JBSWY3DPEHPK3PXP";
  signup.append(secret);
  return signup;
}

describe("theming", () => {
  beforeEach(() => {
    localStorage.clear();
    configure({ poolId: "eu-west-1_AbC123", clientId: "abc123", storage: "memory" });
  });
  afterEach(async () => {
    unmountAll();
    for (const style of hostStyles.splice(0)) style.remove();
    await emulateMedia({ colorScheme: "light" });
  });

  it("puts every rule in @layer cognito-elements but the card's shape, which has no specificity of its own", () => {
    mount("cognito-login");
    const rules = document.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules]);
    const layers = rules.filter((rule) => rule instanceof CSSLayerBlockRule);
    equal(layers.map((layer) => (layer as CSSLayerBlockRule).name).join(), "cognito-elements");
    const unlayered = rules.filter((rule) => !(rule instanceof CSSLayerBlockRule)) as CSSStyleRule[];
    ok(unlayered.length > 0);
    for (const rule of unlayered) ok(rule.selectorText.startsWith(":where(cognito-login"), `outside the layer only behind :where(): ${rule.selectorText}`);
  });

  it("lets a plain host rule win, outside any layer and without !important, even when less specific", async () => {
    const login = mount("cognito-login");
    await waitFor(() => login.querySelector("form"), "the sign-in form");
    hostCss(`
      cognito-login button { background: rgb(1, 2, 3); }
      input { border-radius: 0px; }
      cognito-login h2 { font-size: 31px; }
    `);
    equal(computed(login, 'button[type="submit"]', "background-color"), "rgb(1, 2, 3)");
    equal(computed(login, 'input[name="username"]', "border-top-left-radius"), "0px");
    equal(computed(login, "h2", "font-size"), "31px");
  });

  it("keeps the card's shape on a page whose global h2 and p rules set margins and sizes", async () => {
    const login = mount("cognito-login");
    await waitFor(() => login.querySelector("form"), "the sign-in form");
    const before = ["margin-top", "font-size"].map((css) => computed(login, "h2", css));
    hostCss(`
      h2 { margin: 50px 0 20px; font-size: 40px; line-height: 3; }
      p, label { margin: 0 0 24px; font-size: 22px; }
    `);
    equal(["margin-top", "font-size"].map((css) => computed(login, "h2", css)).join(), before.join(), "the heading keeps its margin and size");
    equal(computed(login, "label", "margin-bottom"), "0px", "labels keep theirs");
  });

  it("keeps secondary and danger buttons told apart from the main one, and evenly spaced, on a page that styles every [type=button]", async () => {
    const profile = mount("cognito-profile");
    profile.append(Object.assign(document.createElement("form"), { className: "probe" }));
    const probe = profile.querySelector("form.probe")!;
    probe.innerHTML = '<button type="submit">Main</button><button type="button" class="secondary">Other</button><button type="button" class="danger">Delete</button>';
    const before = ["secondary", "danger"].map((kind) => computed(probe, `button.${kind}`, "background-color"));
    // Pico CSS and other classless sheets: every button filled with the page's colour, a margin under each.
    hostCss(`
      button, [type=submit], [type=button] { background-color: rgb(1, 2, 3); margin-bottom: 16px; }
    `);
    equal(computed(probe, 'button[type="submit"]', "background-color"), "rgb(1, 2, 3)", "the main button takes the page's colour");
    equal(["secondary", "danger"].map((kind) => computed(probe, `button.${kind}`, "background-color")).join(), before.join(), "the others keep theirs");
    ok(before[0] !== before[1], "secondary and danger differ");
    for (const selector of ['button[type="submit"]', "button.secondary", "button.danger"]) equal(computed(probe, selector, "margin-bottom"), "0px", selector);
  });

  it("takes --cognito-color-accent from :root, in the light and the dark scheme", async () => {
    const login = mount("cognito-login");
    await waitFor(() => login.querySelector("form"), "the sign-in form");
    const button = 'button[type="submit"]';
    equal(computed(login, button, "background-color"), "rgb(9, 105, 218)", "light default");
    await emulateMedia({ colorScheme: "dark" });
    equal(computed(login, button, "background-color"), "rgb(68, 147, 248)", "dark default");
    hostCss(":root { --cognito-color-accent: rgb(10, 20, 30); }");
    equal(computed(login, button, "background-color"), "rgb(10, 20, 30)", "host accent in dark");
    await emulateMedia({ colorScheme: "light" });
    equal(computed(login, button, "background-color"), "rgb(10, 20, 30)", "host accent in light");
  });

  it("has a dark default for every colour", async () => {
    const signup = await signupWithError();
    const probes: Array<[string, string]> = [
      ["label", "color"],
      [".rules .hint", "color"],
      ["form", "background-color"],
      ["form", "border-top-color"],
      ['input[name="username"]', "background-color"],
      ['input[name="username"]', "border-top-color"],
      ['button[type="submit"]', "background-color"],
      ['button[type="submit"]', "color"],
      [".error", "color"],
      [".rules li.met", "color"],
    ];
    const light = probes.map(([selector, property]) => computed(signup, selector, property));
    await emulateMedia({ colorScheme: "dark" });
    const dark = probes.map(([selector, property]) => computed(signup, selector, property));
    probes.forEach(([selector, property], i) => ok(light[i] !== dark[i], `${selector} ${property} differs in dark (${light[i]})`));
  });

  it("changes what each --cognito-* property names", async () => {
    const signup = await signupWithError();
    const disabled = document.createElement("button");
    disabled.disabled = true;
    disabled.className = "probe-disabled";
    signup.append(disabled);
    const cases: Array<[property: string, value: string, selector: string, css: string, expected?: string]> = [
      ["--cognito-color-text", "rgb(1, 1, 1)", "label", "color"],
      ["--cognito-color-muted", "rgb(2, 2, 2)", ".rules .hint", "color"],
      ["--cognito-color-background", "rgb(3, 3, 3)", "form", "background-color"],
      ["--cognito-color-border", "rgb(4, 4, 4)", "form", "border-top-color"],
      ["--cognito-color-input-background", "rgb(5, 5, 5)", 'input[name="username"]', "background-color"],
      ["--cognito-color-input-border", "rgb(6, 6, 6)", 'input[name="username"]', "border-top-color"],
      ["--cognito-color-accent", "rgb(7, 7, 7)", 'button[type="submit"]', "background-color"],
      ["--cognito-color-on-accent", "rgb(8, 8, 8)", 'button[type="submit"]', "color"],
      ["--cognito-color-error", "rgb(9, 9, 9)", ".error", "color"],
      ["--cognito-color-success", "rgb(10, 10, 10)", ".rules li.met", "color"],
      ["--cognito-font", "Georgia", "label", "font-family"],
      ["--cognito-font-mono", "Courier", ".secret", "font-family"],
      ["--cognito-heading-size", "30px", "h2", "font-size"],
      ["--cognito-font-weight-strong", "800", "label", "font-weight"],
      ["--cognito-spacing", "13px", "form", "row-gap"],
      ["--cognito-control-padding", "7px 9px", 'input[name="username"]', "padding-left", "9px"],
      ["--cognito-max-width", "300px", "form", "max-width"],
      ["--cognito-radius", "11px", "form", "border-top-left-radius"],
      ["--cognito-border-width", "4px", "form", "border-top-width"],
      ["--cognito-disabled-opacity", "0.25", ".probe-disabled", "opacity"],
    ];
    for (const [property, value, selector, css, expected] of cases) {
      const before = computed(signup, selector, css);
      signup.style.setProperty(property, value);
      equal(computed(signup, selector, css), expected ?? value, property);
      signup.style.removeProperty(property);
      equal(computed(signup, selector, css), before, `${property} removed`);
    }
    signup.style.setProperty("--cognito-focus-ring", "rgb(5, 6, 7) 0px 0px 0px 5px");
    // A key press first: focus from the keyboard is what :focus-visible draws the ring for.
    await sendKeys({ press: "Shift" });
    signup.querySelector<HTMLInputElement>('input[name="username"]')!.focus();
    equal(computed(signup, 'input[name="username"]', "box-shadow"), "rgb(5, 6, 7) 0px 0px 0px 5px", "--cognito-focus-ring");
  });

  it("draws the focus ring on text links and the show-password button too, from the keyboard", async () => {
    const login = mount("cognito-login");
    await waitFor(() => login.querySelector("form"), "the sign-in form");
    login.style.setProperty("--cognito-focus-ring", "rgb(5, 6, 7) 0px 0px 0px 5px");
    await sendKeys({ press: "Shift" });
    for (const selector of ["button.reveal", "button.link"]) {
      login.querySelector<HTMLButtonElement>(selector)!.focus();
      equal(computed(login, selector, "box-shadow"), "rgb(5, 6, 7) 0px 0px 0px 5px", selector);
    }
  });

  it("themes one element without touching its neighbours", async () => {
    const themed = mount("cognito-login");
    const plain = mount("cognito-login");
    await waitFor(() => themed.querySelector("form") && plain.querySelector("form"), "both forms");
    themed.style.setProperty("--cognito-color-accent", "rgb(200, 0, 100)");
    equal(computed(themed, 'button[type="submit"]', "background-color"), "rgb(200, 0, 100)");
    equal(computed(plain, 'button[type="submit"]', "background-color"), "rgb(9, 105, 218)");
  });
});
