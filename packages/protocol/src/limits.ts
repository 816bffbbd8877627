/**
 * Hard structural limits of the encoding, the same on every node. Chain parameters (genesis) may be
 * tighter; these bound what a decoder will even allocate.
 */
export const LIMITS = {
  chainIdBytesMax: 64,
  certificateBytesMax: 4096,
  signatureBytesMax: 128,
  txTypeBytesMax: 64,
  txPayloadBytesMax: 1024 * 1024,
  txBytesMax: 1024 * 1024 + 8192,
  blockTxsMax: 100_000,
  validatorsMax: 1000,
  publicKeyBytesMax: 65,
  resultMessageBytesMax: 1024,
  eventsPerTxMax: 64,
  eventAttributesMax: 32,
  eventStringBytesMax: 1024,
  stateKeyBytesMax: 1024,
  stateValueBytesMax: 1024 * 1024,
  nonceBytes: 16,
  hashBytes: 32,
} as const;
