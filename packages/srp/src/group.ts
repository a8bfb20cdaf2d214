// SRP groups from RFC 5054 Appendix A. `bytes` is the byte length of N, the width PAD() pads to.

export type SrpGroup = { N: bigint; g: bigint; bytes: number; hash: 'SHA-256' | 'SHA-1' };

const hexInt = (s: string) => BigInt(`0x${s.replace(/\s+/g, '')}`);

/** The 3072-bit group (the RFC 3526 "group 15" prime), g = 5, with SHA-256: what TOD signs in with. */
export const GROUP_3072: SrpGroup = {
  N: hexInt(`
    ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404dd
    ef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed
    ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f
    83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b
    e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa0510
    15728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7
    abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200c
    bbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff`),
  g: 5n,
  bytes: 384,
  hash: 'SHA-256',
};

/** The 1024-bit group, g = 2, with SHA-1: only for checking the maths against RFC 5054 Appendix B. */
export const GROUP_1024_SHA1: SrpGroup = {
  N: hexInt(`
    EEAF0AB9 ADB38DD6 9C33F80A FA8FC5E8 60726187 75FF3C0B 9EA2314C 9C256576 D674DF74 96EA81D3 383B4813
    D692C6E0 E0D5D8E2 50B98BE4 8E495C1D 6089DAD1 5DC7D7B4 6154D6B6 CE8EF4AD 69B15D49 82559B29 7BCF1885
    C529F566 660E57EC 68EDBC3C 05726CC0 2FD4CBF4 976EAA9A FD5138FE 8376435B 9FC61D2F C0EB06E3`),
  g: 2n,
  bytes: 128,
  hash: 'SHA-1',
};
