/**
 * Browser-safe entry (@xinlian/sdk/verify): offline verification of proof bundles and evidence with
 * the pure-JS suites. No Node-only imports on this path.
 */
export {
  parseGenesis, parseProofBundle, pureSuite, verifyEvidence, verifyProofBundle, XinlianError,
  type EvidenceCertificate, type Genesis, type ProofBundle, type VerifiedProof,
} from '@xinlian/protocol';
