import type { ChildProcess } from 'node:child_process';

/** A launched stack that has printed its start-up banner. */
export interface Banner {
  /** The gateway's URL as the banner prints it (http://localhost:<port>/graphql). */
  url: string;
  port: number;
  /** Everything the process has written so far (stdout and stderr). */
  output(): string;
}

/**
 * Resolves once a launched stack (`npm start`, launch/all.ts) has printed its start-up banner, which
 * ends with the curl example: by then everything listens. Rejects, if the process exits first, with an
 * error carrying its exit `code` and `output`.
 */
export function untilBanner(child: ChildProcess): Promise<Banner> {
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /gateway\s+(http:\/\/localhost:(\d+)\/graphql)/.exec(output);
      if (match && output.includes('Then: curl')) resolve({ url: match[1]!, port: Number(match[2]), output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(Object.assign(new Error(`exited with ${code} before its banner:\n${output}`), { code, output })));
  });
}
