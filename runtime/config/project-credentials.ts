// A project's credentials: the config files read here, so the catalog that resolves them never imports config.
import { Credentials } from "../catalog/credentials.ts";
import { loadConfigFile } from "./config-loader.ts";

/** conf/base/credentials.yml, conf/<env>/credentials.yml over it, and the process environment over both. */
export function projectCredentials(
  root: string,
  env: string,
  environment: Readonly<Record<string, string | undefined>> = process.env,
): Credentials {
  return new Credentials(loadConfigFile(root, env, "credentials.yml"), environment);
}
