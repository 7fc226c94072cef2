/** Errors of the prediction server: each has a stable `code`, the HTTP status it maps to, and a message that says what to do. */

/** Base class of serving errors. */
export class ServeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The HTTP status a request that hits this error gets. */
    readonly statusCode = 500,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A request the model cannot take: wrong shape, wrong field, wrong type. */
export class InvalidRequestError extends ServeError {
  constructor(
    message: string,
    /** The offending field, when one is to blame. */
    readonly field?: string,
    /** A JSON pointer into the request body (after MLflow envelopes are read as rows, for /invocations). */
    readonly path?: string,
  ) {
    super("INVALID_REQUEST", message, 400);
  }
}

/** A CSV body whose header has far more columns than the model takes. */
export class TooManyColumnsError extends ServeError {
  constructor(message: string) {
    super("TOO_MANY_COLUMNS", message, 413);
  }
}

/** A request with more rows than one request may have (max_queue_rows). */
export class TooManyRowsError extends ServeError {
  constructor(
    readonly maxRows: number,
    /** The request's row count, when it is known (a CSV body stops being read past the limit). */
    readonly rows?: number,
  ) {
    super(
      "TOO_MANY_ROWS",
      `The request has ${rows === undefined ? "" : `${rows} rows: `}more than ${maxRows} rows, the most one request may have (max_queue_rows in conf/base/serving.yml). Split it into requests of at most ${maxRows} rows.`,
      413,
    );
  }
}

/** The model returned NaN or ±Infinity: typically an input far outside the range it was trained on. */
export class NonFinitePredictionError extends ServeError {
  constructor(message: string) {
    super("NON_FINITE_PREDICTION", message, 422);
  }
}

/** The queue is full: the client should come back after `retryAfterSeconds`. */
export class OverloadedError extends ServeError {
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super("OVERLOADED", message, 503);
  }
}

/** The model is not loaded yet, or the server is shutting down. */
export class NotReadyError extends ServeError {
  constructor(message: string) {
    super("NOT_READY", message, 503);
  }
}

/** The predict function threw, or returned something other than one prediction per row. */
export class PredictError extends ServeError {
  constructor(message: string, options?: ErrorOptions) {
    super("PREDICT_FAILED", message, 500, options);
  }
}

/** The pipeline code in pipelines/<name>/ does not match the registered version it would serve. */
export class ModelMismatchError extends ServeError {
  constructor(message: string) {
    super("MODEL_MISMATCH", message, 500);
  }
}

/** A reload that would change what clients send or receive, or the code the model runs with, which needs a restart instead. */
export class ReloadRefusedError extends ServeError {
  constructor(message: string) {
    super("RELOAD_REFUSED", message, 409);
  }
}

/** conf/<env>/serving.yml or a command-line option has a value the server cannot use. */
export class ServingConfigError extends ServeError {
  constructor(message: string) {
    super("SERVING_CONFIG", message, 500);
  }
}
