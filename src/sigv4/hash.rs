//! SHA-256 and HMAC-SHA256 on top of `sha2`'s raw compression function.
//!
//! The signer hashes many short pieces (a canonical request is ~20 of them) and reuses one
//! HMAC key for many signatures. Going through the block compression directly keeps each piece
//! a bounded copy into a 64-byte buffer, and lets a cached HMAC key be two 32-byte midstates.
//!
//! A signature is a chain of hashes (body, canonical request, string to sign, outer MAC), and
//! one SHA-256 is bound by the latency of its rounds, not by the SHA unit's throughput. So
//! independent hashes run together ([`run_jobs`]): with SHA-NI, blocks of two hashes are
//! interleaved in one kernel, a short hash spread over a long one at half density costing
//! next to nothing.

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
pub(crate) fn compress(state: &mut [u32; 8], blocks: &[u8]) {
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

/// Whether the SHA-NI kernels can run (the detection is cached by `std`).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn shani_available() -> bool {
    std::is_x86_feature_detected!("sha")
        && std::is_x86_feature_detected!("sse4.1")
        && std::is_x86_feature_detected!("ssse3")
}

/// `K` whole blocks of `blocks_a` into `a` per block of `blocks_b` into `b` (`blocks_a` is
/// `K` times as long; both multiples of 64), independent hashes run together. With SHA-NI
/// their rounds are interleaved (see `x2::compress_spread`): a pair (`K = 1`) takes much less
/// than twice the time of one hash, and at `K = 2` the second hash costs next to nothing.
#[inline]
fn compress_interleaved<const K: usize>(
    a: &mut [u32; 8],
    blocks_a: &[u8],
    b: &mut [u32; 8],
    blocks_b: &[u8],
) {
    debug_assert_eq!(blocks_a.len(), K * blocks_b.len());
    #[cfg(target_arch = "x86_64")]
    {
        if shani_available() {
            // SAFETY: the CPU features the function is compiled for were detected.
            unsafe { x2::compress_spread::<K>(a, blocks_a, b, blocks_b) };
            return;
        }
    }
    compress(a, blocks_a);
    compress(b, blocks_b);
}

#[cfg(target_arch = "x86_64")]
mod x2 {
    use std::arch::x86_64::*;

    const K32: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];

    /// The SHA-NI register layout of a state: (ABEF, CDGH).
    #[inline(always)]
    unsafe fn load(state: &[u32; 8]) -> (__m128i, __m128i) {
        let p = state.as_ptr().cast::<__m128i>();
        let dcba = _mm_loadu_si128(p);
        let efgh = _mm_loadu_si128(p.add(1));
        let cdab = _mm_shuffle_epi32(dcba, 0xB1);
        let efgh = _mm_shuffle_epi32(efgh, 0x1B);
        (
            _mm_alignr_epi8(cdab, efgh, 8),
            _mm_blend_epi16(efgh, cdab, 0xF0),
        )
    }

    #[inline(always)]
    unsafe fn store(state: &mut [u32; 8], abef: __m128i, cdgh: __m128i) {
        let feba = _mm_shuffle_epi32(abef, 0x1B);
        let dchg = _mm_shuffle_epi32(cdgh, 0xB1);
        let p = state.as_mut_ptr().cast::<__m128i>();
        _mm_storeu_si128(p, _mm_blend_epi16(feba, dchg, 0xF0));
        _mm_storeu_si128(p.add(1), _mm_alignr_epi8(dchg, feba, 8));
    }

    #[inline(always)]
    unsafe fn words(block: &[u8; 64]) -> [__m128i; 4] {
        let mask = _mm_set_epi64x(0x0C0D_0E0F_0809_0A0B, 0x0405_0607_0001_0203);
        let p = block.as_ptr().cast::<__m128i>();
        [
            _mm_shuffle_epi8(_mm_loadu_si128(p), mask),
            _mm_shuffle_epi8(_mm_loadu_si128(p.add(1)), mask),
            _mm_shuffle_epi8(_mm_loadu_si128(p.add(2)), mask),
            _mm_shuffle_epi8(_mm_loadu_si128(p.add(3)), mask),
        ]
    }

    #[inline(always)]
    unsafe fn rounds4(abef: &mut __m128i, cdgh: &mut __m128i, w: __m128i, i: usize) {
        let k = _mm_loadu_si128(K32.as_ptr().add(4 * i).cast::<__m128i>());
        let t1 = _mm_add_epi32(w, k);
        *cdgh = _mm_sha256rnds2_epu32(*cdgh, *abef, t1);
        let t2 = _mm_shuffle_epi32(t1, 0x0E);
        *abef = _mm_sha256rnds2_epu32(*abef, *cdgh, t2);
    }

    #[inline(always)]
    unsafe fn schedule(w: &[__m128i; 4]) -> __m128i {
        let t1 = _mm_sha256msg1_epu32(w[0], w[1]);
        let t2 = _mm_alignr_epi8(w[3], w[2], 4);
        _mm_sha256msg2_epu32(_mm_add_epi32(t1, t2), w[3])
    }

    /// Hex of the big-endian bytes of `state`'s words.
    ///
    /// # Safety
    /// The CPU must support SSSE3.
    #[target_feature(enable = "sse2,ssse3")]
    pub(super) unsafe fn hex_digest(state: &[u32; 8], out: &mut [u8; 64]) {
        let digits = _mm_setr_epi8(
            b'0' as i8, b'1' as i8, b'2' as i8, b'3' as i8, b'4' as i8, b'5' as i8, b'6' as i8,
            b'7' as i8, b'8' as i8, b'9' as i8, b'a' as i8, b'b' as i8, b'c' as i8, b'd' as i8,
            b'e' as i8, b'f' as i8,
        );
        let swap = _mm_set_epi64x(0x0C0D_0E0F_0809_0A0B, 0x0405_0607_0001_0203);
        let low_nibble = _mm_set1_epi8(0x0f);
        // In bounds: two unaligned 16-byte loads from the 32-byte state, four unaligned 16-byte
        // stores into the 64-byte output.
        let src = state.as_ptr().cast::<__m128i>();
        let dst = out.as_mut_ptr().cast::<__m128i>();
        for half in 0..2 {
            let bytes = _mm_shuffle_epi8(_mm_loadu_si128(src.add(half)), swap);
            let high = _mm_and_si128(_mm_srli_epi16(bytes, 4), low_nibble);
            let low = _mm_and_si128(bytes, low_nibble);
            let high = _mm_shuffle_epi8(digits, high);
            let low = _mm_shuffle_epi8(digits, low);
            _mm_storeu_si128(dst.add(2 * half), _mm_unpacklo_epi8(high, low));
            _mm_storeu_si128(dst.add(2 * half + 1), _mm_unpackhi_epi8(high, low));
        }
    }

    /// One hash state in SHA-NI registers, stepping through a block four rounds at a time, so
    /// the kernels below can interleave the steps of independent hashes.
    struct Stream {
        abef: __m128i,
        cdgh: __m128i,
        save_abef: __m128i,
        save_cdgh: __m128i,
        w: [__m128i; 4],
    }

    impl Stream {
        #[inline(always)]
        unsafe fn new(state: &[u32; 8]) -> Self {
            let (abef, cdgh) = load(state);
            Stream {
                abef,
                cdgh,
                save_abef: abef,
                save_cdgh: cdgh,
                w: [_mm_setzero_si128(); 4],
            }
        }

        #[inline(always)]
        unsafe fn begin(&mut self, block: &[u8; 64]) {
            self.save_abef = self.abef;
            self.save_cdgh = self.cdgh;
            self.w = words(block);
        }

        /// Rounds `4 * i .. 4 * i + 4` of the current block (`i` in `0..16`, in order).
        #[inline(always)]
        unsafe fn step(&mut self, i: usize) {
            if i < 4 {
                rounds4(&mut self.abef, &mut self.cdgh, self.w[i], i);
            } else {
                let next = schedule(&self.w);
                rounds4(&mut self.abef, &mut self.cdgh, next, i);
                self.w = [self.w[1], self.w[2], self.w[3], next];
            }
        }

        #[inline(always)]
        unsafe fn end(&mut self) {
            self.abef = _mm_add_epi32(self.abef, self.save_abef);
            self.cdgh = _mm_add_epi32(self.cdgh, self.save_cdgh);
        }

        #[inline(always)]
        unsafe fn store(self, state: &mut [u32; 8]) {
            store(state, self.abef, self.cdgh);
        }
    }

    /// `K` blocks of `blocks_a` into `a` per block of `blocks_b` into `b`, the rounds of `b`'s
    /// block spread evenly over those of `a`'s `K`. One hash's rounds leave the SHA unit idle
    /// part of the time (its speed is the rounds' latency), so a second hash at `1/K` density
    /// costs little (nearly nothing at `K = 2`), and a full pair (`K = 1`) costs much less than
    /// the two hashes one after the other. Only whole groups are hashed: `blocks_b.len() / 64`
    /// of them, each `K` blocks of `blocks_a` (which must have them) and one of `blocks_b`.
    /// Both states stay in registers from the first block to the last.
    ///
    /// # Safety
    /// The CPU must support SHA, SSE4.1 and SSSE3.
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    pub(super) unsafe fn compress_spread<const K: usize>(
        a: &mut [u32; 8],
        blocks_a: &[u8],
        b: &mut [u32; 8],
        blocks_b: &[u8],
    ) {
        let mut x = Stream::new(a);
        let mut y = Stream::new(b);
        for (group, block_b) in blocks_a.chunks_exact(64 * K).zip(blocks_b.chunks_exact(64)) {
            let Ok(block_b) = <&[u8; 64]>::try_from(block_b) else {
                break;
            };
            y.begin(block_b);
            for (k, block_a) in group.chunks_exact(64).enumerate() {
                let Ok(block_a) = <&[u8; 64]>::try_from(block_a) else {
                    break;
                };
                x.begin(block_a);
                for i in 0..16 {
                    x.step(i);
                    let j = 16 * k + i;
                    if j % K == 0 {
                        y.step(j / K);
                    }
                }
                x.end();
            }
            y.end();
        }
        x.store(a);
        y.store(b);
    }
}

/// Whole blocks to compress into one state: `head` then `tail` (each a multiple of 64 bytes).
pub(crate) struct Job<'a> {
    state: &'a mut [u32; 8],
    head: &'a [u8],
    tail: &'a [u8],
}

impl<'a> Job<'a> {
    pub fn new(state: &'a mut [u32; 8], head: &'a [u8], tail: &'a [u8]) -> Self {
        Job { state, head, tail }
    }

    fn remaining(&self) -> usize {
        (self.head.len() + self.tail.len()) / 64
    }

    /// Whole blocks left in the current segment.
    fn segment_blocks(&self) -> usize {
        if self.head.is_empty() {
            self.tail.len() / 64
        } else {
            self.head.len() / 64
        }
    }

    /// Takes up to `blocks` whole blocks from the current segment; returns them.
    fn take(&mut self, blocks: usize) -> &'a [u8] {
        let segment = if self.head.is_empty() {
            &mut self.tail
        } else {
            &mut self.head
        };
        let (taken, rest) = segment.split_at((blocks * 64).min(segment.len()));
        *segment = rest;
        taken
    }
}

/// Runs independent jobs: when the longest has at least twice the blocks of all the others,
/// their blocks are spread over its own (nearly free); otherwise blocks of the two longest are
/// paired while two have blocks left.
pub(crate) fn run_jobs(jobs: &mut [Job<'_>]) {
    loop {
        // The two longest jobs, and the length of the third.
        let mut order = [(0usize, 0usize); 3];
        for (i, job) in jobs.iter().enumerate() {
            let n = job.remaining();
            if n > order[0].0 {
                order = [(n, i), order[0], order[1]];
            } else if n > order[1].0 {
                order = [order[0], (n, i), order[1]];
            } else if n > order[2].0 {
                order[2] = (n, i);
            }
        }
        let [(n1, i1), (n2, i2), (n3, _)] = order;
        if n1 == 0 {
            return;
        }
        if n2 == 0 {
            let job = &mut jobs[i1];
            let (head, tail) = (job.head, job.tail);
            compress(job.state, head);
            compress(job.state, tail);
            job.head = &[];
            job.tail = &[];
            return;
        }
        let (lo, hi) = (i1.min(i2), i1.max(i2));
        let (left, right) = jobs.split_at_mut(hi);
        let (x, y) = (&mut left[lo], &mut right[0]);
        if n1 >= 2 * (n2 + n3) {
            // The longest job has room for all the others' blocks at one per two of its own.
            let (long, short) = if i1 < i2 { (x, y) } else { (y, x) };
            let n = (long.segment_blocks() / 2).min(short.segment_blocks());
            if n > 0 {
                let (a, b) = (long.take(2 * n), short.take(n));
                compress_interleaved::<2>(long.state, a, short.state, b);
            } else {
                // A segment boundary splits the next group: one block of each, paired.
                let (a, b) = (long.take(1), short.take(1));
                compress_interleaved::<1>(long.state, a, short.state, b);
            }
            continue;
        }
        // Pair until the second job is down to the third's length, within one segment each.
        let mut want = (n2 - n3).max(1);
        while want > 0 {
            let n = want.min(x.segment_blocks()).min(y.segment_blocks());
            if n == 0 {
                break;
            }
            let (bx, by) = (x.take(n), y.take(n));
            compress_interleaved::<1>(x.state, bx, y.state, by);
            want -= n;
        }
    }
}

/// The padded last block(s) of a message of `total` bytes whose unhashed end is `rest`
/// (shorter than 64 bytes): returns the buffer and how many of its bytes to hash (64 or 128).
pub(crate) fn padded_tail(rest: &[u8], total: u64) -> ([u8; 128], usize) {
    let mut buf = [0u8; 128];
    let n = rest.len().min(63);
    buf[..n].copy_from_slice(&rest[..n]);
    // 63 bytes and their padding fit in 128.
    let len = pad_in_place(&mut buf, n, total).unwrap_or(0);
    (buf, len)
}

/// The lower-case hex of the digest of a state that has taken all blocks, written into `out`.
/// It sits between one hash and the next on the signature's critical path, so with SSSE3 it is
/// a few vector instructions instead of a byte loop and a copy.
#[inline]
pub(crate) fn write_hex_digest(state: &[u32; 8], out: &mut [u8; 64]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("ssse3") {
            // SAFETY: the CPU feature the function is compiled for was detected.
            unsafe { x2::hex_digest(state, out) };
            return;
        }
    }
    *out = super::Hex64::new(&digest(state)).0;
}

/// The digest of a state that has taken all blocks.
pub(crate) fn digest(state: &[u32; 8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// Pads a message in the caller's buffer, so its last blocks are hashed without a copy (and
/// can run as a [`Job`] beside another hash): `buf[..len]` ends a message of `message_len`
/// bytes in all, and the padding goes after it. Returns where the padded blocks end (a
/// multiple of 64 when `len - message_len` is), or `None` if `buf` has no room for the padding
/// (at most 72 bytes past `len`).
pub(crate) fn pad_in_place(buf: &mut [u8], len: usize, message_len: u64) -> Option<usize> {
    let end = (len + 9).div_ceil(64) * 64;
    let padding = buf.get_mut(len..end)?;
    padding.fill(0);
    padding[0] = 0x80;
    let length_at = padding.len() - 8;
    padding[length_at..].copy_from_slice(&(message_len * 8).to_be_bytes());
    Some(end)
}

/// The initial SHA-256 state.
pub(crate) const INITIAL_STATE: [u32; 8] = IV;

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

    /// Pads, compresses the last block(s) and returns the digest. Nothing is wiped: a state
    /// past the first block does not reveal an HMAC key, and the buffer holds only the last
    /// bytes of the input, which the caller owns anyway (the signer wipes its own copies).
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
        digest(&self.state)
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

    /// The state after the inner pad block (the start of the inner hash).
    pub fn inner_state(&self) -> [u32; 8] {
        self.inner
    }

    /// The final state of the MAC from the inner hash (see [`digest`], [`write_hex_digest`]).
    pub fn outer_state(&self, inner: &[u8; 32]) -> [u32; 8] {
        // The one padded block of a 96-byte message (pad block, then the inner hash).
        let mut block = [0u8; 64];
        block[..32].copy_from_slice(inner);
        let end = pad_in_place(&mut block, 32, 96).unwrap_or(0);
        let mut state = self.outer;
        compress(&mut state, &block[..end]);
        state
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

    proptest! {
        #[test]
        fn paired_jobs_match_sequential_hashing(
            parts in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..1500), 1..4),
        ) {
            let mut states = vec![IV; parts.len()];
            let tails: Vec<([u8; 128], usize)> = parts
                .iter()
                .map(|p| padded_tail(&p[p.len() & !63..], p.len() as u64))
                .collect();
            let mut jobs: Vec<Job<'_>> = states
                .iter_mut()
                .zip(&parts)
                .zip(&tails)
                .map(|((state, p), (tail, n))| Job::new(state, &p[..p.len() & !63], &tail[..*n]))
                .collect();
            run_jobs(&mut jobs);
            drop(jobs);
            for (state, p) in states.iter().zip(&parts) {
                let expected: [u8; 32] = Sha256::digest(p).into();
                prop_assert_eq!(digest(state), expected);
            }
        }
    }

    proptest! {
        #[test]
        fn padding_in_place_matches_sha2(
            data in proptest::collection::vec(any::<u8>(), 0..300),
            split in 0usize..5,
        ) {
            let done = (split * 64).min(data.len() & !63);
            let mut state = IV;
            compress(&mut state, &data[..done]);
            let mut buf = data[done..].to_vec();
            let len = buf.len();
            buf.resize(len + 72, 0xAA);
            let end = pad_in_place(&mut buf, len, data.len() as u64).unwrap();
            compress(&mut state, &buf[..end]);
            let expected: [u8; 32] = Sha256::digest(&data).into();
            prop_assert_eq!(digest(&state), expected);
        }

        #[test]
        fn hex_digest_is_lower_hex_of_the_digest(words in proptest::array::uniform8(any::<u32>())) {
            let mut out = [0u8; 64];
            write_hex_digest(&words, &mut out);
            let expected = hex::encode(digest(&words));
            prop_assert_eq!(&out[..], expected.as_bytes());
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
