/**
 * Errors with an HTTP status and a stable machine-readable code. They travel
 * between services as WireError JSON and reach users in OpenAI's error shape.
 */
export interface WireErrorLike {
  code: string;
  message: string;
  status: number;
  param?: string;
}

export class AppError extends Error implements WireErrorLike {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = "AppError";
  }

  toWire(): WireErrorLike {
    return {
      code: this.code,
      message: this.message,
      status: this.status,
      ...(this.param ? { param: this.param } : {}),
    };
  }
}

export const badRequest = (code: string, message: string, param?: string) =>
  new AppError(400, code, message, param);
export const unavailable = (code: string, message: string) => new AppError(503, code, message);

export function isWireErrorLike(x: unknown): x is WireErrorLike {
  if (!x || typeof x !== "object") return false;
  const o = x as Record<string, unknown>;
  return typeof o.code === "string" && typeof o.message === "string" && typeof o.status === "number";
}

/** Anything thrown, as a WireError. Unknown errors are 500s with a generic code. */
export function toWireError(err: unknown): WireErrorLike {
  if (err instanceof AppError) return err.toWire();
  if (isWireErrorLike(err))
    return {
      code: err.code,
      message: err.message,
      status: err.status,
      ...(err.param ? { param: err.param } : {}),
    };
  const message = err instanceof Error ? err.message : String(err);
  return { code: "internal_error", message, status: 500 };
}

export function fromWireError(e: WireErrorLike): AppError {
  return new AppError(e.status, e.code, e.message, e.param);
}
