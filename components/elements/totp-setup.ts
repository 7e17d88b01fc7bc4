/**
 * The authenticator-app key that the profile's TOTP setup and the login's MFA_SETUP step both
 * show: a QR code of the `otpauth://` URI, drawn here as SVG (the secret never goes to a QR
 * service), and the secret as text for manual entry.
 */
import { html, nothing, svg, type ReactiveControllerHost, type TemplateResult } from "lit";
import { messages } from "../i18n/messages.ts";

/** Key Uri Format (google/google-authenticator wiki): label `issuer:account`, issuer repeated as a parameter. */
export function otpauthUri(issuer: string, account: string, secret: string): string {
  const enc = encodeURIComponent;
  return `otpauth://totp/${enc(issuer)}:${enc(account)}?secret=${enc(secret)}&issuer=${enc(issuer)}`;
}

/** The issuer an authenticator app lists the account under when the page names none. */
export function defaultIssuer(): string {
  return globalThis.location?.hostname || "cognito-elements";
}

interface Drawn {
  readonly uri: string;
  readonly waiting: Set<ReactiveControllerHost>;
  path?: string;
  size?: number;
}

// One setup at a time on a page: keep the last code drawn.
let drawn: Drawn | undefined;

async function draw(entry: Drawn): Promise<void> {
  // Loaded on first use only: most visits never open TOTP setup.
  const { generate } = await import("lean-qr/nano");
  const code = generate(entry.uri);
  let path = "";
  for (let y = 0; y < code.size; y++) for (let x = 0; x < code.size; x++) if (code.get(x, y)) path += `M${x} ${y}h1v1h-1z`;
  entry.path = path;
  entry.size = code.size;
  for (const host of entry.waiting) host.requestUpdate();
}

function qrCode(uri: string, host: ReactiveControllerHost): TemplateResult | typeof nothing {
  if (drawn?.uri !== uri) {
    drawn = { uri, waiting: new Set() };
    // Offline or blocked: the setup key below still works.
    draw(drawn).catch(() => {});
  }
  drawn.waiting.add(host);
  const { path, size } = drawn;
  if (!path || !size) return nothing;
  // A quiet zone of 4 modules (ISO/IEC 18004), dark on light whatever the page's colours.
  const side = size + 8;
  return html`<svg class="qr" role="img" aria-label=${messages().mfa.qrLabel} viewBox=${`-4 -4 ${side} ${side}`}> ${svg`<rect x="-4" y="-4" width=${side} height=${side} fill="#fff" /><path d=${path} fill="#000" />`} </svg>`;
}

/** The key in groups of four, as authenticator apps show and accept it (they ignore the spaces). */
function groupKey(secret: string): string {
  return secret.replace(/\s+/g, "").replace(/(.{4})(?=.)/g, "$1 ");
}

// Which setup key was copied last, for the "Copied" status; cleared when another is shown.
let copied: string | undefined;

async function copy(host: ReactiveControllerHost, secret: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(secret);
    copied = secret;
  } catch {
    // No clipboard (permissions, an insecure page): the key stays selectable to copy by hand.
    copied = undefined;
  }
  host.requestUpdate();
}

/**
 * The QR code (once the encoder has loaded), a link that opens the key in an authenticator app on
 * this device (phones: no second screen to scan from), and the setup key grouped by four with a
 * Copy button.
 */
export function totpKey(host: ReactiveControllerHost, issuer: string, account: string, secret: string): TemplateResult {
  const text = messages().mfa;
  const uri = otpauthUri(issuer, account, secret);
  if (copied !== undefined && copied !== secret) copied = undefined;
  return html`${qrCode(uri, host)}
    <a class="link" href=${uri}>${text.openApp}</a>
    <p>${text.manualEntry}</p>
    <div class="key">
      <code class="secret">${groupKey(secret)}</code>
      <button type="button" class="secondary" @click=${() => copy(host, secret)}>${text.copy}</button>
    </div>
    <p class="status" role="status">${copied === secret ? text.copied : nothing}</p>`;
}
