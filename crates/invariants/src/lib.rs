//! The invariants of the parts that read what others wrote, written once for the two kinds of
//! test that look for inputs breaking them: the property tests in `crates/core/tests` call
//! these checks with the inputs proptest generates, and the fuzz targets in `fuzz/` with the
//! bytes libFuzzer finds. Every check panics when an invariant breaks, which proptest shrinks
//! to the smallest input and libFuzzer reports as a crash with its input.
//!
//! Each part has a check taking typed inputs, and one taking the fuzz targets' raw input, which
//! decodes it and calls the first.

pub mod credentials;
pub mod edits;
pub mod replies;
