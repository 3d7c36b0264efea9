/**
 * Starting an HTTP server, with the failures a person can fix said in one line
 * that names the variable to change ("port 8080 is already in use: set PORT to
 * a free port"). Every service's listening socket goes through here; the
 * runtime's server (Bun.serve or Deno.serve) is behind platform/http.ts.
 */
import { serve, type ServeOptions } from "./platform/http";

/** A start-up failure whose message is the whole story: print it, exit non-zero, no stack trace. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}

export interface ListenOptions extends ServeOptions {
  /** The configuration variable that sets `port`, for the error message. */
  portVariable: string;
}

export interface Listening {
  port: number;
  stop(closeActive?: boolean): Promise<void>;
}

export function listen(opts: ListenOptions): Listening {
  try {
    return serve(opts);
  } catch (err) {
    throw listenError(err, opts);
  }
}

/** The runtime's listen failure as a one-line StartupError when a person can fix it. */
export function listenError(
  err: unknown,
  opts: Pick<ListenOptions, "port" | "hostname" | "portVariable">,
): Error {
  const e = err as { code?: string; message?: string };
  if (e?.code === "EADDRINUSE")
    return new StartupError(
      `port ${opts.port} is already in use: set ${opts.portVariable} to a free port (for example ${opts.portVariable}=${opts.port + 10})`,
    );
  if (e?.code === "EACCES")
    return new StartupError(
      `not allowed to listen on port ${opts.port}: set ${opts.portVariable} to a port above 1023`,
    );
  if (e?.code === "EADDRNOTAVAIL")
    return new StartupError(`cannot listen on ${opts.hostname}: no such local address (HOST)`);
  return err as Error;
}

/**
 * Run a service's start-up; a StartupError or ConfigError is printed as the
 * one line it is and the process exits 1, anything else keeps its stack.
 */
export async function startOrExit<T>(what: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    const e = err as Error;
    if (e?.name === "StartupError" || e?.name === "ConfigError" || e?.name === "DatabaseError") {
      process.stderr.write(`${what} cannot start: ${e.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
