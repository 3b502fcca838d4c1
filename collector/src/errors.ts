// Typed errors services throw; the HTTP layer maps them to status codes and one-line JSON messages.

/** Input the user (or Twilio) sent is wrong; `field` names what to fix. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 = 400,
  ) {
    super(message);
  }
}
