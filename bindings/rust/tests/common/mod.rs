// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
//! Shared by the tests that need /dev/kipc (run in the QEMU guest).
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

/// A name no other test (or test process) uses.
pub fn name(tag: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!("rs-{}-{}-{}", tag, std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

/// The errno of a failed call, or a panic naming what succeeded.
pub fn errno<T: std::fmt::Debug>(r: kipc::Result<T>) -> i32 {
    match r {
        Ok(v) => panic!("expected an error, got Ok({:?})", v),
        Err(e) => e.errno(),
    }
}

/// Unlinks on drop, so a failing test leaves no object behind.
pub struct Unlink(pub kipc::Kind, pub String);

impl Drop for Unlink {
    fn drop(&mut self) {
        let _ = kipc::unlink(self.0, &self.1);
    }
}
