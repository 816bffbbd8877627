// The version of the natives' rules, which are part of the chain protocol: every node must give
// the same answer, and charge the same steps, for the same call. Any change to what a native
// returns, refuses or charges (another ajv version, a format's rule, a message, a constant of
// nativeSteps.ts) is a new version, which a chain adopts at an agreed height, never silently.

/** Version 1: RFC 8785 canonical JSON, draft-07 validation by ajv NATIVES_AJV_VERSION, the charges of nativeSteps.ts. */
export const CONTRACT_NATIVES_VERSION = 1;

/** The ajv of version 1, pinned exactly in package.json; a test checks that it is the one installed. */
export const NATIVES_AJV_VERSION = '8.20.0';
