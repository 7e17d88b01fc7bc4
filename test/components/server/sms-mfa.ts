/**
 * SMS MFA for a cognito-local user. cognito-local sends an SMS_MFA challenge only to users whose
 * record has an `MFAOptions` entry for SMS, and no API of it sets one (no SetUserSettings,
 * AdminSetUserSettings or AdminSetUserMFAPreference). Its README's way: edit the pool's file and
 * restart it. The caller stops cognito-local, calls this, and starts it again on the same port and
 * data dir.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

export async function giveSmsMfa(dataDir: string, poolId: string, usernames: readonly string[]): Promise<void> {
  const file = join(dataDir, ".cognito", "db", `${poolId}.json`);
  const pool = JSON.parse(await readFile(file, "utf8"));
  for (const username of usernames) {
    const user = pool.Users?.[username];
    if (!user) throw new Error(`no user ${username} in pool ${poolId}`);
    if (!user.Attributes?.some((a: { Name: string }) => a.Name === "phone_number")) throw new Error(`${username} has no phone_number`);
    user.MFAOptions = [{ DeliveryMedium: "SMS", AttributeName: "phone_number" }];
    // SetUserMFAPreference's list: with it non-empty, cognito-local ignores MFAOptions for the choice.
    const methods = new Set<string>(user.UserMFASettingList ?? []);
    methods.add("SMS_MFA");
    user.UserMFASettingList = [...methods];
  }
  await writeFile(file, JSON.stringify(pool, null, 2));
}
