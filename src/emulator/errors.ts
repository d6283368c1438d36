/**
 * The refusals handlers throw, in Timekit's JSON shapes: `{"error"}` (with `model` for a 404) and
 * Laravel's `{"errors": {field: [messages]}}` for a 422. Each part of the emulator turns them
 * into its answer.
 */

/** A refusal carrying its Timekit-shaped JSON body. Thrown by handlers, answered by the server. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.error === 'string' ? body.error : `HTTP ${status}`);
  }
}

export const unauthorized = (message: string) => new HttpError(401, { error: message });
export const forbidden = (message: string) => new HttpError(403, { error: message });
export const notFound = (model: string, message = `The requested ${model.toLowerCase()} does not exist`) =>
  new HttpError(404, { error: message, model });
export const badRequest = (message: string) => new HttpError(400, { error: message });

/** 422 with Laravel's `{"errors": {field: [messages]}}`. */
export const invalid = (errors: Record<string, string[]>) => new HttpError(422, { errors });
export const invalidField = (field: string, message: string) => invalid({ [field]: [message] });
