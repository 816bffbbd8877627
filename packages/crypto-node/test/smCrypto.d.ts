// The parts of sm-crypto 0.5.8 (root devDependency, interop tests only) that the tests use.
declare module 'sm-crypto' {
  interface SignOptions { hash?: boolean; der?: boolean; userId?: string }
  const smCrypto: {
    sm2: {
      generateKeyPairHex(): { privateKey: string; publicKey: string };
      doSignature(message: string | number[], privateKey: string, options?: SignOptions): string;
      doVerifySignature(message: string | number[], signature: string, publicKey: string, options?: SignOptions): boolean;
    };
  };
  export default smCrypto;
}
