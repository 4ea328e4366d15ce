//! A tiny deterministic PRNG (SplitMix64) seeded by the host.
//!
//! The engine needs randomness only for the `apiVer` nonce of the WebSocket URL (transport.md
//! §3.4), the local `messageId` of received messages (api.md §5.4) and reconnect jitter. None of
//! these is security-sensitive, and a seed from the host keeps tests reproducible.

/// SplitMix64: one `u64` of state, full period, good enough statistical quality for jitter.
#[derive(Clone, Debug)]
pub(crate) struct Rng {
    state: u64,
}

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `0..n` (0 when `n` is 0). The modulo bias is irrelevant for these uses.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        assert_ne!(Rng::new(1).next_u64(), Rng::new(2).next_u64());
    }

    #[test]
    fn below_stays_in_range() {
        let mut r = Rng::new(42);
        for _ in 0..1000 {
            assert!(r.below(1_000_000) < 1_000_000);
        }
        assert_eq!(r.below(0), 0);
    }
}
