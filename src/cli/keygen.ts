// What age-rt-keygen writes: a new identity in age-keygen's format, and the
// recipients of an identity file (-y).
import { UsageError } from "../errors.js";
import { generateHybridIdentity, generateIdentity, identityToRecipient, keyFileLines, parseIdentityFile } from "../recipients/keys.js";
import { CliError } from "./fail.js";

/**
 * age-keygen's text: "# created: <RFC 3339>", "# public key: age1…", the
 * secret key; with `pq`, a post-quantum hybrid key (age-keygen -pq).
 */
export function newKeyFile(now: Date = new Date(), pq = false): { text: string; recipient: string } {
  const identity = pq ? generateHybridIdentity() : generateIdentity();
  const recipient = identityToRecipient(identity);
  return { text: `# created: ${rfc3339(now)}\n# public key: ${recipient}\n${identity}\n`, recipient };
}

/** The recipients of an identity file's keys, one per line, no comments. */
export function recipientsOf(identityFileText: string): string {
  try {
    parseIdentityFile(identityFileText);
  } catch (e) {
    if (e instanceof UsageError) {
      if (/no identities found/.test(e.message)) throw new CliError("no identities found in the input");
      throw new CliError(`failed to parse input: ${e.message}`);
    }
    throw e;
  }
  return keyFileLines(identityFileText).map(([, line]) => identityToRecipient(line) + "\n").join("");
}

/** Local time with its offset, to the second, "Z" for UTC: Go's time.RFC3339. */
function rfc3339(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  const off = -d.getTimezoneOffset();
  const zone = off === 0 ? "Z" : `${off > 0 ? "+" : "-"}${p(Math.floor(Math.abs(off) / 60))}:${p(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}${zone}`;
}
