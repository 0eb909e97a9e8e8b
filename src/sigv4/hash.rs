//! SHA-256 and HMAC-SHA256 on top of `sha2`'s raw compression function.
//!
//! The signer hashes many short pieces (a canonical request is ~20 of them) and reuses one
//! HMAC key for many signatures. Going through the block compression directly keeps each piece
//! a bounded copy into a 64-byte buffer, and lets a cached HMAC key be two 32-byte midstates.

use sha2::digest::generic_array::GenericArray;
use zeroize::Zeroize;

use super::canonical::Sink;

const IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// Compresses whole 64-byte blocks of `blocks` (its length is a multiple of 64).
#[inline]
fn compress(state: &mut [u32; 8], blocks: &[u8]) {
    debug_assert_eq!(blocks.len() % 64, 0);
    let count = blocks.len() / 64;
    // SAFETY: `GenericArray<u8, U64>` is `repr(transparent)` over `[u8; 64]` (size 64,
    // alignment 1), and `count * 64` bytes are in bounds; sha2 casts the other way itself.
    let blocks = unsafe {
        std::slice::from_raw_parts(
            blocks
                .as_ptr()
                .cast::<GenericArray<u8, sha2::digest::typenum::U64>>(),
            count,
        )
    };
    sha2::compress256(state, blocks);
}

/// Streaming SHA-256.
#[derive(Clone)]
pub(crate) struct Hasher {
    state: [u32; 8],
    buf: [u8; 64],
    buffered: usize,
    /// Bytes already compressed (a multiple of 64).
    compressed: u64,
}

impl Hasher {
    pub fn new() -> Self {
        Self::resume(IV, 0)
    }

    fn resume(state: [u32; 8], compressed: u64) -> Self {
        Hasher {
            state,
            buf: [0; 64],
            buffered: 0,
            compressed,
        }
    }

    #[inline]
    pub fn update(&mut self, data: &[u8]) {
        let end = self.buffered + data.len();
        if end < 64 {
            self.buf[self.buffered..end].copy_from_slice(data);
            self.buffered = end;
        } else {
            self.update_spilling(data);
        }
    }

    #[inline(never)]
    fn update_spilling(&mut self, mut data: &[u8]) {
        if self.buffered > 0 {
            let (head, rest) = data.split_at(64 - self.buffered);
            self.buf[self.buffered..].copy_from_slice(head);
            compress(&mut self.state, &self.buf);
            self.compressed += 64;
            self.buffered = 0;
            data = rest;
        }
        let whole = data.len() & !63;
        if whole > 0 {
            compress(&mut self.state, &data[..whole]);
            self.compressed += whole as u64;
        }
        let tail = &data[whole..];
        self.buf[..tail.len()].copy_from_slice(tail);
        self.buffered = tail.len();
    }

    /// Pads, compresses the last block(s) and returns the digest. The buffer, which may hold
    /// the tail of a secret, is zeroized.
    pub fn finish(mut self) -> [u8; 32] {
        let bits = (self.compressed + self.buffered as u64) * 8;
        let n = self.buffered;
        self.buf[n] = 0x80;
        self.buf[n + 1..].fill(0);
        if n >= 56 {
            compress(&mut self.state, &self.buf);
            self.buf.fill(0);
        }
        self.buf[56..].copy_from_slice(&bits.to_be_bytes());
        compress(&mut self.state, &self.buf);
        self.buf.zeroize();
        let mut out = [0u8; 32];
        for (chunk, word) in out.chunks_exact_mut(4).zip(self.state) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        self.state.zeroize();
        out
    }
}

impl Sink for Hasher {
    #[inline]
    fn put(&mut self, s: &str) {
        self.update(s.as_bytes());
    }
}

/// SHA-256 of `data` in one call.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    let mut h = Hasher::new();
    h.update(data);
    h.finish()
}

/// An HMAC-SHA256 key as the hash states after its inner and outer pad blocks: computing a
/// MAC with it costs no key-block compressions. Zeroized on drop.
#[derive(Clone)]
pub(crate) struct HmacKey {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl HmacKey {
    /// Keys with `key`; a key longer than the 64-byte block is hashed first, as HMAC specifies.
    pub fn new(key: &[u8]) -> Self {
        let mut block = [0u8; 64];
        if key.len() > 64 {
            let mut digest = sha256(key);
            block[..32].copy_from_slice(&digest);
            digest.zeroize();
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let mut pad = [0u8; 64];
        let mut inner = IV;
        for (p, k) in pad.iter_mut().zip(&block) {
            *p = k ^ 0x36;
        }
        compress(&mut inner, &pad);
        let mut outer = IV;
        for (p, k) in pad.iter_mut().zip(&block) {
            *p = k ^ 0x5c;
        }
        compress(&mut outer, &pad);
        pad.zeroize();
        block.zeroize();
        HmacKey { inner, outer }
    }

    /// A MAC computation; feed it with [`Mac::update`] or as a [`Sink`].
    pub fn mac(&self) -> Mac {
        Mac {
            inner: Hasher::resume(self.inner, 64),
            outer: self.outer,
        }
    }

    /// HMAC of `data` in one call.
    pub fn sign(&self, data: &[u8]) -> [u8; 32] {
        let mut mac = self.mac();
        mac.update(data);
        mac.finish()
    }
}

impl Drop for HmacKey {
    fn drop(&mut self) {
        self.inner.zeroize();
        self.outer.zeroize();
    }
}

/// One HMAC-SHA256 computation in progress.
pub(crate) struct Mac {
    inner: Hasher,
    outer: [u32; 8],
}

impl Mac {
    #[inline]
    pub fn update(&mut self, data: &[u8]) {
        self.inner.update(data);
    }

    pub fn finish(mut self) -> [u8; 32] {
        let inner = std::mem::replace(&mut self.inner, Hasher::resume(IV, 0)).finish();
        let mut outer = Hasher::resume(self.outer, 64);
        outer.update(&inner);
        outer.finish()
    }
}

impl Drop for Mac {
    fn drop(&mut self) {
        self.outer.zeroize();
    }
}

impl Sink for Mac {
    #[inline]
    fn put(&mut self, s: &str) {
        self.update(s.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::{Hmac, Mac as _};
    use proptest::prelude::*;
    use sha2::{Digest, Sha256};

    proptest! {
        #[test]
        fn sha256_matches_sha2_for_any_split(
            data in proptest::collection::vec(any::<u8>(), 0..300),
            cuts in proptest::collection::vec(0usize..300, 0..6),
        ) {
            let mut h = Hasher::new();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(data.len())).collect();
            cuts.sort_unstable();
            let mut at = 0;
            for cut in cuts.into_iter().chain([data.len()]) {
                h.update(&data[at..cut]);
                at = cut;
            }
            let expected: [u8; 32] = Sha256::digest(&data).into();
            prop_assert_eq!(h.finish(), expected);
        }

        #[test]
        fn hmac_matches_hmac_crate(
            key in proptest::collection::vec(any::<u8>(), 0..150),
            data in proptest::collection::vec(any::<u8>(), 0..200),
        ) {
            let mut reference = Hmac::<Sha256>::new_from_slice(&key).unwrap();
            reference.update(&data);
            let expected: [u8; 32] = reference.finalize().into_bytes().into();
            prop_assert_eq!(HmacKey::new(&key).sign(&data), expected);
        }
    }

    #[test]
    fn sha256_known_answers() {
        assert_eq!(
            hex::encode(sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex::encode(sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
