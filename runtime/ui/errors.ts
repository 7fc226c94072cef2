/** An error a UI route answers with its status (a page for pages, JSON under /ui/api). */
export class UiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "UiError";
  }
}
