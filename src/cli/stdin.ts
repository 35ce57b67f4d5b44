// Standard input can serve one purpose: the data, a key file ("-i -",
// "-R -") or nothing. The first user claims it; a second is an error.
import { CliError } from "./fail.js";

let owner: string | null = null;

export function claimStdin(purpose: string): void {
  if (owner !== null) throw new CliError(`standard input is used for multiple purposes (${owner} and ${purpose})`);
  owner = purpose;
}
