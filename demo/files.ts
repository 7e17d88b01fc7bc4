/**
 * The demo's Files page: the signed-in user uploads to S3 and lists their files with their own
 * temporary AWS credentials (cognito-elements/credentials), signed in the browser by aws4fetch.
 * Each user's files live under their identity id, the prefix an identity pool's role policy grants
 * with `${cognito-identity.amazonaws.com:sub}` (README, "AWS credentials from an identity pool").
 * Loaded by app.js the first time the page is shown; uses only the package's public API.
 */
import { AwsClient } from "aws4fetch";
import { getAwsCredentials } from "../components/credentials.ts";

export interface FilesConfig {
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
}

/** An S3 client signing with the user's credentials as they are now (cached until near expiry). */
async function s3(config: FilesConfig): Promise<{ aws: AwsClient; prefix: string }> {
  const credentials = await getAwsCredentials();
  const aws = new AwsClient({ ...credentials, service: "s3", region: config.region });
  return { aws, prefix: `${credentials.identityId}/` };
}

function objectUrl(config: FilesConfig, key = ""): URL {
  return new URL(`${config.bucket}/${key.split("/").map(encodeURIComponent).join("/")}`, config.endpoint);
}

/** The user's files: ListObjectsV2 under their prefix, names without it. */
async function list(config: FilesConfig): Promise<Array<{ name: string; size: number }>> {
  const { aws, prefix } = await s3(config);
  const url = objectUrl(config);
  url.search = new URLSearchParams({ "list-type": "2", prefix }).toString();
  const response = await aws.fetch(url);
  if (!response.ok) throw new Error(`S3 answered ${response.status} to the listing`);
  const xml = new DOMParser().parseFromString(await response.text(), "application/xml");
  return [...xml.getElementsByTagName("Contents")].map((entry) => ({
    name: (entry.getElementsByTagName("Key")[0]?.textContent ?? "").slice(prefix.length),
    size: Number(entry.getElementsByTagName("Size")[0]?.textContent ?? 0),
  }));
}

async function upload(config: FilesConfig, file: File): Promise<void> {
  const { aws, prefix } = await s3(config);
  const response = await aws.fetch(objectUrl(config, prefix + file.name), {
    method: "PUT",
    body: await file.arrayBuffer(),
    headers: { "content-type": file.type || "application/octet-stream" },
  });
  if (!response.ok) throw new Error(`S3 answered ${response.status} to the upload`);
}

/** Wires the Files view: the upload form, the list, and their status line. */
export function setupFiles(config: FilesConfig, view: HTMLElement): { refresh(): Promise<void> } {
  const form = view.querySelector<HTMLFormElement>("#upload-form")!;
  const input = view.querySelector<HTMLInputElement>("#upload-file")!;
  const status = view.querySelector<HTMLOutputElement>("#files-status")!;
  const listing = view.querySelector<HTMLUListElement>("#files-list")!;

  const report = (text: string, state: string) => {
    status.textContent = text;
    status.dataset.state = state;
  };

  async function refresh(): Promise<void> {
    try {
      const files = await list(config);
      listing.replaceChildren(
        ...files.map(({ name, size }) => {
          const item = document.createElement("li");
          item.textContent = `${name} (${size} B)`;
          return item;
        }),
      );
      if (!files.length) report("No files yet.", "done");
    } catch (error) {
      // AuthError and S3 failures say what failed; neither carries a key or a token.
      report((error as Error).message, "error");
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = input.files?.[0];
    if (!file) return;
    const button = form.querySelector("button")!;
    button.disabled = true;
    report(`Uploading ${file.name}…`, "pending");
    try {
      await upload(config, file);
      form.reset();
      report(`Uploaded ${file.name}.`, "done");
      await refresh();
    } catch (error) {
      report((error as Error).message, "error");
    } finally {
      button.disabled = false;
    }
  });
  return { refresh };
}
