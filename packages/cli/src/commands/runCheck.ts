import { XinlianError } from '@xinlian/protocol';

/**
 * Runs an offline check and reports it the same way for every verify command: on success the text
 * (or `{"valid": true, ...}`) and exit 0; on a typed failure the exact reason (or
 * `{"valid": false, "error": ...}`) and exit 1.
 */
export function runCheck(json: boolean, check: () => { text: string; view: Record<string, unknown> }): number {
  try {
    const { text, view } = check();
    process.stdout.write(json ? `${JSON.stringify({ valid: true, ...view })}\n` : `${text}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof XinlianError)) throw error;
    if (json) process.stdout.write(`${JSON.stringify({ valid: false, error: error.toJSON() })}\n`);
    else process.stderr.write(`NOT VALID: ${error.code}: ${error.message}\n`);
    return 1;
  }
}
