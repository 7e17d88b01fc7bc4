/**
 * One stylesheet for every element, adopted by the document once. Elements render into the light
 * DOM (password managers need real forms), so the rules sit in `@layer cognito-elements`: any
 * unlayered host rule wins without `!important`. The card's shape alone sits outside the layer,
 * behind `:where()` (SHAPE, below). Theme through `--cognito-*` properties.
 */

export const TAGS = [
  "cognito-login",
  "cognito-signup",
  "cognito-sign-out",
  "cognito-reset-password",
  "cognito-profile",
  "cognito-auth-gate",
] as const;

const ALL = `:is(${TAGS.join(",")})`;
// The gate wraps the host's own content: it defines the properties but sets no colour or font.
const OWN = `:is(${TAGS.filter((tag) => tag !== "cognito-auth-gate").join(",")})`;

// Private `--_*` copies read the public properties with a default, so a page can set
// `--cognito-*` on :root or on one element, and the dark defaults still apply when it does not.
// Colours meet WCAG AA on both schemes: text 4.5:1, input borders and focus 3:1 (1.4.11).
// Text shown outside a form (signed in as, status, config error) sits on the elements' own
// background too, so the dark scheme stays legible on a page that is light. A transparent
// outline keeps focus visible in forced-colors mode, where box-shadow is dropped. Before the
// script runs, a gate's protected children are plain light DOM: `:not(:defined)` hides them.
// (No CSS comments below: they would ship in the bundle.)
const BASE = `\
${ALL}{--_text:var(--cognito-color-text,#1f2328);\
--_muted:var(--cognito-color-muted,#59636e);\
--_bg:var(--cognito-color-background,#ffffff);\
--_border:var(--cognito-color-border,#d1d9e0);\
--_input-bg:var(--cognito-color-input-background,#ffffff);\
--_input-border:var(--cognito-color-input-border,#818b98);\
--_accent:var(--cognito-color-accent,#0969da);\
--_on-accent:var(--cognito-color-on-accent,#ffffff);\
--_error:var(--cognito-color-error,#cf222e);\
--_success:var(--cognito-color-success,#1a7f37);\
--_radius:var(--cognito-radius,6px);\
--_border-width:var(--cognito-border-width,1px);\
--_space:var(--cognito-spacing,0.75rem);\
--_pad:var(--cognito-control-padding,0.5rem 0.75rem);\
--_max:var(--cognito-max-width,24rem);\
--_font:var(--cognito-font,system-ui,-apple-system,"Segoe UI",sans-serif);\
--_mono:var(--cognito-font-mono,ui-monospace,"SF Mono",Menlo,monospace);\
--_heading:var(--cognito-heading-size,1.25rem);\
--_strong:var(--cognito-font-weight-strong,600);\
--_dim:var(--cognito-disabled-opacity,0.6);\
--_focus:var(--cognito-focus-ring,0 0 0 3px color-mix(in srgb,var(--_accent) 45%,transparent));display:block}\
${OWN}{font-family:var(--_font);color:var(--_text)}\
@media (prefers-color-scheme:dark){${ALL}{--_text:var(--cognito-color-text,#e6edf3);\
--_muted:var(--cognito-color-muted,#9198a1);\
--_bg:var(--cognito-color-background,#151b23);\
--_border:var(--cognito-color-border,#3d444d);\
--_input-bg:var(--cognito-color-input-background,#0d1117);\
--_input-border:var(--cognito-color-input-border,#7d8590);\
--_accent:var(--cognito-color-accent,#4493f8);\
--_on-accent:var(--cognito-color-on-accent,#0d1117);\
--_error:var(--cognito-color-error,#f85149);\
--_success:var(--cognito-color-success,#3fb950)}}\
${ALL} form,${ALL} .panel,${OWN} > p:is(.status,.signed-in,.config-error){display:grid;gap:var(--_space);max-inline-size:var(--_max);padding:calc(var(--_space) * 1.5);background:var(--_bg);border:var(--_border-width) solid var(--_border);border-radius:var(--_radius)}\
${ALL} .field{display:grid;gap:0.25rem}\
${ALL} input{font:inherit;color:var(--_text);background:var(--_input-bg);padding:var(--_pad);border:var(--_border-width) solid var(--_input-border);border-radius:var(--_radius)}\
${ALL} input[aria-invalid="true"]{border-color:var(--_error)}\
${ALL} :is(input,button,a):focus-visible{outline:2px solid transparent;box-shadow:var(--_focus)}\
${ALL} button:not(.link){font:inherit;font-weight:var(--_strong);padding:var(--_pad);color:var(--_on-accent);background:var(--_accent);border:var(--_border-width) solid var(--_accent);border-radius:var(--_radius);cursor:pointer}\
${ALL} button:disabled{opacity:var(--_dim);cursor:progress}\
${ALL} .links{display:flex;flex-wrap:wrap;gap:var(--_space)}\
${ALL} .error:empty{display:none}\
${ALL} .config-error{color:var(--_error)}\
${ALL} .rules ul{margin:0.25rem 0 0;padding-inline-start:1.25rem}\
${ALL} .rules li.unmet{color:var(--_muted)}\
${ALL} .rules li.met::marker{content:"✓ "}\
${ALL} .visually-hidden{position:absolute;inline-size:1px;block-size:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}\
cognito-auth-gate:not(:defined){display:none}\
${ALL} .secret{font-family:var(--_mono);overflow-wrap:anywhere}\
${ALL} .qr{inline-size:12rem;block-size:auto}\
${ALL} .control{position:relative;display:grid}\
${ALL} .success{color:var(--_success);font-weight:var(--_strong)}\
${ALL} .divider{display:flex;align-items:center;gap:var(--_space);color:var(--_muted)}\
${ALL} .divider::before,${ALL} .divider::after{content:"";flex:1;border-block-start:var(--_border-width) solid var(--_border)}\
${ALL} .key{display:flex;flex-wrap:wrap;align-items:center;gap:var(--_space)}\
${ALL} .actions{display:flex;flex-wrap:wrap;gap:var(--_space)}\
${ALL} .passkeys ul{display:grid;gap:var(--_space);padding:0}\
${ALL} .passkeys li{display:grid;grid-template-columns:1fr auto;align-items:center;gap:0 var(--_space)}\
${ALL} .passkeys li > .name{font-weight:var(--_strong)}\
${ALL} .passkeys .hint > span{white-space:nowrap}\
${ALL} .passkeys li > button{grid-column:2;grid-row:1 / span 2}\
${ALL} .passkeys li > :is(p,.actions){grid-column:1 / -1;margin-block-start:calc(var(--_space) / 2)}\
${ALL} .status:empty{display:none}`;

// Outside the layer, behind :where() (which adds no specificity): the card's shape and the parts a
// person reads it by (labels, each field's error, the show-password eye, text links, which button
// is the main one and which one deletes, the spacing between buttons). A page's global rules, even
// a classless stylesheet's `p`, `label`, `input` or `[type=button]` rules, which any layered rule
// would lose to, no longer reshape it; a rule that names the element (`cognito-login h2`,
// `cognito-login .link`) still wins. Buttons are matched with `[type]` (all of ours have one) to
// outweigh a stylesheet's `[type=button]`.
const W = `:where(${TAGS.join(",")})`;
const SHAPE = `\
${W} :is(h2,p,ul,label){margin:0}\
${W} h2{font-size:var(--_heading);line-height:1.25;font-weight:var(--_strong)}\
${W} :is(p,label,li){font-size:1rem;line-height:1.5}\
${W} label{font-weight:var(--_strong)}\
${W} .field input{margin:0}\
${W} .field-error,${W} .error{color:var(--_error);font-weight:var(--_strong)}\
${W} .control input{padding-inline-end:2.75rem}\
${W} .reveal{position:absolute;inset-block:0;inset-inline-end:0;inline-size:2.75rem;block-size:auto;margin:0;display:grid;place-items:center;padding:0;color:var(--_muted);background:none;border:none;border-radius:var(--_radius);box-shadow:none}\
${W} .reveal svg{inline-size:1.25rem;block-size:1.25rem;fill:none;stroke:currentColor;stroke-width:1.5;stroke-linecap:round}\
${W} button[type]{margin:0}\
${W} button.secondary[type]{color:var(--_accent);background:transparent;border-color:var(--_accent)}\
${W} button.danger[type]{color:var(--_on-accent);background:var(--_error);border-color:var(--_error)}\
${W} .passkeys :is(ul,li){margin:0;list-style:none}\
${W} .link{inline-size:auto;margin:0;font:inherit;color:var(--_accent);background:none;border:none;padding:0;text-decoration:underline;cursor:pointer;box-shadow:none}\
${W} :is(.link,.reveal):focus-visible{box-shadow:var(--_focus)}\
${W} .reveal:hover{color:var(--_text)}\
${W} :is(.hint,.status){color:var(--_muted)}\
${W} .rules li.met{color:var(--_success)}\
${W} .key .secret{padding:0;font-family:var(--_mono);font-size:1.125rem;letter-spacing:0.05em;color:var(--_text);background:none}`;

const fragments = new Map<string, string>([["base", BASE]]);
let sheet: CSSStyleSheet | undefined;
let applied = "";

/** Adds an element's own rules (once) and makes sure the document has adopted the sheet. */
export function adoptStyles(name: string, rules: string): void {
  if (typeof document === "undefined" || typeof CSSStyleSheet === "undefined") return;
  if (!fragments.has(name)) fragments.set(name, rules);
  if (!sheet) {
    sheet = new CSSStyleSheet();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }
  const text = `@layer cognito-elements {\n${[...fragments.values()].join("\n")}\n}\n${SHAPE}`;
  if (text !== applied) {
    sheet.replaceSync(text);
    applied = text;
  }
}
