//! The documented bounds of the numbers authors write, far above any real figure. Validation
//! (`resolve`) enforces them and the messages (`problem`) quote them, so they live apart from both.

use std::ops::RangeInclusive;

/// The largest count accepted (一十亿): about 25 times China's whole workforce, so every real
/// figure fits, and a sum over all regions cannot come near `u64::MAX`.
pub const MAX_COUNT: u64 = 1_000_000_000;

/// Years accepted in `year` (bulletins and statistics): the years a [`crate::date::Date`] takes.
pub const YEARS: RangeInclusive<u64> = 1900..=2200;

/// The largest issue number (`issue`, `total_issue`) accepted.
pub const MAX_ISSUE: u64 = 99_999;
