/** Errors of configuration loading and parameter resolution. */

/** A configuration file is missing, unreadable or malformed. */
export class ConfigError extends Error {
  readonly code: string;
  constructor(message: string, code = "CONFIG") {
    super(message);
    this.name = "ConfigError";
    this.code = code;
  }
}

/** Parameters that do not match the pipeline's parameter schema. */
export class ParameterError extends Error {
  readonly code = "PARAMETERS";
  constructor(message: string) {
    super(message);
    this.name = "ParameterError";
  }
}
